"""Predictions: records -> RawDocument -> Pipeline -> fresh store -> per-document facts."""

from __future__ import annotations

import importlib
import logging
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cyberveille.evaluation.gold import GoldRecord
from cyberveille.evaluation.normalise import KBLike, country_of_id, cve_ids
from cyberveille.types import Claim, Mention

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PredictedMention:
    """One incident mention of an article, as stored, with the incident it was grouped into.

    Attributes:
        id: the incident-mention id.
        incident_id: the incident the store grouped it into (None if ungrouped).
        index: its position in the article.
        incident_type: the extracted incident type.
        incident_types: every incident type the mention shows, most specific first.
        claims: its claims.
        keys: its grouping keys (``actor:...``, ``product:...``).
        mention_only: whether the extraction saw it as a passing mention.
    """

    id: str
    incident_id: str | None
    index: int
    claims: tuple[Claim, ...]
    incident_type: str | None = None
    keys: frozenset[str] = frozenset()
    mention_only: bool = False
    incident_types: tuple[str, ...] = ()

    def all_types(self) -> tuple[str, ...]:
        """Every incident type of the mention (the primary one when no list was read)."""
        if self.incident_types:
            return self.incident_types
        return (self.incident_type,) if self.incident_type else ()


@dataclass(frozen=True)
class DocumentPrediction:
    """Everything predicted for one gold document.

    ``claims`` are all the article's claims (those of its incident mentions and the rest).
    """

    record_id: str
    text: str
    article_id: str | None = None
    incident_mentions: tuple[PredictedMention, ...] = ()
    claims: tuple[Claim, ...] = ()
    mentions: tuple[Mention, ...] = ()
    error: str | None = None

    def all_claims(self) -> tuple[Claim, ...]:
        """Claims of the incident mentions, then any other article claim, without repeats."""
        merged = [c for m in self.incident_mentions for c in m.claims] + list(self.claims)
        return tuple(dict.fromkeys(merged))


@dataclass
class Facts:
    """Facts derived from claims (ids as in the Claim docstring), for one mention or document."""

    actors: set[str] = field(default_factory=set)
    other_accused: set[str] = field(default_factory=set)
    sponsor_states: set[str] = field(default_factory=set)
    sponsor_agencies: set[str] = field(default_factory=set)
    accusers: set[tuple[str, str]] = field(default_factory=set)
    accuser_countries: set[str] = field(default_factory=set)
    victim_countries: set[str] = field(default_factory=set)
    sectors: set[str] = field(default_factory=set)
    victims: set[str] = field(default_factory=set)
    vulnerabilities: set[str] = field(default_factory=set)
    malware: set[str] = field(default_factory=set)
    cves: set[str] = field(default_factory=set)
    figures: set[tuple[float | None, str | None]] = field(default_factory=set)
    hedged: bool = False
    incident_types: set[str] = field(default_factory=set)
    attribution_types: list[str] = field(default_factory=list)
    responses: set[str] = field(default_factory=set)


def _agency_country(agency_id: str, kb: KBLike | None) -> str | None:
    if kb is None:
        return None
    entity = kb.get(agency_id)
    return entity.country.upper() if entity is not None and entity.country else None


def facts_from_claims(
    claims: Iterable[Claim],
    *,
    mentions: Iterable[Mention] = (),
    incident_types: Iterable[str | None] = (),
    kb: KBLike | None = None,
) -> Facts:
    """Derive the evaluated facts from claims, following the Claim docstring semantics.

    - actors: ``actor:*`` subjects of attribution/sponsorship/targeting/use claims and
      ``actor:*`` canonical ids of threat_actor mentions, less the actors only named to
      compare them (objects of relation claims, with no sponsorship counted for them);
      other accused subjects (``agency:*``, ``text:*``) go to ``other_accused``.
    - sponsor_states: ``country:XX`` objects of sponsorship, ``country:XX`` subjects of
      attribution, and the KB country of any ``agency:*`` sponsor or accused agency.
    - sponsor_agencies: ``agency:*`` objects of sponsorship / subjects of attribution.
    - accusers: (accuser_country, attribution_type) of attribution claims (the accuser's
      KB country when accuser_country is missing; type "unknown" when missing).
    - victim_countries / sectors / victims: ``country:XX`` / ``sector:<MISP>`` /
      ``org:*``-``text:*`` objects of targeting claims.
    - vulnerabilities: ``product:*``/``cve:*`` objects of use claims; malware:
      ``malware:*``/``tool:*`` objects of use claims; cves: every ``cve:*`` id in claims
      and mentions.
    - figures: (value, unit) of impact claims; hedged: an attribution claim is "alleged"
      or hedged_by_outlet; attribution_types: in claim order; responses: response texts.

    Args:
        claims: the claims.
        mentions: the article's mentions (document level only).
        incident_types: the incident types of the incident mentions.
        kb: the knowledge base, for agencies' and accusers' countries.

    Returns:
        The facts.
    """
    facts = Facts()
    facts.incident_types = {t for t in incident_types if t}
    claims = list(claims)
    mentions = list(mentions)
    # actors named only to compare them ("overlaps with X"), nowhere else, did nothing here
    doers = {
        c.subject for c in claims if c.kind in ("attribution", "targeting", "use") and c.subject
    }
    compared = Counter(c.object for c in claims if c.kind == "relation" and c.object)
    named = Counter(m.canonical_id for m in mentions if m.kind == "threat_actor")
    related_only = {a for a, n in compared.items() if n >= named[a]} - doers
    for claim in claims:
        subject, obj = claim.subject, claim.object
        if claim.kind == "sponsorship" and subject in related_only:
            continue
        for ref in (subject, obj):
            if ref and ref.startswith("cve:"):
                facts.cves.add(ref.split(":", 1)[1].upper())
        if claim.kind in {"attribution", "sponsorship", "targeting", "use"} and subject:
            if subject.startswith("actor:"):
                facts.actors.add(subject)
            elif claim.kind == "attribution" and not subject.startswith("country:"):
                facts.other_accused.add(subject)
        if claim.kind == "attribution":
            if subject:
                iso = country_of_id(subject)
                if iso:
                    facts.sponsor_states.add(iso)
                elif subject.startswith("agency:"):
                    facts.sponsor_agencies.add(subject)
                    country = _agency_country(subject, kb)
                    if country:
                        facts.sponsor_states.add(country)
            accuser_country = claim.accuser_country
            if not accuser_country and claim.accuser:
                accuser_country = country_of_id(claim.accuser) or _agency_country(claim.accuser, kb)
            if accuser_country:
                facts.accuser_countries.add(accuser_country.upper())
                facts.accusers.add((accuser_country.upper(), claim.attribution_type or "unknown"))
            if claim.attribution_type:
                facts.attribution_types.append(claim.attribution_type)
            if claim.modality == "alleged" or claim.hedged_by_outlet:
                facts.hedged = True
        elif claim.kind == "sponsorship" and obj:
            iso = country_of_id(obj)
            if iso:
                facts.sponsor_states.add(iso)
            elif obj.startswith("agency:"):
                facts.sponsor_agencies.add(obj)
                country = _agency_country(obj, kb)
                if country:
                    facts.sponsor_states.add(country)
        elif claim.kind == "targeting" and obj:
            iso = country_of_id(obj)
            if iso:
                facts.victim_countries.add(iso)
            elif obj.startswith("sector:"):
                facts.sectors.add(obj.split(":", 1)[1])
            elif obj.startswith(("org:", "text:")):
                facts.victims.add(obj)
        elif claim.kind == "use" and obj:
            if obj.startswith(("product:", "cve:")):
                facts.vulnerabilities.add(obj)
            elif obj.startswith(("malware:", "tool:")):
                facts.malware.add(obj)
        elif claim.kind == "impact" and (claim.value is not None or claim.unit):
            facts.figures.add((claim.value, claim.unit))
        elif claim.kind == "response" and claim.text:
            facts.responses.add(claim.text.casefold())
    for mention in mentions:
        cid = mention.canonical_id
        if mention.kind == "threat_actor" and cid and cid.startswith("actor:"):
            facts.actors.add(cid)
        if cid and cid.startswith("cve:"):
            facts.cves.add(cid.split(":", 1)[1].upper())
        if mention.kind == "vulnerability":
            facts.cves |= cve_ids(mention.text)
    facts.actors -= related_only
    return facts


def document_facts(pred: DocumentPrediction, kb: KBLike | None) -> Facts:
    """Document-level facts: the union over the incident mentions plus the other claims."""
    return facts_from_claims(
        pred.all_claims(),
        mentions=pred.mentions,
        incident_types=[t for m in pred.incident_mentions for t in m.all_types()],
        kb=kb,
    )


def mention_facts(mention: PredictedMention, kb: KBLike | None) -> Facts:
    """Facts of one incident mention; its ``actor:``/``product:`` grouping keys count too."""
    facts = facts_from_claims(mention.claims, incident_types=mention.all_types(), kb=kb)
    for key in mention.keys:
        if key.startswith("actor:"):
            facts.actors.add(key)
        elif key.startswith(("product:", "cve:")):
            facts.vulnerabilities.add(key)
        elif key.startswith(("malware:", "tool:")):
            facts.malware.add(key)
    return facts


def to_raw_document(record: GoldRecord) -> Any:
    """The RawDocument a user's data would become: origin = the record id."""
    from cyberveille.types import RawDocument

    return RawDocument(
        origin=record.id,
        text=record.text,
        title=record.title,
        url=record.url,
        published=record.published,
        language=record.lang,
    )


def predict(
    records: Sequence[GoldRecord],
    *,
    db: Path | None = None,
    kb: KBLike | None = None,
    progress: bool = False,
) -> tuple[dict[str, DocumentPrediction], list[str]]:
    """Run the pipeline on the records into a store and read every prediction back.

    Args:
        records: gold records (their ids are used as document origins).
        db: SQLite file to write (kept); default a fresh temporary file, removed after.
        kb: the knowledge base handed to the pipeline (None: the pipeline's default).
        progress: show the pipeline's progress bar.

    Returns:
        Predictions by record id and the pipeline's error messages.
    """
    # imported by name: the evaluation's scorers work without these stages installed
    pipeline_module = importlib.import_module("cyberveille.pipeline")
    store_module = importlib.import_module("cyberveille.store")

    with tempfile.TemporaryDirectory(prefix="cyberveille-eval-") as tmp:
        path = db if db is not None else Path(tmp) / "eval.sqlite"
        store = store_module.Store.open(path)
        try:
            pipeline = pipeline_module.Pipeline(store, kb=kb)
            report = pipeline.run((to_raw_document(r) for r in records), progress=progress)
            errors = [str(e) for e in report.errors]
            out: dict[str, DocumentPrediction] = {}
            for record in records:
                out[record.id] = read_prediction(store, record, report.article_ids.get(record.id))
        finally:
            close = getattr(store, "close", None)
            if callable(close):
                close()
    return out, errors


def read_prediction(store: Any, record: GoldRecord, article_id: str | None) -> DocumentPrediction:
    """Read one article's incident mentions (with their incidents), claims and mentions."""
    if article_id is None:
        return DocumentPrediction(record_id=record.id, text=record.text, error="not stored")
    try:
        mentions = tuple(
            PredictedMention(
                id=m.id,
                incident_id=store.incident_of_mention(m.id),
                index=m.index,
                claims=tuple(m.claims),
                incident_type=m.incident_type,
                incident_types=tuple(m.incident_types),
                keys=frozenset(m.keys),
                mention_only=m.mention_only,
            )
            for m in store.incident_mentions(article_id)
        )
        return DocumentPrediction(
            record_id=record.id,
            text=record.text,
            article_id=article_id,
            incident_mentions=mentions,
            claims=tuple(store.claims(article_id)),
            mentions=tuple(store.mentions(article_id)),
        )
    except Exception as exc:  # a broken article must not stop the evaluation
        log.warning("%s: cannot read predictions back: %s", record.origin or record.id, exc)
        return DocumentPrediction(
            record_id=record.id, text=record.text, article_id=article_id, error=str(exc)
        )
