"""User overrides of the KB: a JSON list of entity entries applied last, so they win.

Contract: ``apply_overrides(drafts, entries)`` edits drafts in place. Entry forms:

- ``{"id", "kind", "name", "aliases": [...], "country", "sponsor",
  "institution_type", "mitre_id", "ambiguous": [...]}`` -- a new entity, or, when
  the id exists, an extension of it (aliases added, given fields set);
- the same with ``"replace": true`` -- the existing entity is replaced entirely;
- ``{"id", "remove_aliases": [...]}`` -- names removed from an entity;
- ``{"id", "remove": true}`` -- the entity is removed.

A leading ``?`` on an alias flags it ambiguous.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast, get_args

from cyberveille.kb.draft import Draft
from cyberveille.kb.entity import EntityKind, InstitutionType

_KINDS = set(get_args(EntityKind))


class OverrideError(ValueError):
    """An overrides file entry is malformed (the message names the entry)."""


def read_overrides(path: Path) -> list[dict[str, Any]]:
    """Read and check an overrides file.

    Args:
        path: JSON file holding a list of entries (or ``{"entities": [...]}``).

    Returns:
        The entries.

    Raises:
        OverrideError: when the file is not a list of objects with an ``id``.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("entities", [])
    if not isinstance(data, list):
        raise OverrideError(f"{path}: expected a JSON list of entities")
    for i, entry in enumerate(data):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise OverrideError(f"{path}: entry {i} has no string 'id'")
    return cast(list[dict[str, Any]], data)


def _set_fields(d: Draft, entry: dict[str, Any]) -> None:
    for alias in entry.get("aliases", []):
        d.add(alias.lstrip("?"), "alias", ambiguous=alias.startswith("?"))
        d.lookup_only.discard(alias.lstrip("?"))
    for alias in entry.get("ambiguous", []):
        d.add(alias, "alias", ambiguous=True)
    for key in ("country", "sponsor", "mitre_id"):
        if key in entry:
            setattr(d, key, entry[key])
    if "institution_type" in entry:
        d.institution_type = cast(InstitutionType, entry["institution_type"])
    for k, v in (entry.get("attrs") or {}).items():
        d.attrs[str(k)] = str(v)
    d.refs.append("overrides")


def apply_overrides(drafts: dict[str, Draft], entries: list[dict[str, Any]]) -> None:
    """Apply override entries to the drafts (in place, in file order).

    Args:
        drafts: id -> draft.
        entries: entries from ``read_overrides``.

    Raises:
        OverrideError: on a new entity without a valid kind or name.
    """
    for entry in entries:
        ident = entry["id"]
        if entry.get("remove"):
            drafts.pop(ident, None)
            continue
        existing = drafts.get(ident)
        for alias in entry.get("remove_aliases", []):
            if existing is not None:
                existing.remove(alias)
        if set(entry) <= {"id", "remove_aliases"}:
            continue
        if existing is None or entry.get("replace"):
            kind = entry.get("kind") or (existing.kind if existing else None)
            name = entry.get("name") or (existing.name if existing else None)
            if kind not in _KINDS or not name:
                raise OverrideError(f"override {ident!r}: a new entity needs a valid kind and name")
            d = Draft(id=ident, kind=cast(EntityKind, kind), name=name)
            drafts[ident] = d
        else:
            d = existing
            if entry.get("name") and entry["name"] != d.name:
                old = d.name
                d.forms.pop(entry["name"], None)
                d.name = entry["name"]
                d.forms = {d.name: "name", **d.forms}
                d.forms[old] = "alias"
        _set_fields(d, entry)
