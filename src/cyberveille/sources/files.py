"""File source: paths (files, folders, "-") -> a lazy stream of RawDocument or SourceError."""

from __future__ import annotations

import json
import mimetypes
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from cyberveille.errors import SourceError
from cyberveille.types import RawDocument

DEFAULT_MAX_BYTES = 20_000_000
STDIN = "-"
STDIN_ORIGIN = "<stdin>"

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES

# Documentation files that sit next to articles (e.g. examples/README.md) are not news:
# skipped when walking a folder, read when named explicitly.
DOC_STEMS = frozenset({"readme", "license", "licence", "changelog", "contributing", "notice"})

# Field names accepted in JSON records, first match wins.
TEXT_FIELDS = ("text", "content", "body")
TITLE_FIELDS = ("title",)
URL_FIELDS = ("url", "link")
PUBLISHED_FIELDS = ("published", "date")
OUTLET_FIELDS = ("outlet", "source")
LANGUAGE_FIELDS = ("language", "lang")
HTML_FIELDS = ("html",)

_SNIFF_BYTES = 8192
_CHUNK = 1 << 20


def iter_documents(
    paths: Sequence[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: TextIO | None = None,
) -> Iterator[RawDocument | SourceError]:
    """Yield one RawDocument per readable input and one SourceError per unreadable one.

    Folders are walked recursively in sorted order, skipping hidden entries and
    documentation files (README, LICENSE...). ``.txt``/``.md`` give one text document,
    ``.html``/``.htm`` one HTML document (``text=""``), ``.json`` an object or a list of
    objects, ``.jsonl`` one object per line. In a folder, files with another extension
    are read as text when they look like text and skipped silently otherwise; a file
    named explicitly is always read as text. ``"-"`` reads standard input: JSON Lines
    when its first line is a JSON object, else JSON, else one text document.

    Nothing is fatal: binary, empty, non-UTF-8, oversized, unreadable or missing
    inputs and malformed JSON records each yield a SourceError and the stream goes on.
    The stream is lazy: one file (or one JSONL line) is held in memory at a time.

    Args:
        paths: Files, folders, or ``"-"`` for standard input.
        max_bytes: Largest file (for JSONL: largest line) that is read; larger ones
            are reported without being read.
        stdin: Stream read for ``"-"``; defaults to ``sys.stdin``.

    Yields:
        RawDocument or SourceError values, in input order.
    """
    for item in _walk(paths):
        if isinstance(item, SourceError):
            yield item
        elif item == STDIN:
            yield from _read_stdin(stdin if stdin is not None else sys.stdin, max_bytes)
        else:
            yield from _read_file(Path(item), max_bytes=max_bytes)


def count_inputs(paths: Sequence[str | Path]) -> int:
    """Estimate how many items ``iter_documents`` will yield, for a progress bar total.

    Counts one per file (and one for ``"-"``), and the lines of JSONL files. A JSON
    list counts as one. Files are not parsed, so the estimate is cheap but approximate.

    Args:
        paths: The same paths given to ``iter_documents``.

    Returns:
        The estimated number of items.
    """
    total = 0
    for item in _walk(paths):
        if isinstance(item, SourceError) or item == STDIN:
            total += 1
            continue
        path = Path(item)
        if path.suffix.lower() in JSONL_SUFFIXES:
            total += max(_count_lines(path), 1)
        else:
            total += 1
    return total


# -- walking ---------------------------------------------------------------------------


def _walk(paths: Iterable[str | Path]) -> Iterator[str | SourceError]:
    """Yield each candidate input path (or ``"-"``), or a SourceError, in order."""
    for raw in paths:
        if str(raw) == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as exc:
            yield SourceError(str(path), _os_message(exc))
            continue
        if not exists:
            yield SourceError(str(path), "no such file or directory")
        elif is_dir:
            yield from _walk_dir(path)
        else:
            yield str(path)


def _walk_dir(folder: Path) -> Iterator[str | SourceError]:
    # Hand-written rather than os.walk: os.walk reports listing errors through a
    # callback, which cannot yield them in order with the documents.
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield SourceError(str(folder), _os_message(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            # Symlinked folders are not followed, so a link loop cannot recurse forever.
            if entry.is_dir(follow_symlinks=False):
                yield from _walk_dir(Path(entry.path))
                continue
            if not entry.is_file():
                continue
        except OSError as exc:
            yield SourceError(entry.path, _os_message(exc))
            continue
        path = Path(entry.path)
        if path.stem.lower() in DOC_STEMS and path.suffix.lower() in TEXT_SUFFIXES | {""}:
            continue
        if path.suffix.lower() in KNOWN_SUFFIXES or _looks_like_text(path):
            yield entry.path


def _looks_like_text(path: Path) -> bool:
    """Tell whether a file of unknown extension found in a folder should be read as text."""
    kind, _ = mimetypes.guess_type(path.name)
    if kind is not None:
        return kind.startswith("text/")
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return True  # let the reader report the error
    return b"\x00" not in head and _is_utf8_prefix(head)


def _is_utf8_prefix(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sniff window is not an error.
        return exc.reason == "unexpected end of data" and exc.start >= len(data) - 3
    return True


def _count_lines(path: Path) -> int:
    count = 0
    last = b"\n"
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                count += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return 1
    return count + (last != b"\n")


# -- reading files -----------------------------------------------------------------------


def _read_file(path: Path, *, max_bytes: int) -> Iterator[RawDocument | SourceError]:
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl_file(path, max_bytes)
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield SourceError(origin, _too_large(size, max_bytes))
            return
        data = path.read_bytes()
    except OSError as exc:
        yield SourceError(origin, _os_message(exc))
        return
    text = _decode(data, origin)
    if isinstance(text, SourceError):
        yield text
        return
    if suffix in JSON_SUFFIXES:
        yield from _parse_json(text, origin)
    elif suffix in HTML_SUFFIXES:
        yield RawDocument(origin=origin, text="", html=text)
    else:
        # .txt/.md, a file named explicitly, or a text-like file found in a folder.
        yield RawDocument(origin=origin, text=text)


def _decode(data: bytes, origin: str, *, offset: int = 0) -> str | SourceError:
    """Decode bytes as strict UTF-8 (a BOM is dropped); report binary, empty or bad bytes."""
    if b"\x00" in data:
        return SourceError(origin, "binary file (NUL bytes), skipped")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return SourceError(origin, f"invalid UTF-8 at byte {offset + exc.start}")
    if not text.strip():
        return SourceError(origin, "empty file")
    return text


def _read_jsonl_file(path: Path, max_bytes: int) -> Iterator[RawDocument | SourceError]:
    origin = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield SourceError(origin, _os_message(exc))
        return
    nonblank = 0
    with handle:
        offset = 0
        lineno = 0
        while True:
            # readline with a size bound: a huge line is never held whole in memory.
            line = handle.readline(max_bytes + 1)
            if not line:
                break
            lineno += 1
            where = f"{origin}:{lineno}"
            start = offset
            offset += len(line)
            if len(line) > max_bytes and not line.endswith(b"\n"):
                while (rest := handle.readline(_CHUNK)) and not rest.endswith(b"\n"):
                    offset += len(rest)
                offset += len(rest)
                yield SourceError(where, f"line too large (> {max_bytes / 1e6:g} MB limit)")
                continue
            if not line.strip():
                continue
            nonblank += 1
            if b"\x00" in line:
                yield SourceError(where, "binary data (NUL bytes), skipped")
                continue
            try:
                text = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield SourceError(where, f"invalid UTF-8 at byte {start + exc.start}")
                continue
            yield _parse_json_line(text, where, lineno)
    if nonblank == 0:
        yield SourceError(origin, "empty file")


def _parse_json_line(text: str, where: str, lineno: int) -> RawDocument | SourceError:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return SourceError(where, f"malformed JSON on line {lineno}: {exc.msg}")
    return _record(value, where)


def _parse_json(text: str, origin: str) -> Iterator[RawDocument | SourceError]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield SourceError(
            origin, f"malformed JSON on line {exc.lineno}, column {exc.colno}: {exc.msg}"
        )
        return
    if isinstance(value, list):
        if not value:
            yield SourceError(origin, "empty JSON list")
        for index, item in enumerate(value):
            yield _record(item, f"{origin}[{index}]")
    else:
        yield _record(value, origin)


def _record(value: Any, origin: str) -> RawDocument | SourceError:
    """Map one JSON record to a RawDocument, accepting the field aliases listed above."""
    if not isinstance(value, dict):
        return SourceError(origin, f"JSON record is not an object (got {type(value).__name__})")
    text = _field(value, TEXT_FIELDS)
    html = _field(value, HTML_FIELDS)
    if not (text and text.strip()) and not (html and html.strip()):
        return SourceError(origin, "record has no text or html (fields: text, content, body, html)")
    return RawDocument(
        origin=origin,
        text=text or "",
        html=html or None,
        title=_field(value, TITLE_FIELDS),
        url=_field(value, URL_FIELDS),
        published=_field(value, PUBLISHED_FIELDS),
        outlet=_field(value, OUTLET_FIELDS),
        language=_field(value, LANGUAGE_FIELDS),
    )


def _field(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    """Return the first usable value among the field aliases, as a string."""
    for name in names:
        value = record.get(name)
        if isinstance(value, str):
            if value.strip():
                return value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
    return None


# -- standard input ----------------------------------------------------------------------


def _read_stdin(stream: TextIO, max_bytes: int) -> Iterator[RawDocument | SourceError]:
    try:
        lines = iter(stream)
        head: list[str] = []
        first = ""
        for line in lines:
            head.append(line)
            if line.strip():
                first = line
                break
        if not first:
            yield SourceError(STDIN_ORIGIN, "empty input")
            return
        if _is_json_object(first):
            # JSON Lines: stream the rest one line at a time.
            lineno = 0
            for line in _chain(head, lines):
                lineno += 1
                if not line.strip():
                    continue
                where = f"{STDIN_ORIGIN}:{lineno}"
                if len(line) > max_bytes:
                    yield SourceError(where, f"line too large (> {max_bytes / 1e6:g} MB limit)")
                    continue
                yield _parse_json_line(line, where, lineno)
            return
        rest = stream.read(max_bytes + 1)
    except UnicodeDecodeError as exc:
        yield SourceError(STDIN_ORIGIN, f"invalid UTF-8 at byte {exc.start} of a read block")
        return
    except OSError as exc:
        yield SourceError(STDIN_ORIGIN, _os_message(exc))
        return
    text = "".join(head) + rest
    if len(text) > max_bytes:
        yield SourceError(STDIN_ORIGIN, f"input too large (> {max_bytes / 1e6:g} MB limit)")
        return
    if "\x00" in text:
        yield SourceError(STDIN_ORIGIN, "binary input (NUL bytes), skipped")
        return
    if text.lstrip().startswith(("[", "{")):
        try:
            json.loads(text)
        except json.JSONDecodeError:
            pass  # not JSON after all: plain text that starts with a bracket
        else:
            yield from _parse_json(text, STDIN_ORIGIN)
            return
    yield RawDocument(origin=STDIN_ORIGIN, text=text)


def _is_json_object(line: str) -> bool:
    if not line.lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


# -- messages ----------------------------------------------------------------------------


def _too_large(size: int, max_bytes: int) -> str:
    return f"file too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:g} MB limit)"


def _os_message(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return exc.strerror or str(exc)
