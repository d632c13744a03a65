"""Incident types read from the dependency parse (trained English and French pipelines)."""

from __future__ import annotations

import pytest

from cyberveille.extract import Extractor
from cyberveille.extract.cues import RuleError, compile_rules, load_rules
from cyberveille.extract.nlp import load_pipeline
from cyberveille.extract.type_syntax import TypeReader
from cyberveille.extract.victim_syntax import VictimReader, VictimSyntax
from cyberveille.kb import KnowledgeBase
from cyberveille.types import Article, content_id


def types(text: str, language: str = "en") -> set[str]:
    nlp, trained = load_pipeline(language)
    if not trained:
        pytest.skip(f"no trained {language} pipeline installed")
    rules = load_rules(language)
    unreal = VictimReader(VictimSyntax.from_rules(rules.victim_syntax)).unreal
    reader = TypeReader.from_rules(rules.type_syntax, unreal=unreal)
    return {t for s in nlp(text).sents for t in reader.types(s)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a verb and its object, however far apart
        ("The crew leaked 300 GB of customer records on a forum.", "hack_and_leak"),
        ("Intruders copied the personal details of two million clients.", "data_theft"),
        # a participle qualifying the noun; the leak needs the hack in the sentence
        ("The firm was hacked and confidential files released online.", "hack_and_leak"),
        # coordinated verbs share their object; an elliptical passive; a noun "of" data
        ("The records were stolen and published on a forum.", "hack_and_leak"),
        ("Crooks stole the files and published them online.", "hack_and_leak"),
        ("The firm was hacked and sensitive information released.", "hack_and_leak"),
        ("The crew claimed the theft and publication of customer data.", "hack_and_leak"),
        # an adjective said of a subject; an access to something
        ("The ministry's websites were inaccessible for two days.", "disruption"),
        ("Hackers briefly blocked access to the court's public website.", "disruption"),
        # messages posted on a hijacked account; a social media account taken over
        ("Intruders took over the mayor's account and posted offensive messages.", "defacement"),
        ("Hackers hijacked the Twitter account of the ministry.", "defacement"),
        # an attacked website: defaced or taken down
        ("The crew hacked the website of the city council.", "defacement"),
        ("They launched an attack on the ministry's web portal.", "defacement"),
        ("Activists targeted dozens of municipal websites.", "defacement"),
        # an access to accounts or mailboxes, a break into them
        ("The intruders gained access to 700,000 taxpayer accounts.", "data_theft"),
        ("Spies broke into the email accounts of three diplomats.", "data_theft"),
        ("The attackers gained access to thousands of emails.", "data_theft"),
        # a leak or an access to data told beside a break-in
        (
            "Kaputskiy breaks into the chamber's server and exposes the data of 4,000 users.",
            "hack_and_leak",
        ),
        # destroyed data, machines made useless
        ("The malware erased the hard drives of the utility.", "wiper"),
        ("The attackers wiped thousands of computers at the oil company.", "wiper"),
        ("The attack left 300 computers unusable.", "disruption"),
    ],
)
def test_a_type_is_read_from_a_verb_and_what_it_acts_on(text: str, kind: str) -> None:
    assert kind in types(text)


@pytest.mark.parametrize(
    "text",
    [
        "The spokesman was unavailable for comment.",  # not a service
        "Officials said no customer data was taken.",  # nothing taken
        "The hackers did not steal any data.",  # denied
        "Attackers could leak personal data.",  # only possible
        "The researcher released information about a flaw in the router.",  # no hack told
        "The ministry posted a message on its website about the incident.",  # no hijack
        "The publication of the annual report was delayed.",  # no data
        "Users are tricked into downloading a malicious file.",  # a lure, not a theft
        "The potential impact of an attacker with access to the account is huge.",  # no act
        "The vendor recommends intrusion detection for printers.",  # a defence
    ],
)
def test_no_type_when_the_act_is_unreal_or_benign(text: str) -> None:
    assert types(text) == set()


def test_french_types() -> None:
    assert "hack_and_leak" in types("Les pirates ont publié des documents internes.", "fr")
    assert "disruption" in types("Les assaillants ont bloqué l'accès au portail.", "fr")
    assert "defacement" in types("Des pirates ont piraté le compte Twitter du ministre.", "fr")
    assert types("Aucune donnée n'a été volée.", "fr") == set()
    assert "wiper" in types("Le logiciel a effacé les disques de la mairie.", "fr")
    assert "wiper" in types("Les pirates ont effacé mille ordinateurs de la mairie.", "fr")
    assert "defacement" in types("Des militants ont attaqué le site de la préfecture.", "fr")
    text = "Des pirates se sont introduits dans les messageries de trois diplomates."
    assert "data_theft" in types(text, "fr")
    # a hijacked social media account is no theft of data
    assert "data_theft" not in types("Hackers hijacked the Twitter account of the ministry.")
    # a website that is only where something was said
    assert "defacement" not in types("The bank said on its website that hackers stole data.")


def test_parsed_types_reach_the_incident(kb: KnowledgeBase) -> None:
    text = "Hackers breached Vandelay Industries and released 20 GB of internal data."
    article = Article(id=content_id("t", text), text=text, language="en", origin="t")
    incidents = Extractor(kb).extract(article).incident_mentions
    assert any("hack_and_leak" in i.incident_types for i in incidents)


@pytest.mark.parametrize(
    "bad",
    [
        [],
        {"data_theft": "steal"},
        {"data_theft": [{"verbs": ["steal"]}]},
        {"data_theft": [{"verbs": ["steal"], "objects": ["data"], "when": ["x"]}]},
        {"complements": "of", "data_theft": []},
        {"disguise_verbs": "appear"},
    ],
)
def test_a_malformed_type_syntax_is_refused(bad: object) -> None:
    with pytest.raises(RuleError, match="type_syntax"):
        compile_rules({"language": "xx", "type_syntax": bad})


def incident_types(kb: KnowledgeBase, text: str, language: str = "en") -> set[str]:
    article = Article(id=content_id("t", text), text=text, language=language, origin="t")
    incidents = Extractor(kb).extract(article).incident_mentions
    return {t for i in incidents for t in i.incident_types}


def test_a_denied_surface_cue_tells_no_type(kb: KnowledgeBase) -> None:
    assert "data_theft" in incident_types(kb, "Hackers stole customer data from the retailer.")
    text = "The retailer said that hackers did not steal any customer data."
    assert "data_theft" not in incident_types(kb, text)
    text = "Ces intrusions ne visent pas à dérober des secrets."
    assert "data_theft" not in incident_types(kb, text, "fr")


def test_a_type_word_naming_the_actor_tells_no_type(kb: KnowledgeBase) -> None:
    text = "The ransomware gang Vandelay claims to have stolen data from the firm."
    assert incident_types(kb, text) == {"data_theft"}
    assert "ransomware" in incident_types(kb, "The ransomware encrypted the hospital's files.")
    # a type word in an attacker noun tells the act when nothing else does
    text = "An espionage group named Vandelay targeted ministries."
    assert "espionage" in incident_types(kb, text)


def test_what_an_attack_was_made_to_look_like_is_not_its_type(kb: KnowledgeBase) -> None:
    assert incident_types(kb, "The attackers deployed a wiper disguised as ransomware.") == {
        "wiper"
    }
    text = "Vandelay used a wiper called Bluebird that should appear as ransomware."
    assert "ransomware" not in incident_types(kb, text)
    assert "ransomware" not in incident_types(kb, "The intruders deployed fake ransomware.")
    # a qualifier that is part of the cue itself is no disguise
    assert "phishing" in incident_types(kb, "The hackers sent fake emails to the staff.")
    text = "Les pirates ont déployé un wiper déguisé en rançongiciel."
    assert incident_types(kb, text, "fr") == {"wiper"}


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("Initech thwarted a ransomware attack in May.", "en", "ransomware"),
        ("The police stopped the gang from extorting two million dollars.", "en", "extortion"),
        ("The encryption of the servers was prevented by the antivirus.", "en", "ransomware"),
        (
            "It is unclear whether the hackers also encrypted data on the servers.",
            "en",
            "ransomware",
        ),
        ("The outage is a description that could fit a ransomware attack.", "en", "ransomware"),
        ("Les pirates ont été empêchés de chiffrer les fichiers.", "fr", "ransomware"),
        ("There was no evidence that customer data had been stolen.", "en", "data_theft"),
        ("The firm found no evidence of data theft.", "en", "data_theft"),
        ("Il n'y a aucune preuve que des données aient été volées.", "fr", "data_theft"),
    ],
)
def test_an_act_stopped_or_left_open_is_not_told(
    kb: KnowledgeBase, text: str, language: str, kind: str
) -> None:
    assert kind not in incident_types(kb, text, language)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # evidence found is no doubt
        ("Investigators found evidence that customer data had been stolen.", "data_theft"),
        # a verb only possible said of stolen data does not undo the theft
        ("The stolen data could not be identified yet.", "data_theft"),
        # nor does a stop after the act, in a clause of its own
        ("The hackers encrypted files and the company stopped the attack.", "ransomware"),
        ("The clinic stopped its services after hackers encrypted files.", "ransomware"),
        # a stop after the act, told by a preposition of time
        ("Operations were halted after a ransomware attack.", "ransomware"),
    ],
)
def test_a_stop_or_a_doubt_elsewhere_leaves_the_act_told(
    kb: KnowledgeBase, text: str, kind: str
) -> None:
    assert kind in incident_types(kb, text)


def test_a_software_or_type_word_in_a_comparison_tells_no_type(kb: KnowledgeBase) -> None:
    text = "The new wiper, just like WannaCry, spread through the network of the firm."
    assert incident_types(kb, text) == {"wiper"}
    assert "ransomware" in incident_types(kb, "The crew deployed WannaCry against the firm.")
    # nor does a type word that only situates or contrasts the operation
    text = "The intrusion took place at the same time as a ransomware attack on the firm."
    assert "ransomware" not in incident_types(kb, text)
    text = "Unlike ransomware, the wiper destroyed the data of the firm."
    assert incident_types(kb, text) == {"wiper"}


def test_breach_as_a_verb_is_an_intrusion_and_as_a_noun_a_theft(kb: KnowledgeBase) -> None:
    assert incident_types(kb, "Hackers breach the networks of banks every week.") == {"intrusion"}
    assert incident_types(kb, "The breach affected ten thousand patients.") == {"data_theft"}


def test_a_flaw_tells_a_mass_exploitation_only_with_its_scale(kb: KnowledgeBase) -> None:
    text = "The group exploited a zero-day in a mail server to gain access to the ministry."
    assert incident_types(kb, text) == {"intrusion"}
    text = "Criminals exploited the flaw on thousands of servers worldwide."
    assert "mass_exploitation" in incident_types(kb, text)
    text = "Des pirates ont exploité la faille sur des milliers de serveurs."
    assert "mass_exploitation" in incident_types(kb, text, "fr")
    # a penetration tester is no intrusion
    text = "The flaw was found by a penetration tester from Initech."
    assert "intrusion" not in incident_types(kb, text)


def test_a_ransomware_family_that_wiped_data_is_a_wiper(kb: KnowledgeBase) -> None:
    # NotPetya is in the MISP ransomware galaxy; the sentence says it destroyed data
    assert "ransomware" in incident_types(kb, "The crew deployed NotPetya against the firm.")
    text = "The crew deployed NotPetya and wiped the data of the firm."
    assert incident_types(kb, text) == {"wiper"}
    text = "NotPetya wiped the data of the firm. NotPetya spread to a hundred countries."
    assert "ransomware" not in incident_types(kb, text)


def test_a_ransom_demand_without_encryption_is_extortion(kb: KnowledgeBase) -> None:
    text = "The gang demanded a ransom of two million dollars for the stolen files."
    found = incident_types(kb, text)
    assert "extortion" in found and "ransomware" not in found
    text = "Le groupe exige une rançon pour ne pas publier les fichiers volés."
    found = incident_types(kb, text, "fr")
    assert "extortion" in found and "ransomware" not in found
    assert "ransomware" in incident_types(kb, "A ransomware attack encrypted the files.")


def test_a_leak_that_is_the_source_of_the_news_tells_no_type(kb: KnowledgeBase) -> None:
    text = "Documents leaked by Edward Snowden show that the agency hacked the air force drones."
    assert "hack_and_leak" not in incident_types(kb, text)
    text = "According to the leaks of a whistleblower, the agency spied on the embassy."
    assert "hack_and_leak" not in incident_types(kb, text)
    text = "Selon des documents divulgués par Edward Snowden, l'agence a espionné l'ambassade."
    assert "hack_and_leak" not in incident_types(kb, text, "fr")
    # a leak that is the act still is one
    assert "hack_and_leak" in incident_types(kb, "The hackers leaked documents from the ministry.")
