"""Store tests: exact round trips, idempotence, incident upserts and candidate lookups (SQLite)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from cyberveille.store import IncidentView, Store, claim_id, default_db_path
from cyberveille.store.schema import SCHEMA_VERSION
from cyberveille.types import (
    Article,
    Claim,
    Evidence,
    Extraction,
    Incident,
    IncidentMention,
    Mention,
    content_id,
)

FR_TEXT = (
    "L'ANSSI attribue l'attaque contre l'hôpital de Rouen au groupe APT28. "
    "Selon Le Monde, le GRU serait derrière l'opération. "
    "Plus de 1 200 postes ont été chiffrés le 15 mars 2024."
)
EN_TEXT = (
    "The US Department of Justice indicted seven hackers linked to APT31. "
    "China denied the accusations on Tuesday."
)


def _sentences(text: str) -> tuple[str, ...]:
    parts = text.split(". ")
    return tuple(p if p.endswith(".") else p + "." for p in parts)


def _evidence(article_id: str, text: str, index: int, cues: tuple[str, ...] = ()) -> Evidence:
    sentence = _sentences(text)[index]
    start = text.index(sentence)
    return Evidence(article_id, index, sentence, start, start + len(sentence), cues)


def french_extraction() -> Extraction:
    aid = content_id("https://www.lemonde.fr/pixels/article/2024/03/16/rouen")
    article = Article(
        id=aid,
        text=FR_TEXT,
        language="fr",
        origin="examples/fr_rouen.json:1",
        url="https://www.lemonde.fr/pixels/article/2024/03/16/rouen",
        outlet="Le Monde",
        title="Cyberattaque à Rouen : l'ANSSI accuse APT28",
        published=date(2024, 3, 16),
        ingested_at=datetime(2024, 3, 17, 8, 30, 5, 123456, tzinfo=timezone(timedelta(hours=1))),
    )
    attribution = Claim(
        kind="attribution",
        evidence=_evidence(aid, FR_TEXT, 0, ("attribue",)),
        subject="actor:apt28",
        accuser="inst:anssi",
        accuser_country="FR",
        attribution_type="political_statement",
    )
    alleged = Claim(
        kind="sponsorship",
        evidence=_evidence(aid, FR_TEXT, 1, ("serait derrière", "selon")),
        subject="actor:apt28",
        object="agency:ru-gru",
        modality="alleged",
        hedged_by_outlet=True,
    )
    impact = Claim(
        kind="impact",
        evidence=_evidence(aid, FR_TEXT, 2),
        value=1200.0,
        unit="postes",
        text="Plus de 1 200 postes",
    )
    when = Claim(
        kind="date",
        evidence=_evidence(aid, FR_TEXT, 2, ("le",)),
        text="le 15 mars 2024",
        date_start=date(2024, 3, 15),
        date_end=date(2024, 3, 15),
    )
    targeting = Claim(
        kind="targeting",
        evidence=_evidence(aid, FR_TEXT, 0),
        subject="actor:apt28",
        object="sector:Health",
    )
    mentions = (
        Mention("institution", "ANSSI", 2, 7, 0, "inst:anssi"),
        Mention("organisation", "l'hôpital de Rouen", 35, 53, 0, None, 0.75),
        Mention("threat_actor", "APT28", 63, 68, 0, "actor:apt28"),
        Mention("agency", "GRU", 91, 94, 1, "agency:ru-gru", 0.9),
    )
    im = IncidentMention(
        article_id=aid,
        index=0,
        title="Rançongiciel à l'hôpital de Rouen",
        claims=(attribution, alleged, impact, when, targeting),
        keys=frozenset({"actor:apt28", "org:chu-rouen", "sector:Health"}),
        sentence_indices=(0, 1, 2),
        incident_type="ransomware",
        date=date(2024, 3, 15),
        incident_types=("ransomware", "data_theft"),
    )
    # A second, bare mention holding one claim also held by the first, and one claim that
    # is only in an incident mention (not in Extraction.claims).
    extra = Claim(
        kind="quote",
        evidence=_evidence(aid, FR_TEXT, 1),
        subject="text:Le Monde",
        text="le GRU serait derrière l'opération",
    )
    im2 = IncidentMention(
        article_id=aid,
        index=1,
        title="Opérations du GRU",
        claims=(alleged, extra),
        keys=frozenset({"agency:ru-gru"}),
        sentence_indices=(1,),
        mention_only=True,
    )
    return Extraction(
        article=article,
        sentences=_sentences(FR_TEXT),
        mentions=mentions,
        claims=(attribution, alleged, impact, when, targeting),
        incident_mentions=(im, im2),
        notes=("date normalisée depuis « 15 mars »", "unresolved: l'hôpital de Rouen"),
    )


def english_extraction(
    published: date | None = date(2024, 3, 25), url: str = "https://example.com/apt31"
) -> Extraction:
    aid = content_id(url)
    article = Article(
        id=aid,
        text=EN_TEXT,
        language="en",
        origin="feeds/example.xml",
        url=url,
        outlet="Example News",
        title="DOJ indicts APT31 hackers",
        published=published,
        ingested_at=datetime(2024, 3, 26, 12, 0, tzinfo=UTC),
    )
    indictment = Claim(
        kind="attribution",
        evidence=_evidence(aid, EN_TEXT, 0, ("indicted", "linked to")),
        subject="actor:apt31",
        accuser="inst:us-doj",
        accuser_country="US",
        attribution_type="indictment",
    )
    denial = Claim(
        kind="response",
        evidence=_evidence(aid, EN_TEXT, 1, ("denied",)),
        subject="country:CN",
        object="inst:us-doj",
        text="denial",
        modality="denied",
    )
    im = IncidentMention(
        article_id=aid,
        index=0,
        title="APT31 indictment",
        claims=(indictment, denial),
        keys=frozenset({"actor:apt31", "response:indictment:inst:us-doj"}),
        sentence_indices=(0, 1),
        incident_type="espionage",
    )
    return Extraction(
        article=article,
        sentences=_sentences(EN_TEXT),
        mentions=(Mention("threat_actor", "APT31", 62, 67, 0, "actor:apt31"),),
        claims=(indictment, denial),
        incident_mentions=(im,),
    )


def incident(
    iid: str,
    mention_ids: tuple[str, ...],
    keys: set[str],
    first: date | None = None,
    last: date | None = None,
    article_ids: tuple[str, ...] = (),
) -> Incident:
    return Incident(
        id=iid,
        title=f"Incident {iid}",
        incident_type="espionage",
        first_seen=first,
        last_seen=last,
        mention_ids=mention_ids,
        article_ids=article_ids,
        keys=frozenset(keys),
        reasons=("shared key actor:apt31", "score 0.8"),
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "db" / "cv.sqlite") as st:
        yield st


def test_round_trip(store: Store) -> None:
    ex = french_extraction()
    assert store.save_extraction(ex) is True
    aid = ex.article.id
    assert store.has_article(aid)
    assert store.article(aid) == ex.article
    assert store.sentences(aid) == list(ex.sentences)
    assert store.mentions(aid) == list(ex.mentions)
    assert store.claims(aid) == list(ex.claims)
    assert store.incident_mentions(aid) == list(ex.incident_mentions)
    assert store.notes(aid) == list(ex.notes)
    got = store.incident_mentions(aid)[0]
    assert isinstance(got.keys, frozenset) and isinstance(got.sentence_indices, tuple)
    assert isinstance(got.claims[3].date_start, date)
    assert list(store.articles()) == [ex.article]
    assert store.counts() == {
        "articles": 1,
        "sentences": 3,
        "mentions": 4,
        "claims": 6,  # five listed + one held only by an incident mention
        "incident_mentions": 2,
        "incidents": 0,
    }


def test_unknown_ids(store: Store) -> None:
    assert store.article("nope") is None
    assert store.incident("nope") is None
    assert store.incident_view("nope") is None
    assert store.incident_of_mention("nope") is None
    assert store.sentences("nope") == []
    assert store.candidate_incidents([]) == []
    assert not store.has_article("nope")


def test_idempotent(store: Store) -> None:
    ex = french_extraction()
    assert store.save_extraction(ex) is True
    before = store.counts()
    assert store.save_extraction(ex) is False
    assert store.counts() == before
    assert store.save_extractions([ex, english_extraction()]) == 1
    assert store.counts()["articles"] == 2


def test_sentence_offsets(store: Store, tmp_path: Path) -> None:
    ex = french_extraction()
    store.save_extraction(ex)
    with sqlite3.connect(tmp_path / "db" / "cv.sqlite") as conn:
        rows = conn.execute(
            "select idx, start_offset from sentences where article_id = ? order by idx",
            (ex.article.id,),
        ).fetchall()
    assert rows == [(i, FR_TEXT.index(t)) for i, t in enumerate(ex.sentences)]


def test_claim_ids_are_stable() -> None:
    ex = french_extraction()
    c = ex.claims[0]
    assert claim_id(c) == claim_id(french_extraction().claims[0])
    assert len({claim_id(x) for x in ex.claims}) == len(ex.claims)


def test_failed_write_leaves_nothing(store: Store) -> None:
    ex = french_extraction()
    # Two incident mentions with the same index collide on their id: the write fails...
    bad = Extraction(
        article=ex.article,
        sentences=ex.sentences,
        mentions=ex.mentions,
        claims=ex.claims,
        incident_mentions=(ex.incident_mentions[0], ex.incident_mentions[0]),
    )
    with pytest.raises(IntegrityError):
        store.save_extraction(bad)
    # ...and leaves no trace, so that a re-run stores the article whole.
    assert store.counts() == dict.fromkeys(store.counts(), 0)
    assert store.save_extraction(ex) is True
    assert store.incident_mentions(ex.article.id) == list(ex.incident_mentions)


def test_transaction_commits_once_and_rolls_back_whole(store: Store, tmp_path: Path) -> None:
    fr, en = french_extraction(), english_extraction()
    with store.transaction():
        assert store.save_extraction(fr)
        with store.transaction():  # a nested block joins the outer one
            store.save_incident(incident("i1", (fr.incident_mentions[0].id,), {"actor:apt28"}))
        assert store.incident("i1") is not None  # the block reads its own writes
        other = sqlite3.connect(tmp_path / "db" / "cv.sqlite")  # another connection
        assert other.execute("SELECT count(*) FROM articles").fetchone() == (0,)  # not yet
        other.close()
    assert store.counts()["articles"] == 1
    with pytest.raises(RuntimeError), store.transaction():
        assert store.save_extraction(en)
        store.save_incident(incident("i2", (en.incident_mentions[0].id,), {"actor:apt31"}))
        raise RuntimeError("crash")
    assert not store.has_article(en.article.id) and store.incident("i2") is None
    assert store.has_article(fr.article.id) and store.incident("i1") is not None


def test_save_incident_upsert_and_move(store: Store) -> None:
    fr, en = french_extraction(), english_extraction()
    store.save_extractions([fr, en])
    m_fr0, m_fr1 = (im.id for im in fr.incident_mentions)
    m_en = en.incident_mentions[0].id
    a = incident(
        "inc-a", (m_fr0, m_fr1), {"actor:apt28"}, date(2024, 3, 15), None, (fr.article.id,)
    )
    store.save_incident(a)
    store.save_incident(a)  # idempotent
    assert store.incident("inc-a") == a
    assert store.counts()["incidents"] == 1

    # Upsert: new title, keys replaced, membership replaced.
    a2 = Incident(
        id="inc-a",
        title="Rouen, mise à jour",
        incident_type="ransomware",
        first_seen=date(2024, 3, 15),
        last_seen=date(2024, 3, 25),
        mention_ids=(m_fr0, m_fr1, m_en),
        article_ids=(fr.article.id, en.article.id),
        keys=frozenset({"org:chu-rouen", "actor:apt31"}),
    )
    store.save_incident(a2)
    assert store.incident("inc-a") == a2
    assert store.candidate_incidents(["actor:apt28"]) == []
    assert store.incident_of_mention(m_en) == "inc-a"

    # Moving the English mention to a new incident removes it (and its article) from inc-a.
    b = incident("inc-b", (m_en,), {"actor:apt31"}, article_ids=(en.article.id,))
    store.save_incident(b)
    assert store.incident_of_mention(m_en) == "inc-b"
    moved = store.incident("inc-a")
    assert moved is not None
    assert moved.mention_ids == (m_fr0, m_fr1)
    assert moved.article_ids == (fr.article.id,)
    assert moved.title == a2.title

    store.delete_incident("inc-a")
    assert store.incident("inc-a") is None
    assert store.incident_of_mention(m_fr0) is None
    assert [i.id for i in store.incidents()] == ["inc-b"]


def test_candidate_incidents(store: Store) -> None:
    store.save_incident(incident("i1", ("m1",), {"actor:apt31", "country:US"}, date(2024, 1, 1)))
    store.save_incident(
        incident(
            "i2",
            ("m2",),
            {"actor:apt31", "response:indictment:inst:us-doj", "country:US"},
            date(2024, 3, 1),
            date(2024, 3, 31),
        )
    )
    store.save_incident(
        incident("i3", ("m3",), {"actor:apt28"}, date(2023, 1, 1), date(2023, 2, 1))
    )
    store.save_incident(incident("i4", ("m4",), {"actor:apt31"}))  # undated
    keys = ["actor:apt31", "response:indictment:inst:us-doj", "country:US", "actor:apt31"]
    assert [i.id for i in store.candidate_incidents(keys)] == ["i2", "i1", "i4"]
    assert [i.id for i in store.candidate_incidents(keys, limit=1)] == ["i2"]
    # i2 ends before April; i1 is open-ended; i4 undated passes.
    april = store.candidate_incidents(keys, since=date(2024, 4, 1))
    assert [i.id for i in april] == ["i1", "i4"]
    # Until bound: i1 starts 2024-01-01 which is after 2023-12-31.
    old = store.candidate_incidents(["actor:apt31", "actor:apt28"], until=date(2023, 12, 31))
    assert [i.id for i in old] == ["i3", "i4"]
    window = store.candidate_incidents(
        ["actor:apt28", "actor:apt31"], since=date(2023, 1, 15), until=date(2023, 1, 20)
    )
    assert [i.id for i in window] == ["i3", "i4"]
    assert store.candidate_incidents(["actor:unknown"]) == []
    # Returned objects are complete.
    assert store.candidate_incidents(["actor:apt28"])[0] == store.incident("i3")


def test_candidate_lookup_uses_the_key_index(store: Store, tmp_path: Path) -> None:
    store.save_incident(incident("i1", ("m1",), {"actor:apt31"}, date(2024, 1, 1)))
    with sqlite3.connect(tmp_path / "db" / "cv.sqlite") as conn:
        plan = conn.execute(
            "explain query plan select incident_id, count(*) from incident_keys "
            "where key in ('actor:apt31', 'x') and last_seen >= '2024-01-01' "
            "and first_seen <= '2024-12-31' group by incident_id"
        ).fetchall()
    text = " ".join(str(row[-1]) for row in plan)
    assert "ix_incident_keys_key_last_seen" in text and "SCAN incident_keys" not in text


def test_incidents_order_and_paging(store: Store) -> None:
    dated = [
        incident(f"d{i:04d}", (), {"k"}, date(2024, 1, 1) + timedelta(days=i % 7))
        for i in range(1200)
    ]
    undated = [incident(f"u{i:04d}", (), {"k"}) for i in range(3)]
    for inc in [*undated, *dated]:
        store.save_incident(inc)
    got = [i.id for i in store.incidents()]
    expected = [i.id for i in sorted(dated, key=lambda x: (x.first_seen, x.id))]
    assert got == [*expected, "u0000", "u0001", "u0002"]


def test_incident_view(store: Store) -> None:
    fr = french_extraction()
    en = english_extraction(published=date(2024, 3, 1))  # older than the French article
    store.save_extractions([fr, en])
    mids = (fr.incident_mentions[0].id, en.incident_mentions[0].id, "not-stored")
    inc = incident("v", mids, {"actor:apt28"}, article_ids=(fr.article.id, en.article.id))
    store.save_incident(inc)
    view = store.incident_view("v")
    assert isinstance(view, IncidentView)
    assert view.incident == inc
    assert view.mentions == (fr.incident_mentions[0], en.incident_mentions[0])
    assert view.articles == (en.article, fr.article)
    assert view.claims == fr.incident_mentions[0].claims + en.incident_mentions[0].claims
    assert view.claims[0].evidence.sentence.startswith("L'ANSSI")


def test_wal_and_pragmas(store: Store, tmp_path: Path) -> None:
    store.save_extraction(english_extraction())
    path = tmp_path / "db" / "cv.sqlite"
    with sqlite3.connect(path) as conn:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    engine = store._engine
    with engine.connect() as conn:
        assert conn.exec_driver_sql("pragma foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("pragma synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("pragma busy_timeout").scalar() == 30000


def test_open_with_url_and_path(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "x.sqlite"
    with Store.open(path) as st:
        st.save_extraction(english_extraction())
    assert path.exists()
    with Store.open(f"sqlite:///{path}") as st:
        assert st.counts()["articles"] == 1
        assert st.url.startswith("sqlite:///")
    with Store.open(str(path)) as st:  # a plain string path
        assert st.counts()["articles"] == 1
    with Store.open("sqlite://") as st:  # in memory
        assert st.save_extraction(english_extraction()) is True
        assert st.counts()["articles"] == 1


def test_reopen_keeps_data_and_version(tmp_path: Path) -> None:
    path = tmp_path / "cv.sqlite"
    with Store.open(path) as st:
        st.save_extraction(french_extraction())
    with Store.open(path) as st:
        assert st.claims(french_extraction().article.id) == list(french_extraction().claims)
    with sqlite3.connect(path) as conn:
        assert conn.execute("select value from meta where key='schema_version'").fetchone() == (
            str(SCHEMA_VERSION),
        )


def test_default_db_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CYBERVEILLE_DB", raising=False)
    assert default_db_path().name == "cyberveille.sqlite"
    assert "cyberveille" in default_db_path().parent.as_posix()
    monkeypatch.setenv("CYBERVEILLE_DB", str(tmp_path / "other.sqlite"))
    assert default_db_path() == tmp_path / "other.sqlite"
