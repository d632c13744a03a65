"""Mentions of one parsed article: KB names, CVE ids and spaCy entities -> Mention values."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import spacy.lang.en.stop_words
import spacy.lang.fr.stop_words
from spacy.tokens import Doc, Span

from cyberveille.cve import CVE_RE, cve_of
from cyberveille.extract.cues import CueSet, rule_lines
from cyberveille.extract.fold import fold
from cyberveille.extract.regions import is_region, region_spans
from cyberveille.kb import KnowledgeBase
from cyberveille.kb.entity import KBMatch
from cyberveille.types import Evidence, Mention, MentionKind

# Words that make a sentence about cyber operations (used to keep ambiguous names).
CYBER_CONTEXT = re.compile(
    r"(?i)\b(?:cyber\w*|hack\w*|pirat\w*|malware\w*|maliciel\w*|apt\d*|attaqu\w*|attack\w*|"
    r"espion\w*|ransom\w*|ran[çc]on\w*|vuln\w*|faille\w*|exploit\w*|breach\w*|intrusion\w*|"
    r"backdoor\w*|phishing|campagne\w*|campaign\w*|threat\w*|menace\w*|group\w*|serveur\w*|server\w*|"
    r"stole\w*|stolen|steal\w*|heist\w*|defac\w*|d[ée]fig\w*|ddos|leak\w*|spyware\w*|espiogiciel\w*|"
    r"websites?|taken down|took down|sites? web)"
)
# Words that say an article is about ransomware (English and French stems): a family only
# the ransomware galaxy lists is that family only where the article speaks of ransoms or
# encryption ("Anonymous vs. Donald Trump" names no ransomware).
RANSOM_CONTEXT = re.compile(r"(?i)ransom|ran[çc]on|encrypt|chiffr|crypto-?lock|locker")
_KB_KINDS: dict[str, MentionKind] = {
    "threat_actor": "threat_actor",
    "agency": "agency",
    "institution": "institution",
    "country": "country",
    "sector": "sector",
    "malware": "malware",
    "tool": "tool",
    "product": "product",
}
# English and French stop words: never names, whatever a galaxy lists ("One", "Final").
_STOP_WORDS = frozenset(
    w.lower() for w in (*spacy.lang.en.stop_words.STOP_WORDS, *spacy.lang.fr.stop_words.STOP_WORDS)
)
_NOT_PEOPLE = {"malware", "tool", "threat_actor", "product"}
_SOFTWARE_KINDS = {"malware", "tool"}
#: A web link written out in the text: the words inside it name nothing.
LINK = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+", re.IGNORECASE)
_NER_KINDS: dict[str, MentionKind] = {"PER": "person", "PERSON": "person", "ORG": "organisation"}
#: "New" right before a place's name makes another place ("New Bern", "New London",
#: « Nouvelle-Orléans »); the places so named that the KB knows ("New Zealand", "New
#: Delhi") are matched whole before this test is reached.
_NEW_PLACE = re.compile(r"(?:\bNew|\bNouvelle|\bNouveau)[ -]$")
# Technical terms and job titles that statistical NER often labels ORG in security news
# ("a DDoS", "the PDF", "C&C servers", "the CFO"): never an organisation by themselves
# (rules/not_organisations.txt, one per line, any language).
_TECH_TERMS = frozenset(line.casefold() for line in rule_lines("not_organisations.txt"))


@dataclass(frozen=True)
class SentenceInfo:
    """A sentence of the article: its index and character bounds in the article text."""

    index: int
    start: int
    end: int
    text: str


def evidence_in(article_id: str, sentence: SentenceInfo, cues: Sequence[str]) -> Evidence:
    """Evidence for a fact read in ``sentence``: its text, offsets and the cue words (deduped)."""
    unique = tuple(dict.fromkeys(c.strip() for c in cues if c and c.strip()))
    return Evidence(article_id, sentence.index, sentence.text, sentence.start, sentence.end, unique)


def sentences_of(doc: Doc) -> list[SentenceInfo]:
    """The non-blank sentences of ``doc`` with their offsets (text stripped of edge spaces)."""
    out: list[SentenceInfo] = []
    for sent in doc.sents:
        raw = sent.text
        stripped = raw.strip()
        if not stripped:
            continue
        start = sent.start_char + (len(raw) - len(raw.lstrip()))
        out.append(SentenceInfo(len(out), start, start + len(stripped), stripped))
    return out


def sentence_at(sentences: Sequence[SentenceInfo], offset: int) -> int:
    """Index of the sentence holding character ``offset`` (the last one before it otherwise)."""
    lo, hi = 0, len(sentences) - 1
    best = 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if sentences[mid].start <= offset:
            best = mid
            lo = mid + 1
        else:
            hi = mid - 1
    return best


def _keep_ambiguous_place(match: KBMatch, doc: Doc, sentence: SentenceInfo, trained: bool) -> bool:
    """Context test for country names and capitals that are also other things."""
    if not any(c.isupper() for c in match.surface):
        return False
    span = doc.char_span(match.start, match.end, alignment_mode="expand")
    labels = {t.ent_type_ for t in span} if trained and span is not None else set()
    if match.form != "capital" and labels & {"PER", "PERSON", "ORG"}:
        return False  # "Jordan" the person, "Georgia Tech"
    subject = trained and span is not None and any(t.dep_.startswith("nsubj") for t in span)
    if match.form == "capital" and subject:
        return True  # "Moscou dément", "Washington accuses"
    return bool(CYBER_CONTEXT.search(sentence.text))


@dataclass(frozen=True)
class NameContext:
    """What the ambiguity filter reads around a name: type nouns ("le groupe X", "X malware")."""

    type_nouns: CueSet
    folded: str
    window: int = 16
    #: verbs of what actors do, right after their name ("X hacked", « X a revendiqué »)
    acts: CueSet | None = None
    act_window: int = 12
    #: noun lemmas a sector's word qualifies without naming the sector's organisations
    #: ("financial information", "for financial gain", « gain financier »)
    not_sector_nouns: frozenset[str] = frozenset()


def _qualifies_no_sector(doc: Doc, match: KBMatch, context: NameContext | None) -> bool:
    """A one-word sector name qualifying what is taken or sought, not who is hit: the
    parse makes it a modifier of one of ``not_sector_nouns`` ("stole financial
    information", "for financial gain", « à des fins de gain financier »)."""
    if context is None or not context.not_sector_nouns or not doc.has_annotation("DEP"):
        return False
    span = doc.char_span(match.start, match.end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return False
    token = span[0]
    while token.dep_ == "conj" and token.head is not token:
        token = token.head  # "personal and financial information": as its first conjunct
    return (
        token.dep_ in ("amod", "compound") and token.head.lemma_.lower() in context.not_sector_nouns
    )


def _acts(match: KBMatch, context: NameContext | None) -> bool:
    """An actor's name as the subject of an actor's verb ("Anonymous hacked the site",
    "Anonymous has claimed", « Anonymous a revendiqué »): the name, not the word."""
    if context is None or context.acts is None or match.kind != "threat_actor":
        return False
    # scan a little further than the window so that a cue starting inside it is whole
    scan_end = min(len(context.folded), match.end + context.act_window + 30)
    hits = context.acts.find(context.folded, match.end, scan_end)
    return any(hit.start < match.end + context.act_window for hit in hits)


#: What the type nouns of rules ``name_context`` name (their option ``names``; none: a
#: kind of malicious software), for the tests that only some of them pass.
_SOFTWARE_OR_CREW_NOUNS = frozenset({None, "actor", "generic"})
#: Nouns of malicious software or of its crew, not a generic one ("variant", "payload")
_MALICIOUS_OR_CREW_NOUNS = frozenset({None, "actor"})
_ACTOR_NOUNS = frozenset({"actor"})
#: The type nouns that confirm an ambiguous KB name of each kind (none listed: any): a
#: product's noun names no malicious software ("older Nexus devices")
_CONFIRMING_NOUNS: dict[str, frozenset[str | None]] = {
    "threat_actor": _ACTOR_NOUNS,
    "malware": _SOFTWARE_OR_CREW_NOUNS,
    "tool": _SOFTWARE_OR_CREW_NOUNS,
}


def _named_with_type(
    match: KBMatch, context: NameContext | None, nouns: frozenset[str | None] | None = None
) -> bool:
    """A type noun near the name (« le groupe Hafnium », "Pegasus spyware", "Windows 10
    version"), of one of ``nouns`` when given (by its ``names`` option): a noun of
    malicious software or of its crew, not one naming a product ("the Delta ransomware",
    "the Medusa group", not "the latest version of X"), or a noun of an actor only ("the
    Electrum wallet stealer" names no group called Electrum)."""
    if context is None:
        return False
    start = max(0, match.start - context.window)
    end = min(len(context.folded), match.end + context.window)
    return any(
        not (hit.start < match.end and match.start < hit.end)
        and (nouns is None or hit.cue.get("names") in nouns)
        for hit in context.type_nouns.find(context.folded, start, end)
    )


#: What stands right before an actor blamed for something ("hacked by Lazarus", "attributed
#: to Turla", « imputée à Turla »): folded text, at the end of the 30 characters before.
_BLAMED_BEFORE = re.compile(
    r"(?:(?P<agent>\bby|\bpar)|attributed to|linked to|tied to|blamed on"
    r"|attribue(?:e|s|es)? a|impute(?:e|s|es)? a|lie(?:e|s|es)? a)(?:\s+(?:the|le|la|l'))?\s+$"
)


def _blamed(match: KBMatch, context: NameContext | None, sentence: SentenceInfo) -> bool:
    """An actor's name right after an attribution phrase ("attributed to Turla"), or after
    "by" in a sentence about cyber operations ("the servers were hacked by Lazarus")."""
    if context is None or match.kind != "threat_actor":
        return False
    found = _BLAMED_BEFORE.search(context.folded[max(0, match.start - 30) : match.start])
    if found is None:
        return False
    return not found.group("agent") or bool(CYBER_CONTEXT.search(sentence.text))


def _marked_as_name(surface: str) -> bool:
    """Capitals past the first letter ("HAFNIUM", "CozyDuke"): no ordinary word looks so."""
    letters = [c for c in surface if c.isalpha()]
    return len(letters) >= 3 and any(c.isupper() for c in letters[1:])


def _capital_inside_a_word(surface: str) -> bool:
    """A word with a capital past its first letter ("LockBit", "REvil"), unlike a
    person's or a place's name ("Donald Trump")."""
    return any(any(c.isupper() for c in word[1:]) for word in surface.split())


def _is_type_noun(start: int, end: int, context: NameContext | None) -> bool:
    """The words at ``[start, end)`` are themselves a type noun ("Trojan", "Group")."""
    if context is None:
        return False
    return any(
        hit.start <= start and end <= hit.end
        for hit in context.type_nouns.find(context.folded, start, end)
    )


# a figure, not a name: an amount ("S$8.71", "RM26.42"), a version ("V4.0.1.1"), or a
# number with its scale or unit ("50 Gbps", "2 million"); "F5", "G20", "Channel 4" stay
_AMOUNT = re.compile(
    r"[A-Z]{0,3}[$\u20ac\u00a3\u00a5]\d[\d.,]*|[A-Z]{1,3}\d+(?:[.,]\d+)+|\d[\d.,]*%"
)
_NUMBER = re.compile(r"\d[\d.,]*")
_SCALES = frozenset(
    {"million", "millions", "billion", "billions", "thousand", "bn", "gbps", "mbps", "tbps"}
)


def _a_figure(surface: str) -> bool:
    words = [w.strip(".,;:()") for w in surface.split()]
    if any(_AMOUNT.fullmatch(w) for w in words):
        return True
    return any(_NUMBER.fullmatch(w) for w in words) and any(w.casefold() in _SCALES for w in words)


def _technical_or_figure(surface: str) -> bool:
    """A technical term, or a phrase ending in one ("Layer 7 DDoS"), a figure, or a world
    region ("the Middle East")."""
    words = surface.split()
    return (
        not words
        or is_region(surface)
        or surface.casefold() in _TECH_TERMS
        or words[-1].casefold().strip(".,;:()") in _TECH_TERMS
        or _a_figure(surface)
    )


# A model's designation: a few letters then digits ("S9", "Mi6", "A320"), not a number.
_MODEL = re.compile(r"[A-Za-z]{1,3}\d+[A-Za-z]?")


def names_no_organisation(surface: str, kb: KnowledgeBase) -> bool:
    """A phrase read as an organisation's name that names none: a technical term ("DDoS",
    "Layer 7 DDoS", "PowerShell"), a product or software the KB knows, alone or before
    technical terms ("Windows", "Mirai IoT"), a device's model ("Samsung Galaxy S9"), a
    figure ("RM26.42 million"), or a world region ("the Middle East")."""
    if _technical_or_figure(surface):
        return True
    words = surface.split()
    if len(words) > 1 and _MODEL.fullmatch(words[-1].strip(".,;:()")):
        return True  # a device's model ("Samsung Galaxy S9", "Xiaomi Mi6")
    for match in kb.match(surface):
        if match.kind in _NOT_PEOPLE and match.kind != "threat_actor" and match.start == 0:
            rest = surface[match.end :].split()
            if all(w.casefold() in _TECH_TERMS for w in rest):
                return True
    return False


def _not_an_organisation(
    ent: Span, surface: str, text: str, things: Sequence[tuple[int, int]]
) -> bool:
    """An ORG entity that names no organisation: a technical term ("DDoS", "C&C"), a
    software or product the KB knows ("Android", "Mirai"), a figure ("RM26.42 million"),
    or a common noun the article also writes in lower case ("Ransomware" opening a
    sentence, "ransomware" elsewhere)."""
    if _technical_or_figure(surface):
        return True
    if any(s <= ent.start_char and ent.end_char <= e for s, e in things):
        return True
    lower = surface.lower()
    # a lower-case word, not a domain, address or path ("oxo.com", "@verizon", "/eurostar")
    common = rf"(?<![\w@./-]){re.escape(lower)}(?![\w@/-]|\.\w)"
    return lower != surface and re.search(common, text) is not None


def _title_case(sentence: str) -> bool:
    """A headline written in Title Case ("Mexican Presidential Servers Hacked"): its
    capitals say nothing about which words are names."""
    words = [w for w in sentence.split() if w[:1].isalpha() and len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _a_verb(doc: Doc, match: KBMatch) -> bool:
    """The parser reads the name's one word as a verb ("Hacked", "Leaked")."""
    span = doc.char_span(match.start, match.end, alignment_mode="expand")
    return span is not None and len(span) == 1 and span[0].pos_ in ("VERB", "AUX")


def _verb_after(doc: Doc, match: KBMatch) -> bool:
    """The parser reads the word after the name, adverbs aside, as a verb ("Winnti also
    stole", not "Henbox attack on")."""
    span = doc.char_span(match.start, match.end, alignment_mode="expand")
    if span is None:
        return False
    after = [t for t in doc[span.end : span.end + 3] if t.pos_ != "ADV"]
    return bool(after) and after[0].pos_ in ("VERB", "AUX")


# NER labels of places and people: a name the statistical NER reads as one of these is
# not the obscure ransomware family of that name (organisations are left out: the NER
# reads "LockBit" as one).
_PERSON = frozenset({"PERSON", "PER"})
_PLACE_OR_PERSON = _PERSON | {"GPE", "LOC", "FAC", "NORP"}


def _a_person(doc: Doc, match: KBMatch, context: NameContext | None) -> bool:
    """The statistical NER reads exactly these words as a person's first and last names,
    and no type noun is near ("Donald Trump's website", not "the Donald Trump ransomware");
    one-word names are left alone: the NER often takes a malware's name for a person's."""
    if len(match.surface.split()) < 2 or _named_with_type(match, context):
        return False
    return _ner_reads(doc, match, _PERSON, exactly=True)


def _ner_reads(doc: Doc, match: KBMatch, labels: frozenset[str], *, exactly: bool) -> bool:
    """The statistical NER reads the match's words as an entity of one of ``labels``:
    exactly these words, or (``exactly=False``) these among others."""
    return any(
        ent.label_ in labels
        and (
            (ent.start_char, ent.end_char) == (match.start, match.end)
            if exactly
            else ent.start_char <= match.start and match.end <= ent.end_char
        )
        for ent in doc.ents
    )


#: A run of Base64 (or hex) characters too long to be words: an encoded blob or a hash.
_ENCODED_RUN = re.compile(r"[A-Za-z0-9+/=]{40,}")


def _in_identifier(text: str, match: KBMatch) -> bool:
    """The name is glued by an underscore to what is around it ("Play_VN_0123.html",
    Markdown's "Play\\_VN"): part of a file or variable name; or it lies inside an
    encoded blob ("...fjP41+N40/t7XSm...")."""
    after = text[match.end : match.end + 2]
    if text[match.start - 1 : match.start] == "_" or after.startswith("_") or after == "\\_":
        return True
    start = max(0, match.start - 40)
    return any(
        m.start() <= match.start and match.end <= m.end()
        for m in _ENCODED_RUN.finditer(text, start, match.end + 40)
    )


def _documented_by_mitre(kb: KnowledgeBase, match: KBMatch) -> bool:
    """Software MITRE ATT&CK documents ("Olympic Destroyer"): a name the field knows, kept
    even where the NER reads a person's name in it."""
    entity = kb.get(match.entity_id)
    return entity is not None and any(r.startswith("mitre-") for r in entity.refs)


def _long_tail_family(kb: KnowledgeBase, match: KBMatch) -> bool:
    """A malware only the MISP ransomware galaxy lists: its long tail of families named
    after what they imitate or target ("Netflix", "Windows 10", "Philadelphia")."""
    if match.kind != "malware":
        return False
    entity = kb.get(match.entity_id)
    return entity is not None and all(r.startswith("ransomware:") for r in entity.refs)


def _product_inside(kb: KnowledgeBase, match: KBMatch) -> KBMatch | None:
    """The first word of the match that the KB matches as a product ("Windows 10"), with
    its offsets in the text and the longer name's ambiguity: inside a name the KB matched
    unambiguously, it is that name's word, not the ordinary word ("windows")."""
    for word in re.finditer(r"\S+", match.surface):
        for found in kb.match(word.group()):
            if found.kind == "product" and found.start == 0 and found.end == len(word.group()):
                start = match.start + word.start()
                return dataclasses.replace(
                    found, start=start, end=start + found.end, ambiguous=match.ambiguous
                )
    return None


def _sentence_initial(doc: Doc, match: KBMatch) -> bool:
    span = doc.char_span(match.start, match.end, alignment_mode="expand")
    return span is not None and (span.start == 0 or bool(doc[span.start].is_sent_start))


def find_mentions(
    doc: Doc,
    text: str,
    sentences: Sequence[SentenceInfo],
    kb: KnowledgeBase,
    *,
    trained: bool,
    context: NameContext | None = None,
    ambiguity_filter: bool = True,
) -> list[Mention]:
    """Return the mentions of ``text`` (the article text ``doc`` was parsed from), by offset.

    Names that are also ordinary words or other things (Hafnium the element, "One",
    "Equation") are kept only with evidence: written with a capital, not a stop word,
    and next to a type noun (« le groupe Hafnium », "Pegasus spyware"), capitals inside
    the name, for an actor an actor's verb right after it ("Anonymous defaced") or an
    attribution phrase right before it ("attributed to Turla"), or an identity the
    article names unambiguously elsewhere. ``ambiguity_filter=False`` keeps them all (to
    measure what the filter costs and saves). Names inside links are never mentions.
    """
    mentions: list[Mention] = []
    # words inside a link name nothing in the text ("wired.com/story/sandworm-android")
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in LINK.finditer(text)]
    links = list(taken)
    confirmed: set[str] = set()
    pending: list[tuple[KBMatch, SentenceInfo]] = []
    accepted: list[tuple[KBMatch, SentenceInfo]] = []
    things: list[tuple[int, int]] = []  # KB software and product names, accepted or not
    matches, branches = _branches(_acronyms_of_actors(kb.match(text), text), text, context)
    for branch, end in branches:
        start = branch.start
        index = sentence_at(sentences, start) if sentences else 0
        mentions.append(
            Mention("threat_actor", text[start:end], start, end, index, branch.entity_id, 0.7)
        )
        taken.append((start, end))
        confirmed.add(branch.entity_id)
    programs = _names_of_programs(matches, text, kb)
    about_ransomware = RANSOM_CONTEXT.search(text) is not None
    states = [m for m in matches if m.kind == "country"]
    # "America" in "Latin America", « Amérique » in « Amérique du Nord »: no country
    regions = region_spans(context.folded if context is not None else fold(text))
    for match in matches:
        if any(
            s <= match.start and match.end <= e and e - s > match.end - match.start
            for s, e in regions
        ):
            continue
        new_place = (
            _NEW_PLACE.search(text, max(0, match.start - 9), match.start)
            if match.kind == "country"
            else None
        )
        if new_place is not None:
            # "New Bern": a town in North Carolina, not Switzerland's capital; a place's
            # name, so no organisation either
            taken.append((new_place.start(), match.end))
            continue
        if match.kind == "threat_actor":
            match = _of_the_state_stated(match, states, kb)
        if match.kind == "threat_actor" and not (
            _acts(match, context) and (not trained or _verb_after(doc, match))
        ):
            match = _as_software(match, text, kb, programs)
        if match.kind in _NOT_PEOPLE and match.kind != "threat_actor":
            things.append((match.start, match.end))
        sentence = sentences[sentence_at(sentences, match.start)] if sentences else None
        if sentence is None or _KB_KINDS.get(match.kind) is None:
            continue
        if links and any(s <= match.start and match.end <= e for s, e in links):
            continue
        if _in_identifier(text, match):
            continue  # "Play_VN_0123.html": a file's name, not the Play group
        if match.kind == "threat_actor" and match.surface.casefold() in _TECH_TERMS:
            continue  # "CNC command": command and control, not the group of that name
        spelled_apart = _spelled_apart(kb, match)
        if (
            trained
            and match.kind in _NOT_PEOPLE
            and (spelled_apart or not _marked_as_name(match.surface))
            # an actor's name in a Title Case headline ("Anonymous Hacks Department of
            # Justice"): the capitals around it say nothing; a software name there
            # ("MuddyWater Global Campaign") still gives way
            and not (match.kind == "threat_actor" and _title_case(sentence.text))
            and _inside_longer_name(doc, match, context, 4 if spelled_apart else 1)
        ):
            continue  # "Ank Bijleveld" is a minister, not the Ank malware
        if (
            trained
            and match.kind in _SOFTWARE_KINDS
            and not _documented_by_mitre(kb, match)
            and _a_person(doc, match, context)
        ):
            continue  # "Donald Trump's website": the man, not the ransomware of that name
        long_tail = _long_tail_family(kb, match)
        if (
            long_tail
            and match.ambiguous
            and not _named_with_type(match, context, _MALICIOUS_OR_CREW_NOUNS)
        ):
            continue  # "the Final payload", "the Delta variant": an ordinary word
        if long_tail and not _named_with_type(match, context, _SOFTWARE_OR_CREW_NOUNS):
            product = _product_inside(kb, match)
            if product is not None:
                match = product  # "Windows 10": the product, not the family of that name
            elif not about_ransomware and not _capital_inside_a_word(match.surface):
                # "Donald Trump" in an article that says nothing of ransoms ("LockBit",
                # written as no word is, stays)
                continue
            elif trained and _ner_reads(doc, match, _PLACE_OR_PERSON, exactly=False):
                continue  # "Philadelphia": the city
        if (
            ambiguity_filter
            and match.kind == "malware"
            and match.surface.islower()
            and _written_with_capitals(kb, match.entity_id)
            and not _named_with_type(match, context)
        ):
            continue  # "a dataleak": the family the KB writes "DataLeak" is a name
        if match.kind == "sector" and match.ambiguous and _qualifies_no_sector(doc, match, context):
            continue  # "financial information": what was stolen, not the victim's sector
        if not match.ambiguous or not ambiguity_filter or match.kind == "sector":
            # sectors are kept here; the claim rules use them only in a targeting context
            accepted.append((match, sentence))
            if not match.ambiguous:
                confirmed.add(match.entity_id)
        elif match.kind == "country":
            if _keep_ambiguous_place(match, doc, sentence, trained):
                accepted.append((match, sentence))
        elif text[match.end : match.end + 4].lower() == ".exe":
            accepted.append((match, sentence))  # "ping.exe", "psexec.exe": the program
            confirmed.add(match.entity_id)
        elif (
            not any(c.isupper() for c in match.surface)
            or match.surface.lower() in _STOP_WORDS
            or _is_type_noun(match.start, match.end, context)
            or (trained and _title_case(sentence.text) and _a_verb(doc, match))
        ):
            continue  # "one", "Trojan", "Servers Hacked" in a headline: words, not names
        elif (
            _marked_as_name(match.surface)
            or (
                _named_with_type(match, context, _CONFIRMING_NOUNS.get(match.kind))
                and not _sentence_initial(doc, match)
            )
            or _acts(match, context)
            or _blamed(match, context, sentence)
        ):
            accepted.append((match, sentence))
            confirmed.add(match.entity_id)
        else:
            pending.append((match, sentence))
    accepted += [(m, s) for m, s in pending if m.entity_id in confirmed]
    for match, sentence in sorted(accepted, key=lambda pair: pair[0].start):
        kind: MentionKind = _KB_KINDS[match.kind]
        confidence = 0.7 if match.ambiguous else 1.0
        mentions.append(
            Mention(
                kind,
                match.surface,
                match.start,
                match.end,
                sentence.index,
                match.entity_id,
                confidence,
            )
        )
        taken.append((match.start, match.end))
    for m in CVE_RE.finditer(text):
        cve = cve_of(m)
        index = sentence_at(sentences, m.start()) if sentences else 0
        mentions.append(
            Mention("vulnerability", m.group(0), m.start(), m.end(), index, f"cve:{cve}")
        )
        taken.append((m.start(), m.end()))
    if trained:
        for ent in doc.ents:
            ner_kind = _NER_KINDS.get(ent.label_)
            if ner_kind is None or _overlaps(ent, taken):
                continue
            # a sentence adverb the recogniser ran into the name ("Thankfully Stuart"), or
            # a determiner in lower case ("the Electoral Commission"; "The Shadow Brokers"
            # keeps the capital its name has)
            lead = 0
            while lead < len(ent) - 1 and (
                (ent[lead].pos_ == "ADV" and ent[lead].dep_ == "advmod")
                or (ent[lead].pos_ == "DET" and ent[lead].is_lower)
            ):
                lead += 1
            ent = ent[lead:]
            surface = re.sub(r"\s*['\u2019]s$", "", ent.text.strip())  # "Acme's" names Acme
            # an entity the recogniser cut before its last word ("the Supreme Court of",
            # "Holiday Inn and") ends with its last name word
            surface = _DANGLING.sub("", surface)
            if surface.endswith(".") and (ner_kind == "person" or len(surface.split()[-1]) > 5):
                surface = surface[:-1]  # the sentence's full stop, not "Inc." or "Corp."
            if len(surface) < 2 or not any(c.isupper() for c in surface):
                continue
            if ner_kind == "organisation" and _not_an_organisation(ent, surface, text, things):
                continue
            if ner_kind == "person" and _technical_or_figure(surface):
                continue  # "infected by Miria Botnet": software, not someone
            index = sentence_at(sentences, ent.start_char) if sentences else 0
            mentions.append(
                Mention(
                    ner_kind,
                    surface,
                    ent.start_char,
                    ent.start_char + len(surface),
                    index,
                    None,
                    0.6,
                )
            )
    mentions = _people_by_surname(mentions)
    mentions = _institutions_by_short_name(mentions, kb)
    mentions.sort(key=lambda m: (m.start, -m.end))
    return mentions


# Words that cannot end a name: a preposition, an article or a conjunction left dangling.
_DANGLING = re.compile(
    r"(?:[\s,]+(?:of|for|and|the|on|in|at|de|du|des|et|pour|la|le|les|d'|l'))+[\s,]*$",
    re.IGNORECASE,
)


def _people_by_surname(mentions: list[Mention]) -> list[Mention]:
    """An organisation the NER found whose one word is the surname of a person the article
    names in full ("Terry Felker ... Felker said"): that person, not an organisation."""
    surnames = {
        m.text.split()[-1]
        for m in mentions
        if m.kind == "person" and m.canonical_id is None and len(m.text.split()) > 1
    }
    return [
        dataclasses.replace(m, kind="person")
        if m.kind == "organisation" and m.canonical_id is None and m.text in surnames
        else m
        for m in mentions
    ]


def _institutions_by_short_name(mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """An organisation the NER found whose words are a distinctive part of the name of
    one institution or agency the article named before ("the U.S. Treasury Department
    ... Treasury said"): that institution. Words many institutions' names share
    ("Department", "National") are no short name of one."""
    named = [m for m in mentions if m.kind in ("institution", "agency") and m.canonical_id]
    if not named:
        return mentions
    common = _common_institution_words(kb)
    shortened: list[Mention] = []
    for mention in mentions:
        words = mention.text.split()
        if (
            mention.kind == "organisation"
            and mention.canonical_id is None
            and not any(w in common for w in words)
        ):
            pattern = re.compile(r"(?<!\w)" + re.escape(mention.text) + r"(?!\w)")
            earlier = {
                m.canonical_id: entity
                for m in named
                if m.start < mention.start
                and (entity := kb.get(str(m.canonical_id))) is not None
                and any(pattern.search(n) for n in (entity.name, *entity.aliases))
            }
            if len(earlier) == 1:
                (entity,) = earlier.values()
                if entity.kind in ("institution", "agency"):
                    kind: MentionKind = "agency" if entity.kind == "agency" else "institution"
                    mention = dataclasses.replace(mention, kind=kind, canonical_id=entity.id)
        shortened.append(mention)
    return shortened


@functools.cache
def _common_institution_words(kb: KnowledgeBase) -> frozenset[str]:
    """Capitalised words found in the names of three institutions or agencies or more."""
    counts: Counter[str] = Counter()
    for entity in (*kb.entities("institution"), *kb.entities("agency")):
        names = (entity.name, *entity.aliases)
        counts.update({w for n in names for w in re.findall(r"[\w'-]+", n) if w[:1].isupper()})
    return frozenset(w for w, n in counts.items() if n >= 3)


def _inside_longer_name(
    doc: Doc, match: KBMatch, context: NameContext | None = None, words: int = 1
) -> bool:
    """True when a named entity holds the match (of at most ``words`` tokens) plus other
    capitalised words that are not stop words or type nouns ("Ank Bijleveld" holds Ank;
    "The APT Lazarus" and "Andariel Group" are still the actors)."""
    span = doc.char_span(match.start, match.end, alignment_mode="expand")
    if span is None or len(span) > words:
        return False
    for ent in doc.ents:
        if ent.start <= span.start and span.end <= ent.end and len(ent) > len(span):
            # only the words right next to the match make one name with it (an entity
            # running over "vs.", "Anonymous vs. Gabon", holds two names, not a longer
            # one); past a hyphen, the next word is the neighbour ("Gazprom-Kommersant")
            before = (
                span.start - 2
                if span.start >= 2 and doc[span.start - 1].text == "-"
                else span.start - 1
            )
            after = span.end + 1 if span.end < len(doc) and doc[span.end].text == "-" else span.end
            others = [t for t in ent if t.i in (before, after)]
            return any(
                t.text[:1].isupper()
                and not t.is_stop
                and not _is_type_noun(t.idx, t.idx + len(t.text), context)
                for t in others
            )
    return False


def _spelled_apart(kb: KnowledgeBase, match: KBMatch) -> bool:
    """The text writes in several words a name the KB writes as one ("Pro CC" for the
    ProCC group): its capitals then mark no name of ours."""
    if " " not in match.surface.strip():
        return False
    entity = kb.get(match.entity_id)
    return entity is not None and not any(" " in n for n in (entity.name, *entity.aliases))


def _written_with_capitals(kb: KnowledgeBase, entity_id: str) -> bool:
    entity = kb.get(entity_id)
    return entity is not None and any(c.isupper() for c in entity.name)


def initials(name: str) -> str:
    """The capitals of a name, one per word or camel-cased part ("Turk Hack Team" -> THT)."""
    return "".join(c for word in name.split() for c in word if c.isupper())


def _acronyms_of_actors(matches: list[KBMatch], text: str) -> list[KBMatch]:
    """An acronym in parentheses right after an actor's name, made of its initials ("Turk
    Hack Team (THT)"), is that actor's, whatever else the knowledge base calls so."""
    out: list[KBMatch] = []
    for match in matches:
        actor = next(
            (
                m
                for m in reversed(out)
                if m.kind == "threat_actor" and text[m.end : match.start] in (" (", "(")
            ),
            None,
        )
        if (
            actor is not None
            and match.kind != "threat_actor"
            and text[match.end : match.end + 1] == ")"
            and match.surface.isupper()
            and initials(actor.surface) == match.surface
        ):
            match = dataclasses.replace(
                match, entity_id=actor.entity_id, kind="threat_actor", ambiguous=False
            )
        out.append(match)
    return out


def _branches(
    matches: list[KBMatch], text: str, context: NameContext | None
) -> tuple[list[KBMatch], list[tuple[KBMatch, int]]]:
    """Find the national branches of known actors: an actor's name followed by a country's
    name ("Anonymous Cambodia", "Anonymous Italy hacked") names a cell of that actor, not
    the country. A branch resolves to the actor it belongs to (trends and grouping count
    it there) and its mention keeps the whole name. Returns the other matches and, per
    branch, the actor's match and the end of the branch's name. The country must end the name:
    what follows is lower case, punctuation other than a possessive, "vs." or an actor's
    verb ("Anonymous Cuba Defaces"), so "the Sandworm Ukraine Attacks" keeps them apart."""
    kept: list[KBMatch] = []
    branches: list[tuple[KBMatch, int]] = []
    skip = -1
    for i, match in enumerate(matches):
        if i == skip:
            continue
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        if (
            nxt is not None
            and match.kind == "threat_actor"
            and match.surface[:1].isupper()
            and nxt.kind == "country"
            and nxt.form == "name"
            and text[match.end : nxt.start] == " "
            and nxt.surface[:1].isupper()
            and _ends_name(text, nxt.end, context)
        ):
            branches.append((match, nxt.end))
            skip = i + 1
            continue
        kept.append(match)
    return kept, branches


#: Nouns after a name that make it a program's ("the Konni RAT", "HenBox malware").
_SOFTWARE_NOUN = re.compile(r"\s+(?i:rat|malware|backdoor|trojan|implant|spyware|loader)\b")


_GROUP_NOUN_AFTER = re.compile(r"\s+(?i:group|gang|actors?|hackers|team|crew|operators)\b")


def _names_of_programs(matches: Sequence[KBMatch], text: str, kb: KnowledgeBase) -> set[str]:
    """The actors' ids whose name the article gives a program somewhere ("the Henbox
    malware"): there, the name alone ("Henbox attack on Uyghurs") is the program too."""
    return {
        m.entity_id
        for m in matches
        if m.kind == "threat_actor" and _as_software(m, text, kb).kind != "threat_actor"
    }


def _as_software(
    match: KBMatch, text: str, kb: KnowledgeBase, programs: set[str] | None = None
) -> KBMatch:
    """An actor's name that is also a program's, followed by a software noun ("Konni RAT
    malware", "the HenBox malware by PKPLUG"), names the program; so does the bare name in
    an article that calls it a program elsewhere (``programs``), unless a group noun
    follows it ("the Winnti group"); the caller keeps an actor's verb's subject ("Winnti
    stole") an actor."""
    if not _SOFTWARE_NOUN.match(text, match.end) and (
        programs is None
        or match.entity_id not in programs
        or _GROUP_NOUN_AFTER.match(text, match.end)
    ):
        return match
    software = [e for e in kb.lookup(match.surface) if e.kind in _SOFTWARE_KINDS]
    if len(software) != 1:
        return match
    return dataclasses.replace(
        match, entity_id=software[0].id, kind=software[0].kind, ambiguous=False
    )


#: Characters before an actor's name where its state may be given ("Russian
#: state-sponsored hacking group IRIDIUM").
_STATE_BEFORE_ACTOR = 60


def _of_the_state_stated(match: KBMatch, states: Sequence[KBMatch], kb: KnowledgeBase) -> KBMatch:
    """A name that several actors go by (IRIDIUM: an Iranian group in one galaxy, Sandworm
    in Microsoft's naming) is the actor of the state the text names right before it, when
    exactly one of them is that state's."""
    actors = kb.lookup(match.surface, "threat_actor")
    if len(actors) < 2:
        return match
    stated = {
        s.entity_id.split(":", 1)[1]
        for s in states
        if match.start - _STATE_BEFORE_ACTOR <= s.start and s.end <= match.start
    }
    chosen = [a for a in actors if a.country and a.country in stated]
    if len(chosen) != 1 or chosen[0].id == match.entity_id:
        return match
    return dataclasses.replace(match, entity_id=chosen[0].id)


def _ends_name(text: str, end: int, context: NameContext | None) -> bool:
    """Nothing at ``end`` continues the name: the text ends, or punctuation (not a
    possessive), a lower-case word, "vs." or an actor's verb follows."""
    rest = text[end : end + 40]
    if not rest:
        return True
    if rest[0] in "'’":
        return False
    word = rest.split(maxsplit=1)[0] if rest.strip() else ""
    if not rest[0].isspace() or not word or not word[0].isupper():
        return True
    if word.rstrip(".").lower() in ("vs", "versus"):
        return True
    if context is None or context.acts is None:
        return False
    first = end + len(rest) - len(rest.lstrip())
    return any(
        h.start == first for h in context.acts.find(context.folded, first, first + len(word))
    )


def _overlaps(span: Span, taken: Sequence[tuple[int, int]]) -> bool:
    return any(span.start_char < end and start < span.end_char for start, end in taken)
