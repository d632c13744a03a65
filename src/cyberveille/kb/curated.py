"""Curated KB content: countries, agencies, institutions, products, sector words, actor links.

Contract: each ``*_drafts`` function reads the JSON under ``kb/data`` and returns
drafts; a leading ``?`` on a name in the data flags it ambiguous; all-caps names
are abbreviations.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import pycountry

from cyberveille.kb.draft import Draft
from cyberveille.kb.entity import InstitutionType, MatchForm
from cyberveille.kb.normalize import name_key
from cyberveille.languages import cldr_locales

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=16)
def load_data(name: str) -> dict[str, Any]:
    """Read one curated data file from ``kb/data``.

    Args:
        name: file name without extension (``countries``, ``agencies``...).

    Returns:
        The parsed JSON object.
    """
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _add(d: Draft, raw: str, form: MatchForm = "alias") -> None:
    ambiguous = raw.startswith("?")
    name = raw.lstrip("?")
    letters = name.replace(".", "").replace("-", "")
    if form == "alias" and letters.isupper() and letters.isalpha():
        form = "abbreviation"
    d.add(name, form, ambiguous=ambiguous)


def _french_forms(masc: str) -> list[str]:
    """Return the four gender/number forms of a French demonym given in the masculine.

    Why by hand: French demonyms are regular enough that a few endings cover the
    ~100 curated entries (chinois -> chinoise(s); iranien -> iranienne(s);
    russe -> russes; américain -> américaine(s)); irregular ones are written
    out in the data as ``turc|turque|turcs|turques``.
    """
    if "|" in masc:
        return masc.split("|")
    if masc.endswith("e"):
        return [masc, masc + "s"]
    if masc.endswith(("s", "x")):
        return [masc, masc + "e", masc + "es"]
    if masc.endswith(("en", "on")):
        return [masc, masc + "ne", masc + "s", masc + "nes"]
    return [masc, masc + "e", masc + "s", masc + "es"]


def _english_forms(demonym: str) -> list[str]:
    if demonym.endswith(("ese", "sh", "ch", "ss")):
        return [demonym]  # Chinese, British, French, Swiss: no plural form
    return [demonym, demonym + "s"]


def _listed_forms(demonym: str) -> list[str]:
    """A demonym's forms as the data writes them: ``a|b|c`` (languages without rules of
    inflection here list every form)."""
    return demonym.split("|")


#: How a demonym given in its base form inflects, per language.
_DEMONYM_FORMS = {"en": _english_forms, "fr": _french_forms}


def _territory_names() -> list[dict[str, str]]:
    """Country names by ISO code in each language read but English (pycountry's ISO
    names are English), from Babel; a language CLDR lacks has none."""
    return [dict(locale.territories) for locale in cldr_locales() if locale.language != "en"]


def country_drafts() -> list[Draft]:
    """Return one draft per pycountry country (id ``country:<ISO2>``).

    Names: pycountry name, common and official names (ISO's English), the name in each
    other language read (cyberveille/languages.py) from Babel, curated short forms;
    demonyms (form ``demonym``, ``demonyms_<language>``) and capitals/seats of power
    (form ``capital``) from ``data/countries.json``.

    Returns:
        Country drafts.
    """
    data = load_data("countries")
    curated: dict[str, dict[str, list[str]]] = data["countries"]
    ambiguous = {name_key(n) for n in data.get("ambiguous_names", [])}
    dropped = {name_key(n) for n in data.get("drop_names", [])}
    translated = _territory_names()
    out: list[Draft] = []
    for c in pycountry.countries:
        code = str(c.alpha_2)
        names: list[str | None] = [getattr(c, "common_name", None), str(c.name)]
        names.append(getattr(c, "official_name", None))
        names += [names_of.get(code) for names_of in translated]
        entry = curated.get(code, {})
        display = next(iter(entry.get("names") or []), None)
        canonical = getattr(c, "common_name", None) or str(c.name)
        if display and display.lstrip("?") and "," in canonical:
            canonical = display.lstrip("?")
        d = Draft(id=f"country:{code}", kind="country", name=canonical, country=code)
        d.refs.append(f"iso3166:{code}")
        for n in names:
            # pycountry's inverted forms ("Korea, Republic of") never occur in prose.
            if not n or "," in n or name_key(n) in dropped:
                continue
            _add(d, ("?" if name_key(n) in ambiguous else "") + n)
        for n in entry.get("names", []):
            _add(d, ("?" if name_key(n.lstrip("?")) in ambiguous else "") + n)
        for key, demonyms in entry.items():
            if key.startswith("demonyms_"):
                forms_of = _DEMONYM_FORMS.get(key.removeprefix("demonyms_"), _listed_forms)
                for dem in demonyms:
                    for form in forms_of(dem):
                        d.add(form, "demonym")
        for cap in entry.get("capitals", []):
            d.add(cap.lstrip("?"), "capital", ambiguous=cap.startswith("?"))
        if name_key(d.name) in ambiguous:
            d.ambiguous.add(d.name)
        out.append(d)
    return out


def _entries_drafts(file: str, key: str, kind: str) -> list[Draft]:
    out: list[Draft] = []
    for e in load_data(file)[key]:
        d = Draft(id=e["id"], kind=cast(Any, kind), name=e["name"], country=e.get("country"))
        letters = e["name"].replace("-", "").replace(".", "")
        if letters.isupper() and letters.isalpha():
            d.forms[e["name"]] = "abbreviation"
        if e.get("institution_type"):
            d.institution_type = cast(InstitutionType, e["institution_type"])
        if e.get("parent"):
            d.attrs["parent"] = e["parent"]
        if e.get("vendor"):
            d.attrs["vendor"] = e["vendor"]
        if e.get("motive"):
            d.attrs["motive"] = e["motive"]
        d.refs.append(f"curated:{file}")
        for alias in e.get("aliases", []):
            _add(d, alias)
        out.append(d)
    return out


def agency_drafts() -> list[Draft]:
    """Return the curated agency drafts (``data/agencies.json``)."""
    return _entries_drafts("agencies", "agencies", "agency")


def institution_drafts() -> list[Draft]:
    """Return the curated institution drafts (``data/institutions.json``)."""
    return _entries_drafts("institutions", "institutions", "institution")


def product_drafts() -> list[Draft]:
    """Return the curated product drafts (``data/products.json``)."""
    return _entries_drafts("products", "products", "product")


def add_sector_words(sectors: list[Draft]) -> None:
    """Add curated French/English sector words (``data/sectors.json``) to the galaxy sectors.

    Args:
        sectors: the drafts from ``galaxies.sector_drafts`` (modified in place).
    """
    by_name = {d.name: d for d in sectors}
    for sector, words in load_data("sectors")["sectors"].items():
        if sector not in by_name:
            log.warning("sectors.json: %r is not a MISP sector name, skipped", sector)
            continue
        for w in words:
            _add(by_name[sector], w)


def extra_actor_drafts() -> list[Draft]:
    """Return the curated threat actors missing from the galaxies (``data/actors.json``)."""
    return _entries_drafts("actors", "extra_actors", "threat_actor")


def actor_links() -> dict[str, dict[str, Any]]:
    """Return curated actor facts keyed by actor name (``data/actors.json`` links)."""
    links: dict[str, dict[str, Any]] = load_data("actors")["links"]
    return links


def not_actor_names() -> list[str]:
    """Return names that galaxies give to threat actors but that name something better
    known in security news (``data/actors.json`` ``not_actor_names``: "UPS", the
    carrier whose brand lures spoof, is an alias of APT3)."""
    names: list[str] = load_data("actors").get("not_actor_names", [])
    return names


def not_software_names() -> list[str]:
    """Return names of technologies that no malware family or tool is called by alone
    (``data/products.json`` ``not_software``: "Python", "PHP", "AutoIt")."""
    names: list[str] = load_data("products").get("not_software", [])
    return names


def tool_names() -> list[str]:
    """Return names of software whose identity is a dual-use tool."""
    names: list[str] = load_data("actors")["tools"]
    return names
