"""The country of a state, province or region named in a text ("Texas" -> US, « Isère » -> FR).

The names are ISO 3166-2's, as pycountry ships them (often in the local language:
"Bayern", « Bretagne »). A name several countries' subdivisions share ("Punjab",
"Central"), made of words many countries' names share ("East"), or that is also a
country's ("Georgia") gives none.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import pycountry

from cyberveille.extract.fold import fold

#: A word found in the subdivision names of this many countries is generic ("East",
#: "North", "Region"): a name made of such words alone names no one place.
_GENERIC_IN_COUNTRIES = 4


@lru_cache(maxsize=1)
def _countries_by_name() -> dict[str, str]:
    codes: dict[str, set[str]] = defaultdict(set)
    by_word: dict[str, set[str]] = defaultdict(set)
    for subdivision in pycountry.subdivisions:
        name = fold(subdivision.name)
        codes[name].add(subdivision.country_code)
        for word in name.split():
            by_word[word].add(subdivision.country_code)
    return {
        name: next(iter(found))
        for name, found in codes.items()
        if len(found) == 1
        and not all(len(by_word[w]) >= _GENERIC_IN_COUNTRIES for w in name.split())
    }


def country_of_subdivision(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of the one country with a subdivision so named, or None."""
    key = fold(name.strip())
    code = _countries_by_name().get(key)
    if code is None or len(key) < 4:
        return None
    try:
        pycountry.countries.lookup(name.strip())
    except LookupError:
        return code
    return None  # "Georgia": the country's name first
