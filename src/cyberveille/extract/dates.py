"""Dates in a sentence: years, year ranges, month-year and full dates, and, against the
publication date, relative ones ("last week", « lundi », "two months ago", "in March")."""

from __future__ import annotations

import calendar
import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from cyberveille.extract.cues import RuleSet


@dataclass(frozen=True)
class DateSpan:
    """A date or a range found in text, with the character span of its surface."""

    start_date: date
    end_date: date
    start: int
    end: int


_YEAR = r"(19[89]\d|20[0-4]\d)"


def _alternatives(words: Iterable[Any] | None) -> str:
    """A regex alternation of the words, longest first; one that never matches if none."""
    escaped = sorted((re.escape(str(w)) for w in words or ()), key=len, reverse=True)
    return "|".join(escaped) or "(?!)"


class DateFinder:
    """Finds dates with the language's month names and relative-date words (folded text
    in, offsets out); relative ones only when the publication date is known."""

    def __init__(self, rules: RuleSet) -> None:
        months = _alternatives(rules.months)
        self.months = rules.months
        self.relative = rules.relative_dates
        self.number_words = rules.number_words
        self._relative_patterns = self._compile_relative(months)
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

    def _compile_relative(self, months: str) -> list[tuple[str, re.Pattern[str]]]:
        relative = self.relative
        if not relative:
            return []
        units = _alternatives(relative.get("units"))
        number = rf"\d{{1,3}}|{_alternatives(self.number_words)}"
        patterns = [
            (
                "phrase",
                re.compile(rf"(?<![\w'-])(?:{_alternatives(relative.get('phrases'))})(?![\w'-])"),
            ),
            ("md", re.compile(rf"\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s+\d)")),
            ("dm", re.compile(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({months})\b(?!\.?\s+\d)")),
            (
                "m",
                re.compile(
                    rf"\b(?:{_alternatives(relative.get('month_prefixes'))})\s+({months})\b(?!\.?\s+\d)"
                ),
            ),
            ("weekday", re.compile(rf"\b({_alternatives(relative.get('weekdays'))})\b")),
        ]
        if relative.get("ago_after"):
            after = _alternatives(relative["ago_after"])
            patterns.append(("ago", re.compile(rf"\b({number})\s+({units})\s+(?:{after})\b")))
        if relative.get("ago_before"):
            before = _alternatives(relative["ago_before"])
            patterns.append(("ago", re.compile(rf"\b(?:{before})\s+({number})\s+({units})\b")))
        return patterns

    def find(
        self, folded: str, start: int, end: int, published: date | None = None
    ) -> list[DateSpan]:
        """Non-overlapping dates in ``folded[start:end]``, most specific pattern first;
        relative dates too when ``published`` (the article's date) is given."""
        found: list[DateSpan] = []
        for kind, pattern in self._patterns:
            for m in pattern.finditer(folded, start, end):
                if any(m.start() < d.end and d.start < m.end() for d in found):
                    continue
                span = self._build(kind, m)
                if span is not None:
                    found.append(span)
        if published is not None:
            for kind, pattern in self._relative_patterns:
                for m in pattern.finditer(folded, start, end):
                    if any(m.start() < d.end and d.start < m.end() for d in found):
                        continue
                    span = self._resolve(kind, m, published)
                    if span is not None:
                        found.append(span)
        return self._ranges(folded, sorted(found, key=lambda d: d.start))

    def _ranges(self, folded: str, found: list[DateSpan]) -> list[DateSpan]:
        """Two dates joined as a range (rules ``relative_dates``: ``range_openers`` before
        the first, ``range_joiners`` between: "between May 2 and May 9, 2024") made one; a
        first date read without its year takes the second's where it would come after."""
        openers = self.relative.get("range_openers", ()) if self.relative else ()
        joiners = self.relative.get("range_joiners", ()) if self.relative else ()
        if not openers or not joiners:
            return found
        out: list[DateSpan] = []
        i = 0
        while i < len(found):
            first = found[i]
            if i + 1 < len(found):
                second = found[i + 1]
                between = folded[first.end : second.start].strip(" ,")
                lead_start = max(0, first.start - 20)
                opener = re.search(
                    rf"(?<![\w'])(?:{_alternatives(openers)})\s+$", folded[lead_start : first.start]
                )
                start_date = first.start_date
                if start_date > second.end_date:
                    with contextlib.suppress(ValueError):  # 29 February
                        start_date = start_date.replace(year=second.end_date.year)
                if between in joiners and opener is not None and start_date <= second.end_date:
                    start = lead_start + opener.start()
                    out.append(DateSpan(start_date, second.end_date, start, second.end))
                    i += 2
                    continue
            out.append(first)
            i += 1
        return out

    def _resolve(self, kind: str, m: re.Match[str], published: date) -> DateSpan | None:
        """A relative date read against the publication date."""
        first: date
        last: date
        try:
            if kind == "phrase":
                unit, offset = self.relative["phrases"][m.group(0)]
                first, last = _period(unit, offset, published)
            elif kind == "ago":
                raw = m.group(1)
                count = int(raw) if raw.isdigit() else int(self.number_words.get(raw, 0))
                if count <= 0:
                    return None
                first, last = _period(self.relative["units"][m.group(2)], -count, published)
            elif kind == "weekday":
                back = (published.weekday() - self.relative["weekdays"][m.group(1)]) % 7
                first = last = published - timedelta(days=back)
            elif kind in ("md", "dm"):
                month_word, day_word = (m.group(1), m.group(2)) if kind == "md" else m.group(2, 1)
                month, day = self.months[month_word], int(day_word)
                year = published.year - ((month, day) > (published.month, published.day))
                first = last = date(year, month, day)
            else:  # a month without its year: the last one up to the publication
                month = self.months[m.group(1)]
                year = published.year - (month > published.month)
                first = date(year, month, 1)
                last = date(year, month, calendar.monthrange(year, month)[1])
        except (ValueError, KeyError):
            return None
        return DateSpan(first, last, m.start(), m.end())

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


def _period(unit: str, offset: int, published: date) -> tuple[date, date]:
    """The day, calendar week (Monday first), month or year ``offset`` units from the
    publication date's; the current one ends at the publication date."""
    if unit == "day":
        day = published + timedelta(days=offset)
        return day, day
    if unit == "week":
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
        return monday, min(published, monday + timedelta(days=6))
    if unit == "month":
        index = published.year * 12 + published.month - 1 + offset
        year, month = divmod(index, 12)
        first = date(year, month + 1, 1)
        last = date(year, month + 1, calendar.monthrange(year, month + 1)[1])
        return first, min(published, last)
    year = published.year + offset
    return date(year, 1, 1), min(published, date(year, 12, 31))
