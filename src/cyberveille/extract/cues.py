"""Load and compile the per-language cue rules (data files in extract/rules/<lang>.json)."""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from cyberveille.extract.fold import fold
from cyberveille.extract.type_syntax import TypeReader
from cyberveille.languages import available_languages as available_languages
from cyberveille.languages import rule_file

RULES_PACKAGE = "cyberveille.extract.rules"


_WORD_START = r"(?<![\w-])"


class RuleError(ValueError):
    """A rule file is malformed (unknown section, empty pattern, bad structure)."""


@dataclass(frozen=True)
class Cue:
    """One cue pattern and what it means (its ``attrs`` come from the rule file)."""

    pattern: str
    section: str
    attrs: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        for name, value in self.attrs:
            if name == key:
                return value
        return default


@dataclass(frozen=True)
class CueHit:
    """A cue found in folded text: offsets are those of the original text."""

    start: int
    end: int
    cue: Cue


@dataclass(frozen=True)
class _PatternWord:
    """One word of a rule pattern: its literal (folded, markers removed), whether ``?``
    makes it optional and whether ``*`` lets any word characters follow it."""

    text: str
    optional: bool
    prefix: bool


def _pattern_words(pattern: str) -> list[_PatternWord]:
    """The words of a rule pattern, read once for the regex and for the word index."""
    words: list[_PatternWord] = []
    for word in fold(pattern).split():
        optional = word.endswith("?") and len(word) > 1
        word = word[:-1] if optional else word
        prefix = word.endswith("*")
        words.append(_PatternWord(word[:-1] if prefix else word, optional, prefix))
    return words


def pattern_regex(pattern: str) -> str:
    """Translate a rule pattern into a regex over folded text.

    Syntax: words separated by spaces; ``*`` at the end of a word means any word
    characters; an apostrophe may be followed by optional space; ``?`` at the end of
    a word makes it optional; everything else is literal. Word boundaries on both ends.
    """
    words = _pattern_words(pattern)
    if not words:
        raise RuleError(f"empty pattern {pattern!r}")
    parts: list[str] = []
    for word in words:
        if not word.text:
            raise RuleError(f"pattern {pattern!r} has a word that matches anything")
        separator = r"\s*" if word.text.endswith("'") else r"\s+"
        piece = re.escape(word.text)
        if word.prefix:
            piece += r"[\w-]*"
        if word.optional:
            piece = f"(?:{piece}{separator})?"
        else:
            piece += separator
        parts.append(piece)
    body = "".join(parts)
    for separator in (r"\s+", r"\s*"):
        if body.endswith(separator):
            body = body[: -len(separator)]
    if words[-1].optional:
        raise RuleError(f"pattern {pattern!r} ends with an optional word")
    return rf"{_WORD_START}{body}(?![\w])"


def _first_char(body: str) -> str | None:
    """The character a pattern body must start with, or None when it can start otherwise
    (an optional first word)."""
    if body[:1] == "\\" and len(body) > 1 and not body[1].isalnum():
        return body[1]
    if body and body[0] not in "\\()[]{}.?*+|^$":
        return body[0]
    return None


def _dispatch_by_first_char(bodies: list[str]) -> str:
    """One alternation of named branches (``c<i>_<k>``: cue ``i``), split by first character.

    Python's ``re`` tries every branch of an alternation at every position; a lookahead
    on the first character first leaves a handful per position, which makes the scans
    about three times faster (eight for the largest section). Each group keeps the
    branches' order, and a branch that may start with any character is in every group
    and last on its own, so the first matching branch is the same as in the plain
    alternation.
    """
    firsts = [_first_char(b) for b in bodies]
    groups: list[str] = []
    for k, char in enumerate(sorted({f for f in firsts if f is not None})):
        branches = [
            f"(?P<c{i}_{k}>{b})"
            for i, (b, first) in enumerate(zip(bodies, firsts, strict=True))
            if first in (char, None)
        ]
        groups.append(f"(?={re.escape(char)})(?:{'|'.join(branches)})")
    anywhere = [f"(?P<c{i}_any>{b})" for i, b in enumerate(bodies) if firsts[i] is None]
    return "|".join(groups + anywhere)


class CueSet:
    """A compiled set of cues of one section; finds every non-overlapping hit."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = cues
        self._labelled: dict[str, CueSet] = {}
        if cues:
            # The shared word-start test is factored out of the alternation: checked once
            # per position instead of once per cue, it makes scanning several times faster.
            bodies = [pattern_regex(c.pattern)[len(_WORD_START) :] for c in cues]
            self._regex: re.Pattern[str] | None = re.compile(
                f"{_WORD_START}(?=[^\\s])(?:{_dispatch_by_first_char(bodies)})"
            )

        else:
            self._regex = None

    def find(self, folded: str, start: int = 0, end: int | None = None) -> list[CueHit]:
        """Return hits in ``folded[start:end]`` (offsets relative to the whole text)."""
        if self._regex is None:
            return []
        hits: list[CueHit] = []
        for m in self._regex.finditer(folded, start, len(folded) if end is None else end):
            assert m.lastgroup is not None
            cue = self.cues[int(m.lastgroup[1:].partition("_")[0])]
            hits.append(CueHit(m.start(), m.end(), cue))
        return hits

    def labelled(self, label: str) -> CueSet:
        """The cues with this ``label``, longest pattern first: a regex alternation takes
        its first match, and "operators of" must win over "operators"."""
        if label not in self._labelled:
            ordered = sorted(self.cues, key=lambda c: -len(c.pattern))
            self._labelled[label] = CueSet([c for c in ordered if c.get("label") == label])
        return self._labelled[label]

    def __bool__(self) -> bool:
        return bool(self.cues)


#: Where a cue may start: a character that is no space, after none of a word or a hyphen
#: (the start of every cue regex); the lookahead captures its run of non-spaces, up to a
#: bound (a long URL or hash would otherwise cost its whole length at each of its starts).
_CUE_START = r"(?<![\w-])(?=(\S{{1,{}}}))"
#: The run of non-spaces after the spaces that follow a word.
_NEXT_RUN = re.compile(r"\s+(\S+)")

_Entry = tuple[str, int, "re.Pattern[str]", Cue]  # section, order in it, regex, cue
#: How many distinct runs ``WordIndex`` remembers the opening cues of.
_OPENINGS_KEPT = 50_000


def _first_words(pattern: str) -> list[str]:
    """The literal words a pattern's matches can open with: its first word, and the next
    one too while the words before it are optional ("the? attack*": "the", "attack")."""
    keys: list[str] = []
    for word in _pattern_words(pattern):
        keys.append(word.text)
        if not word.optional:
            break
    return keys


def _word_pair(pattern: str) -> tuple[str, str] | None:
    """A pattern's first two words when both are required, the first whole (no ``*``)
    and followed by spaces (no apostrophe): "the group*" -> ("the", "group")."""
    words = _pattern_words(pattern)
    if len(words) < 2:
        return None
    first, second = words[0], words[1]
    if first.optional or first.prefix or first.text.endswith("'") or second.optional:
        return None
    return first.text, second.text


class WordIndex:
    """Every cue of every section, filed under the words its matches can open with.

    Why by hand: a text scanned once per section with a regex alternation of all its cues
    (:meth:`CueSet.find`) costs Python's ``re`` a try at every character, some forty times
    per article. Looking up, where a word starts, the cues that can open with it (with the
    next word too for cues opening with a whole word: "the", "in") and trying only those
    finds the same hits: the first cue of a section, in its order, at the leftmost place,
    none overlapping.
    """

    def __init__(self, sections: dict[str, CueSet]) -> None:
        # a word a match opens with (or a prefix of it) -> cues
        self._by_word: dict[str, list[_Entry]] = {}
        # a whole first word -> the second word (or a prefix of it) -> cues
        self._by_pair: dict[str, dict[str, list[_Entry]]] = {}
        for name, cue_set in sections.items():
            for order, cue in enumerate(cue_set.cues):
                entry: _Entry = (name, order, re.compile(pattern_regex(cue.pattern)), cue)
                pair = _word_pair(cue.pattern)
                if pair is not None:
                    self._by_pair.setdefault(pair[0], {}).setdefault(pair[1], []).append(entry)
                    continue
                for word in dict.fromkeys(_first_words(cue.pattern)):
                    self._by_word.setdefault(word, []).append(entry)
        self._longest = max(
            [len(w) for w in self._by_word]
            + [len(w) for seconds in self._by_pair.values() for w in seconds],
            default=0,
        )
        # one more character than any word looked up: a longer run equals none of them
        bound = max([self._longest, *(len(w) for w in self._by_pair)]) + 1
        self._starts = re.compile(_CUE_START.format(bound))
        # a run -> the cues opening with it: words repeat, and each lookup tries every
        # prefix of the run (cleared when full, so a long archive cannot grow it unbounded)
        self._opening: dict[str, list[_Entry]] = {}

    def _prefixed(self, words: dict[str, list[_Entry]], run: str) -> list[_Entry]:
        found: list[_Entry] = []
        for length in range(1, min(len(run), self._longest) + 1):
            found += words.get(run[:length], ())
        return found

    def scan(self, folded: str) -> dict[str, list[CueHit]]:
        """Every section's hits in ``folded``, as :meth:`CueSet.find` finds them."""
        tries: dict[str, list[tuple[int, int, re.Pattern[str], Cue]]] = {}
        for start in self._starts.finditer(folded):
            run = start.group(1)
            at = start.start()
            entries = self._opening.get(run)
            if entries is None:
                if len(self._opening) >= _OPENINGS_KEPT:
                    self._opening.clear()
                entries = self._opening[run] = self._prefixed(self._by_word, run)
            # a whole word opening a pair ("the" of "the group*"): then the next word
            seconds = self._by_pair.get(run)
            if seconds is not None:
                following = _NEXT_RUN.match(folded, at + len(run))
                if following is not None:
                    entries = entries + self._prefixed(seconds, following.group(1))
            for section, order, regex, cue in entries:
                tries.setdefault(section, []).append((at, order, regex, cue))
        found: dict[str, list[CueHit]] = {}
        for section, candidates in tries.items():
            candidates.sort(key=lambda c: (c[0], c[1]))
            hits: list[CueHit] = []
            end = -1
            for at, _, regex, cue in candidates:
                if at < end:
                    continue  # inside the last hit, or the same place once one cue matched
                match = regex.match(folded, at)
                if match is not None:
                    hits.append(CueHit(at, match.end(), cue))
                    end = max(match.end(), at + 1)
            found[section] = hits
        return found


class HitIndex:
    """Every hit of every section over one whole text, computed once on first use.

    Scanning the article once and slicing by sentence is several times faster than
    scanning each sentence once per section.
    """

    def __init__(self, rules: RuleSet, folded: str) -> None:
        self.rules = rules
        self.folded = folded
        self._found: dict[str, list[CueHit]] | None = None
        # per section: the hits' starts, the hits, and the longest hit's length
        self._hits: dict[str, tuple[list[int], list[CueHit], int]] = {}

    def _scanned(self, section: str) -> tuple[list[int], list[CueHit], int]:
        found = self._hits.get(section)
        if found is None:
            if self._found is None:
                self._found = self.rules.word_index.scan(self.folded)
            hits = self._found.get(section, [])
            longest = max((h.end - h.start for h in hits), default=0)
            found = self._hits[section] = ([h.start for h in hits], hits, longest)
        return found

    def within(self, section: str, start: int, end: int) -> list[CueHit]:
        """Hits of ``section`` lying inside ``[start, end)``."""
        starts, hits, _ = self._scanned(section)
        out: list[CueHit] = []
        # indices, not a slice: a slice copies the rest of the article's hits each call
        for index in range(bisect_left(starts, start), len(hits)):
            hit = hits[index]
            if hit.start >= end:
                break
            if hit.end <= end:
                out.append(hit)
        return out

    def covering(self, section: str, start: int, end: int) -> bool:
        """Whether a hit of ``section`` spans ``[start, end)`` ("left behind" over
        "behind")."""
        starts, hits, longest = self._scanned(section)
        # only a hit starting at most its section's longest hit before can reach ``end``
        index = bisect_right(starts, start) - 1
        while index >= 0 and starts[index] >= end - longest:
            if hits[index].end >= end:
                return True
            index -= 1
        return False


CUE_SECTIONS = (
    "run_breakers",
    "attribution",
    "self_attribution",
    "sponsorship",
    "targeting",
    "source_before",
    "source_after",
    "hedge_outlet",
    "hedge_accuser",
    "deny",
    "attacker_nouns",
    "actor_coref",
    "speech",
    "response",
    "incident_types",
    "figure_units",
    "vague_quantities",
    "incident_coref",
    "name_context",
    "actor_introducers",
    "software_operators",
    "actor_acts",
    "signed_acts",
    "victim_after",
    "victim_event",
    "passive_voice",
    "passive_agent",
    "passive_after",
    "state_as_subject",
    "false_friends",
    "comparisons",
    "mass_scale",
    "flaw_words",
    "benign_qualifiers",
    "company_introducers",
    "company_suffixes",
    "software_introducers",
    "software_kinds",
    "noun_complement",
    "vendor_terms",
    "web_targets",
    "own_breach",
    "no_attack",
    "state_deeds",
    "subordinators",
    "conditionals",
    "speaker_pronouns",
    "firm_accuser",
    "stance_prefixes",
    "sponsored_deeds",
    "findings",
    "flaw_finds",
    "stated_motive",
    "actor_relations",
    "hacktivist_names",
    "based_in",
    "alias_introducers",
    "deed_names",
    "report_recipients",
    "own_deed",
    "anonymous_sources",
    "offered_sums",
    "prospective_responses",
    "figure_qualifier_stops",
    "channel_nouns",
    "possessive_determiners",
    "attack_origin",
    "attack_means",
    "observers",
    "holding_verbs",
    "negations",
    "impersonation",
)


@dataclass(frozen=True)
class RuleSet:
    """All compiled rules for one language."""

    language: str
    sections: dict[str, CueSet]
    number_words: dict[str, float] = field(default_factory=dict)
    scale_words: dict[str, float] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)
    # Word order of a nationality and its noun: "pirates chinois" (True), "Chinese hackers".
    adjective_after_noun: bool = False
    # The trained spaCy pipeline that parses the language (None: a blank tokenizer).
    spacy_model: str | None = None
    # Endings of a past participle ("charged", "blamed"): an attribution cue read as one
    # before a ``passive_after`` preposition must end so ("the US' attribution of" must not).
    participle_suffixes: tuple[str, ...] = ()
    # Words glued by a hyphen after a sponsor's name before its actor ("GRU-backed group",
    # "Kremlin-linked hackers"): the name sponsors the actor.
    sponsor_suffixes: tuple[str, ...] = ()
    # Words of dates relative to the publication date (extract/dates.py): phrases
    # ("last week": unit and offset), weekdays, unit words, "ago" words, month prefixes.
    relative_dates: dict[str, Any] = field(default_factory=dict)
    # Lemma lists read on the dependency parse (extract/victim_syntax.py), by role.
    victim_syntax: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Verb/object lemma lists telling incident types (extract/type_syntax.py), checked here.
    type_syntax: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, section: str) -> CueSet:
        return self.sections.get(section) or CueSet([])

    @cached_property
    def word_index(self) -> WordIndex:
        """Every section's cues by the words they open with, built on first use."""
        return WordIndex(self.sections)


#: Cue attributes that list words or patterns: "after_nouns" (software_introducers),
#: "complement" and "charge" (attribution), "not_after" (targeting).
_WORD_LIST_ATTRIBUTES = ("after_nouns", "complement", "charge", "not_after")


def _cues(section: str, entries: list[Any]) -> list[Cue]:
    cues: list[Cue] = []
    for entry in entries:
        if isinstance(entry, str):
            cues.append(Cue(entry, section))
        elif isinstance(entry, dict) and isinstance(entry.get("cue"), str):
            window = entry.get("window")
            if window is not None and (
                isinstance(window, bool) or not isinstance(window, int) or window <= 0
            ):
                raise RuleError(
                    f"section {section!r}: cue {entry['cue']!r} has window {window!r}, "
                    "not a positive number of characters"
                )
            factor = entry.get("factor")
            if factor is not None and (
                isinstance(factor, bool) or not isinstance(factor, (int, float)) or factor <= 0
            ):
                raise RuleError(
                    f"section {section!r}: cue {entry['cue']!r} has factor {factor!r}, "
                    "not a positive number"
                )
            for key in _WORD_LIST_ATTRIBUTES:
                words = entry.get(key)
                if words is not None and (
                    not isinstance(words, list)
                    or not all(isinstance(w, str) and w.strip() for w in words)
                ):
                    raise RuleError(
                        f"section {section!r}: cue {entry['cue']!r} has {key} {words!r}, "
                        "not a list of words"
                    )
            for word in entry.get("not_after") or ():
                try:  # a pattern of its own: refused here, not mid-article
                    pattern_regex(word)
                except RuleError as error:
                    raise RuleError(
                        f"section {section!r}: cue {entry['cue']!r} not_after: {error}"
                    ) from error
            # lists become tuples: a cue is hashable
            attrs = tuple(
                sorted(
                    (k, tuple(v) if isinstance(v, list) else v)
                    for k, v in entry.items()
                    if k != "cue"
                )
            )
            cues.append(Cue(entry["cue"], section, attrs))
        else:
            raise RuleError(f"section {section!r}: entry {entry!r} is neither a string nor a cue")
    return cues


_SCALARS = (
    "language",
    "number_words",
    "scale_words",
    "months",
    "comment",
    "adjective_after_noun",
    "spacy_model",
    "dateline_cues",
    "participle_suffixes",
    "sponsor_suffixes",
    "relative_dates",
    "victim_syntax",
    "type_syntax",
)


def compile_rules(data: dict[str, Any]) -> RuleSet:
    """Compile a rule document (already parsed JSON) into a RuleSet, validating it."""
    language = data.get("language")
    if not isinstance(language, str):
        raise RuleError("rule file has no 'language'")
    sections: dict[str, CueSet] = {}
    for name, value in data.items():
        if name in _SCALARS:
            continue
        if name not in CUE_SECTIONS:
            raise RuleError(f"unknown section {name!r} in rules for {language!r}")
        if isinstance(value, dict):  # grouped cues: {"ransomware": [...], ...}
            entries = [
                {"cue": e, "label": label} if isinstance(e, str) else {**e, "label": label}
                for label, items in value.items()
                for e in items
            ]
        else:
            entries = value
        sections[name] = CueSet(_cues(name, entries))
    _check_verb_types(sections.get("incident_types"))
    return RuleSet(
        language=language,
        sections=sections,
        number_words={fold(k): float(v) for k, v in data.get("number_words", {}).items()},
        scale_words={fold(k): float(v) for k, v in data.get("scale_words", {}).items()},
        months={fold(k): int(v) for k, v in data.get("months", {}).items()},
        adjective_after_noun=bool(data.get("adjective_after_noun", False)),
        spacy_model=_model_name(data.get("spacy_model"), language),
        participle_suffixes=tuple(fold(w) for w in data.get("participle_suffixes", ())),
        sponsor_suffixes=tuple(fold(w) for w in data.get("sponsor_suffixes", ())),
        relative_dates=_relative_dates(data.get("relative_dates", {})),
        victim_syntax=_lemma_lists(data.get("victim_syntax", {})),
        type_syntax=_type_syntax(data.get("type_syntax", {})),
    )


def _model_name(value: Any, language: str) -> str | None:
    if value is None or (isinstance(value, str) and value.strip()):
        return value.strip() if isinstance(value, str) else None
    raise RuleError(f"rules for {language!r}: spacy_model must name a spaCy pipeline package")


def _check_verb_types(types: CueSet | None) -> None:
    """An incident-type cue's ``as_verb`` (the type it tells as a verb) is one of the
    section's types; RuleError names the cue otherwise."""
    if types is None:
        return
    labels = {c.get("label") for c in types.cues}
    for cue in types.cues:
        as_verb = cue.get("as_verb")
        if as_verb is not None and as_verb not in labels:
            raise RuleError(
                f"section 'incident_types': cue {cue.pattern!r} has as_verb {as_verb!r}, "
                f"not one of the section's types {sorted(labels)}"
            )


_DATE_UNITS = frozenset({"day", "week", "month", "year"})


def _relative_dates(value: Any) -> dict[str, Any]:
    """Validate and fold the ``relative_dates`` rules: ``phrases`` map a phrase to
    ``[unit, offset]``, ``weekdays`` a weekday to 0-6 (Monday 0), ``units`` a word to a
    unit, ``ago_before``/``ago_after`` the words around "N units" ("il y a", "ago"),
    ``month_prefixes`` the words before a month named without its year ("in March"),
    ``range_openers``/``range_joiners`` the words around two dates that make them one
    range ("between May 2 and May 9", « entre le 2 mai et le 9 mai »)."""
    if not isinstance(value, dict):
        raise RuleError("relative_dates must be an object")
    phrases = value.get("phrases", {})
    if not all(
        isinstance(v, list) and len(v) == 2 and v[0] in _DATE_UNITS and isinstance(v[1], int)
        for v in phrases.values()
    ):
        raise RuleError("relative_dates.phrases must map a phrase to [unit, offset]")
    units = value.get("units", {})
    if not all(u in _DATE_UNITS for u in units.values()):
        raise RuleError(f"relative_dates.units must map words to one of {sorted(_DATE_UNITS)}")
    weekdays = value.get("weekdays", {})
    if not all(isinstance(d, int) and 0 <= d <= 6 for d in weekdays.values()):
        raise RuleError("relative_dates.weekdays must map a weekday to 0 (Monday) .. 6")
    return {
        "phrases": {fold(k): (v[0], v[1]) for k, v in phrases.items()},
        "weekdays": {fold(k): int(v) for k, v in weekdays.items()},
        "units": {fold(k): str(v) for k, v in units.items()},
        "ago_before": tuple(fold(w) for w in value.get("ago_before", ())),
        "ago_after": tuple(fold(w) for w in value.get("ago_after", ())),
        "month_prefixes": tuple(fold(w) for w in value.get("month_prefixes", ())),
        "range_openers": tuple(fold(w) for w in value.get("range_openers", ())),
        "range_joiners": tuple(fold(w) for w in value.get("range_joiners", ())),
    }


def _lemma_lists(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(w, str) for w in v)
        for k, v in value.items()
    ):
        raise RuleError("victim_syntax must map each role to a list of lemmas")
    return {k: tuple(w.casefold() for w in v) for k, v in value.items()}


def _type_syntax(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RuleError("type_syntax must map each incident type to a list of entries")
    try:
        TypeReader.from_rules(value)
    except ValueError as error:
        raise RuleError(str(error)) from error
    return value


@lru_cache(maxsize=16)
def load_rules(language: str) -> RuleSet:
    """Load the rules of ``language`` (cyberveille/languages.py says where its file is);
    languages without a file get the common rules only."""
    path = rule_file(language)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RuleError(f"rule file {path} cannot be read: {error}") from error
    try:
        return compile_rules(data)
    except RuleError as error:
        raise RuleError(f"rule file {path}: {error}") from error


def only_quotes_between(folded: str, start: int, end: int) -> bool:
    """Nothing but blanks and opening quotes between offsets ``start`` and ``end``: a cue
    right before a name ("attacks called “RansomWeb”", « tracked as 'X' »), or
    opening its sentence."""
    return not folded[start:end].strip(" \"'\u201c\u00ab")


def rule_lines(name: str) -> list[str]:
    """The entries of a list file in extract/rules (one per line; blank lines and lines
    opening with ``#`` skipped), stripped."""
    text = resources.files(RULES_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
