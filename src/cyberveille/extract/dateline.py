"""News datelines ("TORONTO, April 19 (Reuters) - ", « PARIS (AFP) - »): text -> where the
dateline is (the story proper starts at its end; a title may come before it).

A dateline says where a story was filed and which wire carried it: the city and the agency
in it are neither victims, nor doers, nor speakers ("GREENFIELD — Hancock Health paid a
ransom": Hancock Health paid it, not Greenfield).

Why by hand: article extractors (trafilatura) keep the dateline in the text, and no
maintained library marks one; its shape is the press's convention, a city in capitals
at the start of a line, then optionally a region or a date, a wire in parentheses and a
dash.
"""

from __future__ import annotations

import re

# a city in capitals ("HONG KONG", "SAN FRANCISCO/WASHINGTON", "ST. LOUIS"), then a
# region or a date (", NC", ", Ind.", ", April 19"), a wire or a station ("(Reuters)",
# "(WITN)"), and a dash: a long one with or without spaces, a hyphen between spaces
_DATELINE = re.compile(
    r"(?m)^[ \t]*"
    r"(?P<place>[A-Z][A-Z'\u2019.\-]+(?:[ /][A-Z][A-Z'\u2019.\-]+)*)"
    r"(?:,[ \t]*[A-Z0-9][^\n()\u2014\u2013]{0,24}?)?"
    r"[ \t]*(?P<wire>\([A-Za-z][\w .&/\-]{0,30}\))?"
    r"[ \t]*(?:[\u2014\u2013]|--|(?<=[ \t)])-(?=[ \t]))[ \t]*"
)
#: How far into the text a dateline may begin (after a title line, say).
_WITHIN = 300
#: Letters a city needs when no wire follows it: "US - " or "FBI - " opens a headline.
_MIN_PLACE_LETTERS = 4


def dateline_span(text: str) -> tuple[int, int]:
    """Where a dateline opening one of the text's first lines starts and ends (the story
    starts at its end; a title may come before it), or (0, 0) when there is none."""
    for match in _DATELINE.finditer(text, 0, min(len(text), _WITHIN + 80)):
        if match.start() > _WITHIN:
            break
        letters = sum(c.isalpha() for c in match.group("place"))
        if match.group("wire") or letters >= _MIN_PLACE_LETTERS:
            return match.start(), match.end()
    return 0, 0


def dateline_end(text: str) -> int:
    """The offset where the story starts after a dateline, or 0 when there is none."""
    return dateline_span(text)[1]


def outside_dateline(start: int, end: int, dateline: tuple[int, int]) -> tuple[int, int] | None:
    """The part of the span ``[start, end)`` outside the dateline: None when the span
    lies inside it, the span cut where it crosses it."""
    first, last = dateline
    if end <= first or start >= last:
        return start, end
    if start < first:
        return start, first
    return (last, end) if end > last else None
