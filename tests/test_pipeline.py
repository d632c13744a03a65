"""Pipeline tests: idempotent runs, bad inputs, crash recovery, grouping across articles.

Fast tests use blank spaCy pipelines (the ``blank_extractor`` fixture); the ``slow`` ones
run the trained pipelines end to end on the bundled examples and on ../shared/seeds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from cyberveille.documents import to_article
from cyberveille.extract import Extractor
from cyberveille.facts import summarize
from cyberveille.kb import KnowledgeBase
from cyberveille.pipeline import Pipeline, RunReport
from cyberveille.sources import iter_documents
from cyberveille.store import IncidentView, Store
from cyberveille.types import Article, Extraction, Incident, RawDocument

ROOT = Path(__file__).resolve().parents[1]

GOOD_FR = (
    "Le groupe APT40 a piraté des universités en Australie. "
    "Les États-Unis accusent le ministère de la Sécurité d'État chinois."
)
GOOD_EN = (
    "Sandworm targeted power companies in Ukraine. "
    "The United Kingdom blamed the GRU for the blackout."
)
GOOD_FR_2 = (
    "Le groupe Lazarus a dérobé des cryptomonnaies au Japon. "
    "La Corée du Nord dément être à l'origine du vol."
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "db" / "test.sqlite") as opened:
        yield opened


@pytest.fixture
def pipeline(store: Store, kb: KnowledgeBase, blank_extractor: Extractor) -> Pipeline:
    return Pipeline(store, kb=kb, extractor=blank_extractor)


def run_folder(pipeline: Pipeline, *paths: Path) -> RunReport:
    return pipeline.run(iter_documents(list(paths)))


def write_good(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a_fr.txt").write_text(GOOD_FR, encoding="utf-8")
    (folder / "b_en.txt").write_text(GOOD_EN, encoding="utf-8")
    (folder / "c_fr.txt").write_text(GOOD_FR_2, encoding="utf-8")


def views(store: Store) -> list[IncidentView]:
    out = []
    for incident in store.incidents():
        view = store.incident_view(incident.id)
        assert view is not None
        out.append(view)
    return out


def incidents_with(store: Store, key: str) -> list[Incident]:
    return [i for i in store.incidents() if key in i.keys]


def all_mentions_grouped(store: Store) -> bool:
    return all(
        store.incident_of_mention(m.id) is not None
        for a in store.articles()
        for m in store.incident_mentions(a.id)
    )


# -- idempotence -------------------------------------------------------------------------


def test_second_run_adds_nothing(pipeline: Pipeline, store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_good(folder)
    first = run_folder(pipeline, folder)
    assert (first.added, first.existing, first.errors) == (3, 0, [])
    assert first.incidents_opened >= 3
    counts = store.counts()
    assert counts["articles"] == 3 and counts["incidents"] >= 3
    incident_ids = sorted(i.id for i in store.incidents())

    second = run_folder(pipeline, folder)
    assert (second.added, second.existing) == (0, 3)
    assert second.incidents_opened == second.incidents_joined == 0
    assert store.counts() == counts
    assert sorted(i.id for i in store.incidents()) == incident_ids
    assert "3 article(s) added" in first.summary()
    assert "0 article(s) added, 3 already stored" in second.summary()


def test_same_article_twice_in_one_batch(pipeline: Pipeline, store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(GOOD_FR, encoding="utf-8")
    (folder / "two.txt").write_text(GOOD_FR + "\n", encoding="utf-8")  # same normalised text
    report = run_folder(pipeline, folder)
    assert (report.added, report.existing) == (1, 1)
    assert store.counts()["articles"] == 1
    assert (
        report.article_ids[str(folder / "one.txt")] == report.article_ids[str(folder / "two.txt")]
    )


def test_two_texts_under_one_url_are_two_articles(pipeline: Pipeline, store: Store) -> None:
    url = "https://news.example.org/story"  # a feed that gave two stories one link
    docs = [
        RawDocument(origin="feed#1", text=GOOD_FR, url=url),
        RawDocument(origin="feed#2", text=GOOD_EN, url=url),
        RawDocument(origin="feed#3", text=GOOD_FR, url=url + "?utm_source=x"),  # the first
    ]
    first = pipeline.run(iter(docs))
    assert (first.added, first.existing) == (2, 1)
    ids = first.article_ids
    assert ids["feed#1"] == ids["feed#3"] != ids["feed#2"]
    assert {a.url for a in store.articles()} == {url}
    # the next run finds both, in either order, and adds nothing
    again = pipeline.run(iter(reversed(docs)))
    assert (again.added, again.existing) == (0, 3)
    assert again.article_ids == ids


# -- bad input never loses good input ----------------------------------------------------


def test_bad_inputs_are_reported_and_good_ones_stored(
    pipeline: Pipeline, store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "messy"
    write_good(folder)
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes(
        "Le groupe APT28 a visé la défense française.".encode("latin-1")
    )
    lines = [
        json.dumps({"text": "APT31 targeted parliament members in Finland.", "language": "en"}),
        '{"text": "unterminated',
        "not json at all",
        json.dumps({"title": "no text field"}),
        json.dumps({"text": "Le groupe Turla a espionné des ministères en Europe.", "lang": "fr"}),
    ]
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)

    report = run_folder(pipeline, folder)

    good = 3 + 2
    assert report.added == good
    assert store.counts()["articles"] == good
    stored_origins = {a.origin for a in store.articles()}
    assert {str(folder / n) for n in ("a_fr.txt", "b_en.txt", "c_fr.txt")} <= stored_origins
    assert {f"{folder / 'records.jsonl'}:1", f"{folder / 'records.jsonl'}:5"} <= stored_origins

    by_origin = {e.origin: e.message for e in report.errors}
    for name in ("binary.txt", "empty.txt", "latin1.txt", "huge.txt"):
        assert str(folder / name) in by_origin, (name, by_origin)
    assert "binary" in by_origin[str(folder / "binary.txt")]
    assert "empty" in by_origin[str(folder / "empty.txt")]
    assert "UTF-8" in by_origin[str(folder / "latin1.txt")]
    jsonl_errors = [o for o in by_origin if o.startswith(str(folder / "records.jsonl"))]
    assert sorted(jsonl_errors) == [f"{folder / 'records.jsonl'}:{n}" for n in (2, 3, 4)]
    assert len(report.errors) == 4 + 3
    assert all(str(e).startswith(e.origin) for e in report.errors)
    assert all_mentions_grouped(store)


def test_extraction_failure_is_isolated(
    store: Store, kb: KnowledgeBase, blank_extractor: Extractor, tmp_path: Path
) -> None:
    class Flaky(Extractor):
        """Fails on one article, whether it comes alone or in a batch."""

        def extract_many(
            self, articles: Iterable[Article], batch_size: int = 32
        ) -> Iterator[Extraction]:
            for article in articles:
                if "Lazarus" in article.text:
                    raise RuntimeError("boom")
                yield from super().extract_many([article], batch_size)

    flaky = Flaky(kb, pipelines=blank_extractor.pipelines)
    folder = tmp_path / "in"
    write_good(folder)
    report = Pipeline(store, kb=kb, extractor=flaky).run(iter_documents([folder]))
    assert report.added == 2
    (error,) = report.errors
    assert error.origin == str(folder / "c_fr.txt") and "boom" in error.message


def test_text_too_short_is_reported(pipeline: Pipeline, store: Store) -> None:
    report = pipeline.run(
        [RawDocument(origin="tiny", text="APT28."), RawDocument(origin="ok", text=GOOD_FR)]
    )
    assert report.added == 1
    assert [e.origin for e in report.errors] == ["tiny"]


# -- crash recovery ----------------------------------------------------------------------


def test_rerun_groups_what_a_crash_left_ungrouped(
    pipeline: Pipeline, store: Store, blank_extractor: Extractor, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    write_good(folder)
    (raw,) = [d for d in iter_documents([folder / "a_fr.txt"]) if isinstance(d, RawDocument)]
    extraction = blank_extractor.extract(to_article(raw))
    assert store.save_extraction(extraction)  # stored, then "crashed" before grouping
    mentions = store.incident_mentions(extraction.article.id)
    assert mentions and all(store.incident_of_mention(m.id) is None for m in mentions)
    assert store.counts()["incidents"] == 0

    report = run_folder(pipeline, folder)
    assert (report.added, report.existing) == (2, 1)
    assert all(store.incident_of_mention(m.id) is not None for m in mentions)
    assert all_mentions_grouped(store)

    again = run_folder(pipeline, folder)
    assert again.incidents_opened == again.incidents_joined == 0


def test_crash_while_storing_a_batch_keeps_none_of_it_and_a_rerun_stores_it_once(
    pipeline: Pipeline, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    write_good(folder)
    real_save = store.save_extraction
    calls = {"n": 0}

    def crash_on_second(extraction: Extraction) -> bool:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk gone")
        return real_save(extraction)

    monkeypatch.setattr(store, "save_extraction", crash_on_second)
    with pytest.raises(OSError):
        run_folder(pipeline, folder)
    assert store.counts()["articles"] == 0  # the batch is one transaction

    monkeypatch.setattr(store, "save_extraction", real_save)
    report = run_folder(pipeline, folder)
    assert report.added == 3 and not report.errors
    assert store.counts()["articles"] == 3
    assert all_mentions_grouped(store)


# -- grouping across articles ------------------------------------------------------------


def _json_article(folder: Path, name: str, **record: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def test_french_and_english_articles_on_one_incident_are_grouped(
    pipeline: Pipeline, store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    _json_article(
        folder,
        "fr.json",
        text="Le groupe APT40 a piraté des universités en Australie. "
        "Les États-Unis accusent le ministère de la Sécurité d'État chinois.",
        language="fr",
        published="2021-07-19",
        title="APT40 : Washington accuse Pékin",
    )
    _json_article(
        folder,
        "en.json",
        text="APT40 breached universities in Australia. "
        "The United Kingdom blamed China's Ministry of State Security for the campaign.",
        language="en",
        published="2021-07-20",
        title="UK blames China's MSS for APT40 hacks",
    )
    report = run_folder(pipeline, folder)
    assert report.added == 2 and report.incidents_joined >= 1
    (incident,) = incidents_with(store, "actor:apt40")
    assert len(incident.article_ids) == 2
    assert "actor:apt40" in incident.keys
    assert any("joined" in r and "actor:apt40" in r for r in incident.reasons)
    view = store.incident_view(incident.id)
    assert view is not None
    assert {a.language for a in view.articles} == {"fr", "en"}


def test_same_actor_disjoint_victims_gives_two_incidents(
    pipeline: Pipeline, store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    _json_article(
        folder,
        "de.json",
        text="Le groupe APT28 a ciblé le Bundestag en Allemagne. Berlin accuse le GRU russe.",
        language="fr",
        published="2018-05-03",
    )
    _json_article(
        folder,
        "fr.json",
        text="APT28 targeted the presidential campaign in France. Paris blamed the GRU.",
        language="en",
        published="2018-06-10",
    )
    report = run_folder(pipeline, folder)
    assert report.added == 2
    found = incidents_with(store, "actor:apt28")
    assert len(found) == 2
    victims = sorted(sorted(k for k in i.keys if k.startswith("victim:country:")) for i in found)
    assert victims == [["victim:country:DE"], ["victim:country:FR"]]
    assert all(len(i.article_ids) == 1 for i in found)


# -- slow: trained pipelines end to end --------------------------------------------------


@pytest.mark.slow
def test_examples_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cyberveille.cli import main

    db = str(tmp_path / "examples.sqlite")
    assert main(["run", str(ROOT / "examples"), "--db", db, "--no-progress"]) == 0
    capsys.readouterr()
    with Store.open(db) as store:
        origins = {a.id: Path(a.origin).name for a in store.articles()}
        assert len(origins) == 12
        (exchange,) = [
            i
            for i in store.incidents()
            if "actor:hafnium" in i.keys and "product:microsoft-exchange" in i.keys
        ]
        names = {origins[a] for a in exchange.article_ids}
        assert {
            "en_2021-03_exchange_hafnium_microsoft.txt",
            "fr_2021-07_exchange_chine_accusation_conjointe.txt",
        } <= names
        view = store.incident_view(exchange.id)
        assert view is not None
        sentences = {c.evidence.sentence for c in view.claims}
    assert main(["show", exchange.id[:10], "--db", db]) == 0
    out = capsys.readouterr().out
    assert "claims, with their evidence:" in out
    assert "HAFNIUM" in out
    shown = [s for s in sentences if s[:40] in out.replace("[", "").replace("]", "")]
    assert len(shown) >= 3


@pytest.mark.slow
def test_seeds_acceptance(shared_dir: Path, kb: KnowledgeBase, tmp_path: Path) -> None:
    seeds = shared_dir / "seeds"
    if not seeds.is_dir() or not any(seeds.glob("*.txt")):
        pytest.skip(f"{seeds} is absent or empty")
    with Store.open(tmp_path / "seeds.sqlite") as store:
        report = Pipeline(store, kb=kb).run(iter_documents([seeds]))
        assert report.errors == [] and report.added == 2
        all_articles = {a.id for a in store.articles()}
        found = views(store)
    facts = {v.incident.id: summarize(v, kb.get) for v in found}

    def both(view: IncidentView) -> bool:
        return {a.id for a in view.articles} == all_articles

    # The Exchange campaign: HAFNIUM, China behind it, accused by the US, UK, EU and NATO.
    (exchange,) = [
        v
        for v in found
        if both(v) and "actor:hafnium" in {f.value for f in facts[v.incident.id].actors}
    ]
    ef = facts[exchange.incident.id]
    assert "country:CN" in {f.value for f in ef.sponsor_states}
    political = {
        c.accuser_country
        for a in ef.accusations
        if a.attribution_type == "political_statement"
        for c in a.claims
    }
    assert {"US", "GB", "EU", "NATO"} <= political

    # The APT40 indictment: MSS behind it, the DOJ indicts, twelve victim countries.
    (apt40,) = [
        v
        for v in found
        if both(v) and "actor:apt40" in {f.value for f in facts[v.incident.id].actors}
    ]
    af = facts[apt40.incident.id]
    assert "agency:cn-mss" in {f.value for f in af.sponsor_agencies}
    assert any(
        a.accuser == "inst:us-doj" and a.attribution_type == "indictment" for a in af.accusations
    )
    twelve = {"US", "AT", "KH", "CA", "DE", "ID", "MY", "NO", "SA", "ZA", "CH", "GB"}
    assert {f"country:{c}" for c in twelve} <= {f.value for f in af.victim_countries}

    # Pegasus and SolarWinds: each its own incident, apart from the two above.
    def holding(key: str) -> list[IncidentView]:
        return [v for v in found if key in v.incident.keys]

    (pegasus,) = holding("malware:pegasus")
    (solarwinds,) = holding("product:solarwinds-orion")
    ids = {exchange.incident.id, apt40.incident.id, pegasus.incident.id, solarwinds.incident.id}
    assert len(ids) == 4


@pytest.mark.slow
def test_examples_meaning_groups_and_separates(tmp_path: Path) -> None:
    """Volt Typhoon in English (May 2023) and French (Feb 2024) share only the actor and the
    victim country: grouped by the similarity of their descriptions. Sandworm's two April 2022
    operations (Industroyer2, Cyclops Blink) share the actor and month: kept apart."""
    db = tmp_path / "examples.sqlite"
    with Store.open(db) as store:
        run_folder(Pipeline(store), ROOT / "examples")
        origins = {a.id: Path(a.origin).name for a in store.articles()}
        (volt,) = incidents_with(store, "actor:volt-typhoon")
        assert {origins[a] for a in volt.article_ids} == {
            "en_2023-05_volt_typhoon_guam.txt",
            "fr_2024-02_volt_typhoon_prepositionnement.txt",
        }
        assert any("similar descriptions" in r for r in volt.reasons)
        sandworm = incidents_with(store, "actor:sandworm")
        assert len(sandworm) == 2
        assert all(len(i.article_ids) == 1 for i in sandworm)
