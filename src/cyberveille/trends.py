"""Trends: incidents (each counted once) per period and per sponsor, accuser, type -> a table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from cyberveille.facts import IncidentFacts
from cyberveille.store.store import Store
from cyberveille.store.views import IncidentView

By = Literal["sponsor", "accuser", "attribution-type", "incident-type"]
Per = Literal["year", "month"]
BY: tuple[By, ...] = ("sponsor", "accuser", "attribution-type", "incident-type")
PER: tuple[Per, ...] = ("year", "month")


@dataclass(frozen=True)
class Trends:
    """Counts of incidents per (period, group); ``undated`` incidents have no period.

    An incident with two sponsors counts once for each; ``total`` per period counts it once.
    """

    by: By
    per: Per
    counts: dict[tuple[str, str], int]
    periods: tuple[str, ...]
    groups: tuple[str, ...]
    totals: dict[str, int] = field(default_factory=dict)
    undated: int = 0

    def rows(self) -> list[dict[str, str | int]]:
        """One row per period: ``period``, one column per group, ``total``."""
        return [
            {
                "period": p,
                **{g: self.counts.get((p, g), 0) for g in self.groups},
                "total": self.totals.get(p, 0),
            }
            for p in self.periods
        ]

    def columns(self) -> list[str]:
        return ["period", *self.groups, "total"]


def near_duplicate_incidents(store: Store) -> dict[str, str]:
    """Incident id -> id of the incident it duplicates: one told by the same parts of the
    same near-duplicate articles as an earlier incident (the same wire story grouped
    apart), so that a story reported by several outlets counts once.

    Grouping already puts most near-duplicate reports of one event into one incident;
    this catches the copies it kept apart.
    """
    incidents = sorted(
        store.incidents(), key=lambda i: (i.first_seen is None, i.first_seen or date.min, i.id)
    )
    canonical = store.canonical_articles(a for i in incidents for a in i.article_ids)
    first_of: dict[frozenset[tuple[str, int]], str] = {}
    duplicates: dict[str, str] = {}
    for incident in incidents:
        members = set(incident.mention_ids)
        # (canonical article, part): two incidents told by two parts of one story differ
        story = frozenset(
            (canonical[a], m.index)
            for a in incident.article_ids
            for m in store.incident_mentions(a)
            if m.id in members
        )
        if story in first_of:
            duplicates[incident.id] = first_of[story]
        else:
            first_of[story] = incident.id
    return duplicates


def groups_of(by: By, view: IncidentView, facts: IncidentFacts) -> set[str]:
    """The groups an incident counts in (display names; empty: not counted)."""
    if by == "sponsor":
        return {f.name for f in facts.sponsor_states}
    if by == "accuser":
        return {a.accuser_name for a in facts.accusations if a.modality != "denied"}
    if by == "attribution-type":
        return {a.attribution_type for a in facts.accusations if a.modality != "denied"}
    return {view.incident.incident_type or "unknown"}


def period_of(view: IncidentView, per: Per) -> str | None:
    when = view.incident.first_seen
    if when is None:
        return None
    return f"{when.year:04d}" if per == "year" else f"{when.year:04d}-{when.month:02d}"


def count(
    items: Iterable[tuple[IncidentView, IncidentFacts]],
    by: By,
    per: Per,
    same_as: Mapping[str, str] | None = None,
) -> Trends:
    """Count incidents per period and group.

    Args:
        items: incidents with their merged facts (a query's result).
        by: what to group by; a denied accusation does not count for accuser or type.
        per: ``year`` or ``month`` of the incident's first report.
        same_as: incident id -> the incident it duplicates (see
            ``near_duplicate_incidents``); a duplicate is counted once, as its original.
    """
    same_as = same_as or {}
    seen: dict[str, tuple[str | None, set[str]]] = {}
    for view, facts in items:
        key = same_as.get(view.incident.id, view.incident.id)
        period, groups = seen.get(key, (None, set()))
        period = min(filter(None, (period, period_of(view, per))), default=None)
        seen[key] = (period, groups | groups_of(by, view, facts))
    counts: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    undated = 0
    for period, groups in seen.values():
        if not groups:
            continue
        if period is None:
            undated += 1
            continue
        totals[period] += 1
        for group in groups:
            counts[(period, group)] += 1
    by_size = Counter[str]()
    for (_, group), n in counts.items():
        by_size[group] += n
    groups_sorted = tuple(sorted(by_size, key=lambda g: (-by_size[g], g)))
    return Trends(
        by=by,
        per=per,
        counts=dict(counts),
        periods=tuple(sorted(totals)),
        groups=groups_sorted,
        totals=dict(totals),
        undated=undated,
    )
