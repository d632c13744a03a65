"""Incident queries: names resolved through the KB into a Query, matched on merged facts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cyberveille.facts import IncidentFacts, Resolve, summarize
from cyberveille.kb.base import KnowledgeBase
from cyberveille.store.store import Store
from cyberveille.store.views import IncidentView

_CVE = re.compile(r"^CVE-\d{4}-\d{4,}$", re.IGNORECASE)


@dataclass(frozen=True)
class Query:
    """What an analyst asks for; every set holds canonical ids (or ``text:`` values).

    An empty set or None means "no filter". ``*_names`` keep the words typed, matched
    case-insensitively against display names when no id matches (sectors, vectors).
    """

    actors: frozenset[str] = frozenset()
    sponsors: frozenset[str] = frozenset()
    accusers: frozenset[str] = frozenset()
    attribution_types: frozenset[str] = frozenset()
    modalities: frozenset[str] = frozenset()
    victim_countries: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    vectors: frozenset[str] = frozenset()
    names: dict[str, str] = field(default_factory=dict)
    since: date | None = None
    until: date | None = None


def ids_for(kb: KnowledgeBase, name: str | None) -> frozenset[str]:
    """Canonical ids a name may stand for (KB names and aliases, ISO codes, CVE ids)."""
    if not name:
        return frozenset()
    ids = {e.id for e in kb.lookup(name)}
    if kb.get(name) is not None:
        ids.add(name)
    if len(name) == 2 and name.isalpha():
        ids.add(f"country:{name.upper()}")
    if _CVE.match(name):
        ids.add(f"cve:{name.upper()}")
    return frozenset(ids or {f"text:{name}"})


def with_units(kb: KnowledgeBase, ids: frozenset[str]) -> frozenset[str]:
    """Agency ids plus the ids of their units (the MSS covers its provincial bureaus)."""
    parents = {e.id: e.attr("parent") for e in kb.entities("agency")}
    out = set(ids)
    for agency in parents:
        seen: set[str] = set()
        current: str | None = agency
        while current and current not in seen:
            if current in ids:
                out.add(agency)
                break
            seen.add(current)
            current = parents.get(current)
    return frozenset(out)


def build_query(
    kb: KnowledgeBase,
    *,
    actor: str | None = None,
    sponsor: str | None = None,
    accuser: str | None = None,
    attribution_type: str | None = None,
    modality: str | None = None,
    victim_country: str | None = None,
    sector: str | None = None,
    vector: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Query:
    """Resolve the names an analyst typed into a Query.

    A sponsor agency also stands for its units (``parent`` in the KB); sector, vector and
    victim country also match the display name typed, case-insensitively.
    """
    names = {
        k: v
        for k, v in (("sector", sector), ("vector", vector), ("victim_country", victim_country))
        if v
    }
    return Query(
        actors=ids_for(kb, actor),
        sponsors=with_units(kb, ids_for(kb, sponsor)),
        accusers=ids_for(kb, accuser),
        attribution_types=frozenset(
            {attribution_type.replace("-", "_")} if attribution_type else ()
        ),
        modalities=frozenset({modality} if modality else ()),
        victim_countries=ids_for(kb, victim_country),
        sectors=ids_for(kb, sector) | ({f"sector:{sector}"} if sector else set()),
        vectors=ids_for(kb, vector),
        names=names,
        since=since,
        until=until,
    )


def _hit(wanted: frozenset[str], values: Iterable[tuple[str, str]], name: str | None) -> bool:
    """Whether a (value, display name) pair is wanted, by id or by the typed name."""
    if not wanted:
        return True
    folded = name.casefold() if name else None
    return any(v in wanted or (folded is not None and n.casefold() == folded) for v, n in values)


def accusers_of(facts: IncidentFacts) -> set[str]:
    """Accuser ids of an incident, with the accusers' countries (``country:XX``)."""
    return {a.accuser for a in facts.accusations} | {
        f"country:{c.accuser_country}"
        for a in facts.accusations
        for c in a.claims
        if c.accuser_country
    }


def matches(query: Query, view: IncidentView, facts: IncidentFacts) -> bool:
    """Whether an incident answers the query (all given filters hold)."""
    incident = view.incident
    if query.since and incident.last_seen and incident.last_seen < query.since:
        return False
    if query.until and incident.first_seen and incident.first_seen > query.until:
        return False
    if query.actors and not query.actors & {f.value for f in facts.actors}:
        return False
    sponsors = {f.value for f in facts.sponsor_states + facts.sponsor_agencies}
    if query.sponsors and not query.sponsors & sponsors:
        return False
    if query.accusers and not query.accusers & accusers_of(facts):
        return False
    if query.attribution_types and not query.attribution_types & {
        a.attribution_type for a in facts.accusations
    }:
        return False
    if query.modalities and not query.modalities & {a.modality for a in facts.accusations}:
        return False
    pairs = [(f.value, f.name) for f in facts.victim_countries]
    if not _hit(query.victim_countries, pairs, query.names.get("victim_country")):
        return False
    if not _hit(
        query.sectors, [(f.value, f.name) for f in facts.sectors], query.names.get("sector")
    ):
        return False
    return _hit(
        query.vectors, [(f.value, f.name) for f in facts.vectors], query.names.get("vector")
    )


def select(
    store: Store, resolve: Resolve, query: Query | None = None
) -> Iterator[tuple[IncidentView, IncidentFacts]]:
    """Yield the incidents of the store that answer ``query`` (all when None), with facts."""
    query = query or Query()
    for incident in store.incidents():
        if query.since and incident.last_seen and incident.last_seen < query.since:
            continue
        if query.until and incident.first_seen and incident.first_seen > query.until:
            continue
        view = store.incident_view(incident.id)
        if view is None:
            continue
        facts = summarize(view, resolve)
        if matches(query, view, facts):
            yield view, facts


def incident_record(view: IncidentView, facts: IncidentFacts) -> dict[str, Any]:
    """One incident as a JSON-ready dict with stable keys (ids, not display names)."""
    incident = view.incident
    return {
        "id": incident.id,
        "title": incident.title,
        "type": incident.incident_type,
        "first_seen": incident.first_seen.isoformat() if incident.first_seen else None,
        "last_seen": incident.last_seen.isoformat() if incident.last_seen else None,
        "actors": [f.value for f in facts.actors],
        "sponsor_states": [f.value for f in facts.sponsor_states],
        "sponsor_agencies": [f.value for f in facts.sponsor_agencies],
        "accusations": [
            {
                "accuser": a.accuser,
                "accused": a.accused,
                "type": a.attribution_type,
                "modality": a.modality,
                "hedged_by_outlet": a.hedged_by_outlet,
            }
            for a in facts.accusations
        ],
        "victim_countries": [f.value for f in facts.victim_countries],
        "sectors": [f.value for f in facts.sectors],
        "victims": [f.value for f in facts.victims],
        "vectors": [f.value for f in facts.vectors],
        "figures": [f.value for f in facts.figures],
        "articles": [a.id for a in view.articles],
        "reasons": list(incident.reasons),
    }


def incident_row(view: IncidentView, facts: IncidentFacts) -> dict[str, str | int]:
    """One incident as a flat row of display names (tables, CSV)."""
    incident = view.incident

    def names(items: Iterable[Any]) -> str:
        return "; ".join(f.name for f in items)

    accused_by = sorted(
        {f"{a.accuser_name} ({a.attribution_type}, {a.modality})" for a in facts.accusations}
    )
    return {
        "id": incident.id,
        "first_seen": incident.first_seen.isoformat() if incident.first_seen else "",
        "last_seen": incident.last_seen.isoformat() if incident.last_seen else "",
        "type": incident.incident_type or "",
        "title": incident.title,
        "actors": names(facts.actors),
        "sponsors": names(facts.sponsor_states + facts.sponsor_agencies),
        "accused_by": "; ".join(accused_by),
        "victim_countries": names(facts.victim_countries),
        "sectors": names(facts.sectors),
        "victims": names(facts.victims),
        "vectors": names(facts.vectors),
        "articles": len(view.articles),
    }
