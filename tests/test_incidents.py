"""Grouping: strong keys decide alone, weak keys need similar descriptions, reasons say why."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from cyberveille.incidents import Grouper, days_apart, proximity
from cyberveille.kb import KnowledgeBase
from cyberveille.store import Store
from cyberveille.types import Article, Extraction, Incident, IncidentMention, content_id


class WordEncoder:
    """A deterministic stand-in for the sentence encoder: hashed bag of words, unit length.
    Texts sharing words are similar; it counts the texts it encodes."""

    def __init__(self) -> None:
        self.encoded = 0

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.encoded += len(texts)
        rows = np.zeros((len(texts), 256), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.casefold()):
                rows[i, hashlib.sha256(word.encode()).digest()[0]] += 1.0
            rows[i] /= np.linalg.norm(rows[i]) or 1.0
        return rows


def _save(store: Store, name: str, text: str, keys: set[str], day: date) -> IncidentMention:
    article = Article(
        id=content_id("test-article", name),
        text=text,
        language="en",
        origin=name,
        published=day,
        ingested_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    mention = IncidentMention(
        article_id=article.id,
        index=0,
        title=name,
        claims=(),
        keys=frozenset(keys),
        sentence_indices=(0,),
        date=day,
    )
    store.save_extraction(Extraction(article, (text,), (), (), (mention,)))
    return mention


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "g.sqlite") as opened:
        yield opened  # type: ignore[misc]


def test_strong_keys_join_without_the_encoder(store: Store, kb: KnowledgeBase) -> None:
    encoder = WordEncoder()
    grouper = Grouper(store, kb.get, encoder)
    keys = {"actor:apt28", "product:microsoft-exchange"}
    first = grouper.assign(
        _save(store, "a", "Hackers breached a mail server.", keys, date(2024, 3, 1))
    )
    second = grouper.assign(_save(store, "b", "Unrelated words here.", keys, date(2024, 3, 20)))
    assert first.opened and not second.opened
    assert second.incident.id == first.incident.id
    assert "shares actor:apt28, product:microsoft-exchange (score 5)" in second.reason
    assert "19 days apart" in second.reason
    assert encoder.encoded == 0


def test_same_actor_same_month_needs_similar_descriptions(store: Store, kb: KnowledgeBase) -> None:
    encoder = WordEncoder()
    grouper = Grouper(store, kb.get, encoder)
    actor = {"actor:apt28"}
    leak = "APT28 leaked the emails of the anti-doping agency athletes medical files"
    first = grouper.assign(_save(store, "leak", leak, actor, date(2024, 5, 2)))
    other = grouper.assign(
        _save(store, "dos", "Power grid outage in a port city after wiper", actor, date(2024, 5, 9))
    )
    assert other.opened, other.reason  # same actor, same month, another operation
    again = grouper.assign(
        _save(
            store,
            "leak2",
            "The anti-doping agency says APT28 leaked athletes emails",
            actor,
            date(2024, 9, 1),
        )
    )
    assert not again.opened and again.incident.id == first.incident.id
    assert "similar descriptions" in again.reason
    # The incident's vector was stored once and updated, not re-encoded from its members.
    assert store.incident_vectors([first.incident.id])[first.incident.id][1] == 2


def test_a_description_seen_again_is_not_encoded_again(store: Store, kb: KnowledgeBase) -> None:
    encoder = WordEncoder()
    grouper = Grouper(store, kb.get, encoder)
    text = "APT28 leaked the emails of the anti-doping agency"
    one = _save(store, "wire1", text, {"actor:apt28"}, date(2024, 5, 2))
    two = _save(store, "wire2", text, {"actor:apt28"}, date(2024, 5, 3))
    first, second = grouper._mention_vector(one), grouper._mention_vector(two)
    assert first is not None and second is not None
    assert encoder.encoded == 1 and np.array_equal(first, second)
    assert not first.flags.writeable  # shared: nobody may change it in place


def test_without_an_encoder_keys_decide(store: Store, kb: KnowledgeBase) -> None:
    grouper = Grouper(store, kb.get, None)
    actor = {"actor:apt28"}
    first = grouper.assign(_save(store, "x", "One thing.", actor, date(2024, 5, 2)))
    second = grouper.assign(_save(store, "y", "Another thing.", actor, date(2024, 5, 9)))
    assert second.incident.id == first.incident.id


def test_candidates_per_key_are_the_nearest_in_date(store: Store) -> None:
    start = date(2020, 1, 1)
    for i in range(60):
        day = start + timedelta(days=10 * i)
        store.save_incident(
            Incident(
                f"i{i:02}", f"t{i}", None, day, day, (f"m{i}",), (f"a{i}",), frozenset({"actor:x"})
            )
        )
    near = start + timedelta(days=300)  # incident i30
    found = store.candidate_incidents(["actor:x"], near=near, per_key=3, limit=10)
    assert sorted(i.id for i in found) == ["i27", "i28", "i29", "i30", "i31", "i32"]
    bounded = store.candidate_incidents(
        ["actor:x"], near=near, per_key=3, until=near, since=near - timedelta(days=15)
    )
    assert sorted(i.id for i in bounded) == ["i29", "i30"]


def test_days_apart_and_proximity() -> None:
    incident = Incident("i", "t", None, date(2024, 1, 10), date(2024, 1, 20), (), (), frozenset())
    assert days_apart(date(2024, 1, 15), incident) == 0
    assert days_apart(date(2024, 1, 1), incident) == 9
    assert days_apart(date(2024, 2, 1), incident) == 12
    assert days_apart(None, incident) is None
    assert proximity(0) == 1.0 and proximity(10_000) == 0.0
