"""Build the KnowledgeBase from galaxies + curated data + overrides, with an on-disk pickle cache.

Contract: ``build_kb(entries)`` assembles and compiles a fresh KB;
``cached_kb(overrides)`` returns it from the cache file under
``platformdirs.user_cache_dir("cyberveille")`` when package versions, KB code,
data files and overrides are unchanged, else builds and (if writable) stores it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import tempfile
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import Any

import platformdirs

from cyberveille.kb import curated, galaxies
from cyberveille.kb.base import KnowledgeBase
from cyberveille.kb.draft import Draft
from cyberveille.kb.entity import EntityKind
from cyberveille.kb.ids import LOCK_FILE, apply_locked_ids, read_lock
from cyberveille.kb.matcher import CASE_ANY, CASE_NOT_LOWER, CASE_UPPER, NameMatcher, Target
from cyberveille.kb.normalize import fold_text, name_key, pattern_variants
from cyberveille.kb.overrides import apply_overrides, read_overrides
from cyberveille.kb.wordlist import day_names, is_ordinary_word, month_names, ordinary_words
from cyberveille.languages import available_languages

log = logging.getLogger(__name__)

# When one folded pattern names several entities, the text matcher picks one:
# a proper name before a demonym/capital, then by kind in this order (a country
# before an institution named after it, an actor before its namesake malware).
_KIND_RANK: dict[EntityKind, int] = {
    "country": 0,
    "institution": 1,
    "agency": 2,
    "threat_actor": 3,
    "malware": 4,
    "tool": 5,
    "product": 6,
    "sector": 7,
}
#: Kinds whose names come from the galaxies: a name of ordinary words, or a camel-case name
#: cut into words, is theirs only when written with capitals.
_GALAXY_NAMED = ("malware", "tool", "threat_actor")
_PACKAGES = ("cyberveille", "pymispgalaxies", "pycountry", "babel", "pyahocorasick")
_CACHE_FORMAT = "1"


def _assemble() -> tuple[dict[str, Draft], dict[str, str]]:
    """All drafts by id, and the redirects from retired ids (see ``kb.ids``)."""
    words = ordinary_words()
    countries = curated.country_drafts()
    excluded = frozenset(name_key(a) for d in countries for a in d.forms)
    not_actors = excluded | {name_key(n) for n in curated.not_actor_names()}
    actors = galaxies.actor_drafts(not_actors, words) + curated.extra_actor_drafts()
    products = curated.product_drafts()
    # A product's name ("Android", "Windows") is never a malware alias, nor is a
    # technology's ("Python", "DDE": names some galaxies give ransomware families).
    not_software = excluded | {name_key(a) for d in products for a in d.forms}
    not_software |= {name_key(n) for n in curated.not_software_names()}
    software = galaxies.software_drafts(not_software, words, curated.tool_names())
    sectors = galaxies.sector_drafts()
    curated.add_sector_words(sectors)
    for d in sectors:
        for alias in d.forms:
            if " " not in name_key(alias):
                d.ambiguous.add(alias)  # sector words are ordinary words
    named = curated.agency_drafts() + curated.institution_drafts() + products
    for d in named:
        for alias in d.forms:
            letters = "".join(c for c in alias if c.isalpha())
            if letters.isupper() and len(letters) <= 3:
                continue  # matched only in capitals ("MSS"), so not the word "mss"
            if is_ordinary_word(alias, words):
                d.ambiguous.add(alias)
    _link_actors(actors)
    redirects = apply_locked_ids([*actors, *software], read_lock())
    drafts: dict[str, Draft] = {}
    for d in [*countries, *actors, *software, *sectors, *named]:
        if d.id in drafts:
            log.warning("duplicate KB id %s: the later definition wins", d.id)
        drafts[d.id] = d
    return drafts, redirects


def _link_actors(actors: list[Draft]) -> None:
    """Apply curated sponsor/country links (``data/actors.json``) to actor drafts."""
    by_name: dict[str, Draft] = {}
    for d in actors:
        for alias in d.forms:
            by_name.setdefault(name_key(alias), d)
    for d in actors:  # canonical names take precedence over aliases
        by_name[name_key(d.name)] = d
    for name, facts in curated.actor_links().items():
        actor = by_name.get(name_key(name))
        if actor is None:
            log.warning("actors.json: no actor named %r in the galaxies", name)
            continue
        if "sponsor" in facts:
            actor.sponsor = facts["sponsor"]
        if "country" in facts:
            actor.country = facts["country"]
        if "motive" in facts:
            actor.attrs["motive"] = facts["motive"]
        for alias in facts.get("aliases", []):
            actor.add(alias)


def _case_rule(alias: str, draft: Draft) -> int:
    letters = "".join(c for c in alias if c.isalpha())
    if letters and letters.isupper() and len(letters) <= 3 and not any(c.isdigit() for c in alias):
        return CASE_UPPER  # "US", "MSS"; but "APT40" has digits and is distinctive in any case
    if draft.forms.get(alias) == "abbreviation":
        return CASE_NOT_LOWER
    words = fold_text(alias)[0].split()
    if len(words) > 1 and draft.kind in _GALAXY_NAMED:
        ordinary = ordinary_words()
        if all(w in ordinary or w.isdigit() for w in words):
            return CASE_NOT_LOWER  # "phone number", "remote control": the phrase, not a name
    if alias in draft.ambiguous and draft.kind != "sector" and draft.forms[alias] != "demonym":
        # An ordinary word written all in lowercase is the word, not the name.
        return CASE_NOT_LOWER
    return CASE_ANY


def _compile(drafts: dict[str, Draft]) -> tuple[dict[str, tuple[str, ...]], NameMatcher]:
    index: dict[str, list[str]] = {}
    for d in drafts.values():  # canonical names first so lookup lists them first
        index.setdefault(name_key(d.name), []).append(d.id)
    for d in drafts.values():
        for alias in d.forms:
            ids = index.setdefault(name_key(alias), [])
            if d.id not in ids:
                ids.append(d.id)
    best: dict[str, tuple[tuple[int, int, str], Target]] = {}
    calendar = month_names() | day_names()
    for d in drafts.values():
        for alias, form in d.forms.items():
            if alias in d.lookup_only or name_key(alias) in calendar:
                continue  # "August" alone is the month, whatever else it names
            target = Target(
                entity_id=d.id,
                kind=d.kind,
                form=form,
                ambiguous=alias in d.ambiguous,
                case=_case_rule(alias, d),
            )
            rank = (int(form in ("demonym", "capital")), _KIND_RANK[d.kind], d.id)
            # a camel-case name cut into words ("PhoneNumber" -> "phone number") is that
            # name only when written with capitals
            split = replace(target, case=max(target.case, CASE_NOT_LOWER))
            if d.kind not in _GALAXY_NAMED:
                split = target
            words = fold_text(alias)[0].split()
            for pattern in pattern_variants(alias):
                if len(pattern.replace(" ", "")) < 2:
                    continue  # guard: a one-letter pattern would match everywhere
                # spaces next to digits ("apt 40") are spacing variants, not camel cuts
                letters_only = re.sub(r"(?<=\d) | (?=\d)", "", pattern)
                chosen = split if len(letters_only.split()) > len(words) else target
                current = best.get(pattern)
                if current is None or rank < current[0]:
                    best[pattern] = (rank, chosen)
    matcher = NameMatcher({p: t for p, (_, t) in best.items()})
    return {k: tuple(v) for k, v in index.items()}, matcher


def _data_hash(overrides_text: str) -> str:
    h = hashlib.sha256()
    for path in [*sorted(curated.DATA_DIR.glob("*.json")), LOCK_FILE]:
        if not path.is_file():
            continue
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(overrides_text.encode())
    # the languages read name countries and months (Babel), so they shape the KB too
    h.update(",".join(available_languages()).encode())
    return h.hexdigest()


def _code_hash() -> str:
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def _versions() -> str:
    parts = []
    for pkg in (*_PACKAGES, "spacy-lookups-data"):
        try:
            parts.append(f"{pkg}={metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{pkg}=none")
    return ";".join(parts)


def build_kb(
    entries: list[dict[str, Any]] | None = None, overrides_text: str = ""
) -> KnowledgeBase:
    """Build a KB from scratch (no cache).

    Args:
        entries: override entries (see ``kb.overrides``) applied last.
        overrides_text: the raw overrides file text (part of the version hash).

    Returns:
        The compiled KnowledgeBase.
    """
    drafts, redirects = _assemble()
    if entries:
        apply_overrides(drafts, entries)
    entities = {i: d.freeze() for i, d in sorted(drafts.items())}
    index, matcher = _compile(drafts)
    version = (
        f"pymispgalaxies {galaxies.galaxies_version()} + curated {_data_hash(overrides_text)[:8]}"
    )
    redirects = {old: new for old, new in redirects.items() if new in entities}
    return KnowledgeBase(entities, index, matcher, version, redirects)


def cached_kb(overrides: Path | None = None) -> KnowledgeBase:
    """Return the KB from the on-disk cache, building and storing it when stale.

    Args:
        overrides: optional overrides JSON file.

    Returns:
        The KnowledgeBase.
    """
    text = overrides.read_text(encoding="utf-8") if overrides else ""
    key = hashlib.sha256(
        "\x1f".join([_CACHE_FORMAT, _versions(), _code_hash(), _data_hash(text)]).encode()
    ).hexdigest()[:24]
    cache_dir = Path(platformdirs.user_cache_dir("cyberveille"))
    path = cache_dir / f"kb-{key}.pickle"
    try:
        with path.open("rb") as fh:
            kb = pickle.load(fh)
        if isinstance(kb, KnowledgeBase):
            return kb
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    entries = read_overrides(overrides) if overrides else None
    kb = build_kb(entries, text)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".kb-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old or the new file
    except OSError as exc:
        log.warning("KB cache not written (%s): built in memory", exc)
    return kb
