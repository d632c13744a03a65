"""Shared frozen value types that flow between stages (no spaCy objects, only plain data)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

MentionKind = Literal[
    "threat_actor",
    "state",
    "agency",
    "institution",
    "organisation",
    "person",
    "country",
    "sector",
    "malware",
    "tool",
    "vulnerability",
    "product",
    "operation",
]

ClaimKind = Literal[
    "attribution",
    "sponsorship",
    "targeting",
    "use",
    "impact",
    "response",
    "quote",
    "date",
    "relation",
]

AttributionType = Literal[
    "political_statement",
    "indictment",
    "sanctions",
    "technical_report",
    "media_report",
    "self_attribution",
]

Modality = Literal["asserted", "alleged", "denied"]

IncidentType = Literal[
    "espionage",
    "data_theft",
    "ransomware",
    "extortion",  # a ransom demanded (for stolen data, to stop an attack), no encryption told
    "disruption",
    "wiper",
    "defacement",
    "hack_and_leak",
    "supply_chain",
    "mass_exploitation",
    "phishing",
    "spyware",
    "intrusion",  # access gained, no theft, disruption, leak or ransom stated
]

# uuid5 namespace for every id the project derives from content.
NAMESPACE = uuid.UUID("6f1c1b52-3a59-4c5e-9d61-1c2a7e0c9b11")


def content_id(*parts: str) -> str:
    """Return a stable hex id (sha256, 32 chars) derived from the given parts."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:32]


@dataclass(frozen=True)
class RawDocument:
    """One input document before cleaning: what a source yields.

    ``origin`` names where it came from (file path, ``path:line`` for JSONL, feed URL)
    so that every error message can point at it.
    """

    origin: str
    text: str
    html: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Article:
    """A cleaned article: id from the canonical URL, else from the normalised text."""

    id: str
    text: str
    language: str
    origin: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: date | None = None
    ingested_at: datetime | None = None


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the sentence, its offsets in the article text, the cue words."""

    article_id: str
    sentence_index: int
    sentence: str
    start: int
    end: int
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A span of the article that names something, resolved to a KB id when possible."""

    kind: MentionKind
    text: str
    start: int
    end: int
    sentence_index: int
    canonical_id: str | None = None
    confidence: float = 1.0


@dataclass(frozen=True)
class Claim:
    """One fact with its evidence.

    ``subject`` and ``object`` hold canonical KB ids when resolved (``actor:hafnium``,
    ``country:CN``, ``agency:cn-mss``, ``cve:CVE-2021-26855``), else the surface text
    prefixed with ``text:``. Per kind:

    - attribution: subject = the accused (actor, agency or state); accuser = who
      accuses (``inst:...`` or ``country:XX``), accuser_country = ISO alpha-2 or
      ``EU``/``NATO``; attribution_type; modality (the accuser's firmness);
      hedged_by_outlet (the outlet itself presents it as alleged).
    - sponsorship: subject = actor, object = sponsoring agency or state.
    - targeting: subject = actor (or None), object = victim (``country:XX``,
      ``sector:<MISP name>``, ``org:<slug>`` or ``text:...``).
    - use: subject = actor (or None), object = malware, tool, product or CVE.
    - impact: value + unit (``organisations``, ``victims``, ``USD``...), text = the phrase.
    - response: subject = who responds, object = target, text = indictment |
      sanctions | expulsion | denial | statement | patch (a vendor fixes the flaw) |
      disclosure (a researcher or vendor discloses a vulnerability).
    - quote: subject = the speaker (id or ``text:``), text = the quoted words.
    - date: date_start/date_end, text = the surface.
    - relation: subject = the actor the sentence is about (or None), object = another
      actor named only to compare it ("whose TTPs overlap with those of X", "reminiscent
      of X", "affiliated with X"): related, not said to have done the deed.
    """

    kind: ClaimKind
    evidence: Evidence
    subject: str | None = None
    object: str | None = None
    accuser: str | None = None
    accuser_country: str | None = None
    attribution_type: AttributionType | None = None
    modality: Modality = "asserted"
    hedged_by_outlet: bool = False
    value: float | None = None
    unit: str | None = None
    text: str | None = None
    date_start: date | None = None
    date_end: date | None = None


@dataclass(frozen=True)
class IncidentMention:
    """The part of one article that reports one incident: its claims and grouping keys.

    ``keys`` are canonical strings shared across articles about the same incident
    (``actor:hafnium``, ``product:microsoft-exchange``, ``response:indictment:US``).
    """

    article_id: str
    index: int
    title: str
    claims: tuple[Claim, ...]
    keys: frozenset[str]
    sentence_indices: tuple[int, ...]
    incident_type: IncidentType | None = None
    mention_only: bool = False
    date: date | None = None
    # Every kind of operation the mention shows, most specific first (``incident_type``
    # is the first): a ransomware attack that also stole data is both.
    incident_types: tuple[IncidentType, ...] = ()

    @property
    def id(self) -> str:
        return content_id(self.article_id, str(self.index))


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    sentences: tuple[str, ...]
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]
    incident_mentions: tuple[IncidentMention, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Incident:
    """A real-world incident: the article mentions it gathers and why they were grouped."""

    id: str
    title: str
    incident_type: IncidentType | None
    first_seen: date | None
    last_seen: date | None
    mention_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    keys: frozenset[str]
    reasons: tuple[str, ...] = field(default=())
