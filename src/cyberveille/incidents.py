"""Group incident mentions across articles into incidents, with the reasons stored.

A mention joins the stored incident that shares the most weighted anchor keys with
it (threat actor, CVE, malware, product, an indictment or sanctions by one body)
inside a time window, unless the two disagree (different named actors, disjoint
victim countries) or the incident already holds another part of the same article.
Otherwise it opens a new incident. Ids come from content, so re-runs are stable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from cyberveille.kb.entity import Entity
from cyberveille.store import Store
from cyberveille.types import Incident, IncidentMention, content_id

KEY_WEIGHTS = {
    "actor": 3.0,
    "cve": 3.0,
    "malware": 2.0,
    "product": 2.0,
    "response": 2.0,
    "tool": 1.0,
}
MIN_SCORE = 2.0
WINDOW = timedelta(days=400)
RESPONSE_WINDOW = timedelta(days=60)
VICTIM_PREFIX = "victim:"
ACCUSED_PREFIX = "accused:"


@dataclass(frozen=True)
class Assignment:
    """Where one mention went and why."""

    incident: Incident
    opened: bool
    reason: str


def lookup_keys(keys: Iterable[str]) -> set[str]:
    """The keys used to find candidate incidents (context keys such as victims excluded)."""
    return {k for k in keys if k.split(":", 1)[0] in KEY_WEIGHTS}


def mention_keys(
    mention: IncidentMention, resolve: Callable[[str], Entity | None]
) -> frozenset[str]:
    """Anchor keys of a mention plus context keys: victims (countries, organisations) and
    accused states. Context keys never find candidates; they only veto a merge."""
    context = {
        f"{VICTIM_PREFIX}{c.object if c.object.startswith('country:') else c.object.casefold()}"
        for c in mention.claims
        if c.kind == "targeting" and c.object and c.object.startswith(("country:", "org:"))
    }
    for claim in mention.claims:
        if claim.kind != "attribution" or not claim.subject:
            continue
        if claim.subject.startswith("country:"):
            context.add(f"{ACCUSED_PREFIX}{claim.subject}")
        elif claim.subject.startswith("agency:"):
            entity = resolve(claim.subject)
            if entity is not None and entity.country:
                context.add(f"{ACCUSED_PREFIX}country:{entity.country}")
    return frozenset(mention.keys | context)


def _disjoint(prefix: str, a: frozenset[str], b: frozenset[str]) -> bool:
    """Both name values under ``prefix`` and none in common: they disagree."""
    values_a = {k for k in a if k.startswith(prefix)}
    values_b = {k for k in b if k.startswith(prefix)}
    return bool(values_a and values_b and not values_a & values_b)


def score(
    mention_keyset: frozenset[str], incident: Incident, when: date | None
) -> tuple[float, list[str]]:
    """Weighted shared keys between a mention and an incident; 0 when they disagree."""
    shared = sorted(lookup_keys(mention_keyset & incident.keys))
    if not shared:
        return 0.0, []
    if any(
        _disjoint(p, mention_keyset, incident.keys)
        for p in ("actor:", VICTIM_PREFIX, ACCUSED_PREFIX)
    ):
        return 0.0, []
    only_responses = all(k.startswith("response:") for k in shared)
    if only_responses and when and incident.last_seen and incident.first_seen:
        earliest = incident.first_seen - RESPONSE_WINDOW
        if not earliest <= when <= incident.last_seen + RESPONSE_WINDOW:
            return 0.0, []
    total = sum(KEY_WEIGHTS[k.split(":", 1)[0]] for k in shared)
    return total, shared


class Grouper:
    """Assigns incident mentions to incidents in a store, one mention at a time."""

    def __init__(self, store: Store, resolve: Callable[[str], Entity | None]) -> None:
        self.store = store
        self.resolve = resolve

    def assign(self, mention: IncidentMention) -> Assignment:
        """Put ``mention`` into the best matching incident or a new one, and save it."""
        keys = mention_keys(mention, self.resolve)
        best: tuple[float, list[str], Incident] | None = None
        lookup = lookup_keys(keys)
        if lookup:
            since = mention.date - WINDOW if mention.date else None
            until = mention.date + WINDOW if mention.date else None
            for candidate in self.store.candidate_incidents(lookup, since=since, until=until):
                if mention.article_id in candidate.article_ids:
                    continue  # an article's parts are distinct incidents by construction
                value, shared = score(keys, candidate, mention.date)
                if value >= MIN_SCORE and (best is None or value > best[0]):
                    best = (value, shared, candidate)
        if best is None:
            incident = Incident(
                id=content_id("incident", mention.id),
                title=mention.title,
                incident_type=mention.incident_type,
                first_seen=mention.date,
                last_seen=mention.date,
                mention_ids=(mention.id,),
                article_ids=(mention.article_id,),
                keys=keys,
                reasons=(
                    f"opened by article {mention.article_id[:12]} part {mention.index}"
                    + (
                        ": no stored incident shares its keys"
                        if lookup
                        else ": it names no actor, vector or response to match on"
                    ),
                ),
            )
            self.store.save_incident(incident)
            return Assignment(incident, True, incident.reasons[0])
        value, shared, incident = best
        reason = (
            f"article {mention.article_id[:12]} part {mention.index} joined: shares "
            f"{', '.join(shared)} (score {value:g})"
        )
        dates = [d for d in (incident.first_seen, incident.last_seen, mention.date) if d]
        merged = replace(
            incident,
            title=incident.title if len(incident.keys) >= len(keys) else mention.title,
            incident_type=incident.incident_type or mention.incident_type,
            first_seen=min(dates) if dates else None,
            last_seen=max(dates) if dates else None,
            mention_ids=(*incident.mention_ids, mention.id),
            article_ids=tuple(dict.fromkeys((*incident.article_ids, mention.article_id))),
            keys=incident.keys | keys,
            reasons=(*incident.reasons, reason),
        )
        self.store.save_incident(merged)
        return Assignment(merged, False, reason)
