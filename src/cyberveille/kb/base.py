"""The KnowledgeBase object: entities by id, exact lookup by folded name, and text matching.

Contract: a ``KnowledgeBase`` is immutable once built (by ``kb.build``) and
picklable; ``get``/``lookup``/``match``/``entities``/``counts`` never mutate it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from cyberveille.kb.entity import Entity, EntityKind, KBMatch
from cyberveille.kb.matcher import NameMatcher
from cyberveille.kb.normalize import name_key


class KnowledgeBase:
    """Canonical identities and their names.

    Attributes:
        version: what the KB was built from, e.g.
            ``"pymispgalaxies 1.1.1 + curated 1a2b3c4d"``.
    """

    def __init__(
        self,
        entities: dict[str, Entity],
        index: dict[str, tuple[str, ...]],
        matcher: NameMatcher,
        version: str,
        redirects: dict[str, str] | None = None,
    ) -> None:
        """Wrap built parts (use ``load_kb`` rather than calling this).

        Args:
            entities: id -> entity.
            index: folded name (``name_key``) -> ids of entities with that name.
            matcher: the compiled text matcher.
            version: provenance string.
            redirects: retired id -> the id of the identity that absorbed it.
        """
        self._entities = entities
        self._index = index
        self._matcher = matcher
        self.version = version
        self._redirects = redirects or {}

    def get(self, entity_id: str) -> Entity | None:
        """Return the entity with this id, or None.

        Args:
            entity_id: a canonical id (``actor:apt40``, ``country:CN``), or an id a
                galaxy release retired by merging its identity into another.

        Returns:
            The entity (for a retired id, the one that absorbed it) or None.
        """
        found = self._entities.get(entity_id)
        if found is None and entity_id in self._redirects:
            return self._entities.get(self._redirects[entity_id])
        return found

    def lookup(self, name: str, kind: EntityKind | None = None) -> list[Entity]:
        """Return the entities that have exactly this name or alias (after folding).

        Args:
            name: a name as written (« Etats-Unis », "apt-40", "Gingham Typhoon").
            kind: keep only entities of this kind.

        Returns:
            Matching entities, most specific first (the entity whose canonical name it
            is, then others); empty when none.
        """
        ids = self._index.get(name_key(name), ())
        found = [self._entities[i] for i in ids]
        if kind is not None:
            found = [e for e in found if e.kind == kind]
        return found

    def match(self, text: str) -> list[KBMatch]:
        """Find every KB name in a text.

        Args:
            text: any text (French or English).

        Returns:
            Non-overlapping matches (longest wins), sorted by start, with offsets into
            ``text``; a match on an ordinary word is flagged ``ambiguous``.
        """
        return self._matcher.find(text)

    def entities(self, kind: EntityKind | None = None) -> Iterator[Entity]:
        """Iterate over entities, optionally of one kind.

        Args:
            kind: keep only this kind.

        Yields:
            Entities in id order.
        """
        for entity_id in sorted(self._entities):
            entity = self._entities[entity_id]
            if kind is None or entity.kind == kind:
                yield entity

    def counts(self) -> dict[str, int]:
        """Return the number of entities per kind."""
        return dict(sorted(Counter(e.kind for e in self._entities.values()).items()))

    def __len__(self) -> int:
        return len(self._entities)

    def __repr__(self) -> str:
        return f"KnowledgeBase({len(self._entities)} entities, {self.version})"
