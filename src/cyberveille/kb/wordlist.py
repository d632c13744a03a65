"""Ordinary-word test: is a one-word name also an English or French dictionary word?

Contract: ``ordinary_words()`` returns the folded dictionary (English WordNet lemma
index and lemma lookup, the frequent words of the English lexeme probability table,
French lemma lookup and index from spacy-lookups-data, spaCy stop words); it is empty,
with a logged warning, when spacy-lookups-data is missing.
``is_ordinary_word(name, words)`` applies the test used for ambiguity.
"""

from __future__ import annotations

import gzip
import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from cyberveille.kb.normalize import name_key
from cyberveille.languages import cldr_locales

log = logging.getLogger(__name__)

_TABLES = ("en_lemma_index", "en_lemma_lookup", "fr_lemma_lookup", "fr_lemma_index")
#: English words at least this frequent (log probability in spaCy's lexeme table), and
#: more often in lowercase than capitalised, are ordinary even when WordNet lacks them
#: ("offline", "online", "login").
FREQUENT_LOG_PROB = -14.0


def _lookups_dir() -> Path | None:
    try:
        import spacy_lookups_data
    except ImportError:
        return None
    return Path(spacy_lookups_data.__file__).parent / "data"


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Return the folded set of English and French dictionary words.

    Returns:
        Folded words (see ``name_key``); empty when spacy-lookups-data is absent.
    """
    words: set[str] = set()
    directory = _lookups_dir()
    if directory is None:
        log.warning("spacy-lookups-data not installed: no word is flagged as ordinary")
    else:
        for table in _TABLES:
            path = directory / f"{table}.json.gz"
            if not path.exists():
                continue
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                data = json.load(fh)
            if table.endswith("_index"):
                for entries in data.values():
                    words.update(entries)
            else:
                words.update(data)
        frequent = directory / "en_lexeme_prob.json.gz"
        if frequent.exists():
            with gzip.open(frequent, "rt", encoding="utf-8") as fh:
                probs = json.load(fh)
            # written in lowercase more often than capitalised: a word, not a brand
            # ("offline" yes; "microsoft", "google", "london" no)
            words.update(
                w
                for w, p in probs.items()
                if p >= FREQUENT_LOG_PROB
                and w.islower()
                and p > probs.get(w.capitalize(), float("-inf"))
            )
    try:
        from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
        from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP

        words.update(EN_STOP)
        words.update(FR_STOP)
    except ImportError:  # pragma: no cover - spaCy is a dependency
        pass
    return frozenset(name_key(w) for w in words if w and w.isalpha())


def is_ordinary_word(name: str, words: frozenset[str]) -> bool:
    """Tell whether ``name`` is a single word that is also a dictionary word.

    The test is deliberately narrow: one token of letters only (after folding),
    found in ``words``. Multi-word names (« Wizard Spider ») and names with digits
    are never ordinary.

    Args:
        name: a name or alias.
        words: the folded dictionary from ``ordinary_words()``.

    Returns:
        True when the name is an ordinary word.
    """
    key = name_key(name)
    return bool(key) and " " not in key and key.isalpha() and key in words


@lru_cache(maxsize=1)
def month_names() -> frozenset[str]:
    """Month names in each language read (cyberveille/languages.py), wide and
    abbreviated, folded (``name_key``), of more than three letters ("august", "aout",
    "sept"; not "may", "mai")."""
    from babel.dates import get_month_names

    return _folded_names(get_month_names)


@lru_cache(maxsize=1)
def day_names() -> frozenset[str]:
    """Weekday names in each language read, folded, of more than three letters."""
    from babel.dates import get_day_names

    return _folded_names(get_day_names)


def _folded_names(table: Any) -> frozenset[str]:
    names = (
        str(n)
        for locale in cldr_locales()
        for width in ("wide", "abbreviated")
        for n in table(width, locale=locale).values()
    )
    return frozenset(k for k in (name_key(n) for n in names) if len(k) > 3)
