"""Mentions of one parsed article: KB names, CVE ids and spaCy entities -> Mention values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from cyberveille.kb import KnowledgeBase
from cyberveille.kb.entity import KBMatch
from cyberveille.types import Evidence, Mention, MentionKind

CVE_RE = re.compile(
    r"\bCVE[-\u2010\u2011\u2013 ]?(\d{4})[-\u2010\u2011\u2013 ]?(\d{4,7})\b", re.IGNORECASE
)
# Words that make a sentence about cyber operations (used to keep ambiguous names).
CYBER_CONTEXT = re.compile(
    r"(?i)\b(?:cyber\w*|hack\w*|pirat\w*|malware\w*|maliciel\w*|apt\d*|attaqu\w*|attack\w*|"
    r"espion\w*|ransom\w*|ran[çc]on\w*|vuln\w*|faille\w*|exploit\w*|breach\w*|intrusion\w*|"
    r"backdoor\w*|phishing|campagne\w*|campaign\w*|threat\w*|menace\w*|group\w*|serveur\w*|server\w*)"
)
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
_NOT_PEOPLE = {"malware", "tool", "threat_actor", "product"}
_NER_KINDS: dict[str, MentionKind] = {"PER": "person", "PERSON": "person", "ORG": "organisation"}


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


def _keep_ambiguous(match: KBMatch, doc: Doc, sentence: SentenceInfo, trained: bool) -> bool:
    """Context test for names that are also ordinary words or other things."""
    if match.kind == "sector":
        return True  # kept here; the claim rules only use sectors in a targeting context
    surface = match.surface
    if not any(c.isupper() for c in surface):
        return False
    span = doc.char_span(match.start, match.end, alignment_mode="expand")
    if trained and span is not None and match.kind == "country":
        labels = {t.ent_type_ for t in span}
        if labels & {"PER", "PERSON", "ORG"} and match.form != "capital":
            return False
    if match.form == "capital":
        if trained and span is not None:
            return any(t.dep_.startswith("nsubj") for t in span) or bool(
                CYBER_CONTEXT.search(sentence.text)
            )
        return bool(CYBER_CONTEXT.search(sentence.text))
    if span is not None and span.start > 0 and match.kind == "threat_actor":
        previous = doc[span.start - 1]
        # "Hafnium" in "du hafnium", "the Equation" in a title: a capitalised word
        # right after a sentence start is weak evidence; ask for cyber context.
        if (
            previous.is_sent_start is False
            and previous.text[:1].isupper()
            and not previous.is_punct
        ):
            return bool(CYBER_CONTEXT.search(sentence.text))
    return bool(CYBER_CONTEXT.search(sentence.text))


def find_mentions(
    doc: Doc,
    text: str,
    sentences: Sequence[SentenceInfo],
    kb: KnowledgeBase,
    *,
    trained: bool,
) -> list[Mention]:
    """Return the mentions of ``text`` (the article text ``doc`` was parsed from), by offset."""
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for match in kb.match(text):
        sentence = sentences[sentence_at(sentences, match.start)] if sentences else None
        if sentence is None:
            continue
        if match.ambiguous and not _keep_ambiguous(match, doc, sentence, trained):
            continue
        if trained and match.kind in _NOT_PEOPLE and _inside_longer_name(doc, match):
            continue  # "Ank Bijleveld" is a minister, not the Ank malware
        kind = _KB_KINDS.get(match.kind)
        if kind is None:
            continue
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
        cve = f"CVE-{m.group(1)}-{m.group(2)}"
        index = sentence_at(sentences, m.start()) if sentences else 0
        mentions.append(
            Mention("vulnerability", m.group(0), m.start(), m.end(), index, f"cve:{cve}")
        )
        taken.append((m.start(), m.end()))
    if trained:
        for ent in doc.ents:
            kind = _NER_KINDS.get(ent.label_)
            if kind is None or _overlaps(ent, taken):
                continue
            surface = ent.text.strip()
            if len(surface) < 2 or not any(c.isupper() for c in surface):
                continue
            index = sentence_at(sentences, ent.start_char) if sentences else 0
            mentions.append(
                Mention(
                    kind, surface, ent.start_char, ent.start_char + len(surface), index, None, 0.6
                )
            )
    mentions.sort(key=lambda m: (m.start, -m.end))
    return mentions


def _inside_longer_name(doc: Doc, match: KBMatch) -> bool:
    """True when a named entity holds the match plus other capitalised words."""
    span = doc.char_span(match.start, match.end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return False
    for ent in doc.ents:
        if ent.start <= span.start and span.end <= ent.end and len(ent) > len(span):
            others = [t for t in ent if t.i < span.start or t.i >= span.end]
            return any(t.text[:1].isupper() for t in others)
    return False


def _overlaps(span: Span, taken: Sequence[tuple[int, int]]) -> bool:
    return any(span.start_char < end and start < span.end_char for start, end in taken)
