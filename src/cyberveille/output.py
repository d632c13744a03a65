"""Rows (dicts with the same keys) -> a text table, JSON or CSV on a stream, for the CLI."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import Any, Literal, TextIO

Format = Literal["table", "json", "csv"]
FORMATS: tuple[str, ...] = ("table", "json", "csv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], width: int = 48) -> str:
    """A plain fixed-width table; cells longer than ``width`` are cut with an ellipsis."""
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    cells = [[v if len(v) <= width else v[: width - 1] + "…" for v in row] for row in cells]
    sizes = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(sizes[i]) for i, c in enumerate(columns)).rstrip()]
    lines.append("  ".join("-" * n for n in sizes))
    lines += ["  ".join(v.ljust(sizes[i]) for i, v in enumerate(row)).rstrip() for row in cells]
    return "\n".join(lines)


def write_rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: Format, out: TextIO
) -> None:
    """Write rows as a table, a JSON list or CSV (header + one line per row)."""
    if fmt == "json":
        json.dump([dict(r) for r in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows({c: _cell(r.get(c)) for c in columns} for r in rows)
    else:
        out.write(format_table(rows, columns) + "\n")
