"""Fast tests of the evaluation: metrics, clustering scores, gold normalisation, alignment, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cyberveille.evaluate import format_report, score_records
from cyberveille.evaluation.gold import GoldRecord, load_gold, read_gold
from cyberveille.evaluation.metrics import (
    Counts,
    bcubed,
    macro_f1,
    match_keysets,
    pairwise,
    prf,
)
from cyberveille.evaluation.normalise import (
    country_iso2,
    figure_keys,
    name_keys,
    norm,
    parse_eurepoc_actor,
    text_mentions,
    unit_family,
)
from cyberveille.evaluation.predictions import (
    DocumentPrediction,
    PredictedMention,
    document_facts,
    facts_from_claims,
)
from cyberveille.evaluation.scorers import (
    FieldTally,
    align_incidents,
    eurepoc_attribution_labels,
    eurepoc_incident_types,
    is_named,
    primary_label,
)
from cyberveille.kb.entity import Entity, KBMatch
from cyberveille.types import Claim, Evidence, Mention

# --- a tiny invented knowledge base -------------------------------------------------


class FakeKB:
    """A made-up KB with the lookup/get/match surface of the real one."""

    def __init__(self, entities: list[Entity]) -> None:
        self.by_id = {e.id: e for e in entities}

    def lookup(self, name: str, kind: str | None = None) -> list[Entity]:
        n = norm(name)
        return [
            e
            for e in self.by_id.values()
            if (kind is None or e.kind == kind) and n in {norm(x) for x in (e.name, *e.aliases)}
        ]

    def get(self, id: str) -> Entity | None:
        return self.by_id.get(id)

    def match(self, text: str) -> list[KBMatch]:
        out = []
        low = text.casefold()
        for e in self.by_id.values():
            for name in (e.name, *e.aliases):
                i = low.find(name.casefold())
                if i >= 0:
                    out.append(KBMatch(i, i + len(name), name, e.id, e.kind))
        return out


KB = FakeKB(
    [
        Entity(
            "actor:frostwolf",
            "threat_actor",
            "FrostWolf",
            ("Glacier Team", "G9001"),
            country="XA",
            sponsor="agency:xa-bureau7",
            mitre_id="G9001",
        ),
        Entity("actor:reedcat", "threat_actor", "ReedCat", ("Marsh Kitten",), country="FR"),
        Entity("agency:xa-bureau7", "agency", "Bureau Seven", ("B7",), country="DE"),
        Entity("product:widgetmail", "product", "WidgetMail Server", ("WidgetMail",)),
        Entity("malware:snowdrop", "malware", "SnowDrop", ("Snow Drop",), mitre_id="S9002"),
        Entity("tool:picklock", "tool", "PickLock"),
        Entity("country:DE", "country", "Germany", ("German",)),
    ]
)

EV = Evidence(article_id="a1", sentence_index=0, sentence="s", start=0, end=1)


def claim(kind: str, **kw: object) -> Claim:
    return Claim(kind=kind, evidence=EV, **kw)  # type: ignore[arg-type]


# --- metrics -------------------------------------------------------------------------


def test_prf_regular_and_zero_division() -> None:
    assert prf(2, 4, 2, 5) == pytest.approx((0.5, 0.4, 2 * 0.5 * 0.4 / 0.9))
    assert prf(0, 0, 0, 0) == (1.0, 1.0, 1.0)
    assert prf(0, 0, 0, 3) == (0.0, 0.0, 0.0)
    assert prf(0, 2, 0, 0) == (0.0, 0.0, 0.0)
    c = Counts()
    c.add(1, 2, 3)
    c.add(1, 1, 1)
    d = c.as_dict()
    assert (d["tp"], d["predicted"], d["gold"], d["fp"], d["fn"]) == (2, 3, 4, 1, 2)
    assert d["precision"] == pytest.approx(0.6667, abs=1e-4)


def test_match_keysets_is_one_to_one() -> None:
    gold = [frozenset({"a", "b"}), frozenset({"b"})]
    pred = [frozenset({"b"}), frozenset({"a"})]
    # a greedy first-fit would pair gold0-pred0 and leave gold1 unmatched
    assert match_keysets(gold, pred).tp == 2
    assert match_keysets(gold, [frozenset({"b"}), frozenset({"b"})]).tp == 2
    assert match_keysets([frozenset({"x"})], [frozenset({"x"}), frozenset({"x"})]).tp == 1


def test_bcubed_and_pairwise_hand_computed() -> None:
    gold = {1: "A", 2: "A", 3: "A", 4: "B", 5: "B"}
    pred = {1: "x", 2: "x", 3: "y", 4: "y", 5: "y"}
    p, r, f = bcubed(gold, pred)
    # precision: items 1,2 -> 2/2; items 3 -> 1/3; 4,5 -> 2/3 ; = (1+1+1/3+2/3+2/3)/5
    assert p == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    # recall: 1,2 -> 2/3; 3 -> 1/3; 4,5 -> 2/2
    assert r == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert f == pytest.approx(2 * p * r / (p + r))
    pp, pr, pf, gp, pp_n = pairwise(gold, pred)
    # gold pairs: 12 13 23 45 (4); predicted: 12 34 35 45 (4); common: 12 45
    assert (gp, pp_n) == (4, 4)
    assert (pp, pr) == (0.5, 0.5)
    assert pf == 0.5
    assert bcubed({}, {}) == (1.0, 1.0, 1.0)
    # all singletons on both sides: no pairs at all counts as agreement
    assert pairwise({1: "a", 2: "b"}, {1: "x", 2: "y"})[:3] == (1.0, 1.0, 1.0)


def test_macro_f1() -> None:
    docs = [
        (frozenset({"indictment"}), frozenset({"indictment"})),
        (frozenset({"technical_report"}), frozenset({"indictment"})),
    ]
    value, n = macro_f1(docs)
    # indictment: tp1 fp1 fn0 -> F1 2/3; technical_report: tp0 fn1 -> 0
    assert n == 2
    assert value == pytest.approx((2 / 3 + 0) / 2)
    assert macro_f1([]) == (0.0, 0)


# --- gold normalisation --------------------------------------------------------------


def test_an_actor_is_right_when_any_gold_alias_list_names_it() -> None:
    gold = [frozenset({"id:actor:pike", "id:actor:heron", "name:pike"})]
    predicted = [
        frozenset({"id:actor:pike"}),
        frozenset({"id:actor:heron"}),
        frozenset({"id:actor:other"}),
        frozenset({"id:agency:bureau-nine"}),
    ]
    tally = FieldTally()
    tally.add_keysets(
        "actors",
        gold,
        predicted,
        supported=[True],
        ignore=frozenset({"id:agency:bureau-nine"}),
        any_alias=True,
    )
    fields = tally.as_fields()["actors"]
    # two right (both identities the alias list names), one wrong, the sponsor not counted
    assert (fields["precision"], fields["recall"]) == (round(2 / 3, 4), 1.0)
    assert fields["supported"]["precision"] == round(2 / 3, 4)
    one_to_one = FieldTally()
    one_to_one.add_keysets("actors", gold, predicted[:3])
    assert one_to_one.as_fields()["actors"]["precision"] == round(1 / 3, 4)


def test_an_actor_only_compared_is_not_among_the_actors() -> None:
    def actor(cid: str, start: int) -> Mention:
        return Mention("threat_actor", cid, start, start + 3, 0, cid)

    claims = [
        claim("relation", subject="actor:kestrel", object="actor:heron"),
        claim("sponsorship", subject="actor:heron", object="country:XX"),
    ]
    facts = facts_from_claims(claims, mentions=[actor("actor:kestrel", 0), actor("actor:heron", 9)])
    assert facts.actors == {"actor:kestrel"}
    assert facts.sponsor_states == set()
    # named elsewhere too (a headline), or said to act: still an actor
    twice = [actor("actor:kestrel", 0), actor("actor:heron", 9), actor("actor:heron", 20)]
    assert "actor:heron" in facts_from_claims(claims, mentions=twice).actors
    acting = [*claims, claim("targeting", subject="actor:heron", object="country:FR")]
    assert "actor:heron" in facts_from_claims(acting, mentions=twice[:2]).actors


def test_parse_eurepoc_actor() -> None:
    parsed = parse_eurepoc_actor("Zeta Crew/Blue Heron/ G7777 (Bureau Nine, East Office/Section 3)")
    assert parsed is not None
    assert parsed.aliases == ("Zeta Crew", "Blue Heron", "G7777")
    assert parsed.sponsors == ("Bureau Nine", "East Office", "Section 3")
    assert parse_eurepoc_actor("Not available") is None
    assert parse_eurepoc_actor("Unknown") is None
    plain = parse_eurepoc_actor("Lonely Group")
    assert plain is not None and plain.sponsors == ()
    # "< umbrella": the umbrella's names are aliases too; sponsors may follow either part
    nested = parse_eurepoc_actor("Pike Unit/G7001 < Lake Umbrella/G7000 (Bureau Nine)")
    assert nested is not None
    assert nested.aliases == ("Pike Unit", "G7001", "Lake Umbrella", "G7000")
    assert nested.sponsors == ("Bureau Nine",)
    # a parenthesis inside the sponsor part separates names; nothing leaks into the aliases
    inner = parse_eurepoc_actor("Pike Unit/G7001 (Bureau Nine, Signals Centre (SC) Unit 4410)")
    assert inner is not None
    assert inner.aliases == ("Pike Unit", "G7001")
    assert inner.sponsors == ("Bureau Nine", "Signals Centre", "SC", "Unit 4410")


def test_country_names_to_iso2() -> None:
    assert country_iso2("Korea, Republic of") == "KR"
    assert country_iso2("Korea, Democratic People's Republic of") == "KP"
    assert country_iso2("Iran, Islamic Republic of") == "IR"
    assert country_iso2("Congo, the Democratic Republic of the") == "CD"
    assert country_iso2("France") == "FR"
    assert country_iso2("Turkey") == "TR"
    assert country_iso2("EU (region)") == "EU"
    assert country_iso2("NATO") == "NATO"
    assert country_iso2("Somewhere (region)") is None
    assert country_iso2("Not available") is None


def test_units_and_figures() -> None:
    assert unit_family("USD") == unit_family("euros ransom") == "money"
    assert unit_family("organisations") == unit_family("companies") == "organisations"
    gold_null = figure_keys(None, "dollars", predicted=False)
    pred = figure_keys(5e6, "USD", predicted=True)
    assert gold_null & pred
    assert not figure_keys(7, "organisations", predicted=False) & figure_keys(
        8, "organisations", predicted=True
    )


def test_is_named_casie_argument() -> None:
    text = "Crooks stole data. Later the crooks were caught by Acme Bank staff."
    assert not is_named({"text": "Crooks"}, text)
    assert not is_named({"text": "the crooks"}, text)
    assert is_named({"text": "Acme Bank"}, text)
    assert is_named({"text": "staff", "wikidata": "Q1"}, text)
    # pronouns, and dictionary words capitalised only because they open a sentence
    text = "They hit the bank. Cyber criminals demanded a ransom. Globex said Apple was hit."
    assert not is_named({"text": "They", "wikidata": "Q2"}, text)
    assert not is_named({"text": "Cyber criminals"}, text)
    assert is_named({"text": "Apple"}, text)  # a dictionary word, capitalised mid-sentence
    assert is_named({"text": "Globex"}, text)


def test_eurepoc_attribution_labels() -> None:
    labels = eurepoc_attribution_labels(
        ["media_named_source", "political_statement+indictment", "Not available", None]
    )
    assert labels == {"media_report", "political_statement", "indictment"}
    assert primary_label(["indictment", "media_report", "media_report"]) == "media_report"
    assert primary_label(["indictment", "media_report"]) == "indictment"


def test_load_gold_skips_malformed_lines(tmp_path: Path) -> None:
    good = {"id": "d1", "set": "toy", "lang": "en", "text": "Hello.", "gold": {}}
    path = tmp_path / "g.jsonl"
    path.write_text(
        json.dumps(good) + "\n{not json\n" + json.dumps({"id": "d2", "set": "toy"}) + "\n\n",
        encoding="utf-8",
    )
    loaded = read_gold([path, tmp_path / "missing.jsonl"])
    assert [r.id for r in loaded.records] == ["d1"]
    assert any(e.startswith(f"{path}:2:") for e in loaded.errors)
    assert any(e.startswith(f"{path}:3:") for e in loaded.errors)
    assert len(loaded.errors) == 3
    assert [r.id for r in load_gold([path])] == ["d1"]


# --- facts, seeds-shaped scoring and alignment ----------------------------------------


def _seed_records() -> list[GoldRecord]:
    inc_a = {
        "event_key": "ev-a",
        "actors": [{"surface": "Glacier Team", "canonical": "FrostWolf"}],
        "sponsor_states": ["DE"],
        "sponsor_agencies": ["B7"],
        "accusers": [{"who": "x", "country": "FR", "type": "indictment"}],
        "victim_countries": ["IT"],
        "sectors": ["Maritime"],
        "vulnerabilities": ["WidgetMail"],
        "malware": [],
        "figures": [{"value": 12, "unit": "organisations", "text": "douze"}],
        "hedged": True,
    }
    inc_b = {"event_key": "ev-b", "malware": ["Snow Drop"], "mention_only": True}
    inc_a2 = {"event_key": "ev-a", "actors": [{"surface": "FrostWolf", "canonical": "FrostWolf"}]}
    return [
        GoldRecord("s1", "toy", "fr", "texte un", {"incidents": [inc_a, inc_b]}),
        GoldRecord("s2", "toy", "fr", "texte deux", {"incidents": [inc_a2]}),
    ]


def _seed_predictions() -> dict[str, DocumentPrediction]:
    m_a = PredictedMention(
        id="m1",
        incident_id="I1",
        index=0,
        claims=(
            claim(
                "attribution",
                subject="actor:frostwolf",
                accuser="inst:x",
                accuser_country="FR",
                attribution_type="indictment",
                modality="alleged",
            ),
            claim("sponsorship", subject="actor:frostwolf", object="agency:xa-bureau7"),
            claim("targeting", subject="actor:frostwolf", object="country:IT"),
            claim("targeting", subject="actor:frostwolf", object="sector:maritime"),
            claim("use", subject="actor:frostwolf", object="product:widgetmail"),
            claim("impact", value=12.0, unit="organizations"),
            claim("targeting", subject="actor:frostwolf", object="country:ES"),  # wrong
        ),
    )
    m_b = PredictedMention(
        id="m2",
        incident_id="I2",
        index=1,
        claims=(claim("use", object="malware:snowdrop"),),
    )
    m_c = PredictedMention(
        id="m3", incident_id="I1", index=0, claims=(), keys=frozenset({"actor:frostwolf"})
    )
    return {
        "s1": DocumentPrediction("s1", "texte un", "a1", (m_a, m_b)),
        "s2": DocumentPrediction("s2", "texte deux", "a2", (m_c,)),
    }


def test_document_facts_follow_claim_semantics() -> None:
    facts = document_facts(_seed_predictions()["s1"], KB)
    assert facts.actors == {"actor:frostwolf"}
    assert facts.sponsor_agencies == {"agency:xa-bureau7"}
    assert facts.sponsor_states == {"DE"}  # the agency's country
    assert facts.accusers == {("FR", "indictment")}
    assert facts.victim_countries == {"IT", "ES"}
    assert facts.sectors == {"maritime"}
    assert facts.vulnerabilities == {"product:widgetmail"}
    assert facts.malware == {"malware:snowdrop"}
    assert facts.hedged
    facts2 = document_facts(
        DocumentPrediction(
            "x", "t", mentions=(Mention("threat_actor", "ReedCat", 0, 7, 0, "actor:reedcat"),)
        ),
        KB,
    )
    assert facts2.actors == {"actor:reedcat"}


def test_incident_set_scores_and_grouping() -> None:
    result = score_records(_seed_records(), _seed_predictions(), KB)
    data = result["sets"]["toy"]
    fields = data["fields"]
    assert data["documents"] == 2
    assert fields["actors"]["tp"] == 1 and fields["actors"]["gold"] == 2
    assert fields["actors"]["predicted"] == 1  # s2 has no claims, keys are not facts
    assert fields["victim_countries"] == {**fields["victim_countries"], "tp": 1, "predicted": 2}
    assert fields["sponsor_agencies"]["tp"] == 1
    assert fields["sectors"]["tp"] == 1
    assert fields["figures"]["tp"] == 1
    assert fields["hedged"]["tp"] == 1
    assert fields["malware"]["tp"] == 1
    total = sum(fields[f]["gold"] for f in fields if f != "all")
    assert fields["all"]["gold"] == total
    grouping = data["grouping"]
    # items: (s1, ev-a)->I1, (s1, ev-b)->I2, (s2, ev-a)->I1: perfect
    assert grouping["bcubed_f1"] == 1.0
    assert grouping["pairwise_f1"] == 1.0
    assert grouping["unaligned"] == 0


def test_alignment_ties_and_singletons() -> None:
    gold = [{"actors": [frozenset({"id:actor:a"})]}, {"actors": [frozenset({"id:actor:z"})]}]
    mentions = [
        ("I1", {"actors": [frozenset({"id:actor:a"})]}),
        ("I2", {"actors": [frozenset({"id:actor:a"})]}),
    ]
    assert align_incidents(gold, mentions) == [(1, "I1"), (0, None)]


def test_json_shape_and_report() -> None:
    result = score_records(_seed_records(), _seed_predictions(), KB)
    text = json.dumps(result)
    back = json.loads(text)
    entry = back["sets"]["toy"]
    assert isinstance(entry["documents"], int)
    for values in entry["fields"].values():
        for key in ("precision", "recall", "f1", "gold", "predicted"):
            assert key in values
    assert {"bcubed_f1", "pairwise_f1"} <= set(entry["grouping"])
    report = format_report(back)
    assert "toy" in report and "actors" in report and "B-cubed" in report


def test_eurepoc_shaped_scoring() -> None:
    record = GoldRecord(
        "e1",
        "toyrepoc",
        "en",
        "Glacier Team hit German sites.",
        {
            "actors": ["Glacier Team/Frost Wolf (Bureau Seven)", "Not available"],
            "actor_countries": ["Germany"],
            "victim_countries": ["Italy", "Unknown"],
            "incident_type": ["Disruption"],
            "attributions": [{"type": "technical_report"}],
        },
    )
    pred = DocumentPrediction(
        "e1",
        record.text,
        "a",
        (
            PredictedMention(
                "m",
                "I",
                0,
                (
                    claim(
                        "attribution",
                        subject="actor:frostwolf",
                        attribution_type="technical_report",
                    ),
                    claim(
                        "attribution",
                        subject="agency:xa-bureau7",
                        attribution_type="technical_report",
                    ),
                ),
                incident_type="wiper",
            ),
        ),
        mentions=(Mention("country", "German", 16, 22, 0, "country:DE"),),
    )
    fields = score_records([record], {"e1": pred}, KB)["sets"]["toyrepoc"]["fields"]
    assert fields["actors"]["tp"] == 1
    assert fields["actors"]["predicted"] == 1  # the sponsor agency is neither right nor wrong
    assert fields["actors"]["supported"]["gold"] == 1
    assert fields["actor_countries"]["tp"] == 1  # DE via the agency's country
    assert fields["victim_countries"]["gold"] == 1
    assert fields["victim_countries"]["supported"]["gold"] == 0
    assert fields["incident_type"]["tp"] == 1  # wiper -> Disruption
    assert fields["attribution_type"]["accuracy"] == 1.0
    # the demonym resolves to the coded country the text names; Italy is not named
    assert (fields["country_mentions"]["tp"], fields["country_mentions"]["gold"]) == (1, 1)


def test_eurepoc_incident_types_drop_a_type_another_subsumes() -> None:
    assert eurepoc_incident_types(["wiper"]) == ["Disruption", "Hijacking with Misuse"]
    # a theft whose data were published is coded "Data theft & Doxing" alone
    assert eurepoc_incident_types(["data_theft", "hack_and_leak"]) == ["Data theft & Doxing"]
    assert eurepoc_incident_types(["intrusion"]) == ["Hijacking without Misuse"]
    assert "Hijacking without Misuse" not in eurepoc_incident_types(["intrusion", "spyware"])
    # spyware takes what the device holds, as espionage does
    assert eurepoc_incident_types(["spyware"]) == ["Data theft", "Hijacking with Misuse"]
    assert eurepoc_incident_types(["extortion"]) == []


def test_eurepoc_actors_named_scores_only_incidents_whose_text_names_a_coded_actor() -> None:
    def record(rid: str, text: str, actors: list[str]) -> GoldRecord:
        return GoldRecord(rid, "toyrepoc", "en", text, {"actors": actors, "attributions": []})

    def predicting(rid: str, text: str, actor: str) -> DocumentPrediction:
        return DocumentPrediction(
            rid, text, "a", mentions=(Mention("threat_actor", "x", 0, 1, 0, actor),)
        )

    records = [
        record("named", "Glacier Team hit German sites.", ["Glacier Team"]),
        record("uncoded", "Frost Wolf took responsibility.", ["Not available"]),
    ]
    preds = {
        "named": predicting("named", records[0].text, "actor:frostwolf"),
        "uncoded": predicting("uncoded", records[1].text, "actor:frostwolf"),
    }
    fields = score_records(records, preds, KB)["sets"]["toyrepoc"]["fields"]
    # over every summary, the uncoded one's actor counts against precision
    assert (fields["actors"]["supported"]["tp"], fields["actors"]["supported"]["predicted"]) == (
        1,
        2,
    )
    # the issue's scope: only the summary that names its coded actor
    named = fields["actors_named"]["supported"]
    assert (named["tp"], named["predicted"], named["gold"]) == (1, 1, 1)


def test_gold_names_are_tried_without_generic_words() -> None:
    assert name_keys(["the Glacier Team gang"], KB, ("threat_actor",)) >= {"id:actor:frostwolf"}
    assert name_keys(["Snow - Drop RAT"], KB) >= {"id:malware:snowdrop"}
    assert "id:actor:frostwolf" not in name_keys(["Glacier"], KB)


def test_annoctr_and_casie_shaped_scoring() -> None:
    annoctr = GoldRecord(
        "n1",
        "toyctr",
        "en",
        "FrostWolf used SnowDrop.",
        {
            "entities": {"GROUP": ["FrostWolf"], "MALWARE": ["SnowDrop", "Unseen"]},
            "mitre_links": {"FrostWolf": "G9001", "SnowDrop": "S9002", "some text": "T1000"},
        },
    )
    pred = DocumentPrediction(
        "n1",
        annoctr.text,
        "a",
        mentions=(
            Mention("threat_actor", "FrostWolf", 0, 9, 0, "actor:frostwolf"),
            Mention("malware", "SnowDrop", 15, 23, 0, "malware:snowdrop"),
        ),
    )
    casie = GoldRecord(
        "c1",
        "toycasie",
        "en",
        "Hackers from FrostWolf breached Acme. hackers fled. CVE-2000-1234",
        {
            "event_types": ["Databreach"],
            "attackers": [{"text": "FrostWolf"}, {"text": "Hackers"}],
            "victims": [{"text": "Acme"}],
            "cves": [{"text": "CVE-2000-1234"}],
            "tools": [],
        },
    )
    cpred = DocumentPrediction(
        "c1",
        casie.text,
        "b",
        (
            PredictedMention(
                "m",
                "I",
                0,
                (
                    claim("targeting", subject="actor:frostwolf", object="org:acme"),
                    claim("use", subject="actor:frostwolf", object="cve:CVE-2000-1234"),
                ),
                incident_type="data_theft",
            ),
        ),
    )
    result = score_records([annoctr, casie], {"n1": pred, "c1": cpred}, KB)
    f = result["sets"]["toyctr"]["fields"]
    assert f["GROUP"]["tp"] == 1 and f["MALWARE"]["tp"] == 1 and f["MALWARE"]["gold"] == 2
    assert f["mitre_links"]["gold"] == 2 and f["mitre_links"]["accuracy"] == 1.0
    c = result["sets"]["toycasie"]["fields"]
    assert c["event_types"]["tp"] == 1
    assert c["attackers"]["gold"] == 1 and c["attackers"]["tp"] == 1
    assert c["attackers_all"]["gold"] == 2
    assert c["attackers_proper"]["gold"] == 1  # "Hackers" opens a sentence; "hackers" recurs
    assert c["victims"]["tp"] == 1
    assert c["cves"]["tp"] == 1


def test_casie_roles_count_states_and_the_words_of_the_text() -> None:
    record = GoldRecord(
        "c2",
        "toycasie",
        "en",
        "Frost Wolves, German hackers, breached Acme in France.",
        {
            "event_types": ["Databreach"],
            "attackers": [{"text": "Frost Wolves"}, {"text": "German hackers"}],
            "victims": [{"text": "Acme"}, {"text": "France"}],
        },
    )
    prediction = DocumentPrediction(
        "c2",
        record.text,
        "b",
        (
            PredictedMention(
                "m",
                "I",
                0,
                (
                    claim("attribution", subject="country:DE"),
                    claim("targeting", subject="actor:frostwolf", object="org:Acme"),
                    claim("targeting", subject="actor:frostwolf", object="country:FR"),
                ),
            ),
        ),
        # the KB calls the actor FrostWolf; the text "Frost Wolves"
        mentions=(
            Mention("threat_actor", "Frost Wolves", 0, 12, 0, "actor:frostwolf"),
            Mention("country", "France", 47, 53, 0, "country:FR"),
        ),
    )
    fields = score_records([record], {"c2": prediction}, KB)["sets"]["toycasie"]["fields"]
    assert fields["attackers"]["tp"] == 2 and fields["attackers"]["predicted"] == 2
    assert fields["victims"]["tp"] == 2


# --- the shared gold files (skipped when absent) -------------------------------------


@pytest.fixture
def eval_dir() -> Path:
    path = Path(__file__).parents[1].parent / "shared" / "eval"
    if not path.is_dir():
        pytest.skip("shared/eval not available")
    return path


def test_shared_gold_loads_and_scores_empty(eval_dir: Path) -> None:
    paths = sorted(eval_dir.glob("*.jsonl"))
    loaded = read_gold(paths)
    assert loaded.records and not loaded.errors
    result = score_records(loaded.records, {}, None)
    for data in result["sets"].values():
        assert data["documents"] > 0
        for values in data["fields"].values():
            assert values["predicted"] == 0


def test_mitre_link_of_a_name_inside_a_longer_mention() -> None:
    record = GoldRecord(
        "n2",
        "toyctr",
        "en",
        "The FrostWolf group struck again.",
        {"entities": {"GROUP": ["FrostWolf"]}, "mitre_links": {"FrostWolf": "G9001"}},
    )
    pred = DocumentPrediction(
        "n2",
        record.text,
        "a",
        mentions=(Mention("threat_actor", "FrostWolf group", 4, 19, 0, "actor:frostwolf"),),
    )
    fields = score_records([record], {"n2": pred}, KB)["sets"]["toyctr"]["fields"]
    assert fields["mitre_groups"]["gold"] == 1 and fields["mitre_groups"]["tp"] == 1


def test_names_match_as_whole_words_or_spaced_differently() -> None:
    from cyberveille.evaluation.scorers import _contains

    assert _contains("The Dark Overlord", ["TheDarkOverlord"])
    assert _contains("the Lazarus hacking group", ["Lazarus"])
    assert not _contains("Darkode", ["Dark"])
    assert not _contains("The Dark Overlord hacking group", ["TheDarkOverlordhacking"])
    # an article is no part of a name
    assert _contains("the county", ["Shelby County"])
    assert _contains("The group", ["Night Heron Group"])
    assert not _contains("the county", ["Shelby City"])
    assert not _contains("the", ["The Hague"])  # a determiner alone stays a word


def test_gold_cve_ids_are_read_as_the_extractor_reads_them() -> None:
    from cyberveille.cve import cve_ids

    # dashes of any kind and a missing hyphen, as articles write them
    assert cve_ids("CVE\u20132000\u201301234, cve-200005678 and CVE-2000-1234") == {
        "CVE-2000-01234",
        "CVE-2000-05678",
        "CVE-2000-1234",
    }


def test_text_mentions_reads_words_glued_in_camel_case_apart() -> None:
    assert text_mentions("Defaced by Latveria HackTeam.", ["Latveria Hack Team"])
    assert text_mentions("Defaced by RedHack.", ["RedHack"])
    assert not text_mentions("Defaced by RedHack.", ["Hack Team"])
