"""Length-preserving text folding (case, accents, apostrophes): regex offsets map 1:1."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_APOSTROPHES = "\u2019\u2018\u02bc\u00b4`"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _APOSTROPHES:
        return "'"
    if char in _DASHES:
        return "-"
    if char == "\u00a0" or char == "\u202f":
        return " "
    lowered = char.lower()
    if len(lowered) != 1:
        return char
    base = unicodedata.normalize("NFD", lowered)[0]
    return base if len(base) == 1 else lowered


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table filled on demand: each character is folded once."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Return ``text`` casefolded, accent-stripped, apostrophes and dashes unified.

    Why by hand: ``unicodedata`` folding and ``str.casefold`` can change the length
    of the string (``ß`` -> ``ss``); matching offsets must stay those of the original.
    """
    return text.translate(_TABLE)
