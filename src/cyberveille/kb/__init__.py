"""Knowledge base: actors, agencies, institutions, countries, sectors, malware, tools, products.

Contract: ``load_kb(overrides=None)`` returns a ``KnowledgeBase`` (cached per
process for the default call, and on disk as a pickle keyed by package versions,
KB code, data files and overrides); ``kb.get``, ``kb.lookup``, ``kb.match``,
``kb.entities``, ``kb.counts`` and ``kb.version`` are the whole public surface.

Overrides file (``load_kb(overrides=path)`` or env ``CYBERVEILLE_KB_OVERRIDES``):
a JSON list of entries, applied last so they win over galaxies and curated data::

    [
      {"id": "actor:apt40", "aliases": ["Periscope Group"]},
      {"id": "actor:apt40", "remove_aliases": ["Kryptonite Panda"]},
      {"id": "inst:acme-lab", "kind": "institution", "name": "ACME Lab",
       "aliases": ["ACME"], "country": "FR", "institution_type": "company"},
      {"id": "actor:foo", "kind": "threat_actor", "name": "Foo", "replace": true},
      {"id": "malware:bar", "remove": true}
    ]

An entry whose id exists extends it (aliases added, given fields set) unless it
says ``"replace": true``; a new id needs ``kind`` and ``name``; a leading ``?`` on
an alias flags it ambiguous. See docs/kb.md.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from cyberveille.kb.base import KnowledgeBase
from cyberveille.kb.entity import Entity, EntityKind, InstitutionType, KBMatch, MatchForm

__all__ = [
    "Entity",
    "EntityKind",
    "InstitutionType",
    "KBMatch",
    "KnowledgeBase",
    "MatchForm",
    "load_kb",
]

ENV_OVERRIDES = "CYBERVEILLE_KB_OVERRIDES"


def load_kb(overrides: Path | None = None) -> KnowledgeBase:
    """Return the knowledge base.

    Args:
        overrides: optional JSON overrides file; when None, the file named by the
            ``CYBERVEILLE_KB_OVERRIDES`` environment variable, if set.

    Returns:
        The KnowledgeBase (the same object for repeated calls in one process).
    """
    if overrides is None and os.environ.get(ENV_OVERRIDES):
        overrides = Path(os.environ[ENV_OVERRIDES])
    if overrides is None:
        return _default_kb()
    return _kb_for(str(Path(overrides).resolve()), Path(overrides).stat().st_mtime_ns)


@lru_cache(maxsize=1)
def _default_kb() -> KnowledgeBase:
    from cyberveille.kb.build import cached_kb

    return cached_kb(None)


@lru_cache(maxsize=8)
def _kb_for(path: str, mtime_ns: int) -> KnowledgeBase:
    from cyberveille.kb.build import cached_kb

    return cached_kb(Path(path))
