"""Test helper: what the whole extraction pipeline reads in a short text."""

from __future__ import annotations

from cyberveille.extract import Extractor
from cyberveille.types import Article, Extraction, content_id


def extracted(extractor: Extractor, text: str, language: str = "en") -> Extraction:
    """What the pipeline reads in ``text`` (English by default), as one article."""
    article = Article(id=content_id("t", text), text=text, language=language, origin="t")
    return extractor.extract(article)


def targets(extractor: Extractor, text: str, language: str = "en") -> set[str | None]:
    """The objects of the targeting claims read in ``text`` (English by default)."""
    return {c.object for c in extracted(extractor, text, language).claims if c.kind == "targeting"}
