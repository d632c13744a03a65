"""Error values and exceptions of ingestion: a bad input is reported, never fatal to a batch."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceError:
    """An input that could not be read, reported in place of the document it should have been.

    Attributes:
        origin: Where the problem is: a file path, ``path:line`` for a JSONL line,
            ``path[i]`` for an item of a JSON list, ``<stdin>`` or ``<stdin>:line``.
        message: What is wrong, specific enough to fix the input, e.g.
            ``"invalid UTF-8 at byte 1234"``.
    """

    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


class IngestError(Exception):
    """Raised when a raw document cannot become an article (e.g. no usable text remains)."""
