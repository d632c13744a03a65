"""Quotes and their speakers: « ... », a déclaré X / "...", said X."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cyberveille.extract.cues import RuleSet

# Pairs of quotation marks; straight double quotes pair with themselves. Short quoted
# words pair too ("a unit known as "Silt Heron""), so that the pairs after them hold.
_QUOTE_RE = re.compile(
    r"«\s*(?P<a>[^«»]+?)\s*»|\u201c(?P<b>[^\u201c\u201d]+?)\u201d|\"(?P<c>[^\"]+?)\""
)
_QUOTE_MIN_CHARS = 12
_SPEAKER_END = re.compile(r"[.;!?\n«\u201c\"]")
# A full stop that ends an abbreviation, not the speaker's phrase: an initial or a title
# ("U.S. official", "M. Dussart", "Dr. Lee").
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Mme|Mlle|Dr|Pr|Prof|St|Jr|Sr|Gen|Sen|Rep|Gov|Lt|Col|Capt))$"
)


@dataclass(frozen=True)
class Quote:
    """Quoted words, their span, and the speaker phrase (with its span) when one is named."""

    words: str
    start: int
    end: int
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None


def find_quotes(text: str, folded: str, rules: RuleSet, min_words: int = 4) -> list[Quote]:
    """Quotes of at least ``min_words`` words with the speaker named by a speech verb.

    The speaker is looked for right after the closing mark (« ... », a déclaré X)
    or right before the opening one (X a déclaré : « ... »).
    """
    quotes: list[Quote] = []
    speech = rules["speech"]
    for m in _QUOTE_RE.finditer(text):
        words = next(g for g in (m.group("a"), m.group("b"), m.group("c")) if g is not None)
        if len(words.strip()) < _QUOTE_MIN_CHARS or len(words.split()) < min_words:
            continue
        speaker = span_start = span_end = None
        after = [h for h in speech.find(folded, m.end(), min(len(text), m.end() + 90))]
        between = text[m.end() : after[0].start] if after else ""
        if after and not between.strip(" ,\u00a0"):
            span_start = after[0].end
            span_end = _speaker_end(text, span_start)
        elif after and _named_before_verb(between):
            # "...," interior minister Jane Doe told reporters: the speaker before the verb
            span_start, span_end = m.end(), after[0].start
        else:
            before = [h for h in speech.find(folded, max(0, m.start() - 120), m.start())]
            if before and text[before[-1].end : m.start()].strip() in (":", ""):
                line_start = max(
                    text.rfind(".", 0, before[-1].start), text.rfind("\n", 0, before[-1].start)
                )
                span_start, span_end = line_start + 1, before[-1].start
        if span_start is not None and span_end is not None:
            raw = text[span_start:span_end]
            speaker = raw.strip(" ,:\u00a0") or None
            if speaker:
                span_start += len(raw) - len(raw.lstrip(" ,:\u00a0"))
                span_end = span_start + len(speaker)
        words = words.strip().rstrip(",").rstrip()  # "...," she said: the comma is the outlet's
        quotes.append(Quote(words, m.start(), m.end(), speaker, span_start, span_end))
    return quotes


def _named_before_verb(between: str) -> bool:
    """The words between a closing mark and a speech verb are a speaker's name: a short
    phrase with a capital, within the sentence ("...," minister Jane Doe told)."""
    words = between.strip(" ,\u00a0").split()
    return (
        0 < len(words) <= 8
        and any(w[:1].isupper() for w in words)
        and _SPEAKER_END.search(between) is None
    )


def _speaker_end(text: str, start: int) -> int:
    """Where the speaker's phrase that starts at ``start`` ends: at the end of its
    sentence or the next quote, a full stop after an abbreviation going on."""
    for stop in _SPEAKER_END.finditer(text, start):
        if stop.group() == "." and _ABBREVIATION.search(text, start, stop.start()):
            continue
        return stop.start()
    return len(text)
