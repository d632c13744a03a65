"""Victims read from the dependency parse (trained English and French pipelines)."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Span

from cyberveille.extract import Extractor
from cyberveille.extract.cues import load_rules
from cyberveille.extract.nlp import load_pipeline
from cyberveille.extract.victim_syntax import VictimReader, VictimSyntax
from cyberveille.kb import KnowledgeBase
from cyberveille.types import Article, content_id
from extracted import targets


def parsed(text: str, language: str = "en") -> tuple[VictimReader, list[Span]]:
    """The language's victim reader and the sentences of ``text`` parsed by its trained
    pipeline (the test is skipped where none is installed)."""
    nlp, trained = load_pipeline(language)
    if not trained:
        pytest.skip(f"no trained {language} pipeline installed")
    reader = VictimReader(VictimSyntax.from_rules(load_rules(language).victim_syntax))
    return reader, list(nlp(text).sents)


def victims(text: str, language: str = "en") -> list[str]:
    reader, sentences = parsed(text, language)
    return [text[v.start : v.end] for s in sentences for v in reader.victims(s)]


@pytest.mark.parametrize(
    ("text", "victim"),
    [
        # the subject of a verb telling of a breach
        ("Umbrella Pharmacy has suffered a data breach affecting its customers.", "Umbrella"),
        # the subject of an attack verb in the passive; the owner of what was attacked
        ("Initech's computer systems were locked by the attackers on Monday.", "Initech"),
        # the object of an active attack verb
        ("Ransomware crews attacked the media group Vandelay Industries.", "Vandelay"),
        # the complement of an attack noun
        ("The researchers described an attack on Globex Corporation in detail.", "Globex"),
        # a relative pronoun stands for its noun
        ("Victims included Hooli Bank, which suffered an attack in March.", "Hooli Bank"),
        ("Umbrella Health, which suffered a ransomware attack, restored its systems.", "Umbrella"),
        ("Kessler Logistics thwarted a phishing attack last week.", "Kessler"),
        # what an attack is said to have hit, and the members of its list
        ("Affected institutions included Shelbyville Bank and Globex Corp.", "Globex"),
        ("Infected computers at Norwood Paper showed a ransom note.", "Norwood"),
        ("Among the victims were Shelbyville Bank and Globex Corp.", "Globex"),
        # what an attack leaves or forces its object to do
        ("A ransomware attack has left Shelby County struggling to pay its staff.", "Shelby"),
        ("The cyberattack forced Kessler Logistics to switch to paper.", "Kessler"),
        ("A ransomware attack caused the Shelby school district's network to go down.", "Shelby"),
        # what is held for ransom; whose data a causative "have" says was taken
        ("Hackers took the Norwood Police Department's server for ransom.", "Norwood"),
        ("Kessler Bank customers had their cards stolen last year.", "Kessler Bank"),
        # whom a theft takes from (taking_nouns)
        ("The theft of $308 million from Velora was blamed on North Korea.", "Velora"),
        # what stands among the victims a noun names
        ("Among the companies hit by the attack were Globex and Initech.", "Initech"),
        ("Kessler hotels are among the sites that were victims of the attack.", "Kessler"),
        ("Springfield officials said they paid the ransom to the attackers.", "Springfield"),
        # one that will not pay a ransom was asked for one
        ("Kessler Logistics said it will not pay the ransom the hackers demand.", "Kessler"),
        # a pronoun subject of what a speaker says stands for the speaker
        ("Globex and Initech have admitted they were conned out of $5 million.", "Initech"),
        # a possessive pronoun there stands for the speaker too, where systems are is
        # whose they are
        ("Hooli Bank said the data of its customers was stolen.", "Hooli Bank"),
        ("Kessler Hotels said that card systems at 300 of its hotels were breached.", "Kessler"),
        # the owner of what was stolen
        ("The hackers stole a database of Pied Piper's users.", "Pied Piper"),
        ("About 20 million records belonging to Kessler Logistics were leaked.", "Kessler"),
        ("Card data was stolen from shops that include Kwik-E-Mart and Monk Foods.", "Monk Foods"),
        # what the victims are said to include
        ("Victims of the campaign have included the Port of Shelbyville.", "Shelbyville"),
        ("The crew attacked hospitals, including Sacred Heart Clinic.", "Sacred Heart"),
        ("It is the latest in a hacking spree on hotel chains including Globex Hotels.", "Globex"),
        # paying a ransom, or paying to get one's files back
        ("Springfield General Hospital paid a ransom in bitcoin to the attackers.", "Springfield"),
        (
            "One clinic, Shelbyville Care in Iowa, paid $30,000 to get its files back.",
            "Shelbyville",
        ),
        ("The extortionists demanded that Vandelay Industries pay 3 bitcoins.", "Vandelay"),
        # the possessor of a breach suffers it; data of customers of a firm are the firm's
        ("Reports of Umbrella Airlines's passenger data breach spread fast.", "Umbrella"),
        ("Data of 2 million customers of Globex Telecom had been accessed.", "Globex"),
        # where the systems hit are: "at" after the verb when the systems have no owner
        ("Last spring the crew encrypted files at Shelbyville Memorial Clinic.", "Shelbyville"),
        # the noun a relative clause in the passive hangs on, and what it includes
        (
            "Nobody knows the cost for the shops that were breached, which included "
            "Kwik-E-Mart and Monk Foods.",
            "Monk Foods",
        ),
        # what a quantity counts, and what it is said to include
        ("Thousands of Globex customers were hit by the scam.", "Globex"),
        ("Millions of Initech accounts were stolen last year.", "Initech"),
        ("Computers at all of Vandelay's branches have been hit.", "Vandelay"),
        (
            "The chain said 900 of its hotels, including Shelbyville Inn, were victims.",
            "Shelbyville Inn",
        ),
        ("The crew stole hundreds of gigabytes of files from the Globex company.", "Globex"),
        # the subject of the verb a preposition hangs on pays ("by paying")
        (
            "Shelbyville Clinic made the news by paying $9,000 to decrypt its files.",
            "Shelbyville Clinic",
        ),
        # names before an attack noun, even where the tagger calls them nouns
        ("Millions of passwords leaked from the Globex and Initech breaches.", "Initech"),
        # the mood of a copula is about the origin, not about the hack
        ("The logins could be from the Vandelay hack of 2016.", "Vandelay"),
        # who reports an attack on its own systems suffered it
        ("Globex reported a breach of its payment systems.", "Globex"),
        # the owner of what is used ("a server used by X")
        ("The crew broke into a server used by the Elbonian Federal Police.", "Elbonian"),
        # who comes under an attack
        ("Initech came under a cyberattack last week.", "Initech"),
        # a hyphen inside a name keeps it whole
        ("Initech-X and Globex were attacked by two hackers.", "Initech-X"),
        # what a payment is made in tells a ransom
        ("The Globex Water Board paid $25,000 in bitcoin last week.", "Globex"),
        ("Vandelay Industries forked over $40,000 in bitcoin to the hackers.", "Vandelay"),
        # a two-word preposition of whom a taking verb takes from
        ("The gang tried to extort money out of Vandelay Industries.", "Vandelay"),
        # the noun a participle of harm hangs on ("impacted by", "to be affected")
        (
            "Among the first firms to be impacted by the ransomware was Vandelay Industries.",
            "Vandelay",
        ),
        ("Hospitals affected by the attack, including Globex Clinic, closed.", "Globex"),
    ],
)
def test_a_named_victim_is_read_from_the_parse(text: str, victim: str) -> None:
    assert any(victim in found for found in victims(text))


@pytest.mark.parametrize(
    "text",
    [
        # what a flaw affects is a product, not a victim
        "The affected software includes Acrobat DC and Acrobat Reader DC.",
        # hypothetical: a flaw that would let attackers act
        "The flaw could let attackers compromise Initech servers.",
        "The bug allows an attacker to access the Globex portal.",
        # denied
        "Hooli said that Globex was not hacked.",
        # generic: no proper noun names the victim
        "Hackers breached the company last week.",
        # a date after an attack noun is no victim
        "The attack on Monday disrupted trading.",
        # the possessor of an attack is who attacks
        "Ruritania's attack on the grid failed.",
        # a payment that is no ransom
        "Initech paid its contractors in March.",
        # an attack noun governed by a verb told only as possible
        "The flaw could lead to attacks on Initech servers.",
        # what something else forces is no victim
        "The storm forced Kessler Logistics to close.",
        # a payment in anything but a ransom
        "Kessler Logistics paid $2 million in taxes last year.",
        # a trial of an attack: what it was tried on is a test bed
        "Researchers tested their attack on the Initech Z9 router.",
        "The team demonstrated an attack on the Globex Hoverboard last week.",
        # what a flaw affects is no victim of an attack
        "The vendors affected by the flaw, such as Initech Networks, issued patches.",
    ],
)
def test_no_victim_when_the_attack_is_unreal_or_unnamed(text: str) -> None:
    found = victims(text)
    assert not [v for v in found if v not in {"Hooli"}], found


def test_a_list_the_parser_hangs_inside_a_name_gives_each_member() -> None:
    # the parser makes "Globex" a conjunct of "Shelbyville" (inside "the Port of
    # Shelbyville"), or of the place after a name: each member is its own victim
    found = victims("Affected organisations included the Port of Shelbyville, Globex and Initech.")
    assert found == ["Port of Shelbyville", "Globex", "Initech"]
    text = (
        "With affected institutions including the Norwood Health Board, the Water "
        "Service in Ruritania, Globex and Initech, few paid the ransom."
    )
    assert {"Norwood Health Board", "Globex", "Initech"} <= set(victims(text))
    # a name the recogniser reads through its "and" stays whole
    text = "Hackers breached the Department of Health and Human Services last week."
    assert victims(text) == ["Department of Health and Human Services"]


def test_a_pronoun_in_quoted_words_is_not_the_speaker() -> None:
    assert "Globex Corp" in victims("Globex Corp said they were hacked in May.")
    assert not victims("Mark Jensen said: \u201cThey were hacked last year.\u201d")
    # nor is a possessive pronoun after another name
    text = "Acme Corp said hackers stole the data of Globex Bank and its clients."
    assert victims(text) == ["Globex Bank"]


def test_the_place_of_unnamed_victims_is_kept_as_a_place() -> None:
    reader, sentences = parsed(
        "The group used spyware to spy on activists in Ruritania and Elbonia."
    )
    found = [v for s in sentences for v in reader.victims(s)]
    assert found and all(v.place for v in found)
    # so is a place set after a name ("Licking County, Ohio")
    text = "Ransomware has paralyzed the computers of Shelby County, Kentucky, on Monday."
    reader, sentences = parsed(text)
    found = {text[v.start : v.end]: v.place for s in sentences for v in reader.victims(s)}
    assert found == {"Shelby County": False, "Kentucky": True}


@pytest.mark.parametrize(
    ("text", "victim"),
    [
        ("Des fichiers appartenant à la mairie de Brest ont été volés par des pirates.", "Brest"),
        ("Un rançongiciel a chiffré les serveurs chez Vandelay Industries en juin.", "Vandelay"),
        ("Des milliers de clients de Globex ont été piratés.", "Globex"),
        ("Le CHU de Rennes a déjoué une cyberattaque la semaine dernière.", "Rennes"),
        ("La société Acme a indiqué qu'elle avait été piratée en mai.", "Acme"),
        # the whole name the recogniser reads, whatever the tagger calls its words
        ("Des pirates ont piraté la Banque de Ruritanie.", "Banque de Ruritanie"),
        ("Des pirates ont piraté la Banque nationale de Vandelay.", "Banque nationale de Vandelay"),
        (
            "Parmi les entreprises touchées par le rançongiciel figure Vandelay Industries.",
            "Vandelay",
        ),
        ("La cyberattaque a contraint la mairie de Brest à fermer ses guichets.", "Brest"),
        # who pays in bitcoin (payment_prepositions)
        ("La mairie de Brest a payé 25 000 dollars en bitcoins.", "Brest"),
        # whom a taking verb takes from (taken_from_prepositions)
        ("Les données de 9 000 patients ont été dérobées au laboratoire Globex.", "Globex"),
        # an adjective after the noun, then the proper noun completing the name
        ("Une cyberattaque a visé le centre hospitalier de Brest.", "centre hospitalier de Brest"),
        ("Cyberattaque contre le centre hospitalier de Brest", "centre hospitalier de Brest"),
        # the subject of the verb an infinitive « avoir été victime » hangs on
        ("Globex a annoncé avoir été victime d'une cyberattaque.", "Globex"),
        # « chez » names whose systems an attack noun tells of
        ("Fuite de données chez Globex : 9 000 clients concernés", "Globex"),
        # a passive subject the parser labels a plain subject (« avait été frappé »)
        (
            "En 2022, le laboratoire Globex avait été frappé par le groupe LockBit, qui avait "
            "exigé 10 millions de dollars.",
            "Globex",
        ),
    ],
)
def test_a_named_french_victim_is_read_from_the_parse(text: str, victim: str) -> None:
    assert any(victim in found for found in victims(text, "fr"))


def test_french_lists_of_victims() -> None:
    text = "Les entreprises touchées, dont Acme et la société Globex, ont porté plainte."
    assert "Acme" in victims(text, "fr")
    text = "Parmi les victimes figure l'hôpital de Brest."
    assert any("Brest" in found for found in victims(text, "fr"))


def test_a_french_victim_noun_after_a_copula_names_its_subject() -> None:
    assert any(
        "Brest" in v for v in victims("La mairie de Brest a été victime d'une cyberattaque.", "fr")
    )
    assert any("Brest" in v for v in victims("La mairie de Brest a été la cible de pirates.", "fr"))
    assert not victims("La mairie de Brest n'a pas été victime d'une cyberattaque.", "fr")
    # the outlet's hedge (« aurait ») is no denial
    assert victims("Globex aurait été victime d'un rançongiciel.", "fr") == ["Globex"]


def test_whose_targets_an_act_picks_is_no_victim() -> None:
    # the subject acts on its own targets: it has them, it is not one
    assert not victims("The Globex gang picked its targets carefully.")
    assert not victims("Le groupe Globex choisit ses cibles avec soin.", "fr")
    assert victims("Initech became the gang's latest victim.") == ["Initech"]


def test_a_french_place_after_a_victims_noun_names_no_organisation() -> None:
    text = "Ils auraient piraté les systèmes de dizaines d'entités victimes aux Etats-Unis."
    assert not [v for v in victims(text, "fr") if v.startswith("victimes")]


def test_french_passive_victim() -> None:
    found = victims("La mairie de Sartrouville a été piratée.", "fr")
    assert any("Sartrouville" in v for v in found)


def test_a_time_after_a_french_name_is_no_part_of_it() -> None:
    text = "Le rançongiciel a paralysé l'hôpital de Quimperlé la semaine dernière."
    assert victims(text, "fr") == ["hôpital de Quimperlé"]


def test_parsed_victims_become_targeting_claims(kb: KnowledgeBase) -> None:
    extractor = Extractor(kb)
    text = "Vandelay Industries, a paper importer, suffered a ransomware attack last week."
    article = Article(id=content_id("t", text), text=text, language="en", origin="t")
    claims = [c for c in extractor.extract(article).claims if c.kind == "targeting"]
    assert any(c.object and "Vandelay" in c.object for c in claims)
    # the evidence keeps the word that told the attack
    assert any("suffered" in c.evidence.cues for c in claims)


def test_doers_are_the_noun_phrases_that_attack() -> None:
    text = "The hackers, who said they were students, defaced the site of the Ruritanian army."
    reader, sentences = parsed(text)
    doers = [text[a:b] for s in sentences for a, b in reader.doers(s)]
    assert doers == ["The hackers"]  # not the clause hung on it
    # where they are is part of it, what happened when is not
    text = "Data was stolen by hackers in Elbonia during the May attack that the UK saw."
    reader, sentences = parsed(text)
    assert [text[a:b] for s in sentences for a, b in reader.doers(s)] == ["hackers in Elbonia"]
    text = "Data was stolen by hackers in the May attack that the UK saw."
    reader, sentences = parsed(text)
    assert [text[a:b] for s in sentences for a, b in reader.doers(s)] == ["hackers"]


def test_a_later_clause_keeps_its_own_polarity() -> None:
    # the negation of the main clause does not deny what a clause hung after it tells
    found = victims(
        "Hooli did not warn its users until May, when a crew dumped files stolen from Globex."
    )
    assert "Globex" in found
    found = victims("The worm was not aimed at Hooli and is infecting the servers of Globex.")
    assert "Globex" in found
    # an infinitive of purpose stays under it: "left in the open for people to steal"
    assert not victims("Passwords of Globex are not left in the open for thieves to steal.")


def test_unreal_attack_words_are_reported_with_their_spans() -> None:
    text = "The bug allows attackers to compromise Initech servers. Hackers hit Globex."
    reader, sentences = parsed(text)
    unreal = [text[a:b] for s in sentences for a, b in reader.unreal_acts(s)]
    assert unreal == ["compromise"]


def test_no_targeting_claim_from_cue_words_of_an_unreal_attack(extractor: Extractor) -> None:
    # the cue words alone would make the product the flaw exposes a victim
    text = (
        "Researchers at Globex found a bug in the firmware that could let attackers "
        "compromise its Initech Ledger module."
    )
    objects = targets(extractor, text)
    assert not [o for o in objects if o and "Initech" in o], objects


def test_a_kinetic_attack_names_no_victim_even_from_its_cue_words(extractor: Extractor) -> None:
    text = (
        "L'agence enquêtait alors sur l'attaque chimique présumée de Zarqa, en Jordanie, "
        "et sur un empoisonnement."
    )
    assert not targets(extractor, text, "fr")
    assert targets(extractor, "L'attaque informatique de Zarqa Bank a visé la Jordanie.", "fr")


def test_an_attack_noun_qualifying_another_noun_tells_no_act(extractor: Extractor) -> None:
    for text in (
        "The breach notification site Globex Leaks shared a copy of the files.",
        "In its annual Data Breach Investigations Report, Initech counted credentials.",
    ):
        objects = targets(extractor, text)
        assert not [o for o in objects if o and o.startswith("org:")], objects
    # a victim noun after it keeps the act; a plural before a noun is a misread verb
    assert "Globex" in victims("The ransomware attack victims included Globex.")
    text = "Vandelay Crew hacks government pages in Israel."
    assert "country:IL" in targets(extractor, text)


def test_affected_means_vulnerable_in_a_sentence_about_a_flaw(extractor: Extractor) -> None:
    text = (
        "The affected models are the Initech 200 series switches, Initech said in its "
        "advisory on the bug."
    )
    assert not [o for o in targets(extractor, text) if o and "Initech" in o]
    # without a flaw word it is an attack's effect
    text = "Hackers crippled the network and Initech was affected for days."
    assert [o for o in targets(extractor, text) if o and "Initech" in o]


def test_who_reports_attacks_against_others_is_no_victim() -> None:
    found = victims("The DDoS protection firm Initech reported attacks against Globex and Hooli.")
    assert "Hooli" in found and not [v for v in found if "Initech" in v]


def test_the_attack_a_motive_clause_tells_names_no_victim(extractor: Extractor) -> None:
    text = (
        "The crew leaked the files of the Elbonian ministry in response to recent attacks "
        "on Swedish web hosts."
    )
    objects = targets(extractor, text)
    assert "country:SE" not in objects, objects


def test_what_follows_an_accusation_cue_after_the_attack_is_no_victim(
    extractor: Extractor,
) -> None:
    text = (
        "Hackers defaced the portal of the Elbonian transport ministry and left a message "
        "accusing Qatar of working with Iran."
    )
    objects = targets(extractor, text)
    assert not objects & {"country:QA", "country:IR"}, objects


def test_taking_a_site_down_names_its_victim(extractor: Extractor) -> None:
    for text in (
        "Hacktivists brought down the websites of the Estonian government.",
        "The group knocked out websites of the Estonian parliament for a day.",
    ):
        objects = targets(extractor, text)
        assert "country:EE" in objects, (text, objects)


def referred(text: str, language: str = "en") -> list[str]:
    """The earlier names that the victims of ``text`` stand for ("the county")."""
    reader, sentences = parsed(text, language)
    return [
        text[v.refers[0] : v.refers[1]]
        for s in sentences
        for v in reader.victims(s)
        if v.refers is not None
    ]


def test_a_definite_noun_stands_for_the_name_it_heads_said_before(extractor: Extractor) -> None:
    text = "Officials in Shelby County met on Friday. Ransomware then crippled the county."
    assert referred(text) == ["Shelby County"]
    text = "The University of Leeds opened a new campus. Hackers then breached the university."
    assert referred(text) == ["University of Leeds"]
    assert "org:University of Leeds" in targets(extractor, text)
    # "the company": the last organisation named
    text = "Hooli Bank reported its results. Hackers breached the company in May."
    assert referred(text) == ["Hooli Bank"]
    text = "L'entreprise Vandelay a publié ses résultats. Des pirates ont piraté l'entreprise."
    assert referred(text, "fr") == ["Vandelay"]
    # the noun must head the name; a system or a flaw is no organisation
    text = "The National Flaw Database lists it. Attacks of this flaw hit the database."
    assert referred(text) == []


def test_a_particle_read_as_an_adverb_still_tells_a_payment_to_get_files_back() -> None:
    # the parse of "Norwood Health paid $9,000 to get its files back" with "back" taken
    # for an adverb, as the English pipeline sometimes reads it in a longer text
    nlp, _ = load_pipeline("en")
    words = ["Norwood", "Health", "paid", "$", "9,000", "to", "get", "its", "files", "back", "."]
    heads = [1, 2, 2, 4, 2, 6, 2, 8, 6, 6, 2]
    deps = ["compound", "nsubj", "ROOT", "nmod", "dobj", "aux", "advcl", "poss", "dobj"]
    deps += ["advmod", "punct"]
    pos = ["PROPN", "PROPN", "VERB", "SYM", "NUM", "PART", "VERB", "PRON", "NOUN", "ADV"]
    pos += ["PUNCT"]
    lemmas = ["Norwood", "Health", "pay", "$", "9,000", "to", "get", "its", "file", "back", "."]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    reader = VictimReader(VictimSyntax.from_rules(load_rules("en").victim_syntax))
    text = doc.text
    assert [text[v.start : v.end] for v in reader.victims(doc[:])] == ["Norwood Health"]


def test_the_users_of_a_product_are_the_victims_not_the_product(extractor: Extractor) -> None:
    text = "Attackers have targeted Windows users with fake updates."
    assert "org:Windows users" in targets(extractor, text)
    # the customers of an organisation: the organisation is the victim
    text = "Hackers stole the passwords of Acme Bank customers."
    assert "org:Acme Bank" in targets(extractor, text)


def test_a_place_completes_the_public_body_it_names(extractor: Extractor) -> None:
    # "the city of X" is the city's administration, not only a place
    objects = targets(extractor, "Ransomware crippled the northern city of Valdora in May.")
    assert "org:city of Valdora" in objects, objects
    # a list after the complement is of other victims when each opens with a determiner
    text = "Among the victims are the town of Brisk, the Port of Lune and two Initech offices."
    assert {"org:town of Brisk", "org:Port of Lune"} <= targets(extractor, text)
    text = "Hackers breached the Bureau of Alcohol, Tobacco, Firearms and Explosives."
    assert "org:Bureau of Alcohol, Tobacco, Firearms and Explosives" in targets(extractor, text)


def test_falling_prey_to_an_attack_names_its_victim(extractor: Extractor) -> None:
    assert "org:Globex" in targets(extractor, "Globex fell prey to ransomware last year.")
    text = "La société Vandelay a été la proie de pirates informatiques."
    assert "org:Vandelay" in targets(extractor, text, "fr")


def test_the_owner_of_what_is_operated_or_run_is_the_victim(extractor: Extractor) -> None:
    assert "org:Globex" in targets(extractor, "Hackers encrypted servers run by Globex.")
    text = "Les pirates ont chiffré les serveurs exploités par la société Vandelay."
    assert "org:Vandelay" in targets(extractor, text, "fr")


def test_the_recipients_of_a_lure_are_victims(extractor: Extractor) -> None:
    text = "The spies sent phishing emails to lawmakers and to members of the Velora Trade Council."
    found = targets(extractor, text)
    assert {"org:Velora Trade Council", "sector:Government, Administration"} <= found
    text = "Les pirates ont envoyé des courriels piégés à des membres de l'Alliance de Norvex."
    assert "org:Alliance de Norvex" in targets(extractor, text, "fr")
    # an email that is no lure names no victim
    assert not targets(extractor, "The company sent emails to Globex customers on Monday.")


def test_a_state_a_victims_name_is_about_is_not_the_victims(extractor: Extractor) -> None:
    text = (
        "Les pirates ont envoyé des courriels piégés à des membres de l'Alliance "
        "interparlementaire sur la Chine."
    )
    found = targets(extractor, text, "fr")
    assert "org:Alliance interparlementaire sur la Chine" in found
    assert "country:CN" not in found


def test_what_a_weapon_is_deployed_against_is_the_victim(extractor: Extractor) -> None:
    assert "org:Globex" in targets(extractor, "The spies used a backdoor against Globex.")
    text = "Le groupe a déployé un rançongiciel contre l'hôpital de Vernay."
    assert "org:hôpital de Vernay" in targets(extractor, text, "fr")
    # a weapon word qualifying something else is no weapon ("malware analysis")
    text = "The student used malware analysis at Kestrel Labs, a free platform."
    assert "org:Kestrel Labs" not in targets(extractor, text)
    # a device's model is no organisation
    text = "The pair used the same exploits on phones including the Velora Phone X9."
    assert not any("X9" in (t or "") for t in targets(extractor, text))
