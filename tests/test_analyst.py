"""Analyst control: merge, split and move are kept as decisions and survive reprocessing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cyberveille.analyst import Analyst, DecisionError, grouped_parts
from cyberveille.cli import main
from cyberveille.extract import Extractor
from cyberveille.extract.nlp import load_pipeline
from cyberveille.incidents import Grouper
from cyberveille.kb import KnowledgeBase
from cyberveille.pipeline import Pipeline
from cyberveille.sources import iter_documents
from cyberveille.store import Store
from cyberveille.store.decisions import decisions, forget_decision
from cyberveille.types import content_id
from test_incidents import _save


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "a.sqlite") as opened:
        yield opened


@pytest.fixture
def grouped(store: Store, kb: KnowledgeBase) -> dict[str, str]:
    """Three incidents: a+b (same actor and product), c (another actor), d (a third)."""
    grouper = Grouper(store, kb.get, encode=None)
    exchange = {"actor:hafnium", "product:microsoft-exchange"}
    where = {}
    for name, keys, day in [
        ("a", exchange, date(2021, 3, 2)),
        ("b", exchange, date(2021, 7, 19)),
        ("c", {"actor:apt40", "malware:badflick"}, date(2021, 7, 19)),
        ("d", {"actor:apt29", "product:solarwinds-orion"}, date(2020, 12, 13)),
    ]:
        where[name] = grouper.assign(_save(store, name, f"Report {name}.", keys, day)).incident.id
    assert where["a"] == where["b"] and len(set(where.values())) == 3
    return where


def _article(name: str) -> str:
    return content_id("test-article", name)  # as test_incidents._save names them


def test_merge_keeps_the_first_id_and_remakes_its_facts(
    store: Store, kb: KnowledgeBase, grouped: dict[str, str]
) -> None:
    outcome = Analyst(store, kb.get).merge(grouped["a"], grouped["c"], note="one campaign")
    assert outcome.changed == (grouped["a"],) and outcome.skipped is None
    assert store.incident(grouped["c"]) is None
    merged = store.incident(grouped["a"])
    assert merged is not None
    assert {_article(n) for n in "abc"} == set(merged.article_ids)
    assert {"actor:hafnium", "actor:apt40", "malware:badflick"} <= merged.keys
    assert (merged.first_seen, merged.last_seen) == (date(2021, 3, 2), date(2021, 7, 19))
    assert "analyst decision #1 (merge" in merged.reasons[-1]
    assert "one campaign" in merged.reasons[-1]
    (decision,) = decisions(store)
    assert decision.action == "merge" and decision.parts == ((_article("c"), 0),)


def test_split_opens_an_incident_and_shrinks_the_source(
    store: Store, kb: KnowledgeBase, grouped: dict[str, str]
) -> None:
    outcome = Analyst(store, kb.get).split(grouped["a"], [(_article("b"), 0)])
    source, new = outcome.changed[1], outcome.changed[0]
    assert source == grouped["a"] and new != source
    left, split_off = store.incident(source), store.incident(new)
    assert left is not None and split_off is not None
    assert left.article_ids == (_article("a"),) and left.last_seen == date(2021, 3, 2)
    assert split_off.article_ids == (_article("b"),)
    assert split_off.first_seen == date(2021, 7, 19)
    assert "actor:hafnium" in split_off.keys
    assert "split off from" in split_off.reasons[0]
    assert "parts taken out by analyst decision #1" in left.reasons[-1]


def test_move_empties_and_deletes_the_source(
    store: Store, kb: KnowledgeBase, grouped: dict[str, str]
) -> None:
    analyst = Analyst(store, kb.get)
    analyst.move(grouped_parts(store, _article("d")), grouped["c"][:10])
    assert store.incident(grouped["d"]) is None
    target = store.incident(grouped["c"])
    assert target is not None and _article("d") in target.article_ids
    assert target.first_seen == date(2020, 12, 13)


def test_impossible_decisions_are_refused_and_not_recorded(
    store: Store, kb: KnowledgeBase, grouped: dict[str, str]
) -> None:
    analyst = Analyst(store, kb.get)
    with pytest.raises(DecisionError, match="itself"):
        analyst.merge(grouped["a"], grouped["a"])
    with pytest.raises(DecisionError, match="empty"):
        analyst.split(grouped["c"], [(_article("c"), 0)])
    with pytest.raises(DecisionError, match="not in incident"):
        analyst.split(grouped["a"], [(_article("c"), 0)])
    with pytest.raises(DecisionError, match="already in incident"):
        analyst.move([(_article("a"), 0)], grouped["a"])
    with pytest.raises(DecisionError, match="no single incident"):
        analyst.merge("ffffffff", grouped["a"])
    assert decisions(store) == []


def test_a_decision_whose_parts_are_gone_is_skipped_with_a_reason(
    store: Store, kb: KnowledgeBase, grouped: dict[str, str]
) -> None:
    analyst = Analyst(store, kb.get)
    analyst.move([(_article("d"), 0)], grouped["c"])
    store.clear_incidents()
    (decision,) = decisions(store)
    outcome = analyst.apply(decision)
    assert outcome.skipped == "none of its article parts is grouped any more"
    assert "not applied" in outcome.summary()


# -- reprocessing with real extraction (blank spaCy pipelines: rules and KB only) ---------

# Our own short reports: two about one intrusion, one about another by the same actor.
REPORTS = {
    "a_en.txt": "APT40 breached a shipyard in Australia using the malware BADFLICK. "
    "The United Kingdom blamed China for the intrusion.",
    "b_fr.txt": "Le groupe APT40 a piraté un chantier naval en Australie avec le logiciel "
    "malveillant BADFLICK, selon Canberra.",
    "c_en.txt": "HAFNIUM exploited Microsoft Exchange servers at a German university.",
}


@pytest.fixture
def pipeline(store: Store, kb: KnowledgeBase, blank_extractor: Extractor) -> Pipeline:
    return Pipeline(store, kb=kb, extractor=blank_extractor, encode=None)


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _state(store: Store) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return sorted((i.id, i.mention_ids, i.reasons) for i in store.incidents())


def test_reprocess_alone_gives_the_same_incidents(pipeline: Pipeline, reports: Path) -> None:
    pipeline.run(iter_documents([reports]))
    before = _state(pipeline.store)
    report = pipeline.reprocess()
    assert report.extracted == 3 and not report.run.errors
    assert _state(pipeline.store) == before


def test_decisions_survive_reprocessing_and_forgetting_undoes_them(
    pipeline: Pipeline, reports: Path, kb: KnowledgeBase
) -> None:
    ids = pipeline.run(iter_documents([reports])).article_ids
    store = pipeline.store
    names = ("a_en.txt", "b_fr.txt")
    (owner,) = {store.incident_of_mention(content_id(ids[str(reports / n)], "0")) for n in names}
    assert owner is not None
    before = _state(store)
    analyst = Analyst(store, kb.get)
    french = ids[str(reports / "b_fr.txt")]
    analyst.split(owner, grouped_parts(store, french, owner), note="separate campaign")
    after_split = _state(store)
    assert len(after_split) == len(before) + 1

    report = pipeline.reprocess()
    assert [o.skipped for o in report.outcomes] == [None]
    assert _state(store) == after_split

    assert forget_decision(store, 1)
    pipeline.reprocess()
    assert _state(store) == before


# -- the commands -----------------------------------------------------------------------


@pytest.fixture
def db(
    tmp_path: Path,
    reports: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[str]:
    monkeypatch.setenv("CYBERVEILLE_MODEL_FR", "cyberveille_test_no_such_model_fr")
    monkeypatch.setenv("CYBERVEILLE_MODEL_EN", "cyberveille_test_no_such_model_en")
    load_pipeline.cache_clear()
    path = str(tmp_path / "cli.sqlite")
    assert main(["run", str(reports), "--db", path, "--no-progress"]) == 0
    capsys.readouterr()
    yield path
    load_pipeline.cache_clear()


def _rows(db: str, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert main(["incidents", "--db", db, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_commands_split_move_list_and_reprocess(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (shared,) = [r for r in _rows(db, capsys) if len(r["articles"]) == 2]
    french = next(a for a in shared["articles"] if a != shared["articles"][0])
    assert main(["split", shared["id"][:10], french[:10], "--db", db, "--note", "n1"]) == 0
    assert "decision #1 (split) applied" in capsys.readouterr().out
    assert all(len(r["articles"]) == 1 for r in _rows(db, capsys))

    assert main(["move", f"{french[:10]}:0", "--to", shared["id"][:10], "--db", db]) == 0
    capsys.readouterr()
    assert main(["decisions", "--db", db]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[2] for line in listed] == ["split", "move"]
    assert "# n1" in listed[0]

    assert main(["reprocess", "--db", db, "--no-progress"]) == 0
    assert "2 of 2 analyst decision(s) applied" in capsys.readouterr().out
    (together,) = [r for r in _rows(db, capsys) if len(r["articles"]) == 2]
    assert together["id"] == shared["id"]

    assert main(["merge", shared["id"], shared["id"], "--db", db]) == 1
    assert "cannot be merged with itself" in capsys.readouterr().err


def test_a_split_already_true_is_skipped(
    store: Store, kb: KnowledgeBase, grouped: dict[str, str]
) -> None:
    analyst = Analyst(store, kb.get)
    first = analyst.split(grouped["a"], [(_article("b"), 0)])
    (decision,) = decisions(store)
    again = analyst.apply(decision)
    assert first.skipped is None
    assert again.skipped == "its article parts are already on their own"
