"""Normalisers for gold and predictions: names -> keys, countries -> ISO2, units -> families."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import pycountry

from cyberveille.cve import cve_ids
from cyberveille.kb.entity import Entity, KBMatch
from cyberveille.kb.normalize import split_camel_case

NOT_RECORDED = frozenset({"", "not available", "unknown", "none", "n/a", "null"})
SUPRANATIONAL = frozenset({"EU", "NATO"})
_MITRE = re.compile(r"^[GS]\d{4}$", re.IGNORECASE)


class KBLike(Protocol):
    """The part of the knowledge base the evaluation uses."""

    def lookup(self, name: str, kind: str | None = None) -> list[Entity]:
        """Entities whose name or alias equals ``name`` after normalisation."""
        ...

    def get(self, id: str) -> Entity | None:
        """The entity with this canonical id, if any."""
        ...

    def match(self, text: str) -> list[KBMatch]:
        """Every KB name found in ``text``."""
        ...


def norm(text: str) -> str:
    """Comparison form of a name: accents and case folded, only letters and digits kept."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def norm_words(text: str) -> str:
    """Like :func:`norm` but keeps single spaces between words (for containment tests)."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    cleaned = "".join(ch if ch.isalnum() else " " for ch in folded if not unicodedata.combining(ch))
    return " ".join(cleaned.split())


def is_recorded(value: str | None) -> bool:
    """False for the coders' 'Not available'/'Unknown' placeholders and empty values."""
    return value is not None and value.strip().casefold() not in NOT_RECORDED


# --- countries -------------------------------------------------------------------------

_REGION = re.compile(r"\s*\(region\)\s*$", re.IGNORECASE)
#: Former or common English names that pycountry no longer resolves.
_FORMER_NAMES = {
    "turkey": "TR",
    "swaziland": "SZ",
    "macedonia": "MK",
    "czech republic": "CZ",
    "burma": "MM",
    "ivory coast": "CI",
    "cape verde": "CV",
    "kosovo": "XK",
    "south korea": "KR",
    "north korea": "KP",
}


@lru_cache(maxsize=4096)
def country_iso2(name: str) -> str | None:
    """ISO 3166 alpha-2 code of an English country name, code, or EU/NATO.

    Handles ISO short names with inverted qualifiers ("Korea, Republic of",
    "Iran, Islamic Republic of", "Congo, the Democratic Republic of the"), common names,
    alpha-2/alpha-3 codes, and "EU (region)"/"NATO (region)". Other regions give None.

    Args:
        name: the country as written by coders or annotators.

    Returns:
        The alpha-2 code, "EU"/"NATO", or None when it is not a country.
    """
    raw = name.strip()
    if not is_recorded(raw):
        return None
    is_region = bool(_REGION.search(raw))
    base = _REGION.sub("", raw).strip()
    upper = base.upper()
    if upper in SUPRANATIONAL or upper in {"EUROPEAN UNION", "NORTH ATLANTIC TREATY ORGANIZATION"}:
        return "NATO" if "NATO" in upper or "ATLANTIC" in upper else "EU"
    if is_region:
        return None
    if base.casefold() in _FORMER_NAMES:
        return _FORMER_NAMES[base.casefold()]
    candidates = [base]
    if "," in base:
        head, _, tail = base.partition(",")
        tail = re.sub(r"^\s*the\s+", "", tail.strip(), flags=re.IGNORECASE)
        tail = re.sub(r"\s+the$", "", tail, flags=re.IGNORECASE)
        candidates.append(f"{tail} {head}".strip())
        candidates.append(head.strip())
    for cand in candidates:
        try:
            return str(pycountry.countries.lookup(cand).alpha_2)
        except LookupError:
            pass
    for cand in candidates:
        try:
            found = pycountry.countries.search_fuzzy(cand)
        except LookupError:
            continue
        if found:
            return str(found[0].alpha_2)
    return None


def country_names(iso2: str) -> set[str]:
    """English names of a country (name, common and official name), for text-support checks."""
    if iso2 in SUPRANATIONAL:
        full = "European Union" if iso2 == "EU" else "North Atlantic Treaty Organization"
        return {iso2, full}
    country = pycountry.countries.get(alpha_2=iso2)
    if country is None:
        return set()
    names = {country.name}
    for attr in ("common_name", "official_name"):
        value = getattr(country, attr, None)
        if value:
            names.add(str(value))
    if "," in country.name:
        names.add(country.name.partition(",")[0].strip())
    return names


def country_of_id(entity_id: str | None) -> str | None:
    """ISO2 of a ``country:XX`` id, else None."""
    if entity_id and entity_id.startswith("country:"):
        return entity_id.split(":", 1)[1].upper()
    return None


# --- EuRepoC actor strings ------------------------------------------------------------


@dataclass(frozen=True)
class ActorString:
    """A parsed EuRepoC actor: its aliases and, from the parenthesised part, its sponsors."""

    aliases: tuple[str, ...]
    sponsors: tuple[str, ...]


def _outside_and_inside_parentheses(value: str) -> tuple[str, list[str]]:
    """The text outside top-level parentheses (each group replaced by a space) and the
    text inside each group, nested parentheses included; an unclosed group runs to the end."""
    outside: list[str] = []
    groups: list[str] = []
    depth = 0
    for char in value:
        if char == "(":
            if depth == 0:
                groups.append("")
                outside.append(" ")
            else:
                groups[-1] += char
            depth += 1
        elif char == ")" and depth > 0:
            depth -= 1
            if depth > 0:
                groups[-1] += char
        elif depth > 0:
            groups[-1] += char
        else:
            outside.append(char)
    return "".join(outside), groups


def parse_eurepoc_actor(value: str) -> ActorString | None:
    """Parse "APT-X/Alias Y/G0000 (Agency, Sub-unit/Other)" into aliases and sponsor names.

    The part before the first parenthesis is an alias list joined by "/"; the
    parenthesised part names sponsoring agencies, separated by "," or "/"; names after
    "<" are the umbrella the actor belongs to, kept as further aliases.

    Args:
        value: one EuRepoC actor string.

    Returns:
        The parsed actor, or None for the "Not available"/"Unknown" placeholders.
    """
    if not is_recorded(value):
        return None
    names, groups = _outside_and_inside_parentheses(value)
    # "(GRU, Main Centre for Special Technologies (GTsST) Military Unit 74455)": a nested
    # parenthesis separates names like a comma
    sponsors = [
        s.strip() for inner in groups for s in re.split(r"[,/;()]", inner) if is_recorded(s.strip())
    ]
    # "APT41/BARIUM (sponsor) < Winnti Umbrella/G0044": the actor, then its umbrella
    aliases = [a.strip() for part in names.split("<") for a in part.split("/")]
    aliases = [a for a in aliases if is_recorded(a)]
    if not aliases and not sponsors:
        return None
    return ActorString(aliases=tuple(aliases), sponsors=tuple(sponsors))


# --- keys for names and entities -----------------------------------------------------

ACTOR_KINDS = ("threat_actor", "agency")


def entity_keys(entity_id: str, kb: KBLike | None) -> frozenset[str]:
    """Comparison keys for a predicted canonical id: the id, its names, its MITRE id.

    ``text:``/``org:`` ids give the normalised surface or slug.

    Args:
        entity_id: a canonical id or ``text:...``.
        kb: the knowledge base, to expand names and aliases.

    Returns:
        Keys ``id:<id>``, ``name:<norm>`` and ``mitre:<id>``.
    """
    keys = {f"id:{entity_id}"}
    prefix, _, rest = entity_id.partition(":")
    if prefix in {"text", "org"}:
        if norm(rest):
            keys.add(f"name:{norm(rest)}")
        return frozenset(keys)
    if prefix == "cve":
        keys.add(f"id:cve:{rest.upper()}")
    entity = kb.get(entity_id) if kb is not None else None
    if entity is None and prefix in {"actor", "malware", "tool"} and norm(rest):
        keys.add(f"name:{norm(rest)}")  # discovered by the extraction: its slug is its name
    if entity is not None:
        for name in (entity.name, *entity.aliases):
            if norm(name):
                keys.add(f"name:{norm(name)}")
        if entity.mitre_id:
            keys.add(f"mitre:{entity.mitre_id.upper()}")
    elif rest and prefix not in {"country", "sector"}:
        keys.add(f"name:{norm(rest)}")
    return frozenset(keys)


def name_keys(
    names: Iterable[str], kb: KBLike | None, kinds: Sequence[str] | None = None
) -> frozenset[str]:
    """Comparison keys for gold names: the ids they resolve to in the KB, and the names.

    Args:
        names: alternative names of one gold item.
        kb: the knowledge base (optional).
        kinds: accept only KB entities of these kinds (None: any).

    Returns:
        Keys ``id:<id>`` (KB resolutions, CVE ids), ``name:<norm>``, ``mitre:<id>``.
    """
    keys: set[str] = set()
    for name in names:
        name = name.strip()
        if not name:
            continue
        forms = name_forms(name)
        keys.update(f"name:{norm(f)}" for f in forms if norm(f))
        if _MITRE.match(name):
            keys.add(f"mitre:{name.upper()}")
        for cve in cve_ids(name):
            keys.add(f"id:cve:{cve}")
        if kb is not None:
            for form in forms:
                found = {e.id for e in kb.lookup(form) if kinds is None or e.kind in kinds}
                keys.update(f"id:{i}" for i in found)
                if found:
                    break
    return frozenset(keys)


#: Generic words annotators keep around a name ("the TrickBot gang", "MineBridge RAT",
#: "aka Sodinokibi"); tried off only when the whole string does not resolve.
_GENERIC_TAIL = re.compile(
    r"(?:\s*['’]\s*s|\s+(?i:group|gang|team|crew|operators?|threat actors?|actors?|rat|"
    r"ransomware|malware|backdoor|trojan|loader|botnet|family)|(?<=[a-z])RAT)$"
)
_GENERIC_HEAD = re.compile(r"^(?:aka|a\.k\.a\.?|the)\s+", re.IGNORECASE)


def name_forms(name: str) -> list[str]:
    """A gold surface, then its forms without tokenisation spaces ("APT-C - 36"), without
    generic words around the name, and its slash-separated names, most specific first."""
    forms = [name]
    joined = re.sub(r"\s*-\s*", "-", name)
    if joined != name:
        forms.append(joined)
    core = _GENERIC_HEAD.sub("", joined)
    while True:
        shorter = _GENERIC_TAIL.sub("", core).strip()
        if shorter == core or not shorter:
            break
        core = shorter
        forms.append(core)
    if core != joined and core not in forms:
        forms.append(core)
    if "/" in core:  # "APT33 / Elfin": one group under two names
        forms.extend(p.strip() for p in core.split("/") if p.strip())
    return forms


# --- figures -------------------------------------------------------------------------

_UNIT_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("money", ("usd", "eur", "gbp", "dollar", "euro", "pound", "$", "€", "£", "ransom", "money")),
    ("organisations", ("organi", "compan", "entreprise", "business", "firm", "institution")),
    ("countries", ("countr", "pays", "nation ", "states")),
    ("groups", ("group", "groupe", "gang")),
    ("records", ("record", "account", "compte", "file", "donn", "data", "email")),
    ("devices", ("server", "serveur", "device", "machine", "computer", "ordinat", "system")),
    (
        "people",
        (
            "victim",
            "people",
            "person",
            "individual",
            "user",
            "customer",
            "client",
            "national",
            "citizen",
            "employee",
            "patient",
            "member",
            "personne",
            "ressortissant",
        ),
    ),
)


def unit_family(unit: str | None) -> str:
    """Coarse family of a figure's unit (money, organisations, countries, people...).

    Args:
        unit: a unit such as "USD", "organisations", "Chinese nationals indicted".

    Returns:
        The family name, or the normalised unit when no family applies.
    """
    if not unit:
        return "count"
    low = unit.casefold()
    for family, cues in _UNIT_FAMILIES:
        if any(cue in low for cue in cues):
            return family
    return norm(unit) or "count"


def figure_keys(value: float | None, unit: str | None, *, predicted: bool) -> frozenset[str]:
    """Keys of a figure: ``family|value``; a predicted one also carries ``family|*``.

    A gold figure without a value is keyed ``family|*`` so that any predicted figure of
    the same unit family matches it.
    """
    family = unit_family(unit)
    if value is None:
        return frozenset({f"{family}|*"})
    key = f"{family}|{float(value):g}"
    return frozenset({key, f"{family}|*"}) if predicted else frozenset({key})


def text_mentions(text: str, names: Iterable[str]) -> bool:
    """Whether any of ``names`` occurs in ``text`` as whole words (case and accents folded),
    words glued in camel case read apart or not ("Brazil HackTeam" names the Brazil Hack
    Team)."""
    hays = {f" {norm_words(t)} " for t in (text, split_camel_case(text))}
    for name in names:
        for needle in {norm_words(name), norm_words(split_camel_case(name))}:
            if len(needle) >= 2 and any(f" {needle} " in hay for hay in hays):
                return True
    return False
