"""Dates in a sentence: years, year ranges, month-year and full dates (French and English)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from cyberveille.extract.cues import RuleSet


@dataclass(frozen=True)
class DateSpan:
    """A date or a range found in text, with the character span of its surface."""

    start_date: date
    end_date: date
    start: int
    end: int


_YEAR = r"(19[89]\d|20[0-4]\d)"


class DateFinder:
    """Finds absolute dates with the language's month names (folded text in, offsets out)."""

    def __init__(self, rules: RuleSet) -> None:
        months = (
            "|".join(sorted((re.escape(m) for m in rules.months), key=len, reverse=True)) or "(?!)"
        )
        self.months = rules.months
        self._patterns: list[tuple[str, re.Pattern[str]]] = [
            (
                "range",
                re.compile(rf"\b(?:entre|between|from|de)\s+{_YEAR}\s+(?:et|and|to|a)\s+{_YEAR}\b"),
            ),
            ("range", re.compile(rf"\b{_YEAR}\s*[-/]\s*{_YEAR}\b")),
            ("dmy", re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({months})\.?\s+{_YEAR}\b")),
            ("mdy", re.compile(rf"\b({months})\.?\s+(\d{{1,2}}),?\s+{_YEAR}\b")),
            ("my", re.compile(rf"\b({months})\.?\s+(?:de\s+l'annee\s+|of\s+)?{_YEAR}\b")),
            ("iso", re.compile(rf"\b{_YEAR}-(\d{{2}})-(\d{{2}})\b")),
            (
                "y",
                re.compile(
                    rf"\b(?:en|in|depuis|since|during|durant|pendant|annee|year|debut|fin|early|late|mid)\s+(?:de\s+l'annee\s+|l'annee\s+)?{_YEAR}\b"
                ),
            ),
        ]

    def find(self, folded: str, start: int, end: int) -> list[DateSpan]:
        """Non-overlapping dates in ``folded[start:end]``, most specific pattern first."""
        found: list[DateSpan] = []
        for kind, pattern in self._patterns:
            for m in pattern.finditer(folded, start, end):
                if any(m.start() < d.end and d.start < m.end() for d in found):
                    continue
                span = self._build(kind, m)
                if span is not None:
                    found.append(span)
        return sorted(found, key=lambda d: d.start)

    def _build(self, kind: str, m: re.Match[str]) -> DateSpan | None:
        g = m.groups()
        try:
            if kind == "range":
                first, last = int(g[0]), int(g[1])
                if last < first:
                    return None
                return DateSpan(date(first, 1, 1), date(last, 12, 31), m.start(), m.end())
            if kind == "dmy":
                day = date(int(g[2]), self.months[g[1]], int(g[0]))
                return DateSpan(day, day, m.start(), m.end())
            if kind == "mdy":
                day = date(int(g[2]), self.months[g[0]], int(g[1]))
                return DateSpan(day, day, m.start(), m.end())
            if kind == "my":
                year, month = int(g[1]), self.months[g[0]]
                last_day = calendar.monthrange(year, month)[1]
                return DateSpan(
                    date(year, month, 1), date(year, month, last_day), m.start(), m.end()
                )
            if kind == "iso":
                day = date(int(g[0]), int(g[1]), int(g[2]))
                return DateSpan(day, day, m.start(), m.end())
            year = int(g[0])
            return DateSpan(date(year, 1, 1), date(year, 12, 31), m.start(), m.end())
        except (ValueError, KeyError):
            return None
