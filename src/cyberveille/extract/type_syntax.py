"""Incident types read from the dependency parse: a sentence's Span + per-language
verb/object lemma lists -> the incident types it tells.

The surface cues (rules ``incident_types``) need their words side by side ("stole data");
the parse joins a verb to what it acts on however many words lie between: "leaked 300 GB
of customer records", "confidential files released online", "copied the personal details
of two million clients", "the ministry's websites were inaccessible". A type is told when
a verb of one of its entries has an object, a passive subject or a noun it qualifies (or
an adjective has a subject) whose lemma, or that of its complement ("of", "to"), is among
the entry's objects. An entry may also need another lemma in the sentence ("posted
messages" is a defacement only where an account or site was hacked). A verb that is denied
or only possible ("could leak data"; the test is the victim reader's), or that acts on
nothing ("no data was taken"), tells nothing; nor does a type word naming what an attack
was made to look like ("a wiper disguised as ransomware", "fake ransomware"), nor one
stopped ("thwarted a ransomware attack") or left open ("unclear whether they encrypted
data").

Why by hand: spaCy gives the parse, no maintained library types cyber incidents from it;
the lemma lists are data (rules ``type_syntax``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from spacy.tokens import Span, Token

from cyberveille.extract.victim_syntax import lemmas_of, prepositional_objects

# dependency labels of the English (ClearNLP) and Universal Dependencies schemes
_ARGUMENTS = frozenset({"dobj", "obj", "nsubjpass", "nsubj:pass"})
_SUBJECTS = frozenset({"nsubj", "nsubj:pass", "nsubjpass"})
_QUALIFYING = frozenset({"acl", "amod"})  # "files released online", « données volées »
_COPULA_COMPLEMENTS = frozenset({"acomp", "xcomp"})  # "websites were inaccessible"
_LIST_LINKS = frozenset({"conj", "appos"})
_NAME_PARTS = frozenset({"compound", "flat", "flat:name", "nmod", "amod"})


# the words that may tell an incident type: verbs, adjectives ("inaccessible"), nouns
# ("the publication of data")
_TELLING = frozenset({"VERB", "ADJ", "NOUN"})
# how a type word hangs under the act it names or the verb acting on it: "a ransomware
# attack" (compound), "stopped Hive from extorting" (prep, pcomp), "the encryption was
# prevented" (nsubjpass); a relative, adverbial, participial or reported clause ("the
# company shut down its servers after hackers encrypted them"), or a coordinated verb, is
# an act of its own
_UNDER_ACT = frozenset(
    {
        "compound",
        "amod",
        "nmod",
        "dobj",
        "obj",
        "nsubjpass",
        "nsubj:pass",
        "pobj",
        "prep",
        "pcomp",
        "xcomp",
        "obl",
    }
)


@dataclass(frozen=True)
class TypeEntry:
    """One way a type is told: a verb (or adjective) acting on one of ``objects``."""

    label: str
    verbs: frozenset[str]
    objects: frozenset[str]
    needs: frozenset[str] = frozenset()


def _words(value: object, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise ValueError(f"{where} must be a list of lemmas")
    return frozenset(w.casefold() for w in value)


def type_entries(data: Mapping[str, object]) -> tuple[TypeEntry, ...]:
    """Entries from rules ``type_syntax``: ``{"<label>": [{"verbs": [...], "objects":
    [...], "needs": [...]}, ...], "complements": [...], "negations": [...]}``
    (``complements``: the prepositions whose object tells what a measure or an access is
    of, "300 GB of records", "access to the site"; ``negations``: the words that deny a
    verb or its object, "no data was taken"; ``disguise_verbs``, ``disguise_prepositions``
    and ``disguise_qualifiers``: "appear as", "fake"). Raises ValueError naming what is
    malformed."""
    entries: list[TypeEntry] = []
    for label, items in data.items():
        if label in _NOT_TYPES:
            continue
        if not isinstance(items, list):
            raise ValueError(f"type_syntax.{label} must be a list of entries")
        for n, item in enumerate(items):
            where = f"type_syntax.{label}[{n}]"
            if not isinstance(item, dict) or set(item) - {"verbs", "objects", "needs"}:
                raise ValueError(f"{where} must have only verbs, objects and needs")
            entries.append(
                TypeEntry(
                    label,
                    _words(item.get("verbs"), f"{where}.verbs"),
                    _words(item.get("objects"), f"{where}.objects"),
                    _words(item.get("needs", []), f"{where}.needs"),
                )
            )
    return tuple(entries)


def _lemma(token: Token) -> str:
    return lemmas_of(token.doc)[token.i]


@dataclass(frozen=True)
class TypeWords:
    """The word lists of rules ``type_syntax`` (lemmas, casefolded) that are no incident
    type: how the reader tells what a type word acts on and whether its act is real."""

    complements: frozenset[str] = frozenset()  # "300 GB of records", "access to the site"
    negations: frozenset[str] = frozenset()  # "no data was taken"
    disguise_verbs: frozenset[str] = frozenset()  # "appear as"
    disguise_prepositions: frozenset[str] = frozenset()
    disguise_qualifiers: frozenset[str] = frozenset()  # "fake ransomware"
    prevention_verbs: frozenset[str] = frozenset()  # "thwarted a ransomware attack"
    question_marks: frozenset[str] = frozenset()  # "unclear whether they encrypted data"
    verb_prepositions: frozenset[str] = frozenset()  # "broke into the email accounts"
    measure_nouns: frozenset[str] = frozenset()  # "access to thousands of emails"
    act_prepositions: frozenset[str] = frozenset()  # "stopped them from encrypting"
    doubt_nouns: frozenset[str] = frozenset()  # "no evidence that data was stolen"

    @classmethod
    def from_rules(cls, data: Mapping[str, object]) -> TypeWords:
        """The lists of rules ``type_syntax`` (a missing one is empty); ValueError names a
        malformed one."""
        return cls(
            **{key: _words(data[key], f"type_syntax.{key}") for key in _LISTS if key in data}
        )


# keys of rules ``type_syntax`` that are word lists, not incident types
_LISTS = tuple(f.name for f in fields(TypeWords))
_NOT_TYPES = frozenset({*_LISTS, "comment"})


class TypeReader:
    """Finds the incident types one sentence's parse tells."""

    def __init__(
        self,
        entries: Iterable[TypeEntry],
        words: TypeWords | None = None,
        unreal: Callable[[Token], bool] | None = None,
    ) -> None:
        self.by_verb: dict[str, list[TypeEntry]] = {}
        for entry in entries:
            for verb in entry.verbs:
                self.by_verb.setdefault(verb, []).append(entry)
        self.words = words or TypeWords()
        self.unreal = unreal

    @classmethod
    def from_rules(
        cls, data: Mapping[str, object], unreal: Callable[[Token], bool] | None = None
    ) -> TypeReader:
        """The reader of rules ``type_syntax``; ValueError if they are malformed.
        ``unreal`` tells a verb whose act is denied or only possible."""
        return cls(type_entries(data), TypeWords.from_rules(data), unreal)

    def types(self, sentence: Span, masked: Sequence[tuple[int, int]] = ()) -> frozenset[str]:
        """The incident types told in ``sentence``; a word inside one of the ``masked``
        character spans (a phrase where it means something else) tells none."""
        if not self.by_verb:
            return frozenset()
        found: set[str] = set()
        in_sentence: set[str] | None = None
        lemmas = lemmas_of(sentence.doc)
        for token in sentence:
            entries = self.by_verb.get(lemmas[token.i])
            if (
                not entries
                or token.pos_ not in _TELLING
                or self._act_denied(token)
                or self.undetermined(token)
            ):
                continue
            if any(start <= token.idx < end for start, end in masked):
                continue
            told = {_lemma(a) for a in self._arguments(token) if not self._negated(a)}
            for entry in entries:
                if entry.label in found or not told & entry.objects:
                    continue
                if entry.needs:
                    if in_sentence is None:
                        in_sentence = set(lemmas[sentence.start : sentence.end])
                    if not in_sentence & entry.needs:
                        continue
                found.add(entry.label)
        return frozenset(found)

    def denied(self, token: Token) -> bool:
        """The word telling an act is denied or only possible ("did not steal", "could
        steal"), or what it acts on is none ("no data was stolen")."""
        return self._act_denied(token) or any(self._negated(a) for a in self._arguments(token))

    def undetermined(self, token: Token) -> bool:
        """The act the word names was stopped ("thwarted a ransomware attack", "stopped
        the gang from extorting", "the encryption could be prevented": ``prevention_verbs``)
        or is left open ("unclear whether the group also encrypted data":
        ``question_marks``; "no evidence that data was stolen": ``doubt_nouns``; "a
        description that could fit a ransomware attack")."""
        if not (self.words.prevention_verbs or self.words.question_marks or self.words.doubt_nouns):
            return False
        current = token
        stoppable = True  # no preposition of time or cause on the way up
        for _ in range(6):
            if any(
                c.dep_ == "mark" and _lemma(c) in self.words.question_marks
                for c in current.children
            ):
                return True
            head = current.head
            if (
                current.dep_ in ("acl", "prep")
                and _lemma(head) in self.words.doubt_nouns
                and self._negated(head)
            ):
                return True  # "no evidence that data was stolen", « aucune preuve que »
            linked = current.dep_ in _UNDER_ACT or (
                current.dep_ == "conj" and current.pos_ == head.pos_ == "NOUN"
            )
            if head.i == current.i or not linked:
                return False
            stoppable = stoppable and self._act_preposition(current)
            if stoppable and head.pos_ == "VERB" and _lemma(head) in self.words.prevention_verbs:
                return True
            if (
                head.pos_ == "VERB"
                and current.dep_ not in _SUBJECTS
                and self.unreal is not None
                and self.unreal(head)
            ):
                # acted on by a verb only possible: "could fit a ransomware attack"; not
                # "the stolen data could not be identified", whose theft is real
                return True
            current = head
        return False

    def _act_preposition(self, token: Token) -> bool:
        """A preposition on the way up to a stop carries the act itself ("stopped them from
        encrypting": ``act_prepositions``), not a time or a cause ("halted after a
        ransomware attack"); a step that is no preposition passes."""
        if token.dep_ == "prep":  # English: the preposition itself
            return _lemma(token) in self.words.act_prepositions
        if token.dep_ == "obl":  # UD: the noun under its case marker
            cases = [_lemma(c) for c in token.children if c.dep_ == "case"]
            return not cases or any(c in self.words.act_prepositions for c in cases)
        return True

    def disguised(self, span: Span) -> bool:
        """The words name what an operation was made to look like, not what it was: "a
        wiper that should appear as ransomware", "disguised as ransomware", "fake
        ransomware" (a qualifier outside ``span``: "fake emails" is a cue of its own)."""
        root = span.root
        if any(
            c.dep_ in ("amod", "compound") and _lemma(c) in self.words.disguise_qualifiers
            for c in root.children
            if not span.start <= c.i < span.end
        ):
            return True
        if root.dep_ == "pobj":  # ClearNLP: the noun under its preposition, under the verb
            preposition = root.head
            return (
                _lemma(preposition) in self.words.disguise_prepositions
                and _lemma(preposition.head) in self.words.disguise_verbs
            )
        # Universal Dependencies: the preposition is the noun's case marker
        return _lemma(root.head) in self.words.disguise_verbs and any(
            c.dep_ == "case" and _lemma(c) in self.words.disguise_prepositions
            for c in root.children
        )

    def _act_denied(self, token: Token) -> bool:
        return self._negated(token) or (self.unreal is not None and self.unreal(token))

    def _arguments(self, token: Token) -> list[Token]:
        """What the verb acts on, what the adjective is said of or what the noun is of
        ("the publication of personal data") or gets into (``verb_prepositions``: "broke
        into the email accounts"), with the members of a list and the
        complement of a measure ("300 GB of records"). A verb coordinated with another
        shares its object ("data was stolen and published", "stole files and published
        them")."""
        if token.pos_ == "NOUN":  # "the exfiltration and publication of data": shared
            complements = prepositional_objects(token, self.words.complements)
            if not complements and token.dep_ == "conj" and token.head.pos_ == "NOUN":
                complements = prepositional_objects(token.head, self.words.complements)
            return complements
        heads = [c for c in token.children if c.dep_ in _ARGUMENTS and c.pos_ != "PRON"]
        if token.pos_ == "VERB":  # "broke into their email accounts"
            heads += prepositional_objects(token, self.words.verb_prepositions)
        if token.dep_ in _QUALIFYING and token.head.i != token.i:
            heads.append(token.head)
        if token.tag_ == "VBN" and not any(c.dep_.startswith("aux") for c in token.children):
            # an elliptical passive: "(was hacked and) sensitive information released"
            heads += [c for c in token.children if c.dep_ == "nsubj"]
        if not heads and token.dep_ == "conj" and token.head.pos_ == "VERB":
            heads = [c for c in token.head.children if c.dep_ in _ARGUMENTS]
        if token.pos_ == "ADJ":
            heads += [c for c in token.children if c.dep_ in _SUBJECTS]  # UD: adjective heads
            if token.dep_ in _COPULA_COMPLEMENTS or token.head.pos_ not in ("NOUN", "PROPN"):
                heads += [c for c in token.head.children if c.dep_ in _SUBJECTS]
            if token.dep_ == "oprd":  # said of the verb's object: "left 300 PCs unusable"
                heads += [c for c in token.head.children if c.dep_ in ("dobj", "obj")]
        found: list[Token] = []
        for head in heads:
            for member in (head, *(c for c in head.children if c.dep_ in _LIST_LINKS)):
                found.append(member)
                # the name in it: "Twitter account", « le compte Twitter »
                found += [c for c in member.children if c.dep_ in _NAME_PARTS]
                complements = prepositional_objects(member, self.words.complements)
                if not complements and member.head.i == token.i and token.pos_ == "VERB":
                    # the parse may hang the object's complement on the verb: "gained
                    # access (to thousands of emails)"
                    complements = prepositional_objects(token, self.words.complements)
                for complement in complements:
                    found.append(complement)
                    if _lemma(complement) in self.words.measure_nouns:
                        # "access to thousands of emails": what the measure counts
                        found += prepositional_objects(complement, self.words.complements)
        return found

    def _negated(self, token: Token) -> bool:
        """A verb denied ("did not steal") or a thing said to be none ("no data")."""
        return any(
            c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and _lemma(c) in self.words.negations)
            for c in token.children
        )
