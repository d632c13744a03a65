"""The languages cyberveille reads: those with a rule file, in the package's
``extract/rules`` or in the folder named by ``CYBERVEILLE_RULES_DIR``.

Adding a language is adding its ``<code>.json`` rule file (cue words, lemma lists and
the name of its trained spaCy pipeline, ``spacy_model``); the other per-language data
(country and region names, dates, number formats) then come from Babel and dateparser
for that code. A rule file in ``CYBERVEILLE_RULES_DIR`` stands in for the package's of
the same name. This module imports nothing heavy: ingestion reads it too.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel import Locale

log = logging.getLogger(__name__)

#: Environment variable naming a folder of extra (or replacing) rule files.
RULES_DIR_ENV = "CYBERVEILLE_RULES_DIR"
#: The package's own rule files.
PACKAGE_RULES = Path(__file__).parent / "extract" / "rules"
#: The rule file every language falls back on (language-independent cues).
COMMON = "common.json"


def rule_dirs() -> list[Path]:
    """Where rule files are looked for, first match wins: the user's folder, the package's."""
    extra = os.environ.get(RULES_DIR_ENV)
    return [Path(extra), PACKAGE_RULES] if extra else [PACKAGE_RULES]


def rule_file(language: str) -> Path:
    """The rule file of ``language``, else the common one (no language of its own)."""
    for folder in rule_dirs():
        path = folder / f"{language}.json"
        if path.is_file():
            return path
    return PACKAGE_RULES / COMMON


def rule_entries(key: str) -> list[Any]:
    """The entries of a top-level list ``key`` in the rule file of every language read
    (``dateline_cues``), read without compiling the rules."""
    entries: list[Any] = []
    for code in available_languages():
        path = rule_file(code)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"rule file {path} cannot be read: {error}") from error
        entries += data.get(key, ())
    return entries


def cldr_locales() -> list[Locale]:
    """The languages read that Unicode CLDR (through Babel) has data for: their country,
    region, month and day names; a code it lacks is left out, with a warning (its rule
    file still works, without those names)."""
    from babel import Locale
    from babel.core import UnknownLocaleError

    locales: list[Locale] = []
    for code in available_languages():
        try:
            locales.append(Locale.parse(code))
        except (UnknownLocaleError, ValueError):
            log.warning("no CLDR data for language %r: read without its place and date names", code)
    return locales


def available_languages() -> list[str]:
    """Languages that have a rule file of their own (ISO 639-1 codes), sorted."""
    codes: set[str] = set()
    for folder in rule_dirs():
        if folder.is_dir():
            codes.update(
                p.stem for p in folder.iterdir() if p.suffix == ".json" and p.name != COMMON
            )
    return sorted(codes)
