"""Adding a language is adding its rule file: cues, the spaCy pipeline's name, and the
per-language data that Babel and dateparser then give for its code.

The German rules and sentences here were written for these tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cyberveille import documents
from cyberveille.extract import Extractor, regions
from cyberveille.extract.cues import RuleError, load_rules
from cyberveille.extract.figures import parse_number
from cyberveille.extract.nlp import blank_pipeline, model_name
from cyberveille.kb import KnowledgeBase, curated, wordlist
from cyberveille.languages import RULES_DIR_ENV, available_languages, rule_file
from cyberveille.types import Article, content_id

GERMAN_RULES = {
    "language": "de",
    "comment": "A few German cues, for the tests.",
    "attribution": [{"cue": "beschuldig*", "structure": "active"}],
    "hedge_outlet": ["angeblich", "mutmaßlich"],
    "incident_types": {"ransomware": ["ransomware*", "erpressungssoftware"]},
    "figure_units": {"servers": ["server"]},
    "dateline_cues": ["veröffentlicht"],
}


def _clear_caches() -> None:
    load_rules.cache_clear()
    regions._pattern.cache_clear()
    documents.date_languages.cache_clear()
    documents.dateline_cues.cache_clear()
    documents._identifier.cache_clear()
    wordlist.month_names.cache_clear()
    wordlist.day_names.cache_clear()


@pytest.fixture
def rules_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user's rule folder holding a German rule file, caches emptied around the test."""
    (tmp_path / "de.json").write_text(json.dumps(GERMAN_RULES), encoding="utf-8")
    monkeypatch.setenv(RULES_DIR_ENV, str(tmp_path))
    _clear_caches()
    yield tmp_path
    monkeypatch.delenv(RULES_DIR_ENV)
    _clear_caches()


def test_the_package_reads_french_and_english() -> None:
    assert {"en", "fr"} <= set(available_languages())
    assert rule_file("xx").name == "common.json"


def test_a_rule_file_in_the_users_folder_adds_its_language(rules_dir: Path) -> None:
    assert "de" in available_languages()
    assert rule_file("de") == rules_dir / "de.json"
    assert "de" in documents.date_languages()
    # CLDR's German region names come with it
    assert regions.is_region("Südostasien")
    # and its dateline words, read with dateparser's German
    text = "Cyberangriff auf Ministerium\nVeröffentlicht am 3. März 2024\nDie Hacker..."
    assert documents.find_dateline(text) == date(2024, 3, 3)


def test_a_language_added_by_a_file_is_extracted_end_to_end(
    rules_dir: Path, kb: KnowledgeBase
) -> None:
    extractor = Extractor(kb, pipelines=lambda language: (blank_pipeline(language), False))
    text = (
        "Die USA beschuldigen APT28 eines Angriffs auf den Bundestag. "
        "Mehr als 2,5 Server wurden mit Ransomware verschlüsselt."
    )
    article = Article(id=content_id("de", text), text=text, language="de", origin="de")
    extraction = extractor.extract(article)
    attributions = [c for c in extraction.claims if c.kind == "attribution"]
    assert [(c.subject, c.accuser) for c in attributions] == [("actor:apt28", "country:US")]
    # German writes decimals with a comma (CLDR): 2,5 is two and a half
    assert [(c.value, c.unit) for c in extraction.claims if c.kind == "impact"] == [
        (2.5, "servers")
    ]
    assert "ransomware" in {m.incident_type for m in extraction.incident_mentions}
    assert not any("no rule file" in note for note in extraction.notes)


def test_country_names_come_in_every_language_read(rules_dir: Path) -> None:
    united_states = next(d for d in curated.country_drafts() if d.id == "country:US")
    assert "Vereinigte Staaten" in united_states.forms
    assert "États-Unis" in united_states.forms


def test_the_pipeline_is_named_by_the_rule_file(monkeypatch: pytest.MonkeyPatch) -> None:
    assert model_name("fr") == load_rules("fr").spacy_model == "fr_core_news_sm"
    assert model_name("xx") is None  # no rule file: a blank pipeline
    monkeypatch.setenv("CYBERVEILLE_MODEL_FR", "fr_core_news_md")
    assert model_name("fr") == "fr_core_news_md"


def test_the_decimal_mark_is_the_languages() -> None:
    assert parse_number("2,5", "fr") == 2.5
    assert parse_number("2,5", "de") == 2.5
    assert parse_number("2,500", "en") == 2500
    assert parse_number("2,5", "zz-unknown") == 25  # no CLDR data: the comma groups digits


def test_a_broken_rule_file_is_named_in_the_error(rules_dir: Path) -> None:
    (rules_dir / "de.json").write_text("{not json", encoding="utf-8")
    load_rules.cache_clear()
    with pytest.raises(RuleError, match=r"de\.json"):
        load_rules("de")


def test_a_pipeline_name_must_be_a_name(rules_dir: Path) -> None:
    (rules_dir / "de.json").write_text(
        json.dumps({**GERMAN_RULES, "spacy_model": " "}), encoding="utf-8"
    )
    load_rules.cache_clear()
    with pytest.raises(RuleError, match="spacy_model"):
        load_rules("de")


def test_demonyms_of_another_language_are_listed_forms(
    rules_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(json.dumps(curated.load_data("countries")))
    data["countries"].setdefault("DE", {})["demonyms_de"] = ["deutsch|deutsche|deutschen"]
    monkeypatch.setattr(curated, "load_data", lambda name: data)
    germany = next(d for d in curated.country_drafts() if d.id == "country:DE")
    assert {"deutsch", "deutsche", "deutschen"} <= {
        form for form, kind in germany.forms.items() if kind == "demonym"
    }


def test_a_broken_rule_file_is_named_when_datelines_are_read(rules_dir: Path) -> None:
    (rules_dir / "de.json").write_text("{not json", encoding="utf-8")
    documents.dateline_cues.cache_clear()
    with pytest.raises(ValueError, match=r"de\.json"):
        documents.dateline_cues()
