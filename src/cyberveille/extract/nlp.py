"""Load one spaCy pipeline per language (cached), with punctuation-based sentence bounds."""

from __future__ import annotations

import logging
import os
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from cyberveille.extract.cues import available_languages, load_rules

log = logging.getLogger(__name__)

_TERMINAL = {".", "!", "?", "…", "!»", "?»"}


@Language.component("cyberveille_sentence_bounds")
def sentence_bounds(doc: Doc) -> Doc:
    """Start sentences after terminal punctuation and at line breaks, nowhere else.

    Why by hand: the trained parsers split French news badly around hyphenated
    names and blank lines (« Royaume-Uni » cut in three); fixing boundaries before
    the parser runs makes it respect them.
    """
    for i, token in enumerate(doc):
        if i == 0:
            token.is_sent_start = True
            continue
        prev = doc[i - 1]
        if token.is_space:
            token.is_sent_start = False
        elif "\n" in prev.text or "\n" in prev.whitespace_:
            token.is_sent_start = True
        elif prev.text in _TERMINAL or (
            prev.text in {"»", "\u201d", '"'} and i > 1 and doc[i - 2].text in _TERMINAL
        ):
            token.is_sent_start = token.text[:1].isupper() or token.text[:1] in {"«", "\u201c", '"'}
        else:
            token.is_sent_start = False
    return doc


def model_name(language: str) -> str | None:
    """The trained pipeline used for ``language``: its rule file's ``spacy_model`` (the
    shipped ones are pinned in requirements/models.txt, provenance in docs/models.md);
    env CYBERVEILLE_MODEL_<LANG> overrides it."""
    override = os.environ.get(f"CYBERVEILLE_MODEL_{language.upper()}")
    if override:
        return override
    if language not in available_languages():
        return None
    return load_rules(language).spacy_model


@lru_cache(maxsize=8)
def load_pipeline(language: str) -> tuple[Language, bool]:
    """Return ``(nlp, trained)`` for ``language``.

    Languages without a trained pipeline get ``spacy.blank`` (or the multilingual
    ``xx`` tokenizer) with the sentence-bounds component: knowledge-base matching,
    CVE ids and figures still work there.
    """
    name = model_name(language)
    if name:
        try:
            nlp = spacy.load(name)
        except OSError:
            log.warning(
                "spaCy pipeline %s is not installed; using a blank %s pipeline", name, language
            )
        else:
            first = "parser" if "parser" in nlp.pipe_names else None
            nlp.add_pipe("cyberveille_sentence_bounds", before=first) if first else nlp.add_pipe(
                "cyberveille_sentence_bounds"
            )
            return nlp, True
    return blank_pipeline(language), False


def blank_pipeline(language: str) -> Language:
    """A tokenizer-only pipeline for ``language`` (``xx`` if spaCy has none), sentence bounds."""
    try:
        nlp = spacy.blank(language)
    except Exception:  # spaCy raises ImportError / ValueError for unknown codes
        nlp = spacy.blank("xx")
    nlp.add_pipe("cyberveille_sentence_bounds")
    return nlp
