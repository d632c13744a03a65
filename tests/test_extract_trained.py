"""Extraction tests that need the trained spaCy pipelines: organisation names from the NER."""

from __future__ import annotations

import pytest

from cyberveille.extract import Extractor
from cyberveille.types import Article, Claim, content_id
from extracted import extracted, targets


def accusers(extractor: Extractor, text: str) -> set[str | None]:
    article = Article(id=content_id("t", text), text=text, language="en", origin="t")
    return {c.accuser for c in extractor.extract(article).claims if c.kind == "attribution"}


def test_an_organisation_telling_of_an_attack_on_its_own_systems_is_the_victim(
    extractor: Extractor,
) -> None:
    text = "Globex Corp said hackers had accessed its network in May."
    assert "org:Globex Corp" in targets(extractor, text)
    # a reporter of someone else's breach is no victim
    text = "Globex Corp said that hackers had attacked a bank in Ohio."
    assert "org:Globex Corp" not in targets(extractor, text)
    # nor one saying it was spared, nor a vendor telling of its own research
    text = "Initech said in an advisory that its customers were not affected by this flaw."
    assert "org:Initech" not in targets(extractor, text)
    text = "Initech said it is not aware of any attacks exploiting the flaw."
    assert "org:Initech" not in targets(extractor, text)
    text = "Initech revealed that a serious flaw in some of its chips left devices vulnerable."
    assert "org:Initech" not in targets(extractor, text)
    text = 'Acme Corp said: "Our analysis shows that attackers win 90 percent of the time."'
    assert "org:Acme Corp" not in targets(extractor, text)
    # finding no evidence that data was taken still tells of a breach
    text = "Initech said there was no evidence that hackers had accessed its network."
    assert "org:Initech" in targets(extractor, text)


def test_the_city_and_wire_of_a_dateline_are_no_victims(extractor: Extractor) -> None:
    text = "SPRINGDALE — Maple Valley Clinic paid a $40,000 ransom to hackers, officials said."
    found = targets(extractor, text)
    assert "org:Maple Valley Clinic" in found
    assert not any("SPRINGDALE" in (t or "") for t in found)


def test_a_city_opening_an_outlets_name_is_no_accusing_state(extractor: Extractor) -> None:
    text = "The Kyiv Post reported that Russian hackers had stolen the data."
    assert "country:UA" not in accusers(extractor, text)
    text = "Washington said that Russian hackers had stolen the data."
    assert "country:US" in accusers(extractor, text)


def test_a_self_given_name_introduces_an_actor(extractor: Extractor) -> None:
    text = "The thieves, who call themselves the “Spanish Tax Collectors”, demanded a ransom."
    article = Article(id=content_id("t", text), text=text, language="en", origin="t")
    actors = {m.text for m in extractor.extract(article).mentions if m.kind == "threat_actor"}
    # quoted, the nationality is part of the name and not a place of its own
    assert "Spanish Tax Collectors" in actors
    text = "A hacker going by the handle “Zer0Cool” wiped the servers."
    article = Article(id=content_id("t", text), text=text, language="en", origin="t")
    actors = {m.text for m in extractor.extract(article).mentions if m.kind == "threat_actor"}
    assert "Zer0Cool" in actors


def claims_of(extractor: Extractor, text: str, kind: str) -> list[tuple[str | None, str | None]]:
    article = Article(id=content_id("t", text), text=text, language="en", origin="t")
    return [(c.subject, c.object) for c in extractor.extract(article).claims if c.kind == kind]


def test_the_nationals_a_response_targets_are_no_victims(extractor: Extractor) -> None:
    text = "Estonia expels Bolivian diplomats over ministry hack"
    assert "country:BO" not in targets(extractor, text)
    text = "Bolivian Ministry Hacked"
    assert "country:BO" in targets(extractor, text)


def test_an_assessment_said_firm_is_asserted(extractor: Extractor) -> None:
    def modalities(text: str) -> set[str]:
        return {c.modality for c in extracted(extractor, text).claims if c.kind == "attribution"}

    text = "The NCSC assessed with high confidence that APT29 hacked the ministry of Bolivia."
    assert modalities(text) == {"asserted"}
    text = "The NCSC assessed that APT29 probably hacked the ministry of Bolivia."
    assert modalities(text) == {"alleged"}


def test_who_is_blamed_does_not_accuse_itself(extractor: Extractor) -> None:
    text = "Estonia expelled three Russian diplomats after blaming Moscow for the hack."
    claims = extracted(extractor, text).claims
    assert {c.accuser for c in claims if c.subject == "country:RU"} == {"country:EE"}


def test_a_pronoun_before_a_reporting_verb_stands_for_the_last_accuser(
    extractor: Extractor,
) -> None:
    def accusers_of(text: str, subject: str, language: str = "en") -> set[str | None]:
        claims = extracted(extractor, text, language).claims
        return {c.accuser for c in claims if c.kind == "attribution" and c.subject == subject}

    text = "Estonia blamed Moscow for the hack. It said Sandworm was behind the theft of cables."
    assert accusers_of(text, "actor:sandworm") == {"country:EE"}
    text = (
        "L'Estonie a accusé Moscou du piratage. "
        "Elle a ajouté que le groupe Sandworm avait volé des câbles."
    )
    assert accusers_of(text, "actor:sandworm", "fr") == {"country:EE"}
    # only right after: three sentences later, "it" may be anyone
    text = (
        "Estonia blamed Moscow for the hack. Talks went on. The weather was fine. "
        "It said Sandworm was behind the theft of cables."
    )
    assert "country:EE" not in accusers_of(text, "actor:sandworm")


def test_a_sponsor_glued_before_an_actor_sponsors_it(extractor: Extractor) -> None:
    text = "Officials said the GRU-backed group Sandworm had stolen the cables."
    assert ("actor:sandworm", "agency:ru-gru") in claims_of(extractor, text, "sponsorship")
    text = "Iran-linked APT35 targeted journalists in London."
    assert ("actor:apt35", "country:IR") in claims_of(extractor, text, "sponsorship")
    # a state backing anyone but attackers sponsors nothing
    text = "The US-backed government of Ukraine said the ministry was hacked."
    assert claims_of(extractor, text, "sponsorship") == []


def test_hackers_who_only_find_a_flaw_are_no_crew(extractor: Extractor) -> None:
    text = "Hackers Jan Kowal and Ada Nowak discovered the hole that let anyone read files."
    assert names_of(extractor, text, "threat_actor") == set()
    text = "Hackers Jan Kowal and Ada Nowak found a flaw and used it to breach the Hooli network."
    assert "Jan Kowal" in names_of(extractor, text, "threat_actor")


def test_a_sponsorship_cue_needs_a_doer_right_before_it(extractor: Extractor) -> None:
    text = "The hackers read the mail of people linked to the Ministry of Defence of Chile."
    assert not claims_of(extractor, text, "sponsorship")
    text = "The attack was carried out by hackers linked to China."
    assert (None, "country:CN") in claims_of(extractor, text, "sponsorship")


def test_a_deed_is_no_member_of_what_follows(extractor: Extractor) -> None:
    text = (
        "Ruritanian intelligence accused Russia of hacking 12 laptops belonging to members of "
        "Germany's lower house of parliament."
    )
    assert not claims_of(extractor, text, "sponsorship")
    text = "The two hackers are members of Unit 61398 of the People's Liberation Army."
    assert claims_of(extractor, text, "sponsorship")


def test_a_linked_to_sponsor_is_named_right_after_the_cue(extractor: Extractor) -> None:
    text = (
        "Two of the domains used in the attack were once linked to an IP address mentioned "
        "in a US government report."
    )
    assert not claims_of(extractor, text, "sponsorship")
    text = "The intruders were linked to the Iranian government, the report says."
    assert (None, "country:IR") in claims_of(extractor, text, "sponsorship")


def test_claiming_responsibility_for_an_attack_accuses_no_victim(extractor: Extractor) -> None:
    text = "The group CyberBerkut claimed responsibility for the disruption of German websites."
    accused = {subject for subject, _ in claims_of(extractor, text, "attribution")}
    assert "country:DE" not in accused
    assert "actor:cyber-berkut" in accused


def test_a_speaker_before_that_is_not_behind_the_attack(extractor: Extractor) -> None:
    text = "The Norwegian minister added that China is behind the attack on the parliament."
    accused = {subject for subject, _ in claims_of(extractor, text, "attribution")}
    assert accused == {"country:CN"}


def test_responsible_for_accuses_what_follows_only_when_it_opens_the_sentence(
    extractor: Extractor,
) -> None:
    text = "The intrusion was found not by the firms responsible for the grid but by US agencies."
    assert not claims_of(extractor, text, "attribution")
    text = "Behind the attack on the Ruritanian parliament: APT28, researchers say."
    accused = {subject for subject, _ in claims_of(extractor, text, "attribution")}
    assert "actor:apt28" in accused


def test_an_origin_names_the_attackers_state(extractor: Extractor) -> None:
    text = "Analysts found a wiper of Russian origin on the servers of the port."
    accused = {subject for subject, _ in claims_of(extractor, text, "attribution")}
    assert "country:RU" in accused


def test_a_participle_cue_accuses_the_name_before_it(extractor: Extractor) -> None:
    text = "Chilean charged with breaking into Ukrainian drones."
    accused = {subject for subject, _ in claims_of(extractor, text, "attribution")}
    targets = {obj for _, obj in claims_of(extractor, text, "targeting")}
    assert accused == {"country:CL"}
    assert "country:UA" in targets  # the nationality of what was attacked
    text = "The attack was blamed on Russia by the government."  # "on": the accused follows
    assert {s for s, _ in claims_of(extractor, text, "attribution")} == {"country:RU"}


def test_a_national_branch_names_the_attackers_state(extractor: Extractor) -> None:
    text = "Anonymous Brazil took down the website of the city of Porto Alegre."
    claims = [c for c in extract_claims(extractor, text) if c.kind == "attribution"]
    states = {c.subject: c.attribution_type for c in claims if c.subject == "country:BR"}
    # a hacktivist branch signs its act: a claim of its own
    assert states == {"country:BR": "self_attribution"}


def extract_claims(extractor: Extractor, text: str) -> tuple[Claim, ...]:
    article = Article(id=content_id("t", text), text=text, language="en", origin="t")
    return extractor.extract(article).claims


def test_a_state_in_the_doers_phrase_is_accused(extractor: Extractor) -> None:
    text = "The Dutch military hacked the networks of a telecom provider in Chile."
    accused = {subject for subject, _ in claims_of(extractor, text, "attribution")}
    assert "country:NL" in accused and "country:CL" not in accused
    text = "The site was defaced by hackers of the Bolivian Cyber Front."
    assert "country:BO" in {s for s, _ in claims_of(extractor, text, "attribution")}
    # a Title Case headline has no doer: the ministry is what was hacked
    text = "Belgium's Foreign Ministry Hacked"
    assert not claims_of(extractor, text, "attribution")
    # where the doer is (a place after "in") is not who does it
    text = "Every link in the message leads to a fake website, registered in Peru, which tries "
    text += "to trick the user into submitting their account info."
    assert not claims_of(extractor, text, "attribution")


def test_states_listed_together_are_all_sponsors(extractor: Extractor) -> None:
    text = "State-backed Qatari and Omani hacking groups compromised the phones of reporters."
    sponsors = {obj for _, obj in claims_of(extractor, text, "sponsorship")}
    assert {"country:QA", "country:OM"} <= sponsors


def accused_of(extractor: Extractor, text: str) -> set[str | None]:
    return {subject for subject, _ in claims_of(extractor, text, "attribution")}


def test_the_nationality_of_attackers_in_a_condition_is_no_attribution(
    extractor: Extractor,
) -> None:
    text = "Officials asked whether Bolivian hackers had stolen the files."
    assert "country:BO" not in accused_of(extractor, text)
    text = "The ransom note would be no surprise if it came from a Bolivian actor."
    assert "country:BO" not in accused_of(extractor, text)
    # a condition closed by a comma leaves the main clause as it is said
    text = "If the figures hold, Bolivian hackers stole the files of two ministries."
    assert "country:BO" in accused_of(extractor, text)


def test_infrastructure_tied_to_a_state_accuses_no_state(extractor: Extractor) -> None:
    # where the attackers' servers stand says nothing of who sponsors them
    text = "The crew may have a sponsor, and it uses infrastructure tied to Bolivia and Peru."
    assert not {"country:BO", "country:PE"} & accused_of(extractor, text)


def test_a_state_doing_with_coordinated_verbs_is_accused(extractor: Extractor) -> None:
    # "into" has no object of its own: the coordinated verb holds it
    text = "Officials found that the Bolivian army hacked into and spied on two newspapers."
    assert "country:BO" in accused_of(extractor, text)


def test_a_state_using_a_weapon_is_accused(extractor: Extractor) -> None:
    text = "The government of Paraguay used spyware tools against opposition politicians."
    assert "country:PY" in accused_of(extractor, text)
    text = "Researchers used malware samples from Paraguay to train their detector."
    assert "country:PY" not in accused_of(extractor, text)


def test_the_accused_of_traced_or_linked_follows_its_preposition(extractor: Extractor) -> None:
    text = "Analysts traced the intrusion into the Uruguayan ministry to the Chilean navy."
    accused = accused_of(extractor, text)
    assert "country:CL" in accused and "country:UY" not in accused
    text = "Researchers linked the campaign against Peruvian banks to APT28."
    accused = accused_of(extractor, text)
    assert "actor:apt28" in accused and "country:PE" not in accused


def test_cyberthieves_are_attackers(extractor: Extractor) -> None:
    text = "Suspected Bolivian cyberthieves emptied the accounts of a bank."
    assert "country:BO" in accused_of(extractor, text)


def test_an_accusation_of_dealing_with_a_state_does_not_accuse_that_state(
    extractor: Extractor,
) -> None:
    text = "The defacers left a message accusing Oman of hacking into Chile's ministries."
    accused = accused_of(extractor, text)
    assert "country:OM" in accused and "country:CL" not in accused
    # a state charged with something that is no cyber deed is accused of no attack
    text = "The defacers left a message accusing Oman of cooperating with Chile."
    assert not accused_of(extractor, text) & {"country:OM", "country:CL"}
    text = "Beijing opposes cyberattacks and accused Washington of spreading disinformation."
    assert "country:US" not in accused_of(extractor, text)
    # a person charged is charged with what the article tells of
    text = "The DOJ also accused Mr Kowalczyk of forging invoices and contracts."
    assert accused_of(extractor, text) == {"text:Kowalczyk"}


def test_words_that_only_look_like_attackers_or_charges_accuse_nobody(
    extractor: Extractor,
) -> None:
    text = "Bolivian hackers stole the plans of a new Peruvian spy headquarters."
    assert accused_of(extractor, text) == {"country:BO"}
    text = "The campaign targets Peruvian officials charged with enforcing sanctions."
    assert "country:PE" not in accused_of(extractor, text)


def test_hackers_based_in_a_country_are_that_countrys(extractor: Extractor) -> None:
    text = "Hackers based in Bolivia broke into the servers of a Peruvian bank."
    accused = accused_of(extractor, text)
    assert "country:BO" in accused and "country:PE" not in accused


def test_the_passive_agent_of_an_attack_is_accused(extractor: Extractor) -> None:
    # a defacement carries its authors' name: the group claims it by doing it
    text = "The site of the city council was defaced by the Lizard Squad."
    claims = [c for c in extract_claims(extractor, text) if c.kind == "attribution"]
    assert [(c.subject, c.attribution_type) for c in claims] == [
        ("actor:lizard-squad", "self_attribution")
    ]
    # the agent of the second of two coordinated verbs
    text = "The portal of the ministry was breached and defaced by hackers of the Bolivian Army."
    assert "country:BO" in accused_of(extractor, text)


def test_a_state_launching_an_operation_is_accused(extractor: Extractor) -> None:
    text = "The Chilean government launched a cyberattack against the servers of a cartel."
    assert "country:CL" in accused_of(extractor, text)
    text = "Chile launched missile attacks on the island."  # kinetic: not ours to record
    assert "country:CL" not in accused_of(extractor, text)


def test_a_name_two_actors_go_by_is_the_one_of_the_state_stated(extractor: Extractor) -> None:
    # IRIDIUM is an Iranian group in one galaxy and Sandworm in Microsoft's naming
    text = "The Russian state-sponsored group IRIDIUM attacked logistics firms in Poland."
    article = Article(id=content_id("t", text), text=text, language="en", origin="t")
    actors = {m.canonical_id for m in extractor.extract(article).mentions}
    assert "actor:sandworm" in actors and "actor:iridium" not in actors


def test_a_person_doing_the_attack_is_accused(extractor: Extractor) -> None:
    text = "Prosecutors say Jonas Petraitis hacked the servers of two banks and stole card data."
    assert "text:Jonas Petraitis" in accused_of(extractor, text)
    # a common noun the NER takes for a person is nobody
    text = "Hacker defaces the website of the President and leaves messages."
    assert not accused_of(extractor, text)


def accused_fr(extractor: Extractor, text: str) -> dict[str | None, str | None]:
    claims = extract_all(extractor, text, "fr")
    return {c.subject: c.attribution_type for c in claims if c.kind == "attribution"}


def test_french_doers_and_accused(extractor: Extractor) -> None:
    # « par X », which the French model labels a plain oblique, is the passive's agent
    text = "Le site de la mairie a été défiguré par la Lizard Squad."
    assert accused_fr(extractor, text) == {"actor:lizard-squad": "self_attribution"}
    # a nationality after its noun belongs to the doer, who is no victim
    text = "Le gouvernement chilien a piraté les serveurs du cartel."
    claims = extract_all(extractor, text, "fr")
    assert {c.subject for c in claims if c.kind == "attribution"} == {"country:CL"}
    assert not any(c.object == "country:CL" for c in claims if c.kind == "targeting")
    # « attribuer/lier X à Y »: the accused follows the preposition
    text = "Les enquêteurs ont attribué l'intrusion dans le ministère bolivien à la Chine."
    assert set(accused_fr(extractor, text)) == {"country:CN"}


def test_an_agency_cited_as_the_source_is_not_the_doer(extractor: Extractor) -> None:
    text = "Selon l'alerte conjointe de la CISA et de la NSA, ces intrusions visent l'eau."
    assert not accused_fr(extractor, text)


def test_an_article_naming_a_vendor_tracked_group_relays_technical_reports(
    extractor: Extractor,
) -> None:
    text = (
        "APT28 has been active since 2008. "
        "Russian hackers also broke into the servers of a Peruvian ministry."
    )
    claims = [c for c in extract_claims(extractor, text) if c.kind == "attribution"]
    assert {c.attribution_type for c in claims if c.subject == "country:RU"} == {"technical_report"}


def test_nationals_right_after_an_attack_word_are_its_targets(extractor: Extractor) -> None:
    text = "Vandelay is a hacking campaign against Peruvian nationals."
    assert "country:PE" not in accused_of(extractor, text)
    text = "Peruvian nationals hacked the servers of a bank."
    assert "country:PE" in accused_of(extractor, text)


def names_of(extractor: Extractor, text: str, kind: str = "malware") -> set[str]:
    article = Article(id=content_id("t", text), text=text, language="en", origin="t")
    return {m.text for m in extractor.extract(article).mentions if m.kind == kind}


def test_a_long_tail_ransomware_name_that_names_something_else_is_no_malware(
    extractor: Extractor,
) -> None:
    # families only the MISP ransomware galaxy lists, named after a city or a product
    assert names_of(extractor, "Officials in Philadelphia said the attack hit the city.") == set()
    text = "Users of Windows 10 should install the update."
    assert names_of(extractor, text) == set()
    assert names_of(extractor, text, "product") == {"Windows"}
    # with its type noun it is the family; a well-known family needs none
    text = "The Philadelphia ransomware encrypted the files of the clinic."
    assert names_of(extractor, text) == {"Philadelphia"}
    assert names_of(extractor, "LockBit hit a logistics firm in Ohio.") == {"LockBit"}
    # one named like a person is the family only where the article speaks of ransoms
    text = "Anonymous vs. Donald trump. Anonymous took down a website of the campaign."
    assert names_of(extractor, text) == set()
    text = "Donald trump encrypted the files of the clinic and asked for a ransom."
    assert names_of(extractor, text) == {"Donald trump"}
    # in an article about encryption, a noun of a product or an actor names no family
    text = "It runs on the latest version of Windows 10. The rootkit encrypts its traffic."
    assert names_of(extractor, text) == set()
    assert names_of(extractor, text, "product") == {"Windows"}
    # a family MITRE ATT&CK documents stays itself where the NER reads a person in it
    text = "Researchers say the attackers behind Olympic Destroyer are back."
    assert names_of(extractor, text) == {"Olympic Destroyer"}


def test_a_product_noun_confirms_a_product_and_no_malicious_software(
    extractor: Extractor,
) -> None:
    # "systems", "databases": the nouns of a product confirm a name that is also a word
    text = "The flaw lets attackers crash Linux systems at the Hooli data centre."
    assert names_of(extractor, text, "product") == {"Linux"}
    assert "org:Linux" not in targets(extractor, text)
    text = "The gang wiped hundreds of MongoDB databases and left a ransom note."
    assert names_of(extractor, text, "product") == {"MongoDB"}
    # ... and never a family of malware named like a device ("Nexus")
    text = "Older Nexus devices received the security update in November."
    assert names_of(extractor, text) == set()


def test_what_a_proper_noun_beside_an_attack_names_is_no_victim_organisation(
    extractor: Extractor,
) -> None:
    # a technique, a product, a figure: never an organisation hit
    text = "A gang launched DDoS attacks against Hooli Bank in March."
    assert "org:DDoS" not in targets(extractor, text)
    text = "The ransomware encrypted Windows files on the clinic's servers."
    assert not {t for t in targets(extractor, text) if t and t.startswith("org:")}
    text = "The attackers demand a ransom of RM12.5 million from Globex Media."
    assert "org:RM12.5 million" not in targets(extractor, text)


def test_an_attack_told_in_an_adverbial_clause_names_no_victim_outside_it(
    extractor: Extractor,
) -> None:
    # the clause sets the scene: who acts in the main clause was not hit
    text = "Since the attacks began last week, Vandelay Industries has indexed many of the pages."
    assert "org:Vandelay Industries" not in targets(extractor, text)
    text = "While the leaked files hint that the code was reused, Vandelay Industries disagrees."
    assert "org:Vandelay Industries" not in targets(extractor, text)
    # an attack word in the main clause still names what follows it
    text = (
        "Although the firm may have been affected, a list of hotels hit by the breach spans Peru."
    )
    assert "country:PE" in targets(extractor, text)
    # ... and a pronoun in the clause stands for the main clause's subject
    text = "After hackers breached its network, Vandelay Industries shut down its systems."
    assert "org:Vandelay Industries" in targets(extractor, text)
    text = "When your network is hit twice a day, Hooli said, training staff pays off."
    assert "org:Hooli" not in targets(extractor, text)


def test_a_region_is_no_country_and_no_victim_organisation(extractor: Extractor) -> None:
    text = "The group targeted banks in Latin America and South America."
    assert "country:US" not in targets(extractor, text)
    text = "The wiper was found targeting the Middle East and also Europe."
    assert not {t for t in targets(extractor, text) if t and t.startswith("org:")}
    # a country named alone is still one
    assert "country:US" in targets(extractor, "Hackers attacked banks in the United States.")
    # where attacks come from, or where attackers operate, is no victim
    text = "Banks saw 23% of all attacks from Australia and more attacks from Brazil."
    assert not {t for t in targets(extractor, text) if t and t.startswith("country:")}
    text = "The firm blamed a hacking group operating in Ukraine for the breach."
    assert "country:UA" not in targets(extractor, text)
    assert "country:UA" in accused_of(extractor, text)
    # "New" before a capital's name makes another town; the KB's "New Delhi" is whole
    text = "Ransomware hit a clinic in New Bern, a bank in New London and a firm in New Delhi."
    assert {t for t in targets(extractor, text) if t and t.startswith("country:")} == {"country:IN"}


def test_a_surname_the_article_gave_a_person_names_that_person(extractor: Extractor) -> None:
    text = (
        "County administrator Dana Whitlock described the attack. "
        "The breach cost the county $40,000, Whitlock said."
    )
    assert "Whitlock" in names_of(extractor, text, "person")
    assert "Whitlock" not in names_of(extractor, text, "organisation")


def test_who_accuses_is_not_taken_for_the_accused(extractor: Extractor) -> None:
    # the accusing state one verb before "hackers" is not their nationality
    text = "In 2019, Norway accused hackers of the attack on its parliament."
    assert "country:NO" not in accused_of(extractor, text)
    # a noun before "of" is no participle: the possessor attributes
    text = "Analysts doubt Norway's attribution of the hack to Russia."
    assert accused_of(extractor, text) == {"country:RU"}
    text = "The White House attribution of the breach to Iran was questioned."
    assert "country:US" not in accused_of(extractor, text)
    assert accused_of(extractor, "Russia was blamed for the attack.") == {"country:RU"}


def test_words_that_look_like_a_denial_or_a_cue_are_not(extractor: Extractor) -> None:
    text = "Officials accused Russian hackers of a denial of service attack on the bank."
    article = Article(id=content_id("t", text), text=text, language="en", origin="t")
    claims = extractor.extract(article).claims
    modalities = {c.modality for c in claims if c.kind == "attribution"}
    assert modalities == {"asserted"}
    text = "Banks in Germany and Lebanon are not far behind in the number of attacks."
    assert accused_of(extractor, text) == set()
    # "New Jersey" is no Jersey
    text = "Two men indicted in New Jersey were charged with hacking the city of Atlanta."
    assert "country:JE" not in accused_of(extractor, text)


def test_the_possessor_of_an_attack_attacks_and_of_a_breach_suffers(extractor: Extractor) -> None:
    assert "country:RU" not in targets(extractor, "Russia's attack on the grid failed.")
    text = "Denmark's data breach exposed the records of voters last year."
    assert "country:DK" in targets(extractor, text)
    # a possessive ending is no part of the victim's name
    text = "Shelbyville College's network gets hit with attacks every minute."
    assert "org:Shelbyville College" in targets(extractor, text)


def test_a_state_and_its_agency_named_after_it_sponsor_as_the_agency(
    extractor: Extractor,
) -> None:
    text = "Hackers linked to Russia's military intelligence agency, the GRU, hit the port."
    assert ("sponsorship", "agency:ru-gru") in {
        (c.kind, c.object) for c in extract_all(extractor, text)
    }
    # "imposed sanctions" is active: the EU responds, nobody named is sanctioned
    text = "The European Union said it imposed sanctions against those responsible."
    claims = extract_all(extractor, text)
    assert [(c.kind, c.subject) for c in claims if c.kind == "response"] == [
        ("response", "inst:eu")
    ]
    assert not [c for c in claims if c.kind == "attribution"]
    # sanctions only considered are no response taken
    text = "The European Union said it was considering sanctions against those responsible."
    claims = extract_all(extractor, text)
    assert not [c for c in claims if c.kind in ("response", "attribution")]


def extract_all(extractor: Extractor, text: str, language: str = "en") -> tuple[Claim, ...]:
    article = Article(id=content_id("t", text), text=text, language=language, origin="t")
    return extractor.extract(article).claims


def self_claims(extractor: Extractor, text: str, language: str = "en") -> set[str | None]:
    """The actors the text says claimed the act themselves."""
    return {
        c.subject
        for c in extract_all(extractor, text, language)
        if c.kind == "attribution"
        and c.attribution_type == "self_attribution"
        and c.accuser == c.subject
    }


def test_tie_in_the_present_and_working_in_a_states_interest(
    extractor: Extractor,
) -> None:
    text = "Researchers tie a new campaign against Asian telecoms to a China-based group."
    assert accused_of(extractor, text) == {"country:CN"}
    assert "country:CN" not in targets(extractor, text)
    text = "The group works in the interest of the Iranian government."
    assert ("sponsorship", "country:IR") in {
        (c.kind, c.object) for c in extract_all(extractor, text)
    }


def test_a_denier_who_accuses_in_turn_asserts_that_accusation(extractor: Extractor) -> None:
    text = (
        "A spokesperson for China's foreign ministry rejected the report, accusing "
        "the United States of hacking the ministry."
    )
    modalities = {
        (c.subject, c.modality) for c in extract_all(extractor, text) if c.kind == "attribution"
    }
    assert ("country:US", "asserted") in modalities
    assert ("country:US", "denied") not in modalities
    # the accuser named after the denial still accuses firmly; the denial is the denier's
    text = "Russia denied accusations by the United Kingdom that it hacked the grid."
    claims = extract_all(extractor, text)
    assert {(c.subject, c.accuser, c.modality) for c in claims if c.kind == "attribution"} == {
        ("country:RU", "country:GB", "asserted")
    }
    assert {(c.subject, c.text) for c in claims if c.kind == "response"} == {
        ("country:RU", "denial")
    }
    # a denial with no accuser is one of the attribution itself
    text = "Russia denied that it hacked the grid."
    modalities = {
        (c.subject, c.modality) for c in extract_all(extractor, text) if c.kind == "attribution"
    }
    assert modalities <= {("country:RU", "denied")}


def test_a_source_opening_the_sentence_accuses_the_doer_it_names(extractor: Extractor) -> None:
    text = "According to the NCSC, APT29 breached the ministry's network."
    assert {(c.subject, c.accuser) for c in extract_all(extractor, text)} >= {
        ("actor:apt29", "inst:gb-ncsc")
    }
    text = "Selon l'ANSSI, le groupe APT28 aurait piraté plusieurs ministères."
    claims = [c for c in extract_all(extractor, text, "fr") if c.kind == "attribution"]
    assert [(c.subject, c.accuser, c.hedged_by_outlet) for c in claims] == [
        ("actor:apt28", "inst:fr-anssi", True)
    ]
    # an apposition between the actor and its verb
    text = (
        "Selon l'ANSSI, le groupe APT28, également connu sous le nom de Fancy Bear, "
        "a compromis les messageries de deux ministères."
    )
    claims = [c for c in extract_all(extractor, text, "fr") if c.kind == "attribution"]
    assert {(c.subject, c.accuser) for c in claims} == {("actor:apt28", "inst:fr-anssi")}
    # a source phrase that names no body accuses nobody, even with a state further on
    text = "The US - according to former officials - targeted the Russian grid."
    assert {c.accuser for c in extract_all(extractor, text) if c.kind == "attribution"} == {None}


def test_attackers_said_to_be_based_in_a_state_are_that_states(extractor: Extractor) -> None:
    assert accused_of(extractor, "The hackers are believed to be based in Iran.") == {"country:IR"}
    text = "Les pirates, probablement basés en Chine, ont volé des données."
    claims = extract_all(extractor, text, "fr")
    assert {c.subject for c in claims if c.kind == "attribution"} == {"country:CN"}
    # a victim based somewhere is no attacker
    text = "Hackers targeted a logistics firm based in Germany."
    assert accused_of(extractor, text) == set()
    assert "country:DE" in targets(extractor, text)


def test_a_gang_saying_it_stole_the_data_claims_the_attack(extractor: Extractor) -> None:
    text = "The Medusa group published data it says it stole from a clinic in Ohio."
    assert "actor:medusa" in self_claims(extractor, text)


def test_words_after_a_closing_straight_quote_are_no_victims(extractor: Extractor) -> None:
    text = (
        'The minister said "we will not tolerate criminals who target our hospitals" '
        "and that police were investigating."
    )
    assert "sector:Police - Law enforcement" not in targets(extractor, text)


def test_a_list_of_exposed_data_names_no_victim(extractor: Extractor) -> None:
    text = (
        "The details of 90,000 customers, including Medicare numbers and claim "
        "histories, were exposed."
    )
    assert not {t for t in targets(extractor, text) if t and t.startswith(("org:", "text:"))}


def test_what_sanctions_or_accusations_are_against_is_no_victim(extractor: Extractor) -> None:
    text = "The Treasury announced sanctions against two front companies based in China."
    assert "country:CN" not in targets(extractor, text)
    text = "Le Trésor a annoncé des sanctions contre deux sociétés écrans basées en Chine."
    claims = extract_all(extractor, text, "fr")
    assert not [c for c in claims if c.kind == "targeting"]
    # an attack that follows an attribution cue is still one
    text = "Killnet is suspected of being responsible for disrupting hospital websites in Norway."
    assert "country:NO" in targets(extractor, text)


def test_an_actor_saying_it_did_the_attack_claims_it(extractor: Extractor) -> None:
    text = "The LockBit gang said on Monday that it had broken into the port's servers."
    assert "actor:lockbit" in self_claims(extractor, text)
    text = "Le groupe LockBit a affirmé lundi qu'il avait piraté le site du ministère."
    claims = [c for c in extract_all(extractor, text, "fr") if c.kind == "attribution"]
    assert [(c.subject, c.attribution_type) for c in claims] == [
        ("actor:lockbit", "self_attribution")
    ]
    # a vendor saying it found an actor claims nothing of its own
    text = "Microsoft said on Tuesday that it had found HAFNIUM breaking into servers."
    assert {
        c.attribution_type for c in extract_all(extractor, text) if c.kind == "attribution"
    } == {"technical_report"}


def test_the_accused_of_a_passive_cue_stand_right_after_it(extractor: Extractor) -> None:
    accused = {s for s, _ in claims_of(extractor, "The hackers are linked to Iran.", "attribution")}
    assert "country:IR" in accused
    text = "Two domains were once linked to an IP address named in a US government report."
    accused = {subject for subject, _ in claims_of(extractor, text, "attribution")}
    assert "country:US" not in accused
    # a copula ends the list of the accused: what follows is what they did
    text = "The biggest attack carried out by the Lazarus group was the Bank of Bangladesh heist."
    accused = {subject for subject, _ in claims_of(extractor, text, "attribution")}
    assert "actor:lazarus-group" in accused
    assert "country:BD" not in accused


def test_a_verb_tracing_to_someone_accuses_nobody_without_its_preposition(
    extractor: Extractor,
) -> None:
    text = "Police traced the intrusion to Iran."
    assert "country:IR" in {s for s, _ in claims_of(extractor, text, "attribution")}
    text = "Police traced $2 million of the money and froze accounts in Iran and Quebec."
    assert "country:IR" not in {s for s, _ in claims_of(extractor, text, "attribution")}


def test_a_defacement_by_hackers_of_a_named_group_is_signed_by_the_group(
    extractor: Extractor,
) -> None:
    text = "The website of the ministry was defaced by hackers of the Vandelay CyberArmy."
    found = {
        (c.subject, c.attribution_type)
        for c in extract_all(extractor, text)
        if c.kind == "attribution"
    }
    assert ("actor:vandelay-cyber-army", "self_attribution") in found


def test_a_person_an_accusing_verb_names_is_accused(extractor: Extractor) -> None:
    text = "The DOJ also accused Mr Kowalczyk of forging invoices and contracts."
    article = Article(id=content_id("t", text), text=text, language="en", origin="t")
    accused = {c.subject for c in extractor.extract(article).claims if c.kind == "attribution"}
    assert accused == {"text:Kowalczyk"}


def test_a_victim_named_in_full_and_by_its_initials_is_one(extractor: Extractor) -> None:
    text = (
        "A crime ring had infiltrated the Shelbyville Revenue Authority (SRA) in March. "
        "The SRA said its systems were breached."
    )
    orgs = {o for o in targets(extractor, text) if o and o.startswith("org:")}
    assert "org:SRA" not in orgs
    assert "org:the Shelbyville Revenue Authority" in orgs or (
        "org:Shelbyville Revenue Authority" in orgs
    )


def test_an_organisation_name_never_ends_on_a_dangling_word(extractor: Extractor) -> None:
    text = "The website of the Supreme Court of Bangladesh was defaced by a crew."
    orgs = {o for o in targets(extractor, text) if o and o.startswith("org:")}
    assert orgs and not [o for o in orgs if o.endswith((" of", " and"))], orgs


@pytest.mark.parametrize(
    ("text", "language", "victim", "not_victim"),
    [
        # where the attack comes from (rules attack_origin)
        (
            "The attacks on a hospital in Chile came from a server in Portugal.",
            "en",
            "country:CL",
            "country:PT",
        ),
        (
            "Les attaques contre un hôpital au Chili, lancées depuis le Portugal, ont cessé.",
            "fr",
            "country:CL",
            "country:PT",
        ),
        # what it goes through (rules attack_means)
        (
            "Hackers targeted Initech employees via Globex Corp accounts.",
            "en",
            "org:Initech",
            "org:Globex Corp",
        ),
        (
            "Des pirates ont ciblé des employés d'Initech via la société Globex Corp.",
            "fr",
            "org:Initech",
            "org:Globex Corp",
        ),
    ],
)
def test_where_an_attack_comes_from_or_goes_through_is_no_victim(
    extractor: Extractor, text: str, language: str, victim: str, not_victim: str
) -> None:
    found = targets(extractor, text, language)
    assert victim in found
    assert not_victim not in found


def test_who_sues_or_spots_an_attack_is_no_victim(extractor: Extractor) -> None:
    # "against" after a lawsuit is no attack (rules false_friends)
    assert not targets(extractor, "Globex filed a lawsuit against Initech Labs on Monday.")
    # who spotted the attacks is their observer (rules observers)
    text = "Les attaques contre la banque Acme ont été repérées par la société Initech Labs."
    found = targets(extractor, text, "fr")
    assert "org:Acme" in found
    assert "org:Initech Labs" not in found


def test_software_named_after_by_is_no_actor_and_no_person(extractor: Extractor) -> None:
    text = "Thousands of files at the plant were compromised by Sinowal, a banking trojan."
    extraction = extractor.extract(Article(id="t", text=text, language="en", origin="t"))
    assert {m.canonical_id for m in extraction.mentions if m.kind == "threat_actor"} == set()
    assert "malware:sinowal" in {m.canonical_id for m in extraction.mentions}
    text = "If your laptop was infected by Kolya Botnet last week, reset it."
    assert not claims_of(extractor, text, "attribution")


def test_the_brand_a_lure_poses_as_is_no_victim(extractor: Extractor) -> None:
    # nor is its sector
    text = "The crooks tried to steal passwords with emails claiming to be from Hooli Bank."
    assert not {"org:Hooli Bank", "sector:Bank"} & targets(extractor, text)
    text = "Des pirates ont volé des données avec des courriels se faisant passer pour Hooli Bank."
    assert not {"org:Hooli Bank", "sector:Bank"} & targets(extractor, text, "fr")


def _attributions(
    extractor: Extractor, text: str, language: str = "en"
) -> set[tuple[str | None, str | None]]:
    article = Article(id=content_id("t", text), text=text, language=language, origin="t")
    return {
        (c.accuser, c.subject) for c in extractor.extract(article).claims if c.kind == "attribution"
    }


def test_who_holds_a_state_responsible_accuses_it(extractor: Extractor) -> None:
    # the holder is the accuser, not a second accused (rules holding_verbs)
    text = "Germany held China responsible for the breach."
    assert _attributions(extractor, text) == {("country:DE", "country:CN")}
    text = "L'Allemagne juge la Chine responsable du piratage."
    assert _attributions(extractor, text, "fr") == {("country:DE", "country:CN")}
    # a passive holding verb leaves its subject accused
    text = "China is considered responsible for the breach."
    assert {s for _, s in _attributions(extractor, text)} == {"country:CN"}


def test_the_nationality_of_victims_the_parse_names_is_no_attackers(
    extractor: Extractor,
) -> None:
    text = "The hackers stole the personal data of Russian army officers."
    assert not _attributions(extractor, text)
    assert "country:RU" in targets(extractor, text)
    text = "Russian army officers stole the personal data of the hackers."
    assert "country:RU" in {s for _, s in _attributions(extractor, text)}


def test_a_person_accused_in_the_passive_is_accused(extractor: Extractor) -> None:
    text = "Darius Valenkovas, 48, is accused of posing as a hardware maker."
    assert ("text:Darius Valenkovas", None) in claims_of(extractor, text, "attribution")
    # not who reports it
    text = "Darius Valenkovas said the broker is accused of posing as a hardware maker."
    assert not any(
        s == "text:Darius Valenkovas" for s, _ in claims_of(extractor, text, "attribution")
    )
    found = _attributions(
        extractor, "Darius Valenkovas est accusé d'avoir piraté l'entreprise.", "fr"
    )
    assert (None, "text:Darius Valenkovas") in found


def test_a_state_saying_who_is_behind_an_attack_accuses_it(extractor: Extractor) -> None:
    # a name after "said" is its speaker only after a comma or a closing quote
    text = "Estonia said Russia was behind the attack."
    assert _attributions(extractor, text) == {("country:EE", "country:RU")}
    text = "The attack was the work of Russia, said the NCSC."
    assert _attributions(extractor, text) == {("inst:gb-ncsc", "country:RU")}
    text = "L'Estonie affirme que la Russie est derrière l'attaque."
    assert _attributions(extractor, text, "fr") == {("country:EE", "country:RU")}


def test_targets_named_before_a_responsibility_cue_are_not_accused(extractor: Extractor) -> None:
    text = (
        "Initech says it found a long spying campaign against Indian and Pakistani "
        "entities involved in regional security issues."
    )
    assert not _attributions(extractor, text)
    assert {"country:IN", "country:PK"} <= targets(extractor, text)


def test_french_access_to_servers_names_their_owner(extractor: Extractor) -> None:
    text = "Les pirates ont eu accès aux serveurs de la société Globex."
    assert "org:Globex" in targets(extractor, text, "fr")


def test_an_aside_in_parentheses_does_not_end_a_list_of_victims(extractor: Extractor) -> None:
    text = (
        "With affected institutions including Initech (which said it stopped the malware "
        "from activating), the Globex Corporation in Ruritania and PetroVandelay, few paid up."
    )
    assert "org:PetroVandelay" in targets(extractor, text)


def test_a_victims_name_goes_without_the_words_saying_what_it_is(extractor: Extractor) -> None:
    text = "L'opérateur télécoms Optelis a annoncé avoir été victime d'une cyberattaque."
    assert "org:Optelis" in targets(extractor, text, "fr")
    # a name the common noun opens stays whole
    text = "Une cyberattaque a visé le centre hospitalier de Vernay."
    assert "org:centre hospitalier de Vernay" in targets(extractor, text, "fr")


def test_a_sector_word_qualifying_data_or_a_purpose_names_no_victim(
    extractor: Extractor,
) -> None:
    text = "Hackers stole the personal and financial information of 9,000 customers of Initech."
    assert "sector:Finance" not in targets(extractor, text)
    text = "The crew stole cryptocurrency from people around the world for financial gain."
    assert "sector:Finance" not in targets(extractor, text)
    text = "Les pirates ont détourné des cryptomonnaies à des fins de gain financier."
    assert "sector:Finance" not in targets(extractor, text, "fr")
    # what is sought is intelligence, not the intelligence services
    text = "The targeting of call detail records points to intelligence collection on people."
    assert "sector:Intelligence" not in targets(extractor, text)
    # the sector's organisations, named with the same word, are victims
    text = "The attackers targeted healthcare and financial companies in Ruritania."
    assert {"sector:Finance", "sector:Health"} <= targets(extractor, text)
    text = "Les pirates ont ciblé le secteur financier."
    assert "sector:Finance" in targets(extractor, text, "fr")


def test_whom_money_is_extorted_from_is_the_victim(extractor: Extractor) -> None:
    text = "The crew tried to extort money from Initech Corp in May."
    assert "org:Initech Corp" in targets(extractor, text)
    text = "Le groupe a soutiré 40 000 euros à l'hôpital de Dax."
    assert "org:hôpital de Dax" in targets(extractor, text, "fr")


def test_where_an_attack_sends_its_visitors_is_no_victim(extractor: Extractor) -> None:
    text = (
        "The hackers defaced the site of Initech Corp and visitors were redirected to Globex Corp."
    )
    found = targets(extractor, text)
    assert "org:Initech Corp" in found
    assert not any("Globex" in (v or "") or "Media" in (v or "") for v in found)


def test_who_an_attack_was_reported_to_is_no_victim(extractor: Extractor) -> None:
    text = "The retailer reported the breach to the Data Protection Commission on Monday."
    assert not any("Commission" in (v or "") for v in targets(extractor, text))
    text = "Initech Corp said hackers had accessed its network."
    assert "org:Initech Corp" in targets(extractor, text)


def test_a_sentence_adverb_is_no_part_of_the_name_after_it(extractor: Extractor) -> None:
    text = "Thankfully Stuart routinely backs up all company systems, so he survived the attack."
    names = names_of(extractor, text, "organisation") | names_of(extractor, text, "person")
    assert "Stuart" in names
    assert not [n for n in names if n.startswith("Thankfully")], names


def test_a_company_telling_of_its_own_breach_relays_no_findings(extractor: Extractor) -> None:
    text = (
        "Turla allegedly conned two telecom firms. "
        "ESET and Globex have admitted they were conned out of $5 million."
    )
    claims = extracted(extractor, text).claims
    assert "inst:eset" in {c.object for c in claims if c.kind == "targeting"}
    assert not {c.accuser for c in claims if c.kind == "attribution"} - {None}


def test_the_outlet_hedges_a_victim_a_flaw_and_a_figure_it_reports(
    extractor: Extractor,
) -> None:
    text = "Hackers reportedly stole data from the Ruritanian Ministry of Finance."
    hit = [c for c in extracted(extractor, text).claims if c.kind == "targeting"]
    assert hit and all(c.hedged_by_outlet and "reportedly" in c.evidence.cues for c in hit)
    text = "The crew allegedly exploited CVE-2023-23397 to reach 30,000 servers."
    told = [c for c in extracted(extractor, text).claims if c.kind in ("use", "impact")]
    assert {c.kind for c in told} == {"use", "impact"}
    assert all(c.hedged_by_outlet for c in told)
    text = "Le ministère estonien des Finances aurait été piraté par APT28."
    hit = [c for c in extracted(extractor, text, "fr").claims if c.kind == "targeting"]
    assert hit and all(c.hedged_by_outlet for c in hit)
    text = "Hackers stole data from the Ruritanian Ministry of Finance."
    hit = [c for c in extracted(extractor, text).claims if c.kind == "targeting"]
    assert hit and not any(c.hedged_by_outlet for c in hit)


def test_a_denial_is_not_relayed_as_the_reporting_companys_finding(
    extractor: Extractor,
) -> None:
    text = (
        "Selon un rapport publié par SentinelOne, le maliciel AcidRain a effacé les modems "
        "de Viasat. La Russie a toujours nié mener des cyberattaques contre d'autres États."
    )
    denials = [
        c
        for c in extracted(extractor, text, "fr").claims
        if c.kind == "attribution" and c.modality == "denied"
    ]
    assert denials and all(c.accuser is None for c in denials)


def test_a_lower_case_determiner_is_no_part_of_a_name(extractor: Extractor) -> None:
    text = "Hackers broke into the systems of the Electoral Commission of Ruritania."
    assert "org:Electoral Commission of Ruritania" in targets(extractor, text)


def test_a_one_word_actor_name_spelled_apart_inside_a_longer_name_is_no_actor(
    extractor: Extractor,
) -> None:
    def actors(text: str) -> list[str]:
        return [m.text for m in extracted(extractor, text).mentions if m.kind == "threat_actor"]

    assert not actors("The fake installer poses as Adobe Premiere Pro CC and Microsoft Office.")
    assert actors("The group APT 40 hacked the Ruritanian navy.") == ["APT 40"]


def test_sanctions_on_a_whole_state_accuse_it_only_of_a_deed_in_sight(
    extractor: Extractor,
) -> None:
    text = "The note mocks Ruritania and its attempts to sanction Russia."
    assert not claims_of(extractor, text, "attribution")
    text = "The United States sanctioned Russia over the hack of the Ruritanian parliament."
    assert ("country:RU", None) in claims_of(extractor, text, "attribution")


def test_politicians_are_of_the_government_sector(extractor: Extractor) -> None:
    text = "Les pirates ont visé des responsables politiques et des journalistes."
    assert "sector:Government, Administration" in targets(extractor, text, "fr")
    text = "The phishing campaign targeted lawmakers across Ruritania."
    assert "sector:Government, Administration" in targets(extractor, text)


def test_a_family_named_by_an_ordinary_word_needs_a_malicious_noun(
    extractor: Extractor,
) -> None:
    def software(text: str) -> set[str | None]:
        mentions = extracted(extractor, text).mentions
        return {m.canonical_id for m in mentions if m.kind in ("malware", "tool")}

    assert not software("The loader then fetches the Final Payload from the ransomware server.")
    assert not software("The Delta variant spreads while ransomware campaigns grow.")
    assert "malware:delta" in software("The Delta ransomware encrypted the files.")


def test_a_name_inside_an_encoded_blob_is_none(extractor: Extractor) -> None:
    blob = "qT3+Zk8Lm2Vb7Xw1Rt5Ny9+PlugX/Hd4Ks6Jf0Gc2Bm8Qa3We7Ru1Yi5Op9As4Df"
    text = f"The loader decodes {blob} into its next stage, the PlugX backdoor."
    plugx = [m for m in extracted(extractor, text).mentions if m.text == "PlugX"]
    assert len(plugx) == 1 and plugx[0].start > text.index(blob) + len(blob)


def test_an_incident_title_names_a_discovered_actor_in_words(extractor: Extractor) -> None:
    text = "The hacker group Zarkon Team leaked the files of the Ruritanian ministry."
    titles = [m.title for m in extracted(extractor, text).incident_mentions]
    assert titles and titles[0].endswith("attributed to Zarkon Team")


def test_software_an_attack_is_blamed_on_or_called_a_crew_stands_for_its_crew(
    extractor: Extractor,
) -> None:
    text = "The attack on the Ruritanian port was blamed on REvil."
    assert "actor:revil" in accused_of(extractor, text)
    text = "The FBI attributed the pipeline attack to DarkSide, a criminal group."
    assert "actor:darkside" in accused_of(extractor, text)
    claims = extracted(extractor, "L'attaque a été revendiquée par BlackCat.", "fr").claims
    assert "actor:blackcat" in {c.subject for c in claims if c.kind == "attribution"}


def test_whoever_says_a_state_sponsors_the_doers_accuses_that_state(
    extractor: Extractor,
) -> None:
    text = "Microsoft said a Chinese state-sponsored group hacked the Ruritanian agencies."
    claims = extracted(extractor, text).claims
    assert any(
        c.kind == "attribution" and c.subject == "country:CN" and c.accuser == "inst:microsoft"
        for c in claims
    )


def test_the_speaker_accuses_the_sponsored_actor_too(extractor: Extractor) -> None:
    text = (
        "Researchers at Mandiant assessed that APT41 conducted the intrusions on behalf of "
        "the Chinese government."
    )
    assert ("actor:apt41", None) in claims_of(extractor, text, "attribution")
    assert accusers(extractor, text) == {"inst:mandiant"}


def test_a_state_qualifying_the_company_that_speaks_is_no_source(extractor: Extractor) -> None:
    text = (
        "Sharp Panda, a Chinese state-sponsored group, breached a ministry, according to "
        "a report by Israeli IT security company Check Point Research."
    )
    assert accusers(extractor, text) == {"inst:check-point"}


def test_every_source_a_list_names_accuses_and_the_list_ends_with_its_conjunction(
    extractor: Extractor,
) -> None:
    text = "According to France and the UK, Russia was behind the attack on the port."
    assert {s for s, _ in claims_of(extractor, text, "attribution")} == {"country:RU"}
    assert accusers(extractor, text) == {"country:FR", "country:GB"}


def test_a_count_of_the_outlets_sources_is_no_figure(extractor: Extractor) -> None:
    def figures(text: str, language: str = "en") -> list[float | None]:
        return [c.value for c in extracted(extractor, text, language).claims if c.kind == "impact"]

    assert not figures("The breach was confirmed by three people familiar with the matter.")
    assert not figures("Trois personnes proches du dossier ont confirmé l'attaque.", "fr")
    assert figures("The hackers stole the records of three people at the firm.") == [3.0]


def test_rejecting_the_accusations_or_any_involvement_is_a_denial(extractor: Extractor) -> None:
    def denials(text: str, language: str) -> set[str | None]:
        claims = extracted(extractor, text, language).claims
        return {c.subject for c in claims if c.kind == "response" and c.text == "denial"}

    assert denials("Pékin a rejeté ces accusations.", "fr") == {"country:CN"}
    assert denials("La Russie a rejeté toute implication.", "fr") == {"country:RU"}
    assert denials("Beijing rejected any involvement in the hack.", "en") == {"country:CN"}


def test_a_hedge_inside_an_apposition_hedges_only_what_it_says(extractor: Extractor) -> None:
    text = (
        "The FBI attributed the pipeline attack to DarkSide, a criminal group believed to "
        "operate from Russia."
    )
    firmness = {
        c.subject: c.modality for c in extracted(extractor, text).claims if c.kind == "attribution"
    }
    assert firmness == {"actor:darkside": "asserted", "country:RU": "alleged"}


def test_the_subject_of_a_passive_reporting_verb_is_accused(extractor: Extractor) -> None:
    text = "Russia is believed to be behind the attack on the Ruritanian parliament."
    assert accused_of(extractor, text) == {"country:RU"}


def test_two_cue_words_telling_one_victim_make_one_claim(extractor: Extractor) -> None:
    text = "La société Vandelay a été victime d'une attaque par rançongiciel."
    hit = [c for c in extracted(extractor, text, "fr").claims if c.kind == "targeting"]
    assert len(hit) == len({c.object for c in hit})
    assert any(len(c.evidence.cues) > 1 for c in hit)


def test_malicious_software_named_by_what_it_is_is_a_new_family(extractor: Extractor) -> None:
    text = "The attackers deployed a wiper called GreyFlood against the pumping stations."
    found = {(m.text, m.canonical_id) for m in extracted(extractor, text).mentions}
    assert ("GreyFlood", "malware:greyflood") in found
    uses = {c.object for c in extracted(extractor, text).claims if c.kind == "use"}
    assert "malware:greyflood" in uses
    text = "Les pirates ont utilisé un rançongiciel baptisé NoxLock contre la mairie."
    found = {m.canonical_id for m in extracted(extractor, text, "fr").mentions}
    assert "malware:noxlock" in found
    # a dictionary word alone is no name; a family the KB knows keeps its id
    text = "The group used malware known as Final against Globex."
    assert not any(m.kind == "malware" for m in extracted(extractor, text).mentions)
    text = "The spies used a backdoor called ShadowPad."
    found = {m.canonical_id for m in extracted(extractor, text).mentions}
    assert "malware:shadowpad" in found


def test_a_unit_known_to_researchers_by_a_name_is_an_actor(extractor: Extractor) -> None:
    text = 'The officers worked for an IRGC unit known to private researchers as "Silt Heron".'
    found = {m.canonical_id for m in extracted(extractor, text).mentions}
    assert "actor:silt-heron" in found


def test_a_speaker_saying_someone_is_accused_accuses(extractor: Extractor) -> None:
    assert accusers(extractor, "The FBI said APT33 is accused of deploying a wiper.") == {
        "inst:us-fbi"
    }


def test_an_institution_named_again_by_a_short_name_is_the_same(extractor: Extractor) -> None:
    text = (
        "The U.S. Treasury Department sanctioned six officers. "
        "The officers, who Treasury said worked for the IRGC, deployed a wiper."
    )
    found = {(m.text, m.canonical_id) for m in extracted(extractor, text).mentions}
    assert ("Treasury", "inst:us-treasury") in found


def test_a_security_firm_reporting_intrusions_is_no_victim(extractor: Extractor) -> None:
    text = (
        "Security firm Nordlight, which first reported the intrusions last year, said the "
        "group exploited a flaw in Globex firewalls."
    )
    assert not any("Nordlight" in (t or "") for t in targets(extractor, text))


def test_a_gang_claiming_its_attack_is_not_also_blamed_by_the_outlet(
    extractor: Extractor,
) -> None:
    text = "Le groupe de cybercriminels LockNest a revendiqué l'attaque mardi."
    claims = [c for c in extracted(extractor, text, "fr").claims if c.kind == "attribution"]
    assert [(c.subject, c.accuser, c.attribution_type) for c in claims] == [
        ("actor:locknest", "actor:locknest", "self_attribution")
    ]


def test_a_state_or_province_names_the_victims_country(extractor: Extractor) -> None:
    text = "Hackers breached the control systems of 14 water utilities in Texas and Ohio."
    assert "country:US" in targets(extractor, text)
    text = "La mairie de Valmont (Isère) est victime d'une attaque par rançongiciel."
    found = targets(extractor, text, "fr")
    assert "country:FR" in found and "org:Isère" not in found
    # "New York" whole, not the English county of York
    text = "Last spring, the Erie Clinic in New York was attacked by ransomware."
    assert "country:GB" not in targets(extractor, text)


def test_a_reward_offered_is_no_cost_of_the_incident(extractor: Extractor) -> None:
    text = "The State Department offered a reward of up to $10 million for the officers."
    assert not [c for c in extracted(extractor, text).claims if c.kind == "impact"]
    text = "The hackers breached 14 water utilities and caused $12 million in damage."
    impacts = {(c.value, c.unit) for c in extracted(extractor, text).claims if c.kind == "impact"}
    assert impacts == {(14.0, "organisations"), (12_000_000.0, "USD")}


def test_a_source_closing_the_sentence_after_a_comma_accuses(extractor: Extractor) -> None:
    text = "Hackers linked to North Korea stole $41 million from Zephyr, FBI says"
    assert accusers(extractor, text) == {"inst:us-fbi"}
    # anonymous officials are no state; the victim's nationality does not speak
    text = "Russian hackers breached the Estonian parliament, officials say."
    assert accusers(extractor, text) == {None}
    assert "country:EE" in targets(extractor, text)


def test_the_outlets_own_attribution_carries_the_words_that_tell_it(
    extractor: Extractor,
) -> None:
    text = "Russian hackers breached the Estonian parliament, officials say."
    (claim,) = [c for c in extracted(extractor, text).claims if c.kind == "attribution"]
    assert claim.evidence.cues == ("hackers", "breached")


def test_names_listed_as_doers_are_each_accused(extractor: Extractor) -> None:
    text = (
        "The Justice Department charged three Russian nationals. Prosecutors say Dmitri Volkov, "
        "Alexei Sorin and Pavel Ignatov extorted $18 million from hospitals."
    )
    claims = [c for c in extracted(extractor, text).claims if c.kind == "attribution"]
    # "Prosecutors" say what the department said the sentence before
    assert {c.accuser for c in claims if c.subject == "text:Dmitri Volkov"} >= {"inst:us-doj"}
    text = "Volkov was also sanctioned by the Treasury Department and the United Kingdom."
    assert accusers(extractor, text) == {"inst:us-treasury", "country:GB"}


def test_a_product_where_a_group_speaks_is_no_means_of_attack(extractor: Extractor) -> None:
    text = "Sur sa chaîne Telegram, le groupe NoName057(16) revendique l'attaque contre Lille."
    ex = extracted(extractor, text, "fr")
    assert not [c for c in ex.claims if c.kind == "use"]
    assert all("product:telegram" not in m.keys for m in ex.incident_mentions)


def test_an_agency_attributing_in_the_present_tense_accuses(extractor: Extractor) -> None:
    text = "L'Anssi impute au groupe APT28 cette campagne contre des ministères."
    claims = [c for c in extracted(extractor, text, "fr").claims if c.kind == "attribution"]
    assert [(c.subject, c.accuser) for c in claims] == [("actor:apt28", "inst:fr-anssi")]
    # a reporting word in an opening phrase is not the one whose subject speaks
    text = (
        "Dans un rapport publié mercredi, l'Anssi indique que le groupe APT28, qu'elle "
        "relie au GRU, a ciblé une dizaine d'entités françaises."
    )
    ex = extracted(extractor, text, "fr")
    assert {c.accuser for c in ex.claims if c.kind == "attribution"} == {"inst:fr-anssi"}
    assert {(c.value, c.unit) for c in ex.claims if c.kind == "impact"} == {(10.0, "organisations")}


def test_condemning_these_acts_blames_whom_the_incident_is_blamed_on(
    extractor: Extractor,
) -> None:
    text = (
        "L'Anssi attribue au groupe APT28 une campagne contre des ministères. "
        "La France a condamné ces agissements."
    )
    claims = [c for c in extracted(extractor, text, "fr").claims if c.kind == "attribution"]
    assert ("actor:apt28", "country:FR") in {(c.subject, c.accuser) for c in claims}


def test_a_denial_of_anothers_accusation_leaves_it_firm(extractor: Extractor) -> None:
    text = (
        "Beijing dismissed as groundless an accusation by the Netherlands that Chinese "
        "hackers had broken into a Dutch military network."
    )
    claims = extracted(extractor, text).claims
    assert {(c.subject, c.accuser, c.modality) for c in claims if c.kind == "attribution"} == {
        ("country:CN", "country:NL", "asserted")
    }
    assert ("country:CN", "denial") in {(c.subject, c.text) for c in claims}
    # who denies is no victim of what it denies
    assert "country:RU" not in targets(extractor, "Russia denied that it hacked the grid.")


def test_an_agency_doing_the_attack_is_blamed_by_the_source(extractor: Extractor) -> None:
    text = (
        "Selon Londres, l'unité 74455 du GRU, plus connue sous le nom de Sandworm, aurait "
        "déployé un logiciel destructeur contre un fournisseur d'électricité polonais, privant "
        "de courant près de 200.000 foyers."
    )
    ex = extracted(extractor, text, "fr")
    claims = {(c.subject, c.accuser, c.modality) for c in ex.claims if c.kind == "attribution"}
    # the fronted source is no part of the doer's phrase, nor accused
    assert ("agency:ru-gru", "country:GB", "asserted") in claims
    assert not any(subject == "country:GB" for subject, _, _ in claims)
    assert {(c.value, c.unit) for c in ex.claims if c.kind == "impact"} == {(200_000.0, "people")}
    assert any("wiper" in m.incident_types for m in ex.incident_mentions)


def test_a_group_claiming_responsibility_stays_with_the_incident(extractor: Extractor) -> None:
    text = (
        "Hollow Pine Bank said on Monday that hackers had stolen the data of its customers. "
        'A group calling itself "Black Lantern" later claimed responsibility on a forum.'
    )
    (mention,) = extracted(extractor, text).incident_mentions
    assert "actor:black-lantern" in mention.keys


def test_a_place_glued_to_based_names_the_victims_country(extractor: Extractor) -> None:
    assert "country:US" in targets(extractor, "Hackers breached an Oregon-based lender.")


def test_a_names_closing_full_stop_is_the_sentences(extractor: Extractor) -> None:
    text = "Washington imposed sanctions on the ministry and its head, Esmaeil Khatib.\n\nMore."
    subjects = {c.subject for c in extracted(extractor, text).claims if c.kind == "attribution"}
    assert not any(s and s.endswith(".") for s in subjects)


def test_a_victim_the_parse_misreads_after_an_apposition_is_still_the_subject(
    extractor: Extractor,
) -> None:
    text = (
        "Le centre hospitalier de Vernay, dans la Drôme, a été victime dans la nuit de "
        "vendredi d'une attaque par rançongiciel."
    )
    found = targets(extractor, text, "fr")
    # the place in « dans la Drôme » names the victim's country (a French département)
    assert {"org:centre hospitalier de Vernay", "country:FR", "sector:Health"} <= found
    # a time phrase opening the sentence is no subject
    assert not targets(extractor, "Lundi, l'entreprise a été victime d'une attaque.", "fr")


def test_whom_sanctions_or_charges_aim_at_is_no_victim(extractor: Extractor) -> None:
    text = (
        "Le Conseil a adopté des sanctions contre trois officiers du GRU et contre "
        "l'unité 29155, tenus pour responsables de cyberattaques visant le Bundestag."
    )
    found = targets(extractor, text, "fr")
    assert "org:Bundestag" in found
    assert not any(t and "29155" in t for t in found)
    text = "Prosecutors filed charges against two men over attacks against hospitals in Ohio."
    assert "sector:Health" in targets(extractor, text)


def test_a_state_named_as_where_the_denier_sits_does_not_deny(extractor: Extractor) -> None:
    for text, language in (
        ("Iran's embassy in Oslo called the report groundless.", "en"),
        ("L'ambassade d'Iran à Oslo a qualifié ces accusations de calomnies.", "fr"),
        ("Téhéran a dénoncé des accusations « sans fondement ».", "fr"),
    ):
        claims = extracted(extractor, text, language).claims
        assert [(c.subject, c.text) for c in claims if c.kind == "response"] == [
            ("country:IR", "denial")
        ], text


def test_a_backdoor_the_researchers_name_is_a_new_family(extractor: Extractor) -> None:
    text = "The intruders planted a backdoor they call SilverWren on the servers."
    assert "malware:silverwren" in {m.canonical_id for m in extracted(extractor, text).mentions}
    text = "Les pirates ont installé une porte dérobée qu'ils ont baptisée SilverWren."
    ex = extracted(extractor, text, "fr")
    assert "malware:silverwren" in {m.canonical_id for m in ex.mentions}


def test_counts_are_read_on_their_unit_not_on_a_name(extractor: Extractor) -> None:
    def impacts(text: str) -> set[tuple[float | None, str | None]]:
        return {(c.value, c.unit) for c in extracted(extractor, text).claims if c.kind == "impact"}

    # "personal" is no person; two words may qualify the unit
    assert impacts("About 4,500 personal health records were exposed.") == {(4500.0, "records")}
    assert impacts("The 2,300 voters' records were exposed.") == {(2300.0, "people")}
    # a number in a name counts nothing
    assert not impacts("The update paused for Windows 10 users after the attack.")
    assert not impacts("APT 41 attacked universities in March.")
    assert impacts("In May 300 companies were hit.") == {(300.0, "organisations")}
    # a function or time word qualifies nothing
    assert not impacts("It leaked the files 2 days before voters went to the polls.")


def test_a_state_another_verb_acts_upon_does_not_accuse(extractor: Extractor) -> None:
    text = "Oslo summoned the Iranian ambassador after attributing the intrusion to APT34."
    assert accusers(extractor, text) == {"country:NO"}
    text = "Oslo a convoqué l'ambassadeur iranien après avoir attribué l'intrusion à APT34."
    claims = extracted(extractor, text, "fr").claims
    assert {c.accuser for c in claims if c.kind == "attribution"} == {"country:NO"}
    # a victim's site defaced with a message is still the victim, not a speaker
    text = (
        "Hackers defaced the website of the Norwegian Polar Institute and left a message "
        "accusing the government of lying."
    )
    assert "org:Norwegian Polar Institute" in targets(extractor, text)


def test_a_title_before_the_dateline_keeps_its_names(extractor: Extractor) -> None:
    text = (
        "Hackers hit Quarry Lane Bank; Moscow denies role\n\n"
        "TALLINN (Reuters) - Quarry Lane Bank said on Monday that its systems were down."
    )
    claims = extracted(extractor, text).claims
    found = {c.object for c in claims if c.kind == "targeting"}
    assert "org:Quarry Lane Bank" in found
    assert "country:EE" not in found  # the dateline's city is where the story was filed
    assert ("country:RU", "denial") in {(c.subject, c.text) for c in claims}


def test_the_group_a_vendor_tracks_under_a_name_is_accused_with_its_state(
    extractor: Extractor,
) -> None:
    text = (
        "Kestrel Labs said the campaign was the work of a China-nexus espionage group "
        "it tracks as UNC8802."
    )
    subjects = {c.subject for c in extracted(extractor, text).claims if c.kind == "attribution"}
    assert {"actor:unc8802", "country:CN"} <= subjects


def test_a_joint_advisory_no_one_signs_here_accuses_no_one(extractor: Extractor) -> None:
    text = (
        "Russian hackers breached the ministry. About 2,000 routers were compromised, "
        "according to the joint advisory."
    )
    ex = extracted(extractor, text)
    assert not [c for c in ex.claims if c.kind == "attribution" and c.evidence.sentence_index]
    assert (2000.0, "devices") in {(c.value, c.unit) for c in ex.claims if c.kind == "impact"}


def test_the_bureau_accusing_is_the_agency_named_before(extractor: Extractor) -> None:
    text = (
        "The FBI said North Korean hackers robbed the Velora exchange. The bureau "
        "attributed the theft to a cluster it calls TraderTraitor."
    )
    claims = extracted(extractor, text).claims
    assert ("actor:tradertraitor", "inst:us-fbi") in {
        (c.subject, c.accuser) for c in claims if c.kind == "attribution"
    }


def test_a_based_qualifier_before_a_name_leaves_the_name_alone(extractor: Extractor) -> None:
    text = "Hackers breached the Lisbon-based lender Quarry Bank."
    found = targets(extractor, text)
    assert {"org:Quarry Bank", "country:PT"} <= found
    assert not any(t and "-based" in t for t in found)


def test_an_unknown_organisation_named_like_a_security_company_accuses(
    extractor: Extractor,
) -> None:
    text = "Brightline Security said the campaign was the work of APT41."
    assert accusers(extractor, text) == {"text:Brightline Security"}
    # a body's name with a function word in it is no company's
    text = "The Ministry of Coastal Security said the campaign was the work of APT41."
    assert "text:Ministry of Coastal Security" not in accusers(extractor, text)


def test_the_channel_where_a_group_claims_is_no_victim(extractor: Extractor) -> None:
    text = "The crew claimed the attacks on its Telegram channel."
    assert not any(t and "Telegram" in t for t in targets(extractor, text))
    text = "Le collectif a revendiqué ces attaques sur sa chaîne Telegram."
    assert not any(t and "Telegram" in t for t in targets(extractor, text, "fr"))
    # a television channel attacked is a victim
    text = "Hackers attacked Norway's Fjordvision television channel."
    assert "org:Norway's Fjordvision television channel" in targets(extractor, text) or (
        "org:Fjordvision television channel" in targets(extractor, text)
    )


def test_a_one_word_name_after_a_kind_of_malware_is_a_new_family(extractor: Extractor) -> None:
    text = "Three reporters had their phones infected with the spyware GlassWing."
    ex = extracted(extractor, text)
    assert "malware:glasswing" in {m.canonical_id for m in ex.mentions}
    assert "org:GlassWing" not in {c.object for c in ex.claims if c.kind == "targeting"}
    text = "Trois reporters ont été espionnés avec le logiciel espion GlassWing."
    ex = extracted(extractor, text, "fr")
    assert "malware:glasswing" in {m.canonical_id for m in ex.mentions}
    # nor a word on the next line (a title ending with the kind)
    text = "Supplier hijacked to spread backdoor\n\nGlassWing said its servers were hit."
    assert not [m for m in extracted(extractor, text).mentions if m.kind == "malware"]
    # nor after a heading's or a signature's capitals, nor a vendor's scheme, nor an acronym
    for text in (
        "See the figure Malware Cybersecurity below.",
        "Rule 200 - TROJAN Win32/Kestrel activity.",
        "The kit claims to make malware FUD for buyers.",
    ):
        assert not [m for m in extracted(extractor, text).mentions if m.kind == "malware"], text
    # a dictionary word is no name
    text = "The ransomware Monday locked the files."
    assert not [m for m in extracted(extractor, text).mentions if m.kind == "malware"]


def test_a_french_possessive_determiner_names_whose_things_were_hit(extractor: Extractor) -> None:
    text = "La banque Quarry a vu ses serveurs chiffrés par des pirates."
    assert "org:banque Quarry" in targets(extractor, text, "fr") or (
        "org:Quarry" in targets(extractor, text, "fr")
    )


def test_who_is_charged_does_not_respond_and_a_quoted_denier_denies(
    extractor: Extractor,
) -> None:
    text = "A Latvian national has been charged for his alleged role in a ransomware attack."
    responses = [c for c in extracted(extractor, text).claims if c.kind == "response"]
    assert responses and all(c.subject != "country:LV" for c in responses)
    text = "« Ces accusations sont sans fondement », a réagi l'ambassade d'Iran à Oslo."
    claims = extracted(extractor, text, "fr").claims
    assert [(c.subject, c.text) for c in claims if c.kind == "response"] == [
        ("country:IR", "denial")
    ]


def test_a_name_the_recogniser_reads_as_a_place_can_be_the_victim(extractor: Extractor) -> None:
    # the French pipeline tags « Valtéo » as a noun and reads it as a place
    text = "Valtéo a annoncé vendredi avoir été victime d'une intrusion."
    assert "org:Valtéo" in targets(extractor, text, "fr")
    # the name may hang on the descriptor's complement
    text = (
        "L'opérateur de télécommunications Valtéo a annoncé vendredi avoir été victime "
        "d'une intrusion dans son système d'information."
    )
    assert "org:Valtéo" in targets(extractor, text, "fr")
    # a nationality is no name
    text = "The malware family targeted well-known Chilean banks."
    assert not any(t and t.startswith("org:Chilean") for t in targets(extractor, text))


def test_appearing_to_be_linked_is_alleged(extractor: Extractor) -> None:
    text = "Researchers at Kestrel Labs said the group appears to be linked to Iran."
    claims = [c for c in extracted(extractor, text).claims if c.kind == "attribution"]
    assert claims and {c.modality for c in claims} == {"alleged"}
    # what a forged letter appeared to be hedges no charge
    text = (
        "The DOJ also accused Mr Kowalczyk of forging invoices and letters that falsely "
        "appeared to have been signed by executives."
    )
    claims = [c for c in extracted(extractor, text).claims if c.kind == "attribution"]
    assert claims and {c.modality for c in claims} == {"asserted"}


def test_a_fronted_clause_accuses_for_the_main_clauses_subject(extractor: Extractor) -> None:
    text = "After attributing the intrusion to APT34, Oslo summoned the Iranian ambassador."
    claims = [c for c in extracted(extractor, text).claims if c.kind == "attribution"]
    assert {(c.subject, c.accuser) for c in claims} == {("actor:apt34", "country:NO")}
    text = "Après avoir attribué l'intrusion à APT34, Oslo a convoqué l'ambassadeur iranien."
    claims = [c for c in extracted(extractor, text, "fr").claims if c.kind == "attribution"]
    assert {(c.subject, c.accuser) for c in claims} == {("actor:apt34", "country:NO")}
    # who acts in an adverbial clause does not accuse in the main one
    text = "After Iran hacked the port, Oman blamed APT34."
    assert accusers(extractor, text) == {"country:OM"}
