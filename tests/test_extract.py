"""Extraction tests on blank spaCy pipelines: the rules, the knowledge base, no trained model.

Every sentence here was written for these tests.
"""

from __future__ import annotations

import json
import re
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from cyberveille.extract import Extractor
from cyberveille.extract.cues import (
    RULES_PACKAGE,
    Cue,
    CueSet,
    HitIndex,
    RuleError,
    available_languages,
    compile_rules,
    load_rules,
    pattern_regex,
)
from cyberveille.extract.dates import DateFinder
from cyberveille.extract.figures import FigureFinder, parse_number
from cyberveille.extract.fold import fold
from cyberveille.extract.mentions import names_no_organisation
from cyberveille.extract.regions import is_region, region_spans
from cyberveille.kb import KnowledgeBase
from cyberveille.types import Article, Claim, Extraction, content_id


def extract(
    extractor: Extractor, text: str, language: str, published: date | None = None
) -> Extraction:
    article = Article(
        id=content_id("test", text),
        text=text,
        language=language,
        origin="test",
        published=published,
    )
    return extractor.extract(article)


def of_kind(extraction: Extraction, kind: str) -> list[Claim]:
    return [c for c in extraction.claims if c.kind == kind]


def attributions(extraction: Extraction) -> set[tuple[str | None, str | None]]:
    """(accused, accuser) pairs."""
    return {(c.subject, c.accuser) for c in of_kind(extraction, "attribution")}


def only_attribution(extraction: Extraction) -> Claim:
    found = of_kind(extraction, "attribution")
    assert len(found) == 1, found
    return found[0]


def actor_ids(extractor: Extractor, text: str, language: str = "en") -> set[str | None]:
    """Canonical ids of the threat actors named in ``text``."""
    ex = extract(extractor, text, language)
    return {m.canonical_id for m in ex.mentions if m.kind == "threat_actor"}


def actor_mentions(
    extractor: Extractor, text: str, language: str = "en"
) -> list[tuple[str, str | None]]:
    """The words and canonical ids of the threat-actor mentions of ``text``, in order."""
    ex = extract(extractor, text, language)
    return [(m.text, m.canonical_id) for m in ex.mentions if m.kind == "threat_actor"]


def sponsor_ids(extractor: Extractor, text: str) -> set[str | None]:
    """Objects of the sponsorship claims read in ``text`` (English)."""
    return {c.object for c in of_kind(extract(extractor, text, "en"), "sponsorship")}


def accused_ids(extractor: Extractor, text: str) -> set[str | None]:
    """Subjects of the attribution claims read in ``text`` (English)."""
    return {c.subject for c in of_kind(extract(extractor, text, "en"), "attribution")}


# -- cue pattern syntax ------------------------------------------------------------------


def _matches(pattern: str, text: str) -> list[str]:
    folded = fold(text)
    return [m.group(0) for m in re.finditer(pattern_regex(pattern), folded)]


def test_pattern_words_are_folded_and_bounded() -> None:
    # Case and accents are folded on both sides: "Accusé" finds "ACCUSE".
    assert _matches("Accusé", "Washington ACCUSE la Chine") == ["accuse"]
    assert _matches("accusé", "Pékin est accusé") == ["accuse"]
    assert _matches("sanction", "des sanctions") == []  # whole words only
    assert _matches("sanction", "une pré-sanction") == []  # no match after a hyphen


def test_pattern_prefix_star() -> None:
    assert _matches("accus*", "ils accusent; elle accusait") == ["accusent", "accusait"]
    assert _matches("accus*", "accusateur-public") == ["accusateur-public"]


def test_pattern_optional_word() -> None:
    assert _matches("joint? statement", "a joint statement and a statement") == [
        "joint statement",
        "statement",
    ]


def test_pattern_apostrophe_allows_optional_space() -> None:
    assert _matches("d' après", "d'après l'ANSSI") == ["d'apres"]
    assert _matches("d' après", "d' après l'ANSSI") == ["d' apres"]
    assert _matches("l' origine", "à l\u2019origine de l'attaque") == ["l'origine"]


def test_pattern_words_may_be_separated_by_any_spaces() -> None:
    assert _matches("mis en cause", "mis  en\u00a0cause") == ["mis  en cause"]


@pytest.mark.parametrize("pattern", ["", "   ", "*", "accus *", "*?", "publiquement?", "a? b?"])
def test_empty_or_match_anything_pattern_is_refused(pattern: str) -> None:
    with pytest.raises(RuleError):
        pattern_regex(pattern)


def test_a_cue_window_must_be_a_positive_number_of_characters() -> None:
    for window in ("wide", 0, True):
        rules = {"language": "xx", "actor_relations": [{"cue": "overlaps with", "window": window}]}
        with pytest.raises(RuleError, match="overlaps with"):
            compile_rules(rules)
    ok = compile_rules({"language": "xx", "actor_relations": [{"cue": "like", "window": 20}]})
    assert [h.cue.get("window") for h in ok["actor_relations"].find("just like apt28")] == [20]


def test_a_cues_word_lists_must_be_lists_of_words() -> None:
    for key, value in (
        ("not_after", "sanction*"),
        ("not_after", ["sanction*", ""]),
        ("not_after", ["*"]),
        ("charge", [3]),
        ("after_nouns", "malware"),
    ):
        rules = {"language": "xx", "targeting": [{"cue": "against", key: value}]}
        with pytest.raises(RuleError, match="against"):
            compile_rules(rules)
    ok = {"language": "xx", "targeting": [{"cue": "against", "not_after": ["sanction*"]}]}
    assert compile_rules(ok)["targeting"].find("attacks against")


def test_a_rule_file_error_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "xx.json"
    bad.write_text('{"language": "xx", "targeting": [{"cue": "against", "charge": "of"}]}')
    monkeypatch.setattr("cyberveille.extract.cues.rule_file", lambda language: bad)
    load_rules.cache_clear()
    try:
        with pytest.raises(RuleError, match=r"xx\.json"):
            load_rules("xx")
    finally:
        load_rules.cache_clear()


def test_a_unit_factor_must_be_a_positive_number() -> None:
    for factor in ("big", 0, True):
        rules = {"language": "xx", "figure_units": {"bytes": [{"cue": "tb", "factor": factor}]}}
        with pytest.raises(RuleError, match="factor"):
            compile_rules(rules)


def test_a_verb_type_must_be_a_type_of_the_section() -> None:
    rules = {
        "language": "xx",
        "incident_types": {"data_theft": [{"cue": "breach", "as_verb": "intruison"}]},
    }
    with pytest.raises(RuleError, match="intruison"):
        compile_rules(rules)
    rules["incident_types"]["intrusion"] = ["hacked into"]
    rules["incident_types"]["data_theft"] = [{"cue": "breach", "as_verb": "intrusion"}]
    assert compile_rules(rules)["incident_types"].find("a breach")


def test_malformed_relative_dates_are_refused() -> None:
    for value in (
        {"phrases": {"last week": ["fortnight", -1]}},
        {"phrases": {"last week": "week"}},
        {"weekdays": {"lundi": 7}},
        {"units": {"jours": "decade"}},
    ):
        with pytest.raises(RuleError, match="relative_dates"):
            compile_rules({"language": "xx", "relative_dates": value})


def test_lone_question_mark_is_literal() -> None:
    assert _matches("pourquoi ?", "mais pourquoi ? dit-il") == ["pourquoi ?"]


def test_pattern_ending_with_optional_word_is_refused() -> None:
    with pytest.raises(RuleError):
        pattern_regex("accuse publiquement?")


def test_empty_cue_in_a_rule_file_is_refused() -> None:
    with pytest.raises(RuleError):
        compile_rules({"language": "xx", "attribution": [{"cue": "", "structure": "active"}]})
    with pytest.raises(RuleError):
        compile_rules({"language": "xx", "deny": ["  "]})


def test_malformed_rule_files_are_refused() -> None:
    with pytest.raises(RuleError, match="language"):
        compile_rules({"attribution": ["accus*"]})
    with pytest.raises(RuleError, match="unknown section"):
        compile_rules({"language": "xx", "acusation": ["accus*"]})
    with pytest.raises(RuleError, match="neither"):
        compile_rules({"language": "xx", "deny": [42]})


def test_cueset_finds_hits_with_their_attributes() -> None:
    cues = CueSet([Cue("accus*", "attribution", (("structure", "active"),)), Cue("nie", "deny")])
    text = "Moscou nie; Londres accuse."
    hits = cues.find(fold(text))
    assert [text[h.start : h.end] for h in hits] == ["nie", "accuse"]
    assert hits[1].cue.get("structure") == "active"
    assert hits[0].cue.get("structure", "none") == "none"
    assert not CueSet([]) and CueSet([]).find("anything") == []


def test_cueset_takes_the_first_listed_cue_that_matches_whatever_its_first_character() -> None:
    # Scans are split by first character; the first listed cue that matches must still win,
    # including cues with an optional first word or a symbol first.
    cues = CueSet(
        [
            Cue("operators of", "x"),
            Cue("the? operators", "x"),
            Cue("operators", "x"),
            Cue("€", "x"),
            Cue("o*", "x"),
        ]
    )
    text = "the operators of it; operators; 5 € owed"
    hits = cues.find(fold(text))
    assert [(text[h.start : h.end], h.cue.pattern) for h in hits] == [
        ("the operators", "the? operators"),
        ("of", "o*"),
        ("operators", "the? operators"),
        ("€", "€"),
        ("owed", "o*"),
    ]


def test_the_word_index_finds_what_each_section_scan_finds() -> None:
    # the one-pass scan of every section (WordIndex) must find exactly the hits of the
    # per-section regex scans: same cue, same place, first listed cue first, no overlap
    rules = compile_rules(
        {
            "language": "xx",
            "attribution": ["operators of", "the? operators", "operators", "€", "o*"],
            "deny": ["the group*", "the", "l' attaque", "d' apres"],
        }
    )
    text = "the operators of it; the groupe, the group; l'attaque d' après 5 € owed"
    folded = fold(text)
    scanned = rules.word_index.scan(folded)
    for section in ("attribution", "deny"):
        assert scanned[section] == rules[section].find(folded)
    assert [text[h.start : h.end] for h in scanned["deny"]] == [
        "the",
        "the groupe",
        "the group",
        "l'attaque",
        "d' après",
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_word_index_agrees_with_the_section_scans_on_the_examples(language: str) -> None:
    rules = load_rules(language)
    for path in sorted((Path(__file__).parents[1] / "examples").rglob("*")):
        if path.is_file():
            folded = fold(path.read_text(encoding="utf-8", errors="replace"))
            scanned = rules.word_index.scan(folded)
            for name, cues in rules.sections.items():
                assert scanned.get(name, []) == cues.find(folded), (path.name, name)


def test_grouped_section_entries_get_their_label() -> None:
    rules = compile_rules({"language": "xx", "incident_types": {"ransomware": ["rançon*"]}})
    (hit,) = rules["incident_types"].find(fold("Une demande de rançon."))
    assert hit.cue.get("label") == "ransomware"


@pytest.mark.parametrize("name", ["fr", "en", "common"])
def test_every_rule_file_compiles(name: str) -> None:
    data = json.loads(
        resources.files(RULES_PACKAGE).joinpath(f"{name}.json").read_text(encoding="utf-8")
    )
    rules = compile_rules(data)
    assert rules.language == data["language"]
    assert rules["figure_units"] and rules["incident_types"]
    if name != "common":
        assert rules.months and rules.number_words
        for section in ("attribution", "sponsorship", "targeting", "deny", "hedge_outlet"):
            assert rules[section], section


def test_languages_with_rules_and_fallback() -> None:
    assert {"fr", "en"} <= set(available_languages())
    assert "common" not in available_languages()
    assert load_rules("de").language == load_rules("common").language


# -- attribution: accuser, accused, type -------------------------------------------------


def test_fr_state_accuses_state(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor, "Le Royaume-Uni accuse la Chine d'avoir piraté des serveurs.", "fr"
    )
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser, claim.accuser_country) == (
        "country:CN",
        "country:GB",
        "GB",
    )
    assert claim.attribution_type == "political_statement"
    assert claim.modality == "asserted" and not claim.hedged_by_outlet
    assert "accuse" in claim.evidence.cues


def test_fr_state_accuses_actor(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "Les États-Unis accusent le groupe APT40 d'espionnage.", "fr")
    assert attributions(ex) == {("actor:apt40", "country:US")}
    assert only_attribution(ex).attribution_type == "political_statement"


def test_fr_justice_body_indicts(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor,
        "Le département de la Justice américain a inculpé quatre membres d'APT40.",
        "fr",
    )
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser, claim.accuser_country) == (
        "actor:apt40",
        "inst:us-doj",
        "US",
    )
    assert claim.attribution_type == "indictment"
    responses = of_kind(ex, "response")
    assert [(r.subject, r.text) for r in responses] == [("inst:us-doj", "indictment")]
    assert "response:indictment:US" in ex.incident_mentions[0].keys


def test_fr_sanctions(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "Le Trésor américain a sanctionné le groupe APT28.", "fr")
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser) == ("actor:apt28", "inst:us-treasury")
    assert claim.attribution_type == "sanctions"
    assert ("inst:us-treasury", "sanctions") in {
        (r.subject, r.text) for r in of_kind(ex, "response")
    }


def test_fr_security_vendor_is_a_technical_report(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor, "La société Mandiant accuse le groupe APT28 d'avoir mené l'attaque.", "fr"
    )
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser) == ("actor:apt28", "inst:mandiant")
    assert claim.attribution_type == "technical_report"


def test_en_state_accuses_state(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "The United Kingdom accused China of hacking mail servers.", "en")
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser, claim.attribution_type) == (
        "country:CN",
        "country:GB",
        "political_statement",
    )


def test_en_united_states_as_accuser(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "The United States accused APT28 of the attack.", "en")
    assert attributions(ex) == {("actor:apt28", "country:US")}


def test_en_justice_sanctions_and_vendor(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor, "The US Department of Justice indicted four members of APT40.", "en"
    )
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser, claim.attribution_type) == (
        "actor:apt40",
        "inst:us-doj",
        "indictment",
    )
    ex = extract(blank_extractor, "The US Treasury sanctioned operators of APT28.", "en")
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser, claim.attribution_type) == (
        "actor:apt28",
        "inst:us-treasury",
        "sanctions",
    )
    ex = extract(blank_extractor, "Mandiant attributed the intrusion to APT29.", "en")
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser, claim.attribution_type) == (
        "actor:apt29",
        "inst:mandiant",
        "technical_report",
    )


# -- modality and hedging ----------------------------------------------------------------


def test_fr_alleged_with_soupconne(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor,
        "La France accuse le groupe APT28, soupçonné d'avoir piraté le ministère.",
        "fr",
    )
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser) == ("actor:apt28", "country:FR")
    assert claim.modality == "alleged"
    assert "soupçonné" in claim.evidence.cues


def test_en_alleged_with_suspected(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor,
        "Britain accused APT28 of the attack, which it suspected was run from Moscow.",
        "en",
    )
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser, claim.modality) == (
        "actor:apt28",
        "country:GB",
        "alleged",
    )


@pytest.mark.parametrize(
    ("text", "language", "accuser"),
    [
        ("La France soupçonne la Russie d'être derrière l'attaque.", "fr", "country:FR"),
        ("Britain suspects Russia of being behind the attack.", "en", "country:GB"),
    ],
)
def test_suspecting_state_is_the_accuser(
    blank_extractor: Extractor, text: str, language: str, accuser: str
) -> None:
    ex = extract(blank_extractor, text, language)
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser, claim.modality) == ("country:RU", accuser, "alleged")


def test_fr_denied_with_dement(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "La Russie dément être à l'origine de l'attaque.", "fr")
    claim = only_attribution(ex)
    assert (claim.subject, claim.modality) == ("country:RU", "denied")
    assert "dément" in claim.evidence.cues
    assert ("country:RU", "denial") in {(r.subject, r.text) for r in of_kind(ex, "response")}


def test_en_denied(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "Russia denied being behind the attack.", "en")
    claim = only_attribution(ex)
    assert (claim.subject, claim.modality) == ("country:RU", "denied")
    assert ("country:RU", "denial") in {(r.subject, r.text) for r in of_kind(ex, "response")}


def test_fr_denial_response_names_the_denier(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor,
        "La Chine dément toute implication et rejette les accusations des États-Unis.",
        "fr",
    )
    assert {(r.subject, r.text) for r in of_kind(ex, "response")} == {("country:CN", "denial")}


@pytest.mark.parametrize(
    ("text", "language", "denier"),
    [
        ("China rejected the accusations on Tuesday.", "en", "country:CN"),
        ("The Kremlin said the allegations were baseless.", "en", "country:RU"),
        ("Russia dismissed the claims as unfounded.", "en", "country:RU"),
        ("La Chine nie toute implication.", "fr", "country:CN"),
        ("Pékin a rejeté les allégations.", "fr", "country:CN"),
    ],
)
def test_a_rejected_accusation_is_a_denial(
    blank_extractor: Extractor, text: str, language: str, denier: str
) -> None:
    ex = extract(blank_extractor, text, language)
    assert (denier, "denial") in {(r.subject, r.text) for r in of_kind(ex, "response")}


def test_a_state_calling_accusations_slanders_denies_them_and_accuses_no_one(
    blank_extractor: Extractor,
) -> None:
    text = 'China\'s embassy called the accusations "malicious slanders" and said Beijing objected.'
    ex = extract(blank_extractor, text, "en")
    assert not of_kind(ex, "attribution")
    assert ("country:CN", "denial") in {(r.subject, r.text) for r in of_kind(ex, "response")}


def test_the_name_of_the_group_behind_an_attack_is_accused(blank_extractor: Extractor) -> None:
    text = "The group behind the attack, known as Sandworm, stole the files."
    ex = extract(blank_extractor, text, "en")
    assert [c.subject for c in of_kind(ex, "attribution")] == ["actor:sandworm"]
    text = "Le groupe derrière l'attaque, connu sous le nom de Sandworm, a volé les fichiers."
    ex = extract(blank_extractor, text, "fr")
    assert [c.subject for c in of_kind(ex, "attribution")] == ["actor:sandworm"]
    # a target after the cue is no accused
    assert not of_kind(
        extract(blank_extractor, "The hackers behind the attack on Estonia hid.", "en"),
        "attribution",
    )


def test_defendants_working_for_an_agency_are_sponsored_by_it(blank_extractor: Extractor) -> None:
    text = "Prosecutors said the defendants worked for the Main Intelligence Directorate."
    ex = extract(blank_extractor, text, "en")
    assert [c.object for c in of_kind(ex, "sponsorship")] == ["agency:ru-gru"]


@pytest.mark.parametrize(
    ("text", "language", "accused", "accuser"),
    [
        # a bare "responsible" or "to blame" after a copula
        (
            "Two US officials told reporters that Iran was responsible.",
            "en",
            "country:IR",
            "country:US",
        ),
        ("Officials believe North Korea is to blame.", "en", "country:KP", None),
        # the name after the comma closing a source phrase is accused, not a source
        (
            "According to people close to the case, China was behind the breach.",
            "en",
            "country:CN",
            None,
        ),
        (
            "Selon des sources proches du dossier, la Chine serait derrière l'attaque.",
            "fr",
            "country:CN",
            None,
        ),
        (
            "According to the NCSC, Russia was behind the breach.",
            "en",
            "country:RU",
            "inst:gb-ncsc",
        ),
    ],
)
def test_who_is_responsible_after_a_source_or_a_copula(
    blank_extractor: Extractor, text: str, language: str, accused: str, accuser: str | None
) -> None:
    ex = extract(blank_extractor, text, language)
    assert [(c.subject, c.accuser) for c in of_kind(ex, "attribution")] == [(accused, accuser)]


def test_links_and_ties_accuse_only_as_verbs_with_their_preposition(
    blank_extractor: Extractor,
) -> None:
    ex = extract(blank_extractor, "CrowdStrike links Fancy Bear to the GRU.", "en")
    assert [(c.subject, c.accuser) for c in of_kind(ex, "attribution")] == [
        ("agency:ru-gru", "inst:crowdstrike")
    ]
    ex = extract(blank_extractor, "Mandiant ties the intrusions to China.", "en")
    assert [(c.subject, c.accuser) for c in of_kind(ex, "attribution")] == [
        ("country:CN", "inst:mandiant")
    ]
    # "links" as a noun: no accusation by the US, whose companies were targeted
    text = (
        "Spies targeted US gas firms with emails luring staff into clicking malicious links "
        "or attachments that let the attackers slip into their networks to attack China."
    )
    assert not of_kind(extract(blank_extractor, text, "en"), "attribution")


def test_a_hedge_between_the_doers_and_their_sponsor_keeps_them_together(
    blank_extractor: Extractor,
) -> None:
    text = "The hackers, believed to be working on behalf of the Iranian government, hit banks."
    ex = extract(blank_extractor, text, "en")
    assert [(c.object, c.modality) for c in of_kind(ex, "sponsorship")] == [
        ("country:IR", "alleged")
    ]


def test_fr_hedged_by_outlet_with_aurait(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor,
        "Selon l'ANSSI, le groupe APT28 aurait été derrière l'attaque du ministère.",
        "fr",
    )
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser) == ("actor:apt28", "inst:fr-anssi")
    assert claim.hedged_by_outlet
    assert claim.modality == "asserted"  # the outlet hedges, not the accuser
    assert "aurait" in claim.evidence.cues


def test_en_hedged_by_outlet_with_reportedly(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "The NCSC reportedly blamed APT28 for the attack.", "en")
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser) == ("actor:apt28", "inst:gb-ncsc")
    assert claim.hedged_by_outlet and claim.modality == "asserted"
    assert "reportedly" in claim.evidence.cues


def test_en_reportedly_behind(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor, "APT28 was reportedly behind the attack, according to the NCSC.", "en"
    )
    claim = only_attribution(ex)
    assert (claim.subject, claim.accuser, claim.hedged_by_outlet) == (
        "actor:apt28",
        "inst:gb-ncsc",
        True,
    )


def test_a_headlines_topic_word_is_no_attackers_noun(blank_extractor: Extractor) -> None:
    # « Espionnage : Paris accuse... »: Paris accuses; « espion* » matched « Espionnage »
    text = "Espionnage : Paris accuse un groupe lié à Pékin d'avoir piraté plusieurs ministères"
    assert attributions(extract(blank_extractor, text, "fr")) == {("country:CN", "country:FR")}
    text = "Des espions russes ont piraté le ministère."
    assert {c.subject for c in of_kind(extract(blank_extractor, text, "fr"), "attribution")} == {
        "country:RU"
    }


def _self_claimers(extractor: Extractor, text: str, language: str) -> set[str | None]:
    """Who claims the act in ``text`` (subjects of self-attributions)."""
    return {
        c.subject
        for c in of_kind(extract(extractor, text, language), "attribution")
        if c.attribution_type == "self_attribution"
    }


def test_attacks_claimed_by_a_group_are_its_own(blank_extractor: Extractor) -> None:
    text = "The attacks were claimed by NoName057(16), which analysts tie to APT28."
    assert _self_claimers(blank_extractor, text, "en") == {"actor:noname057-16"}


def test_an_actor_in_an_aside_does_not_claim_the_act(blank_extractor: Extractor) -> None:
    text = (
        "Le groupe hacktiviste Solntsepek, présenté comme une façade de Sandworm, "
        "a revendiqué l'attaque."
    )
    assert _self_claimers(blank_extractor, text, "fr") == {"actor:solntsepek"}


def test_sectors_hit_in_the_passive_are_victims(blank_extractor: Extractor) -> None:
    text = "The websites of several Danish banks were knocked offline on Thursday."
    assert {"country:DK", "sector:Finance"} <= _targets(extract(blank_extractor, text, "en"))
    # a verb in -ing is active: who spies is no victim
    text = "Ruritanian intelligence services are spying on the mission."
    assert "sector:Intelligence" not in _targets(extract(blank_extractor, text, "en"))


def test_a_website_knocked_offline_is_no_defacement(blank_extractor: Extractor) -> None:
    text = "Hacktivists attacked the websites of Danish banks in a DDoS attack."
    (mention,) = extract(blank_extractor, text, "en").incident_mentions
    assert mention.incident_types == ("disruption",)


def test_hallmarks_of_a_group_are_an_alleged_attribution(blank_extractor: Extractor) -> None:
    text = (
        "Mandiant said the intrusion bore the hallmarks of APT40, a China-nexus actor, "
        "but stopped short of a formal attribution."
    )
    ex = extract(blank_extractor, text, "en")
    found = {(c.subject, c.accuser, c.modality) for c in of_kind(ex, "attribution")}
    assert ("actor:apt40", "inst:mandiant", "alleged") in found
    assert ("actor:apt40", "country:CN") in {
        (c.subject, c.object) for c in of_kind(ex, "sponsorship")
    }


def test_who_exposes_the_unit_behind_an_attack_accuses_it(blank_extractor: Extractor) -> None:
    # the subject of a headline's "expose" accuses; it is not one of those behind it
    ex = extract(
        blank_extractor, "Estonia and allies expose Russian military unit behind attacks", "en"
    )
    assert attributions(ex) == {("country:RU", "country:EE")}


def test_each_clause_with_its_own_accuser_accuses_on_its_own(blank_extractor: Extractor) -> None:
    text = (
        "The US Treasury sanctioned three GRU officers, and the Justice Department "
        "unsealed an indictment charging five Russian nationals."
    )
    ex = extract(blank_extractor, text, "en")
    by_accuser = {(c.accuser, c.attribution_type) for c in of_kind(ex, "attribution")}
    assert by_accuser == {("inst:us-treasury", "sanctions"), ("inst:us-doj", "indictment")}
    responses = {(c.subject, c.text) for c in of_kind(ex, "response")}
    assert responses == {("inst:us-treasury", "sanctions"), ("inst:us-doj", "indictment")}
    # the evidence is the whole sentence
    assert {c.evidence.sentence for c in of_kind(ex, "attribution")} == {text}
    # each clause's firmness is its own
    text = text.replace("Department unsealed", "Department allegedly unsealed")
    ex = extract(blank_extractor, text, "en")
    modality = {c.accuser: c.modality for c in of_kind(ex, "attribution")}
    assert modality == {"inst:us-treasury": "asserted", "inst:us-doj": "alleged"}


# -- passive voice and joins -------------------------------------------------------------


def test_fr_passive_attribution(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "L'attaque a été attribuée à la Russie.", "fr")
    claim = only_attribution(ex)
    assert claim.subject == "country:RU"
    assert claim.accuser is None and claim.attribution_type == "media_report"


def test_en_passive_attribution(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "The attack was attributed to Russia.", "en")
    assert attributions(ex) == {("country:RU", None)}


def test_fr_passive_attribution_with_agent(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "L'attaque a été attribuée à la Russie par le Royaume-Uni.", "fr")
    assert attributions(ex) == {("country:RU", "country:GB")}


def test_fr_join_statement(blank_extractor: Extractor) -> None:
    text = (
        "Les États-Unis accusent la Chine d'avoir piraté des serveurs. "
        "Le Canada et l'Australie se joignent aux accusations."
    )
    ex = extract(blank_extractor, text, "fr")
    assert attributions(ex) == {
        ("country:CN", "country:US"),
        ("country:CN", "country:CA"),
        ("country:CN", "country:AU"),
    }
    joined = [c for c in of_kind(ex, "attribution") if c.accuser == "country:CA"]
    assert joined[0].evidence.sentence_index == 1
    assert joined[0].attribution_type == "political_statement"


def test_en_join_statement(blank_extractor: Extractor) -> None:
    text = "Britain accused Russia of the attack. Canada and Australia joined the accusations."
    ex = extract(blank_extractor, text, "en")
    assert attributions(ex) == {
        ("country:RU", "country:GB"),
        ("country:RU", "country:CA"),
        ("country:RU", "country:AU"),
    }


# -- sponsorship -------------------------------------------------------------------------


def _sponsorships(ex: Extraction) -> set[tuple[str | None, str | None]]:
    return {(c.subject, c.object) for c in of_kind(ex, "sponsorship")}


def test_fr_sponsored_by(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor,
        "Le groupe APT40 est parrainé par le ministère de la Sécurité d'État chinois.",
        "fr",
    )
    assert _sponsorships(ex) == {("actor:apt40", "agency:cn-mss")}


def test_en_backed_by(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor, "APT40 is backed by the Chinese Ministry of State Security.", "en"
    )
    assert _sponsorships(ex) == {("actor:apt40", "agency:cn-mss")}


def test_fr_reverse_sponsorship(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor,
        "Le MSS chinois utilise des pirates du groupe APT40 pour voler des secrets.",
        "fr",
    )
    assert _sponsorships(ex) == {("actor:apt40", "agency:cn-mss")}


def test_en_reverse_sponsorship_by_a_state(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor,
        "The Chinese government uses criminal hackers such as APT40 to steal secrets.",
        "en",
    )
    assert _sponsorships(ex) == {("actor:apt40", "country:CN")}


def test_sponsorship_takes_the_accuser_hedge(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor,
        "The United Kingdom accused APT28, suspected of working for Moscow, of the attack.",
        "en",
    )
    (sponsorship,) = of_kind(ex, "sponsorship")
    assert (sponsorship.subject, sponsorship.object, sponsorship.modality) == (
        "actor:apt28",
        "country:RU",
        "alleged",
    )


# -- targeting ---------------------------------------------------------------------------


def _targets(ex: Extraction) -> set[str | None]:
    return {c.object for c in of_kind(ex, "targeting")}


def test_fr_victim_countries_after_a_targeting_cue(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor,
        "Le groupe APT40 a visé des entreprises en Allemagne, en Italie et au Japon.",
        "fr",
    )
    assert _targets(ex) == {"country:DE", "country:IT", "country:JP"}
    assert {c.subject for c in of_kind(ex, "targeting")} == {"actor:apt40"}


def test_the_state_qualifying_the_subject_of_a_passive_attack_is_the_victim(
    blank_extractor: Extractor,
) -> None:
    for text, language in (
        ("Norway's central bank was reportedly targeted by a hacker group.", "en"),
        ("The Norwegian weather office has been hit by a DDoS attack.", "en"),
        ("La banque centrale norvégienne a été ciblée par des pirates.", "fr"),
    ):
        assert "country:NO" in _targets(extract(blank_extractor, text, language)), text
    for text in (
        # active: the doer
        "The Norwegian intelligence service hacked into the servers of the firm, the paper said.",
        "Norwegian hackers were targeting the bank.",  # the attackers' nationality
        "Hackers from Norway have been attacking the bank.",  # progressive, not passive
        "A tool sold by the Norwegian firm was used against journalists.",  # not the verb
    ):
        assert "country:NO" not in _targets(extract(blank_extractor, text, "en")), text


def test_a_targeted_state_body_makes_its_state_a_victim(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "Hackers broke into the servers of the FBI in May.", "en")
    assert {"inst:us-fbi", "country:US"} <= _targets(ex)
    for text in (
        "The firms were targeted by the GRU last year.",  # the doer of a passive verb
        "Hackers targeted firms in Ghana, according to the FBI.",  # a source, far away
        "Hackers infected computers of the Danish foreign office.",  # not the UK's
    ):
        targets = _targets(extract(blank_extractor, text, "en"))
        assert not targets & {"agency:ru-gru", "country:RU", "country:US", "country:GB"}, text


def test_accused_state_is_not_a_victim(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor, "Les États-Unis accusent la Chine d'avoir visé l'Allemagne.", "fr"
    )
    assert _targets(ex) == {"country:DE"}
    ex = extract(
        blank_extractor, "Chinese hackers targeted companies in Germany, Italy and Japan.", "en"
    )
    assert _targets(ex) == {"country:DE", "country:IT", "country:JP"}
    text = (
        "Le Royaume-Uni accuse la Russie d'être derrière l'attaque. "
        "Les pirates ont visé la Russie et l'Ukraine pour brouiller les pistes."
    )
    ex = extract(blank_extractor, text, "fr")
    assert "country:RU" not in _targets(ex)
    assert "country:UA" in _targets(ex)


def test_domestic_victims_share_the_doers_nationality(blank_extractor: Extractor) -> None:
    # The nationality right after the attack verb qualifies its object: a victim, even when
    # the attackers are of that state too; a nationality further on is not.
    text = "Iranian hackers of the Foo Kitten group spied on Iranian students for a year."
    assert "country:IR" in _targets(extract(blank_extractor, text, "en"))
    text = "Iranian hacktivists stole confidential data from Iranian state media."
    assert "country:IR" in _targets(extract(blank_extractor, text, "en"))
    text = "Iranian hackers spied on students, Iranian officials said."
    assert "country:IR" not in _targets(extract(blank_extractor, text, "en"))


def test_hacktivists_named_as_doers_claim_their_own_acts(blank_extractor: Extractor) -> None:
    def types(text: str) -> set[tuple[str | None, str | None]]:
        ex = extract(blank_extractor, text, "en")
        return {(c.subject, c.attribution_type) for c in of_kind(ex, "attribution")}

    assert types("Killnet hit the websites of German airports with DDoS attacks.") == {
        ("actor:killnet", "self_attribution")
    }
    # suspected is no claim; and a state-run group is no hacktivist
    assert ("actor:killnet", "self_attribution") not in types(
        "Killnet is suspected to be responsible for the outage."
    )
    assert ("actor:apt28", "self_attribution") not in types("APT28 hit German ministries.")


def test_a_hacked_website_is_signed_unless_the_doer_is_a_tracked_intrusion_set(
    blank_extractor: Extractor,
) -> None:
    def types(text: str) -> set[tuple[str | None, str | None]]:
        ex = extract(blank_extractor, text, "en")
        return {(c.subject, c.attribution_type) for c in of_kind(ex, "attribution")}

    assert ("country:PK", "self_attribution") in types(
        "Pakistani hackers hacked the official website of the Indian army."
    )
    assert ("actor:apt32", "self_attribution") not in types(
        "APT32 compromised websites in Vietnam to deliver malware."
    )


def test_vendor_words_make_the_outlets_attribution_a_technical_report(
    blank_extractor: Extractor,
) -> None:
    ex = extract(blank_extractor, "Chinese hackers stole files from the ministry.", "en")
    assert {c.attribution_type for c in of_kind(ex, "attribution")} == {"media_report"}
    text = "A Chinese threat actor stole files from the ministry, researchers found."
    ex = extract(blank_extractor, text, "en")
    assert {c.attribution_type for c in of_kind(ex, "attribution")} == {"technical_report"}


def test_group_names_the_attackers_only_next_to_their_nationality(
    blank_extractor: Extractor,
) -> None:
    ex = extract(blank_extractor, "Hackers attacked several US progressive groups.", "en")
    assert "country:US" not in {c.subject for c in of_kind(ex, "attribution")}
    assert "country:US" in _targets(ex)
    for text in ("A Chinese group hit the firm.", "The Chinese Winnti Group hit the firm."):
        assert "country:CN" in accused_ids(blank_extractor, text), text


def test_anti_state_attackers_are_not_that_states(blank_extractor: Extractor) -> None:
    accused = accused_ids(blank_extractor, "Anti-Georgia Russian hackers were behind it.")
    assert "country:RU" in accused and "country:GE" not in accused
    assert "country:RU" in accused_ids(blank_extractor, "Pro-Russian hackers were behind it.")


def test_a_state_in_a_subordinate_clause_is_no_source(blank_extractor: Extractor) -> None:
    text = "Russian hackers targeted Montenegro after the country announced it would join NATO."
    ex = extract(blank_extractor, text, "en")
    assert {c.accuser for c in of_kind(ex, "attribution")} == {None}


def test_where_attacks_came_from_is_who_is_blamed_not_a_victim(blank_extractor: Extractor) -> None:
    text = "Attacks believed to have originated from China hit Japanese universities."
    ex = extract(blank_extractor, text, "en")
    assert "country:CN" in {c.subject for c in of_kind(ex, "attribution")}
    assert _targets(ex) & {"country:CN", "country:JP"} == {"country:JP"}
    ex = extract(blank_extractor, "Des attaques en provenance de Chine ont visé le Japon.", "fr")
    assert "country:CN" in {c.subject for c in of_kind(ex, "attribution")}
    assert "country:CN" not in _targets(ex)


def test_verbs_that_name_only_victims(blank_extractor: Extractor) -> None:
    for text, lang, state in (
        ("Hacktivists disrupt the state TV of Iran.", "en", "country:IR"),
        ("Fraudulent mails were addressed to media companies in Germany.", "en", "country:DE"),
        ("Des pirates cherchent à perturber les services de l'Estonie.", "fr", "country:EE"),
    ):
        assert state in _targets(extract(blank_extractor, text, lang)), text
    # the doer before such a verb is not blamed by it
    assert "country:IR" not in accused_ids(blank_extractor, "Iran wants to disrupt it.")


def test_headline_victims_of_a_passive_verb(blank_extractor: Extractor) -> None:
    for text, state in (
        ("Pakistani Officials Targeted with RATs", "country:PK"),
        ("Websites of clinics in Germany taken down by Killnet", "country:DE"),
    ):
        assert state in _targets(extract(blank_extractor, text, "en")), text
    assert "country:RU" not in _targets(extract(blank_extractor, "Russia Blamed for Hack", "en"))


def test_stances_motives_and_sources_name_no_victim(blank_extractor: Extractor) -> None:
    for text, state in (
        ("Hackers defaced the site in protest against the war in Yemen.", "country:YE"),
        ("Hackers defaced the site and left anti-Israel messages.", "country:IL"),
        ("Hackers targeted ministries, as reported by German firm G Data.", "country:DE"),
        ("Hackers hit a ministry, based on the findings of Slovak firm ESET.", "country:SK"),
        ("Against this backdrop, the US offered a reward.", "country:US"),
        ("Sites in Ohio were taken down by ransomware of Russian origin.", "country:RU"),
        ("Hackers hit a channel that backed the Russian invasion.", "country:RU"),
    ):
        assert state not in _targets(extract(blank_extractor, text, "en")), text
    text = "In retaliation, hackers attacked Israeli sites."
    assert "country:IL" in _targets(extract(blank_extractor, text, "en"))


def test_any_attack_verb_in_the_passive_names_the_victim_before_it(
    blank_extractor: Extractor,
) -> None:
    ex = extract(blank_extractor, "A website of Microsoft was defaced by hackers.", "en")
    assert "inst:microsoft" in _targets(ex)
    text = "The portal of the Government of Ghana was hacked on Monday."
    assert "country:GH" in _targets(extract(blank_extractor, text, "en"))


def test_what_describes_the_accused_after_the_attack_is_no_victim(
    blank_extractor: Extractor,
) -> None:
    text = (
        "Estonia attributed cyberattacks against its ministries to Unit 29155 of "
        "Russia's military intelligence agency."
    )
    found = _targets(extract(blank_extractor, text, "en"))
    assert "sector:Government, Administration" in found
    assert "sector:Military" not in found and "sector:Intelligence" not in found


def test_sectors_only_in_a_targeting_context(blank_extractor: Extractor) -> None:
    text = (
        "Le secteur de la santé est vital pour la France. "
        "Le groupe APT40 a piraté des hôpitaux en Espagne."
    )
    ex = extract(blank_extractor, text, "fr")
    targeting = of_kind(ex, "targeting")
    assert {c.object for c in targeting} == {"sector:Health", "country:ES"}
    assert {c.evidence.sentence_index for c in targeting} == {1}
    assert any(m.kind == "sector" and m.sentence_index == 0 for m in ex.mentions)
    assert "country:FR" not in _targets(ex)


# -- use ---------------------------------------------------------------------------------


def test_use_normalises_cve_ids_and_finds_malware_and_products(
    blank_extractor: Extractor,
) -> None:
    text = (
        "HAFNIUM a exploité les failles cve 2021 26855 et CVE\u20112021\u201127065 "
        "de Microsoft Exchange pour installer le maliciel China Chopper."
    )
    ex = extract(blank_extractor, text, "fr")
    uses = {c.object for c in of_kind(ex, "use")}
    assert uses == {
        "cve:CVE-2021-26855",
        "cve:CVE-2021-27065",
        "product:microsoft-exchange",
        "malware:china-chopper",
    }
    assert {c.subject for c in of_kind(ex, "use")} == {"actor:hafnium"}
    surfaces = {m.text for m in ex.mentions if m.kind == "vulnerability"}
    assert "cve 2021 26855" in surfaces


def test_en_use(blank_extractor: Extractor) -> None:
    text = "APT28 exploited CVE-2023-23397 in Microsoft Outlook."
    ex = extract(blank_extractor, text, "en")
    assert {(c.subject, c.object) for c in of_kind(ex, "use")} == {
        ("actor:apt28", "cve:CVE-2023-23397"),
        ("actor:apt28", "product:microsoft-outlook"),
    }


# -- impact figures ----------------------------------------------------------------------


def _impacts(ex: Extraction) -> set[tuple[float | None, str | None]]:
    return {(c.value, c.unit) for c in of_kind(ex, "impact")}


def test_fr_figures(blank_extractor: Extractor) -> None:
    text = (
        "Plus de 30.000 entreprises ont été touchées. "
        "Le préjudice atteint plusieurs millions de dollars. "
        "Les pirates ont dérobé 5 000 courriels."
    )
    ex = extract(blank_extractor, text, "fr")
    assert _impacts(ex) == {(30000.0, "organisations"), (None, "USD"), (5000.0, "records")}
    # « européennes » is no currency
    text = "Deux entreprises européennes ont payé 20 000 euros."
    assert _impacts(extract(blank_extractor, text, "fr")) == {
        (2.0, "organisations"),
        (20000.0, "EUR"),
    }
    by_text = {c.text for c in of_kind(ex, "impact")}
    assert {"30.000 entreprises", "plusieurs millions de dollars"} <= by_text


def test_en_money_figure(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "The attackers demanded $4.4 million from the city.", "en")
    assert _impacts(ex) == {(4_400_000.0, "USD")}


def test_years_are_not_counts(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "En 2021, 2021 entreprises ont été touchées en 2020.", "fr")
    assert all(c.value not in (2020.0, 2021.0) for c in of_kind(ex, "impact"))
    ex = extract(blank_extractor, "In 2020 companies were hit; 250 companies paid.", "en")
    assert _impacts(ex) == {(250.0, "organisations")}


@pytest.mark.parametrize(
    ("raw", "language", "expected"),
    [
        ("30.000", "fr", 30000.0),
        ("30 000", "fr", 30000.0),
        ("30,000", "en", 30000.0),
        ("2,5", "fr", 2.5),
        ("4.4", "en", 4.4),
        ("1.000,000", "fr", None),  # mixed separators: refused
    ],
)
def test_parse_number(raw: str, language: str, expected: float | None) -> None:
    assert parse_number(raw, language) == expected


def test_figure_finder_scale_words() -> None:
    finder = FigureFinder(load_rules("fr"))
    text = fold("Une rançon de 2,5 millions d'euros.")
    (figure,) = finder.find(text, 0, len(text))
    assert (figure.value, figure.unit) == (2_500_000.0, "EUR")


def test_an_article_read_as_one_is_no_figure() -> None:
    finder = FigureFinder(load_rules("fr"))
    text = fold("Dans un dossier distinct, la justice a inculpé un million de personnes.")
    assert [(f.value, f.unit) for f in finder.find(text, 0, len(text))] == [(1e6, "people")]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "The gang leaked 1.5 terabytes of files.", (1.5e12, "bytes")),
        ("en", "About 300 GB were copied.", (3e11, "bytes")),
        ("fr", "Les pirates ont dérobé 2 To de données.", (2e12, "bytes")),
        # customers are neither people nor organisations: a bank's and a vendor's differ
        ("en", "The details of 90,000 customers were exposed.", (90_000.0, "customers")),
        ("fr", "Les données de 12 000 clients ont fuité.", (12_000.0, "customers")),
        # one qualifying word may stand between the number and its unit
        ("en", "The group leaked 40,000 internal emails.", (40_000.0, "records")),
        ("en", "It sold 3 million stolen records.", (3e6, "records")),
    ],
)
def test_figure_units_with_their_factor(
    language: str, text: str, expected: tuple[float, str]
) -> None:
    finder = FigureFinder(load_rules(language))
    folded = fold(text)
    (figure,) = finder.find(folded, 0, len(folded))
    assert (figure.value, figure.unit) == expected


# -- dates -------------------------------------------------------------------------------


def _dates(ex: Extraction) -> set[tuple[date | None, date | None]]:
    return {(c.date_start, c.date_end) for c in of_kind(ex, "date")}


def test_fr_year_range(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "Le groupe APT10 a opéré entre 2011 et 2018.", "fr")
    assert _dates(ex) == {(date(2011, 1, 1), date(2018, 12, 31))}
    assert of_kind(ex, "date")[0].text == "entre 2011 et 2018"


def test_en_full_date_and_month(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor, "The breach began in January 2021 and was disclosed March 2, 2021.", "en"
    )
    assert _dates(ex) == {
        (date(2021, 1, 1), date(2021, 1, 31)),
        (date(2021, 3, 2), date(2021, 3, 2)),
    }


_WEDNESDAY = date(2025, 6, 18)


@pytest.mark.parametrize(
    ("language", "text", "surface", "expected"),
    [
        ("en", "The ministry was hacked yesterday.", "yesterday", ("2025-06-17", "2025-06-17")),
        ("en", "The group struck on Monday.", "Monday", ("2025-06-16", "2025-06-16")),
        ("en", "It began last week.", "last week", ("2025-06-09", "2025-06-15")),
        ("en", "The breach began two months ago.", "two months ago", ("2025-04-01", "2025-04-30")),
        ("en", "The flaw was found in March.", "in March", ("2025-03-01", "2025-03-31")),
        # a month after the publication's is last year's
        ("en", "The flaw was found in September.", "in September", ("2024-09-01", "2024-09-30")),
        ("en", "The attack began on March 3.", "March 3", ("2025-03-03", "2025-03-03")),
        ("fr", "Le groupe a revendiqué lundi l'attaque.", "lundi", ("2025-06-16", "2025-06-16")),
        (
            "fr",
            "L'intrusion date d'il y a trois semaines.",
            "il y a trois semaines",
            ("2025-05-26", "2025-06-01"),
        ),
        ("fr", "L'an dernier, le groupe a frappé.", "L'an dernier", ("2024-01-01", "2024-12-31")),
        ("fr", "Le site a été piraté le 3 mars.", "3 mars", ("2025-03-03", "2025-03-03")),
    ],
)
def test_relative_dates_are_read_against_the_publication_date(
    language: str, text: str, surface: str, expected: tuple[str, str]
) -> None:
    finder = DateFinder(load_rules(language))
    folded = fold(text)
    (found,) = finder.find(folded, 0, len(folded), published=_WEDNESDAY)
    assert text[found.start : found.end] == surface
    assert (found.start_date.isoformat(), found.end_date.isoformat()) == expected
    # without a publication date a relative date says nothing
    assert finder.find(folded, 0, len(folded)) == []


@pytest.mark.parametrize(
    ("language", "text", "surface", "expected"),
    [
        (
            "en",
            "It spread between May 2 and May 9, 2024.",
            "between May 2 and May 9, 2024",
            ("2024-05-02", "2024-05-09"),
        ),
        (
            "en",
            "The crew was active from March 2021 to June 2023.",
            "from March 2021 to June 2023",
            ("2021-03-01", "2023-06-30"),
        ),
        (
            "fr",
            "Le logiciel a été diffusé entre le 2 mai et le 9 mai 2024.",
            "entre le 2 mai et le 9 mai 2024",
            ("2024-05-02", "2024-05-09"),
        ),
        (
            "fr",
            "Le groupe a frappé entre mars 2021 et juin 2023.",
            "entre mars 2021 et juin 2023",
            ("2021-03-01", "2023-06-30"),
        ),
    ],
)
def test_two_dates_joined_as_a_range_are_one(
    language: str, text: str, surface: str, expected: tuple[str, str]
) -> None:
    finder = DateFinder(load_rules(language))
    folded = fold(text)
    (found,) = finder.find(folded, 0, len(folded), published=_WEDNESDAY)
    assert text[found.start : found.end] == surface
    assert (found.start_date.isoformat(), found.end_date.isoformat()) == expected


def test_two_dates_not_joined_as_a_range_stay_two() -> None:
    finder = DateFinder(load_rules("en"))
    folded = fold("In May 2021 and again in June 2022 the group struck.")
    assert len(finder.find(folded, 0, len(folded), published=_WEDNESDAY)) == 2


def test_fr_day_month_year(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "L'attaque a été révélée le 1er mars 2021.", "fr")
    assert _dates(ex) == {(date(2021, 3, 1), date(2021, 3, 1))}


# -- quotes ------------------------------------------------------------------------------


def test_fr_quote_with_speaker_after(blank_extractor: Extractor) -> None:
    text = (
        "« Nous ne tolérerons pas ces activités dans le cyberespace », "
        "a déclaré un porte-parole du gouvernement."
    )
    ex = extract(blank_extractor, text, "fr")
    (quote,) = of_kind(ex, "quote")
    assert quote.text == "Nous ne tolérerons pas ces activités dans le cyberespace"
    assert quote.subject == "text:un porte-parole du gouvernement"


def test_en_quote_with_institution_speaker(blank_extractor: Extractor) -> None:
    text = (
        "\u201cThis reckless activity puts our allies at risk,\u201d said the NCSC in a statement."
    )
    ex = extract(blank_extractor, text, "en")
    (quote,) = of_kind(ex, "quote")
    assert quote.subject == "inst:gb-ncsc"
    assert quote.text is not None and quote.text.startswith("This reckless activity")


def test_fr_quote_with_speaker_before(blank_extractor: Extractor) -> None:
    text = "Le ministre a déclaré : « Ces attaques ne resteront pas sans réponse de notre part »."
    ex = extract(blank_extractor, text, "fr")
    (quote,) = of_kind(ex, "quote")
    assert quote.subject == "text:Le ministre"


def test_en_quote_with_speaker_named_before_the_verb(blank_extractor: Extractor) -> None:
    text = (
        '"We will not let this attack go unanswered," Ruritanian defence minister '
        "Anna Kovacs told reporters on Friday."
    )
    ex = extract(blank_extractor, text, "en")
    (quote,) = of_kind(ex, "quote")
    assert quote.text == "We will not let this attack go unanswered"
    assert quote.subject == "text:Ruritanian defence minister Anna Kovacs"
    # a pronoun names nobody
    text = '"We will not let this attack go unanswered," he told reporters.'
    assert of_kind(extract(blank_extractor, text, "en"), "quote") == []


def test_short_quotes_are_ignored(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "L'opération « Cloud Hopper » a duré des années.", "fr")
    assert of_kind(ex, "quote") == []


def test_a_short_quoted_name_does_not_break_the_pairs_of_quotes_after_it(
    blank_extractor: Extractor,
) -> None:
    text = (
        'The unit, known as "Red Wren," deployed a wiper. '
        '"These people put the water of millions at risk," said Dr. Ana Lee.'
    )
    (quote,) = of_kind(extract(blank_extractor, text, "en"), "quote")
    assert quote.text == "These people put the water of millions at risk"
    # the full stop of a title or an initial does not end the speaker's name
    assert quote.evidence.cues == ("Dr. Ana Lee",)
    text = "« Nous ne paierons aucune rançon aux pirates », a déclaré M. Dussart."
    (quote,) = of_kind(extract(blank_extractor, text, "fr"), "quote")
    assert quote.evidence.cues == ("M. Dussart",)


# -- evidence ----------------------------------------------------------------------------


def test_evidence_offsets_point_into_the_article_text(blank_extractor: Extractor) -> None:
    text = (
        "Titre : une attaque contre l'Europe\n\n"
        "Le Royaume-Uni accuse la Chine d'avoir piraté des serveurs Microsoft Exchange.  "
        "Plus de 30.000 entreprises ont été touchées entre 2020 et 2021.\n"
        "« Nous ne tolérerons pas ces activités malveillantes », a déclaré le ministre."
    )
    ex = extract(blank_extractor, text, "fr")
    assert {"attribution", "use", "impact", "date", "quote"} <= {c.kind for c in ex.claims}
    for claim in ex.claims:
        ev = claim.evidence
        assert ev.article_id == ex.article.id
        assert ex.article.text[ev.start : ev.end] == ev.sentence
        assert ex.sentences[ev.sentence_index] == ev.sentence
        for cue in ev.cues:
            assert cue in ev.sentence
    for mention in ex.mentions:
        assert text[mention.start : mention.end] == mention.text


# -- segmentation ------------------------------------------------------------------------


def test_two_incidents_give_two_mentions_fr(blank_extractor: Extractor) -> None:
    text = (
        "Des pirates d'APT40 ont piraté des universités en Australie. "
        "Les États-Unis accusent le ministère de la Sécurité d'État chinois. "
        "Par ailleurs, APT28 a ciblé le Bundestag en Allemagne. "
        "Le GRU russe est mis en cause."
    )
    ex = extract(blank_extractor, text, "fr")
    assert len(ex.incident_mentions) == 2
    first, second = ex.incident_mentions
    assert "actor:apt40" in first.keys and first.sentence_indices == (0, 1)
    assert "actor:apt28" in second.keys and second.sentence_indices == (2, 3)
    assert {c.subject for c in first.claims if c.kind == "attribution"} >= {"agency:cn-mss"}
    assert {c.subject for c in second.claims if c.kind == "attribution"} >= {"agency:ru-gru"}


def test_two_incidents_give_two_mentions_en(blank_extractor: Extractor) -> None:
    text = (
        "APT40 breached universities in Australia. "
        "The United Kingdom blamed China's Ministry of State Security. "
        "Separately, APT28 targeted the Bundestag in Germany. "
        "Berlin blamed the GRU."
    )
    ex = extract(blank_extractor, text, "en")
    assert [m.sentence_indices for m in ex.incident_mentions] == [(0, 1), (2, 3)]


def test_le_groupe_with_a_new_actor_opens_a_mention(blank_extractor: Extractor) -> None:
    text = (
        "Le groupe APT40 a piraté des universités en Australie en 2019. "
        "Le groupe APT28 a ciblé le Bundestag en Allemagne en 2015."
    )
    ex = extract(blank_extractor, text, "fr")
    assert len(ex.incident_mentions) == 2


def test_cve_only_sentence_stays_in_the_current_mention(blank_extractor: Extractor) -> None:
    text = (
        "Le groupe HAFNIUM a piraté des serveurs Microsoft Exchange. "
        "Les failles CVE-2021-26855 et CVE-2021-27065 ont été exploitées. "
        "Des milliers d'entreprises ont été touchées."
    )
    ex = extract(blank_extractor, text, "fr")
    (mention,) = ex.incident_mentions
    assert mention.sentence_indices == (0, 1, 2)
    assert {"actor:hafnium", "cve:CVE-2021-26855", "cve:CVE-2021-27065"} <= mention.keys


def test_the_intruders_refer_back_to_the_actor_of_the_mention(blank_extractor: Extractor) -> None:
    text = (
        "APT40 breached the ministry of shipping in March. "
        "The intruders exploited CVE-2023-1234 in Microsoft Exchange to get in."
    )
    ex = extract(blank_extractor, text, "en")
    assert [m.sentence_indices for m in ex.incident_mentions] == [(0, 1)]
    text = (
        "APT40 a piraté le ministère de la Mer en mars. "
        "Les intrus ont exploité la faille CVE-2023-1234 de Microsoft Exchange."
    )
    ex = extract(blank_extractor, text, "fr")
    assert [m.sentence_indices for m in ex.incident_mentions] == [(0, 1)]


def test_the_doers_other_operation_elsewhere_opens_a_mention(blank_extractor: Extractor) -> None:
    # "the hackers also used X against Y": the same doers, another country hit
    text = (
        "APT28 breached ministries in Estonia in 2020. "
        "The hackers also used the WhisperGate wiper against agencies in Ukraine in 2022."
    )
    ex = extract(blank_extractor, text, "en")
    assert [m.sentence_indices for m in ex.incident_mentions] == [(0,), (1,)]
    # the attack itself reaching another country goes on with it
    text = (
        "APT28 breached ministries in Estonia in 2020. "
        "The attack, which used the WhisperGate wiper, also hit agencies in Ukraine."
    )
    ex = extract(blank_extractor, text, "en")
    assert [m.sentence_indices for m in ex.incident_mentions] == [(0, 1)]


def test_a_product_named_where_no_operation_is_told_stays_in_the_mention(
    blank_extractor: Extractor,
) -> None:
    text = (
        "APT40 breached shipping firms in Asia last year. "
        "The operators relied on tools already present on Microsoft Windows. "
        "Separately, the SolarWinds Orion hack was attributed to Russia."
    )
    ex = extract(blank_extractor, text, "en")
    assert [m.sentence_indices for m in ex.incident_mentions] == [(0, 1), (2,)]
    assert "product:microsoft-windows" in ex.incident_mentions[0].keys


def test_keyless_ransomware_sentence_opens_its_own_mention(blank_extractor: Extractor) -> None:
    text = (
        "Le groupe APT40 espionne des entreprises maritimes en Asie. "
        "Ces pirates dérobent des secrets industriels. "
        "Par ailleurs, un rançongiciel a paralysé un hôpital en Bretagne."
    )
    ex = extract(blank_extractor, text, "fr")
    assert len(ex.incident_mentions) == 2
    espionage, ransomware = ex.incident_mentions
    assert espionage.sentence_indices == (0, 1)
    assert espionage.incident_types == ("data_theft", "espionage")  # « dérobent » + « espionne »
    assert ransomware.sentence_indices == (2,) and ransomware.incident_type == "ransomware"
    assert not ransomware.keys
    assert [m.index for m in ex.incident_mentions] == [0, 1]


def test_ransomware_family_makes_a_ransomware_mention(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "LockBit hit a logistics firm in Ohio last week.", "en")
    assert ex.incident_mentions[0].incident_types == ("ransomware",)


def test_mention_keeps_every_type_it_shows(blank_extractor: Extractor) -> None:
    text = "Hackers stole customer data and then encrypted files with ransomware at a bank."
    ex = extract(blank_extractor, text, "en")
    assert ex.incident_mentions[0].incident_types == ("ransomware", "data_theft")
    assert ex.incident_mentions[0].incident_type == "ransomware"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The attackers slipped a backdoor into an update of the accounting software.", "en"),
        ("Hackers pushed a trojanized version of the app to thousands of users.", "en"),
        ("Les pirates ont diffusé une version piégée du logiciel de comptabilité.", "fr"),
    ],
)
def test_a_tampered_update_is_a_supply_chain_attack(
    blank_extractor: Extractor, text: str, language: str
) -> None:
    ex = extract(blank_extractor, text, language)
    assert ex.incident_mentions and "supply_chain" in ex.incident_mentions[0].incident_types


def test_a_state_linked_operation_whose_effect_is_untold_is_espionage(
    blank_extractor: Extractor,
) -> None:
    def types(text: str) -> tuple[str, ...]:
        ex = extract(blank_extractor, text, "en")
        return ex.incident_mentions[0].incident_types if ex.incident_mentions else ()

    assert types("APT28 targeted ministries in Poland last year.") == ("espionage",)
    assert types("Iran-backed hackers targeted ministries in Poland.") == ("espionage",)
    # an intrusion set the knowledge base knows for espionage, not for crime
    assert types("Chafer targeted ministries in Kuwait last year.") == ("espionage",)
    assert "espionage" not in types("FIN7 targeted restaurants in Ohio last year.")
    assert "espionage" not in types("Killnet targeted ministries in Poland last year.")
    # hacktivists' operations whose effect is untold are disruptions
    assert types("Killnet targeted ministries in Poland last year.") == ("disruption",)
    assert types("APT28 knocked ministries in Poland offline.") == ("disruption",)
    # a group the knowledge base lacks, named as hacktivists name themselves
    text = "The hacker group Vandelay Cyber Army attacked ministries in Latveria."
    assert types(text) == ("disruption",)
    assert types("The hacker group Vandelay Crew attacked ministries in Latveria.") == ()
    # a theft of data by a state-linked doer is espionage too; by others it is not
    assert "espionage" in types("APT28 stole documents from ministries in Poland.")
    assert "espionage" not in types("Hackers stole customer data from a retailer in Ohio.")
    # an intrusion told as such stays one, whoever the doer
    assert types("APT28 gained access to ministries in Poland.") == ("intrusion",)
    assert types("Hackers gained access to a retailer in Ohio.") == ("intrusion",)
    # a network breached is an intrusion; a breach, a data breach, a theft of data
    assert types("Hackers breached the network of a retailer in Ohio.") == ("intrusion",)
    assert types("A retailer in Ohio disclosed a breach of its customer records.") == (
        "data_theft",
    )


def test_an_attacked_website_makes_a_defacement(blank_extractor: Extractor) -> None:
    def types(text: str, lang: str = "en") -> tuple[str, ...]:
        ex = extract(blank_extractor, text, lang)
        return ex.incident_mentions[0].incident_types if ex.incident_mentions else ()

    assert "defacement" in types("Pakistani hackers hacked the website of an Indian bank.")
    assert "defacement" in types("Des pirates ont piraté le site web du ministère.", "fr")
    text = "Hackers stole customer data, the bank said on its website."
    assert "defacement" not in types(text)
    # a site something else was done to is not defaced
    text = "Hackers stole data from the website of an Indian bank."
    assert types(text) == ("data_theft",)


def test_published_stolen_data_makes_a_hack_and_leak(blank_extractor: Extractor) -> None:
    def types(text: str, lang: str = "en") -> tuple[str, ...]:
        ex = extract(blank_extractor, text, lang)
        return ex.incident_mentions[0].incident_types if ex.incident_mentions else ()

    assert "hack_and_leak" in types("Hackers broke into the ministry and published the data.")
    assert "hack_and_leak" in types(
        "Des pirates ont piraté le ministère et publié les données.", "fr"
    )
    assert "hack_and_leak" not in types("Researchers released information on the flaws.")


def test_mention_carries_publication_date(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor, "Le groupe APT40 a visé l'Allemagne.", "fr", published=date(2021, 7, 19)
    )
    assert ex.incident_mentions[0].date == date(2021, 7, 19)


def test_empty_text_gives_nothing(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "   ", "fr")
    assert ex.claims == () and ex.incident_mentions == ()


# -- other languages ---------------------------------------------------------------------


def test_german_article_gets_a_note_and_still_yields_ids(blank_extractor: Extractor) -> None:
    text = (
        "Die Gruppe APT28 hat die Schwachstelle CVE-2023-23397 in Microsoft Outlook "
        "ausgenutzt. Die Angriffe trafen Behörden in Deutschland."
    )
    ex = extract(blank_extractor, text, "de")
    assert any("no rule file" in n and "'de'" in n for n in ex.notes)
    assert any("no trained pipeline" in n for n in ex.notes)
    ids = {m.canonical_id for m in ex.mentions}
    assert {"actor:apt28", "cve:CVE-2023-23397", "product:microsoft-outlook"} <= ids
    assert {"actor:apt28", "cve:CVE-2023-23397"} <= ex.incident_mentions[0].keys


def test_extract_many_keeps_input_order_across_languages(blank_extractor: Extractor) -> None:
    texts = [
        ("Le groupe APT40 a visé l'Allemagne.", "fr"),
        ("APT28 targeted Germany.", "en"),
        ("Le groupe APT31 a visé la Finlande.", "fr"),
    ]
    articles = [
        Article(id=content_id(t), text=t, language=lang, origin=f"o{i}")
        for i, (t, lang) in enumerate(texts)
    ]
    out = list(blank_extractor.extract_many(articles))
    assert [e.article.origin for e in out] == ["o0", "o1", "o2"]
    assert [next(iter(e.incident_mentions[0].keys)) for e in out] == [
        "actor:apt40",
        "actor:apt28",
        "actor:apt31",
    ]


def test_unknown_actor_names_are_discovered_from_their_introducer(
    blank_extractor: Extractor,
) -> None:
    text = (
        "The hacktivist group Nightjar Collective defaced 20 municipal websites. "
        "Greyvox, a hacker group with ties to no state, claimed a second attack. "
        "Shanghai-based hackers were also blamed."
    )
    ex = extract(blank_extractor, text, "en")
    found = {m.canonical_id for m in ex.mentions if m.kind == "threat_actor"}
    assert {"actor:nightjar-collective", "actor:greyvox"} <= found
    assert not any("shanghai" in (i or "") for i in found)


def test_a_vendors_name_for_a_group_is_an_actor_or_another_name_of_one(
    blank_extractor: Extractor,
) -> None:
    def actors(text: str, language: str = "en") -> dict[str, str | None]:
        ex = extract(blank_extractor, text, language)
        return {m.text: m.canonical_id for m in ex.mentions if m.kind == "threat_actor"}

    # a group the vendor names, none named before: a new actor
    found = actors("A state-sponsored group it tracks as Jade Lantern breached nine telcos.")
    assert found == {"Jade Lantern": "actor:jade-lantern"}
    found = actors(
        "Le groupe, que Kestrel suit sous le nom de Kobalt Lynx, a piraté le ministère.", "fr"
    )
    assert found == {"Kobalt Lynx": "actor:kobalt-lynx"}
    # a group named before: another of its names
    found = actors("APT28, which Kestrel Labs tracks as Red Kite, hacked the ministry.")
    assert found["Red Kite"] == "actor:apt28"
    # what a vendor calls software is no actor
    assert actors("The researchers found a backdoor they tracked as Quarrel Moth.") == {}


def test_a_security_company_the_kb_lacks_reports_technically(blank_extractor: Extractor) -> None:
    text = (
        "Researchers at Kestrel Labs said a Chinese group breached nine telcos. "
        "The group is believed to be linked to China."
    )
    ex = extract(blank_extractor, text, "en")
    assert ("institution", None) in {
        (m.kind, m.canonical_id) for m in ex.mentions if m.text == "Kestrel Labs"
    }
    found = {(c.subject, c.accuser, c.attribution_type) for c in of_kind(ex, "attribution")}
    assert ("country:CN", "text:Kestrel Labs", "technical_report") in found
    text = "La société de cybersécurité Kestrel affirme que des pirates russes sont derrière."
    ex = extract(blank_extractor, text, "fr")
    found = {(c.subject, c.accuser, c.attribution_type) for c in of_kind(ex, "attribution")}
    assert ("country:RU", "text:Kestrel", "technical_report") in found


def test_words_next_to_an_introducer_that_name_no_one_are_not_discovered(
    blank_extractor: Extractor,
) -> None:
    text = (
        "In early March 2024, the threat actor changed its lures. "
        "4.Finally, the threat actor wipes its tools. "
        "Quillfeather is an APT threat actor group. "
        "See our Threat Actor Profile: Quillfeather. "
        "This stretch, which I call \u201cHackers Busy Patching,\u201d ends next week."
    )
    ex = extract(blank_extractor, text, "en")
    found = {m.text for m in ex.mentions if m.kind == "threat_actor"}
    assert found <= {"Quillfeather"}


def test_benign_hackers_are_no_threat_actors(blank_extractor: Extractor) -> None:
    text = (
        "The campaign was spotted by Jan Kowal, an ethical hacker. "
        "The bugs were also found by noted jailbreaking hackers Blue Lotus Team. "
        "Greyvox, a hacker group, claimed the attack."
    )
    ex = extract(blank_extractor, text, "en")
    found = {m.canonical_id for m in ex.mentions if m.kind == "threat_actor"}
    assert found == {"actor:greyvox"}


def test_discovered_names_in_french(blank_extractor: Extractor) -> None:
    text = "Le collectif de pirates Nuit Blanche a revendiqué l'intrusion."
    ex = extract(blank_extractor, text, "fr")
    assert "actor:nuit-blanche" in {m.canonical_id for m in ex.mentions}
    assert ("actor:nuit-blanche", "self_attribution") in {
        (c.subject, c.attribution_type) for c in ex.claims if c.kind == "attribution"
    }


def test_the_subject_of_an_attack_verb_is_blamed_by_the_outlet(
    blank_extractor: Extractor,
) -> None:
    ex = extract(
        blank_extractor, "The GRU hacked the servers of the chemical weapons watchdog.", "en"
    )
    assert [(c.subject, c.accuser, c.attribution_type) for c in of_kind(ex, "attribution")] == [
        ("agency:ru-gru", None, "media_report")
    ]
    warned = extract(
        blank_extractor, "The NSA warned that unknown intruders targeted defence firms.", "en"
    )
    assert not of_kind(warned, "attribution")


def test_an_ambiguous_actor_name_is_kept_as_the_subject_of_an_actors_verb(
    blank_extractor: Extractor,
) -> None:
    def actors(text: str, lang: str = "en") -> set[str | None]:
        return actor_ids(blank_extractor, text, lang)

    assert actors("Anonymous defaced the portal of the city council.") == {"actor:anonymous"}
    assert actors("Anonymous a revendiqué le piratage du site.", "fr") == {"actor:anonymous"}
    assert actors("Anonymous sources said the bank was hit.") == set()


def test_an_actor_named_with_its_type_noun_inside_an_entity_is_found(
    blank_extractor: Extractor,
) -> None:
    ex = extract(blank_extractor, "The Andariel Group attacks the website of a charity.", "en")
    assert [(c.subject, c.attribution_type) for c in of_kind(ex, "attribution")] == [
        ("actor:silent-chollima", "technical_report")
    ]


def test_actors_whose_names_say_what_they_are_are_discovered(blank_extractor: Extractor) -> None:
    def actors(text: str) -> set[str | None]:
        return actor_ids(blank_extractor, text)

    assert actors("The Moldavian Cyber Legion defaced 40 websites.") == {
        "actor:moldavian-cyber-legion"
    }
    assert actors("Qu1ckSilv3r leaked the customer database.") == {"actor:qu1cksilv3r"}
    # defenders, dates and plain capitalised words are not actors
    assert actors("The Digital Crimes Unit and the Cyber Security Team reacted.") == set()
    assert actors("March 2019 Hacking Group news.") == set()
    assert actors("APT28s tools leaked.") <= {"actor:apt28"}


def test_the_side_that_opens_a_versus_headline_is_the_actor(blank_extractor: Extractor) -> None:
    def actors(text: str) -> set[str | None]:
        return actor_ids(blank_extractor, text)

    text = "Quillbyte vs. Lisbon Port Authority. The port's website showed a political message."
    assert actors(text) == {"actor:quillbyte"}
    assert actors("Anonymous vs. Lisbon Port Authority. The website went offline.") == {
        "actor:anonymous"
    }
    # states, campaigns and incident names open headlines too
    assert actors("Estonia vs. Russia. Websites went offline for a week.") == set()
    assert actors("Operation Glasswing vs. Ports. Websites went offline.") == set()
    assert actors("Harbour Hack Lisbon vs. Spain. Websites went offline.") == set()


def test_a_known_actor_followed_by_a_country_is_its_national_branch(
    blank_extractor: Extractor,
) -> None:
    ex = extract(blank_extractor, "Anonymous Portugal defaced the ministry's website.", "en")
    branch = [m for m in ex.mentions if m.kind == "threat_actor"]
    assert [(m.text, m.canonical_id) for m in branch] == [("Anonymous Portugal", "actor:anonymous")]
    assert "country:PT" not in {m.canonical_id for m in ex.mentions}
    ended = extract(
        blank_extractor, "The ministry's website was defaced by Anonymous Portugal", "en"
    )
    assert [m.text for m in ended.mentions if m.kind == "threat_actor"] == ["Anonymous Portugal"]
    # an unknown hacker's handle keeps its country too
    ex = extract(blank_extractor, "CodeSec Portugal hacked the ministry's website.", "en")
    assert {m.canonical_id for m in ex.mentions if m.kind == "threat_actor"} == {
        "actor:codesec-portugal"
    }


def test_spellings_of_one_new_actor_share_one_id(blank_extractor: Extractor) -> None:
    text = "TeamV3ntus leaked the files. The TeaM v3ntus hacking gang leaked more files."
    ex = extract(blank_extractor, text, "en")
    assert {m.canonical_id for m in ex.mentions if m.kind == "threat_actor"} == {"actor:teamv3ntus"}


def test_a_crew_name_with_a_glued_group_noun_is_an_actor(blank_extractor: Extractor) -> None:
    # "CyberArmy" written as one word: the group analysts write "Cyber Army"; a word such
    # as "HighTech" before it stays whole, and a name ending the other is the same crew
    text = (
        "Latveria HackTeam vs. Ruritania. The ministry was defaced by HighTech Latveria HackTeam."
    )
    ex = extract(blank_extractor, text, "en")
    assert {m.canonical_id for m in ex.mentions if m.kind == "threat_actor"} == {
        "actor:latveria-hack-team"
    }
    text = "The Vandelay CyberArmy attacked the ministry's pages."
    ex = extract(blank_extractor, text, "en")
    assert [m.canonical_id for m in ex.mentions if m.kind == "threat_actor"] == [
        "actor:vandelay-cyber-army"
    ]
    # a hacktivist name (rules hacktivist_names) glued in camel case: a disruption
    assert ex.incident_mentions[0].incident_types == ("disruption",)


def test_an_actor_name_before_a_software_noun_is_the_software(blank_extractor: Extractor) -> None:
    ex = extract(
        blank_extractor, "The Konni RAT was sent to diplomats in a spear-phishing campaign.", "en"
    )
    found = {(m.kind, m.canonical_id) for m in ex.mentions if m.kind in ("malware", "threat_actor")}
    assert found == {("malware", "malware:konni")}


def test_a_name_the_article_gives_a_program_names_the_program_throughout(
    blank_extractor: Extractor,
) -> None:
    text = "Konni campaign against diplomats. The Konni RAT came by e-mail."
    ex = extract(blank_extractor, text, "en")
    assert {m.kind for m in ex.mentions if m.text == "Konni"} == {"malware"}
    # a group noun or an actor's verb after the bare name keeps the group
    text = "The Konni RAT came by e-mail. Konni targeted diplomats; the Konni group denied it."
    ex = extract(blank_extractor, text, "en")
    assert [m.kind for m in ex.mentions if m.text.startswith("Konni")] == [
        "malware",
        "threat_actor",
        "threat_actor",
    ]


def test_an_acronym_spelled_out_takes_the_full_name_id(blank_extractor: Extractor) -> None:
    text = "A group called RDCA (Red Dune CyberArmy) defaced the portal."
    assert actor_ids(blank_extractor, text) == {"actor:red-dune-cyber-army"}
    # parentheses that do not spell the acronym out are not its name
    text = "A group called RDC (since 2019) defaced the portal."
    assert actor_ids(blank_extractor, text) == {"actor:rdc"}


def test_an_agency_listed_with_the_signers_of_an_advisory_signs_it(
    blank_extractor: Extractor,
) -> None:
    text = "In a joint advisory, CISA, the FBI and the NSA said that APT29 breached the firm."
    accused = accused_ids(blank_extractor, text)
    assert "agency:us-nsa" not in accused
    assert "actor:apt29" in accused


def test_an_actor_named_to_compare_another_is_related_not_accused(
    blank_extractor: Extractor,
) -> None:
    text = "Researchers blamed APT29 for the breach; its tools overlap with those of Turla."
    ex = extract(blank_extractor, text, "en")
    assert ("relation", "actor:apt29", "actor:turla") in {
        (c.kind, c.subject, c.object) for c in ex.claims
    }
    accused = {c.subject for c in of_kind(ex, "attribution")}
    assert "actor:turla" not in accused
    # the compared actor does not tie the incident to Turla's
    assert all("actor:turla" not in m.keys for m in ex.incident_mentions)
    # words that only look like comparisons compare nothing
    for plain in (
        "Similarly, Turla breached the ministry.",
        "The security firm Mandiant said Turla breached the ministry.",
    ):
        assert "actor:turla" in {
            c.subject for c in of_kind(extract(blank_extractor, plain, "en"), "attribution")
        }
    # the firm that sells the tool is not who used it
    vendor = extract(blank_extractor, "Spyware made by the firm NSO Group hit ten lawyers.", "en")
    assert [(c.kind, c.object) for c in vendor.claims if c.kind == "relation"] == [
        ("relation", "actor:night-tsunami")
    ]
    french = extract(blank_extractor, "La campagne rappelle celles du groupe Turla.", "fr")
    assert [(c.kind, c.object) for c in french.claims if c.kind == "relation"] == [
        ("relation", "actor:turla")
    ]
    # a false flag: who the attackers pose as did not do it
    text = "APT29 hackers posing as Turla breached the ministry."
    flagged = extract(blank_extractor, text, "en")
    assert ("relation", "actor:apt29", "actor:turla") in {
        (c.kind, c.subject, c.object) for c in flagged.claims
    }
    assert "actor:turla" not in {c.subject for c in flagged.claims if c.kind != "relation"}
    text = "Des pirates d'APT29 se faisant passer pour Turla ont piraté le ministère."
    flagged = extract(blank_extractor, text, "fr")
    assert "actor:turla" not in {c.subject for c in flagged.claims if c.kind != "relation"}


def test_more_ways_of_naming_a_new_actor(blank_extractor: Extractor) -> None:
    def actors(text: str) -> set[str | None]:
        return actor_ids(blank_extractor, text)

    assert actors("The city's portal was hacked by GlassW0lf last week.") == {"actor:glassw0lf"}
    assert actors("A group calling itself Night-Heron leaked the files.") == {"actor:night-heron"}
    assert actors("The Lisbon HackTeam defaced the site.") == {"actor:lisbon-hack-team"}
    # a plain word after "hacked by" names no one
    assert actors("The portal was hacked by Insiders, the mayor said.") == set()
    text = "On Monday the Harbour Council Portal defaced by GlassW0lf went offline for a day."
    assert actors(text) == {"actor:glassw0lf"}
    text = "Hacking groups such as Night Heron leaked the emails of the party."
    assert actors(text) == {"actor:night-heron"}
    # every name of the list after "such as" is a group
    text = "Hacking groups such as Night Heron, Paper Lynx and Umbra Fox leaked the emails."
    assert actors(text) == {"actor:night-heron", "actor:paper-lynx", "actor:umbra-fox"}
    text = "Des groupes de pirates tels que Night Heron et Paper Lynx ont volé les courriels."
    assert actor_ids(blank_extractor, text, "fr") == {"actor:night-heron", "actor:paper-lynx"}
    # a researcher's handle names no threat actor
    assert actors("A researcher who goes by the handle Erythro posted the bug.") == set()
    # the list ends at a word without a capital
    text = "Threat groups such as Night Heron and our own analysts study the flaw."
    assert actors(text) == {"actor:night-heron"}


def test_an_agency_opening_a_versus_headline_is_blamed(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "GCHQ vs. Harbour Rebels. Their phones went silent.", "en")
    assert [(c.subject, c.attribution_type) for c in of_kind(ex, "attribution")] == [
        ("agency:gb-gchq", "media_report")
    ]


def test_names_inside_links_are_not_mentions(blank_extractor: Extractor) -> None:
    text = (
        "Attackers pushed a fake update ([report](https://example.org/story/sandworm-apt28-"
        "android/)) to 300 users. APT29 was blamed."
    )
    ex = extract(blank_extractor, text, "en")
    assert {m.canonical_id for m in ex.mentions if m.kind == "threat_actor"} == {"actor:apt29"}


def test_signed_acts_are_self_attributions_and_reporters_are_sources(
    blank_extractor: Extractor,
) -> None:
    def attributions(text: str, lang: str = "en") -> list[tuple[str | None, str | None, str]]:
        ex = extract(blank_extractor, text, lang)
        return [(c.subject, c.accuser, str(c.attribution_type)) for c in of_kind(ex, "attribution")]

    assert attributions("Anonymous defaced the portal of the city council.") == [
        ("actor:anonymous", "actor:anonymous", "self_attribution")
    ]
    assert attributions("Le collectif Anonymous a divulgué les courriels du maire.", "fr") == [
        ("actor:anonymous", "actor:anonymous", "self_attribution")
    ]
    assert attributions("Mandiant reported that APT29 breached the ministry.") == [
        ("actor:apt29", "inst:mandiant", "technical_report")
    ]
    # a state agency's deeds are not self-signed: the outlet blames it
    assert attributions("The GRU hacked and leaked the files of the agency.") == [
        ("agency:ru-gru", None, "media_report")
    ]


def test_vendor_patches_and_vulnerability_disclosures_are_responses(
    blank_extractor: Extractor,
) -> None:
    def responses(text: str, lang: str = "en") -> set[str | None]:
        return {c.text for c in of_kind(extract(blank_extractor, text, lang), "response")}

    assert responses("Researchers found a flaw in the router; the vendor patched it.") == {
        "disclosure",
        "patch",
    }
    assert responses("L'éditeur a publié un correctif pour la faille.", "fr") == {"patch"}
    assert responses("The hackers stole the files.") == set()
    # a name that opens like a cue word is no patch
    assert responses("The new ransomware calls itself Patcher.") == set()


def test_an_organisation_before_a_victim_cue_is_a_victim(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "Microsoft was breached by APT29 in January.", "en")
    assert ("targeting", "inst:microsoft") in {(c.kind, c.object) for c in ex.claims}


def test_an_ambiguous_actor_after_an_attribution_phrase_is_kept(
    blank_extractor: Extractor,
) -> None:
    def actors(text: str) -> set[str | None]:
        return actor_ids(blank_extractor, text)

    assert actors("The intrusion was attributed to Turla.") == {"actor:turla"}
    assert actors("The servers were hacked by Lazarus.") == {"actor:lazarus-group"}
    assert actors("The novel by Lazarus sold well.") == set()


def test_access_verbs_name_victims_but_not_doers(blank_extractor: Extractor) -> None:
    ex = extract(blank_extractor, "APT28 gained access to the networks of a German bank.", "en")
    assert ("targeting", "country:DE") in {(c.kind, c.object) for c in ex.claims}
    assert not of_kind(ex, "attribution")


@pytest.mark.parametrize(
    ("text", "start", "end", "things", "expected"),
    [
        ("A DDoS hit the bank.", 2, 6, [], True),  # a technical term
        ("Ransomware hit a firm; the ransomware spread.", 0, 10, [], True),  # common noun
        ("Android phones were hit.", 0, 7, [(0, 7)], True),  # a product the KB knows
        ("OXO said its site oxo.com was breached.", 0, 3, [], False),  # a domain is no word
        ("Verizon was breached.", 0, 7, [], False),
    ],
)
def test_ner_organisations_that_name_no_organisation(
    text: str, start: int, end: int, things: list[tuple[int, int]], expected: bool
) -> None:
    import spacy

    from cyberveille.extract.mentions import _not_an_organisation

    span = spacy.blank("en")(text).char_span(start, end)
    assert span is not None
    assert _not_an_organisation(span, span.text, text, things) is expected


def _victims(ex: Extraction) -> set[str]:
    return {str(c.object) for c in ex.claims if c.kind == "targeting"}


def _accused(ex: Extraction) -> set[str]:
    return {str(c.subject) for c in ex.claims if c.kind == "attribution"}


@pytest.mark.parametrize(
    ("text", "language", "victim"),
    [
        ("Danish Car Register Hacked.", "en", "country:DK"),  # a headline: bare event word
        ("The South Korean Resettlement Agency was hacked last week.", "en", "country:KR"),
        ("Le ministère danois a été piraté.", "fr", "country:DK"),
        ("Hacktivists vs. Gabon: government sites offline.", "en", "country:GA"),
        ("The group used ransomware to attack logistics firms in Poland.", "en", "country:PL"),
    ],
)
def test_a_nationality_qualifying_the_victim_names_a_victim_country(
    blank_extractor: Extractor, text: str, language: str, victim: str
) -> None:
    assert victim in _victims(extract(blank_extractor, text, language))


def test_the_attackers_nationality_is_no_victim_and_word_order_follows_the_language(
    blank_extractor: Extractor,
) -> None:
    chinese = extract(blank_extractor, "Chinese hackers breached the network.", "en")
    assert "country:CN" not in _victims(chinese)
    assert "country:CN" in _accused(chinese)
    # English puts the nationality before its noun: "Hackers Target German ..." is no
    # German hacker (French order, « pirates allemands », is not read in English)
    german = extract(blank_extractor, "Hackers Target German Branch of an Oil Firm.", "en")
    assert "country:DE" not in _accused(german)
    assert "country:DE" in _victims(german)
    assert "country:DE" in _accused(extract(blank_extractor, "Des pirates allemands.", "fr"))


def _attributions(ex: Extraction) -> list[Claim]:
    return [c for c in ex.claims if c.kind == "attribution"]


def test_outlet_attribution_relaying_a_security_company_is_its_technical_report(
    blank_extractor: Extractor,
) -> None:
    text = (
        "ESET researchers discovered a new backdoor in a ministry's network. "
        "The Turla group is behind the campaign."
    )
    (claim,) = _attributions(extract(blank_extractor, text, "en"))
    assert (claim.subject, claim.accuser) == ("actor:turla", "inst:eset")
    assert claim.attribution_type == "technical_report"
    # alone, the outlet naming a group that vendors track relays their technical reports
    alone = extract(blank_extractor, "The Turla group is behind the campaign.", "en")
    assert [(c.accuser, c.attribution_type) for c in _attributions(alone)] == [
        (None, "technical_report")
    ]
    # ... and so does the rest of that sentence; a crew no vendor tracks is the outlet's
    text = "Russian APT Turla hacked the ministry. The hacker group RedFox hacked a bank."
    types = [
        (c.subject, c.attribution_type) for c in _attributions(extract(blank_extractor, text, "en"))
    ]
    assert ("country:RU", "technical_report") in types
    assert ("actor:turla", "technical_report") in types
    assert ("actor:redfox", "media_report") in types


def test_an_act_done_for_a_stated_cause_is_claimed_by_its_authors(
    blank_extractor: Extractor,
) -> None:
    text = "Anonymous hacked a regional government website in protest against a new law."
    types = {c.attribution_type for c in _attributions(extract(blank_extractor, text, "en"))}
    assert types == {"self_attribution"}


def test_an_intrusion_is_a_type_only_when_no_effect_is_told(blank_extractor: Extractor) -> None:
    quiet = extract(blank_extractor, "APT29 gained access to the ministry's network.", "en")
    assert [m.incident_types for m in quiet.incident_mentions] == [("intrusion",)]
    text = "APT29 gained access to the ministry's network and stole emails."
    (told,) = extract(blank_extractor, text, "en").incident_mentions
    assert "intrusion" not in told.incident_types and "data_theft" in told.incident_types


def test_title_case_headlines_are_told_apart_from_sentences() -> None:
    from cyberveille.extract.mentions import _title_case

    assert _title_case("Pentagon and Mexican Presidential Servers Hacked")
    assert not _title_case("The servers of the Mexican presidency were hacked by Anonymous.")


def test_people_charged_are_accused_but_not_the_prosecutor_who_speaks() -> None:
    # blank pipelines find no persons: the rule is tested on given mentions
    from cyberveille.extract.claims import ClaimExtractor
    from cyberveille.extract.cues import load_rules
    from cyberveille.extract.mentions import SentenceInfo
    from cyberveille.types import Mention

    text = "Prosecutor Jane Roe said the hacker John Doe was charged with fraud."
    extractor = ClaimExtractor(load_rules("en"), lambda _: None)
    people = [
        Mention("person", "Jane Roe", 11, 19, 0, None, 0.6),
        Mention("person", "John Doe", 36, 44, 0, None, 0.6),
    ]
    sentence = SentenceInfo(0, 0, len(text), text)
    (found,) = extractor.extract("a", text, fold(text), [sentence], people)
    accused = {c.subject for c in found.claims if c.kind == "attribution"}
    assert accused == {"text:John Doe"}


def test_state_sponsored_takes_the_state_before_it_never_the_victim_after(
    blank_extractor: Extractor,
) -> None:
    text = "Russian state-sponsored hackers breached a satellite provider in the United States."
    assert sponsor_ids(blank_extractor, text) == {"country:RU"}
    bare = extract(blank_extractor, "State-sponsored hackers attacked Ukraine.", "en")
    assert not [c for c in bare.claims if c.kind == "sponsorship"]


def test_a_tie_between_kinds_of_operation_is_broken_by_priority_not_by_hashing() -> None:
    from cyberveille.extract.segment import _dominant_strong, _Draft

    draft = _Draft()
    draft.types.extend(["disruption", "wiper"])
    assert _dominant_strong(draft) == "wiper"  # whatever the process's hash seed
    draft.types.append("disruption")
    assert _dominant_strong(draft) == "disruption"


def test_state_sponsored_group_operating_from_a_state_named_after(
    blank_extractor: Extractor,
) -> None:
    text = "Researchers said a state-sponsored group called HAFNIUM, operating from China, did it."
    assert sponsor_ids(blank_extractor, text) == {"country:CN"}


def test_a_state_where_the_victims_are_is_not_accused_by_the_reporter(
    blank_extractor: Extractor,
) -> None:
    text = "APT29 gained access to a shipping firm in Norway, attributed by ESET with confidence."
    accused = accused_ids(blank_extractor, text)
    assert "actor:apt29" in accused
    assert "country:NO" not in accused


def test_the_group_hackers_are_part_of_is_no_state_sponsor(blank_extractor: Extractor) -> None:
    text = "Hackers said to be part of APT29 broke into the Norwegian networks of a shipping firm."
    assert "country:NO" not in sponsor_ids(blank_extractor, text)


def test_a_defacement_by_hackers_named_by_nationality_is_signed_by_them(
    blank_extractor: Extractor,
) -> None:
    text = "Moldovan hackers defaced the websites of two ministries."
    (claim,) = _attributions(extract(blank_extractor, text, "en"))
    assert (claim.subject, claim.attribution_type) == ("country:MD", "self_attribution")
    # the nationality of the hackers is not the source of the sentence ("responded")
    text = "Moldovan hackers responded to the new tax by defacing the ministry's website."
    (claim,) = _attributions(extract(blank_extractor, text, "en"))
    assert (claim.subject, claim.attribution_type) == ("country:MD", "self_attribution")
    text = "Moldovan hackers stole data from two ministries."  # nothing signed: the outlet's
    (claim,) = _attributions(extract(blank_extractor, text, "en"))
    assert claim.attribution_type == "media_report"


def test_hacktivists_sign_every_act_of_theirs(blank_extractor: Extractor) -> None:
    # a group named as hacktivists name themselves announces its operations
    text = "The Vandelay Cyber Army attacked the network of the ministry."
    claims = _attributions(extract(blank_extractor, text, "en"))
    assert ("actor:vandelay-cyber-army", "self_attribution") in {
        (c.subject, c.attribution_type) for c in claims
    }
    # a crew whose name says nothing of a cause does not
    text = "The Vandelay Crew stole data from the network of the ministry."
    claims = _attributions(extract(blank_extractor, text, "en"))
    assert "self_attribution" not in {c.attribution_type for c in claims}


def test_an_acronym_after_an_actor_made_of_its_initials_is_the_actor(
    blank_extractor: Extractor,
) -> None:
    text = "The defacements were claimed by Turk Hack Team (THT) on Monday."
    ex = extract(blank_extractor, text, "en")
    assert {(m.text, m.kind, m.canonical_id) for m in ex.mentions if m.text == "THT"} == {
        ("THT", "threat_actor", "actor:turkhackteam")
    }


def test_a_malware_name_written_as_a_plain_word_is_a_word(blank_extractor: Extractor) -> None:
    plain = extract(blank_extractor, "The dataleak exposed the records of the firm.", "en")
    assert not [m for m in plain.mentions if m.kind == "malware"]
    typed = extract(blank_extractor, "The dataleak ransomware encrypted the firm's files.", "en")
    assert [m.canonical_id for m in typed.mentions if m.kind == "malware"] == ["malware:dataleak"]


def test_hacktivists_named_by_nationality_are_the_attackers(blank_extractor: Extractor) -> None:
    text = "The senator's website was defaced by Moldovan hacktivists on Monday."
    assert "country:MD" in accused_ids(blank_extractor, text)
    assert "country:MD" not in _targets(extract(blank_extractor, text, "en"))


def test_a_cue_inside_a_false_friend_is_no_cue(blank_extractor: Extractor) -> None:
    text = "Intruders from Moldova broke into the grid and left behind a backdoor."
    assert accused_ids(blank_extractor, "Moldova is behind the intrusion into the grid.") == {
        "country:MD"
    }
    assert "country:MD" not in accused_ids(blank_extractor, text)


def test_the_hit_index_tells_a_hit_covering_a_span() -> None:
    rules = compile_rules({"language": "xx", "false_friends": ["left behind"]})
    folded = fold("They left behind a backdoor; he is behind it.")
    index = HitIndex(rules, folded)
    first, second = (m.start() for m in re.finditer("behind", folded))
    assert index.covering("false_friends", first, first + len("behind"))
    assert not index.covering("false_friends", second, second + len("behind"))


def test_victim_syntax_must_map_roles_to_lemma_lists() -> None:
    for bad in (["hack"], {"attack_verbs": "hack"}, {"attack_verbs": [1]}):
        with pytest.raises(RuleError, match="victim_syntax"):
            compile_rules({"language": "xx", "victim_syntax": bad})
    rules = compile_rules({"language": "xx", "victim_syntax": {"attack_verbs": ["Hack"]}})
    assert rules.victim_syntax == {"attack_verbs": ("hack",)}


def test_region_names_come_from_cldr_and_the_rules_in_each_language() -> None:
    text = "Banks in Latin America and l'Asie du Sud-Est, not America alone."
    assert [text[s:e] for s, e in region_spans(fold(text))] == [
        "Latin America",
        "Asie du Sud-Est",
    ]
    assert is_region("the Middle East") and is_region("Moyen-Orient")
    assert not is_region("America") and not is_region("South Africa")


def test_names_that_name_no_organisation(kb: KnowledgeBase) -> None:
    for surface in ("DDoS", "Layer 7 DDoS", "RM26.4 million", "S$8.71", "50 Gbps", "Windows"):
        assert names_no_organisation(surface, kb), surface
    for surface in ("Hooli Bank", "F5 Networks", "Channel 4", "G20", "7-Eleven"):
        assert not names_no_organisation(surface, kb), surface


def test_a_dateline_ends_where_the_story_starts() -> None:
    from cyberveille.extract.dateline import dateline_end

    for text, story in [
        ("OSLO (Reuters) - Acme said", "Acme said"),
        ("GREENVILLE, NC (WXYZ) - A dozen hotels", "A dozen hotels"),
        ("LYON, 3 mars (AFP) - La mairie", "La mairie"),
        ("SPRINGDALE\u2014On Monday", "On Monday"),
        ("A title\nSAN FRANCISCO/WASHINGTON (Reuters) - x", "x"),
    ]:
        assert text[dateline_end(text) :] == story
    # hyphenated names and short headline words are no datelines
    for text in ["RUAG-Hack. The Swiss", "US - hackers strike", "APT-C-36 recent activity"]:
        assert dateline_end(text) == 0


def test_a_state_named_as_a_place_after_an_indictment_cue_is_not_accused(
    blank_extractor: Extractor,
) -> None:
    text = (
        "In an indictment unsealed on Tuesday, prosecutors said that to run his scheme, "
        "the suspect registered a firm in Estonia."
    )
    assert "country:EE" not in accused_ids(blank_extractor, text)
    assert not accused_ids(
        blank_extractor,
        "Prosecutors unsealed an indictment against a man who rented servers in Latvia.",
    )
    # the attackers' place is theirs: "hackers in Russia" stays accused
    assert accused_ids(blank_extractor, "The US indicted hackers in Russia.") == {"country:RU"}


def test_a_state_inside_a_company_name_is_no_attackers_nationality(
    blank_extractor: Extractor,
) -> None:
    text = "The chief executive of Insurance Australia Group spoke about the dark web."
    assert not accused_ids(blank_extractor, text)
    # a nationality before a group's name still is
    text = "Analysts said the Chinese Winnti Group stole the source code."
    assert "country:CN" in accused_ids(blank_extractor, text)
    # a spy agency is no band of spies
    text = "The top U.S. spy agency voiced concerns about the leak."
    assert not accused_ids(blank_extractor, text)


def test_a_negated_cue_ties_no_one(blank_extractor: Extractor) -> None:
    for text in (
        "The hackers were not working for the Elbonian state, investigators said.",
        "They are believed to be in Elbonia but are not believed to be linked to its government.",
        "The Dutch government declined to blame Russia for the attack.",
    ):
        claims = extract(blank_extractor, text, "en").claims
        assert not [c for c in claims if c.kind in ("attribution", "sponsorship")], text
        # nor is who is cleared a victim
        assert "country:RU" not in {c.object for c in claims}, text
    # "not only" denies nothing
    text = "The group is not only linked to China but also to Iran."
    sponsors = {c.subject for c in of_kind(extract(blank_extractor, text, "en"), "attribution")}
    assert {"country:CN", "country:IR"} <= sponsors
    text = "Selon l'enquête, les pirates ne seraient pas liés au gouvernement iranien."
    claims = extract(blank_extractor, text, "fr").claims
    assert not [c for c in claims if "country:IR" in (c.subject, c.object)]


def test_an_accented_cue_needs_its_accent(blank_extractor: Extractor) -> None:
    # « pirates » (the attackers) folds into « piratés » (the act): no victim after it
    text = "Les pirates ont ensuite envoyé des courriels en Lituanie."
    assert "country:LT" not in {
        c.object for c in of_kind(extract(blank_extractor, text, "fr"), "targeting")
    }
    text = "Les serveurs de la Lituanie ont été piratés."
    assert "country:LT" in {
        c.object for c in of_kind(extract(blank_extractor, text, "fr"), "targeting")
    }


def test_words_referring_back_to_an_actor_are_mentions_of_it(blank_extractor: Extractor) -> None:
    text = "Sandworm wiped the servers. Later the hacker group leaked the files; the group hid."
    ex = extract(blank_extractor, text, "en")
    assert [(m.text, m.canonical_id) for m in ex.mentions if m.kind == "threat_actor"] == [
        ("Sandworm", "actor:sandworm"),
        ("the hacker group", "actor:sandworm"),  # the longest words, once
        ("the group", "actor:sandworm"),
    ]
    assert all(m.confidence < 1 for m in ex.mentions if m.text != "Sandworm")
    text = "Le groupe APT28 a piraté le Bundestag. Le groupe de pirates a volé des courriels."
    assert actor_mentions(blank_extractor, text, "fr") == [
        ("APT28", "actor:apt28"),
        ("Le groupe de pirates", "actor:apt28"),
    ]
    # words followed by a name, or with no actor named before, refer to none
    text = "The group stole the files. The hacker group Sandworm leaked them."
    assert actor_mentions(blank_extractor, text) == [("Sandworm", "actor:sandworm")]
    # in a sentence naming an actor, the words after it stand for it, those before it
    # for none ("The group that claimed it, Sandworm, ...")
    text = "APT28 hit the ministry. The group that claimed it, Sandworm, said the group left."
    assert actor_mentions(blank_extractor, text) == [
        ("APT28", "actor:apt28"),
        ("Sandworm", "actor:sandworm"),
        ("the group", "actor:sandworm"),
    ]


def test_a_false_flag_or_a_ranking_of_sources_accuses_no_one(blank_extractor: Extractor) -> None:
    text = "The intruders used the servers to make it look as though it originated from Canada."
    assert not of_kind(extract(blank_extractor, text, "en"), "attribution")
    text = "Les pirates ont agi pour faire croire que l'attaque était attribuée à la Russie."
    assert not of_kind(extract(blank_extractor, text, "fr"), "attribution")
    text = "Ranked as attacks by country, the US (41%) and France (5%) came first."
    ex = extract(blank_extractor, text, "en")
    assert not of_kind(ex, "attribution")
    assert not of_kind(ex, "targeting")
    # the words themselves still accuse where they do
    text = "The ministry was hacked by Russian hackers."
    assert [c.subject for c in of_kind(extract(blank_extractor, text, "en"), "attribution")] == [
        "country:RU"
    ]


def test_a_name_in_a_vendors_naming_scheme_is_a_threat_actor(blank_extractor: Extractor) -> None:
    text = (
        "The loader is tied to TA9876 and Storm-9876; the KB's FIN7 keeps its own id "
        "(see https://example.com/UNC11111)."
    )
    assert set(actor_mentions(blank_extractor, text)) == {
        ("TA9876", "actor:ta9876"),
        ("Storm-9876", "actor:storm-9876"),
        ("FIN7", "actor:fin7"),
    }
    # after an alias introducer, it is another name of the actor named before
    text = "Sandworm hit the grid. Microsoft tracked the activity as DEV-9999, not as UNC98765."
    assert set(actor_mentions(blank_extractor, text)) == {
        ("Sandworm", "actor:sandworm"),
        ("DEV-9999", "actor:sandworm"),
        ("UNC98765", "actor:unc98765"),
    }
    text = "Le groupe TA9876, suivi sous le nom de UNC98765 par Mandiant, a frappé."
    assert actor_ids(blank_extractor, text, "fr") == {"actor:ta9876"}
    # a word that only looks like one is none ("TA12" is too short, "UNC1234.exe" a file)
    assert not actor_mentions(blank_extractor, "Table TA12 lists UNC1234.exe and TA1234x.")


def test_a_name_inside_an_identifier_or_a_technical_term_is_no_actor(
    blank_extractor: Extractor,
) -> None:
    text = "The lure was saved as Sandworm_invoice.html; its CNC commands went to Sandworm."
    ex = extract(blank_extractor, text, "en")
    actors = [m for m in ex.mentions if m.kind == "threat_actor"]
    assert [(m.text, m.start) for m in actors] == [("Sandworm", text.rindex("Sandworm"))]


def test_an_actors_ambiguous_name_needs_a_noun_of_actors(blank_extractor: Extractor) -> None:
    # "Electrum" is an alias of a group and the name of a wallet
    text = "The module is an Electrum wallet stealer written in .NET."
    assert not actor_mentions(blank_extractor, text)
    text = "In 2016, the Electrum group cut power in Kyiv."
    assert [name for name, _ in actor_mentions(blank_extractor, text)] == ["Electrum"]


def test_the_name_of_an_attack_or_a_campaign_is_no_victim(blank_extractor: Extractor) -> None:
    text = "In 2015, a series of attacks called RedMoth hit Initech Corp."
    found = {c.object for c in of_kind(extract(blank_extractor, text, "en"), "targeting")}
    assert not any("RedMoth" in (v or "") for v in found)
    text = "Les pirates ont mené une campagne baptisée Nuit Rouge contre la société Initech."
    found = {c.object for c in of_kind(extract(blank_extractor, text, "fr"), "targeting")}
    assert not any("Nuit Rouge" in (v or "") for v in found)


def test_a_bad_vendor_scheme_pattern_names_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    from cyberveille.extract import discover

    monkeypatch.setattr(discover, "rule_lines", lambda name: ["TA\\d{3,4}\tok", "UNC(\tbroken"])
    with pytest.raises(RuleError, match=r"actor_designators.txt: bad pattern 'UNC\('"):
        discover._designator_patterns()
