"""Canonical ids that survive new galaxy releases: a lock file maps galaxy clusters to ids.

Contract: ``data/ids.tsv`` holds one ``<galaxy>:<cluster uuid> TAB <canonical id>`` line
per cluster, written once when the cluster is first seen (``update_lock``) and never
rewritten. MISP cluster uuids are stable across releases while names are not ("HAFNIUM"
became "Silk Typhoon" in one galaxy), so ``apply_locked_ids`` gives an identity the id
locked for its highest-ranked cluster, whatever its name has become; when a release
merges two identities, the loser's id becomes a redirect to the winner's, so facts
stored under either id still resolve.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from cyberveille.kb.draft import Draft

LOCK_FILE = Path(__file__).parent / "data" / "ids.tsv"
_HEADER = (
    "# Canonical ids of galaxy clusters, first assignment wins; regenerate with "
    "scripts/lock_kb_ids.py (adds new clusters, never changes a line).\n"
)


def read_lock(path: Path = LOCK_FILE) -> dict[str, str]:
    """Return ``{galaxy:uuid: id}`` from the lock file (empty when there is none)."""
    locked: dict[str, str] = {}
    if not path.is_file():
        return locked
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        ref, sep, entity_id = line.partition("\t")
        if not sep or ":" not in ref or ":" not in entity_id:
            raise ValueError(f"{path}:{number}: expected '<galaxy>:<uuid>\\t<id>', got {line!r}")
        locked.setdefault(ref.strip(), entity_id.strip())
    return locked


def _prefix(entity_id: str) -> str:
    return entity_id.split(":", 1)[0]


def apply_locked_ids(drafts: Iterable[Draft], locked: Mapping[str, str]) -> dict[str, str]:
    """Rename galaxy-built drafts to their locked ids; return ``{former id: current id}``.

    A draft takes the first locked id among its refs (refs are in galaxy priority order)
    that has the prefix of its kind and that no other draft took; drafts with no locked
    id keep their slug, suffixed if a locked id already holds it.

    Args:
        drafts: drafts whose ``refs`` name galaxy clusters; renamed in place.
        locked: the lock (see ``read_lock``).

    Returns:
        Redirects from ids no identity holds any more to the identity that absorbed them.
    """
    taken: set[str] = set()
    plan: list[tuple[Draft, list[str], str | None]] = []
    for d in drafts:
        ids = list(dict.fromkeys(locked[r] for r in d.refs if r in locked))
        chosen = next((i for i in ids if _prefix(i) == _prefix(d.id) and i not in taken), None)
        if chosen is not None:
            taken.add(chosen)
        plan.append((d, ids, chosen))
    reserved = taken | set(locked.values())
    for d, _, chosen in plan:
        if chosen is not None:
            d.id = chosen
            continue
        base, ident, suffix = d.id, d.id, 2
        while ident in reserved:
            ident = f"{base}-{suffix}"
            suffix += 1
        reserved.add(ident)
        taken.add(ident)
        d.id = ident
    return {old: d.id for d, ids, _ in plan for old in ids if old not in taken}


def update_lock(entities: Iterable[tuple[str, Iterable[str]]], path: Path = LOCK_FILE) -> int:
    """Append a line for every galaxy ref not yet locked; return how many were added.

    Args:
        entities: ``(id, refs)`` of the built identities.
        path: the lock file.
    """
    locked = read_lock(path)
    new = [
        f"{ref}\t{entity_id}\n"
        for entity_id, refs in entities
        for ref in refs
        if ref not in locked and _is_galaxy_ref(ref)
    ]
    if new:
        exists = path.is_file()
        with path.open("a", encoding="utf-8") as fh:
            if not exists:
                fh.write(_HEADER)
            fh.writelines(sorted(new))
    return len(new)


def _is_galaxy_ref(ref: str) -> bool:
    galaxy, _, uuid = ref.partition(":")
    return bool(galaxy) and len(uuid) == 36 and uuid.count("-") == 4
