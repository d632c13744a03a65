"""Gazetteer matcher: every KB name in a text, non-overlapping, longest first, original offsets.

Contract: ``NameMatcher(patterns)`` compiles folded patterns into one
Aho-Corasick automaton; ``find(text)`` folds the text once, scans it once, keeps
hits on word boundaries that pass their case rule, and resolves overlaps
(longest wins, then leftmost); offsets are in the original text.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from cyberveille.kb.entity import EntityKind, KBMatch, MatchForm
from cyberveille.kb.normalize import fold_text

# Case rules, checked on the original surface (the automaton is case-blind).
CASE_ANY = 0
CASE_NOT_LOWER = 1  # reject a surface written all in lowercase ("otan", "cisa", "lead")
CASE_UPPER = 2  # short abbreviations: "US" but not "us", "MSS" but not "mss"


@dataclass(frozen=True)
class Target:
    """What a folded pattern points at, with the checks its hits must pass."""

    entity_id: str
    kind: EntityKind
    form: MatchForm
    ambiguous: bool
    case: int


class NameMatcher:
    """Aho-Corasick automaton over folded names.

    Why by hand rather than spaCy's PhraseMatcher: the KB has ~100k folded
    patterns and matching must not need a tokenizer (it runs on raw text in a few
    milliseconds); word boundaries are checked on the folded text, where every
    non-alphanumeric character is already a space.
    """

    def __init__(self, patterns: dict[str, Target]) -> None:
        """Compile the automaton.

        Args:
            patterns: folded pattern (see ``normalize.pattern_variants``) -> target.
        """
        self._targets: list[Target] = []
        self._automaton = ahocorasick.Automaton()
        for pattern, target in patterns.items():
            self._targets.append(target)
            self._automaton.add_word(pattern, (len(self._targets) - 1, len(pattern)))
        if self._targets:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self._targets)

    def find(self, text: str) -> list[KBMatch]:
        """Return all non-overlapping KB names in ``text``, sorted by start.

        Args:
            text: the original text.

        Returns:
            Matches with offsets into ``text``.
        """
        if not self._targets or not text:
            return []
        folded, to_original = fold_text(text)
        n = len(folded)
        hits: list[tuple[int, int, int]] = []  # (start, end, target index), folded offsets
        for last, (index, length) in self._automaton.iter(folded):
            start = last - length + 1
            if start > 0 and folded[start - 1] != " ":
                continue
            if last + 1 < n and folded[last + 1] != " ":
                continue
            hits.append((start, last + 1, index))
        if not hits:
            return []
        candidates: list[KBMatch] = []
        for start, end, index in hits:
            target = self._targets[index]
            o_start, o_end = to_original(start), to_original(end - 1) + 1
            surface = text[o_start:o_end]
            if target.case == CASE_UPPER and surface != surface.upper():
                continue
            if target.case == CASE_NOT_LOWER and surface == surface.lower():
                continue
            candidates.append(
                KBMatch(
                    start=o_start,
                    end=o_end,
                    surface=surface,
                    entity_id=target.entity_id,
                    kind=target.kind,
                    form=target.form,
                    ambiguous=target.ambiguous,
                )
            )
        return _longest_non_overlapping(candidates)


def _longest_non_overlapping(candidates: list[KBMatch]) -> list[KBMatch]:
    """Keep the longest candidates first, then the leftmost, dropping any overlap."""
    candidates.sort(key=lambda m: (m.start - m.end, m.start))
    taken = bytearray(max((m.end for m in candidates), default=0))  # 1 = already matched
    kept: list[KBMatch] = []
    for m in candidates:
        if taken.find(1, m.start, m.end) != -1:
            continue
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
        kept.append(m)
    kept.sort(key=lambda m: m.start)
    return kept
