"""Knowledge-base value types: a canonical identity, a match of one of its names in a text,
and the readable name of a canonical id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

EntityKind = Literal[
    "threat_actor",  # intrusion sets / APT groups (id "actor:<slug>")
    "agency",  # state agencies and units said to be behind operations ("agency:<cc>-<slug>")
    "institution",  # who accuses: governments' bodies, intl orgs, vendors ("inst:<slug>")
    "country",  # ISO 3166 alpha-2 ("country:CN"); EU and NATO are institutions
    "sector",  # MISP sector galaxy names ("sector:<MISP name>")
    "malware",  # malware families ("malware:<slug>")
    "tool",  # dual-use tools ("tool:<slug>")
    "product",  # software/hardware products ("product:<slug>")
]

# How an accusing institution usually attributes (used as the default attribution type).
InstitutionType = Literal[
    "government",  # a state as a whole, its head, its foreign ministry -> political_statement
    "justice",  # DOJ, prosecutors, courts -> indictment
    "sanctions",  # Treasury/OFAC, EU Council sanctions -> sanctions
    "agency",  # cyber / intelligence agencies (NCSC, CISA, ANSSI, FBI) -> political_statement
    "intl_org",  # EU, NATO, UN -> political_statement
    "company",  # security vendors and labs -> technical_report
    "media",  # news outlets -> media_report
]


@dataclass(frozen=True)
class Entity:
    """One canonical identity with all its names.

    Attributes:
        id: stable canonical id, e.g. ``actor:apt40``, ``country:CN``, ``agency:cn-mss``.
        kind: what it is.
        name: the canonical display name (``APT40``, ``China``, ``Ministry of State Security``).
        aliases: every other name it is known by, any language.
        country: ISO alpha-2 of the country it belongs to (for actors: suspected
            sponsor state; for agencies/institutions: their state; ``EU``/``NATO`` allowed).
        sponsor: for actors, the canonical id of the suspected sponsoring agency, if known.
        institution_type: for institutions and agencies, how they attribute.
        mitre_id: MITRE ATT&CK id (G0065, S0002) when known.
        refs: source references (galaxy name + uuid, URLs).
        attrs: any further attributes as string pairs.
    """

    id: str
    kind: EntityKind
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    sponsor: str | None = None
    institution_type: InstitutionType | None = None
    mitre_id: str | None = None
    refs: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = field(default=())

    def attr(self, key: str) -> str | None:
        """The value of one of ``attrs``, or None."""
        return next((value for name, value in self.attrs if name == key), None)

    @property
    def hacktivist(self) -> bool:
        """Known as hacktivists (``motive``): a group acting in the open, claiming its acts."""
        return self.attr("motive") == "hacktivism"


MatchForm = Literal["name", "alias", "demonym", "capital", "abbreviation"]


@dataclass(frozen=True)
class KBMatch:
    """A name of an entity found in a text.

    ``start``/``end`` are character offsets in the text given to ``KnowledgeBase.match``;
    ``form`` says how it was named (a demonym like « chinois » or a capital like « Pékin »
    for a country); ``ambiguous`` is true when the surface is also an ordinary word or
    another thing (Hafnium the element, "Equation"), so the caller should check context.
    """

    start: int
    end: int
    surface: str
    entity_id: str
    kind: EntityKind
    form: MatchForm = "name"
    ambiguous: bool = False


def display_name(value: str, resolve: Callable[[str], Entity | None]) -> str:
    """A readable name for a canonical id or ``text:`` value: the KB's name, else, for an
    actor or software discovered in the text, its id's words ("Fancy Bears Hack Team")."""
    entity = resolve(value)
    if entity is not None:
        return entity.name
    prefix, _, rest = value.partition(":")
    if prefix in ("actor", "malware", "tool") and rest:
        return rest.replace("-", " ").title()  # discovered in the text, not in the KB
    return rest or value
