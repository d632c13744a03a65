"""Actors, security firms and malware the knowledge base lacks, named by how they are introduced.

"the hacktivist group RedFox", « le collectif de pirates Nuit Noire », "BlueCrow, a
hacker group": an introducer from the rules (section ``actor_introducers``) followed
or preceded by a name (capitalised words or a quoted string) makes a threat-actor
mention with a new canonical id ``actor:<slug>``. Names the knowledge base already
resolves, countries, dates, stop words and generic words are skipped.
``self_named_actors`` finds names that say what they are ("Bangladesh Cyber Army",
hacker handles doing an actor's verb) and the name opening a "X vs. Y" headline;
``operators_of_software`` the crew named after its software ("the DarkSide gang");
``designated_actors`` the names written in a vendor's naming scheme ("TA3546", "UNC4841");
``one_id_per_new_actor`` gives one id to the spellings of one discovered actor;
``named_companies`` the security companies ("researchers at Kestrel Labs") and
``named_software`` the malware families ("a wiper dubbed GreyFlood") named after what
they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import spacy.lang.en.stop_words
import spacy.lang.fr.stop_words

from cyberveille.extract.cues import CueSet, RuleError, only_quotes_between, rule_lines
from cyberveille.extract.fold import fold
from cyberveille.extract.mentions import LINK, SentenceInfo, initials, sentence_at
from cyberveille.kb import KnowledgeBase
from cyberveille.kb.normalize import name_key, slugify, split_camel_case
from cyberveille.kb.wordlist import is_ordinary_word, month_names, ordinary_words
from cyberveille.types import Mention

# A name: a quoted string, or 1-4 words each starting with a capital or a digit
# ("Team P0ison", "NoName057(16)", "Cyber Army of Kashmir" is cut at "of").
_QUOTED = r"[\"\u201c\u00ab]\s*(?P<quoted>[^\"\u201d\u00bb]{2,40}?)\s*[\"\u201d\u00bb]"
_WORD = r"[A-Z0-9](?:[\w@€$-]|[.#](?=\w))*(?:\(\d+\))?"  # a dot only inside ("Site. Hacking")
_CAPITALISED = rf"(?P<name>{_WORD}(?:[ -]{_WORD}){{0,3}})"
_AFTER = re.compile(
    rf"\s+(?:(?:called|named|dubbed|known as|calling itself|baptisé|nommé|appelé|surnommé)\s+)?"
    rf"(?:(?:the|le|la|les)\s+(?=[\"\u201c\u00ab]))?"  # "calling themselves the “X”"
    rf"(?:{_QUOTED}|{_CAPITALISED})"
)
#: The next name of a list ("DC Leaks, Fancy Bears and Guccifer 2.0").
_LIST_NEXT = re.compile(
    rf"(?:\s*,\s*(?:(?:and|or|et|ou)\s+)?|\s+(?:and|or|et|ou)\s+)(?:{_QUOTED}|{_CAPITALISED})"
)
_BEFORE = re.compile(
    rf"(?:{_QUOTED}|{_CAPITALISED}),\s+(?:an?|the|un|une|le|la)\s+(?:[\w-]+\s+){{0,2}}$"
)
#: An opening quotation mark, and the space after it, if any.
_OPENING_QUOTE = re.compile(r"[\"\u201c\u00ab]\s?$")
_ADJACENT = re.compile(rf"(?<![\w-]){_CAPITALISED}\s+$")
_STOP = frozenset(
    w.lower() for w in (*spacy.lang.en.stop_words.STOP_WORDS, *spacy.lang.fr.stop_words.STOP_WORDS)
)
_GENERIC = {
    "the",
    "a",
    "an",
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "this",
    "that",
    "these",
    "its",
    "their",
    "his",
    "her",
    "in",
    "on",
    "of",
    "and",
    "et",
    "de",
    "du",
    "with",
    "which",
    "who",
}


#: Words of the trade that stand before "threat actor" or "hackers" without naming anyone
#: ("an APT threat actor", "C2 operators").
_TRADE_WORDS = {"apt", "c2", "cnc", "c&c", "rat", "it", "ot", "ics", "ransomware", "malware"}
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_SPACES = re.compile(r" *")

_KNOWN_KINDS = {"threat_actor", "country", "agency", "institution", "sector", "product"}


#: Words of the institutions that report on hackers, never in a hacker group's name.
_INSTITUTION = re.compile(
    r"(?i)secur|agency|agence|ministry|minist[eè]re|police|government|department|\bcert\b"
)
#: Words that open the name of a campaign, not of a group ("Operation AntiSec").
_CAMPAIGN_WORDS = {"operation", "op", "campaign", "opération", "campagne"}


def _title_case(sentence: str) -> bool:
    words = [w for w in sentence.split() if w[:1].isalpha()]
    capitalised = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 4 and capitalised / len(words) > 0.6


def _usable(
    name: str,
    kb: KnowledgeBase,
    *,
    sentence_start: bool = False,
    named: bool = False,
    quoted: bool = False,
) -> bool:
    """Whether a capitalised or quoted string next to an introducer can name a new actor.

    ``named``: the name follows the introducer ("the threat actor X", "dubbed X") or is
    quoted, the strongest position; a single ordinary word elsewhere ("Finally, the
    threat actor", "Process hacker") is a word, not a name. ``quoted``: it is quoted
    after the introducer, so a nationality opening it is part of the name ("calling
    themselves the “Turkish Crime Family”").
    """
    words = name.split()
    if not words or words[0].lower() in _GENERIC or words[0].lower() in _STOP or len(name) < 3:
        return False
    if words[0].lower() in _CAMPAIGN_WORDS:
        return False  # "Operation AntiSec, the hacker groups...": a campaign, not its actors
    if _INSTITUTION.search(name):
        return False  # "According to the Catalan Cybersecurity Agency, the ransomware group"
    if not any(c.isalpha() for c in name):
        return False
    lowered = [w.lower().strip(".,") for w in words]
    if any(name_key(w) in month_names() for w in words) or _YEAR.search(name):
        return False  # a date: "June 2021, the threat actor"
    if all(w in _TRADE_WORDS for w in lowered):
        return False
    if (
        len(words) == 1
        and is_ordinary_word(name, ordinary_words())
        and (sentence_start or not named)
    ):
        return False  # "Previously, a hacker group...": a word that starts the sentence
    if re.match(r"(?i)(?:pro|anti)-\S+$", name):
        return False  # "Pro-Houthi": a stance, not a name
    if re.search(r"-[a-z]", name):
        return False  # "State-sponsored", "Shanghai-based": adjectives, not names
    if not quoted and any(m.kind == "country" and m.start == 0 for m in kb.match(name)):
        return False  # "Pro-Russian hackers", "Turkish Hackers": a nationality, not a name
    # a name the KB knows as an actor, a state or an institution is found by the matcher
    return not any(e.kind in _KNOWN_KINDS for e in kb.lookup(name))


def discover_actors(
    text: str,
    folded: str,
    sentences: Sequence[SentenceInfo],
    introducers: CueSet,
    kb: KnowledgeBase,
    taken: Sequence[tuple[int, int]],
    benign: CueSet | None = None,
    actors: Sequence[Mention] = (),
) -> list[Mention]:
    """New threat-actor mentions introduced by a group noun, not overlapping ``taken``;
    none after a ``benign`` qualifier ("an ethical hacker", "jailbreaking hackers").

    With ``alias`` ("tracks as"), the name after the introducer is another name of the
    actor of ``actors`` named last before it in its sentence, if any ("APT28, which
    Kestrel tracks as Red Kite"); where none is, an introducer with ``nouns`` introduces
    a new actor only where one of those words stands among the few before it ("a group
    it tracks as X", not "a backdoor tracked as X")."""
    found: list[Mention] = []
    spans = list(taken)
    kind_words = [h.end for h in benign.find(folded)] if benign is not None else []
    for hit in introducers.find(folded):
        sentence = sentences[sentence_at(sentences, hit.start)] if sentences else None
        if hit.cue.get("alias"):
            earlier = [
                a
                for a in actors
                if a.canonical_id
                and a.end <= hit.start
                and (sentence is None or a.start >= sentence.start)
            ]
            if earlier:
                _add_alias(found, spans, sentences, text, hit.end, earlier[-1])
                continue
        nouns = hit.cue.get("nouns")
        if nouns and not _unnamed_noun_before(text, folded, sentence, hit.start, nouns):
            continue
        if sentence is not None and _title_case(sentence.text):
            continue  # "Chinese Hackers Target Ministries": every word has a capital
        if text[hit.start : hit.start + 1].isupper() and _OPENING_QUOTE.search(
            text, max(0, hit.start - 2), hit.start
        ):
            continue  # which I call “Hackers Busy Cracking”: a quoted title, no crew
        if any(
            end <= hit.start and len(folded[end : hit.start].split()) <= 1 for end in kind_words
        ):
            continue  # "Victor Gevers, an ethical hacker": who finds flaws, not who attacks
        candidates: list[tuple[int, int, str, bool]] = []
        quoted_names: set[int] = set()
        after = _AFTER.match(text, hit.end)
        if after and not text.startswith(":", after.end()):  # "Threat Actor Profile: TA505"
            listed: re.Match[str] | None = after
            while listed is not None:
                group = "quoted" if listed.group("quoted") else "name"
                candidates.append(
                    (listed.start(group), listed.end(group), listed.group(group), True)
                )
                if listed.group("quoted"):
                    quoted_names.add(listed.start(group))
                # "groups such as X, Y and Z": each name of the list is one
                listed = _LIST_NEXT.match(text, listed.end()) if hit.cue.get("list") else None
        line_start = max(text.rfind("\n", 0, hit.start), text.rfind(".", 0, hit.start)) + 1
        before = _BEFORE.search(text, line_start, hit.start)
        if before and before.end() == hit.start:
            group = "quoted" if before.group("quoted") else "name"
            quoted = group == "quoted"
            candidates.append((before.start(group), before.end(group), before.group(group), quoted))
        adjacent = _ADJACENT.search(text, line_start, hit.start)  # "RedFox hackers"
        if adjacent and adjacent.end() == hit.start:
            candidates.append(
                (adjacent.start("name"), adjacent.end("name"), adjacent.group("name"), False)
            )
        if hit.cue.get("after_only"):
            # what stands before a bare plural says where hackers are from ("Azerbijan
            # hackers"), before "defaced by" it is the victim ("the portal defaced by X")
            candidates = [c for c in candidates if c[0] >= hit.end]
        if hit.cue.get("weak"):
            # "hacked by X": a name, but a plain word there ("hacked by Insiders") is none,
            # nor software ("compromised by Sinowal": the malware, not its crew)
            candidates = [
                (s, e, n, False)
                for s, e, n, _ in candidates
                if not any(x.kind in ("malware", "tool") for x in kb.lookup(n.strip(" .,;:")))
            ]
        for start, _, name, named in candidates:
            name = name.strip(" .,;:")
            # "The AnonPlus hacker group": the article is not part of the name
            while (first_word := name.split(" ", 1)[0]).lower() in _GENERIC and " " in name:
                name = name[len(first_word) + 1 :]
                start += len(first_word) + 1
            # what precedes the name in its sentence, less quotes and list numbers ("7.Finally")
            lead = text[sentence.start : start] if sentence is not None else "x"
            first = not re.sub(r"[\s\"'\u201c\u00ab\d.)*#-]+", "", lead)
            if _usable(name, kb, sentence_start=first, named=named, quoted=start in quoted_names):
                spelled = _spelled_out(text, start + len(name), name)
                end = start + len(name)
                # a quoted name holds its own place names ("the “Turkish Crime Family”")
                inside = [(s, e) for s, e in spans if start <= s and e <= end]
                usable = [x for x in spans if x not in inside] if start in quoted_names else spans
                _add_actor(found, usable, sentences, start, name, kb, spelled or name)
                if usable is not spans:
                    spans.append((start, end))
                if spelled:
                    words_at = text.index(spelled, start + len(name))
                    # the group's name wins over the places on its words ("Pakistan")
                    _add_actor(found, [], sentences, words_at, spelled, kb)
                    spans.append((words_at, words_at + len(spelled)))
    return found


#: An acronym and, in parentheses right after it, the words it stands for: "PCA (Pakistan
#: CyberArmy)" (a camel-cased word gives one initial per capital).
_ACRONYM = re.compile(r"[A-Z]{2,6}")
_SPELLED_OUT = re.compile(r"\s*\((?P<words>[A-Z][\w-]*(?:\s+[\w-]+){0,5})\)")


def _spelled_out(text: str, end: int, name: str) -> str | None:
    """What an acronym just discovered stands for, when the text spells it out right after
    it ("called PCA (Pakistan CyberArmy)"): the group's full name, the one analysts use."""
    if not _ACRONYM.fullmatch(name):
        return None
    spelled = _SPELLED_OUT.match(text, end)
    if spelled is None:
        return None
    words = spelled.group("words")
    return words if initials(words) == name else None


def _unnamed_noun_before(
    text: str, folded: str, sentence: SentenceInfo | None, at: int, nouns: Sequence[str]
) -> bool:
    """One of ``nouns`` stands among the four words before ``at``, and no name right
    after it ("a group it tracks as", « le groupe, que X suit sous le nom de »; not « le
    groupe TA9876, suivi sous le nom de »: that group has a name, the next is another)."""
    start = sentence.start if sentence is not None else 0
    words = list(re.finditer(r"\S+", folded[start:at]))[-4:]
    for word in reversed(words):
        if word.group().strip(",;:") in nouns:
            following = re.match(r"\s*(\S)", text[start + word.end() : at])
            return following is None or not (
                following.group(1).isupper() or following.group(1).isdigit()
            )
    return False


def _name_after(text: str, at: int) -> tuple[str, int, bool] | None:
    """The name right after ``at`` (a quoted string, or capitalised words, behind an
    optional "called", "dubbed"...): its words less closing punctuation, where it starts,
    and whether it is quoted; None where no name follows."""
    after = _AFTER.match(text, at)
    if after is None:
        return None
    group = "quoted" if after.group("quoted") else "name"
    return after.group(group).strip(" .,;:"), after.start(group), group == "quoted"


def _add_alias(
    found: list[Mention],
    spans: list[tuple[int, int]],
    sentences: Sequence[SentenceInfo],
    text: str,
    at: int,
    actor: Mention,
) -> None:
    """The capitalised name right after ``at`` as another name of ``actor``, where the KB
    does not know it and no other mention has its words."""
    named = _name_after(text, at)
    if named is None:
        return
    name, start, _ = named
    end = start + len(name)
    if not name or any(start < e and s < end for s, e in spans):
        return
    spans.append((start, end))
    index = sentence_at(sentences, start) if sentences else 0
    found.append(Mention("threat_actor", name, start, end, index, actor.canonical_id, 0.7))


def _add_actor(
    found: list[Mention],
    spans: list[tuple[int, int]],
    sentences: Sequence[SentenceInfo],
    start: int,
    name: str,
    kb: KnowledgeBase,
    full_name: str | None = None,
) -> None:
    """Add a discovered actor ``actor:<slug>`` unless its words are already taken; a crew
    named after software the KB knows gets the id ``operators_of_software`` gives it
    ("the BlackBasta ransomware group" and "the Black Basta gang" are one actor), and an
    acronym the id of the ``full_name`` it stands for."""
    end = start + len(name)
    if any(start < e and s < end for s, e in spans):
        return
    spans.append((start, end))
    index = sentence_at(sentences, start) if sentences else 0
    full_name = full_name or name
    if _GLUED_GROUP_NOUN.search(full_name):
        # "Syrian ElectronicArmy", "YemenCyberArmy": the name analysts write apart, and
        # the Syrian Electronic Army the KB knows
        head, _, last = full_name.rpartition(" ")
        full_name = f"{head} {split_camel_case(last)}".strip()
        known = [e for e in kb.lookup(full_name) if e.kind == "threat_actor"]
        if len(known) == 1:
            found.append(Mention("threat_actor", name, start, end, index, known[0].id, 0.9))
            return
    software = [e for e in kb.lookup(full_name) if e.kind in ("malware", "tool")]
    slug = slugify(software[0].name if len(software) == 1 else full_name)
    found.append(Mention("threat_actor", name, start, end, index, f"actor:{slug}", 0.5))


def operators_of_software(
    text: str,
    folded: str,
    mentions: Sequence[Mention],
    operator_cues: CueSet,
    kb: KnowledgeBase,
) -> list[Mention]:
    """The group behind a malware family named after it: "the DarkSide gang", « le groupe
    LockBit », "operators of Conti", "blamed on REvil" (cues labelled ``after`` or
    ``before`` the name), "DarkSide, a criminal group" (an ``after`` cue opening an
    apposition).

    Ransomware and botnet crews are known by their software's name; the mention becomes a
    threat actor: the KB's actor of that name when there is exactly one, else
    ``actor:<slug of the software's canonical name>`` (the same for every surface form).
    """
    if not operator_cues:
        return []
    after = {h.start for h in operator_cues.labelled("after").find(folded)}
    before = {h.end for h in operator_cues.labelled("before").find(folded)}
    if not after and not before:
        return []
    found: list[Mention] = []
    for m in mentions:
        if m.kind != "malware" or not m.canonical_id:
            continue
        next_word = _SPACES.match(text, m.end)
        previous_end = m.start
        while previous_end > 0 and text[previous_end - 1] == " ":
            previous_end -= 1
        if (
            (next_word is None or next_word.end() not in after)
            and previous_end not in before
            and not _crew_in_apposition(text, m.end, after)
        ):
            continue
        actors = [e for e in kb.lookup(m.text) if e.kind == "threat_actor"]
        if len(actors) == 1:
            actor_id = actors[0].id
        else:
            software = kb.get(m.canonical_id)
            actor_id = f"actor:{slugify(software.name if software else m.text)}"
        found.append(
            Mention("threat_actor", m.text, m.start, m.end, m.sentence_index, actor_id, 0.6)
        )
    return found


#: A comma and an article opening an apposition to a name ("DarkSide, a criminal group").
_APPOSITION = re.compile(r" *, *(?:an?|the|une?|le|la|l')\b *", re.IGNORECASE)
_WORD_AND_SPACES = re.compile(r"[\w'-]+ +")


def _crew_in_apposition(text: str, end: int, after: set[int]) -> bool:
    """An apposition right after the name calls it a crew within its first three words
    ("DarkSide, a criminal group", "LockBit, the most active ransomware gang")."""
    opening = _APPOSITION.match(text, end)
    if opening is None:
        return False
    position = opening.end()
    for _ in range(3):
        if position in after:
            return True
        word = _WORD_AND_SPACES.match(text, position)
        if word is None:
            return False
        position = word.end()
    return position in after


# --- names that introduce themselves -------------------------------------------------

_GROUP_NOUN = r"(?:Army|Crew|Squad|Legion|Brigade|Team|Group|Gang|Collective|Unit|Cell)"
# a group noun glued to the word before it ("ElectronicArmy", "HackTeam"): only that last
# word is read apart (a handle such as "RedHack", a word such as "HighTech" before it,
# stay one word)
_GLUED_GROUP_NOUN = re.compile(rf"[a-z]{_GROUP_NOUN}$")
#: "Bangladesh Cyber Army", "Zcompany Hacking Crew", "Islamic Cyber Resistance Group":
#: capitalised words ending with a group noun, one of them a word of the trade.
_SELF_NAMED = re.compile(
    r"(?<![\w-])(?P<name>(?:[A-Z0-9](?:[\w@$\u20ac'-]|\.(?=\w))*[ \t]+){1,3}"
    rf"(?:[A-Z][a-z]+)?{_GROUP_NOUN})(?![\w-])"  # the noun may be glued: "X CyberArmy"
)
_TRADE = re.compile(r"cyber|hack|h4ck|electronic|digital|ddos|anon|\w[0-9]\w", re.IGNORECASE)
#: words of defenders and institutions: "Digital Crimes Unit", "Cyber Security Team"
_DEFENDERS = re.compile(
    r"secur|defen[cs]e|crime|response|emergency|police|research|protection|threat|"
    r"intelligence|incident|investigat|analys|command|force|national|ministry|government",
    re.IGNORECASE,
)
_INTRODUCER_WORD = re.compile(r"(?i)hack(?:er|ers|ergroups?|tivists?)$")
#: A hacker's handle: letters mixed with digits ("CabinCr3w", "v0g3lSec") or ending with
#: a word of the trade written in one piece ("RedHack", "GhostSec").
_HANDLE = re.compile(
    r"(?<![\w@-])(?P<name>(?=\w*[A-Za-z])(?:\w*[A-Za-z][0-9]+[A-Za-z]\w*|[A-Z]\w*(?:Hack|Sec|Crew|Squad|Team)))(?![\w@-])"
)
#: A headline naming a side against another ("PakBugs vs. Kerala Congress", "Whitefly vs.
#: SingHealth"): the name that opens it is the attacker's.
_VERSUS = re.compile(rf"{_CAPITALISED}\s+(?:vs\.?|versus)\s")
#: Words that end a headline's name without being part of it ("Anonymous DDOS vs.").
_HEADLINE_TAIL = {
    "ddos",
    "dos",
    "hack",
    "hacks",
    "leak",
    "leaks",
    "attack",
    "attacks",
    "defacement",
}


def self_named_actors(
    text: str,
    folded: str,
    sentences: Sequence[SentenceInfo],
    acts: CueSet,
    kb: KnowledgeBase,
    taken: Sequence[tuple[int, int]],
) -> list[Mention]:
    """Actors whose name says what they are: a capitalised name ending with a group noun
    and holding a word of the trade ("Bangladesh Cyber Army"), or a hacker's handle
    ("RedHack", "CabinCr3w") as the subject of an actor's verb ("RedHack leaked")."""
    found: list[Mention] = []
    spans = list(taken)
    candidates: list[tuple[int, int, str]] = []
    for m in _SELF_NAMED.finditer(text):
        words = m.group("name").split()
        while words and (words[0].lower() in _GENERIC or words[0].lower() in _STOP):
            words = words[1:]
        if len(words) < 2 or _DEFENDERS.search(" ".join(words)):
            continue
        if any(_INTRODUCER_WORD.match(w) for w in words[:-1]):
            continue  # "ISIS Hackergroup Lizard Squad": the introducer rule finds the name
        if any(w.isdigit() or name_key(w) in month_names() for w in words):
            continue  # "Mumbai 2008 Hacking Group": a headline's date, not a name
        distinctive = [w for w in words[:-1] if not _TRADE.search(w)]
        if not distinctive or not any(_TRADE.search(w) for w in words):
            continue
        name = " ".join(words)
        start = m.end("name") - len(m.group("name")) + m.group("name").index(words[0])
        candidates.append((start, start + len(name), name))
    for m in _HANDLE.finditer(text):
        hits = acts.find(folded, m.end(), min(len(folded), m.end() + 40))
        if hits and hits[0].start - m.end() <= 12:
            begin, end = _handle_span(m, text, kb)
            candidates.append((begin, end, text[begin:end]))
    candidates += _versus_names(text, sentences, kb)
    for start, _, name in candidates:
        if len(name) < 4 or any(e.kind in _KNOWN_KINDS for e in kb.lookup(name)):
            continue
        if re.fullmatch(r"[A-Za-z]+\d+s?|CVE\w*|\d\w*", name):
            continue  # "APT28", "CVE2021", "3CX": ids and products, not handles
        _add_actor(found, spans, sentences, start, name, kb)
    return found


def _designator_patterns() -> re.Pattern[str]:
    """The vendors' cluster names of ``rules/actor_designators.txt`` as one regex; a
    pattern that is no regex raises RuleError naming it."""
    patterns = [line.split("\t", 1)[0] for line in rule_lines("actor_designators.txt")]
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise RuleError(f"actor_designators.txt: bad pattern {pattern!r}: {error}") from error
    return re.compile(r"(?<![\w./-])(?:" + "|".join(patterns) + r")(?![\w-]|\.\w)")


_DESIGNATOR = _designator_patterns()


def designated_actors(
    text: str,
    folded: str,
    sentences: Sequence[SentenceInfo],
    kb: KnowledgeBase,
    taken: Sequence[tuple[int, int]],
    actors: Sequence[Mention] = (),
    aliases: CueSet | None = None,
) -> list[Mention]:
    """Threat actors named by a vendor's naming scheme for clusters ("TA3546", "UNC4841",
    "Storm-0558"; ``rules/actor_designators.txt``) that the KB does not know, outside
    links. A scheme says what the name is: no introducer is needed. Right after one of
    ``aliases`` ("tracked as", "also known as") the name is another name of the actor of
    ``actors`` named last before, in that sentence or the one before: that actor's id."""
    found: list[Mention] = []
    spans = list(taken) + [(m.start(), m.end()) for m in LINK.finditer(text)]
    for m in _DESIGNATOR.finditer(text):
        if any(e.kind in _KNOWN_KINDS for e in kb.lookup(m.group())):
            continue  # the KB's own name for it is matched as a mention already
        pool = sorted([*actors, *found], key=lambda a: a.start)  # "TA1, tracked as UNC2"
        named = _named_before(m.start(), folded, sentences, pool, aliases)
        if named is None:
            _add_actor(found, spans, sentences, m.start(), m.group(), kb)
        elif not any(m.start() < e and s < m.end() for s, e in spans):
            spans.append((m.start(), m.end()))
            index = sentence_at(sentences, m.start()) if sentences else 0
            found.append(Mention("threat_actor", m.group(), m.start(), m.end(), index, named, 0.7))
    return found


def _named_before(
    start: int,
    folded: str,
    sentences: Sequence[SentenceInfo],
    actors: Sequence[Mention],
    aliases: CueSet | None,
) -> str | None:
    """The id of the actor a name at ``start`` is another name of: an alias introducer
    ends right before it ("tracked the activity cluster as DEV-0960"), and an actor is
    named before that, in the same sentence or the one before."""
    if aliases is None or not sentences:
        return None
    index = sentence_at(sentences, start)
    scope = sentences[max(0, index - 1)].start
    for hit in aliases.find(folded, max(scope, start - 60), start):
        if not only_quotes_between(folded, hit.end, start):
            continue
        before = [a for a in actors if scope <= a.start and a.end <= hit.start and a.canonical_id]
        if before:
            return before[-1].canonical_id
    return None


def _handle_span(m: re.Match[str], text: str, kb: KnowledgeBase) -> tuple[int, int]:
    """The offsets of a handle's whole name: with the country of a national branch
    ("LulzSec Peru"), the team word before it ("TeaM p0isoN") or the word before a crew
    noun ("Zcompany HackingCrew", "Brazil HackTeam")."""
    begin, end = m.start("name"), m.end("name")
    country = next((c for c in kb.match(text[end : end + 40]) if c.start == 1), None)
    if country is not None and country.kind == "country" and country.form == "name":
        end += country.end
    team = re.search(r"(?i)\bteam\s+$", text[max(0, begin - 6) : begin])
    if team:
        begin -= len(team.group(0))
    elif re.search(r"(?:Crew|Team|Squad)$", m.group("name")):
        before = re.search(r"(?<![\w@-])([A-Z][\w-]+) $", text[max(0, begin - 30) : begin])
        if before and before.group(1).lower() not in _STOP | _GENERIC:
            begin -= len(before.group(0))
    return begin, end


def _versus_names(
    text: str, sentences: Sequence[SentenceInfo], kb: KnowledgeBase
) -> list[tuple[int, int, str]]:
    """Names opening a "X vs. Y" sentence, less trailing headline words ("Anonymous DDOS
    vs."); not an incident's name ("Textbook Hack South Korea vs."), a state, a campaign
    nor anything the KB knows but countries inside ("Anti-Armenia Team")."""
    found: list[tuple[int, int, str]] = []
    for sentence in sentences:
        versus = _VERSUS.match(text, sentence.start)
        if versus is None:
            continue
        words = versus.group("name").split()
        while words and words[-1].lower() in _HEADLINE_TAIL:
            words.pop()
        if not words or any(w.lower() in _HEADLINE_TAIL for w in words):
            continue
        name = " ".join(words)
        if all(m.kind == "country" for m in kb.match(name)) and _usable(
            name, kb, sentence_start=True
        ):
            found.append((sentence.start, sentence.start + len(name), name))
    return found


def _one_ends_the_other(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 2 and longer[-len(shorter) :] == shorter


def named_companies(
    text: str,
    folded: str,
    sentences: Sequence[SentenceInfo],
    introducers: CueSet,
    mentions: Sequence[Mention],
    suffixes: CueSet,
) -> list[Mention]:
    """Security companies the knowledge base lacks, named right after words that say what
    they are (rules ``company_introducers``: "researchers at Kestrel Labs", "cybersecurity
    firm Kestrel Labs", « la société de cybersécurité Kestrel ») or by a name ending with
    one of ``suffixes`` (see :func:`_suffixed_companies`): institution mentions without an
    id, whatever the recogniser called their words. A KB entity, a place or a threat
    actor there keeps its mention."""
    found: list[Mention] = []
    for hit in introducers.find(folded):
        named = _name_after(text, hit.end)
        if named is None or named[2]:
            continue
        name, start, _ = named
        end = start + len(name)
        if len(name) < 3 or any(
            m.start < end and start < m.end and (m.canonical_id or m.kind == "country")
            for m in mentions
        ):
            continue
        index = sentence_at(sentences, start) if sentences else 0
        found.append(Mention("institution", name, start, end, index, None, 0.7))
    return found + _suffixed_companies(folded, suffixes, mentions, found)


def _suffixed_companies(
    folded: str, suffixes: CueSet, mentions: Sequence[Mention], found: Sequence[Mention]
) -> list[Mention]:
    """Organisations the recogniser names, unknown to the knowledge base, whose name
    ends with a word security companies take (rules ``company_suffixes``: "Brightline
    Security", "Kestrel Labs"): institutions, as if introduced. A name with a function
    word inside is a body's ("Ministry of Public Security"), not a company's."""
    companies: list[Mention] = []
    for m in mentions:
        if m.kind != "organisation" or m.canonical_id or any(f.start == m.start for f in found):
            continue
        name = folded[m.start : m.end]
        if len(name.split()) < 2 or any(w in _STOP for w in name.split()):
            continue
        if any(h.end == m.end for h in suffixes.find(folded, m.start, m.end)):
            companies.append(replace(m, kind="institution"))
    return companies


def named_software(
    text: str,
    folded: str,
    sentences: Sequence[SentenceInfo],
    introducers: CueSet,
    mentions: Sequence[Mention],
    kinds: CueSet,
) -> list[Mention]:
    """Malicious software the knowledge base lacks, named right after a naming word that
    follows a kind of malicious software (rules ``software_introducers`` and their
    ``after_nouns``: "a wiper dubbed GreyFlood", « un rançongiciel baptisé Nox »), or a
    one-word name right after the kind (``kinds``, see :func:`_software_after_kind`):
    malware mentions with a new id ``malware:<slug>``. A name another mention holds keeps
    it; a dictionary word alone is no name ("called Final")."""
    found: list[Mention] = []
    words = ordinary_words()
    for hit in introducers.find(folded):
        before = folded[max(0, hit.start - 60) : hit.start].rstrip(" ,")
        nouns = hit.cue.get("after_nouns", ())
        if not any(_ends_with_words(before, fold(noun)) for noun in nouns):
            continue  # "a product called Teams": no malicious software
        named = _name_after(text, hit.end)
        if named is None:
            continue
        name, start, quoted = named
        end = start + len(name)
        if not quoted and (scheme := _SCHEME_PART.match(text, end)) is not None:
            end = scheme.end()  # "OSX/Filecoder.E", "Win32/Industroyer": a vendor's scheme
            name = text[start:end]
        if (
            len(name) < 3
            or (" " not in name and is_ordinary_word(name, words))
            or any(m.start < end and start < m.end for m in mentions)
        ):
            continue
        index = sentence_at(sentences, start) if sentences else 0
        found.append(Mention("malware", name, start, end, index, f"malware:{slugify(name)}", 0.7))
    return found + _software_after_kind(text, folded, sentences, kinds, [*mentions, *found])


#: One capitalised word on the same line, the whole name: what follows it is no name word.
_ONE_NAME = re.compile(r"[^\S\n]+([A-Z][\w-]{2,})(?![\w-])(?![/.]\w)(?![^\S\n]+[A-Z0-9])")


def _software_after_kind(
    text: str,
    folded: str,
    sentences: Sequence[SentenceInfo],
    kinds: CueSet,
    mentions: Sequence[Mention],
) -> list[Mention]:
    """A one-word name the knowledge base lacks right after a word for a kind of malicious
    software (rules ``software_kinds``: "the spyware NovaSpy", « le logiciel espion
    NovaSpy »): a new family, as if introduced by "called". The kind is written in lower
    case (not a heading's "Malware Cybersecurity", nor "TROJAN Win32/X"); a dictionary
    word is no name ("the ransomware Monday"), nor a short acronym ("make malware FUD"),
    nor a name another mention holds."""
    found: list[Mention] = []
    words = ordinary_words()
    for hit in kinds.find(folded):
        named = _ONE_NAME.match(text, hit.end)
        if named is None or text[hit.start : hit.end] != text[hit.start : hit.end].lower():
            continue
        name, start, end = named.group(1), named.start(1), named.end(1)
        if is_ordinary_word(name, words) or name.lower() in _STOP:
            continue
        if name.isupper() and len(name) < 5:
            continue
        if any(m.start < end and start < m.end for m in [*mentions, *found]):
            continue
        index = sentence_at(sentences, start) if sentences else 0
        found.append(Mention("malware", name, start, end, index, f"malware:{slugify(name)}", 0.7))
    return found


#: The rest of a malware name in the antivirus vendors' platform/family scheme.
_SCHEME_PART = re.compile(r"(?:/[\w-]+(?:\.[\w-]+)*)+")


def _ends_with_words(text: str, words: str) -> bool:
    """``text`` ends with the whole words ``words`` (folded both)."""
    return text.endswith(words) and (len(text) == len(words) or not text[-len(words) - 1].isalnum())


def white_hats(
    mentions: Sequence[Mention],
    folded: str,
    sentences: Sequence[SentenceInfo],
    findings: CueSet,
    flaws: CueSet,
    attacks: CueSet,
    kb: KnowledgeBase,
) -> set[str]:
    """Ids of actors the knowledge base lacks whose every sentence tells them finding a
    flaw (a word of ``findings`` after the name, one of ``flaws`` in the sentence: rules
    ``flaw_finds``, ``flaw_words``) and no attack (``attacks``): "hackers Jan Kowal and
    Ada Nowak discovered the hole that let anyone read deleted files" tells of white
    hats, not of a crew."""
    told: dict[str, bool] = {}
    for mention in mentions:
        cid = mention.canonical_id
        if mention.kind != "threat_actor" or not cid or kb.get(cid) is not None:
            continue
        sentence = sentences[mention.sentence_index] if sentences else None
        if sentence is None:
            told[cid] = False
            continue
        finds = (
            bool(findings.find(folded, mention.end, sentence.end))
            and bool(flaws.find(folded, sentence.start, sentence.end))
            and not attacks.find(folded, sentence.start, sentence.end)
        )
        told[cid] = told.get(cid, True) and finds
    return {cid for cid, finds in told.items() if finds}


def one_id_per_new_actor(mentions: Sequence[Mention], kb: KnowledgeBase) -> list[Mention]:
    """Give one id to the spellings of one discovered actor in an article: "TeamP0ison" and
    "TeaM p0isoN", "BlackBasta" and "Black Basta" differ only in spacing and case, so
    their slugs (``actor:teamp0ison``, ``actor:team-p0ison``) become the first one seen,
    as does a name of two words or more that ends the other ("Brazil HackTeam", "HighTech
    Brazil HackTeam"); mentions at the same offsets with the same id are kept once."""
    first: dict[str, str] = {}
    tails: list[tuple[tuple[str, ...], str]] = []  # the words of each new id, and the id
    out: list[Mention] = []
    seen: set[tuple[int, int, str | None]] = set()
    for m in mentions:
        cid = m.canonical_id
        if m.kind == "threat_actor" and cid and kb.get(cid) is None:
            cid = first.setdefault(cid.replace("-", ""), cid)
            words = tuple(cid.split(":", 1)[-1].split("-"))
            # "Brazil HackTeam" in the headline, "HighTech Brazil HackTeam" in the text:
            # a name of two words or more ending the other's is the same crew
            same = next((c for w, c in tails if _one_ends_the_other(words, w)), None)
            if same is not None:
                cid = same
            else:
                tails.append((words, cid))
            if cid != m.canonical_id:
                m = replace(m, canonical_id=cid)
        key = (m.start, m.end, m.canonical_id)
        if key in seen:
            continue
        seen.add(key)
        out.append(m)
    return out
