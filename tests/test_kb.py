"""Tests of the knowledge base: merged aliases, normalisation, boundaries, overrides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cyberveille.kb import KnowledgeBase, load_kb
from cyberveille.kb.build import cached_kb
from cyberveille.kb.normalize import fold_text, name_key


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def ids(kb: KnowledgeBase, text: str) -> list[str]:
    return [m.entity_id for m in kb.match(text)]


def test_actor_aliases_merged(kb: KnowledgeBase) -> None:
    for name in ["APT40", "Leviathan", "Gingham Typhoon", "TEMP.Periscope", "BRONZE MOHAWK"]:
        assert [e.id for e in kb.lookup(name, "threat_actor")] == ["actor:apt40"], name
    assert kb.lookup("Silk Typhoon", "threat_actor")[0].id == "actor:hafnium"
    for name in ["Fancy Bear", "Forest Blizzard", "Sofacy", "STRONTIUM"]:
        assert kb.lookup(name, "threat_actor")[0].id == "actor:apt28", name
    apt40 = kb.get("actor:apt40")
    assert apt40 is not None and apt40.country == "CN" and apt40.mitre_id == "G0065"
    assert apt40.sponsor is not None and apt40.sponsor.startswith("agency:cn-mss")
    hafnium = kb.get("actor:hafnium")
    assert hafnium is not None and hafnium.country == "CN"


def test_crew_goes_by_its_name_without_group_noun(kb: KnowledgeBase) -> None:
    # "Winnti Group" is also "Winnti" (which another galaxy lists under APT41 as a synonym)
    assert [m.entity_id for m in kb.match("The Winnti hackers struck.")] == ["actor:winnti-group"]
    # never an ordinary word or an acronym cut from a crew name ("Hacking Team", "RGB-TEAM")
    assert not [m for m in kb.match("Hacking is a crime.") if m.entity_id == "actor:hacking-team"]
    assert [m.entity_id for m in kb.match("the RGB ordered it")] == ["agency:kp-rgb"]


def test_a_name_better_known_as_something_else_is_no_actors(kb: KnowledgeBase) -> None:
    assert not kb.lookup("UPS")  # the carrier, though a galaxy gives it to APT3
    assert [e.id for e in kb.lookup("UPS Team")] == ["actor:apt3"]


def test_software(kb: KnowledgeBase) -> None:
    # Malware families in Malpedia are malware; software only ATT&CK lists as a tool is a tool.
    assert kb.lookup("Cobalt Strike")[0].id == "malware:cobalt-strike"
    assert kb.lookup("Mimikatz")[0].kind == "malware"
    assert kb.lookup("PsExec")[0].kind == "tool"
    # legitimate software that Malpedia files as a family is a tool (data/actors.json tools)
    assert [e.kind for e in kb.lookup("XMRig")] == ["tool"]
    assert kb.get("malware:schtasks") == kb.lookup("schtasks")[0]  # the old id redirects
    assert kb.lookup("Trick Bot")[0].id == kb.lookup("TrickBot")[0].id  # spacing variants merged
    assert [e.id for e in kb.lookup("Android")] == ["product:android"]  # never a malware alias
    assert kb.lookup("NotPetya")[0].id == "malware:notpetya"
    assert kb.lookup("PlugX")[0].kind == "malware"
    # a technology's name is no family's, though a galaxy files one under it
    for technology in ("Python", "AutoIt", "DDE"):
        assert not [e for e in kb.lookup(technology) if e.kind in ("malware", "tool")]
    assert kb.lookup("Bandarchor")[0].kind == "malware"  # whose alias "AutoIt" was


def test_normalisation_variants(kb: KnowledgeBase) -> None:
    for text in ["APT 40", "apt-40", "Apt40", "APT40"]:
        assert ids(kb, f"Le groupe {text} a frappé.") == ["actor:apt40"], text
    for text in ["Etats-Unis", "États Unis", "ÉTATS-UNIS"]:
        assert ids(kb, text) == ["country:US"], text
    assert name_key("Etats-Unis") == name_key("États Unis")
    folded, to_orig = fold_text("a  ,  États")
    assert folded == "a etats" and to_orig(2) == 6


def test_word_boundaries(kb: KnowledgeBase) -> None:
    assert ids(kb, "APT40 and APT4") == ["actor:apt40", "actor:apt4"]
    assert "actor:apt4" not in ids(kb, "APT40")
    assert ids(kb, "Iranian hackers") == ["country:IR"]  # demonym, not "Iran" inside
    assert ids(kb, "I ran home") == []
    assert ids(kb, "it is us") == []  # "us" the pronoun is not the US


def test_french_elision_demonyms_capitals(kb: KnowledgeBase) -> None:
    matches = kb.match("l’Australie et d'Allemagne")
    assert [m.entity_id for m in matches] == ["country:AU", "country:DE"]
    assert matches[0].surface == "Australie"
    text = "Des pirates nord-coréennes, chinois et russes; Pékin et le Kremlin nient."
    got = [(m.entity_id, m.form) for m in kb.match(text)]
    assert got == [
        ("country:KP", "demonym"),
        ("country:CN", "demonym"),
        ("country:RU", "demonym"),
        ("country:CN", "capital"),
        ("country:RU", "capital"),
    ]


def test_the_two_congos_are_told_apart(kb: KnowledgeBase) -> None:
    for text in (
        "The Democratic Republic of Congo said so.",
        "the Democratic Republic of the Congo",
        "en République démocratique du Congo",
        "DR Congo",
    ):
        assert [m.entity_id for m in kb.match(text)] == ["country:CD"], text
    assert [m.entity_id for m in kb.match("the Republic of the Congo")] == ["country:CG"]


def test_countries_go_by_their_everyday_names(kb: KnowledgeBase) -> None:
    for name, code in (
        ("Bosnia", "BA"),
        ("Ivory Coast", "CI"),
        ("Macedonia", "MK"),
        ("Cape Verde", "CV"),
        ("East Timor", "TL"),
        ("Swaziland", "SZ"),
        ("Macau", "MO"),
    ):
        assert [m.entity_id for m in kb.match(f"Hackers in {name} said so.")] == [
            f"country:{code}"
        ], name


def test_ambiguity(kb: KnowledgeBase) -> None:
    (m,) = kb.match("Hafnium struck again.")
    assert m.entity_id == "actor:hafnium" and m.ambiguous
    assert kb.match("cobalt and lead are metals") == []  # ordinary words in lowercase
    (w,) = kb.match("Officials in Washington said")
    assert w.entity_id == "country:US" and w.ambiguous and w.form == "capital"
    (c,) = kb.match("Chad")
    assert c.ambiguous
    (cn,) = kb.match("Chine")
    assert not cn.ambiguous
    assert all(m.ambiguous for m in kb.match("la santé") if m.kind == "sector")


def test_seed_like_sentence(kb: KnowledgeBase) -> None:
    text = (
        "Selon la Maison-Blanche et l’OTAN, le groupe APT31, lié au ministère chinois de la "
        "Sécurité d’État, a visé des universités en Finlande ; le NCSC britannique et le "
        "ministère américain de la Justice accusent Pékin."
    )
    got = ids(kb, text)
    assert got == [
        "inst:us-white-house",
        "inst:nato",
        "actor:apt31",
        "agency:cn-mss",
        "sector:Higher education",
        "country:FI",
        "inst:gb-ncsc",
        "inst:us-doj",
        "country:CN",
    ]
    for m in kb.match(text):
        assert text[m.start : m.end] == m.surface


def test_counts_and_version(kb: KnowledgeBase) -> None:
    counts = kb.counts()
    assert counts["country"] >= 240 and counts["threat_actor"] > 500
    assert counts["malware"] > 1000 and counts["institution"] > 50
    assert counts["agency"] > 20 and counts["sector"] > 60 and counts["product"] > 30
    assert kb.version.startswith("pymispgalaxies ")
    assert sum(1 for _ in kb.entities("agency")) == counts["agency"]
    assert kb.lookup("EU")[0].country == "EU" and kb.lookup("OTAN")[0].id == "inst:nato"


def test_overrides(tmp_path: Path) -> None:
    path = tmp_path / "overrides.json"
    entries = [
        {"id": "actor:apt40", "aliases": ["Periscope Crew"]},
        {"id": "actor:apt40", "remove_aliases": ["Leviathan"]},
        {
            "id": "inst:acme-lab",
            "kind": "institution",
            "name": "ACME Threat Lab",
            "country": "FR",
            "institution_type": "company",
        },
    ]
    path.write_text(json.dumps(entries), encoding="utf-8")
    kb = cached_kb(path)
    assert kb.lookup("Periscope Crew")[0].id == "actor:apt40"
    assert kb.lookup("Leviathan", "threat_actor") == []
    assert ids(kb, "ACME Threat Lab says") == ["inst:acme-lab"]
    lab = kb.get("inst:acme-lab")
    assert lab is not None and lab.institution_type == "company"


def test_hacktivist_collectives_come_from_tidal_groups(kb: KnowledgeBase) -> None:
    (anonymous,) = kb.lookup("Anonymous (Collective)") or kb.lookup("Anonymous", "threat_actor")
    assert anonymous.kind == "threat_actor"
    assert any(r.startswith("tidal-groups:") for r in anonymous.refs)
    # Tidal's own ids (G3xxx) are not ATT&CK ids; ATT&CK groups it lists merge with ATT&CK's
    assert anonymous.mitre_id is None
    apt40 = kb.lookup("APT40")[0]
    assert apt40.mitre_id == "G0065" and any(r.startswith("tidal-groups:") for r in apt40.refs)


def test_hacktivists_carry_their_motive(kb: KnowledgeBase) -> None:
    # from the galaxies' descriptions, and from the curated actors missing from them
    for name in ("Anonymous", "Killnet", "Syrian Electronic Army", "RedHack"):
        (actor,) = kb.lookup(name, "threat_actor")
        assert dict(actor.attrs).get("motive") == "hacktivism", name
    (redhack,) = kb.lookup("RedHack", "threat_actor")
    assert redhack.country == "TR" and "curated:actors" in redhack.refs
    # a curated link adds the name the press uses to the galaxy's entry
    (sea,) = kb.lookup("Syrian Electronic Army", "threat_actor")
    assert sea.country == "SY" and "SyrianElectronicArmy" in sea.aliases


def test_intrusion_sets_carry_the_motive_the_galaxies_tell(kb: KnowledgeBase) -> None:
    def motive(name: str) -> str | None:
        (actor,) = kb.lookup(name, "threat_actor")
        return dict(actor.attrs).get("motive")

    assert motive("APT28") == "espionage" and motive("Chafer") == "espionage"
    assert motive("FIN7") == "financial"  # "financially motivated"
    assert motive("Wizard Spider") == "financial"  # CrowdStrike's SPIDERs are eCrime
    assert motive("APT41") is None  # described as both: neither is told


def test_every_shared_name_has_an_owner_in_the_matcher(kb: KnowledgeBase) -> None:
    # names several galaxies give to different identities still find an actor in a text
    for text in ("APT34 stole data", "Andariel struck", "APT-C-36 targets Colombia"):
        assert any(m.kind == "threat_actor" for m in kb.match(text)), text
    # ids come from a name in Latin letters, never from a slug of nothing
    assert not [e.id for e in kb.entities("threat_actor") if e.id in ("actor:x",)]
    assert not [e.id for e in kb.entities("threat_actor") if e.id.startswith("actor:x-")]


def test_words_and_dates_are_not_software(kb: KnowledgeBase) -> None:
    # a month alone is the month; a camel-case name cut into words needs its capitals;
    # a name made of ordinary words written in lowercase is the phrase
    assert not [m for m in kb.match("In August the servers went offline") if m.kind == "malware"]
    assert not kb.match("call the phone number on the remote control")
    assert [m.entity_id for m in kb.match("Cobalt Strike beacons")] == ["malware:cobalt-strike"]
    assert [m.entity_id for m in kb.match("apt-40 and apt40")] == ["actor:apt40"] * 2
    # brands are frequent words too, but written capitalised: not ordinary words
    assert [m.ambiguous for m in kb.match("Microsoft and Kaspersky")] == [False, False]
