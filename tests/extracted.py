"""Test helper: what the whole extraction pipeline reads in a short text."""

from __future__ import annotations

from cyberveille.extract import Extractor
from cyberveille.types import Article, content_id


def targets(extractor: Extractor, text: str, language: str = "en") -> set[str | None]:
    """The objects of the targeting claims read in ``text`` (English by default)."""
    article = Article(id=content_id("t", text), text=text, language=language, origin="t")
    return {c.object for c in extractor.extract(article).claims if c.kind == "targeting"}
