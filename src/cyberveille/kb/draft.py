"""Mutable entity drafts used while building the KB, frozen into ``Entity`` at the end.

Contract: a ``Draft`` collects names with their form (name, alias, demonym,
capital, abbreviation) and flags (ambiguous, lookup-only) before ``freeze``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cyberveille.kb.entity import Entity, EntityKind, InstitutionType, MatchForm
from cyberveille.kb.normalize import name_key


@dataclass
class Draft:
    """An entity under construction.

    Attributes:
        id: canonical id.
        kind: entity kind.
        name: canonical display name.
        forms: every name (canonical included) -> how it names the entity.
        ambiguous: names flagged as ordinary words or other things.
        lookup_only: names kept for ``lookup`` but never searched in texts.
    """

    id: str
    kind: EntityKind
    name: str
    forms: dict[str, MatchForm] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    lookup_only: set[str] = field(default_factory=set)
    country: str | None = None
    sponsor: str | None = None
    institution_type: InstitutionType | None = None
    mitre_id: str | None = None
    refs: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.forms.setdefault(self.name, "name")

    def add(self, alias: str, form: MatchForm = "alias", ambiguous: bool = False) -> None:
        """Add a name unless the same folded name is already there."""
        alias = " ".join(alias.split())
        if not alias or not name_key(alias):
            return
        keys = {name_key(a) for a in self.forms}
        if name_key(alias) not in keys:
            self.forms[alias] = form
        if ambiguous:
            self.ambiguous.add(alias)

    def remove(self, alias: str) -> None:
        """Remove every name whose folded form equals that of ``alias``."""
        key = name_key(alias)
        for a in [a for a in self.forms if name_key(a) == key and a != self.name]:
            del self.forms[a]
            self.ambiguous.discard(a)
            self.lookup_only.discard(a)

    def freeze(self) -> Entity:
        """Return the frozen ``Entity`` (aliases in insertion order, canonical excluded)."""
        return Entity(
            id=self.id,
            kind=self.kind,
            name=self.name,
            aliases=tuple(a for a in self.forms if a != self.name),
            country=self.country,
            sponsor=self.sponsor,
            institution_type=self.institution_type,
            mitre_id=self.mitre_id,
            refs=tuple(dict.fromkeys(self.refs)),
            attrs=tuple(sorted(self.attrs.items())),
        )
