"""Sentence-level claim rules: attribution, sponsorship, targeting, use, response, impact.

Input: the article's folded text, its sentences and mentions, the language's rules;
output: Claim values with their evidence. Rules are data (extract/rules/<lang>.json);
this module only knows the roles they play.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from cyberveille.extract.cues import (
    Cue,
    CueHit,
    HitIndex,
    RuleSet,
    only_quotes_between,
    pattern_regex,
)
from cyberveille.extract.figures import FigureFinder
from cyberveille.extract.fold import fold
from cyberveille.extract.mentions import SentenceInfo, evidence_in, initials
from cyberveille.extract.subdivisions import country_of_subdivision
from cyberveille.extract.victim_syntax import VictimSpan
from cyberveille.kb.entity import Entity
from cyberveille.kb.normalize import split_camel_case
from cyberveille.kb.wordlist import is_ordinary_word, ordinary_words
from cyberveille.types import AttributionType, Claim, Evidence, Mention, Modality

Resolve = Callable[[str], Entity | None]

_ACCUSED_KINDS = {"threat_actor", "agency", "country"}
# An auxiliary right before an accusation cue makes it passive ("sont accusés", "was charged").
_AGENT_RE = re.compile(r"(?<![\w])(?:par|by)\s+")
_PASSIVE_BEFORE = re.compile(
    r"(?<![\w])(?:est|sont|ete|etait|etaient|sera|seront|was|were|been|is|are|be)\s+"
    r"(?:\w+\s+)?$"
)
_ACCUSER_KINDS = {"institution", "country"}
_TYPE_BY_INSTITUTION: dict[str, AttributionType] = {
    "justice": "indictment",
    "sanctions": "sanctions",
    "company": "technical_report",
    "media": "media_report",
}


@dataclass
class ArticleContext:
    """What earlier sentences established (for light coreference)."""

    last_actor: Mention | None = None
    last_accused: list[Mention] = field(default_factory=list)
    pending_join: tuple[list[Mention], SentenceInfo, list[str]] | None = None
    accused_ids: set[str] = field(default_factory=set)
    #: who accused last, and in which sentence (for "It said ..." right after)
    last_accusers: tuple[list[Mention], int] = ([], -9)


@dataclass(frozen=True)
class SentenceClaims:
    """The claims of one sentence and what segmentation needs from it."""

    claims: tuple[Claim, ...]
    response_keys: tuple[str, ...]
    refers_back: bool = False  # « le groupe », "the attack": it continues the story told
    #: words referring back to the last named actor (« le groupe », "the hackers"), as
    #: mentions of that actor
    coreferences: tuple[Mention, ...] = ()
    #: words referring back to the incident itself ("the attack", « l'attaque »), not
    #: only to its doers
    names_the_incident: bool = False


def _once_each(claims: Sequence[Claim]) -> tuple[Claim, ...]:
    """One claim per fact of a sentence: two cue words telling the same victim ("a été
    victime", "victime") make one claim holding both cues. Relations stay one per name
    ("Mercury/MuddyWater"): they count the mentions of an actor named only to compare."""
    merged: dict[Claim | int, Claim] = {}
    for index, claim in enumerate(claims):
        if claim.kind == "relation":
            merged[index] = claim
            continue
        key = replace(claim, evidence=replace(claim.evidence, cues=()))
        first = merged.get(key)
        if first is None:
            merged[key] = claim
            continue
        cues = tuple(dict.fromkeys([*first.evidence.cues, *claim.evidence.cues]))
        merged[key] = replace(first, evidence=replace(first.evidence, cues=cues))
    return tuple(merged.values())


def _one_name_per_victim(found: list[SentenceClaims]) -> list[SentenceClaims]:
    """An organisation the article names both in full and by its initials ("the Kenya
    Revenue Authority (KRA)", later "KRA") is one victim, under its full name."""
    names = {
        c.object[4:]
        for s in found
        for c in s.claims
        if c.kind == "targeting" and c.object and c.object.startswith("org:")
    }
    full: dict[str, str] = {}
    for name in sorted(names, key=lambda n: (-len(n), n)):  # longest first, stable
        words = name.split()
        if words and words[0].casefold() in ("the", "la", "le", "les", "l'"):
            words = words[1:]
        short = initials(" ".join(words))
        if len(short) >= 2 and short in names and short not in full:
            full[short] = name
    if not full:
        return found

    def under_full_name(claim: Claim) -> Claim:
        if claim.kind == "targeting" and claim.object and claim.object.startswith("org:"):
            name = full.get(claim.object[4:])
            if name is not None:
                return replace(claim, object=f"org:{name}")
        return claim

    return [
        replace(s, claims=tuple(dict.fromkeys(under_full_name(c) for c in s.claims))) for s in found
    ]


def _relayed(claim: Claim, reporter: tuple[str, str | None]) -> Claim:
    """An attribution the outlet states on its own, in an article relaying a security
    company's findings, is that company's technical report; a denial stays the denier's
    ("Russia has always denied...")."""
    if (
        claim.kind != "attribution"
        or claim.accuser
        or claim.attribution_type not in ("media_report", "technical_report")
        or claim.modality == "denied"
    ):
        return claim
    accuser, country = reporter
    return replace(
        claim, accuser=accuser, accuser_country=country, attribution_type="technical_report"
    )


#: What joins two clauses that may each have their own subject.
_CLAUSE_SEPARATOR = re.compile(r",\s+(?:and|while|whereas|et|tandis que|alors que)\s+|;\s+")


#: Lower-case words opening a victim's phrase, right before its capitalised name: what
#: the victim is ("the telecoms operator Optelis", « le laboratoire Globex »).
_DESCRIPTOR = re.compile(r"^(?:[^\W\d_A-Z\u00c0-\u00de][\w'\u2019-]*\s+)+(?=[A-Z\u00c0-\u00de0-9])")
#: Words after which the capitalised words complete a common noun into a name (« la
#: mairie de Brest », "the University of Havana"): no descriptor there.
_NAME_LINKS = frozenset({"de", "du", "des", "d'", "d\u2019", "of", "for", "la", "le", "les"})


def _without_descriptor(name: str) -> str:
    """A victim's name without the lower-case words that say what it is, where the name
    follows them directly (« opérateur télécoms Optelis » -> Optelis; not « mairie de
    Brest », whose name is the whole phrase)."""
    descriptor = _DESCRIPTOR.match(name)
    if descriptor is None:
        return name
    last = descriptor.group().split()[-1].casefold()
    if last in _NAME_LINKS or last.endswith(("'", "\u2019")):
        return name
    return name[descriptor.end() :]


#: Marks that end a phrase inside a sentence: a comma, a semicolon, a colon.
_PHRASE_MARK = re.compile(r"[,;:]")


def _unbroken(text: str) -> bool:
    """No comma, semicolon or colon in ``text``: the words around it are one phrase."""
    return _PHRASE_MARK.search(text) is None


def _in_aside(folded: str, mention: Mention, start: int, end: int) -> bool:
    """The mention stands between two commas, both between ``start`` and ``end``."""
    if not start <= mention.start < end:
        return False
    opened = folded.rfind(",", start, mention.start)
    return opened != -1 and folded.find(",", mention.end, end) != -1


def _in_sentence(evidence: Evidence, sentence: SentenceInfo) -> Evidence:
    """The evidence of a fact read in a clause, given as its whole sentence."""
    return replace(evidence, sentence=sentence.text, start=sentence.start, end=sentence.end)


#: Where a clause ends: what follows is no longer what the comparison names.
_CLAUSE_END = re.compile(r";|\s(?:but|while|whereas|mais|tandis)\s|,\s(?:which|who|qui)\s")
_NAME_GOES_ON = re.compile(r"[ \t]+[A-Z][a-z]")
#: What opens an apposition or a relative clause after a name: a comma, then an article,
#: a relative pronoun or the next word at once ("X, a group believed to...", "X, believed
#: to be...").
_APPOSITION_TO = re.compile(
    r"\s*,\s*(?:(?:a|an|the|which|who|that|un|une|le|la|les|qui|dont)\b.*)?", re.DOTALL
)
_CONJUNCTION = re.compile(r"\b(?:and|et)\b|&")
#: What may open a sentence before its first word: spaces and opening quotes.
_OPENING = re.compile(r"^[\s\"'\u201c\u00ab]+")
_LIST_SEPARATOR = re.compile(r"\s*(?:,|,?\s*(?:and|et|&))\s*(?:(?:the|le|la|les|l)\s+)?")


def _listed_with(mention: Mention, others: Sequence[Mention], folded: str) -> bool:
    """``mention`` stands in one enumeration with one of ``others`` ("CISA, the FBI, and
    the NSA"): only a comma, "and"/« et » and an article between them."""
    for other in others:
        first, second = (other, mention) if other.end <= mention.start else (mention, other)
        if first.end <= second.start and _LIST_SEPARATOR.fullmatch(folded, first.end, second.start):
            return True
    return False


def hacktivist_named(rules: RuleSet, name: str) -> bool:
    """The name is a hacktivist group's (rules ``hacktivist_names``: "X Cyber Army"), as
    written or with words glued in camel case read apart ("XCyberArmy")."""
    names = rules["hacktivist_names"]
    return bool(names.find(fold(name)) or names.find(fold(split_camel_case(name))))


# who may sign an act: hackers named by their nationality or their group (not an agency)
_SIGNERS = frozenset({"country", "threat_actor"})


def _self_attribution(evidence: Evidence, actor: Mention) -> Claim:
    """The actor claims its own act (« X a revendiqué », a defacement signed X)."""
    value = mention_value(actor)
    return Claim(
        kind="attribution",
        evidence=evidence,
        subject=value,
        accuser=value,
        attribution_type="self_attribution",
    )


def _victim_value(mention: Mention) -> str:
    """A victim's claim value: ``org:<surface>`` for an organisation the NER found (the
    knowledge base does not know it), else the mention's value."""
    return f"org:{mention.text}" if mention.kind == "organisation" else mention_value(mention)


def _passive(verb: CueHit, auxiliaries: Sequence[CueHit], folded: str) -> bool:
    """The attack verb is in the passive: "was (reportedly) attacked", « a été (gravement)
    touchée »; "have been attacking" is active."""
    return _passive_start(verb, auxiliaries, folded) is not None


def _passive_start(verb: CueHit, auxiliaries: Sequence[CueHit], folded: str) -> int | None:
    """Where the passive form of an attack verb starts (its auxiliary), else None."""
    words = folded[verb.start : verb.end].split()
    if words and words[0].endswith("ing"):  # "are spying on": the cue's verb is active
        return None
    for aux in auxiliaries:
        between = folded[aux.end : verb.start].split()
        adverbs = all(word.endswith(("ly", "ment")) for word in between)
        if aux.end <= verb.start and len(between) <= 1 and adverbs:
            return aux.start
    return None


#: The cue sections whose words tell of something done: an attack verb, an incident's
#: type, a deed noun, a word referring back to the incident.
_DEED_SECTIONS = ("targeting", "incident_types", "sponsored_deeds", "incident_coref")


@lru_cache(maxsize=64)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``words`` (folded) as whole words; one ending with an apostrophe (« d' »)
    is glued to the next word."""
    alternatives = "|".join(
        re.escape(fold(w)) + ("" if w.endswith("'") else r"(?![\w])") for w in words
    )
    return re.compile(rf"(?<![\w'])(?:{alternatives})")


@lru_cache(maxsize=64)
def _rule_words(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the one-word rule ``patterns`` ("sanction*", « procédure* »), read as the
    cue sections read theirs (folded, ``*`` for any ending), to match one folded word."""
    return re.compile("|".join(pattern_regex(p) for p in patterns))


def _first_run(
    mentions: Sequence[Mention],
    text: str,
    gap: int = 25,
    breaks: Sequence[CueHit] = (),
    aliases: Sequence[CueHit] = (),
) -> list[Mention]:
    """The first mentions of a list that follow each other closely ("la Chine et le MSS");
    a word of ``breaks`` between two ends it ("accusing Qatar of dealing with Iran"); a
    word of ``aliases`` before a threat actor lets the run reach it further ("a
    China-nexus espionage group it tracks as UNC7714")."""
    run = [mentions[0]]
    for mention in mentions[1:]:
        between = text[run[-1].end : mention.start]
        named = mention.kind == "threat_actor" and any(
            run[-1].end <= a.start and a.end <= mention.start for a in aliases
        )
        if len(between) > (_ALIAS_GAP if named else gap) or any(
            mark in between for mark in ".;:»\u201d("
        ):
            break
        if any(run[-1].end <= b.start and b.end <= mention.start for b in breaks):
            break
        run.append(mention)
    return run


def _common_words(name: str) -> bool:
    """A name made of dictionary words only ("Hacker", tagged a person by the NER)."""
    words = ordinary_words()
    return all(is_ordinary_word(w, words) for w in name.split())


def _complement_in(cue: CueHit, folded: str, end: int) -> re.Match[str] | None:
    """The first of the cue's ``complement`` prepositions in ``folded[cue.end:end]``
    (offsets relative to ``cue.end``)."""
    alternatives = "|".join(re.escape(fold(w)) for w in cue.cue.get("complement"))
    return re.search(r"\b(?:" + alternatives + r")\b", folded[cue.end : end])  # « à » is "a"


def mention_value(mention: Mention) -> str:
    """The canonical id of a mention, else its surface as ``text:...``."""
    return mention.canonical_id or f"text:{mention.text}"


# How many words may stand between a sponsorship cue and the actor (or the attacker
# noun) it is said of.
_ACTOR_GAP = 6
_DOER_GAP = 3
#: Words that may stand between a denial and the attack it denies ("not aware of any").
_DENIAL_GAP = 3
_DEED_GAP = 12
# Characters between two names of one list ("Saudi and Emirati", « la Chine et la Russie »).
_LIST_GAP = 8
#: Characters between a qualifier and the actor an alias word names after it ("a
#: China-nexus espionage group it tracks as UNC7714").
_ALIAS_GAP = 60

# Words that may stand between a sector's word and the passive attack verb it is hit by.
_SECTOR_GAP = 5
# How sure a mention found by light coreference is: less than a name the KB resolved.
_COREFERENCE_CONFIDENCE = 0.5
# Kinds of names that can be a victim, and of those that never are.
_VICTIM_KINDS = frozenset({"organisation", "institution", "agency", "country", "sector", "person"})
_NEVER_VICTIMS = frozenset(
    {"threat_actor", "malware", "tool", "product", "vulnerability", "operation"}
)
_PARSE_CUE = Cue("(parse)", "targeting")
# the sections whose cue a negation before it denies ("not linked to X")
_NEGATABLE = frozenset({"attribution", "sponsorship"})

# A sentence this short is a headline: a bare event noun after its victim is a cue.
HEADLINE_WORDS = 12
_PLAIN_WORD = re.compile(r"[\w'-]+")
# what stands before a speech verb whose speaker follows it ("..., said X", '..." said X')
_INVERSION_BEFORE = re.compile(r"[,\"\u201d\u00bb']\s*$")
_FULL_STOP = re.compile(r"[.!?]\s")  # ends a phrase, inside a sentence the splitter kept whole
_POSSESSIVE_END = re.compile(r"\s*['\u2019]s?$")  # "Carnegie Mellon's" names Carnegie Mellon


class ClaimExtractor:
    """Applies one language's rules to the sentences of an article."""

    def __init__(self, rules: RuleSet, resolve: Resolve) -> None:
        self.rules = rules
        self.resolve = resolve
        self.figures = FigureFinder(rules)
        self._place_words = frozenset(
            fold(w) for w in rules.victim_syntax.get("place_prepositions", ())
        )
        self._name_prepositions = frozenset(
            fold(w) for w in rules.victim_syntax.get("name_prepositions", ())
        )
        self._topic_prepositions = frozenset(
            fold(w) for w in rules.victim_syntax.get("topic_prepositions", ())
        )
        self._articles = frozenset(
            fold(w) for w in rules.victim_syntax.get("definite_determiners", ())
        )
        # the attack nouns, folded: what a targeting cue's ``not_after`` words give way to
        self._attack_nouns = tuple(fold(w) for w in rules.victim_syntax.get("attack_nouns", ()))
        # the prepositions that give what is attributed its author (« attribue au », "to"):
        # those of the attribution cues' complements
        self._author_prepositions = frozenset(
            fold(w) for c in rules["attribution"].cues for w in c.get("complement") or ()
        )
        self._text = ""
        # by the span read: a sentence, or one of its clauses (_clause_attributions)
        self._modalities: dict[tuple[int, int], tuple[Modality, bool, list[str]]] = {}
        self._names: list[tuple[int, int]] = []
        # (section, span) -> _hits: a sentence's readers ask for the same section often
        self._hit_memo: dict[tuple[str, int, int], list[CueHit]] = {}
        # the sentence's clauses that accuse on their own (see _clause_attributions)
        self._clause_bounds: list[tuple[int, int]] = []
        self._parsed_victims: dict[int, list[VictimSpan]] = {}
        self._parsed_doers: dict[int, list[tuple[int, int]]] = {}
        self._unreal_acts: frozenset[int] = frozenset()
        self._adverbial: Sequence[tuple[int, int]] = ()
        self._objects: Sequence[tuple[int, int]] = ()
        self._relays_vendors = False
        self.index = HitIndex(rules, "")

    def extract(
        self,
        article_id: str,
        text: str,
        folded: str,
        sentences: Sequence[SentenceInfo],
        mentions: Sequence[Mention],
        speakers: dict[int, Mention] | None = None,
        parsed_victims: dict[int, list[VictimSpan]] | None = None,
        parsed_doers: dict[int, list[tuple[int, int]]] | None = None,
        unreal_acts: Sequence[tuple[int, int]] = (),
        adverbial_clauses: Sequence[tuple[int, int]] = (),
        object_phrases: Sequence[tuple[int, int]] = (),
    ) -> list[SentenceClaims]:
        """Claims of every sentence of one article, in order (``folded`` = fold(text)).

        ``speakers`` maps the index of a quoted sentence to the state or institution quoted;
        ``parsed_victims`` the index of a sentence to the victims its parse names, and
        ``parsed_doers`` to the phrases naming who attacks; ``unreal_acts`` are the spans
        of the attack words the parse shows told only as possible or denied (their
        victims are none); ``adverbial_clauses`` the spans of the clauses the parse
        shows adverbial (an attack told in one names no victim outside it);
        ``object_phrases`` the spans of the verbs' direct objects (no one named there
        accuses).
        """
        self._text = text
        self._modalities = {}
        self._parsed_victims = parsed_victims or {}
        self._parsed_doers = parsed_doers or {}
        self._unreal_acts = frozenset(start for start, _ in unreal_acts)
        self._adverbial = adverbial_clauses
        self._objects = object_phrases
        self.index = HitIndex(self.rules, folded)
        self._hit_memo = {}
        # an article naming a group that security vendors track relays their research
        # when it names the state behind an attack (not a crew no vendor tracks)
        self._relays_vendors = any(self._vendor_tracked(m) for m in mentions)
        context = ArticleContext()
        by_sentence: dict[int, list[Mention]] = {}
        for mention in mentions:
            by_sentence.setdefault(mention.sentence_index, []).append(mention)
        speakers = speakers or {}
        found = [
            self.sentence_claims(
                article_id, folded, s, by_sentence.get(s.index, []), context, speakers.get(s.index)
            )
            for s in sentences
        ]
        found = _one_name_per_victim(found)
        # a company that tells of its own breach relays no findings ("Google admitted it
        # was conned")
        victims = {c.object for s in found for c in s.claims if c.kind == "targeting"}
        reporter = self._reporting_company(sentences, by_sentence, victims)
        if reporter is None:
            return found
        return [replace(s, claims=tuple(_relayed(c, reporter) for c in s.claims)) for s in found]

    def _reporting_company(
        self,
        sentences: Sequence[SentenceInfo],
        by_sentence: dict[int, list[Mention]],
        victims: set[str | None],
    ) -> tuple[str, str | None] | None:
        """The first security company the article names as the author of findings
        ("ESET discovered", "according to FireEye", "researchers at Trend Micro"): a
        company mention in a sentence with a findings or source cue, not one of the
        article's ``victims``; its id (``text:`` for one the KB lacks, named as a security
        company) and its country."""
        for sentence in sentences:
            if not self.index.within("findings", sentence.start, sentence.end) and not any(
                self.index.within(section, sentence.start, sentence.end)
                for section in ("source_before", "source_after")
            ):
                continue
            for mention in by_sentence.get(sentence.index, []):
                if mention.kind != "institution" or mention_value(mention) in victims:
                    continue
                if not mention.canonical_id:
                    return mention_value(mention), None
                entity = self.resolve(mention.canonical_id)
                if entity is not None and entity.institution_type == "company":
                    return entity.id, entity.country
        return None

    # -- helpers ---------------------------------------------------------------------

    def _hits(self, section: str, folded: str, sentence: SentenceInfo) -> list[CueHit]:
        """Hits of a section in the sentence, except inside a name ("United States") or a
        phrase where its words mean something else ("left behind": ``false_friends``)."""
        key = (section, sentence.start, sentence.end)
        memo = self._hit_memo.get(key)
        if memo is not None:
            return list(memo)
        hits = [
            h
            for h in self.index.within(section, sentence.start, sentence.end)
            if not any(h.start < end and start < h.end for start, end in self._names)
            and not self.index.covering("false_friends", h.start, h.end)
        ]
        if section in _NEGATABLE:
            hits = [h for h in hits if not self._negated(h, folded, sentence)]
        self._hit_memo[key] = hits
        return list(hits)

    def _not_blamed(
        self, folded: str, sentence: SentenceInfo, mentions: Sequence[Mention]
    ) -> list[Mention]:
        """The names a few words after a negated attribution or sponsorship cue."""
        negated = [
            h
            for section in _NEGATABLE
            for h in self.index.within(section, sentence.start, sentence.end)
            if self._negated(h, folded, sentence)
        ]
        return [
            m
            for m in mentions
            if any(h.end <= m.start and len(folded[h.end : m.start].split()) <= 6 for h in negated)
        ]

    def _negated(self, hit: CueHit, folded: str, sentence: SentenceInfo) -> bool:
        """A negation (rules ``negations``) at most three words before the cue, in its
        clause: "are not believed to be connected to X", "were not working for X"."""
        for negation in self.index.within(
            "negations", max(sentence.start, hit.start - 40), hit.start
        ):
            between = folded[negation.end : hit.start]
            if len(between.split()) <= 3 and not re.search(
                r"[,;:]|\bonly\b|\bseulement\b", between
            ):
                return True
        return False

    def _attacks(self, folded: str, sentence: SentenceInfo) -> list[CueHit]:
        """Targeting hits of the sentence that tell a real act: not an attack word the
        parse shows only possible or denied ("a flaw that could let attackers compromise
        X": X is what the flaw exposes, not a victim), nor a word that means vulnerable
        in a sentence about a flaw (``flaw_sense``: "versions before 2.5 are affected",
        "the affected devices" of a bug), nor, for a cue marked ``accented``, a word
        written without its accent (« pirates » the attackers, where « piraté » is the act:
        cues match folded text)."""
        hits = [
            h
            for h in self._hits("targeting", folded, sentence)
            if not any(h.start <= start < h.end for start in self._unreal_acts)
            and not (
                h.cue.get("accented") and self._text[h.start : h.end] == folded[h.start : h.end]
            )
            and not self._after_response(h, folded, sentence)
        ]
        if any(h.cue.get("flaw_sense") for h in hits) and self._hits(
            "flaw_words", folded, sentence
        ):
            hits = [h for h in hits if not h.cue.get("flaw_sense")]
        return hits

    def _prospective(self, hit: CueHit, folded: str, sentence: SentenceInfo) -> bool:
        """The response is only threatened, weighed or called for, not taken: a word of
        rules ``prospective_responses`` at most three words before it ("stood ready to
        impose sanctions", « envisage des sanctions »)."""
        return any(
            len(folded[h.end : hit.start].split()) <= 3
            for h in self._hits("prospective_responses", folded, sentence)
            if h.end <= hit.start
        )

    def _after_response(self, hit: CueHit, folded: str, sentence: SentenceInfo) -> bool:
        """The cue follows one of its ``not_after`` words with no attack noun between
        them: « des sanctions contre six officiers et contre l'unité X », "charges
        against two men" name whom a response aims at, not a victim; "sanctions over
        the attacks against X" still names one."""
        words = hit.cue.get("not_after")
        if not words:
            return False
        response = _rule_words(tuple(words))
        for word in reversed(_PLAIN_WORD.findall(folded[sentence.start : hit.start])):
            if word.startswith(self._attack_nouns):
                return False
            if response.fullmatch(word):
                return True
        return False

    def _qualifier_before(
        self, hit: CueHit, folded: str, mentions: Sequence[Mention], accusers: Sequence[Mention]
    ) -> Mention | None:
        """The state or agency named at most two plain words before ``hit`` ("Russian
        state-sponsored", "China's state-backed", "the Iranian government-backed")."""
        before = [
            m
            for m in mentions
            if m.end <= hit.start and m.kind in ("agency", "country") and m not in accusers
        ]
        if not before:
            return None
        words = folded[before[-1].end : hit.start].split()
        if len(words) > 2 or not all(_PLAIN_WORD.fullmatch(w) for w in words):
            return None
        return before[-1]

    def _sponsor_after(
        self,
        hit: CueHit,
        mentions: Sequence[Mention],
        accusers: Sequence[Mention],
        past_actors: bool = True,
    ) -> Mention | None:
        """The first state or agency named within 60 characters after ``hit``, or within
        the cue's ``window`` ("linked to China", not "linked to an IP address mentioned in
        a US report"); unless ``past_actors``, none when a threat actor comes first ("part
        of APT3 hacked into the American networks": the group is what the hackers belong
        to). A state whose own agency is named right after it stands for that agency
        ("linked to Russia's military intelligence agency, the GRU")."""
        after = [
            m
            for m in mentions
            if m.start >= hit.end
            and m.kind in ("agency", "country", "threat_actor")
            and m not in accusers
        ]
        if not past_actors and after and after[0].kind == "threat_actor":
            return None
        after = [m for m in after if m.kind != "threat_actor"]
        if not after or after[0].start - hit.end > int(hit.cue.get("window", 60)):
            return None
        state = after[0]
        for agency in after[1:]:
            if agency.start - state.end > 50 or agency.kind != "agency":
                break
            entity = self.resolve(agency.canonical_id or "")
            same_state = (
                entity is not None
                and entity.country is not None
                and f"country:{entity.country.upper()}" == state.canonical_id
            )
            if same_state and not re.search(r"[.;()]", self._text[state.end : agency.start]):
                return agency
        return state

    def _accusable(
        self,
        mention: Mention,
        cue_type: str | None,
        cue: CueHit,
        sentence: SentenceInfo,
        folded: str,
    ) -> bool:
        """Actors, agencies and states can be accused; a person too when the cue charges or
        sanctions people ("Darius Valenkovas was charged", "indicted five officers") and
        the person is in the cue's own clause (no reporting verb between, within 80
        characters), not the prosecutor who speaks."""
        if mention.kind == "country" and self._stance(mention, against_only=True):
            return False  # "anti-Georgia hackers" are against Georgia, not Georgia's
        if (
            mention.kind == "country"
            and cue.end <= mention.start
            and cue.cue.get("structure", "active") == "active"
            and self._placed(mention)
        ):
            return False  # "charged ... he registered a company in Latvia": a place
        if mention.kind == "country" and cue_type == "sanctions":
            # "sanctioned Russia over the hack"; not "their attempts to sanction Russia"
            # with no deed in sight: sanctions on a whole state are seldom a cyber matter
            return self._tells_of_a_deed(folded, sentence)
        if mention.kind in _ACCUSED_KINDS:
            return True
        if mention.kind != "person":
            return False
        if cue_type not in ("indictment", "sanctions"):
            # "the DOJ accused Mr Doe of forging invoices": the person the accusing verb
            # names right after it (its object), whoever accuses; "Mr Doe, 48, is accused
            # of": the subject of the verb in the passive, a few words before it
            if cue.cue.get("structure", "active") != "active" or _common_words(mention.text):
                return False
            if cue.end <= mention.start:
                return len(folded[cue.end : mention.start].split()) <= 1
            return (
                mention.end <= cue.start
                and len(folded[mention.end : cue.start].split()) <= 4
                and _PASSIVE_BEFORE.search(folded, max(0, cue.start - 24), cue.start) is not None
                and self._participle_form(cue, folded)
                and not any(
                    mention.end <= h.start < cue.start
                    for section in ("source_before", "speech")
                    for h in self._hits(section, folded, sentence)
                )
            )
        start, end = (
            (mention.end, cue.start) if mention.end <= cue.start else (cue.end, mention.start)
        )
        if end - start > 80:
            return False
        return not any(
            start <= h.start < end
            for section in ("source_before", "speech")
            for h in self._hits(section, folded, sentence)
        )

    def _placed(self, mention: Mention) -> bool:
        """The state is named as where something is: a place preposition (rules
        ``victim_syntax`` ``place_prepositions``: "in", « en ») right before it, after a
        noun that is no attacker ("a company in Latvia", not "hackers in Russia")."""
        before = fold(self._text[max(0, mention.start - 40) : mention.start]).split()
        if len(before) < 2 or before[-1] not in self._place_words:
            return False
        return not self.index.within("attacker_nouns", mention.start - 40, mention.start)

    def _stance(self, mention: Mention, against_only: bool = False) -> bool:
        """The name is inside a stance word ("anti-Israel", "pro-Russian": rules
        ``stance_prefixes``; ``against`` marks those against it)."""
        window = (max(0, mention.start - 6), mention.end + 40)
        return any(
            h.start < mention.start
            and mention.end <= h.end
            and (h.cue.get("against") or not against_only)
            for h in self.index.within("stance_prefixes", *window)
        )

    def _in_attacker_phrase(self, mention: Mention, folded: str, sentence: SentenceInfo) -> bool:
        """True when a state is named as the attackers' nationality ("pirates chinois")."""
        if mention.kind != "country" or self._stance(mention, against_only=True):
            return False  # "anti-Georgia hackers" are not Georgia's ("pro-Russian" may be)
        agents = set(self.rules.victim_syntax.get("agent_prepositions", ()))
        aimed = self.index.within(
            "targeting", max(sentence.start, mention.start - 40), mention.start
        )
        if any(
            h.end <= mention.start
            and len(gap := folded[h.end : mention.start].split()) <= 1
            and not set(gap) & agents  # "defaced by Moldovan hacktivists": the doers
            and not any(  # « des pirates allemands »: "pirat*" is the attackers' noun
                n.start <= h.start and h.end <= n.end
                for n in self.index.within("attacker_nouns", h.start, h.end)
            )
            for h in aimed
        ):
            return False  # "a campaign against Pakistani nationals": the targets
        if any(
            v.start <= mention.start and mention.end <= v.end
            for v in self._parsed_victims.get(sentence.index, [])
        ):
            return False  # "stole the data of Russian army officers": the parse's victims
        if self._based_in(mention, folded, sentence):
            return True
        window_start = max(sentence.start, mention.start - 30)
        window_end = min(sentence.end, mention.end + 30)
        for hit in self.index.within("attacker_nouns", window_start, window_end):
            if self.index.covering("false_friends", hit.start, hit.end):
                continue  # "an American spy plane"
            before = folded[hit.end : mention.start]
            after = folded[mention.end : hit.start]
            if hit.cue.get("adjacent"):
                if self._inside_name(mention, hit):
                    continue  # "Insurance Australia Group": a company's name
                # "US progressive groups" are no attackers; "Chinese group" and "Chinese
                # Winnti Group" (a name in between) are
                span = (
                    (hit.end, mention.start)
                    if hit.end <= mention.start
                    else (mention.end, hit.start)
                )
                if not all(w[:1].isupper() for w in self._text[span[0] : span[1]].split()):
                    continue
            apart = (
                (hit.end, mention.start) if hit.end <= mention.start else (mention.end, hit.start)
            )
            if self.index.within("attribution", *apart):
                continue  # "Estonia accused hackers": the accuser, not the hackers' state
            if self.rules.adjective_after_noun:  # « pirates (informatiques) chinois »
                if hit.end <= mention.start and len(before.split()) <= 1 and _unbroken(before):
                    return True
            elif mention.end <= hit.start and len(after.split()) <= 1 and _unbroken(after):
                return True  # "Chinese (state) hackers"
        return False

    def _holder_split(
        self, cue: CueHit, folded: str, sentence: SentenceInfo, mentions: Sequence[Mention]
    ) -> list[CueHit]:
        """The holding verb (rules ``holding_verbs``: "held", « tient ») a few words before a
        "responsible" cue with a name between them, no comma: "Germany held China
        responsible for", not "APT28 is considered responsible for"."""
        for hit in reversed(self._hits("holding_verbs", folded, sentence)):
            gap = folded[hit.end : cue.start]
            if hit.end > cue.start or len(gap.split()) > 6 or "," in gap:
                continue
            if any(hit.end <= m.start and m.end <= cue.start for m in mentions):
                return [hit]
        return []

    def _inside_name(self, mention: Mention, hit: CueHit) -> bool:
        """The state's name stands inside a longer capitalised name ending with the noun
        right after it ("Insurance Australia Group"): a capitalised word that opens no
        sentence right before the state, the noun capitalised too."""
        if hit.start < mention.end or not self._text[hit.start : hit.start + 1].isupper():
            return False
        before = self._text[max(0, mention.start - 40) : mention.start]
        word = re.search(r"([A-Z][\w&.-]*)\s+$", before)
        if word is None:
            return False
        ahead = before[: word.start()].rstrip()
        return bool(ahead) and ahead[-1] not in '.!?"\u201c:'

    def _based_in(self, mention: Mention, folded: str, sentence: SentenceInfo) -> bool:
        """The attackers are said to be based in the state ("the hackers are believed to
        be based in Russia", « des pirates basés en Chine »; rules ``based_in``): the cue
        right before the state, an attacker noun a few words before the cue, with neither
        an attack verb nor a comma between (not "hackers targeted a firm based in Ohio")."""
        for hit in self.index.within(
            "based_in", max(sentence.start, mention.start - 40), mention.start
        ):
            if len(folded[hit.end : mention.start].split()) > 2:
                continue
            for noun in self.index.within(
                "attacker_nouns", max(sentence.start, hit.start - 60), hit.start
            ):
                gap = folded[noun.end : hit.start]
                if (
                    len(gap.split()) <= 6
                    and "," not in gap.strip().lstrip(",")  # an apposition may open
                    and not self.index.within("targeting", noun.end, hit.start)
                ):
                    return True
        return False

    def _doer_noun_before(self, cue: CueHit, folded: str, sentence: SentenceInfo) -> bool:
        """A noun for the doers stands right before the cue ("the group behind", « les
        pirates derrière »): rules ``actor_coref`` or ``attacker_nouns``."""
        return any(
            h.end <= cue.start and not folded[h.end : cue.start].strip()
            for section in ("actor_coref", "attacker_nouns")
            for h in self._hits(section, folded, sentence)
        )

    def _same_side(self, accuser: str, accused: str) -> bool:
        """The accuser is the accused, or a body of the accused's state."""
        if accuser == accused:
            return True
        country = self._country_of(accuser)
        return country is not None and country == self._country_of(accused)

    def _country_of(self, value: str) -> str | None:
        if value.startswith("country:"):
            return value.split(":", 1)[1]
        entity = self.resolve(value)
        return entity.country if entity else None

    def _attribution_type(
        self, accuser: Mention | None, cue_type: str | None, relays_vendors: bool = False
    ) -> AttributionType:
        """The type from the cue (indictment, sanctions), else from the accuser; the outlet
        relaying security vendors (``relays_vendors``: it names a vendor-tracked group or
        uses their words) on its own relays a technical report."""
        if cue_type in ("indictment", "sanctions"):
            return cue_type  # type: ignore[return-value]
        if accuser is None:
            return "technical_report" if relays_vendors else "media_report"
        if accuser.kind == "institution" and accuser.canonical_id:
            entity = self.resolve(accuser.canonical_id)
            if entity and entity.institution_type in _TYPE_BY_INSTITUTION:
                return _TYPE_BY_INSTITUTION[entity.institution_type]
        elif accuser.kind == "institution":
            # a security company the KB lacks, named as one ("researchers at Kestrel Labs";
            # extract/discover.py named_companies)
            return "technical_report"
        return "political_statement"

    def _denials(self, folded: str, sentence: SentenceInfo) -> list[CueHit]:
        return [  # "denial of service" names an attack, not a denial
            h
            for h in self._hits("deny", folded, sentence)
            if not self.index.covering("incident_types", h.start, h.end)
        ]

    def _counter_accusation(
        self,
        folded: str,
        sentence: SentenceInfo,
        hits: Sequence[CueHit],
        accuser: Mention | None,
        target: Mention,
    ) -> bool:
        """The one who denies turns accuser ("X rejected the findings, accusing Y of..."):
        the denial comes first, then the accuser, the accusation's cue and its accused.
        That accusation is asserted; the denial is of another one."""
        deny = self._denials(folded, sentence)
        if accuser is None or not deny or not hits or accuser.canonical_id == target.canonical_id:
            return False
        return accuser.end <= hits[0].start and deny[0].end <= hits[0].start < target.start

    def _denied_by_another(
        self, folded: str, sentence: SentenceInfo, accuser: Mention | None
    ) -> bool:
        """The accuser is named after the denial, as the author of what is denied
        ("Beijing dismissed as groundless an accusation by the Netherlands that..."): its
        own accusation stands firm; the denial is the denier's (a response)."""
        deny = self._denials(folded, sentence)
        return accuser is not None and bool(deny) and deny[0].end <= accuser.start

    def _modality(self, folded: str, sentence: SentenceInfo) -> tuple[Modality, bool, list[str]]:
        """The accuser's firmness the sentence tells, whether the outlet hedges, and the
        cue words (computed once per sentence)."""
        span = (sentence.start, sentence.end)
        known = self._modalities.get(span)
        if known is None:
            known = self._modalities[span] = self._read_modality(folded, sentence)
        modality, hedged, cues = known
        return modality, hedged, list(cues)

    def _read_modality(
        self, folded: str, sentence: SentenceInfo
    ) -> tuple[Modality, bool, list[str]]:
        cues: list[str] = []
        deny = self._denials(folded, sentence)
        hedge = self._hits("hedge_accuser", folded, sentence)
        outlet = self._hits("hedge_outlet", folded, sentence)
        modality: Modality = "asserted"
        if deny:
            modality = "denied"
            cues += [self._text[h.start : h.end] for h in deny]
        elif hedge:
            # "assessed with high confidence", "almost certainly": a firm assessment
            firm = self._hits("firm_accuser", folded, sentence)
            modality = "asserted" if firm else "alleged"
            cues += [self._text[h.start : h.end] for h in firm or hedge]
        if outlet:
            cues += [self._text[h.start : h.end] for h in outlet]
        return modality, bool(outlet), cues

    def _evidence(self, article_id: str, sentence: SentenceInfo, cues: Sequence[str]) -> Evidence:
        return evidence_in(article_id, sentence, cues)

    # -- rules -----------------------------------------------------------------------

    def sentence_claims(
        self,
        article_id: str,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        context: ArticleContext,
        speaker: Mention | None = None,
    ) -> SentenceClaims:
        """Every claim of one sentence; updates ``context`` for the next sentences.

        ``speaker`` is the state or institution quoted when the sentence is inside a quote:
        what the quote says about sponsors is then an attribution by the speaker.
        """
        self._names = [(m.start, m.end) for m in mentions if m.kind != "sector"]
        self._hit_memo = {}  # they hang on the names
        claims: list[Claim] = []
        coref_actor = self._coref_actor(folded, sentence, context)
        related = self._related_actors(folded, sentence, mentions)
        named = mentions  # a related actor's own sponsor is still read ("state-sponsored X")
        if related:
            # an actor named to compare it is neither accused nor a doer in this sentence
            mentions = [m for m in mentions if m not in related]
        actors = [m for m in mentions if m.kind == "threat_actor"]
        subject_actor = actors[0] if actors else coref_actor
        for other in related:
            about = next((m for m in actors if m.end <= other.start), None) or coref_actor
            claims.append(
                Claim(
                    kind="relation",
                    evidence=self._evidence(article_id, sentence, [other.text]),
                    subject=mention_value(about) if about is not None else None,
                    object=mention_value(other),
                )
            )

        attributions, accused, accusers = self._clause_attributions(
            article_id, folded, sentence, mentions, context
        )
        claims += attributions
        claims += self._self_attributions(article_id, folded, sentence, actors)
        sponsorships, sponsors = self._sponsorships(
            article_id, folded, sentence, named, subject_actor, accusers
        )
        claims += sponsorships
        if speaker is None and not attributions and sponsors:
            attacker_ids = {
                id(m) for m in mentions if self._in_attacker_phrase(m, folded, sentence)
            }
            sources = self._explicit_sources(folded, sentence, mentions, attacker_ids)
            # "Microsoft said a Chinese state-sponsored group...": the reporting verb's subject
            sources += self._reporting_sources(folded, sentence, mentions)
            speaker = next((m for m in sources if m not in sponsors), None)
        if speaker is not None and not attributions:
            # the speaker accuses the sponsored actor too ("Mandiant assessed that APT41
            # conducted the intrusions on behalf of the Chinese government")
            sponsored = {c.subject for c in sponsorships if c.subject}
            quoted = list(
                dict.fromkeys(
                    [
                        *(m for m in actors if mention_value(m) in sponsored),
                        *sponsors,
                        *(m for m in mentions if self._in_attacker_phrase(m, folded, sentence)),
                    ]
                )
            )
            if quoted:
                claims += self._attribution_claims(
                    article_id, folded, sentence, [], quoted, [speaker], None
                )
                accused = quoted
        excluded = {id(m) for m in accused} | {id(m) for m in accusers} | {id(m) for m in sponsors}
        for mention in (*accused, *sponsors):
            if mention.canonical_id:
                context.accused_ids.add(mention.canonical_id)
                country = self._country_of(mention.canonical_id)
                if country:  # the state of an accused agency is not a victim either
                    context.accused_ids.add(f"country:{country}")
        # who a negated cue says is not behind it is no victim either ("declined to blame
        # Russia for the attack")
        not_blamed = self._not_blamed(folded, sentence, mentions)
        excluded |= {id(m) for m in not_blamed}
        cleared = {m.canonical_id for m in not_blamed if m.canonical_id}
        reported = self._targeting(
            article_id,
            folded,
            sentence,
            mentions,
            subject_actor,
            excluded,
            context.accused_ids | cleared,
        )
        reported += self._uses(article_id, sentence, mentions, subject_actor)
        claims += self._as_the_outlet_tells(reported, folded, sentence)
        responses, response_keys = self._responses(
            article_id, folded, sentence, mentions, accusers, claims
        )
        claims += responses
        claims += self._as_the_outlet_tells(
            self._impacts(article_id, folded, sentence), folded, sentence
        )

        if actors:
            context.last_actor = actors[-1]
        if accused:
            context.last_accused = accused
        names_the_incident = bool(self._hits("incident_coref", folded, sentence))
        refers_back = names_the_incident or self._names_actor_by_coref(folded, sentence)
        coreferences = self._coreferences(sentence, coref_actor, actors)
        return SentenceClaims(
            _once_each(claims), tuple(response_keys), refers_back, coreferences, names_the_incident
        )

    def _as_the_outlet_tells(
        self, claims: Sequence[Claim], folded: str, sentence: SentenceInfo
    ) -> list[Claim]:
        """``claims`` of what happened (a victim hit, a flaw used, a figure) hedged by the
        outlet where the sentence hedges ("was reportedly hacked", « aurait été piraté »,
        "according to X"), with the hedge among their cues."""
        if not claims or not self._modality(folded, sentence)[1]:  # the cached sentence reading
            return list(claims)
        hedges = [self._text[h.start : h.end] for h in self._hits("hedge_outlet", folded, sentence)]
        return [
            replace(
                claim,
                hedged_by_outlet=True,
                evidence=replace(
                    claim.evidence,
                    cues=tuple(dict.fromkeys([*claim.evidence.cues, *(h.strip() for h in hedges)])),
                ),
            )
            for claim in claims
        ]

    def _coreferences(
        self, sentence: SentenceInfo, last: Mention | None, actors: Sequence[Mention]
    ) -> tuple[Mention, ...]:
        """The words of ``actor_coref`` with no name right after them, as mentions of the
        actor they refer back to (« le groupe » -> the last named actor: one named before
        them in the sentence, else ``last``); none where the sentence names an actor after
        them ("The group that claimed it, CyberBerkut, ..." names its own)."""
        found: list[Mention] = []
        if last is None and not actors:
            return ()
        for hit in self._hits("actor_coref", self.index.folded, sentence):
            if self._names_follow(hit) or any(a.start >= hit.end for a in actors):
                continue
            if any(start < hit.end and hit.start < end for start, end in self._names):
                continue
            actor = next((a for a in reversed(actors) if a.end <= hit.start), last)
            if actor is not None and actor.canonical_id:
                found.append(
                    Mention(
                        "threat_actor",
                        self._text[hit.start : hit.end],
                        hit.start,
                        hit.end,
                        sentence.index,
                        actor.canonical_id,
                        _COREFERENCE_CONFIDENCE,
                    )
                )
        return tuple(found)

    def _related_actors(
        self, folded: str, sentence: SentenceInfo, mentions: Sequence[Mention]
    ) -> list[Mention]:
        """Threat actors named after a comparison ("overlap with those of X", "reminiscent
        of X", "affiliated with X", « similaire à X »; rules ``actor_relations``): those
        within 90 characters of the cue (or the cue's ``window``) and before the clause
        ends ("but", ";")."""
        related: list[Mention] = []
        for hit in self._hits("actor_relations", folded, sentence):
            end = min(sentence.end, hit.end + int(hit.cue.get("window") or 90))
            stop = _CLAUSE_END.search(folded, hit.end, end)
            if stop is not None:
                end = stop.start()
            related += [
                m
                for m in mentions
                if m.kind == "threat_actor" and hit.end <= m.start < end and m not in related
            ]
        return related

    def _coref_actor(
        self, folded: str, sentence: SentenceInfo, context: ArticleContext
    ) -> Mention | None:
        if context.last_actor and self._names_actor_by_coref(folded, sentence):
            return context.last_actor
        return None

    def _names_actor_by_coref(self, folded: str, sentence: SentenceInfo) -> bool:
        """« le groupe », "the hackers" without a name right after them (« le groupe APT28 »)."""
        return any(not self._names_follow(h) for h in self._hits("actor_coref", folded, sentence))

    def _under_condition(self, mention: Mention, folded: str, sentence: SentenceInfo) -> bool:
        """The name stands in a condition or an open question, in the clause a word of
        rules ``conditionals`` opens ("if it's from a Russian actor")."""
        return any(
            _unbroken(folded[h.end : mention.start])
            for h in self.index.within("conditionals", sentence.start, mention.start)
        )

    def _names_follow(self, hit: CueHit) -> bool:
        """True when a name follows the cue right away (« le groupe APT28 »)."""
        return any(0 <= start - hit.end <= 2 for start, _ in self._names)

    def _clause_attributions(
        self,
        article_id: str,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        context: ArticleContext,
    ) -> tuple[list[Claim], list[Mention], list[Mention]]:
        """The attributions of each clause that has an accuser and a cue of its own ("The
        Treasury sanctioned three officers, and the Justice Department unsealed an
        indictment charging five nationals": two accusers, two accusations), read as the
        sentence's (the evidence is the whole sentence)."""
        self._clause_bounds = self._clauses(folded, sentence, mentions)
        if len(self._clause_bounds) == 1:
            return self._attributions(article_id, folded, sentence, mentions, context)
        claims: list[Claim] = []
        accused: list[Mention] = []
        accusers: list[Mention] = []
        for start, end in self._clause_bounds:
            clause = SentenceInfo(sentence.index, start, end, self._text[start:end])
            inside = [m for m in mentions if start <= m.start and m.end <= end]
            found, blamed, blaming = self._attributions(article_id, folded, clause, inside, context)
            claims += [replace(c, evidence=_in_sentence(c.evidence, sentence)) for c in found]
            accused += [m for m in blamed if m not in accused]
            accusers += [m for m in blaming if m not in accusers]
        return claims, accused, accusers

    def _clauses(
        self, folded: str, sentence: SentenceInfo, mentions: Sequence[Mention]
    ) -> list[tuple[int, int]]:
        """The sentence cut where a clause with an accuser and an attribution cue of its own
        begins: after a clause separator (", and", ";", « , et »), a state or an
        institution, then the cue."""
        hits = self._hits("attribution", folded, sentence)
        cuts: list[tuple[int, int]] = []
        for before, after in itertools.pairwise(hits):
            for separator in _CLAUSE_SEPARATOR.finditer(folded, before.end, after.start):
                if any(
                    m.kind in _ACCUSER_KINDS and separator.end() <= m.start and m.end <= after.start
                    for m in mentions
                ):
                    cuts.append((separator.start(), separator.end()))
                    break
        bounds: list[tuple[int, int]] = []
        start = sentence.start
        for cut_start, cut_end in cuts:
            bounds.append((start, cut_start))
            start = cut_end
        bounds.append((start, sentence.end))
        return bounds

    def _attributions(
        self,
        article_id: str,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        context: ArticleContext,
    ) -> tuple[list[Claim], list[Mention], list[Mention]]:
        # "X claimed responsibility for the attack on Y": a claim of one's own act (see
        # _self_attributions), not an attribution whose cue is "responsibility for"
        claimed = self._hits("self_attribution", folded, sentence)
        hits = [
            h
            for h in self._hits("attribution", folded, sentence)
            if not any(c.start <= h.start < c.end for c in claimed)
            and not self._complement_far(h, folded, sentence)
            and not self._charged_otherwise(h, folded, sentence, mentions)
        ]
        if not hits:
            # "des pirates chinois ont attaqué...": the outlet itself names the attackers' state.
            named = [m for m in mentions if self._in_attacker_phrase(m, folded, sentence)]
            named += [m for m in self._states_doing(sentence, mentions) if m not in named]
            # "Darius Valenkovas, 48, deceived two companies": a person doing the attack;
            # « le groupe APT28, également connu sous le nom de Fancy Bear, aurait compromis »
            # an actor, « l'unité 74455 du GRU, plus connue sous le nom de Sandworm, aurait
            # déployé » an agency, in the parse's doer phrase
            named += [
                m
                for m in mentions
                if (
                    (m.kind == "person" and not _common_words(m.text))
                    or m.kind in ("threat_actor", "agency")
                )
                and m not in named
                and self._in_parsed_doer(m, sentence)
            ]
            doer, verb = self._doer_of_attack(folded, sentence, mentions)
            if doer is not None and doer not in named:
                named.append(doer)  # "GCHQ hacked Belgacom": the outlet names who did it
            # "if it's from a Russian actor": who the attackers may be is no attribution
            # (a named group still did what it is asked whether it did)
            named = [
                m
                for m in named
                if m.kind != "country" or not self._under_condition(m, folded, sentence)
            ]
            if doer is not None and doer not in named:
                doer, verb = None, None
            if not named or self._hits("sponsorship", folded, sentence):
                return [], [], []
            if doer is not None and verb is not None and self._signed(doer, sentence, folded):
                # "Anonymous defaced the site": a defacement or a leak carries its author's
                # name; the actor claims the act by doing it
                act = self._text[verb.start : verb.end]
                claims = [_self_attribution(self._evidence(article_id, sentence, [act]), doer)]
                others = [m for m in named if m is not doer]
                claims += self._attribution_claims(
                    article_id, folded, sentence, [], others, [], None
                )
                return claims, named, []
            reporters = self._reporting_sources(folded, sentence, mentions)
            # « selon Paris, APT28 a piraté... », "according to the NCSC, X hacked...": the
            # source introduced before the deed is who says so
            reporters += [
                m
                for m in self._explicit_sources(
                    folded, sentence, mentions, {id(n) for n in named}, adjacent=True
                )
                if m not in reporters and m not in named
            ]
            if not reporters:
                reporters = self._pronoun_speakers(folded, sentence, context)
            signed = self._signed_by_nationals(named, doer, folded, sentence)
            if signed is not None and not reporters:
                # "Azerbaijani hackers defaced the sites": the defacers signed their act;
                # the outlet knows their nationality from it
                signed_act = [self._text[signed.start : signed.end]]
                claims = [
                    replace(c, attribution_type="self_attribution")
                    for c in self._attribution_claims(
                        article_id, folded, sentence, [], named, [], None, signed_act
                    )
                ]
                return claims, named, []
            # « le gang X a revendiqué l'attaque »: the actor claims its act (see
            # _self_attributions); the outlet does not attribute it on top
            claimers = {
                mention_value(m)
                for m in named
                if m.kind == "threat_actor" and any(m.end <= c.start for c in claimed)
            }
            # the words that tell who did it: the attackers' noun, the deed's verb
            deeds = self._hits("attacker_nouns", folded, sentence)[:1]
            deeds += [verb] if verb is not None else self._hits("targeting", folded, sentence)[:1]
            if not deeds:  # "Prosecutors say X extorted...": who says so
                deeds = self._hits("source_before", folded, sentence)[:1]
            claims = [
                c
                for c in self._attribution_claims(
                    article_id,
                    folded,
                    sentence,
                    [],
                    named,
                    reporters,
                    None,
                    [self._text[h.start : h.end] for h in deeds],
                )
                if c.accuser or c.subject not in claimers
            ]
            if reporters:
                context.last_accusers = (reporters, sentence.index)
            return claims, named, reporters
        cue = hits[0]
        structure = cue.cue.get("structure", "active")
        cue_type = next((h.cue.get("type") for h in hits if h.cue.get("type")), None)
        attackers = [m for m in mentions if self._in_attacker_phrase(m, folded, sentence)]
        attacker_ids = {id(m) for m in attackers}

        explicit = self._explicit_sources(folded, sentence, mentions, attacker_ids)
        reporting = [
            h
            for h in self._hits("source_before", folded, sentence)
            if h.end <= cue.start
            # "Russia is believed to be behind it": a reporting verb in the passive has its
            # accused, not its speaker, as subject
            and not _PASSIVE_BEFORE.search(folded, max(0, h.start - 24), h.start)
        ]
        if structure == "responsible" and not reporting:
            # "X added that China is behind it": X speaks, China is accused
            reporting = [h for h in self._hits("speech", folded, sentence) if h.end <= cue.start]
        if structure == "responsible" and not reporting:
            # "Germany held China responsible for": the subject holds, its object is accused
            reporting = self._holder_split(cue, folded, sentence, mentions)
        # « Dans un rapport publié mercredi, l'Anssi indique que... »: a reporting word
        # no speaker precedes opens the sentence; the next one has the speaker
        while len(reporting) > 1 and self._opening_phrase(reporting[0], reporting[1], sentence):
            reporting = reporting[1:]
        # The accused may sit between a reporting verb and the cue ("X affirme que Y est ...").
        split_at = reporting[0].start if reporting else cue.start
        accused_window = (reporting[0].end, cue.start) if reporting else None

        before = [m for m in mentions if m.end <= split_at]
        # who may speak before the split: a state or an institution, not the attackers'
        speakers_before = [
            m
            for m in before
            if m.kind in _ACCUSER_KINDS
            and id(m) not in attacker_ids
            # "Berlin summoned the Russian envoy after attributing it to the GRU": who
            # another verb acts upon does not speak, nor who acts in an adverbial clause
            # ("After Russia hacked the grid, Kyiv blamed the GRU")
            and not any(
                s <= m.start and m.end <= e and not s <= cue.start < e
                for s, e in (*self._objects, *self._adverbial)
            )
        ]
        targeting_hits = self._hits("targeting", folded, sentence)

        # "X gained access to a company in the Netherlands, attributed by ESET": a state
        # after an attack verb, before the cue, is where the victims are, not who is accused
        def targeted(m: Mention) -> bool:
            return m.kind == "country" and any(
                h.end <= m.start and h.start < cue.start for h in targeting_hits
            )

        before_accused = [m for m in before if not targeted(m)]
        targeting_starts = [h.start for h in targeting_hits if h.start >= cue.end]
        after = [
            m
            for m in mentions
            if m.start >= cue.end
            and not (m.kind == "country" and any(t < m.start for t in targeting_starts))
        ]
        between = [
            m
            for m in mentions
            if accused_window and accused_window[0] <= m.start < accused_window[1]
        ]
        accusers: list[Mention] = []
        accused: list[Mention] = []
        if structure == "join":
            accusers = [
                m for m in mentions if m.kind in _ACCUSER_KINDS and id(m) not in attacker_ids
            ]
            later = [h.end for h in hits if h.cue.get("structure") != "join"]
            accused = (
                [m for m in mentions if m.kind in ("threat_actor", "agency")]
                or [m for m in mentions if m.kind == "country" and later and m.start >= later[0]]
                or list(context.last_accused)
            )
            # "a joint advisory by CISA, the FBI and the NSA": an agency listed with the
            # signers signs too
            cosigners = [
                m for m in accused if m.kind == "agency" and _listed_with(m, accusers, folded)
            ]
            accused = [m for m in accused if m not in cosigners]
            accusers = [m for m in accusers if m not in accused] + cosigners
        elif structure == "noun_of":  # "les accusations des États-Unis": the accuser follows
            accusers = [m for m in after if m.kind in _ACCUSER_KINDS and m.start - cue.end <= 60]
            accused = [m for m in mentions if m.kind in ("threat_actor", "agency")]
        elif structure == "active" and (
            (
                _PASSIVE_BEFORE.search(folded, max(0, cue.start - 24), cue.start)
                and self._participle_form(cue, folded)
            )
            or self._participle(cue, folded)
        ):
            # "Ils sont accusés d'avoir...", "APT28 was charged by...": the accused is the subject.
            agent = [m for m in after if m.kind in _ACCUSER_KINDS]
            if agent and folded[cue.end : agent[0].start].strip() in (
                "par",
                "by",
                "par le",
                "by the",
            ):
                # "sanctioned by the Treasury Department and the United Kingdom"
                accusers = self._listed_sources(agent, folded)
            elif reporting:
                # "the FBI said APT33 is accused of...": who says so accuses
                accusers = speakers_before
            # "X said the hacker Y was charged": the subject is after the reporting verb
            accused = [
                m
                for m in (between or before_accused)
                if self._accusable(m, cue_type, cue, sentence, folded)
            ] or list(context.last_accused)
        elif structure == "active":
            passive_agent = folded[cue.end : cue.end + 6].strip().startswith(("par ", "by "))
            if passive_agent:
                accusers = [m for m in after if m.kind in _ACCUSER_KINDS][:1]
                accused = [
                    m for m in before_accused if self._accusable(m, cue_type, cue, sentence, folded)
                ]
            else:
                accusers = speakers_before
                after = self._after_complement(cue, folded, sentence, mentions, after)
                accused = [m for m in after if self._accusable(m, cue_type, cue, sentence, folded)]
                fronted = None if accusers else self._fronted_clause_end(cue, folded, sentence)
                if fronted is not None:
                    # "After attributing the attack to the GRU, Berlin summoned...": the
                    # main clause's subject accuses; the accused are in the fronted clause
                    accusers = [
                        m for m in mentions if m.start > fronted and m.kind in _ACCUSER_KINDS
                    ][:1]
                    accused = [m for m in accused if m.end <= fronted]
                if (
                    not accused
                    and not cue.cue.get("complement")
                    and any(
                        len(folded[cue.end : h.start].split()) <= 7
                        for h in self.index.within("incident_coref", cue.end, sentence.end)
                    )
                ):
                    # « La France a condamné ces agissements »: those the incident is
                    # blamed on
                    accused = list(context.last_accused)
        elif structure == "responsible":
            # "a campaign against Indian entities involved in...": the targets, not accused
            pool = [m for m in between if not targeted(m)] if accused_window else before_accused
            accused = [
                m
                for m in pool
                if self._accusable(m, cue_type, cue, sentence, folded) and m not in explicit
            ]
            # "Behind the attack: APT28": the accused follows only a cue opening the
            # sentence; "the companies responsible for the grid, US agencies" accuse nobody
            if not accused and not folded[sentence.start : cue.start].strip(" \"'\u201c"):
                accused = [m for m in after if self._accusable(m, cue_type, cue, sentence, folded)]
            elif not accused and self._doer_noun_before(cue, folded, sentence):
                # "the group behind the attack, known as X": the name the noun stands for
                accused = [
                    m
                    for m in after
                    if m.kind in ("threat_actor", "agency") and m.start - cue.end <= 80
                ][:1]
            if reporting:
                accusers = speakers_before
        else:  # passive: "attribué à la Russie (par X)"
            by_agent = _AGENT_RE.search(folded, cue.end, sentence.end)
            if by_agent:
                accusers = [
                    m for m in after if m.start >= by_agent.end() and m.kind in _ACCUSER_KINDS
                ]
                after = [m for m in after if m.start < by_agent.start()]
            accused = [m for m in after if self._accusable(m, cue_type, cue, sentence, folded)]
            # "linked to China", not "linked to an address named in a US report": a cue
            # with a window wants its accused within it
            window = cue.cue.get("window")
            if window is not None and accused and accused[0].start - cue.end > int(window):
                accused = []
            if reporting and not accusers:
                accusers = speakers_before
            elif (
                not accusers
                and cue.cue.pattern.split()[-1] in self._author_prepositions
                and self._finite_form(cue, folded)
            ):
                # « L'Anssi attribue au groupe APT28 cette campagne »: the verb's subject
                accusers = speakers_before[-1:]
        if structure in ("active", "passive") and accused and accused[0].start >= cue.end:
            breaks = self.index.within("run_breakers", sentence.start, sentence.end)
            aliases = self.index.within("alias_introducers", sentence.start, sentence.end)
            accused = _first_run(accused, self._text, breaks=breaks, aliases=aliases)
        accusers = [m for m in accusers if m not in accused] + [
            m for m in explicit if m not in accusers
        ]
        accused = [m for m in accused if m not in accusers or id(m) in attacker_ids]
        accused += [m for m in attackers if m not in accused]
        if structure == "join" and not accusers and not attackers:
            # "according to the joint advisory": no one named joins an accusation
            return [], [], []
        if not accused:
            if structure == "join" and accusers:  # "X se joignent aux accusations": wait for whom
                context.pending_join = (
                    accusers,
                    sentence,
                    [self._text[h.start : h.end] for h in hits],
                )
            return [], [], accusers
        if not accusers and (trailing := self._trailing_source(folded, sentence)):
            # "Hackers linked to North Korea stole $41 million, FBI says"
            opens, verb = trailing
            accusers = [
                m
                for m in mentions
                if opens <= m.start and m.end <= verb.start and m.kind in _ACCUSER_KINDS
            ]
        if not accusers:
            accusers = self._pronoun_speakers(folded, sentence, context)
        if accusers:
            context.last_accusers = (accusers, sentence.index)
        claims = self._attribution_claims(
            article_id, folded, sentence, hits, accused, accusers, cue_type
        )
        if context.pending_join is not None:
            pending, pending_sentence, pending_cues = context.pending_join
            context.pending_join = None
            if sentence.index - pending_sentence.index <= 3:
                claims += self._attribution_claims(
                    article_id, folded, pending_sentence, [], accused, pending, None, pending_cues
                )
        return claims, accused, accusers

    def _fronted_clause_end(self, cue: CueHit, folded: str, sentence: SentenceInfo) -> int | None:
        """Where a clause fronted before the main one ends (its comma), when the cue is
        its verb: only a subordinator (rules ``subordinators``) and a word of form stand
        before the cue ("After attributing...,", « Après avoir attribué..., »)."""
        before = folded[sentence.start : cue.start]
        if not 1 <= len(before.split()) <= 2:
            return None
        opens_at = sentence.start + len(before) - len(before.lstrip())
        if not any(h.start == opens_at for h in self._hits("subordinators", folded, sentence)):
            return None
        comma = folded.find(",", cue.end, sentence.end)
        return comma if comma > 0 else None

    def _pronoun_speakers(
        self, folded: str, sentence: SentenceInfo, context: ArticleContext
    ) -> list[Mention]:
        """Who a subject pronoun opening the sentence right before a reporting verb or an
        accusation stands for ("Estonia blamed Moscow. It said the group had stolen
        cables", "The FBI blamed Pyongyang. The bureau attributed the theft to X"): the
        accusers of the sentence or two before (rules ``speaker_pronouns``); else no one."""
        accusers, index = context.last_accusers
        if not accusers or sentence.index - index > 2:
            return []
        start = sentence.end - len(_OPENING.sub("", folded[sentence.start : sentence.end], 1))
        pronoun = next(
            (h for h in self._hits("speaker_pronouns", folded, sentence) if h.start == start),
            None,
        )
        if pronoun is None:
            return []
        verbs = [
            h
            for section in ("source_before", "speech", "attribution")
            for h in self._hits(section, folded, sentence)
            # "They were accused of...": the pronoun is the accused, not who speaks
            if section != "attribution"
            or not _PASSIVE_BEFORE.search(folded, max(0, h.start - 24), h.start)
        ]
        follows = any(
            len(folded[pronoun.end : v.start].split()) <= 2 for v in verbs if v.start >= pronoun.end
        )
        return list(accusers) if follows else []

    def _charged_otherwise(
        self, cue: CueHit, folded: str, sentence: SentenceInfo, mentions: Sequence[Mention]
    ) -> bool:
        """The cue charges states only, after one of its ``charge`` prepositions, with
        something that is no cyber deed: no attack noun (rules ``victim_syntax``
        ``attack_nouns``), attack, incident, deed or attacker word, nor one referring back
        to the incident, after the preposition ("Beijing opposes cyberattacks and accused
        Washington of spreading disinformation"; not "accused Moscow of being behind the
        hack"). A person or a group charged ("accused Mr Doe of forging invoices") is
        charged with what the article tells of."""
        prepositions = cue.cue.get("charge")
        if not prepositions:
            return False
        charge = _words_pattern(tuple(prepositions))
        found = next(
            (
                f
                for f in charge.finditer(folded, cue.end, sentence.end)
                # « accusent le ministère de la Sécurité d'État »: inside a name
                if not any(m.start <= f.start() < m.end for m in mentions)
            ),
            None,
        )
        if found is None:
            return False
        charged = [m for m in mentions if cue.end <= m.start < found.start()]
        if any(m.kind in ("threat_actor", "agency", "person") for m in charged):
            return False
        start = found.end()
        words_after = _PLAIN_WORD.findall(folded[start : sentence.end])
        if any(w.startswith(self._attack_nouns) for w in words_after):
            return False
        return not any(
            h.start >= start
            for section in (*_DEED_SECTIONS, "attacker_nouns", "attribution")
            for h in self.index.within(section, start, sentence.end)
        )

    def _tells_of_a_deed(self, folded: str, sentence: SentenceInfo) -> bool:
        """The sentence tells of something done: an attack verb, an incident's type, a
        deed noun or a word referring back to the incident."""
        return any(self._hits(section, folded, sentence) for section in _DEED_SECTIONS)

    def _complement_far(self, cue: CueHit, folded: str, sentence: SentenceInfo) -> bool:
        """A cue whose form is a noun as often ("links", "ties") and that has a ``window``
        is a verb only with its complement's preposition within it: "links it to the
        GRU", not "malicious links or attachments that let them ... to"."""
        reach = cue.cue.get("window")
        if not cue.cue.get("complement") or reach is None:
            return False
        return _complement_in(cue, folded, min(sentence.end, cue.end + int(reach))) is None

    def _after_complement(
        self,
        cue: CueHit,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        after: list[Mention],
    ) -> list[Mention]:
        """For a verb whose accused follows its object and a preposition ("traced the
        intrusion into the ministry to X"; the cue's ``complement`` words), the names after
        that preposition, none when none follows ("traced the money and froze accounts
        in Hong Kong" accuses nobody); ``after`` as it is for other cues."""
        if not cue.cue.get("complement"):
            return after
        found = _complement_in(cue, folded, sentence.end)
        if found is None:
            return []
        return [m for m in mentions if m.start >= cue.end + found.end()]

    def _attribution_claims(
        self,
        article_id: str,
        folded: str,
        sentence: SentenceInfo,
        hits: Sequence[CueHit],
        accused: Sequence[Mention],
        accusers: Sequence[Mention],
        cue_type: str | None,
        extra_cues: Sequence[str] = (),
    ) -> list[Claim]:
        modality, hedged, hedge_cues = self._modality(folded, sentence)
        cues = [self._text[h.start : h.end] for h in hits] + list(extra_cues) + hedge_cues
        evidence = self._evidence(article_id, sentence, cues)
        claims: list[Claim] = []
        # the outlet naming a vendor-tracked group relays the vendors' attribution, and so
        # does the rest of what it says in that sentence ("Chinese APT Leviathan targets")
        tracked = next((t for t in accused if self._vendor_tracked(t)), None)
        # so does one using the vendors' words for the doer ("the Chinese APT", "threat
        # actor") or citing their research ("researchers", "a report")
        vendor_words = bool(self._hits("vendor_terms", folded, sentence))
        hedges = self._hits("hedge_accuser", folded, sentence) if modality == "alleged" else []
        for target in accused:
            # "DarkSide, a criminal group believed to operate from Russia": the hedge inside
            # an apposition to the name is about the other accused the apposition names,
            # not about the name ("APT28, soupçonné d'avoir piraté..." stays alleged)
            firmness = (
                "asserted"
                if hedges
                and not self._denials(folded, sentence)
                and all(
                    _APPOSITION_TO.match(self._text, target.end, h.start)
                    and any(other.start >= h.end for other in accused)
                    for h in hedges
                )
                else modality
            )
            if (
                not accusers
                and cue_type is None
                and firmness == "asserted"
                and self._hacktivist(target)
            ):
                # hacktivists act in the open and sign what they do: an outlet stating
                # that one did it relays the group's own claim ("suspected" is no claim)
                claims.append(_self_attribution(evidence, target))
                continue
            # "Estonia expelled three Russian diplomats after blaming Moscow": who is
            # blamed does not accuse itself (its denial is read as a response)
            options: list[Mention | None] = [
                a
                for a in accusers
                if firmness == "denied" or mention_value(a) != mention_value(target)
            ] or [None]
            for accuser in options:
                accuser_value = mention_value(accuser) if accuser else None
                if (
                    firmness == "denied"
                    and accuser_value
                    and self._same_side(accuser_value, mention_value(target))
                ):
                    continue  # "China's embassy called the accusations slanders": a denial
                claims.append(
                    Claim(
                        kind="attribution",
                        evidence=evidence,
                        subject=mention_value(target),
                        accuser=accuser_value,
                        accuser_country=self._country_of(accuser_value) if accuser_value else None,
                        attribution_type=self._attribution_type(
                            accuser,
                            cue_type,
                            tracked is not None
                            or vendor_words
                            or (self._relays_vendors and target.kind in ("country", "agency")),
                        ),
                        modality=(
                            "asserted"
                            if firmness == "denied"
                            and (
                                self._counter_accusation(folded, sentence, hits, accuser, target)
                                or self._denied_by_another(folded, sentence, accuser)
                            )
                            else firmness
                        ),
                        hedged_by_outlet=hedged,
                    )
                )
        return claims

    def _hacktivist(self, mention: Mention) -> bool:
        """A threat actor the knowledge base knows as hacktivists (``motive``)."""
        if mention.kind != "threat_actor" or not mention.canonical_id:
            return False
        entity = self.resolve(mention.canonical_id)
        return entity is not None and entity.hacktivist

    def _vendor_tracked(self, mention: Mention) -> bool:
        """An intrusion set that security vendors track: one with an ATT&CK id or a
        Microsoft name ("APT28"), whose name exists only through their reports."""
        if mention.kind != "threat_actor" or not mention.canonical_id:
            return False
        entity = self.resolve(mention.canonical_id)
        if entity is None:
            return False
        return bool(entity.mitre_id) or any(
            ref.startswith("microsoft-activity-group:") for ref in entity.refs
        )

    def _doer_of_attack(
        self, folded: str, sentence: SentenceInfo, mentions: Sequence[Mention]
    ) -> tuple[Mention | None, CueHit | None]:
        """The agency or actor right before the first attack verb, when nothing intervenes,
        or its agent in the passive, and that verb."""
        # verbs marked victims_only ("gained access", "crippled") name victims, not doers:
        # an outlet saying "X crippled Y" rarely is the source of the attribution
        # "GCHQ vs. Taliban" (doer_adjacent): the agency right before it is the doer
        targeting = [
            h
            for h in self._hits("targeting", folded, sentence)
            if not h.cue.get("victims_only") or h.cue.get("doer_adjacent")
        ]
        if not targeting:
            return None, None
        verb = targeting[0]
        # "the site was defaced by Anonymous": the passive agent the parse gives
        agents = [
            m
            for m in mentions
            if m.kind in ("agency", "threat_actor")
            and m.start >= verb.end
            and self._in_parsed_doer(m, sentence)
        ]
        if agents:
            return agents[0], verb
        before = [
            m for m in mentions if m.end <= verb.start and m.kind in ("agency", "threat_actor")
        ]
        if verb.cue.get("doer_adjacent"):
            # only a state agency: a group's own headline deed is read by the other rules
            if not before or before[-1].kind != "agency" or verb.start - before[-1].end > 2:
                return None, None
        elif not before or verb.start - before[-1].end > 60:
            return None, None
        doer = before[-1]
        said = self._hits("source_before", folded, sentence) + self._hits(
            "speech", folded, sentence
        )
        if any(doer.end <= h.start < verb.start for h in said):
            return None, None  # "the NSA warned that ... targeted": the NSA speaks
        if "," in folded[doer.end : verb.start] and any(
            h.end <= doer.start and only_quotes_between(folded, sentence.start, h.start)
            for h in said
        ):
            return None, None  # « Selon l'alerte de la NSA, ces intrusions visent... »
        return doer, verb

    def _signed_by_nationals(
        self,
        named: Sequence[Mention],
        doer: Mention | None,
        folded: str,
        sentence: SentenceInfo,
    ) -> CueHit | None:
        """A signed act (``signed_acts``: a defacement, a leak) done by hackers named by
        their nationality or their group, with no agency ("Turkish hackers defaced ...",
        "defaced by hackers of the Vandelay Cyber Army")."""
        if doer is not None or not named or any(m.kind not in _SIGNERS for m in named):
            return None
        # the act comes after its doer, or before it in the passive ("defaced by hackers
        # of the Nigerian CyberArmy": the parse gives the doer)
        first = min(m.end for m in named)
        if any(self._in_parsed_doer(m, sentence) for m in named):
            first = sentence.start
        signed = next(
            (h for h in self._hits("signed_acts", folded, sentence) if h.start >= first), None
        )
        if signed is None and any(self._hacktivists(m) for m in named):
            # "the ministry was hacked by the Vandelay Cyber Army": any act of theirs
            return next(iter(self._hits("actor_acts", folded, sentence)), None)
        return signed

    def _hacktivists(self, mention: Mention) -> bool:
        """A threat actor the knowledge base knows as hacktivists, or one it lacks whose
        name is a hacktivist group's (rules ``hacktivist_names``: "X Cyber Army",
        "XCyberArmy")."""
        if mention.kind != "threat_actor":
            return False
        entity = self.resolve(mention.canonical_id) if mention.canonical_id else None
        if entity is not None:
            return entity.hacktivist
        return hacktivist_named(self.rules, mention.text)

    def _signed(self, doer: Mention, sentence: SentenceInfo, folded: str) -> bool:
        """A threat actor (not a state agency) doing, in this sentence, an act that carries
        its author's name: a defacement, a leak, taking a site down (``signed_acts``), or
        any act done for a cause the sentence states ("in protest against", « en soutien
        à »: ``stated_motive``), which only its authors can have made known."""
        if doer.kind != "threat_actor":
            return False
        if self._hacktivists(doer):
            return True  # hacktivists announce their operations: they sign every act
        tracked = self._vendor_tracked(doer)
        first = sentence.start if self._in_parsed_doer(doer, sentence) else doer.end
        if any(
            h.start >= first and not (tracked and h.cue.get("weak"))
            for h in self._hits("signed_acts", folded, sentence)
        ):
            return True

        return bool(self._hits("stated_motive", folded, sentence)) and any(
            h.start >= doer.end for h in self._hits("actor_acts", folded, sentence)
        )

    def _reporting_sources(
        self, folded: str, sentence: SentenceInfo, mentions: Sequence[Mention]
    ) -> list[Mention]:
        """An institution or state right before a reporting verb ("FireEye reported that",
        « l'ANSSI a publié »): the source of what the sentence says; not the attackers'
        nationality ("Portuguese hackers responded")."""
        sources: list[Mention] = []
        trailing = self._trailing_source(folded, sentence)
        for hit in self._hits("source_before", folded, sentence):
            # "..., officials say.": the speaker is between the comma and the verb
            opens = trailing[0] if trailing is not None and trailing[1] == hit else 0
            before = [
                m
                for m in mentions
                if opens <= m.start
                and m.end <= hit.start
                and m.kind in _ACCUSER_KINDS
                and not self._in_attacker_phrase(m, folded, sentence)
                # a place opening a longer name speaks for that name ("the Kyiv Post said")
                and not (m.kind == "country" and _NAME_GOES_ON.match(self._text, m.end))
            ]
            if (
                before
                and hit.start - before[-1].end <= 25
                and before[-1] not in sources
                # a subordinate clause between: the name is not the verb's subject
                # ("Montenegro, after the country announced")
                and not self.index.within("subordinators", before[-1].end, hit.start)
            ):
                sources.append(before[-1])
        return sources

    def _trailing_source(self, folded: str, sentence: SentenceInfo) -> tuple[int, CueHit] | None:
        """A source phrase closing the sentence after a comma (", FBI says", ", the
        ministry said on Friday."): where the phrase starts and its reporting verb."""
        hits = self._hits("source_before", folded, sentence)
        if not hits or len(folded[hits[-1].end : sentence.end].split()) > 4:
            return None
        comma = folded.rfind(",", sentence.start, hits[-1].start)
        if comma == -1 or len(folded[comma + 1 : hits[-1].start].split()) > 6:
            return None
        return comma + 1, hits[-1]

    def _explicit_sources(
        self,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        attacker_ids: set[int],
        adjacent: bool = False,
    ) -> list[Mention]:
        """States or institutions introduced as sources: « selon X », "X said"; with
        ``adjacent``, only one the source phrase opens with ("according to the NCSC", not
        "according to former officials - targeted the Russian...")."""
        explicit: list[Mention] = []
        for hit in self._hits("source_after", folded, sentence):
            if hit.cue.get("inverted") and not _INVERSION_BEFORE.search(
                self._text, max(0, hit.start - 4), hit.start
            ):
                continue  # "Estonia said Russia was behind it": who follows is no speaker
            following = [m for m in mentions if m.start >= hit.end and m.kind in _ACCUSER_KINDS]
            reach = 40
            if (
                len(following) > 1
                and following[0].kind == "country"
                and following[1].kind != "country"
                and following[1].start - following[0].end <= 40
                and not re.search(r"[,;:()]", self._text[following[0].end : following[1].start])
            ):
                # "a report by Israeli IT security company Check Point": the state qualifies
                # the company that speaks
                reach += following[1].start - following[0].start
                following = following[1:]
            if following and self._accused_after_source(hit, following[0], folded):
                continue  # "according to people familiar with it, China was behind"
            if (
                following
                and following[0].start - hit.end <= reach
                and id(following[0]) not in attacker_ids
                and not (
                    adjacent
                    and (
                        len(gap := self._text[hit.end : following[0].start].split()) > 2
                        or any(re.search(r"[,;:()\u2013\u2014-]", w) for w in gap)
                    )
                )
            ):
                explicit += self._listed_sources(following, folded)
        return explicit

    def _listed_sources(self, following: Sequence[Mention], folded: str) -> list[Mention]:
        """The first of ``following`` and those listed with it ("according to France and
        the UK"); a list ends with its conjunction, so a name after a bare comma is the
        clause's own ("according to France and the UK, Russia was behind it")."""
        run = [following[0]]
        joined: list[bool] = []
        for source in following[1:]:
            if not _listed_with(source, run[-1:], folded):
                break
            run.append(source)
            joined.append(bool(_CONJUNCTION.search(folded, run[-2].end, source.start)))
        while joined and not joined[-1]:
            joined.pop()
            run.pop()
        return run

    def _self_attributions(
        self, article_id: str, folded: str, sentence: SentenceInfo, actors: Sequence[Mention]
    ) -> list[Claim]:
        hits = self._hits("self_attribution", folded, sentence)
        if not actors:
            return []
        # "attacks claimed by the group X": the actor named first after a passive cue
        passive = [h for h in hits if h.cue.get("passive")]
        if passive and len(passive) == len(hits):
            claimers = {
                id(after[0])
                for h in passive
                if (after := [a for a in actors if a.start >= h.end])
                and len(folded[h.end : after[0].start].split()) <= 6
            }
            actors = [a for a in actors if id(a) in claimers]
            if not actors:
                return []
        if not hits:
            hits = self._told_own_deed(folded, sentence, actors)
        if not hits:
            return []
        # « Solntsepek, présenté comme une façade de Sandworm, a revendiqué »: an actor
        # named in an aside between commas describes the one who claims
        outside = [a for a in actors if not _in_aside(folded, a, sentence.start, hits[0].start)]
        actors = outside or actors
        evidence = self._evidence(article_id, sentence, [self._text[h.start : h.end] for h in hits])
        return [_self_attribution(evidence, actor) for actor in actors]

    def _told_own_deed(
        self, folded: str, sentence: SentenceInfo, actors: Sequence[Mention]
    ) -> list[CueHit]:
        """An actor saying it did the attack, words between ("X said on Monday that it
        had broken into...", « X a affirmé lundi qu'il avait piraté »): a speech verb a
        few words after the actor, then one of ``own_deed`` ("that it had"), then an
        attack verb. Returns the speech verb and the opener as cues, else nothing."""
        openers = self._hits("own_deed", folded, sentence)
        deeds = self._hits("targeting", folded, sentence) if openers else []
        for speech in self._hits("speech", folded, sentence) if deeds else []:
            before = [a for a in actors if a.end <= speech.start]
            if not before or len(folded[before[-1].end : speech.start].split()) > 3:
                continue
            for opener in openers:
                if 0 <= opener.start - speech.end <= 30 and any(
                    0 <= d.start - opener.end <= 30 for d in deeds
                ):
                    return [speech, opener]
        return []

    def _sponsorships(
        self,
        article_id: str,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        subject_actor: Mention | None,
        accusers: Sequence[Mention],
    ) -> tuple[list[Claim], list[Mention]]:
        claims: list[Claim] = []
        sponsors: list[Mention] = []
        modality, hedged, hedge_cues = self._modality(folded, sentence)

        def sponsorship(hit: CueHit, subject: Mention | None, sponsor: Mention) -> Claim:
            return Claim(
                kind="sponsorship",
                evidence=self._evidence(
                    article_id, sentence, [self._text[hit.start : hit.end], *hedge_cues]
                ),
                subject=mention_value(subject) if subject else None,
                object=mention_value(sponsor),
                modality=modality,
                hedged_by_outlet=hedged,
            )

        for hit in self._hits("sponsorship", folded, sentence):
            direction = hit.cue.get("direction")
            actors_after = [m for m in mentions if m.kind == "threat_actor" and m.start >= hit.end]
            sponsor: Mention | None
            if direction == "adjective":
                # "Russian state-sponsored hackers": the state is the word before; else one
                # named soon after ("a state-sponsored group, operating from China"), unless
                # an attack verb comes first (then it is the victim: "... attacked Ukraine")
                sponsor = self._qualifier_before(hit, folded, mentions, accusers)
                if sponsor is None:
                    sponsor = self._sponsor_after(hit, mentions, accusers)
                    attacks = self._hits("targeting", folded, sentence)
                    if sponsor and any(hit.end <= h.start < sponsor.start for h in attacks):
                        sponsor = None
                subject = actors_after[0] if actors_after else subject_actor
            elif direction == "reverse":  # "la Chine utilise des hackers": sponsor before
                before = [
                    m
                    for m in mentions
                    if m.end <= hit.start and m.kind in ("agency", "country") and m not in accusers
                ]
                agencies = [m for m in before if m.kind == "agency"]
                sponsor = agencies[0] if agencies else (before[-1] if before else None)
                subject = actors_after[0] if actors_after else subject_actor
            else:  # "sponsored by X"; else "acteurs chinois soutenus par l'État"
                sponsor = self._sponsor_after(hit, mentions, accusers, past_actors=False)
                if sponsor is None:
                    nationals = [
                        m
                        for m in mentions
                        if m.end <= hit.start and self._in_attacker_phrase(m, folded, sentence)
                    ]
                    sponsor = nationals[-1] if nationals else None
                actors_before = [
                    m for m in mentions if m.kind == "threat_actor" and m.end <= hit.start
                ]
                subject = actors_before[-1] if actors_before else subject_actor
                if not self._doer_near(hit, folded, sentence, actors_before):
                    continue  # "people linked to the ministry", "officers of the police"
            if sponsor is None:
                continue
            # "Saudi and Emirati hacking groups": the states listed with it sponsor too
            listed = [m for m in mentions if m.kind == sponsor.kind and m.start >= sponsor.start]
            for each in _first_run(listed, self._text, gap=_LIST_GAP):
                sponsors.append(each)
                claims.append(sponsorship(hit, subject, each))
            # "le MSS chinois": the agency's state named right after it is the same sponsor.
        for sponsor, hit in self._glued_sponsors(folded, sentence, mentions, accusers):
            actors_after = [m for m in mentions if m.kind == "threat_actor" and m.start >= hit.end]
            subject = actors_after[0] if actors_after else subject_actor
            claim = sponsorship(hit, subject, sponsor)
            if all((c.subject, c.object) != (claim.subject, claim.object) for c in claims):
                sponsors.append(sponsor)
                claims.append(claim)
        return claims, sponsors

    def _glued_sponsors(
        self,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        accusers: Sequence[Mention],
    ) -> list[tuple[Mention, CueHit]]:
        """States and agencies glued by a hyphen to a word of rules ``sponsor_suffixes``
        right before an actor or an attacker noun ("the GRU-backed group Sandworm",
        "Kremlin-linked hackers"), with that word as the cue; not "the US-backed
        government", which names no one who attacks."""
        suffixes = self.rules.sponsor_suffixes
        if not suffixes:
            return []
        doers = [
            h.start
            for section in ("attacker_nouns", "actor_introducers")
            for h in self._hits(section, folded, sentence)
        ]
        doers += [m.start for m in mentions if m.kind == "threat_actor"]
        found: list[tuple[Mention, CueHit]] = []
        for mention in mentions:
            if mention.kind not in ("country", "agency") or mention in accusers:
                continue
            glued = re.match(r"-([a-z]+)\b", folded[mention.end : mention.end + 16])
            if glued is None or glued.group(1) not in suffixes:
                continue
            end = mention.end + glued.end()
            if any(start - end >= 0 and len(folded[end:start].split()) <= 3 for start in doers):
                cue = Cue(glued.group(1), "sponsorship")
                found.append((mention, CueHit(mention.end + 1, end, cue)))
        return found

    def _in_parsed_doer(self, mention: Mention, sentence: SentenceInfo) -> bool:
        spans = self._parsed_doers.get(sentence.index, [])
        return any(start <= mention.start and mention.end <= end for start, end in spans)

    def _states_doing(self, sentence: SentenceInfo, mentions: Sequence[Mention]) -> list[Mention]:
        """States inside a phrase the parse gives as the doer of an attack ("the German
        military hacked...", "defaced by hackers of the Nigerian Cyber Army"), unless held
        as a stance ("pro-Russian hackers"). An agency doing it is read by
        ``_doer_of_attack``."""
        return [
            m
            for m in mentions
            if m.kind == "country"
            and self._in_parsed_doer(m, sentence)
            and not self._stance(m)
            and not self._placed(m)  # "a fake website, registered in Mexico, tricks users"
        ]

    def _opening_phrase(self, word: CueHit, then: CueHit, sentence: SentenceInfo) -> bool:
        """The reporting word sits in a phrase opening the sentence, no name before it
        and a comma after it before the next one (« Dans un rapport publié mercredi,
        l'Anssi indique... »)."""
        before = self._text[sentence.start : word.start].split()[1:]
        return not any(w[:1].isupper() for w in before) and "," in self._text[word.end : then.start]

    def _finite_form(self, cue: CueHit, folded: str) -> bool:
        """The cue's verb is written as no past participle and follows no passive
        auxiliary (« attribue », « impute », not « attribué », "attributed"): a cue of
        the passive structure used actively."""
        word = self._text[cue.start : cue.end].split()[0].casefold()
        if word.endswith(("é", "ée", "és", "ées", "ed", "en")):
            return False
        return not _PASSIVE_BEFORE.search(folded, max(0, cue.start - 24), cue.start)

    def _participle_form(self, cue: CueHit, folded: str) -> bool:
        """The cue's word may be a past participle: it ends as one does (rules
        ``participle_suffixes``; any word where the language lists none). "Was considering
        sanctions" is active, "was sanctioned" passive."""
        suffixes = self.rules.participle_suffixes
        return not suffixes or folded[cue.start : cue.end].endswith(suffixes)

    def _participle(self, cue: CueHit, folded: str) -> bool:
        """The cue is a past participle: a preposition follows it at once ("Palestinian
        charged with...", "Russia blamed for..."; rules ``passive_after``)."""
        if not self._participle_form(cue, folded):
            return False  # "the US' attribution of the hack": a noun, not a participle
        return any(
            not folded[cue.end : h.start].strip()
            for h in self.index.within("passive_after", cue.end, cue.end + 8)
        )

    def _doer_near(
        self,
        hit: CueHit,
        folded: str,
        sentence: SentenceInfo,
        actors_before: Sequence[Mention],
    ) -> bool:
        """Someone who acts stands right before a sponsorship cue whose sponsor follows
        ("APT28, a group linked to the GRU", "hackers believed to work for the MSS"): an
        actor a short clause before, an attacker noun (or a word referring back to one) a
        few words before, or the deed (rules ``sponsored_deeds``: "a campaign ... run on
        behalf of X") a clause before, unless the cue is one of ``membership`` ("member
        of"); "hackers read the mail of people linked to X" sponsors nothing."""

        # a hedge between does not part them ("hackers, believed to be working for X")
        hedges = [
            h
            for section in ("hedge_accuser", "hedge_outlet")
            for h in self._hits(section, folded, sentence)
            if h.end <= hit.start
        ]

        def words_between(end: int) -> int:
            if end > hit.start:
                return 99
            gap = folded[end : hit.start].split()
            hedged = sum(len(folded[h.start : h.end].split()) for h in hedges if h.start >= end)
            return len(gap) - hedged

        if any(words_between(m.end) <= _ACTOR_GAP for m in actors_before):
            return True
        doers = self._hits("attacker_nouns", folded, sentence)
        doers += self._hits("actor_coref", folded, sentence)
        doers += self._hits("actor_introducers", folded, sentence)
        if any(words_between(h.end) <= _DOER_GAP for h in doers):
            return True
        # "a campaign said to have lasted 14 years, run on behalf of X": the deed; but only
        # people are members ("hacking computers of members of the Bundestag")
        if hit.cue.get("membership"):
            return False
        deeds = self._hits("sponsored_deeds", folded, sentence)
        return any(words_between(h.end) <= _DEED_GAP for h in deeds)

    def _targeting(
        self,
        article_id: str,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        subject_actor: Mention | None,
        excluded: set[int],
        accused_so_far: set[str],
    ) -> list[Claim]:
        claims = self._named_victims(
            article_id, folded, sentence, mentions, subject_actor, accused_so_far
        )
        claims += self._own_breach(article_id, folded, sentence, mentions, subject_actor)
        claims += self._parsed(
            article_id, sentence, mentions, subject_actor, excluded, accused_so_far
        )
        # "in protest against X": a stance, not an attack on X; "sanctions against X",
        # "accusations against X": a response or an accusation, not an attack either
        hits = self._attacks(folded, sentence)
        if not hits:
            return claims  # most sentences: no need to look for what cancels a hit
        motives = self._hits("stated_motive", folded, sentence)
        answers = self._hits("response", folded, sentence)
        answers += self._hits("attribution", folded, sentence)
        prepositions = self.rules.victim_syntax.get("prepositions", ())
        hits = [
            h
            for h in hits
            if not any(
                m.end <= h.start and len(folded[m.end : h.start].split()) <= 1 for m in motives
            )
            and not (
                folded[h.start : h.end] in prepositions
                and any(a.end <= h.start and not folded[a.end : h.start].strip() for a in answers)
            )
        ]
        if not hits:
            return claims
        first = hits[0]
        stop = sentence.end
        # what is said after a reporting verb, a stated motive or an observer is no victim
        # ("... in protest against its coverage of Egypt", "... reported by German firm G
        # Data", "... tracked by AlienVault"),
        # nor after an accusation no attack word follows ("...and left a message accusing
        # Qatar"; not "attacks believed to come from China hit Japan")
        for section in ("speech", "source_after", "stated_motive", "attribution", "observers"):
            for hit in self._hits(section, folded, sentence):
                if section == "attribution" and any(h.start > hit.end for h in hits):
                    continue
                if self._in_parentheses(hit.start, sentence):
                    continue  # "X (which said it stopped the attack), Y and Z": an aside
                if hit.start > first.end:
                    stop = min(stop, hit.start)
        # the accused named after the attack word, and what describes it, are no victims
        # ("attributed cyberattacks against ministries to Russia's military intelligence
        # agency": not the military sector)
        for mention in mentions:
            if (
                mention.start > first.end
                and mention.kind in ("threat_actor", "agency")
                and mention.canonical_id in accused_so_far
            ):
                stop = min(stop, mention.start)
                break
        for mark in ("»", "\u201d"):
            position = self._text.find(mark, first.end, sentence.end)
            if position != -1:
                stop = min(stop, position)
        # a straight quote closing what the cue is quoted in ('"... criminals who target
        # Australians' data" and that police were investigating')
        if self._text.count('"', sentence.start, first.start) % 2 == 1:
            position = self._text.find('"', first.end, sentence.end)
            if position != -1:
                stop = min(stop, position)
        victims = [
            m
            for m in self._qualified_before(hits, folded, sentence, mentions, excluded)
            if m.canonical_id not in accused_so_far
        ]
        for mention in mentions:
            if mention.start < first.start or mention.start >= stop or id(mention) in excluded:
                continue
            if mention.kind not in ("country", "sector", "organisation", "institution", "agency"):
                continue
            if self._only_in_settings(hits, mention):
                continue  # "Since the attacks began, Google has indexed the pages"
            if self._stance(mention):
                continue  # "pro-Pakistani remarks", "anti-Israel messages"
            if any(
                v.start < mention.start
                and mention.end <= v.end
                and self._topic_of_name(mention, v.start)
                for v in self._parsed_victims.get(sentence.index, [])
            ):
                continue  # « l'Alliance interparlementaire sur la Chine »: the name's topic
            if self._attack_source(mention, hits, folded, sentence):
                continue  # "the attacks came from a server in the Netherlands"
            if self._named_otherwise(mention, folded, sentence):
                continue  # "emails claiming to be from Airbnb", "attacks called RansomWeb"
            if any(
                h.start - mention.end <= 1
                for h in self.index.within("state_deeds", mention.end, mention.end + 30)
            ):
                continue  # "the Russian invasion", "ransomware of Russian origin"
            if mention.kind in ("country", "institution", "agency") and (
                self._in_attacker_phrase(mention, folded, sentence)
                or (
                    mention.canonical_id in accused_so_far
                    and not self._qualifies_object(mention, hits, folded)
                )
            ):
                continue
            if mention.kind in ("institution", "agency") and not self._targeted_body(
                mention, first, folded, sentence, mentions
            ):
                continue
            victims.append(mention)
        seen: set[str] = {str(c.object) for c in claims}
        for mention in victims:
            for value in (_victim_value(mention), *self._state_of_victim(mention, accused_so_far)):
                if value not in seen:
                    seen.add(value)
                    claims.append(
                        self._targeting_claim(article_id, sentence, first, subject_actor, value)
                    )
        return claims

    def _only_in_settings(self, hits: Sequence[CueHit], mention: Mention) -> bool:
        """Every attack word before the name stands in an adverbial clause that does not
        hold it ("Since the attacks began, Google has..."): the clause sets the scene,
        and the names outside it are not its victims."""
        before = [h for h in hits if h.start < mention.start]
        return bool(before) and all(
            any(
                start <= h.start < end and not start <= mention.start < end
                for start, end in self._adverbial
            )
            for h in before
        )

    def _parsed(
        self,
        article_id: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        subject_actor: Mention | None,
        excluded: set[int],
        accused: set[str],
    ) -> list[Claim]:
        """Targeting claims for the victims the parse names (extract/victim_syntax.py): the
        names found inside each victim phrase, else the phrase itself as an organisation;
        never a doer, an accuser or someone accused."""
        claims: list[Claim] = []
        # "leaked the data in response to attacks on Swedish hosts": the attack a motive
        # clause tells is what provoked this one, and its victims are not this one's
        motives = [h.end for h in self._hits("stated_motive", self.index.folded, sentence)]
        for span in self._parsed_victims.get(sentence.index, []):
            if any(end <= span.cue_start for end in motives):
                continue
            inside = [m for m in mentions if m.start < span.end and span.start < m.end]
            if any(self._named_otherwise(m, self.index.folded, sentence) for m in inside):
                continue  # "phishing emails posing as Acme Bank", "attacks called X"
            cue = CueHit(span.cue_start, span.cue_end, _PARSE_CUE)
            # (a proper noun the KB knows as no organisation is not ``proper`` any more)
            product = not span.proper or (inside and all(m.kind == "product" for m in inside))
            if span.users and product:
                # "Android users": the people who use a product are the victims
                users = f"org:{self._text[span.users[0] : span.users[1]]}"
                claims.append(
                    self._targeting_claim(article_id, sentence, cue, subject_actor, users)
                )
                continue
            if any(m.kind in _NEVER_VICTIMS or id(m) in excluded for m in inside):
                continue
            if self._speech_channel(span.start, span.end):
                continue  # "claimed the attacks on its Telegram channel": where it spoke
            if span.told and any(m.kind == "institution" and not m.canonical_id for m in inside):
                continue  # "security firm Nordlight, which reported the intrusions"
            # a name completing a longer one is part of it ("the city of Valdora")
            inside = [m for m in inside if not self._completes_name(m, span.start)]
            kinds = {"country"} if span.place else _VICTIM_KINDS
            values = [
                _victim_value(m)
                for m in inside
                if m.kind in kinds
                and m.canonical_id not in accused
                and not self._topic_of_name(m, span.start)
            ]
            if span.place and not values:
                # "water utilities in Texas": a state or a province names its country
                code = country_of_subdivision(self._text[span.start : span.end])
                values += [f"country:{code}"] if code else []
            named = [m for m in inside if m.kind not in ("country", "sector")]
            covered = any(m.start <= span.start and span.end <= m.end for m in inside)
            if span.proper and not span.place and not named and not covered:
                name = _POSSESSIVE_END.sub("", self._text[span.start : span.end])
                values.append(f"org:{_without_descriptor(name)}")
            elif span.refers is not None and not named:
                # "the county" for "Madison County", named a few sentences before
                name = _POSSESSIVE_END.sub("", self._text[span.refers[0] : span.refers[1]])
                values.append(f"org:{name}")
            claims += [
                self._targeting_claim(article_id, sentence, cue, subject_actor, value)
                for value in dict.fromkeys(values)
            ]
        return claims

    def _topic_of_name(self, mention: Mention, name_start: int) -> bool:
        """A state named inside a victim's name after a topic preposition is what the
        name is about, not where the victim is (« l'Alliance interparlementaire sur la
        Chine », "the Task Force on Russia")."""
        if mention.kind != "country" or mention.start <= name_start:
            return False
        words = re.findall(r"[\w-]+'?", self.index.folded[name_start : mention.start])
        while words and words[-1] in self._articles:
            words.pop()
        return bool(words) and words[-1] in self._topic_prepositions

    def _completes_name(self, mention: Mention, name_start: int) -> bool:
        """A name the KB does not know is the complement of a name that starts before it:
        it follows a name preposition of the language ("the city of Valdora", which the
        recogniser may call a person or an organisation)."""
        if mention.canonical_id is not None or mention.start <= name_start:
            return False
        before = self.index.folded[name_start : mention.start].split()
        return bool(before) and before[-1] in self._name_prepositions

    def _accused_after_source(self, hit: CueHit, mention: Mention, folded: str) -> bool:
        """The name after a source phrase opens the clause that accuses it: a comma ends
        the source phrase before it, and an attribution cue follows it within a few words
        ("according to officials, China was behind", « selon Washington, la Russie est
        responsable »)."""
        if "," not in folded[hit.end : mention.start]:
            return False
        return any(
            len(folded[mention.end : h.start].split()) <= 3
            for h in self.index.within("attribution", mention.end, mention.end + 40)
        )

    def _in_parentheses(self, at: int, sentence: SentenceInfo) -> bool:
        """The offset lies inside parentheses that close before the sentence ends."""
        opened = self._text.rfind("(", sentence.start, at)
        if opened == -1 or self._text.find(")", opened, at) != -1:
            return False
        return self._text.find(")", at, sentence.end) != -1

    def _attack_source(
        self, mention: Mention, hits: Sequence[CueHit], folded: str, sentence: SentenceInfo
    ) -> bool:
        """The name is where the attack comes from or what it goes through: a few words
        after an origin word (rules ``attack_origin``: "came from", « en provenance de »)
        or a means word (``attack_means``: "attacks via Wi-Fi Direct", « par le biais
        de »), no attack word, comma or full stop between."""
        for section, words in (("attack_origin", 6), ("attack_means", 3)):
            for origin in self.index.within(section, sentence.start, mention.start):
                between = folded[origin.end : mention.start]
                if (
                    len(between.split()) <= words
                    and "," not in between
                    and _FULL_STOP.search(between) is None
                    and not any(origin.end <= h.start < mention.start for h in hits)
                ):
                    return True
        return False

    def _shortly_after(
        self, section: str, words: int, mention: Mention, folded: str, sentence: SentenceInfo
    ) -> bool:
        """The name comes at most ``words`` words after a hit of ``section``, no comma
        between."""
        return any(
            len(folded[h.end : mention.start].split()) <= words
            and "," not in folded[h.end : mention.start]
            for h in self.index.within(section, sentence.start, mention.start)
        )

    def _named_otherwise(self, mention: Mention, folded: str, sentence: SentenceInfo) -> bool:
        """The name is no victim's, by the words right before it: what a lure passes itself
        off as (rules ``impersonation``, three words at most, no comma: "emails claiming to
        be from Airbnb", « se faisant passer pour »), who the attack was reported to (rules
        ``report_recipients``, two words at most: "reported the data breach to the
        Information Commissioner's Office", « a signalé l'incident à la CNIL »), or the
        name of an attack, a campaign or a flaw (``deed_names`` right before it, quotes
        aside: "a series of attacks called RansomWeb", « une campagne baptisée X »)."""
        return (
            self._shortly_after("impersonation", 3, mention, folded, sentence)
            or self._shortly_after("report_recipients", 2, mention, folded, sentence)
            or any(
                only_quotes_between(folded, h.end, mention.start)
                for h in self.index.within("deed_names", sentence.start, mention.start)
            )
        )

    def _qualifies_object(self, mention: Mention, hits: Sequence[CueHit], folded: str) -> bool:
        """A state qualifying the object right after an attack verb ("attacked Russian
        software developers", "spying on Iranian citizens"): a victim even when the doers
        are of that state too (domestic operations)."""
        if mention.kind != "country" or self.rules.adjective_after_noun:
            return False
        noun = re.match(r"\s+[a-z][\w-]*", folded[mention.end : mention.end + 40])
        if noun is None:
            return False
        for hit in hits:
            between = folded[hit.end : mention.start].split()
            if hit.end <= mention.start and len(between) <= 4:
                return all(_PLAIN_WORD.fullmatch(w) for w in between)
        return False

    def _targeted_body(
        self,
        mention: Mention,
        cue: CueHit,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
    ) -> bool:
        """A state body named as the object of the attack verb: a few words after it, in
        the same phrase ("hacked into the servers of the FBI"). Not a company or outlet
        (they report far more often than they are hit), not the doer of a passive verb
        ("targeted by the GRU", « par »), and not a body of another state named by a
        generic phrase ("the Qatari foreign office" is not the UK's)."""
        if not mention.canonical_id:
            return False
        entity = self.resolve(mention.canonical_id)
        if entity is None or entity.institution_type in ("company", "media"):
            return False
        between = folded[cue.end : mention.start]
        if "," in between or len(between.split()) > 5:
            return False
        agent = self.index.within(
            "passive_agent", max(sentence.start, mention.start - 30), mention.start
        )
        if any(len(folded[hit.end : mention.start].split()) <= 2 for hit in agent):
            return False
        qualifier = next(
            (m for m in mentions if m.kind == "country" and 0 <= mention.start - m.end <= 1), None
        )
        return (
            qualifier is None
            or entity.country is None
            or (qualifier.canonical_id == f"country:{entity.country.upper()}")
        )

    def _state_of_victim(self, mention: Mention, accused: set[str]) -> list[str]:
        """The state a targeted institution or agency belongs to ("hacked the US House of
        Representatives" -> the US), unless that state is accused."""
        if mention.kind not in ("institution", "agency") or not mention.canonical_id:
            return []
        entity = self.resolve(mention.canonical_id)
        if entity is None or not entity.country or len(entity.country) != 2:
            return []
        state = f"country:{entity.country.upper()}"
        return [] if state in accused else [state]

    def _qualified_before(
        self,
        hits: Sequence[CueHit],
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        excluded: set[int],
    ) -> list[Mention]:
        """States named, before a passive attack verb, as the nationality of its subject:
        "Denmark's central bank ... has been targeted", "the Israeli hosting provider X
        was attacked", « la banque centrale danoise a été ciblée ». Before an active verb
        the subject is the doer ("the Chinese government hacked"); the attackers' own
        nationality ("Russian hackers") and a state that is blamed or acts ("Russia has")
        are not victims either, nor one in another clause."""
        passive = self.index.within("passive_voice", sentence.start, sentence.end)
        verb = next((h for h in hits if _passive(h, passive, folded)), None)
        if verb is None:
            return []
        clause_start = sentence.start
        for mark in _CLAUSE_END.finditer(folded, sentence.start, verb.start):
            clause_start = mark.end()
        # a verb or a function word after the state makes it a subject ("Russia has")
        acts = [
            h.start
            for section in ("targeting", "actor_acts", "attribution", "speech", "state_as_subject")
            for h in self.index.within(section, sentence.start, sentence.end)
        ]
        found: list[Mention] = []
        for mention in mentions:
            if mention.kind == "sector":
                # "several Danish banks were knocked offline": a sector's word a few words
                # before the passive verb, in its clause, names its subject's sector
                between = folded[mention.end : verb.start]
                if (
                    clause_start <= mention.start < verb.start
                    and id(mention) not in excluded
                    and len(between.split()) <= _SECTOR_GAP
                    and _unbroken(between)
                ):
                    found.append(mention)
                continue
            if (
                mention.kind != "country"
                or not clause_start <= mention.start < verb.start
                or id(mention) in excluded
                or self._in_attacker_phrase(mention, folded, sentence)
            ):
                continue
            if self.rules.adjective_after_noun:
                # « la banque centrale danoise »: a noun right before the adjective
                before = folded[max(sentence.start, mention.start - 30) : mention.start]
                qualifies = bool(re.search(r"[a-z]{3,}\s+$", before))
            else:
                # "Denmark's central bank", "the US defense company": a word follows
                after = re.match(r"(?:['\u2019`]s)?\s+([a-z][\w-]*)", folded[mention.end :])
                qualifies = (
                    after is not None
                    and not after.group(1).endswith("ly")  # "Israel reportedly used"
                    and mention.end + after.start(1) not in acts
                )
            if qualifies:
                found.append(mention)
        return found

    def _targeting_claim(
        self,
        article_id: str,
        sentence: SentenceInfo,
        cue: CueHit,
        subject_actor: Mention | None,
        victim: str,
    ) -> Claim:
        return Claim(
            kind="targeting",
            evidence=self._evidence(article_id, sentence, [self._text[cue.start : cue.end]]),
            subject=mention_value(subject_actor) if subject_actor else None,
            object=victim,
        )

    def _own_breach(
        self,
        article_id: str,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        subject_actor: Mention | None,
    ) -> list[Claim]:
        """An organisation opening a sentence that tells of an attack on its own systems
        ("Acme said hackers had accessed its network", "Acme reported a ransomware
        attack"): the victim speaking (rules: ``own_breach``, with an attack verb or an
        incident word in the sentence)."""
        own = self._hits("own_breach", folded, sentence)
        if not own or not mentions or mentions[0].kind != "organisation":
            return []
        first = mentions[0]
        if first.start - sentence.start > 40 or own[0].start < first.end:
            return []
        said = [h for h in self._hits("source_before", folded, sentence) if h.start >= first.end]
        if not said or said[0].start - first.end > 60:
            return []
        attack = self._attacks(folded, sentence)
        if not attack and self._hits("flaw_words", folded, sentence):
            return []  # "Intel revealed a flaw in its chips": a vendor's advisory, no attack
        attack = attack or self.index.within("incident_types", sentence.start, sentence.end)
        told = [h for h in attack if h.start >= said[0].end]
        # "AWS said its customers were not affected": no attack told
        if not any(not self._denied_before(h, said[0].end, folded) for h in told):
            return []
        # "An ICO spokesman said: 'we received a breach report from Eurostar'": the parse
        # names whose breach it is, and it is not the speaker's
        if any(
            v.proper and v.start >= said[0].end and self._text[v.start : v.end] != first.text
            for v in self._parsed_victims.get(sentence.index, [])
        ):
            return []
        return [
            self._targeting_claim(
                article_id, sentence, said[0], subject_actor, _victim_value(first)
            )
        ]

    def _denied_before(self, hit: CueHit, start: int, folded: str) -> bool:
        """A word of ``no_attack`` stands at most three words before ``hit`` (and after
        ``start``): "were not affected", "is not aware of any exploits"."""
        return any(
            h.start >= start
            and len(folded[h.end : hit.start].split()) <= _DENIAL_GAP
            # "no evidence that data was accessed": the breach is not denied
            and not self.index.covering("false_friends", h.start, h.end)
            for h in self.index.within("no_attack", max(start, hit.start - 40), hit.start)
        )

    def _named_victims(
        self,
        article_id: str,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        subject_actor: Mention | None,
        accused: set[str],
    ) -> list[Claim]:
        """An organisation right before a victim cue ("Acme was breached", "Acme suffered
        a data breach", « la mairie a été piratée »): the victim (rules: ``victim_after``,
        and any attack verb in the passive: "Acme's site was defaced")."""
        claims: list[Claim] = []
        hits = self._hits("victim_after", folded, sentence)
        auxiliaries = self.index.within("passive_voice", sentence.start, sentence.end)
        for verb in self._attacks(folded, sentence):
            start = _passive_start(verb, auxiliaries, folded)
            if start is not None and not any(h.start <= verb.start < h.end for h in hits):
                hits.append(CueHit(start, verb.end, verb.cue))
        headline = len(sentence.text.split()) <= HEADLINE_WORDS
        if headline:
            # "Danish Car Register Hacked", "Finnish MFA Hacked by Turla": not when another
            # attribution cue says the name is blamed ("Russia Blamed for Hack")
            events = self._hits("victim_event", folded, sentence)
            blamed = [
                h
                for h in self._hits("attribution", folded, sentence)
                if not any(e.start == h.start for e in events)
            ]
            if not blamed:
                hits += events
        for hit in sorted(hits, key=lambda h: h.start):
            before = [
                m
                for m in mentions
                if m.end <= hit.start and m.kind in ("organisation", "institution")
            ]
            if before and hit.start - before[-1].end <= 3:
                if self._in_parsed_doer(before[-1], sentence):
                    continue  # "the firm Intsights hacked an ISIS forum": the doer
                value = _victim_value(before[-1])
            elif (
                country := self._country_qualifying(hit, folded, sentence, mentions)
            ) is not None and country.canonical_id not in accused:
                value = mention_value(country)
            else:
                continue
            claims.append(self._targeting_claim(article_id, sentence, hit, subject_actor, value))
        return claims

    def _country_qualifying(
        self, hit: CueHit, folded: str, sentence: SentenceInfo, mentions: Sequence[Mention]
    ) -> Mention | None:
        """The country whose name qualifies the words right before a victim cue ("the
        South Korean Resettlement Agency was hacked", "Danish Car Register Hacked", « le
        ministère danois a été piraté »): at most four plain words between them, at least
        one where the nationality comes before its noun; never the attackers' nationality."""
        countries = [m for m in mentions if m.kind == "country" and m.end <= hit.start]
        if not countries:
            return None
        country = countries[-1]
        between = folded[country.end : hit.start]
        words = between.split()
        # "the Danish ministry was hacked" (a noun after the nationality); "the website of
        # the Government of Pakistan was hacked" (the state completes the victim's noun)
        fewest = 0 if self.rules.adjective_after_noun or self._completes_noun(country) else 1
        if not fewest <= len(words) <= 4 or not all(_PLAIN_WORD.fullmatch(w) for w in words):
            return None
        suffered = self.rules.victim_syntax.get("suffered_nouns", ())
        if between.startswith("'s") and not folded[hit.start : hit.end].startswith(suffered):
            return None  # "Russia's attack": the doer's; "Denmark's data breach" is suffered
        if any(
            m.start >= country.end and m.end <= hit.start and m.kind != "sector" for m in mentions
        ):
            # another name in between: the country qualifies that one; a sector's word
            # does not make a name ("Singapore Defense Ministry Hack")
            return None
        if self._in_attacker_phrase(country, folded, sentence):
            return None
        if self.index.within("deny", country.end, hit.start):
            return None  # "Russia denied that it hacked the grid": who denies
        if any(
            len(folded[r.end : country.start].split()) <= 2
            for r in self.index.within("response", sentence.start, country.start)
        ):
            return None  # "Estonia expels Russian diplomats over ministry hack": answered
        return country

    def _completes_noun(self, country: Mention) -> bool:
        """The state is the complement of a noun before it ("the Government of Pakistan")."""
        hits = self.index.within("noun_complement", max(0, country.start - 12), country.start)
        return any(not self._text[h.end : country.start].strip() for h in hits)

    def _uses(
        self,
        article_id: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        subject_actor: Mention | None,
    ) -> list[Claim]:
        claims: list[Claim] = []
        seen: set[str] = set()
        for mention in mentions:
            if mention.kind not in ("malware", "tool", "product", "vulnerability"):
                continue
            if mention.kind == "product" and self._channel(mention):
                continue  # « sur sa chaîne Telegram »: where it was said, no means
            value = mention_value(mention)
            if value in seen:
                continue
            seen.add(value)
            claims.append(
                Claim(
                    kind="use",
                    evidence=self._evidence(article_id, sentence, [mention.text]),
                    subject=mention_value(subject_actor) if subject_actor else None,
                    object=value,
                )
            )
        return claims

    def _channel(self, mention: Mention) -> bool:
        """The product names where a group speaks: a noun of rules ``channel_nouns``
        right before or after it ("its Telegram channel", « sa chaîne Telegram »)."""
        folded = self.index.folded
        return any(
            not folded[h.end : mention.start].strip() or not folded[mention.end : h.start].strip()
            for h in self.index.within(
                "channel_nouns", max(0, mention.start - 20), mention.end + 20
            )
        )

    def _speech_channel(self, start: int, end: int) -> bool:
        """The phrase names where a group speaks: a channel noun marked ``speech_only``
        (rules ``channel_nouns``: "channel", « chaîne », not "website") opens it, ends it
        or comes right before it, after a possessive (rules ``possessive_determiners``:
        "its Telegram channel", « sa chaîne Telegram »; not "France's TV5Monde
        television channel")."""
        folded = self.index.folded
        channels = [
            h
            for h in self.index.within("channel_nouns", max(0, start - 20), end)
            if h.cue.get("speech_only")
            and (
                h.start == start
                or h.end == end
                or (h.end <= start and not folded[h.end : start].strip())
            )
        ]
        if not channels:
            return False
        opening = min(start, *(h.start for h in channels))
        # the possessive right before the phrase, or opening it ("its Telegram channel")
        return any(
            h.start <= start and not folded[h.end : max(opening, h.end)].strip()
            for h in self.index.within("possessive_determiners", max(0, opening - 12), end)
        )

    def _responses(
        self,
        article_id: str,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        accusers: Sequence[Mention],
        claims: Sequence[Claim],
    ) -> tuple[list[Claim], list[str]]:
        out: list[Claim] = []
        keys: list[str] = []
        labels = {
            str(h.cue.get("label")): h
            for h in self._hits("response", folded, sentence)
            if not self._prospective(h, folded, sentence)
        }
        # an indictment by a justice body is a response even if worded "accuse": its
        # attribution's cues are the response's
        implied: dict[str, tuple[str, ...]] = {}
        for claim in claims:
            if claim.kind == "attribution" and claim.attribution_type in (
                "indictment",
                "sanctions",
            ):
                labels.setdefault(claim.attribution_type, None)  # type: ignore[arg-type]
                implied.setdefault(claim.attribution_type, claim.evidence.cues)
        for label, hit in labels.items():
            actors = [
                m
                for m in mentions
                if m.kind in _ACCUSER_KINDS and (hit is None or m.end <= hit.start)
            ]
            if label == "denial":
                # « La Chine dément ... »; "China's embassy in Helsinki called it
                # groundless": a state named as where the speaker sits does not deny
                speakers = [m for m in actors if not self._placed(m)] or actors
                if not speakers and hit is not None:
                    # « "C'est sans fondement", a réagi l'ambassade de Chine »: the
                    # speaker named after the quoted denial
                    speakers = [
                        m
                        for m in mentions
                        if m.kind in _ACCUSER_KINDS and m.start >= hit.end and not self._placed(m)
                    ][:1]
                responder = speakers[-1] if speakers else None
            else:
                # the accuser of the clause that tells the response, where clauses have
                # their own ("X sanctioned A, and Y unsealed an indictment")
                own = [
                    m
                    for m in accusers
                    if hit is not None
                    and any(s <= m.start < e and s <= hit.start < e for s, e in self._clause_bounds)
                ]
                # "A Russian national has been charged": who is charged does not respond
                accused = {c.subject for c in claims if c.kind == "attribution"}
                responders = [m for m in actors if mention_value(m) not in accused]
                candidates = own or list(accusers) or responders
                responder = candidates[0] if candidates else None
            subject = mention_value(responder) if responder else None
            cues = [self._text[hit.start : hit.end]] if hit else list(implied.get(label, ()))
            out.append(
                Claim(
                    kind="response",
                    evidence=self._evidence(article_id, sentence, cues),
                    subject=subject,
                    text=label,
                )
            )
        for claim in claims:
            if (
                claim.kind == "attribution"
                and claim.attribution_type in ("indictment", "sanctions")
                and claim.accuser
                and not claim.accuser.startswith("text:")
            ):
                # Keyed by the accusing state: the DOJ and "Washington" indict for the same state.
                who = claim.accuser_country or claim.accuser
                keys.append(f"response:{claim.attribution_type}:{who}")
        return out, list(dict.fromkeys(keys))

    def _impacts(self, article_id: str, folded: str, sentence: SentenceInfo) -> list[Claim]:
        claims: list[Claim] = []
        for figure in self.figures.find(folded, sentence.start, sentence.end, self._text):
            phrase = sentence.text[figure.start - sentence.start : figure.end - sentence.start]
            claims.append(
                Claim(
                    kind="impact",
                    evidence=self._evidence(article_id, sentence, [phrase]),
                    value=figure.value,
                    unit=figure.unit,
                    text=phrase,
                )
            )
        return claims
