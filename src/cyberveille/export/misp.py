"""MISP export: IncidentViews + KB resolver -> one deterministic pymisp MISPEvent per incident.

The mapping is documented in ``docs/misp-mapping.md``. Every uuid is
uuid5(NAMESPACE, ``misp:<canonical key>``), so re-exports update events instead of
duplicating them. Galaxy tags use the clusters the knowledge base was built from.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from pymisp import MISPEvent

from cyberveille.facts import IncidentFacts, Resolve, display_name, summarize
from cyberveille.kb.entity import Entity
from cyberveille.kb.galaxies import load_galaxy
from cyberveille.store.views import IncidentView
from cyberveille.types import NAMESPACE, Claim

__all__ = [
    "build_event",
    "build_events",
    "country_tag",
    "galaxy_tags",
    "misp_uuid",
    "read_events",
    "write_events",
]

TAG_NAMESPACE = "cyberveille"
THREAT_LEVEL_UNDEFINED = 4
ANALYSIS_COMPLETED = 2
# Galaxies whose clusters name what an incident's actors, malware and tools are.
_TAGGED_GALAXIES = frozenset(
    {
        "threat-actor",
        "mitre-intrusion-set",
        "microsoft-activity-group",
        "tidal-groups",
        "360net-threat-actor",
        "mitre-malware",
        "mitre-tool",
        "malpedia",
        "ransomware",
        "tool",
        "tidal-software",
        "sector",
    }
)


def misp_uuid(key: str) -> str:
    """The deterministic MISP uuid of a canonical key (``incident:<id>``...)."""
    return str(uuid.uuid5(NAMESPACE, f"misp:{key}"))


@lru_cache(maxsize=32)
def _cluster_values(galaxy: str) -> dict[str, str]:
    """uuid -> cluster value of one galaxy shipped with pymispgalaxies ({} if missing)."""
    try:
        values = load_galaxy(galaxy)["values"]
    except (OSError, KeyError, ValueError):
        return {}
    return {str(v["uuid"]): str(v["value"]) for v in values}


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """ISO alpha-2 -> value of the MISP ``country`` galaxy (``CN`` -> ``china``)."""
    out: dict[str, str] = {}
    for raw in load_galaxy("country")["values"]:
        iso = (raw.get("meta") or {}).get("ISO")
        if iso:
            out[str(iso).upper()] = str(raw["value"])
    return out


def _quote(value: str) -> str:
    return value.replace('"', "'")


def galaxy_tags(entity: Entity | None) -> list[str]:
    """``misp-galaxy:<galaxy>="<cluster value>"`` for every galaxy cluster the entity holds."""
    if entity is None:
        return []
    tags: list[str] = []
    for ref in entity.refs:
        galaxy, _, cluster = ref.partition(":")
        if galaxy not in _TAGGED_GALAXIES:
            continue
        value = _cluster_values(galaxy).get(cluster)
        if value:
            tag = f'misp-galaxy:{galaxy}="{_quote(value)}"'
            if tag not in tags:
                tags.append(tag)
    return tags


def country_tag(code: str) -> str | None:
    """The MISP ``country`` galaxy tag of an ISO alpha-2 code, or None when it has none."""
    value = _countries().get(code.upper())
    return f'misp-galaxy:country="{_quote(value)}"' if value else None


def _local(name: str, value: str) -> str:
    return f'{TAG_NAMESPACE}:{name}="{_quote(value)}"'


def _event_date(view: IncidentView) -> date | None:
    if view.incident.first_seen:
        return view.incident.first_seen
    dates = sorted(a.published for a in view.articles if a.published)
    return dates[0] if dates else None


def _tags(view: IncidentView, facts: IncidentFacts, resolve: Resolve) -> list[str]:
    tags: list[str] = []

    def add(tag: str | None) -> None:
        if tag and tag not in tags:
            tags.append(tag)

    if view.incident.incident_type:
        add(_local("incident-type", view.incident.incident_type))
    for fact in facts.actors:
        found = galaxy_tags(resolve(fact.value))
        for tag in found:
            add(tag)
        if not found:
            add(_local("actor", fact.name))
    for fact in facts.sponsor_states:
        add(_local("sponsor-country", fact.value.removeprefix("country:")))
    for fact in facts.sponsor_agencies:
        add(_local("sponsor", fact.name))
    for accusation in facts.accusations:
        add(_local("accuser", accusation.accuser_name))
        add(_local("attribution-type", accusation.attribution_type))
        add(_local("modality", accusation.modality))
    for fact in facts.victim_countries:
        code = fact.value.removeprefix("country:")
        add(country_tag(code))
        add(_local("victim-country", code))
    for fact in facts.sectors:
        found = galaxy_tags(resolve(fact.value))
        for tag in found:
            add(tag)
        if not found:
            add(_local("sector", fact.name))
    for fact in facts.vectors:
        for tag in galaxy_tags(resolve(fact.value)):
            add(tag)
    return tags


def _claim_line(claim: Claim, resolve: Resolve) -> str:
    def name(value: str | None) -> str:
        return display_name(value, resolve) if value else "?"

    hedge = ", hedged by the outlet" if claim.hedged_by_outlet else ""
    if claim.kind == "attribution":
        who = name(claim.accuser) if claim.accuser else "the outlet"
        head = (
            f"attribution: {who} -> {name(claim.subject)} "
            f"({claim.attribution_type or 'unspecified'}, {claim.modality}{hedge})"
        )
    elif claim.kind == "impact":
        if claim.value is None and claim.text:  # a vague figure, in the article's words
            head = f"impact: {claim.text} ({claim.unit or 'no unit'})"
        else:
            value = f"{claim.value:g}" if claim.value is not None else "several"
            head = f"impact: {value} {claim.unit or ''}".rstrip()
    elif claim.kind in ("quote", "response", "date"):
        head = f"{claim.kind}: {name(claim.subject) if claim.subject else ''} {claim.text or ''}"
    else:
        subject = name(claim.subject) if claim.subject else "-"
        head = f"{claim.kind}: {subject} -> {name(claim.object)} ({claim.modality}{hedge})"
    ev = claim.evidence
    return (
        f"- **{' '.join(head.split())}**  \n"
        f"  > {ev.sentence}  \n"
        f"  (sentence {ev.sentence_index}, characters {ev.start}-{ev.end}"
        + (f", cues: {', '.join(ev.cues)}" if ev.cues else "")
        + ")"
    )


def _report_content(view: IncidentView, resolve: Resolve) -> str:
    """Markdown: per article, each claim with its evidence sentence and offsets."""
    lines = [f"# {view.incident.title}", ""]
    if view.incident.reasons:
        lines += ["Grouped because: " + "; ".join(view.incident.reasons), ""]
    for article in view.articles:
        claims = [c for m in view.mentions if m.article_id == article.id for c in m.claims]
        title = article.title or article.origin
        when = article.published.isoformat() if article.published else "undated"
        lines.append(f"## {title} ({article.outlet or 'unknown outlet'}, {when})")
        if article.url:
            lines.append(f"<{article.url}>")
        lines.append("")
        lines += [_claim_line(c, resolve) for c in dict.fromkeys(claims)]
        lines.append("")
    return "\n".join(lines).rstrip()


def build_event(view: IncidentView, resolve: Resolve) -> MISPEvent:
    """One MISP event for one incident (tags, CVE and URL attributes, evidence report).

    Args:
        view: the incident with its mentions, claims and articles.
        resolve: the knowledge base lookup (``kb.get``).

    Returns:
        A MISPEvent whose uuids derive from the incident id and the values they hold.
    """
    inc = view.incident
    key = f"incident:{inc.id}"
    facts = summarize(view, resolve)
    event = MISPEvent()
    event.uuid = misp_uuid(key)
    event.info = inc.title or f"Incident {inc.id[:12]}"
    when = _event_date(view)
    if when is not None:
        event.date = when
    event.threat_level_id = THREAT_LEVEL_UNDEFINED
    event.analysis = ANALYSIS_COMPLETED
    event.published = False
    for tag in _tags(view, facts, resolve):
        event.add_tag(tag)
    for fact in facts.actors:
        event.add_attribute(
            "threat-actor",
            fact.name,
            uuid=misp_uuid(f"{key}|threat-actor|{fact.value}"),
            category="Attribution",
            to_ids=False,
            comment=f"cyberveille id {fact.value}",
        )
    for fact in facts.vectors:
        if fact.value.startswith("cve:"):
            cve = fact.value.removeprefix("cve:").upper()
            event.add_attribute(
                "vulnerability",
                cve,
                uuid=misp_uuid(f"{key}|vulnerability|{cve}"),
                category="External analysis",
                to_ids=False,
                comment=_first_sentence(fact.claims),
            )
    for article in view.articles:
        if article.url:
            event.add_attribute(
                "link",
                article.url,
                uuid=misp_uuid(f"{key}|link|{article.url}"),
                category="External analysis",
                to_ids=False,
                comment=" - ".join(p for p in (article.outlet, article.title) if p),
            )
    event.add_event_report(
        "Evidence",
        _report_content(view, resolve),
        uuid=misp_uuid(f"{key}|report"),
    )
    return event


def _first_sentence(claims: Iterable[Claim]) -> str:
    for claim in claims:
        return claim.evidence.sentence[:250]
    return ""


def build_events(views: Iterable[IncidentView], resolve: Resolve) -> list[MISPEvent]:
    """One event per incident, ordered by incident id."""
    return [build_event(v, resolve) for v in sorted(views, key=lambda v: v.incident.id)]


def events_json(events: Iterable[MISPEvent]) -> dict[str, Any]:
    """The events as MISP's REST answers them: ``{"response": [{"Event": {...}}, ...]}``."""
    return {"response": [{"Event": json.loads(e.to_json())} for e in events]}


def write_events(events: Iterable[MISPEvent], path: Path) -> None:
    """Write the events as one JSON file (see ``events_json``), pretty and UTF-8."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(events_json(events), ensure_ascii=False, indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def read_events(path: Path) -> list[MISPEvent]:
    """Load events written by ``write_events`` back through pymisp (``MISPEvent.load``)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    items = data["response"] if isinstance(data, dict) and "response" in data else [data]
    events = []
    for item in items:
        event = MISPEvent()
        event.load(item)
        events.append(event)
    return events
