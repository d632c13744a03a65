"""Test helper: the hand-made incident views of test_export_stix, written into a store."""

from __future__ import annotations

from pathlib import Path

from cyberveille.store import Store
from cyberveille.store.views import IncidentView
from cyberveille.types import Extraction
from test_export_stix import ART_EN, ART_FR, ART_QUIET, EN_TEXT, FR_TEXT, QUIET, VIEW

VIEWS: tuple[IncidentView, ...] = (VIEW, QUIET)


def _sentences(text: str) -> tuple[str, ...]:
    parts = text.split(". ")
    return tuple(p if p.endswith(".") else p + "." for p in parts)


def fill(path: Path) -> Store:
    """A store holding the two hand-made incidents (three articles) and their claims."""
    store = Store.open(path)
    texts = {ART_FR.id: FR_TEXT, ART_EN.id: EN_TEXT, ART_QUIET.id: ART_QUIET.text}
    for view in VIEWS:
        for article in view.articles:
            mentions = tuple(m for m in view.mentions if m.article_id == article.id)
            claims = tuple(c for m in mentions for c in m.claims)
            store.save_extraction(
                Extraction(article, _sentences(texts[article.id]), (), claims, mentions)
            )
        store.save_incident(view.incident)
    return store
