"""Near-duplicate articles: MinHash links wire copies to one canonical article, not others."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cyberveille.duplicates import link_article, signature, similarity
from cyberveille.store import Store
from cyberveille.types import Article, Extraction, content_id

WIRE = (
    "Ukraine's computer emergency response team said on Tuesday that it had stopped an "
    "attack on a regional electricity company that was meant to switch off high-voltage "
    "substations. Officials blamed a unit of Russia's military intelligence agency, which "
    "caused blackouts in 2015 and 2016. A security firm found a new version of the malware "
    "used in the 2016 blackout and several wiping programs on the company's computers."
)
OTHER = (
    "The Justice Department said on Wednesday that it had disrupted a botnet of hacked "
    "firewalls and routers run by Russian military intelligence, copying and removing the "
    "malicious code from the devices that relayed its commands."
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "d.sqlite") as opened:
        yield opened


def _stored(store: Store, name: str, text: str) -> str:
    article = Article(
        id=content_id("dup-test", name),
        text=text,
        language="en",
        origin=name,
        published=date(2022, 4, 12),
        ingested_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    store.save_extraction(Extraction(article, (text,), (), (), ()))
    return article.id


def test_signature_estimates_jaccard() -> None:
    assert similarity(signature(WIRE), signature(WIRE)) == 1.0
    assert similarity(signature(WIRE), signature(OTHER)) < 0.2
    edited = WIRE.replace("Tuesday", "Tuesday, April 12,") + " (AFP)"
    assert similarity(signature(WIRE), signature(edited)) >= 0.8


def test_copies_link_to_the_first_stored(store: Store) -> None:
    first = _stored(store, "agency", WIRE)
    copy = _stored(store, "outlet", "Kyiv (AFP) - " + WIRE + " Read more on our site.")
    other = _stored(store, "other", OTHER)
    assert not link_article(store, first, WIRE).duplicate
    link = link_article(store, copy, "Kyiv (AFP) - " + WIRE + " Read more on our site.")
    assert link.duplicate and link.canonical_id == first and link.similarity >= 0.8
    assert not link_article(store, other, OTHER).duplicate
    assert link_article(store, copy, "anything").canonical_id == first  # idempotent
    assert store.canonical_articles([first, copy, other, "unknown"]) == {
        first: first,
        copy: first,
        other: other,
        "unknown": "unknown",
    }
    assert store.duplicates(copy) == [first]
    assert store.duplicates(first) == [copy]
    assert store.duplicates(other) == []
