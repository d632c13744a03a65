"""Gold JSONL reader: files -> GoldRecords; malformed lines reported as file:line, never fatal."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GoldRecord:
    """One gold document: the outer shape shared by every set, ``gold`` kept as parsed JSON.

    Attributes:
        id: the record id (used as the document origin in the pipeline).
        set: the set name ("seeds", "eurepoc", "casie", "annoctr" or another).
        lang: ISO 639-1 language code.
        text: the document text.
        gold: the set-specific gold object.
        title, published, url: optional metadata.
        origin: ``file:line`` where the record was read.
    """

    id: str
    set: str
    lang: str
    text: str
    gold: dict[str, Any]
    title: str | None = None
    published: str | None = None
    url: str | None = None
    origin: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class GoldLoad:
    """Result of reading gold files: the records and one message per skipped line."""

    records: list[GoldRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def parse_record(obj: Any, origin: str) -> GoldRecord:
    """Validate one parsed JSON line into a GoldRecord.

    Raises:
        ValueError: when a required key is missing or has the wrong type.
    """
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    for key in ("id", "set", "text", "gold"):
        if key not in obj:
            raise ValueError(f"missing key {key!r}")
    if not isinstance(obj["text"], str) or not obj["text"].strip():
        raise ValueError("'text' must be a non-empty string")
    if not isinstance(obj["gold"], dict):
        raise ValueError("'gold' must be an object")
    known = {"id", "set", "lang", "text", "gold", "title", "published", "url"}
    return GoldRecord(
        id=str(obj["id"]),
        set=str(obj["set"]),
        lang=str(obj.get("lang") or "en"),
        text=obj["text"],
        gold=obj["gold"],
        title=_opt_str(obj.get("title")),
        published=_opt_str(obj.get("published")),
        url=_opt_str(obj.get("url")),
        origin=origin,
        extra={k: v for k, v in obj.items() if k not in known},
    )


def read_gold(paths: Iterable[Path | str]) -> GoldLoad:
    """Read gold JSONL files, keeping every well-formed record and a message per bad line.

    Args:
        paths: JSONL files.

    Returns:
        The records in file order and the ``file:line: reason`` messages.
    """
    out = GoldLoad()
    seen: set[tuple[str, str]] = set()
    for path in paths:
        path = Path(path)
        try:
            handle = path.open(encoding="utf-8")
        except OSError as exc:
            out.errors.append(f"{path}: cannot read ({exc})")
            continue
        with handle:
            for lineno, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                origin = f"{path}:{lineno}"
                try:
                    record = parse_record(json.loads(line), origin)
                except (json.JSONDecodeError, ValueError) as exc:
                    out.errors.append(f"{origin}: {exc}")
                    continue
                if (record.set, record.id) in seen:
                    out.errors.append(f"{origin}: duplicate id {record.id!r} in set {record.set!r}")
                    continue
                seen.add((record.set, record.id))
                out.records.append(record)
    for message in out.errors:
        log.warning("skipped gold line %s", message)
    return out


def load_gold(paths: Iterable[Path | str]) -> list[GoldRecord]:
    """Read gold JSONL files; malformed lines are logged (``file:line``) and skipped.

    Args:
        paths: JSONL files in the shape of shared/eval/README.md.

    Returns:
        The well-formed records, in file order.
    """
    return read_gold(paths).records
