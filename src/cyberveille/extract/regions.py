"""World regions named in a text ("Latin America", « Asie du Sud-Est »): spans, and a test.

A region is no country, no victim organisation, and the country names inside its name
("America" in "Latin America", « Amérique » in « Amérique du Nord ») name no country.
The names are Unicode CLDR's (through Babel) for the UN M49 regions, in each language
the project reads (cyberveille/languages.py), plus the common geopolitical names CLDR
lacks and places whose names hold a country's ("New Jersey", "New Mexico") in
rules/regions.txt.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cyberveille.extract.cues import rule_lines
from cyberveille.extract.fold import fold
from cyberveille.languages import cldr_locales


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    names: set[str] = set()
    for locale in cldr_locales():
        for code, name in locale.territories.items():
            if code.isdigit() and code != "001":  # M49 regions, not "world"
                names.add(fold(name))
    names.update(fold(line) for line in rule_lines("regions.txt"))
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def region_spans(folded: str) -> list[tuple[int, int]]:
    """The character spans of the region names in ``folded`` (text passed through
    :func:`~cyberveille.extract.fold.fold`, which keeps offsets)."""
    return [(m.start(), m.end()) for m in _pattern().finditer(folded)]


def is_region(surface: str) -> bool:
    """The phrase is a region's name, a leading article aside ("the Middle East")."""
    folded = fold(surface.strip())
    folded = re.sub(r"^(?:the|l'|la|le|les)\s*", "", folded)
    return _pattern().fullmatch(folded) is not None
