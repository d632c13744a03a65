"""Queries, flat exports, search, trends, chart and actor profiles over a hand-made store."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cyberveille.actor import profile, resolve_actor
from cyberveille.chart import write_chart
from cyberveille.export.flat import COLUMNS, rows_for, write_rows
from cyberveille.facts import summarize
from cyberveille.kb import KnowledgeBase
from cyberveille.query import build_query, select
from cyberveille.store import Store
from cyberveille.store.search import index_evidence, search, words
from cyberveille.trends import count, near_duplicate_incidents
from stored_views import fill
from test_export_stix import VIEW


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    st = fill(tmp_path / "q.sqlite")
    yield st
    st.close()


def ids(store: Store, kb: KnowledgeBase, **filters: object) -> set[str]:
    query = build_query(kb, **filters)  # type: ignore[arg-type]
    return {v.incident.id[:1] for v, _ in select(store, kb.get, query)}


def test_filters(store: Store, kb: KnowledgeBase) -> None:
    assert ids(store, kb) == {"1", "2"}
    assert ids(store, kb, actor="Leviathan") == {"1"}
    assert ids(store, kb, sponsor="MSS") == {"1"}
    assert ids(store, kb, sponsor="Russia") == set()
    assert ids(store, kb, accuser="US") == {"1"}
    assert ids(store, kb, attribution_type="indictment") == {"1"}
    assert ids(store, kb, attribution_type="sanctions") == set()
    assert ids(store, kb, modality="denied") == {"1"}
    assert ids(store, kb, victim_country="France") == {"1"}
    assert ids(store, kb, victim_country="DE") == set()
    assert ids(store, kb, sector="maritime") == {"1"}
    assert ids(store, kb, vector="cve-2021-26855") == {"1"}
    assert ids(store, kb, vector="BADFLICK") == {"1"}


def test_sponsor_agency_covers_its_units(kb: KnowledgeBase) -> None:
    query = build_query(kb, sponsor="MSS")
    assert {"agency:cn-mss", "agency:cn-mss-hainan", "agency:cn-mss-hubei"} <= query.sponsors


def test_flat_exports(store: Store, kb: KnowledgeBase, tmp_path: Path) -> None:
    incidents = list(rows_for("incidents", store, kb.get))
    assert [r["incident_id"][:1] for r in incidents] == ["1", "2"]
    claims = list(rows_for("claims", store, kb.get))
    assert len(claims) == len(set(VIEW.claims))
    indictment = next(c for c in claims if c["attribution_type"] == "indictment")
    assert indictment["incident_ids"] == [VIEW.incident.id]
    text = {"a": "", "b": ""}
    for row in rows_for("articles", store, kb.get):
        text[row["article_id"][0]] = row["text"]
    for row in claims:  # offsets point at the evidence sentence in the article text
        assert text[row["article_id"][0]][row["start"] : row["end"]] == row["sentence"]
    path = tmp_path / "claims.csv"
    assert write_rows(iter(claims), COLUMNS["claims"], "csv", path) == len(claims)
    with path.open(encoding="utf-8", newline="") as f:
        read = list(csv.DictReader(f))
    assert list(read[0]) == list(COLUMNS["claims"])
    assert {r["sentence"] for r in read} == {c["sentence"] for c in claims}
    jsonl = tmp_path / "incidents.jsonl"
    write_rows(iter(incidents), COLUMNS["incidents"], "jsonl", jsonl)
    lines = [json.loads(x) for x in jsonl.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["actors"] == ["actor:apt40"] and list(lines[0]) == list(COLUMNS["incidents"])


def test_search_folds_accents_and_case(store: Store) -> None:
    assert words("Pékin  DÉMENT") == ["pekin", "dement"]
    assert index_evidence(store) == 3
    assert index_evidence(store) == 0  # idempotent
    for query in ("pekin", "PÉKIN", "Pékin dément", "pEkIn DEMENT"):
        hits = search(store, query)
        assert [h.sentence for h in hits] == ["Pékin dément toute implication."], query
    assert search(store, "ministry state security")[0].sentence.startswith("According")
    assert search(store, "armateurs indictment") == []
    assert search(store, "' ; \"") == []


def test_search_scan_gives_the_same_answer(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from cyberveille.store import search as module

    expected = {h.sentence for h in search(store, "securite de l'etat")}
    monkeypatch.setattr(module, "_fts_available", lambda _store: False)
    assert {h.sentence for h in search(store, "securite de l'etat")} == expected
    assert expected


def test_trends_and_chart(store: Store, kb: KnowledgeBase, tmp_path: Path) -> None:
    items = list(select(store, kb.get))
    trends = count(items, "sponsor", "year", near_duplicate_incidents(store))
    assert trends.rows() == [{"period": "2024", "China": 1, "total": 1}]
    by_type = count(items, "incident-type", "month")
    assert by_type.periods == ("2024-03",) and by_type.undated == 1
    accusers = count(items, "accuser", "year")
    assert "Chinese Ministry of Foreign Affairs" not in accusers.groups  # a denial
    # a duplicate incident counts once
    twice = [*items, items[0]]
    assert count(twice, "sponsor", "year").totals == {"2024": 1}
    for name in ("t.png", "t.svg"):
        path = write_chart(trends, tmp_path / name)
        assert path.stat().st_size > 1000
    assert (tmp_path / "t.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    with pytest.raises(ValueError):
        write_chart(trends, tmp_path / "t.gif")


def test_actor_profile(store: Store, kb: KnowledgeBase) -> None:
    (entity,) = resolve_actor(kb, "Leviathan")
    assert entity.id == "actor:apt40"
    prof = profile(entity, select(store, kb.get), kb)
    assert prof.per_year == {"2024": 1}
    assert "China" in prof.sponsors_seen or "Ministry of State Security" in prof.sponsors_seen
    accusers = {(a.accuser, a.attribution_type, a.modality) for a in prof.accusations}
    assert ("US Department of Justice", "indictment", "asserted") in accusers
    assert all(a.date == "2024-03-05" for a in prof.accusations if a.accuser.startswith("US"))


def test_summarize_matches_select(store: Store, kb: KnowledgeBase) -> None:
    (view, facts), _ = list(select(store, kb.get))
    assert facts == summarize(view, kb.get)
