"""Victims and doers read from the dependency parse: Doc + per-language lemma lists ->
victim spans and doer spans.

A victim is the object of an attack verb ("hackers breached Acme"), its subject in the
passive ("Acme's systems were locked"), the subject of a verb telling of a breach ("Acme
suffered a data breach", "Acme, which suffered an attack"), the complement of an attack
noun ("an attack on Acme", "the Acme breach") or the owner of what was taken ("stole a
database of Acme's users", "records belonging to Acme"), the noun an attack adjective
qualifies ("affected institutions"), what stands among the victims ("Among the victims
were Acme"), and the members of what it is said to include ("hotels, including Acme
Inn"), what a weapon is used against ("deployed ransomware against Acme"), and the
recipients of a lure ("sent phishing emails to Acme"); a pronoun subject in what a
speaker says stands for the speaker ("Acme said it was hacked"). Only named victims are
kept: the phrase holds a proper noun or a nationality ("Israeli drones" names Israel); a
place after "in", or glued to "-based", is the victims' country.
What is attacked hypothetically ("a flaw that could let attackers compromise X") or in
the negative is no victim. A doer is the subject of an attack verb in the active ("the
German military hacked...") or its agent in the passive ("defaced by hackers of X"), or
who uses a weapon ("Elbonia used spyware against dissidents").

Why by hand: spaCy gives the parse, not semantic roles, and no maintained library reads
victims of cyber attacks from a parse; the word lists are data (rules ``victim_syntax``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from spacy.attrs import DEP, LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from cyberveille.kb.wordlist import is_ordinary_word, ordinary_words

# dependency labels of the English (ClearNLP) and Universal Dependencies schemes
_SUBJECTS = frozenset({"nsubj"})
_PASSIVE_SUBJECTS = frozenset({"nsubjpass", "nsubj:pass"})
_OBJECTS = frozenset({"dobj", "obj"})
_ATTRIBUTES = frozenset({"attr", "oprd", "dobj", "obj", "npadvmod", "obl", "obl:arg", "xcomp"})
_PREPOSITIONS = frozenset({"prep"})
_OBLIQUES = frozenset({"obl", "obl:arg", "obl:mod", "nmod", "obl:agent"})
_NAME_PARTS = frozenset(
    {"compound", "amod", "nmod", "flat", "flat:name", "nummod", "cc", "conj", "poss", "case"}
)
_RELATIVES = frozenset({"relcl", "acl:relcl"})
_CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "advcl", "conj", "acl"})
_AUXILIARIES = frozenset({"aux", "auxpass", "aux:pass"})
_LIST_LINKS = frozenset({"conj", "appos"})
_COPULAS = frozenset({"cop"})
_PASSIVE_AUXILIARIES = frozenset({"auxpass", "aux:pass"})
_AGENTS = frozenset({"agent", "obl:agent"})
# what opens or closes quoted words (a colon introduces them)
_QUOTES = frozenset({'"', "\u201c", "\u201d", "\u00ab", "\u00bb", "\u2018", "\u2019", ":"})
# entity types of names (spaCy's English and French NER labels)
_NAMED_ENTITIES = frozenset({"ORG", "GPE", "PERSON", "NORP", "FAC", "LOC", "PER", "MISC"})
_PLACES = frozenset({"GPE", "NORP", "LOC"})
# entity types that are never victims: "the attack on May 12", "an attack on 3 servers"
_NOT_NAMES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"})
_DATES = frozenset({"DATE", "TIME"})
# the names a definite common noun may stand for, and how far back they are looked for
_ANTECEDENT_TYPES = frozenset({"ORG", "GPE", "FAC"})
_ANTECEDENT_CHARS = 1500


@dataclass(frozen=True)
class VictimSpan:
    """A named victim: its character span, and that of the word that tells the attack;
    ``place`` when it is only the place the victims are in; ``proper`` when a proper
    noun names it (not "Israeli drones", where only the nationality is named)."""

    start: int
    end: int
    cue_start: int
    cue_end: int
    place: bool = False
    proper: bool = True
    # the name, said earlier, that a definite common noun stands for ("the county" for
    # "Madison County"): the victim's name where the span itself names none
    refers: tuple[int, int] | None = None
    # the phrase of the people a named qualifier owns ("Android users"): the victims
    # where the qualifier names a product, not an organisation
    users: tuple[int, int] | None = None
    # the victim tells of the attack itself ("Acme reported a breach"): a security
    # company telling of intrusions is no victim of them
    told: bool = False


@dataclass(frozen=True)
class VictimSyntax:
    """The lemma lists of one language (rules ``victim_syntax``)."""

    attack_verbs: frozenset[str]
    verb_prepositions: frozenset[str]
    taking_verbs: frozenset[str]
    telling_verbs: frozenset[str]
    attack_nouns: frozenset[str]
    victim_nouns: frozenset[str]
    owned_nouns: frozenset[str]
    prepositions: frozenset[str]
    owner_prepositions: frozenset[str]
    place_prepositions: frozenset[str]
    name_prepositions: frozenset[str]
    example_prepositions: frozenset[str]
    example_verbs: frozenset[str]
    kinetic_qualifiers: frozenset[str]
    modals: frozenset[str]
    enabling_verbs: frozenset[str]
    relative_pronouns: frozenset[str]
    using_verbs: frozenset[str] = frozenset()
    weapons: frozenset[str] = frozenset()
    located_verbs: frozenset[str] = frozenset()
    agent_prepositions: frozenset[str] = frozenset()
    suffered_nouns: frozenset[str] = frozenset()
    paying_verbs: frozenset[str] = frozenset()
    ransom_nouns: frozenset[str] = frozenset()
    recovery_verbs: frozenset[str] = frozenset()
    data_nouns: frozenset[str] = frozenset()
    belonging_verbs: frozenset[str] = frozenset()
    belonging_prepositions: frozenset[str] = frozenset()
    speech_verbs: frozenset[str] = frozenset()
    victim_adjectives: frozenset[str] = frozenset()
    product_nouns: frozenset[str] = frozenset()
    among_prepositions: frozenset[str] = frozenset()
    site_prepositions: frozenset[str] = frozenset()
    quantities: frozenset[str] = frozenset()
    under_verbs: frozenset[str] = frozenset()
    under_prepositions: frozenset[str] = frozenset()
    definite_determiners: frozenset[str] = frozenset()
    organisation_nouns: frozenset[str] = frozenset()
    user_nouns: frozenset[str] = frozenset()
    impact_verbs: frozenset[str] = frozenset()
    ransom_prepositions: frozenset[str] = frozenset()
    causative_verbs: frozenset[str] = frozenset()
    trial_verbs: frozenset[str] = frozenset()
    taken_from_prepositions: frozenset[str] = frozenset()
    payment_prepositions: frozenset[str] = frozenset()
    #: attack nouns of taking: whom they take from names the victim ("theft from X")
    taking_nouns: frozenset[str] = frozenset()
    #: common nouns of public bodies a place's name completes into an organisation's
    #: name ("the city of Atlanta", "the port of Avalon")
    body_nouns: frozenset[str] = frozenset()
    #: verbs of sending, lures they send, and what makes a lure one ("sent phishing
    #: emails to X", « envoyé des courriels piégés à X »): its recipients are victims
    sending_verbs: frozenset[str] = frozenset()
    lure_nouns: frozenset[str] = frozenset()
    lure_qualifiers: frozenset[str] = frozenset()
    recipient_prepositions: frozenset[str] = frozenset()
    #: nouns a sector's word qualifies without naming the sector's organisations
    #: ("financial information"): read by the mention finder (``NameContext``)
    not_sector_nouns: frozenset[str] = frozenset()

    @classmethod
    def from_rules(cls, data: Mapping[str, Iterable[str]]) -> VictimSyntax:
        def words(key: str) -> frozenset[str]:
            return frozenset(w.casefold() for w in data.get(key, ()))

        return cls(
            attack_verbs=words("attack_verbs"),
            verb_prepositions=words("verb_prepositions"),
            taking_verbs=words("taking_verbs"),
            telling_verbs=words("telling_verbs"),
            attack_nouns=words("attack_nouns"),
            victim_nouns=words("victim_nouns"),
            owned_nouns=words("owned_nouns"),
            prepositions=words("prepositions"),
            owner_prepositions=words("owner_prepositions"),
            place_prepositions=words("place_prepositions"),
            name_prepositions=words("name_prepositions"),
            example_prepositions=words("example_prepositions"),
            example_verbs=words("example_verbs"),
            kinetic_qualifiers=words("kinetic_qualifiers"),
            modals=words("modals"),
            enabling_verbs=words("enabling_verbs"),
            relative_pronouns=words("relative_pronouns"),
            using_verbs=words("using_verbs"),
            weapons=words("weapons"),
            located_verbs=words("located_verbs"),
            agent_prepositions=words("agent_prepositions"),
            suffered_nouns=words("suffered_nouns"),
            paying_verbs=words("paying_verbs"),
            ransom_nouns=words("ransom_nouns"),
            recovery_verbs=words("recovery_verbs"),
            data_nouns=words("data_nouns"),
            belonging_verbs=words("belonging_verbs"),
            belonging_prepositions=words("belonging_prepositions"),
            speech_verbs=words("speech_verbs"),
            victim_adjectives=words("victim_adjectives"),
            product_nouns=words("product_nouns"),
            among_prepositions=words("among_prepositions"),
            site_prepositions=words("site_prepositions"),
            quantities=words("quantities"),
            under_verbs=words("under_verbs"),
            under_prepositions=words("under_prepositions"),
            definite_determiners=words("definite_determiners"),
            organisation_nouns=words("organisation_nouns"),
            user_nouns=words("user_nouns"),
            impact_verbs=words("impact_verbs"),
            ransom_prepositions=words("ransom_prepositions"),
            causative_verbs=words("causative_verbs"),
            trial_verbs=words("trial_verbs"),
            taken_from_prepositions=words("taken_from_prepositions"),
            payment_prepositions=words("payment_prepositions"),
            taking_nouns=words("taking_nouns"),
            body_nouns=words("body_nouns"),
            sending_verbs=words("sending_verbs"),
            lure_nouns=words("lure_nouns"),
            lure_qualifiers=words("lure_qualifiers"),
            recipient_prepositions=words("recipient_prepositions"),
            not_sector_nouns=words("not_sector_nouns"),
        )

    def __bool__(self) -> bool:
        return bool(self.attack_verbs or self.attack_nouns)


def lemmas_of(doc: Doc) -> list[str]:
    """The case-folded lemma of every token of ``doc``, computed once per document (the
    readers look each token's lemma up several times; ``Token.lemma_`` is a string-store
    look-up each time)."""
    return _folded_strings(doc, LEMMA)


def _lowers_of(doc: Doc) -> list[str]:
    """The lower-cased text of every token of ``doc``, computed once per document."""
    return _folded_strings(doc, LOWER)


def _folded_strings(doc: Doc, attribute: int) -> list[str]:
    key = f"cyberveille_folded_{attribute}"
    found: list[str] | None = doc.user_data.get(key)
    if found is None:
        strings = doc.vocab.strings
        folded: dict[int, str] = {}  # each distinct string folded once
        found = []
        for value in _attribute_of(doc, attribute):
            text = folded.get(value)
            if text is None:
                text = folded[value] = strings[value].casefold()
            found.append(text)
        doc.user_data[key] = found
    return found


def _attribute_of(doc: Doc, attribute: int) -> list[int]:
    """An attribute's value (a hash for a string attribute) for every token of ``doc``,
    read once per document and attribute."""
    key = f"cyberveille_attribute_{attribute}"
    found: list[int] | None = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = doc.to_array(attribute).tolist()
    return found


def _tokens_where(sentence: Span, lemmas: list[str], wanted: frozenset[str]) -> Iterator[Token]:
    """The sentence's tokens whose folded lemma is in ``wanted``: looked up by index, so
    that no Token object is made for the other words (making one is most of the cost of
    a reader that walks every word of every sentence)."""
    doc = sentence.doc
    for i in range(sentence.start, sentence.end):
        if lemmas[i] in wanted:
            yield doc[i]


def _tokens_labelled(sentence: Span, labels: frozenset[str]) -> Iterator[Token]:
    """The sentence's tokens whose dependency label is one of ``labels``, looked up by
    index as in :func:`_tokens_where`."""
    doc = sentence.doc
    deps = _attribute_of(doc, DEP)
    wanted = {doc.vocab.strings[label] for label in labels}
    for i in range(sentence.start, sentence.end):
        if deps[i] in wanted:
            yield doc[i]


def _lemma(token: Token) -> str:
    return lemmas_of(token.doc)[token.i]


def _children(token: Token, labels: frozenset[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in labels]


def _name_word(token: Token) -> bool:
    """A word of a name: a proper noun, or a capitalised word the entity recogniser reads
    in an organisation's name, whatever its tag ("T.J.Maxx" as a noun; the French tagger
    may call every word of « la Banque de Lituanie » a common noun), or a capitalised
    word tagged a noun that it reads as a one-word name of any kind but a nationality
    (« Valtéo », a name it does not know, read as a place)."""
    if token.pos_ == "PROPN":
        return True
    if not token.text[:1].isupper() or not token.ent_type_:
        return False
    one_word = token.ent_iob_ == "B" and (
        token.i + 1 >= len(token.doc) or token.doc[token.i + 1].ent_iob_ != "I"
    )
    return token.ent_type_ == "ORG" or (
        one_word
        and token.pos_ == "NOUN"  # not a nationality ("French banks")
        and token.ent_type_ in _NAMED_ENTITIES - {"NORP"}
        and not is_ordinary_word(token.text, ordinary_words())  # "Hacker collectives"
    )


def _possessive(token: Token) -> bool:
    """A possessive determiner (« leurs », « son »: Poss=Yes)."""
    return token.pos_ == "DET" and "Yes" in token.morph.get("Poss", [])


def _bare_subjects(head: Token) -> list[Token]:
    """The noun phrases before ``head`` that the parse hangs on it with no preposition and
    no subject's label: a subject it misread after an apposition (« Le centre
    hospitalier de X, dans la Drôme, a été victime »: "centre" as a modifier). A common
    noun needs its determiner (not « Lundi, X... »), a proper noun a name's entity."""
    return [
        c
        for c in head.lefts
        if c.dep_ not in ("punct", "cc", "case", "mark")
        and not _children(c, frozenset({"case"}))
        and (
            (c.pos_ == "NOUN" and bool(_children(c, frozenset({"det"}))))
            or (c.pos_ == "PROPN" and c.ent_type_ in _NAMED_ENTITIES - _PLACES)
        )
    ][:1]


def _hung_on_noun(verb: Token) -> bool:
    """A participle clause the parse hangs on a noun: "the firms hit by", "the firms that
    were hit", "the firms to be affected"."""
    return verb.dep_ == "acl" or (
        verb.dep_ in _RELATIVES and bool(_children(verb, _PASSIVE_AUXILIARIES))
    )


def _passive_subjects(verb: Token) -> list[Token]:
    """The verb's subjects in the passive: those labelled so, or its plain subjects where
    a passive auxiliary hangs on it (the French parser may label the subject of « avait
    été frappé » a plain ``nsubj``)."""
    subjects = _children(verb, _PASSIVE_SUBJECTS)
    if not subjects and _children(verb, _PASSIVE_AUXILIARIES):
        subjects = _children(verb, _SUBJECTS)
    return subjects


def _participle(token: Token) -> bool:
    """A past participle: the English tag, or the morphology of Universal Dependencies
    (« touchées »; not a present one, « ciblant »)."""
    return token.tag_ == "VBN" or (
        "Part" in token.morph.get("VerbForm", []) and "Pres" not in token.morph.get("Tense", [])
    )


def prepositional_objects(token: Token, words: frozenset[str]) -> list[Token]:
    """Objects of the prepositions in ``words`` hanging on ``token`` ("attack on X",
    English ``prep`` -> ``pobj``; « attaque contre X », UD oblique with a ``case``). A
    two-word preposition in ``words`` is read as the parse chains it ("money out of X":
    ``prep`` out -> ``prep`` of -> ``pobj``)."""
    found: list[Token] = []
    for child in token.children:
        if child.dep_ in _PREPOSITIONS and _lemma(child) in words:
            found += [g for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ in _PREPOSITIONS:
            found += [
                g
                for second in child.children
                if second.dep_ in _PREPOSITIONS and f"{_lemma(child)} {_lemma(second)}" in words
                for g in second.children
                if g.dep_ == "pobj"
            ]
        elif child.dep_ in _OBLIQUES and any(
            g.dep_ == "case" and _lemma(g) in words for g in child.children
        ):
            found.append(child)
    return found


class VictimReader:
    """Finds the named victims, and the doers, of one sentence from its parse."""

    def __init__(self, syntax: VictimSyntax) -> None:
        self.syntax = syntax
        # the lemmas a victim's or a doer's reading starts from: other tokens are skipped
        self._victim_cues = (
            syntax.attack_verbs
            | syntax.taking_verbs
            | syntax.telling_verbs
            | syntax.attack_nouns
            | syntax.victim_nouns
            | syntax.paying_verbs
            | syntax.under_verbs
            | syntax.impact_verbs
            | syntax.ransom_nouns
            | syntax.sending_verbs
            | syntax.using_verbs
        )
        self._doer_cues = syntax.attack_verbs | syntax.taking_verbs | syntax.using_verbs
        # the words unreal_acts reads: a doer's verb, an attack noun
        self._act_words = self._doer_cues | syntax.attack_nouns
        # whom a taking verb takes from: "stolen from Acme", « dérobées au laboratoire X »
        self._taken_from = syntax.owner_prepositions | syntax.taken_from_prepositions
        # the verbs whose speaker a pronoun subject in what they say stands for
        self._speaker_cues = syntax.speech_verbs | syntax.telling_verbs

    def victims(self, sentence: Span) -> list[VictimSpan]:
        """Named victims of the sentence, in text order, each once."""
        if not self.syntax:
            return []
        found: dict[tuple[int, int], VictimSpan] = {}
        doc = sentence.doc
        lemmas, lowers = lemmas_of(doc), _lowers_of(doc)
        for i in range(sentence.start, sentence.end):
            # a noun or verb cue is read on the lemma, an adjective on the word as written
            if (
                lemmas[i] not in self._victim_cues
                and lowers[i] not in self.syntax.victim_adjectives
            ):
                continue
            token = doc[i]
            for cue, heads in self._victim_heads(token):
                for head in heads:
                    for name, place in self._names(head, depth=0):
                        cue_end = cue.idx + len(cue.text)
                        if name.start < sentence.start:  # a name said earlier
                            phrase = self._phrase(head)
                            refers = (name.start_char, name.end_char)
                            span = VictimSpan(*phrase, cue.idx, cue_end, False, False, refers)
                            found.setdefault(phrase, span)
                            continue
                        key = (name.start_char, name.end_char)
                        proper = any(_name_word(t) for t in name)
                        users = self._users_of(head, name)
                        told = _lemma(cue) in self.syntax.telling_verbs
                        victim = VictimSpan(
                            *key, cue.idx, cue_end, place, proper, users=users, told=told
                        )
                        found.setdefault(key, victim)
        return sorted(found.values(), key=lambda v: v.start)

    def doers(self, sentence: Span) -> list[tuple[int, int]]:
        """Character spans of the phrases naming who attacks, in text order."""
        if not self.syntax:
            return []
        spans: set[tuple[int, int]] = set()
        for token in _tokens_where(sentence, lemmas_of(sentence.doc), self._doer_cues):
            if self._wields(token):
                # "X used spyware against...", "X deployed the wiper": X acts
                doers = [s for s in self._subjects(token) if s.pos_ != "PRON"]
            elif not self._acts(token):
                continue
            elif _children(token, _PASSIVE_SUBJECTS) or self._agents(token):
                # "X was breached and defaced by Y": the agent of the second verb
                doers = self._agents(token)
            elif self._transitive(token):
                # transitive only: "Belgium's Ministry Hacked" (a headline) has no doer
                doers = [s for s in self._subjects(token) if s.pos_ != "PRON"]
            else:
                doers = []
            for doer in _with_conjuncts(doers):
                # "Acme's data breach exposed records": the event, not who did it
                if doer.pos_ in ("NOUN", "PROPN") and _lemma(doer) not in self.syntax.attack_nouns:
                    spans.add(self._phrase(doer))
        return sorted(spans)

    def adverbial_clauses(self, sentence: Span) -> list[tuple[int, int]]:
        """Character spans of the adverbial clauses of a sentence ("Since the attacks
        began, ...", "While the leaked files hint..., "): what such a clause tells is
        the setting of the main clause, whose names are no part of it."""
        spans: list[tuple[int, int]] = []
        for token in _tokens_labelled(sentence, frozenset({"advcl"})):
            if token.pos_ in ("VERB", "AUX"):
                words = list(token.subtree)
                spans.append((words[0].idx, words[-1].idx + len(words[-1].text)))
        return spans

    def object_phrases(self, sentence: Span) -> list[tuple[int, int]]:
        """Character spans of the verbs' direct objects, whole ("summoned the Russian
        ambassador": "the Russian ambassador"): who is named there is acted upon, and
        speaks for no one in the clause."""
        spans: list[tuple[int, int]] = []
        for token in _tokens_labelled(sentence, _OBJECTS):
            if token.head.pos_ in ("VERB", "AUX") and token.head.i != token.i:
                left, right = token.left_edge, token.right_edge
                spans.append((left.idx, right.idx + len(right.text)))
        return spans

    def unreal_acts(self, sentence: Span) -> list[tuple[int, int]]:
        """Character spans of the attack words that tell no real act: a verb told only as
        possible or denied ("a flaw that could let attackers compromise X", "allows an
        attacker to take over X"), an attack noun such a verb governs ("could lead to
        attacks on X"), an attack noun that only qualifies another noun ("the breach
        notification site X", "a data breach report": not "attack victims"), and a kinetic
        one (``kinetic_qualifiers``: « l'attaque chimique présumée de Douma »). A noun that
        is the subject of a modal stays real: "the attack on X could cost millions"."""
        if not self.syntax:
            return []
        spans: list[tuple[int, int]] = []
        lemmas = lemmas_of(sentence.doc)
        for token in _tokens_where(sentence, lemmas, self._act_words):
            lemma = lemmas[token.i]
            if token.pos_ == "VERB" and lemma in self._doer_cues:
                unreal = self.unreal(token)
            elif token.pos_ == "NOUN" and lemma in self.syntax.attack_nouns:
                unreal = (
                    self._governed_unreal(token)
                    or self._qualifier(token)
                    or any(lemmas[c.i] in self.syntax.kinetic_qualifiers for c in token.children)
                )
            else:
                continue
            if unreal:
                spans.append((token.idx, token.idx + len(token.text)))
        return spans

    def _qualifier(self, noun: Token) -> bool:
        """The attack noun qualifies another noun that is neither an attack nor a victim
        ("breach notification", "attack surface"; not "ransomware attack victims"). A
        qualifier is singular: a plural one is a verb the tagger misread in a headline
        ("Crew hacks government pages")."""
        head = noun.head
        return (
            noun.dep_ == "compound"
            and "Plur" not in noun.morph.get("Number", [])
            and head.i > noun.i
            and head.pos_ in ("NOUN", "PROPN")
            and _lemma(head) not in self.syntax.attack_nouns | self.syntax.victim_nouns
        )

    def _governed_unreal(self, noun: Token) -> bool:
        """The noun is the object, or the object of a preposition, of a verb told only as
        possible or denied ("can result in takeover of X", "could enable attacks")."""
        head = noun
        if head.dep_ == "pobj" and head.head.dep_ == "prep":
            head = head.head
        if head.dep_ not in _OBJECTS | _PREPOSITIONS | _OBLIQUES:
            return False
        verb = head.head
        if verb.i == head.i or verb.pos_ not in ("VERB", "AUX"):
            return False
        if _lemma(verb) == "be":
            # "the logins could be from the Acme hack", "cannot prove who was behind the
            # hack": how sure the origin or the author is, not whether the hack was
            return False
        return self.unreal(verb)

    def _agents(self, verb: Token) -> list[Token]:
        """The agents of a passive verb: "by Y" (an ``agent`` or ``obl:agent``), or an
        oblique opened by a preposition of ``agent_prepositions`` (the French model often
        labels « par Anonymous » a plain oblique)."""
        agents = [
            g
            for agent in _children(verb, _AGENTS)
            for g in (agent.children if agent.pos_ == "ADP" else [agent])
            if g.dep_ != "case"
        ]
        if _children(verb, _PASSIVE_SUBJECTS):
            agents += [
                o
                for o in prepositional_objects(verb, self.syntax.agent_prepositions)
                if o not in agents
            ]
        return agents

    def _by_an_attack(self, participle: Token) -> bool:
        """What the participle tells was done by an attack, a weapon or a named thing
        ("impacted by WannaCry", "affected by the breach"), or by nothing said; not by a
        flaw or an outage ("the firms affected by the bug")."""
        agents = self._agents(participle) or prepositional_objects(
            participle, self.syntax.agent_prepositions
        )
        things = self.syntax.attack_nouns | self.syntax.weapons
        return not agents or any(
            _lemma(a) in things or a.pos_ == "PROPN" or a.ent_type_ in _NAMED_ENTITIES
            for a in agents
        )

    def _wields(self, verb: Token) -> bool:
        """A verb of using or launching (rules ``using_verbs``) whose object is a weapon
        or an operation (``weapons``: spyware, malware, cyberattack, ...), not a kinetic
        one ("missile attacks"), told as a real act."""
        if verb.pos_ != "VERB" or _lemma(verb) not in self.syntax.using_verbs:
            return False
        for thing in _children(verb, _OBJECTS):
            words = _with_modifiers(thing)
            if any(_lemma(w) in self.syntax.kinetic_qualifiers for w in words):
                continue
            if any(_lemma(w) in self.syntax.weapons for w in words):  # "spyware tools"
                return not self.unreal(verb)
        return False

    def _transitive(self, verb: Token) -> bool:
        """The verb acts on something: it has an object or a preposition of
        ``verb_prepositions`` (whose object a coordinated verb may hold: "hacked into and
        spied on X"), or a verb coordinated with it has one ("hacked and defaced X")."""
        coordinated = [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"]
        return any(
            _children(v, _OBJECTS)
            or prepositional_objects(v, self.syntax.verb_prepositions)
            or any(
                c.dep_ in _PREPOSITIONS and _lemma(c) in self.syntax.verb_prepositions
                for c in v.children
            )
            for v in (verb, *coordinated)
        )

    def _phrase(self, head: Token) -> tuple[int, int]:
        """The noun phrase of ``head``: its modifiers before it, its adjectives after it
        (« des pirates chiliens ») and the complements after it that name whose it is or
        where it is ("hackers of the Nigerian Cyber Army", "hackers in Chile", "hackers
        based in Chile"), not the clauses hung on it ("the hackers, who claimed to be
        Turkish, ...")."""
        first = head.left_edge
        # « Selon Londres, l'unité 74455 »: a phrase fronted before a comma the parse
        # hangs on the noun is none of it
        commas = [c for c in head.lefts if c.dep_ == "punct" and c.text == ","]
        if commas:
            first = head.doc[commas[-1].i + 1]
        last = head
        syntax = self.syntax
        for child in head.rights:
            complement = (
                child.dep_ in _PREPOSITIONS
                and _lemma(child) in syntax.owner_prepositions | syntax.place_prepositions
                # "hackers in Chile", not "hackers in the September attack"
                and (_lemma(child) in syntax.owner_prepositions or _names_a_place(child))
            ) or (child.dep_ in _OBLIQUES and child.dep_ != "obl:agent")
            complement = complement or (
                child.dep_ in ("acl", "amod") and _lemma(child) in syntax.located_verbs
            )
            # a nationality after its noun (« le gouvernement chilien »), a flat name
            complement = complement or child.dep_ in ("amod", "flat", "flat:name")
            if complement and child.left_edge.i == last.i + 1:
                last = child.right_edge
        return first.idx, last.idx + len(last.text)

    def _acts(self, token: Token) -> bool:
        """An attack or taking verb telling of a real act (the lemma first: the walk up
        the clauses in ``unreal`` is only for those)."""
        lemma = _lemma(token)
        return (
            token.pos_ in ("VERB", "AUX")
            and (lemma in self.syntax.attack_verbs or lemma in self.syntax.taking_verbs)
            and not self.unreal(token)
        )

    def _victim_heads(self, token: Token) -> list[tuple[Token, list[Token]]]:
        syntax, lemma = self.syntax, _lemma(token)
        if token.pos_ in ("VERB", "AUX"):
            if self._acts(token):
                passive = [
                    # "the hotels that were compromised": the noun the clause hangs on
                    token.head
                    if _lemma(p) in syntax.relative_pronouns and token.dep_ in _RELATIVES
                    else p
                    for p in _passive_subjects(token)
                ]
                if self._undergone(token):  # "Acme had its data stolen"
                    passive += _children(token, _SUBJECTS) or _children(token, _OBJECTS)
                # "the firms hit by", "the firms to be hit by": the noun the clause hangs on
                if passive or (_participle(token) and _hung_on_noun(token)):
                    heads = [self._speaker_of(h, token) for h in passive] or [token.head]
                    if lemma in syntax.taking_verbs:  # "data was stolen from Acme"
                        heads = [h for h in heads if self._owned(h)]
                        heads += prepositional_objects(token, self._taken_from)
                    return [(token, heads)]
                heads = _children(token, _OBJECTS)
                if any(self._owned(h) and not self._owner(h) for h in heads):
                    # "locked up files at Acme Hospital": where the systems hit are
                    heads += prepositional_objects(token, syntax.site_prepositions)
                heads += prepositional_objects(token, syntax.verb_prepositions)
                if lemma in syntax.taking_verbs:
                    heads = [h for h in heads if self._owned(h)]
                    heads += prepositional_objects(token, self._taken_from)
                return [(token, heads)]
            elif lemma in syntax.telling_verbs and not self.unreal(token):
                told = [o for o in _children(token, _OBJECTS) if _lemma(o) in syntax.attack_nouns]
                # "Link11 reported attacks against DHL": the attack names its victim, and
                # the teller is not it
                aimed = any(
                    self._names(p, 1)
                    for o in told
                    for p in prepositional_objects(o, syntax.prepositions)
                )
                if told and not aimed:
                    return [(token, self._victim_subjects(token))]
            elif lemma in syntax.impact_verbs and self._done_by_an_attack(token):
                # "the attack left the county struggling", "the attack forced Acme to...",
                # "the attack caused Acme's systems to be down"
                heads = _children(token, _OBJECTS | {"dative"})
                heads += [
                    s for c in _children(token, _CLAUSE_LINKS) for s in _children(c, _SUBJECTS)
                ]
                return [(token, heads)]
            elif lemma in syntax.paying_verbs and self._pays_ransom(token):
                return [(token, self._victim_subjects(token))]
            elif self._wields(token) and any(
                _lemma(o) in syntax.weapons | syntax.attack_nouns
                for o in _children(token, _OBJECTS)
            ):
                # "deployed ransomware against hospitals in Michigan": what it is aimed at
                # (the parse may hang "against X" on the weapon)
                towards = syntax.prepositions - syntax.name_prepositions
                holders = [token, *_children(token, _OBJECTS)]
                return [(token, [h for x in holders for h in prepositional_objects(x, towards)])]
            elif lemma in syntax.sending_verbs and not self.unreal(token):
                # "sent phishing emails to a dozen lawmakers and to members of X": the
                # recipients of a lure (« des courriels piégés à X »: the parse may hang
                # them on the lure or on its qualifier)
                lures = [o for o in _children(token, _OBJECTS) if self._lure(o)]
                if lures:
                    holders = [token, *lures, *(c for o in lures for c in o.children)]
                    heads = [
                        h
                        for holder in holders
                        for h in prepositional_objects(holder, syntax.recipient_prepositions)
                    ]
                    heads += [
                        o
                        for p in token.children
                        if p.dep_ in _PREPOSITIONS and _lemma(p) in syntax.recipient_prepositions
                        for c in _children(p, frozenset({"conj"}))
                        for o in _children(c, frozenset({"pobj"}))
                    ]
                    return [(token, heads + _children(token, frozenset({"dative", "iobj"})))]
            elif lemma in syntax.under_verbs and not self.unreal(token):
                # "Acme came under a cyberattack", "the site is under a DDoS attack"
                attacks = prepositional_objects(token, syntax.under_prepositions)
                if any(_lemma(a) in syntax.attack_nouns for a in attacks):
                    return [(token, self._victim_subjects(token))]
        if (
            lemma in syntax.ransom_nouns
            and token.pos_ == "NOUN"  # not "DDoS for Bitcoin"
            and _lemma(token.head) in syntax.ransom_prepositions
        ):
            # "took Acme's server for ransom", "data held for ransom": what is held
            host = token.head.head
            if host.pos_ in ("NOUN", "PROPN"):
                return [(token, [host])]
            if host.pos_ in ("VERB", "AUX") and not self.unreal(host):
                held = _children(host, _PASSIVE_SUBJECTS) or _children(host, _OBJECTS)
                return [(token, held)]
        if token.dep_ == "amod" and token.lower_ in syntax.victim_adjectives:
            # "affected institutions including X"; not "the affected software includes
            # Acrobat": what a flaw affects is a product
            if _lemma(token.head) in syntax.product_nouns:
                return []
            return [(token, [token.head])]
        if (
            token.lower_ in syntax.victim_adjectives
            and _participle(token)
            and _hung_on_noun(token)
            and _lemma(token.head) not in syntax.product_nouns
            and not self.unreal(token)
            and self._by_an_attack(token)
        ):
            # "the organisations impacted by WannaCry", "the first firms to be affected":
            # the noun the participle hangs on, as for "affected institutions", and the
            # examples the parser may hang on the participle ("affected by it, including X")
            return [
                (token, [token.head, *prepositional_objects(token, syntax.example_prepositions)])
            ]
        if token.pos_ == "NOUN" and lemma in syntax.attack_nouns:
            if any(_lemma(c) in syntax.kinetic_qualifiers for c in token.children):
                return []  # « l'attaque chimique de Douma », "a terrorist attack on X"
            if self._governed_unreal(token):
                return []  # "the flaw could lead to attacks on X"
            heads = prepositional_objects(token, syntax.prepositions)
            if lemma in syntax.taking_nouns:  # "the theft of $308 million from Velora"
                heads += prepositional_objects(token, self._taken_from)
            if lemma in syntax.suffered_nouns:  # "Acme's data breach" (not "Russia's attack")
                heads += _children(token, frozenset({"poss"}))
            # "the Equifax breach", "the Yahoo and LinkedIn breaches": a named entity (the
            # tagger may call it a noun), not a kind of attack ("DDoS attacks")
            heads += [
                c
                for c in token.children
                if c.dep_ in ("compound", "nmod")
                and c.i < token.i
                and (c.pos_ == "PROPN" or c.text[:1].isupper())
                and c.ent_type_ in _NAMED_ENTITIES | {"PRODUCT"}
            ]
            return [(token, heads)]
        if lemma in syntax.victim_nouns and _children(token, _COPULAS | _PASSIVE_AUXILIARIES):
            # « la mairie a été victime d'une cyberattaque »: the parse of Universal
            # Dependencies makes the noun the head of its copula (the tagger may take it
            # for a passive participle) and of the subject
            subjects = _children(token, _SUBJECTS | _PASSIVE_SUBJECTS)
            if not subjects and token.dep_ == "xcomp":
                # « Optelis a annoncé avoir été victime d'une cyberattaque »: the subject
                # of the verb the infinitive hangs on
                subjects = _children(token.head, _SUBJECTS)
            if not subjects:
                subjects = _bare_subjects(token)
            return [] if self.unreal(token) else [(token, subjects)]
        if lemma in syntax.victim_nouns and token.dep_ in _ATTRIBUTES and not _own_object(token):
            verb = token.head
            if verb.pos_ in ("VERB", "AUX") and not self.unreal(verb):
                return [(token, self._victim_subjects(verb))]
        if lemma in syntax.victim_nouns:
            # "Among the victims were Acme and Globex", « Parmi les victimes figure X »
            members = self._among_members(token)
            if members is not None:
                return [(token, members)]
            # "the victims have included the Port of Acme", "some of the victims included"
            subject = token
            while subject.dep_ == "pobj" and subject.head.head.i != subject.head.i:
                subject = subject.head.head
            verb = subject.head
            if subject.dep_ in _SUBJECTS and _lemma(verb) in syntax.example_verbs:
                return [(token, _children(verb, _OBJECTS))]
        return []

    def _speaker_of(self, pronoun: Token, verb: Token) -> Token:
        """Who a pronoun subject of a clause of speech stands for ("Acme said it was
        hacked", "Acme and Globex admitted they were conned": Acme, and Globex with it);
        any other subject stays as it is."""
        if pronoun.pos_ != "PRON" or verb.dep_ != "ccomp":
            return pronoun
        speech = verb.head
        if _lemma(speech) not in self._speaker_cues:
            return pronoun
        # quoted words are the speaker's: "they" there is someone else
        low, high = sorted((speech.i, pronoun.i))
        if any(t.text in _QUOTES for t in pronoun.doc[low:high]):
            return pronoun
        speakers = [s for s in _children(speech, _SUBJECTS) if s.pos_ != "PRON"]
        return speakers[0] if speakers else pronoun

    def _victim_subjects(self, verb: Token) -> list[Token]:
        """The subjects of ``verb``, a pronoun in what a speaker says standing for the
        speaker ("West Haven officials said they paid the ransom")."""
        return [self._speaker_of(s, verb) for s in self._subjects(verb)]

    def _subjects(self, verb: Token) -> list[Token]:
        """The subjects of ``verb``; a relative pronoun stands for the noun it hangs on
        ("MedStar Health, which suffered an attack")."""
        subjects = _children(verb, _SUBJECTS | _PASSIVE_SUBJECTS)
        if not subjects and verb.dep_ in ("xcomp", "conj") and verb.head.i != verb.i:
            # "Acme reveals to have suffered a breach"; "X posed as a supplier and
            # deceived two firms": the subject is shared
            return self._subjects(verb.head)
        if not subjects and verb.dep_ == "pcomp" and verb.head.head.pos_ in ("VERB", "AUX"):
            # "Acme made the news by paying the ransom": the subject of the verb the
            # preposition hangs on
            return self._subjects(verb.head.head)
        return [verb.head if _lemma(s) in self.syntax.relative_pronouns else s for s in subjects]

    def unreal(self, verb: Token) -> bool:
        """The act is only possible ("could let attackers compromise", "allows an attacker
        to access"), a trial ("researchers tested their attack on X": ``trial_verbs``) or
        denied ("no customers were hacked"). A clause hung after the main
        one, or a coordinated verb with its own auxiliary or subject, keeps its own
        polarity: "Microsoft did not warn until hackers released exploits stolen from the
        NSA", "the attack was not targeted at X and is affecting Y" tell real acts."""
        current = verb
        negations = True
        for _ in range(4):
            for child in current.children:
                if negations and (
                    child.dep_ == "neg"
                    or (child.dep_ == "advmod" and _lemma(child) in ("not", "never", "ne", "pas"))
                ):
                    return True
                if child.dep_.startswith("aux") and _lemma(child) in self.syntax.modals:
                    perfect = any(
                        c.dep_.startswith("aux") and _lemma(c) == "have" for c in current.children
                    )
                    if not perfect:
                        return True
            lemma = _lemma(current)
            if lemma in self.syntax.enabling_verbs or lemma in self.syntax.trial_verbs:
                return True  # "allows an attacker to", "researchers tested the attack on"
            if current.dep_ not in _CLAUSE_LINKS or current.head.i == current.i:
                return False
            if (
                # not an infinitive, which tells a purpose: "left in the open for people
                # to steal"
                current.dep_ == "advcl" and current.head.i < current.i and current.tag_ != "VB"
            ) or (current.dep_ == "conj" and _children(current, _AUXILIARIES | _SUBJECTS)):
                negations = False
            current = current.head
        return False

    def _owned(self, token: Token) -> bool:
        counted = self._counted(token)
        if counted:  # "millions of Acme accounts"
            return any(self._owned(thing) for thing in counted)
        # the form too: the English lemma of "data" is "datum"
        owned = self.syntax.owned_nouns
        return _lemma(token) in owned or token.lower_ in owned

    def _counted(self, token: Token) -> list[Token]:
        """What a quantity counts ("thousands of Acme customers", "all of Acme's
        branches", « des milliers de clients »); nothing for any other word."""
        if _lemma(token) not in self.syntax.quantities and token.ent_type_ != "CARDINAL":
            return []
        return prepositional_objects(token, self.syntax.name_prepositions)

    def _pays_ransom(self, verb: Token) -> bool:
        """A real payment of a ransom: its object, or what it is paid in, is a ransom ("paid
        the ransom", "pay 2 bitcoins", "paid $25,000 in bitcoin"), or it is paid to get
        something back ("paid $40,000 to regain access", "to get its files back":
        ``recovery_verbs``, "get back" = a lemma and its particle). Its payer is a victim,
        and so is one that will not pay a ransom ("the city refused to pay the ransom"):
        it was asked for one."""
        syntax = self.syntax
        paid = _children(verb, _OBJECTS)
        # "paid $25,000 in bitcoin", « payé 25 000 dollars en bitcoins »: what it is paid in
        paid += prepositional_objects(verb, syntax.payment_prepositions)
        paid += [
            p for o in list(paid) for p in prepositional_objects(o, syntax.payment_prepositions)
        ]
        for thing in paid:
            words = _with_modifiers(thing)
            if any(_lemma(w) in syntax.ransom_nouns for w in words):
                return True
        if self.unreal(verb):
            return False
        for purpose in verb.children:
            if purpose.dep_ not in ("advcl", "xcomp"):
                continue
            # the parser may take the particle for an adverb: "to get its files back"
            particles = [
                _lemma(c) for c in purpose.children if c.dep_ in ("prt", "compound:prt", "advmod")
            ]
            forms = {_lemma(purpose), *(f"{_lemma(purpose)} {p}" for p in particles)}
            if forms & syntax.recovery_verbs:
                return True
        return False

    def _owner(self, token: Token) -> list[Token]:
        """Whose the data or systems are: "Acme's customers", "the network of Acme",
        "the Acme servers", "records belonging to Acme", "a server used by Acme"
        (``belonging_verbs``)."""
        owners = _children(token, frozenset({"poss"}))
        # a possessive determiner (« leurs téléphones »: Universal Dependencies make it a
        # determiner marked Poss=Yes, where English parses make "their" a "poss")
        owners += [c for c in token.children if c.dep_ == "det" and _possessive(c)]
        owners += prepositional_objects(token, self.syntax.owner_prepositions)
        # "systems at 300 of its hotels": where the systems are is whose they are
        owners += prepositional_objects(token, self.syntax.site_prepositions)
        for verb in token.children:  # "records belonging to Acme"
            if verb.dep_ in ("acl", "relcl", "acl:relcl") and (
                _lemma(verb) in self.syntax.belonging_verbs
            ):
                owners += prepositional_objects(verb, self.syntax.belonging_prepositions)
                # "a server used by Acme": the agent of the participle
                owners += [a for a in self._agents(verb) if a not in owners]
        if not owners:  # "Acme customers" ("Android" may be read as an adjective)
            owners = [
                c for c in token.children if c.dep_ in ("compound", "amod") and c.pos_ == "PROPN"
            ]
        return [self._pronoun_owner(o) if o.pos_ == "PRON" or _possessive(o) else o for o in owners]

    def _pronoun_owner(self, pronoun: Token) -> Token:
        """Who a possessive pronoun stands for: the subject of a causative verb whose
        participle it hangs on ("Acme's customers had their data stolen"), the subject
        of the main clause for one in an adverbial clause ("After hackers breached its
        network, Acme shut down"), else the speaker (``_speaker_owning``)."""
        verb = _clause_verb(pronoun)
        if verb.dep_ == "advcl" and "3" in pronoun.morph.get("Person", ["3"]):
            subjects = [s for s in _children(verb.head, _SUBJECTS) if s.pos_ != "PRON"]
            if subjects:
                return subjects[0]
        # the participle hangs on "have" ("had their data stolen"), or on its object
        # ("had [their cards] stolen")
        have = verb.head if self._undergone(verb) else verb
        if _lemma(have) in self.syntax.causative_verbs and have.pos_ in ("VERB", "AUX"):
            subjects = [s for s in _children(have, _SUBJECTS) if s.pos_ != "PRON"]
            if subjects:
                return subjects[0]
        return self._speaker_owning(pronoun)

    def _users_of(self, head: Token, name: Span) -> tuple[int, int] | None:
        """The phrase "<name> <people>" when ``name`` qualifies ``head``, a noun of
        people (``user_nouns``: "Android users", "Gmail customers")."""
        if _lemma(head) not in self.syntax.user_nouns or head.i != name.end:
            return None
        return name.start_char, head.idx + len(head.text)

    def _speaker_owning(self, pronoun: Token) -> Token:
        """Who a possessive pronoun in what a speaker says stands for: the speaker, when
        no name stands between them ("Acme said systems at 300 of its hotels were
        breached"; not "Acme said hackers robbed Globex and its clients")."""
        verb = _clause_verb(pronoun)
        speaker = self._speaker_of(pronoun, verb)
        if speaker is pronoun or any(t.pos_ == "PROPN" for t in verb.subtree if t.i < pronoun.i):
            return pronoun
        return speaker

    def _lure(self, thing: Token) -> bool:
        """A lure: a message noun qualified as one ("phishing emails", « courriels
        piégés », « courriels d'hameçonnage »)."""
        return _lemma(thing) in self.syntax.lure_nouns and any(
            _lemma(c) in self.syntax.lure_qualifiers or c.lower_ in self.syntax.lure_qualifiers
            for c in thing.children
        )

    def _names(self, head: Token, depth: int) -> list[tuple[Span, bool]]:
        """The named phrases a victim head stands for: itself, the members of a list it
        opens, the owner of the data or systems it names, and the place it is said to
        be in ("targets in Palestine", "customers in the UK": the victims' country)."""
        if depth > 3:
            return []
        counted = self._counted(head)
        if head.pos_ == "PRON" and not counted:
            return []
        names: list[tuple[Span, bool]] = []
        if counted:  # "thousands of Acme customers": what is counted
            names += [n for thing in counted for n in self._names(thing, depth + 1)]
            # « une dizaine de députés et des membres de X »: the list goes on
            names += [n for m in _children(head, _LIST_LINKS) for n in self._names(m, depth)]
        elif self._owned(head):
            names += [n for owner in self._owner(head) for n in self._names(owner, depth + 1)]
        else:
            if (located := self._based_in(head)) is not None:
                names.append((located, True))  # "an Oregon-based lender": where it is
            span = self._name_span(head) or self._trailing_name(head) or self._antecedent(head)
            if located is not None and any(
                m.dep_ == "appos" and m.left_edge.i == head.i + 1 and _name_word(m)
                for m in head.rights
            ):
                # "the Singapore-based exchange Tessara": the name right after says who
                span = None
            if span is not None:
                names.append((span, False))
            else:  # "300 of its hotels", said by their owner
                for pronoun in _children(head, frozenset({"poss"})):
                    speaker = self._speaker_owning(pronoun)
                    if speaker is not pronoun:
                        names += self._names(speaker, depth + 1)
            members = _children(head, _LIST_LINKS)
            if span is not None:
                members += _hung_on_complement(head, span)
            for member in members:
                if member.dep_ == "appos" and (
                    (head.pos_ == "PROPN" and member.ent_type_ in ("GPE", "LOC"))
                    or (_parenthesised(member) and member.ent_type_ in _PLACES)
                ):
                    # "Licking County, Ohio", « la mairie de Valmont (Isère) »: where the
                    # victim is, not another one
                    names.append((member.doc[member.i : member.i + 1], True))
                    continue
                names += self._names(member, depth)  # a list is as deep as its head
        for member in self._among_members(head) or ():  # "among the firms hit was Acme"
            names += self._names(member, depth + 1)
        for example in self._examples(head):
            if _lemma(example) not in self.syntax.data_nouns:  # "including Medicare numbers"
                names += self._names(example, depth + 1)
        for place in prepositional_objects(head, self.syntax.place_prepositions):
            for member in (place, *_children(place, _LIST_LINKS)):
                if member.ent_type_ in _PLACES:
                    # the whole name: "New York", not "York"
                    whole = self._name_span(member) or member.doc[member.i : member.i + 1]
                    names.append((whole, True))
                elif member is not place and member.dep_ == "conj":
                    # "the Health Service in the UK, Globex and Initech": the parser hangs
                    # the rest of the list on the place
                    names += self._names(member, depth + 1)
        return names

    def _trailing_name(self, head: Token) -> Span | None:
        """The name closing a common noun's phrase, hung by the parse on the noun's
        complement with no preposition of its own (« l'opérateur de télécommunications
        Valtéo », where "Valtéo" hangs on « télécommunications »): the victim's name."""
        if head.pos_ != "NOUN":
            return None
        last = head.right_edge
        holder = last.head
        if (
            last.i == head.i
            or not _name_word(last)
            or last.dep_ not in ("nmod", "appos", "flat", "flat:name", "compound")
            or _children(last, frozenset({"case"}))
            or holder.i == head.i
            or holder.pos_ != "NOUN"
            or holder.head.i != head.i
        ):
            return None
        return self._name_span(last) or last.doc[last.i : last.i + 1]

    def _based_in(self, head: Token) -> Span | None:
        """The place a common noun is said to be in by a hyphenated qualifier ("an
        Oregon-based lender", "a Paris-headquartered firm": ``located_verbs``), when no
        other proper noun names it; else None. (The phrase stays a victim's name too:
        "two US-based internet companies" is what the article calls them.)"""
        if head.pos_ == "PROPN":
            return None
        for child in head.lefts:
            if _lemma(child) not in self.syntax.located_verbs:
                continue
            places = [g for g in child.lefts if g.ent_type_ in _PLACES or g.pos_ == "PROPN"]
            others = [t for t in head.lefts if t is not child and t not in places and _name_word(t)]
            if places and not others and any(g.text == "-" for g in child.lefts):
                place = places[0]
                return self._name_span(place) or head.doc[place.i : place.i + 1]
        return None

    def _antecedent(self, head: Token) -> Span | None:
        """The name, said before, that a definite singular common noun (not a system, a
        product or data) stands for: the last organisation or place named whose name
        has that noun for head ("Madison County ... the county", "the University of Leeds ...
        the university"), or the last organisation named for a noun any may go by
        (``organisation_nouns``: "the company"), a few sentences before at most
        (``_ANTECEDENT_CHARS``)."""
        determiners = [c for c in head.children if c.dep_ == "det"]
        syntax = self.syntax
        things = syntax.owned_nouns | syntax.product_nouns | syntax.data_nouns
        if (
            head.pos_ != "NOUN"
            or _lemma(head) in things  # "the database" is no organisation
            or "Plur" in head.morph.get("Number", [])
            or not determiners
            or not all(_lemma(d) in syntax.definite_determiners for d in determiners)
            or any(c.dep_ in ("compound", "amod", "poss", "nmod") for c in head.children)
        ):
            return None
        doc: Doc = head.doc
        word = head.lower_
        # "the company": the last organisation named, whatever its name
        generic = _lemma(head) in syntax.organisation_nouns
        for ent in reversed(doc.ents):
            if ent.end_char > head.idx or head.idx - ent.start_char > _ANTECEDENT_CHARS:
                continue
            if (ent.label_ == "ORG" and generic) or (
                ent.label_ in _ANTECEDENT_TYPES
                and len(ent) > 1
                and ent.root.lower_ == word  # its head: not "National Vulnerability Database"
            ):
                start = ent.start
                while doc[start].pos_ == "DET":  # "the City of Atlanta"
                    start += 1
                return doc[start : ent.end]
        return None

    def _undergone(self, verb: Token) -> bool:
        """A participle after a causative "have" ("Acme had its data stolen")."""
        return (
            verb.tag_ == "VBN"
            and verb.dep_ in ("ccomp", "xcomp", "oprd")
            and _lemma(verb.head) in self.syntax.causative_verbs
        )

    def _done_by_an_attack(self, verb: Token) -> bool:
        """The verb's subject is an attack or a weapon ("a ransomware attack", "the
        malware"), and the verb tells a real act."""
        things = self.syntax.attack_nouns | self.syntax.weapons
        return not self.unreal(verb) and any(
            _lemma(s) in things for s in _children(verb, _SUBJECTS)
        )

    def _among_members(self, head: Token) -> list[Token] | None:
        """What is said to stand among the victims ``head`` names: the subjects and
        objects of the verb its "among" phrase hangs on ("Among the organisations hit
        was Acme", "Acme hotels are among the locations that were victims"); None where
        ``head`` stands in no "among" phrase hung on a verb."""
        among = _children(head, frozenset({"case"})) or ([head.head] if head.dep_ == "pobj" else [])
        if not any(_lemma(a) in self.syntax.among_prepositions for a in among):
            return None
        verb = head.head.head if head.dep_ == "pobj" else head.head
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        # « Parmi les entreprises touchées figure X »: the French model may make X an
        # argument oblique of « figurer »
        links = _SUBJECTS | _OBJECTS | {"attr", "obl:arg"}
        return [c for c in verb.children if c.dep_ in links and c.i != head.i]

    def _examples(self, head: Token) -> list[Token]:
        """What a victim phrase is said to include: "hotels, including Acme Inn", "the
        hotels that were hit, which included Acme Inn", "customers ... include Acme"."""
        found = prepositional_objects(head, self.syntax.example_prepositions)
        # « les entreprises touchées, dont Acme et Globex » (a relative clause without a
        # verb, opened by « dont »)
        found += [
            clause
            for clause in head.children
            if clause.dep_ in _RELATIVES
            and clause.pos_ in ("NOUN", "PROPN")
            and any(_lemma(c) in self.syntax.example_prepositions for c in clause.children)
        ]
        for verb in head.children:
            if verb.dep_ in _RELATIVES and _lemma(verb) in self.syntax.example_verbs:
                found += _children(verb, _OBJECTS)
        verb = head.head
        if head.dep_ in _SUBJECTS and _lemma(verb) in self.syntax.example_verbs:
            found += _children(verb, _OBJECTS)
        return found

    def _name_span(self, head: Token) -> Span | None:
        """The words naming ``head``: its modifiers before it (and a flat name after
        it), when a proper noun is among them."""
        doc: Doc = head.doc
        start = head.i
        for child in sorted(head.lefts, key=lambda t: -t.i):
            if child.right_edge.i == start - 1 and _joining_hyphen(child):
                start = child.i  # "Retina-X": a hyphen inside the name
                continue
            if child.dep_ not in _NAME_PARTS or child.right_edge.i != start - 1:
                break
            start = child.left_edge.i
        end = head.i + 1
        for child in head.rights:
            # a flat name goes on ("Hooli Bank"); a proper noun completes a common one
            # after it (« la mairie de Sartrouville », « le groupe Vandelay »)
            cases = {_lemma(g) for g in child.children if g.dep_ == "case"}
            completes = (
                child.pos_ == "PROPN"
                and child.dep_ in ("nmod", "amod")
                and cases <= self.syntax.owner_prepositions
            )
            # a name goes on with its complement ("the University of Havana", "the city
            # of Atlanta")
            completes = completes or (
                (head.pos_ == "PROPN" or _lemma(head) in self.syntax.body_nouns)
                and child.dep_ in _PREPOSITIONS
                and _lemma(child) in self.syntax.name_prepositions
                and any(g.dep_ == "pobj" and g.pos_ == "PROPN" for g in child.children)
            )
            if child.left_edge.i == end and child.dep_ in ("flat", "flat:name"):
                end = child.right_edge.i + 1
            elif child.left_edge.i == end and child.dep_ == "amod" and child.pos_ == "ADJ":
                # an adjective after the noun (« le centre hospitalier de Vernay »): the
                # complement after it may still complete the name
                end = child.right_edge.i + 1
            elif child.left_edge.i == end and completes:
                # the complement's own name only: « l'hôpital de Brest la semaine
                # dernière » names the hospital of Brest
                end = _name_end(child) if child.pos_ == "PROPN" else _complement_end(child)
                if head.pos_ != "PROPN" and head.ent_type_ not in _NAMED_ENTITIES:
                    start = head.i  # "the Belgian city of Antwerp" is the city of Antwerp
        # an organisation's name the recogniser reads past its head (« la Banque de
        # Lituanie », « la Banque nationale de Vandelay »: the tagger may call every
        # word of it a common noun)
        if head.ent_type_ == "ORG" and _name_word(head):
            entity = next((e for e in doc.ents if e.start <= head.i < e.end), None)
            if entity is not None and entity.label_ == "ORG" and entity.end > end:
                end = entity.end
        while start < head.i and (
            doc[start].pos_ in ("DET", "PUNCT", "CCONJ", "ADP")
            or _lemma(doc[start]) in self.syntax.example_prepositions  # « dont Acme »
        ):
            start += 1
        words = doc[start:end]
        named = any(_name_word(t) or t.ent_type_ in _PLACES for t in words)
        # a date or a figure is no victim ("the attack on May 12", "an attack on 3
        # servers"); a proper noun without a digit the recogniser took for one still is
        not_name = head.ent_type_ in _NOT_NAMES and (
            head.pos_ != "PROPN" or head.ent_type_ in _DATES or any(t.like_num for t in words)
        )
        if not named or not_name:
            return None
        return words


def _clause_verb(token: Token) -> Token:
    """The verb of the clause a word stands in: its first verb ancestor (the root when
    there is none)."""
    verb = token.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    return verb


def _names_a_place(preposition: Token) -> bool:
    """The preposition's object is a proper noun or a place the recogniser found."""
    return any(
        o.pos_ == "PROPN" or o.ent_type_ in _PLACES
        for o in preposition.children
        if o.dep_ in ("pobj", "obj")
    )


def _with_conjuncts(tokens: Iterable[Token]) -> list[Token]:
    """The tokens and the names listed after them ("Volkov, Sorin and Ignatov"; the
    parse may call the second name an apposition, the list going on from it)."""
    found: list[Token] = []
    todo = list(tokens)
    while todo:
        token = todo.pop(0)
        if token in found:
            continue
        found.append(token)
        todo += [
            c
            for c in token.children
            if c.pos_ == "PROPN"
            and (
                c.dep_ == "conj"
                or (c.dep_ == "appos" and any(g.dep_ in ("cc", "conj") for g in c.children))
            )
        ]
    return found


def _parenthesised(token: Token) -> bool:
    """The word stands alone between parentheses (« Valmont (Isère) »)."""
    doc = token.doc
    return (
        0 < token.i < len(doc) - 1 and doc[token.i - 1].text == "(" and doc[token.i + 1].text == ")"
    )


def _joining_hyphen(token: Token) -> bool:
    """A hyphen written between two words without spaces ("Retina-X")."""
    return (
        token.text == "-"
        and not token.whitespace_
        and token.i > 0
        and not (token.doc[token.i - 1].whitespace_)
    )


def _name_end(token: Token) -> int:
    """The index after a proper noun and the flat names that go on from it."""
    end = token.i + 1
    for child in token.rights:
        if child.dep_ in ("flat", "flat:name", "compound") and child.left_edge.i == end:
            end = child.right_edge.i + 1
    return end


def _hung_on_complement(head: Token, span: Span) -> list[Token]:
    """The members of a list the parser hung on a word of a name other than its head:
    "Globex" a conjunct of "Avalon" in "the Port of Avalon, Globex and Initech", "the
    Port" in apposition to "Brisk" in "the town of Brisk, the Port of Lune and ..."."""
    return [
        c
        for t in span
        if t.i != head.i
        for c in t.children
        if c.i >= span.end and (c.dep_ == "conj" or _determined_name(c))
    ]


def _determined_name(token: Token) -> bool:
    """A proper noun in apposition that opens with its own determiner: the next member
    of a list, not another name of the same thing."""
    return (
        token.dep_ == "appos"
        and token.pos_ == "PROPN"
        and any(c.dep_ == "det" and c.i < token.i for c in token.children)
    )


def _own_object(token: Token) -> bool:
    """The noun is the object of its subject's act on what is its own ("the gang picked
    its targets", « le groupe choisit ses cibles »): the subject has them, it is not
    one ("Acme became the gang's latest victim" is no object)."""
    if token.dep_ not in ("dobj", "obj"):
        return False
    return any(
        c.dep_ == "poss" or (c.dep_ == "det" and "Yes" in c.morph.get("Poss", []))
        for c in token.children
    )


def _complement_end(preposition: Token) -> int:
    """The index after a name's complement ("of Havana"). The parser may hang the rest of
    a list on it ("the Port of Avalon, Globex and Initech": "Globex" a conjunct of
    "Avalon"): then the complement ends with its object's own name, unless the entity
    recogniser reads one name through the list ("the Department of Health and Human
    Services") or the list is of bare dictionary words ("the Bureau of Alcohol, Tobacco,
    Firearms and Explosives"; "the city of Newark, the Port of Lune and six clinics" is
    three victims: their own determiners open them)."""
    last = preposition.right_edge.i
    objects = [o for o in preposition.children if o.dep_ in ("pobj", "obj")]
    if len(objects) != 1 or objects[0].pos_ != "PROPN" or _one_entity(preposition.head, last):
        return int(last) + 1
    members = [c for c in objects[0].subtree if c.dep_ == "conj"]
    words = ordinary_words()
    if all(
        is_ordinary_word(m.text, words) and not _children(m, frozenset({"det", "nummod"}))
        for m in members
    ):
        return int(last) + 1
    return _name_end(objects[0])


def _one_entity(token: Token, last: int) -> bool:
    """The entity the recogniser found at ``token`` runs on to index ``last``."""
    return any(e.start <= token.i and last < e.end for e in token.doc.ents)


def _with_modifiers(thing: Token) -> list[Token]:
    """A noun and the words that qualify it ("spyware tools", "a $5 million ransom")."""
    return [thing, *(c for c in thing.children if c.dep_ in ("compound", "amod"))]
