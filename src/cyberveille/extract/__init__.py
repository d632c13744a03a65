"""Extraction stage: Article -> Extraction (mentions, claims with evidence, incident mentions).

spaCy ``Doc`` objects never leave this package; what leaves is plain values.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import partial

from spacy.language import Language
from spacy.tokens import Doc

from cyberveille.extract.claims import (
    ClaimExtractor,
    SentenceClaims,
    hacktivist_named,
    mention_value,
)
from cyberveille.extract.cues import CueHit, HitIndex, RuleSet, available_languages, load_rules
from cyberveille.extract.dateline import dateline_span, outside_dateline
from cyberveille.extract.dates import DateFinder
from cyberveille.extract.discover import (
    designated_actors,
    discover_actors,
    named_companies,
    named_software,
    one_id_per_new_actor,
    operators_of_software,
    self_named_actors,
    white_hats,
)
from cyberveille.extract.fold import fold
from cyberveille.extract.mentions import (
    NameContext,
    SentenceInfo,
    evidence_in,
    find_mentions,
    names_no_organisation,
    sentence_at,
    sentences_of,
)
from cyberveille.extract.nlp import load_pipeline
from cyberveille.extract.quotes import Quote, find_quotes
from cyberveille.extract.segment import SentenceSignals, segment, sentence_anchors
from cyberveille.extract.type_syntax import TypeReader
from cyberveille.extract.victim_syntax import VictimReader, VictimSpan, VictimSyntax
from cyberveille.kb import KnowledgeBase, load_kb
from cyberveille.types import Article, Claim, Extraction, Mention

__all__ = ["Extractor"]

_SOFTWARE = {"malware", "tool"}
_PLACES = frozenset({"country", "sector"})


class Extractor:
    """Extracts facts from articles with the language's spaCy pipeline and rules."""

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        pipelines: Callable[[str], tuple[Language, bool]] = load_pipeline,
        ambiguity_filter: bool | None = None,
    ) -> None:
        """Args:
        kb: the knowledge base (default: the packaged one).
        pipelines: returns ``(nlp, trained)`` for a language code; tests pass blank ones.
        ambiguity_filter: keep names that are also ordinary words only with evidence
            (False keeps them all; used to measure the filter). Default: on, unless the
            environment sets CYBERVEILLE_AMBIGUITY_FILTER=0.
        """
        if ambiguity_filter is None:
            ambiguity_filter = os.environ.get("CYBERVEILLE_AMBIGUITY_FILTER", "1") != "0"
        self.ambiguity_filter = ambiguity_filter
        self.kb = kb or load_kb()
        self.pipelines = pipelines
        self._claim_extractors: dict[str, ClaimExtractor] = {}
        self._date_finders: dict[str, DateFinder] = {}
        self._victim_readers: dict[str, VictimReader] = {}
        self._type_readers: dict[str, TypeReader] = {}

    def _types_of_software(self, mentions: Sequence[Mention]) -> frozenset[str]:
        """Kinds of operation that the software named tells: a family the ransomware
        galaxy lists makes the sentence about ransomware, whatever its wording."""
        for mention in mentions:
            if mention.kind != "malware" or not mention.canonical_id:
                continue
            entity = self.kb.get(mention.canonical_id)
            if entity is not None and any(r.startswith("ransomware:") for r in entity.refs):
                return frozenset({"ransomware"})
        return frozenset()

    def extract(self, article: Article) -> Extraction:
        """Extract one article."""
        return next(iter(self.extract_many([article])))

    def extract_many(
        self, articles: Iterable[Article], batch_size: int = 32
    ) -> Iterator[Extraction]:
        """Extract articles, yielded in input order; each language goes through one ``nlp.pipe``."""
        batch = list(articles)
        by_language: dict[str, list[int]] = {}
        for index, article in enumerate(batch):
            by_language.setdefault(article.language, []).append(index)
        done: dict[int, Extraction] = {}
        for language, indices in by_language.items():
            nlp, trained = self.pipelines(language)
            docs = nlp.pipe((batch[i].text for i in indices), batch_size=batch_size)
            for index, doc in zip(indices, docs, strict=True):
                done[index] = self._from_doc(batch[index], doc, trained)
        for index in range(len(batch)):
            yield done[index]

    def _rules_for(self, language: str) -> tuple[ClaimExtractor, DateFinder]:
        if language not in self._claim_extractors:
            rules = load_rules(language)
            self._claim_extractors[language] = ClaimExtractor(rules, self.kb.get)
            self._date_finders[language] = DateFinder(rules)
            victim_reader = VictimReader(VictimSyntax.from_rules(rules.victim_syntax))
            self._victim_readers[language] = victim_reader
            self._type_readers[language] = TypeReader.from_rules(
                rules.type_syntax, unreal=victim_reader.unreal
            )
        return self._claim_extractors[language], self._date_finders[language]

    def _from_doc(self, article: Article, doc: Doc, trained: bool) -> Extraction:
        text = article.text
        folded = fold(text)
        sentences = sentences_of(doc)
        claim_extractor, date_finder = self._rules_for(article.language)
        context = NameContext(
            claim_extractor.rules["name_context"],
            folded,
            acts=claim_extractor.rules["actor_acts"],
            not_sector_nouns=self._victim_readers[article.language].syntax.not_sector_nouns,
        )
        mentions = find_mentions(
            doc,
            text,
            sentences,
            self.kb,
            trained=trained,
            context=context,
            ambiguity_filter=self.ambiguity_filter,
        )
        discovered = discover_actors(
            text,
            folded,
            sentences,
            claim_extractor.rules["actor_introducers"],
            self.kb,
            [(m.start, m.end) for m in mentions if m.canonical_id and m.kind not in _SOFTWARE],
            claim_extractor.rules["benign_qualifiers"],
            [m for m in mentions if m.kind == "threat_actor"],
        )
        operators = operators_of_software(
            text, folded, mentions, claim_extractor.rules["software_operators"], self.kb
        )
        discovered += self_named_actors(
            text,
            folded,
            sentences,
            claim_extractor.rules["actor_acts"],
            self.kb,
            [
                (m.start, m.end)
                for m in [*mentions, *discovered, *operators]
                if m.canonical_id and m.kind not in _PLACES
            ],
        )
        known = [*mentions, *discovered, *operators]
        discovered += designated_actors(
            text,
            folded,
            sentences,
            self.kb,
            [(m.start, m.end) for m in known if m.canonical_id],
            sorted((m for m in known if m.kind == "threat_actor"), key=lambda m: m.start),
            claim_extractor.rules["alias_introducers"],
        )
        # "the hacktivist group RedFox", "Bangladesh Cyber Army": the discovered actor wins
        # over a spaCy entity, a software or a place name on its words; "the DarkSide gang"
        # names both the gang and its ransomware, so only a spaCy entity gives way there
        mentions = sorted(
            [
                m
                for m in mentions
                if (m.canonical_id and m.kind not in _SOFTWARE and m.kind not in _PLACES)
                or not _overlaps_any(m, discovered)
            ]
            + discovered,
            key=lambda m: (m.start, -m.end),
        )
        mentions = sorted(
            [m for m in mentions if m.canonical_id or not _overlaps_any(m, operators)] + operators,
            key=lambda m: (m.start, -m.end),
        )
        mentions = one_id_per_new_actor(mentions, self.kb)
        companies = named_companies(
            text,
            folded,
            sentences,
            claim_extractor.rules["company_introducers"],
            mentions,
            claim_extractor.rules["company_suffixes"],
        )
        mentions = _in_place_of(mentions, companies)
        software = named_software(
            text,
            folded,
            sentences,
            claim_extractor.rules["software_introducers"],
            [m for m in mentions if m.canonical_id],
            claim_extractor.rules["software_kinds"],
        )
        mentions = _in_place_of(mentions, software)
        finders = white_hats(
            mentions,
            folded,
            sentences,
            claim_extractor.rules["flaw_finds"],
            claim_extractor.rules["flaw_words"],
            claim_extractor.rules["targeting"],
            self.kb,
        )
        mentions = [m for m in mentions if m.canonical_id not in finders]
        # the city and the wire of a dateline ("TORONTO (Reuters) - ") take no part
        dateline = dateline_span(text)
        mentions = [m for m in mentions if outside_dateline(m.start, m.end, dateline)]
        quotes = find_quotes(text, folded, claim_extractor.rules) if sentences else []
        per_sentence = claim_extractor.extract(
            article.id,
            text,
            folded,
            sentences,
            mentions,
            _quoted_speakers(quotes, sentences, mentions),
            *(
                self._parsed_roles(article.language, doc, text, sentences, dateline)
                if trained
                else ({}, {}, [], [], [])
            ),
        )
        extra = self._quotes(article, quotes, sentences, mentions)
        extra += self._branch_states(article, sentences, mentions, per_sentence)
        extra += self._dates(article, folded, sentences, date_finder)
        by_sentence: dict[int, list[Claim]] = {}
        for claim in extra:
            by_sentence.setdefault(claim.evidence.sentence_index, []).append(claim)
        mentions_by_sentence: dict[int, list[Mention]] = {}
        for mention in mentions:
            mentions_by_sentence.setdefault(mention.sentence_index, []).append(mention)
        index = claim_extractor.index  # hits of the article just extracted
        parsed_types = (
            self._parsed_types(article.language, doc, sentences, index) if trained else {}
        )
        actor_names = {mention_value(m): m.text for m in mentions if m.kind == "threat_actor"}
        told = [
            self._types_by_cues(article.language, doc if trained else None, index, folded, info)
            | parsed_types.get(info.index, frozenset())
            for info in sentences
        ]
        # software a sentence calls a wiper tells no ransomware anywhere in the article:
        # the ransomware galaxy lists wipers that posed as ransomware (NotPetya, KillDisk)
        wipers = {
            m.canonical_id
            for info, types in zip(sentences, told, strict=True)
            if "wiper" in types
            for m in mentions_by_sentence.get(info.index, [])
        }
        signals: list[SentenceSignals] = []
        for info, found, types in zip(sentences, per_sentence, told, strict=True):
            merged = replace(found, claims=found.claims + tuple(by_sentence.get(info.index, ())))
            if "wiper" not in types:
                software = mentions_by_sentence.get(info.index, [])
                types |= self._types_of_software(
                    [
                        m
                        for m in software
                        if m.canonical_id not in wipers and not _compared(index, folded, m.start)
                    ]
                )
            if not types and _website_attacked(index, folded, info):
                # only where nothing else is told of the site: "stole data from the
                # website", "placed a backdoor on the website" deface nothing
                types |= {"defacement"}
            anchors = sentence_anchors(mentions_by_sentence.get(info.index, []), found)
            signals.append(SentenceSignals(info, merged, anchors, types, found.refers_back))
        incident_mentions = segment(
            article.id,
            signals,
            published=article.published,
            resolve=self.kb.get,
            hacktivist_name=partial(_hacktivist_name, claim_extractor.rules, actor_names),
        )
        notes: list[str] = []
        if not trained:
            notes.append(
                f"language {article.language!r} has no trained pipeline: sentences, grammar and "
                "person/organisation names were not analysed"
            )
        if article.language not in available_languages():
            notes.append(
                f"language {article.language!r} has no rule file: only knowledge-base names, "
                "CVE ids, figures and language-independent cues were extracted"
            )
        claims = tuple(c for s in signals for c in s.claims.claims)
        # the words referring back to an actor are mentions of it too (« le groupe »)
        mentions = sorted(
            [*mentions, *(m for found in per_sentence for m in found.coreferences)],
            key=lambda m: (m.start, -m.end),
        )
        return Extraction(
            article=article,
            sentences=tuple(s.text for s in sentences),
            mentions=tuple(mentions),
            claims=claims,
            incident_mentions=tuple(incident_mentions),
            notes=tuple(notes),
        )

    def _branch_states(
        self,
        article: Article,
        sentences: list[SentenceInfo],
        mentions: list[Mention],
        per_sentence: list[SentenceClaims],
    ) -> list[Claim]:
        """The state of a national branch that acts ("Anonymous Cuba disrupted...",
        "LulzSec Peru hacked..."): named as the attackers' state, like "Cuban hackers".
        Each attribution of the branch gets its state's twin (same source, type and
        firmness); a hacktivist branch only said to act gets one, once: a claim of its
        own (hacktivists sign what they do)."""
        claims: list[Claim] = []
        for mention in mentions:
            if mention.kind != "threat_actor" or not mention.canonical_id:
                continue
            country = self._branch_country(mention)
            if country is None:
                continue
            sentence = sentences[mention.sentence_index]
            said = per_sentence[mention.sentence_index].claims
            done = [c for c in said if c.subject == mention.canonical_id]
            evidence = evidence_in(article.id, sentence, [mention.text])
            claimed = [c for c in done if c.kind == "attribution"]
            claims += [replace(c, evidence=evidence, subject=country) for c in claimed]
            entity = self.kb.get(mention.canonical_id)
            signed = entity is not None and entity.hacktivist
            if signed and done and not claimed and not any(c.subject == country for c in claims):
                claims.append(
                    Claim(
                        kind="attribution",
                        evidence=evidence,
                        subject=country,
                        accuser=mention.canonical_id,
                        attribution_type="self_attribution",
                        modality=done[0].modality,
                    )
                )
        return claims

    def _branch_country(self, mention: Mention) -> str | None:
        """The country whose name ends an actor's name that the KB does not hold whole
        ("Anonymous Cuba", "LulzSec Peru"), or opens the name of a group found in the
        text ("Egypt Cyber Army"), else None. National branches are the hacktivists' way:
        "Fancy Bear Ukraine" (a headline) names the target."""
        entity = self.kb.get(mention.canonical_id or "")
        if entity is not None and (
            mention.text in (entity.name, *entity.aliases) or not entity.hacktivist
        ):
            return None
        countries = [m for m in self.kb.match(mention.text) if m.kind == "country"]
        ends = [m for m in countries if m.start > 0 and m.end == len(mention.text)]
        if ends:
            return ends[-1].entity_id
        # a group named after its state that the KB does not know ("Egypt Cyber Army")
        starts = [m for m in countries if m.start == 0 and m.end < len(mention.text)]
        return starts[0].entity_id if starts and entity is None else None

    def _parsed_roles(
        self,
        language: str,
        doc: Doc,
        text: str,
        sentences: list[SentenceInfo],
        dateline: tuple[int, int] = (0, 0),
    ) -> tuple[
        dict[int, list[VictimSpan]],
        dict[int, list[tuple[int, int]]],
        list[tuple[int, int]],
        list[tuple[int, int]],
        list[tuple[int, int]],
    ]:
        """Sentence index -> the named victims, and the doers' phrases, its parse gives
        (a phrase is cut where it crosses the dateline: the parse may join them); the
        spans of the attack words it tells only as possible or denied; those of the
        adverbial clauses; and those of the verbs' direct objects."""
        reader = self._victim_readers[language]
        victims: dict[int, list[VictimSpan]] = {}
        doers: dict[int, list[tuple[int, int]]] = {}
        unreal: list[tuple[int, int]] = []
        adverbial: list[tuple[int, int]] = []
        objects: list[tuple[int, int]] = []
        for sent in doc.sents:
            unreal += reader.unreal_acts(sent)
            adverbial += reader.adverbial_clauses(sent)
            objects += reader.object_phrases(sent)
            for victim in reader.victims(sent):
                kept = outside_dateline(victim.start, victim.end, dateline)
                if kept is None:
                    continue
                victim = replace(victim, start=kept[0], end=kept[1])
                if victim.proper and names_no_organisation(
                    text[victim.start : victim.end],
                    self.kb,  # doc.text joins every token
                ):
                    # "DDoS attacks against...", "encrypting Windows files": the proper
                    # noun names a technique, a product or a figure, not the victim
                    victim = replace(victim, proper=False)
                refers = victim.refers
                if refers is not None and (
                    outside_dateline(*refers, dateline) != refers
                    or names_no_organisation(text[refers[0] : refers[1]], self.kb)
                ):
                    victim = replace(victim, refers=None)
                victims.setdefault(sentence_at(sentences, victim.start), []).append(victim)
            for start, end in reader.doers(sent):
                span = outside_dateline(start, end, dateline)
                if span is not None:
                    doers.setdefault(sentence_at(sentences, span[0]), []).append(span)
        return victims, doers, unreal, adverbial, objects

    def _types_by_cues(
        self, language: str, doc: Doc | None, index: HitIndex, folded: str, info: SentenceInfo
    ) -> frozenset[str]:
        """The incident types the sentence's cue words tell (rules ``incident_types``),
        less those the parse (``doc``, when trained) shows denied. A cue inside an attacker
        noun ("the ransomware gang X stole data") names the actor; it tells the act only
        when nothing else does ("an espionage group targeted ministries"); one right after
        a comparison tells nothing (``comparisons``: "unlike ransomware"). Words of a
        flaw tell a mass exploitation only with its scale (rules ``mass_scale``:
        "thousands of servers", "widespread", « à grande échelle »)."""
        told = [
            h
            for h in index.within("incident_types", info.start, info.end)
            if not index.covering("false_friends", h.start, h.end)
            and not _compared(index, folded, h.start)
        ]
        if doc is not None:
            told = self._real_hits(language, doc, told)
        actors_words = index.within("attacker_nouns", info.start, info.end)
        acts = [
            h for h in told if not any(a.start <= h.start and h.end <= a.end for a in actors_words)
        ]
        types = frozenset(_label(h, doc) for h in (acts or told))
        if "mass_exploitation" in types and not index.within("mass_scale", info.start, info.end):
            # "exploited a zero-day to gain access to the ministry": a vector (its use
            # claim keeps the flaw), not a mass exploitation, which needs its scale told
            types -= {"mass_exploitation"}
        return types

    def _real_hits(self, language: str, doc: Doc, hits: list[CueHit]) -> list[CueHit]:
        """The incident-type cues that tell a real act: not "no data was stolen", "did not
        encrypt", « ne visent pas à dérober », "disguised as ransomware", "thwarted a
        ransomware attack", "unclear whether they encrypted data" (the parse says what each
        cue's word governs)."""
        reader = self._type_readers[language]
        real: list[CueHit] = []
        for hit in hits:
            span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
            if span is None or not (
                reader.denied(span.root) or reader.disguised(span) or reader.undetermined(span.root)
            ):
                real.append(hit)
        return real

    def _parsed_types(
        self, language: str, doc: Doc, sentences: list[SentenceInfo], index: HitIndex
    ) -> dict[int, frozenset[str]]:
        """Sentence index -> the incident types its parse tells (extract/type_syntax.py),
        but for words inside a false friend ("according to leaked documents")."""
        reader = self._type_readers[language]
        found: dict[int, frozenset[str]] = {}
        for sent in doc.sents:
            masked = [
                (f.start, f.end)
                for f in index.within("false_friends", sent.start_char, sent.end_char)
            ]
            types = reader.types(sent, masked)
            if types:
                at = sentence_at(sentences, sent.start_char)
                found[at] = found.get(at, frozenset()) | types
        return found

    def _quotes(
        self,
        article: Article,
        quotes: list[Quote],
        sentences: list[SentenceInfo],
        mentions: list[Mention],
    ) -> list[Claim]:
        claims: list[Claim] = []
        for quote in quotes:
            if quote.speaker is None or quote.speaker_start is None or quote.speaker_end is None:
                continue
            inside = [
                m
                for m in mentions
                if quote.speaker_start <= m.start < quote.speaker_end
                and m.kind in ("person", "institution", "country", "organisation")
            ]
            person = next((m for m in inside if m.kind == "person"), None)
            speaker = person or (inside[0] if inside else None)
            subject = mention_value(speaker) if speaker else f"text:{quote.speaker}"
            sentence = sentences[sentence_at(sentences, quote.start)]
            evidence = evidence_in(article.id, sentence, [quote.speaker])
            claims.append(Claim(kind="quote", evidence=evidence, subject=subject, text=quote.words))
        return claims

    def _dates(
        self, article: Article, folded: str, sentences: list[SentenceInfo], finder: DateFinder
    ) -> list[Claim]:
        claims: list[Claim] = []
        if not sentences:
            return claims
        # one scan of the whole text (the patterns' fixed cost is per call), each date
        # then given to the sentence it lies in; none runs over a sentence's end
        for found in finder.find(folded, 0, len(folded), article.published):
            sentence = sentences[sentence_at(sentences, found.start)]
            if not sentence.start <= found.start < found.end <= sentence.end:
                continue
            surface = article.text[found.start : found.end]
            evidence = evidence_in(article.id, sentence, [surface])
            claims.append(
                Claim(
                    kind="date",
                    evidence=evidence,
                    text=surface,
                    date_start=found.start_date,
                    date_end=found.end_date,
                )
            )
        return claims


def _quoted_speakers(
    quotes: list[Quote], sentences: list[SentenceInfo], mentions: list[Mention]
) -> dict[int, Mention]:
    """Sentence index -> the state or institution named as the speaker of the quote it sits in."""
    speakers: dict[int, Mention] = {}
    for quote in quotes:
        if quote.speaker_start is None or quote.speaker_end is None:
            continue
        named = [
            m
            for m in mentions
            if quote.speaker_start <= m.start < quote.speaker_end
            and m.kind in ("institution", "country")
        ]
        if not named:
            continue
        for sentence in sentences:
            if sentence.start < quote.end and quote.start < sentence.end:
                speakers[sentence.index] = named[0]
    return speakers


def _label(hit: CueHit, doc: Doc | None) -> str:
    """The type an incident-type cue tells: its ``as_verb`` type where the parse reads it
    as a verb ("to breach the network": an intrusion; "a breach": a theft of data)."""
    as_verb = hit.cue.get("as_verb")
    if as_verb and doc is not None:
        span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
        if span is not None and span.root.pos_ == "VERB":
            return str(as_verb)
    return str(hit.cue.get("label"))


def _compared(index: HitIndex, folded: str, start: int) -> bool:
    """A comparison (rules ``comparisons``) ends right before ``start``, but for an
    article or punctuation: "NotPetya, just like WannaCry, ...", "unlike ransomware", "at
    the same time as a ransomware attack" tell nothing of the kind of this operation."""
    for hit in index.within("comparisons", max(0, start - 60), start):
        gap = folded[hit.end : start].split()
        if len(gap) <= 1 and all(len(w.strip("\"'«»“”")) <= 3 for w in gap):
            return True
    return False


def _overlaps_any(mention: Mention, others: list[Mention]) -> bool:
    return any(mention.start < o.end and o.start < mention.end for o in others)


def _in_place_of(mentions: list[Mention], found: list[Mention]) -> list[Mention]:
    """The mentions with those ``found`` in place of the ones they overlap, in text order."""
    kept = [m for m in mentions if not _overlaps_any(m, found)]
    return sorted(kept + found, key=lambda m: (m.start, -m.end))


def _hacktivist_name(rules: RuleSet, names: Mapping[str, str], value: str) -> bool:
    """The actor (a claim's subject the KB lacks) bears a hacktivist group's name (rules
    ``hacktivist_names``), as the text writes it or as its id spells it."""
    return hacktivist_named(rules, names.get(value) or value.split(":", 1)[-1].replace("-", " "))


def _website_attacked(index: HitIndex, folded: str, info: SentenceInfo) -> bool:
    """A website named as the object of an attack verb ("hacked the website of X", "X's
    websites were attacked"): defaced or taken down, which is what such attacks are."""
    verbs = index.within("targeting", info.start, info.end)
    for site in index.within("web_targets", info.start, info.end):
        for verb in verbs:
            gap = folded[min(verb.end, site.end) : max(verb.start, site.start)]
            if len(gap.split()) <= 4 and not any(mark in gap for mark in ",;:"):
                return True
    return False
