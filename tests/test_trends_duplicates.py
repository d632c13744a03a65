"""Near-duplicate incidents for trends: the same wire story grouped apart counts once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from cyberveille.duplicates import link_article
from cyberveille.incidents import opened_incident
from cyberveille.store import Store
from cyberveille.trends import near_duplicate_incidents
from cyberveille.types import Extraction, content_id
from test_store import french_extraction


def _copy(ex: Extraction, url: str) -> Extraction:
    """The same story under another outlet's URL (so another article id)."""
    aid = content_id(url)
    article = replace(ex.article, id=aid, url=url)
    mentions = tuple(replace(m, article_id=aid) for m in ex.incident_mentions)
    claims = tuple(replace(c, evidence=replace(c.evidence, article_id=aid)) for c in ex.claims)
    mention_claims = tuple(
        replace(
            m,
            claims=tuple(
                replace(c, evidence=replace(c.evidence, article_id=aid)) for c in m.claims
            ),
        )
        for m in mentions
    )
    return replace(ex, article=article, claims=claims, incident_mentions=mention_claims)


def _open_each(store: Store, ex: Extraction) -> list[str]:
    ids = []
    for m in ex.incident_mentions:
        incident = opened_incident(m, m.keys, "test")
        store.save_incident(incident)
        ids.append(incident.id)
    return ids


def test_wire_copy_grouped_apart_counts_once(tmp_path: Path) -> None:
    original = french_extraction()
    copy = _copy(original, "https://example.org/wire/rouen")
    with Store.open(tmp_path / "d.sqlite") as store:
        for ex in (original, copy):
            store.save_extraction(ex)
            link_article(store, ex.article.id, ex.article.text)
        first = _open_each(store, original)
        second = _open_each(store, copy)
        assert len(first) == len(second) >= 2  # two parts: two incidents per article
        duplicates = near_duplicate_incidents(store)
    # each part of the copy duplicates the same part of the original, never another part
    assert duplicates == dict(zip(second, first, strict=True))
