"""Actor profile: a name resolved through the KB -> aliases, sponsor, incidents, accusers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from cyberveille.facts import IncidentFacts, display_name
from cyberveille.kb.base import KnowledgeBase
from cyberveille.kb.entity import Entity
from cyberveille.store.views import IncidentView

_ACTING = ("threat_actor", "agency", "country")


@dataclass(frozen=True)
class AccusationRow:
    """Who accused the actor, how and how firmly, when, in which incident."""

    date: str
    accuser: str
    accused: str
    attribution_type: str
    modality: str
    hedged_by_outlet: bool
    incident_id: str
    sentence: str


@dataclass(frozen=True)
class ActorProfile:
    """What the store says about one actor, next to what the KB knows of it."""

    entity: Entity
    sponsor: str | None
    sponsors_seen: tuple[str, ...]
    incidents: tuple[tuple[str, str, str], ...]  # (date or "undated", id, title)
    per_year: dict[str, int]
    accusations: tuple[AccusationRow, ...]


def resolve_actor(kb: KnowledgeBase, name: str) -> list[Entity]:
    """The KB identities a name stands for: exact name/alias/id first, else a substring search."""
    found = [e for e in kb.lookup(name) if e.kind in _ACTING]
    if not found and (entity := kb.get(name)) is not None:
        found = [entity]
    if found:
        return found
    needle = name.casefold()
    return [
        e
        for e in kb.entities("threat_actor")
        if needle in e.name.casefold() or any(needle in a.casefold() for a in e.aliases)
    ]


def _involves(entity: Entity, facts: IncidentFacts) -> bool:
    values = {f.value for f in facts.actors + facts.sponsor_states + facts.sponsor_agencies}
    return entity.id in values or any(a.accused == entity.id for a in facts.accusations)


def profile(
    entity: Entity, items: Iterable[tuple[IncidentView, IncidentFacts]], kb: KnowledgeBase
) -> ActorProfile:
    """Build the profile of ``entity`` from the incidents of a store (``query.select``).

    The accusations are those of the incidents the actor is named in: against the actor
    itself or against the state or agency said to be behind it (``accused`` tells which).
    """
    incidents: list[tuple[str, str, str]] = []
    sponsors: Counter[str] = Counter()
    accusations: list[AccusationRow] = []
    for view, facts in items:
        if not _involves(entity, facts):
            continue
        inc = view.incident
        when = inc.first_seen.isoformat() if inc.first_seen else "undated"
        incidents.append((when, inc.id, inc.title))
        if entity.kind == "threat_actor":
            sponsors.update(f.name for f in facts.sponsor_states + facts.sponsor_agencies)
        published = {a.id: a.published for a in view.articles}
        for acc in facts.accusations:
            if acc.accuser == entity.id:
                continue  # a denial by the actor itself, or a self-attribution
            for claim in acc.claims[:1]:
                day = published.get(claim.evidence.article_id)
                accusations.append(
                    AccusationRow(
                        date=day.isoformat() if day else when,
                        accuser=acc.accuser_name,
                        accused=acc.accused_name,
                        attribution_type=acc.attribution_type,
                        modality=acc.modality,
                        hedged_by_outlet=acc.hedged_by_outlet,
                        incident_id=inc.id,
                        sentence=claim.evidence.sentence,
                    )
                )
    per_year = Counter(when[:4] for when, _, _ in incidents)
    return ActorProfile(
        entity=entity,
        sponsor=display_name(entity.sponsor, kb.get) if entity.sponsor else None,
        sponsors_seen=tuple(name for name, _ in sponsors.most_common()),
        incidents=tuple(sorted(incidents)),
        per_year=dict(sorted(per_year.items())),
        accusations=tuple(sorted(accusations, key=lambda a: (a.date, a.accuser))),
    )
