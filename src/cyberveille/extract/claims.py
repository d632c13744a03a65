"""Sentence-level claim rules: attribution, sponsorship, targeting, use, response, impact.

Input: the article's folded text, its sentences and mentions, the language's rules;
output: Claim values with their evidence. Rules are data (extract/rules/<lang>.json);
this module only knows the roles they play.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cyberveille.extract.cues import CueHit, RuleSet
from cyberveille.extract.figures import FigureFinder
from cyberveille.extract.mentions import SentenceInfo
from cyberveille.kb.entity import Entity
from cyberveille.types import AttributionType, Claim, Evidence, Mention, Modality

Resolve = Callable[[str], Entity | None]

_ACCUSED_KINDS = {"threat_actor", "agency", "country"}
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
    last_accusers: list[Mention] = field(default_factory=list)


@dataclass(frozen=True)
class SentenceClaims:
    """The claims of one sentence and the parties they name (for segmentation)."""

    claims: tuple[Claim, ...]
    accused: tuple[str, ...]
    response_keys: tuple[str, ...]


def mention_value(mention: Mention) -> str:
    """The canonical id of a mention, else its surface as ``text:...``."""
    return mention.canonical_id or f"text:{mention.text}"


class ClaimExtractor:
    """Applies one language's rules to the sentences of an article."""

    def __init__(self, rules: RuleSet, resolve: Resolve) -> None:
        self.rules = rules
        self.resolve = resolve
        self.figures = FigureFinder(rules)
        self._text = ""

    def extract(
        self,
        article_id: str,
        text: str,
        folded: str,
        sentences: Sequence[SentenceInfo],
        mentions: Sequence[Mention],
    ) -> list[SentenceClaims]:
        """Claims of every sentence of one article, in order (``folded`` = fold(text))."""
        self._text = text
        context = ArticleContext()
        by_sentence: dict[int, list[Mention]] = {}
        for mention in mentions:
            by_sentence.setdefault(mention.sentence_index, []).append(mention)
        return [
            self.sentence_claims(article_id, folded, s, by_sentence.get(s.index, []), context)
            for s in sentences
        ]

    # -- helpers ---------------------------------------------------------------------

    def _hits(self, section: str, folded: str, sentence: SentenceInfo) -> list[CueHit]:
        return self.rules[section].find(folded, sentence.start, sentence.end)

    def _in_attacker_phrase(self, mention: Mention, folded: str, sentence: SentenceInfo) -> bool:
        """True when a state is named as the attackers' nationality ("pirates chinois")."""
        if mention.kind != "country":
            return False
        window_start = max(sentence.start, mention.start - 30)
        window_end = min(sentence.end, mention.end + 30)
        for hit in self.rules["attacker_nouns"].find(folded, window_start, window_end):
            before = folded[hit.end : mention.start]
            after = folded[mention.end : hit.start]
            if hit.end <= mention.start and len(before.split()) <= 1 and "," not in before:
                return True  # French: noun then demonym
            if mention.end <= hit.start and len(after.split()) <= 1 and "," not in after:
                return True  # English: demonym then noun
        return False

    def _country_of(self, value: str) -> str | None:
        if value.startswith("country:"):
            return value.split(":", 1)[1]
        entity = self.resolve(value)
        return entity.country if entity else None

    def _attribution_type(self, accuser: Mention | None, cue_type: str | None) -> AttributionType:
        if cue_type in ("indictment", "sanctions"):
            return cue_type  # type: ignore[return-value]
        if accuser is None:
            return "media_report"
        if accuser.kind == "institution" and accuser.canonical_id:
            entity = self.resolve(accuser.canonical_id)
            if entity and entity.institution_type in _TYPE_BY_INSTITUTION:
                return _TYPE_BY_INSTITUTION[entity.institution_type]
        return "political_statement"

    def _modality(
        self, folded: str, sentence: SentenceInfo, cue: CueHit | None
    ) -> tuple[Modality, bool, list[str]]:
        cues: list[str] = []
        deny = self._hits("deny", folded, sentence)
        hedge = self._hits("hedge_accuser", folded, sentence)
        outlet = self._hits("hedge_outlet", folded, sentence)
        modality: Modality = "asserted"
        if deny:
            modality = "denied"
            cues += [self._text[h.start : h.end] for h in deny]
        elif hedge:
            modality = "alleged"
            cues += [self._text[h.start : h.end] for h in hedge]
        if outlet:
            cues += [self._text[h.start : h.end] for h in outlet]
        return modality, bool(outlet), cues

    def _evidence(self, article_id: str, sentence: SentenceInfo, cues: Sequence[str]) -> Evidence:
        unique = tuple(dict.fromkeys(c.strip() for c in cues if c.strip()))
        return Evidence(
            article_id, sentence.index, sentence.text, sentence.start, sentence.end, unique
        )

    # -- rules -----------------------------------------------------------------------

    def sentence_claims(
        self,
        article_id: str,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        context: ArticleContext,
    ) -> SentenceClaims:
        """Every claim of one sentence; updates ``context`` for the next sentences."""
        claims: list[Claim] = []
        actors = [m for m in mentions if m.kind == "threat_actor"]
        coref_actor = self._coref_actor(folded, sentence, context)
        subject_actor = actors[0] if actors else coref_actor

        attributions, accused, accusers = self._attributions(
            article_id, folded, sentence, mentions, context
        )
        claims += attributions
        claims += self._self_attributions(article_id, folded, sentence, actors)
        sponsorships, sponsors = self._sponsorships(
            article_id, folded, sentence, mentions, subject_actor, accusers
        )
        claims += sponsorships
        excluded = {id(m) for m in accused} | {id(m) for m in accusers} | {id(m) for m in sponsors}
        claims += self._targeting(article_id, folded, sentence, mentions, subject_actor, excluded)
        claims += self._uses(article_id, sentence, mentions, subject_actor)
        responses, response_keys = self._responses(
            article_id, folded, sentence, mentions, accusers, claims
        )
        claims += responses
        claims += self._impacts(article_id, folded, sentence)

        if actors:
            context.last_actor = actors[-1]
        if accused:
            context.last_accused = accused
        if accusers:
            context.last_accusers = accusers
        accused_values = tuple(
            dict.fromkeys(c.subject for c in claims if c.kind == "attribution" and c.subject)
        )
        return SentenceClaims(tuple(claims), accused_values, tuple(response_keys))

    def _coref_actor(
        self, folded: str, sentence: SentenceInfo, context: ArticleContext
    ) -> Mention | None:
        if context.last_actor and self._hits("actor_coref", folded, sentence):
            return context.last_actor
        return None

    def _attributions(
        self,
        article_id: str,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        context: ArticleContext,
    ) -> tuple[list[Claim], list[Mention], list[Mention]]:
        hits = self._hits("attribution", folded, sentence)
        if not hits:
            return [], [], []
        cue = hits[0]
        structure = cue.cue.get("structure", "active")
        cue_type = next((h.cue.get("type") for h in hits if h.cue.get("type")), None)
        attackers = [m for m in mentions if self._in_attacker_phrase(m, folded, sentence)]
        attacker_ids = {id(m) for m in attackers}

        explicit: list[Mention] = []  # "selon X", "X a déclaré"
        for hit in self._hits("source_after", folded, sentence):
            following = [m for m in mentions if m.start >= hit.end and m.kind in _ACCUSER_KINDS]
            if (
                following
                and following[0].start - hit.end <= 40
                and id(following[0]) not in attacker_ids
            ):
                explicit.append(following[0])
        reporting = [h for h in self._hits("source_before", folded, sentence) if h.end <= cue.start]
        # The accused may sit between a reporting verb and the cue: "X affirme que Y est responsable".
        split_at = reporting[0].start if reporting else cue.start
        accused_window = (reporting[0].end, cue.start) if reporting else None

        before = [m for m in mentions if m.end <= split_at]
        after = [m for m in mentions if m.start >= cue.end]
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
            accused = [m for m in mentions if m.kind in ("threat_actor", "agency")] or list(
                context.last_accused
            )
        elif structure == "active":
            passive_agent = folded[cue.end : cue.end + 6].strip().startswith(("par ", "by "))
            if passive_agent:
                accusers = [m for m in after if m.kind in _ACCUSER_KINDS][:1]
                accused = [m for m in before if m.kind in _ACCUSED_KINDS]
            else:
                accusers = [
                    m for m in before if m.kind in _ACCUSER_KINDS and id(m) not in attacker_ids
                ]
                accused = [m for m in after if m.kind in _ACCUSED_KINDS]
        elif structure == "responsible":
            pool = between if accused_window else [m for m in mentions if m.end <= cue.start]
            accused = [m for m in pool if m.kind in _ACCUSED_KINDS and m not in explicit]
            if not accused:
                accused = [m for m in after if m.kind in _ACCUSED_KINDS]
            if reporting:
                accusers = [
                    m for m in before if m.kind in _ACCUSER_KINDS and id(m) not in attacker_ids
                ]
        else:  # passive: "attribué à la Russie (par X)"
            accused = [m for m in after if m.kind in _ACCUSED_KINDS]
            if reporting:
                accusers = [
                    m for m in before if m.kind in _ACCUSER_KINDS and id(m) not in attacker_ids
                ]
        accusers = [m for m in accusers if m not in accused] + [
            m for m in explicit if m not in accusers
        ]
        accused = [m for m in accused if m not in accusers or id(m) in attacker_ids]
        accused += [m for m in attackers if m not in accused]
        if not accused:
            return [], [], accusers
        modality, hedged, hedge_cues = self._modality(folded, sentence, cue)
        cues = [self._text[h.start : h.end] for h in hits] + hedge_cues
        evidence = self._evidence(article_id, sentence, cues)
        claims: list[Claim] = []
        for target in accused:
            for accuser in accusers or [None]:
                accuser_value = mention_value(accuser) if accuser else None
                claims.append(
                    Claim(
                        kind="attribution",
                        evidence=evidence,
                        subject=mention_value(target),
                        accuser=accuser_value,
                        accuser_country=self._country_of(accuser_value) if accuser_value else None,
                        attribution_type=self._attribution_type(accuser, cue_type),
                        modality=modality,
                        hedged_by_outlet=hedged,
                    )
                )
        return claims, accused, accusers

    def _self_attributions(
        self, article_id: str, folded: str, sentence: SentenceInfo, actors: Sequence[Mention]
    ) -> list[Claim]:
        hits = self._hits("self_attribution", folded, sentence)
        if not hits or not actors:
            return []
        evidence = self._evidence(article_id, sentence, [self._text[h.start : h.end] for h in hits])
        return [
            Claim(
                kind="attribution",
                evidence=evidence,
                subject=mention_value(actor),
                accuser=mention_value(actor),
                attribution_type="self_attribution",
            )
            for actor in actors
        ]

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
        modality, hedged, hedge_cues = self._modality(folded, sentence, None)
        for hit in self._hits("sponsorship", folded, sentence):
            after = [
                m
                for m in mentions
                if m.start >= hit.end and m.kind in ("agency", "country") and m not in accusers
            ]
            target = after[0] if after and after[0].start - hit.end <= 60 else None
            if target is None:  # "acteurs chinois soutenus par l'État"
                before = [
                    m
                    for m in mentions
                    if m.end <= hit.start and self._in_attacker_phrase(m, folded, sentence)
                ]
                target = before[-1] if before else None
            if target is None:
                continue
            actors_before = [m for m in mentions if m.kind == "threat_actor" and m.end <= hit.start]
            subject = actors_before[-1] if actors_before else subject_actor
            sponsors.append(target)
            evidence = self._evidence(
                article_id, sentence, [self._text[hit.start : hit.end], *hedge_cues]
            )
            claims.append(
                Claim(
                    kind="sponsorship",
                    evidence=evidence,
                    subject=mention_value(subject) if subject else None,
                    object=mention_value(target),
                    modality=modality,
                    hedged_by_outlet=hedged,
                )
            )
            # "le MSS chinois": the agency's state named right after it is the same sponsor.
        return claims, sponsors

    def _targeting(
        self,
        article_id: str,
        folded: str,
        sentence: SentenceInfo,
        mentions: Sequence[Mention],
        subject_actor: Mention | None,
        excluded: set[int],
    ) -> list[Claim]:
        hits = self._hits("targeting", folded, sentence)
        if not hits:
            return []
        first = hits[0]
        claims: list[Claim] = []
        seen: set[str] = set()
        for mention in mentions:
            if mention.start < first.start or id(mention) in excluded:
                continue
            if mention.kind not in ("country", "sector", "organisation"):
                continue
            if mention.kind == "country" and self._in_attacker_phrase(mention, folded, sentence):
                continue
            value = mention_value(mention)
            if mention.kind == "organisation":
                value = f"org:{mention.text}"
            if value in seen:
                continue
            seen.add(value)
            evidence = self._evidence(article_id, sentence, [self._text[first.start : first.end]])
            claims.append(
                Claim(
                    kind="targeting",
                    evidence=evidence,
                    subject=mention_value(subject_actor) if subject_actor else None,
                    object=value,
                )
            )
        return claims

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
        labels = {str(h.cue.get("label")): h for h in self._hits("response", folded, sentence)}
        for (
            claim
        ) in claims:  # an indictment by a justice body is a response even if worded "accuse"
            if claim.kind == "attribution" and claim.attribution_type in (
                "indictment",
                "sanctions",
            ):
                labels.setdefault(claim.attribution_type, None)  # type: ignore[arg-type]
        for label, hit in labels.items():
            actors = [
                m
                for m in mentions
                if m.kind in _ACCUSER_KINDS and (hit is None or m.end <= hit.start)
            ]
            responder = accusers[0] if accusers else (actors[0] if actors else None)
            subject = mention_value(responder) if responder else None
            cues = [self._text[hit.start : hit.end]] if hit else []
            out.append(
                Claim(
                    kind="response",
                    evidence=self._evidence(article_id, sentence, cues),
                    subject=subject,
                    text=label,
                )
            )
            if label in ("indictment", "sanctions") and subject and not subject.startswith("text:"):
                keys.append(f"response:{label}:{subject}")
        return out, keys

    def _impacts(self, article_id: str, folded: str, sentence: SentenceInfo) -> list[Claim]:
        claims: list[Claim] = []
        for figure in self.figures.find(folded, sentence.start, sentence.end):
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
