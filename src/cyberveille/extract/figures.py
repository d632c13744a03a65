"""Impact figures in a sentence: a number (digits, words or a vague quantity) and its unit."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

from babel.core import UnknownLocaleError
from babel.numbers import get_decimal_symbol

from cyberveille.extract.cues import RuleSet

_DIGITS = r"\d{1,3}(?:[ .,\u202f\u00a0]\d{3})+(?![\d])|\d+(?:[.,]\d+)?"
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
_MONEY = {"USD", "EUR", "GBP", "bitcoin"}
_QUALIFIER = re.compile(r"\s*[a-z][a-z-]{2,19}\s+")  # one word of letters before a unit


#: The word right before a number, and what precedes it in the sentence.
_WORD_BEFORE = re.compile(r"(\S+)\s+$")


def _in_name(text: str, sentence_start: int, position: int, months: Container[str]) -> bool:
    """The number at ``position`` follows a capitalised word, no possessive nor month
    name, that does not open the sentence (an acronym may): it is part of a name
    ("Windows 10", "APT 40"), not a count ("About 300 firms", "Acme's 300 customers", "in
    March 300 firms")."""
    before = _WORD_BEFORE.search(text, max(sentence_start, position - 40), position)
    if before is None:
        return False
    word = before.group(1)
    if not word.replace("-", "").isalpha() or not word[:1].isupper():
        return False
    if word.casefold() in months:
        return False
    opens = not text[sentence_start : before.start()].strip()
    return (len(word) > 1 and word.isupper()) or not opens


@dataclass(frozen=True)
class Figure:
    """A figure found in text: value (None when vague), unit, and its character span."""

    value: float | None
    unit: str
    start: int
    end: int


@lru_cache(maxsize=32)
def _decimal_comma(language: str) -> bool:
    try:
        return get_decimal_symbol(language) == ","
    except (UnknownLocaleError, ValueError):
        return False


def parse_number(raw: str, language: str) -> float | None:
    """Parse digits written the French or English way ("30.000", "30 000", "30,000", "2,5"):
    a lone comma is the decimal mark where the language's is (CLDR, through Babel)."""
    compact = raw.replace("\u202f", " ").replace("\u00a0", " ")
    if re.fullmatch(r"\d{1,3}(?:[ .,]\d{3})+", compact):
        separators = set(re.findall(r"[ .,]", compact))
        if len(separators) == 1:
            return float(re.sub(r"[ .,]", "", compact))
        return None
    if "," in compact:
        compact = compact.replace(",", "." if _decimal_comma(language) else "")
    try:
        return float(compact)
    except ValueError:
        return None


class FigureFinder:
    """Finds figures in folded sentence text with the language's number and unit words."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        words = sorted(rules.number_words, key=len, reverse=True)
        scales = sorted(rules.scale_words, key=len, reverse=True)
        vague = [re.escape(c.pattern) for c in rules["vague_quantities"].cues]
        number_alt = [_DIGITS] + [re.escape(w).replace(r"\ ", r"\s+") for w in words]
        scale_alt = "|".join(re.escape(s) for s in scales) or "(?!)"
        vague_alt = "|".join(vague) or "(?!)"
        self._regex = re.compile(
            rf"(?<![\w.,])(?P<cur>[$€£]\s?)?(?:(?P<num>{'|'.join(number_alt)})|(?P<vague>{vague_alt}))"
            rf"(?:\s+(?P<scale>{scale_alt}))?(?![\w])"
        )
        self._filler = re.compile(
            r"\s*(?:(?:de|d'|des|of|the|plus de|more than|au moins|at least)\s*)?"
        )

    def find(self, folded: str, start: int, end: int, text: str | None = None) -> list[Figure]:
        """Figures in ``folded[start:end]``; offsets refer to the whole text. With the
        original ``text``, a number that is part of a name is none ("Windows 10 devices",
        "APT 40 attacked universities", "the Mate 20 Pro model phones")."""
        figures: list[Figure] = []
        for m in self._regex.finditer(folded, start, end):
            if (
                text is not None
                and m.group("num")
                and _in_name(text, start, m.start(), self.rules.months)
            ):
                continue
            scale = self.rules.scale_words.get(m.group("scale") or "", 1.0)
            value: float | None
            if m.group("num"):
                raw = m.group("num")
                value = (
                    parse_number(raw, self.rules.language)
                    if raw[0].isdigit()
                    else self.rules.number_words.get(re.sub(r"\s+", " ", raw))
                )
                if value is None:
                    continue
                if value == 1 and not raw[0].isdigit() and not m.group("scale"):
                    continue  # « dans un dossier distinct », "one server": an article, no count
                value *= scale
            else:
                if not m.group("scale"):
                    continue  # "plusieurs entreprises": no figure
                value = None
            unit = _CURRENCY_SYMBOLS.get((m.group("cur") or "").strip())
            unit_end = m.end()
            factor = 1.0
            if unit is None:
                unit, unit_end, factor = self._unit_after(folded, m.end(), end)
            if unit is None:
                continue
            if value is not None:
                value *= factor  # "1.2 terabytes" = 1.2e12 bytes
            if value is None and unit not in _MONEY:
                continue
            if self._sources(folded, unit_end, end):
                continue  # "three people familiar with the matter": who told, not a figure
            if unit in _MONEY and self._offered(folded, start, m.start()):
                continue  # "a reward of up to $10 million": no cost of the incident
            plain_integer = bool(m.group("num")) and m.group("num").isdigit()
            looks_like_year = plain_integer and value is not None and 1900 <= value <= 2100
            if looks_like_year and unit not in _MONEY and not m.group("scale"):
                continue  # a year, not a count
            figures.append(Figure(value, unit, m.start(), unit_end))
        return figures

    def _sources(self, folded: str, position: int, end: int) -> bool:
        """The counted ones are the outlet's sources: a phrase of rules
        ``anonymous_sources`` follows within a word ("familiar with", « proches du
        dossier »)."""
        hits = self.rules["anonymous_sources"].find(folded, position, min(end, position + 40))
        return bool(hits) and len(folded[position : hits[0].start].split()) <= 1

    def _offered(self, folded: str, start: int, position: int) -> bool:
        """A sum is offered or imposed: a phrase of rules ``offered_sums`` ends at most a
        word before it ("a reward of up to $10 million", « une amende de »)."""
        hits = self.rules["offered_sums"].find(folded, max(start, position - 40), position)
        return any(len(folded[h.end : position].split()) <= 1 for h in hits)

    def _stop(self, folded: str, start: int, end: int) -> bool:
        """The word in ``folded[start:end]`` (spaces around it) qualifies no unit: a word
        of rules ``figure_qualifier_stops`` (a function word, a time word, a verb)."""
        word = folded[start:end].strip()
        return any(
            folded[h.start : h.end] == word
            for h in self.rules["figure_qualifier_stops"].find(folded, start, end)
        )

    def _unit_after(self, folded: str, position: int, end: int) -> tuple[str | None, int, float]:
        """The unit right after a number, where it ends, and the factor from its word to
        the unit (rules ``figure_units``; a cue's ``factor``: "terabytes" are 1e12 bytes)."""
        filler = self._filler.match(folded, position, end)
        cursor = filler.end() if filler else position
        # the unit right there, else after one or two qualifying words ("40,000 internal
        # emails", "113 million personal health records"); never across a number or
        # punctuation
        starts = [cursor]
        for _ in range(2):
            qualifier = _QUALIFIER.match(folded, starts[-1], end)
            if qualifier is None or self._stop(folded, qualifier.start(), qualifier.end()):
                break  # "10 and Windows Server", "2 days before voters": no qualifier
            starts.append(qualifier.end())
        for start in starts:
            for hit in self.rules["figure_units"].find(folded, start, min(end, start + 40)):
                if hit.start - start <= 1:
                    return str(hit.cue.get("label")), hit.end, float(hit.cue.get("factor", 1.0))
                break
        return None, position, 1.0
