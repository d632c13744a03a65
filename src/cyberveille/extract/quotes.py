"""Quotes and their speakers: « ... », a déclaré X / "...", said X."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cyberveille.extract.cues import RuleSet

# Pairs of quotation marks; straight double quotes pair with themselves.
_QUOTE_RE = re.compile(
    r"«\s*(?P<a>[^«»]{12,}?)\s*»|\u201c(?P<b>[^\u201c\u201d]{12,}?)\u201d|\"(?P<c>[^\"]{12,}?)\""
)
_SPEAKER_END = re.compile(r"[.;!?\n«\u201c\"]")


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
        if len(words.split()) < min_words:
            continue
        speaker = span_start = span_end = None
        after = [h for h in speech.find(folded, m.end(), min(len(text), m.end() + 60))]
        if after and not text[m.end() : after[0].start].strip(" ,\u00a0"):
            span_start = after[0].end
            stop = _SPEAKER_END.search(text, span_start)
            span_end = stop.start() if stop else len(text)
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
        quotes.append(Quote(words.strip(), m.start(), m.end(), speaker, span_start, span_end))
    return quotes
