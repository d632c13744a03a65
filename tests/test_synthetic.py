"""bench/synthetic.py: deterministic, varied articles and store objects the store accepts."""

from __future__ import annotations

import sys
from pathlib import Path

from cyberveille.kb import KnowledgeBase
from cyberveille.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from synthetic import Synthetic, fill_store


def test_same_seed_same_output(kb: KnowledgeBase) -> None:
    a, b = Synthetic(kb, seed=3), Synthetic(kb, seed=3)
    assert a.incident(5) == b.incident(5)
    assert list(a.documents(6)) == list(b.documents(6))
    assert Synthetic(kb, seed=4).incident(5) != a.incident(5)


def test_documents_vary_actors_languages_and_dates(kb: KnowledgeBase) -> None:
    gen = Synthetic(kb, seed=1)
    docs = list(gen.documents(200))
    assert len(docs) == 200
    assert {d.language for d in docs} == {"fr", "en"}
    specs = [gen.incident(i) for i in range(200)]
    assert len({s.actor.id for s in specs}) > 30
    assert len({s.victim_country for s in specs}) > 8
    assert len({s.day.year for s in specs}) > 5
    for doc in docs[:20]:
        assert doc.text and "{" not in doc.text


def test_extraction_evidence_points_into_the_text(kb: KnowledgeBase) -> None:
    gen = Synthetic(kb, seed=2)
    ex = gen.extraction(gen.incident(0))
    for claim in ex.claims:
        ev = claim.evidence
        assert ex.article.text[ev.start : ev.end] == ev.sentence == ex.sentences[ev.sentence_index]
    (mention,) = ex.incident_mentions
    assert gen.incident(0).actor.id in mention.keys


def test_fill_store_opens_one_incident_per_spec(kb: KnowledgeBase, tmp_path: Path) -> None:
    gen = Synthetic(kb, seed=0)
    with Store.open(tmp_path / "s.sqlite") as store:
        assert fill_store(store, gen, 30, batch=7) == 30
        assert fill_store(store, gen, 30, batch=7) == 0  # idempotent
        assert store.counts()["incidents"] == 30
        spec = gen.incident(0)
        found = store.candidate_incidents([spec.actor.id], since=spec.day, until=spec.day)
        assert any(spec.victim_en in i.title for i in found)
