"""Merge an incident's claims into facts for people: each value with the claims that support it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from cyberveille.kb.entity import Entity
from cyberveille.kb.entity import display_name as display_name
from cyberveille.store.views import IncidentView
from cyberveille.types import Claim

Resolve = Callable[[str], Entity | None]


@dataclass(frozen=True)
class Fact:
    """One merged value (a canonical id or ``text:``), its display name and its support."""

    value: str
    name: str
    claims: tuple[Claim, ...]

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.evidence.article_id for c in self.claims))


@dataclass(frozen=True)
class Accusation:
    """Who accuses whom, how and how firmly, with the supporting claims."""

    accuser: str
    accuser_name: str
    accused: str
    accused_name: str
    attribution_type: str
    modality: str
    hedged_by_outlet: bool
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class IncidentFacts:
    """Everything an analyst reads first about an incident."""

    actors: tuple[Fact, ...] = ()
    sponsor_states: tuple[Fact, ...] = ()
    sponsor_agencies: tuple[Fact, ...] = ()
    accusations: tuple[Accusation, ...] = ()
    victim_countries: tuple[Fact, ...] = ()
    sectors: tuple[Fact, ...] = ()
    victims: tuple[Fact, ...] = ()
    vectors: tuple[Fact, ...] = ()
    figures: tuple[Fact, ...] = ()
    quotes: tuple[Claim, ...] = ()
    dates: tuple[Fact, ...] = ()
    conflicts: tuple[str, ...] = field(default=())


def _facts(pairs: list[tuple[str, Claim]], resolve: Resolve) -> tuple[Fact, ...]:
    grouped: dict[str, list[Claim]] = {}
    for value, claim in pairs:
        grouped.setdefault(value, []).append(claim)
    ordered = sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0]))
    return tuple(Fact(v, display_name(v, resolve), tuple(dict.fromkeys(cs))) for v, cs in ordered)


def summarize(view: IncidentView, resolve: Resolve) -> IncidentFacts:
    """Merge the claims of ``view`` into facts, keeping disagreements side by side."""
    claims = view.claims
    actors: list[tuple[str, Claim]] = []
    states: list[tuple[str, Claim]] = []
    agencies: list[tuple[str, Claim]] = []
    for claim in claims:
        for value in (
            (claim.subject, claim.object) if claim.kind in ("attribution", "sponsorship") else ()
        ):
            if not value:
                continue
            if value.startswith("actor:"):
                actors.append((value, claim))
            elif value.startswith("agency:"):
                agencies.append((value, claim))
                entity = resolve(value)
                if entity and entity.country:
                    states.append((f"country:{entity.country}", claim))
            elif value.startswith("country:") and not (
                claim.kind == "attribution" and claim.accuser and value == claim.accuser
            ):
                states.append((value, claim))
        if (
            claim.kind in ("targeting", "use")
            and claim.subject
            and claim.subject.startswith("actor:")
        ):
            actors.append((claim.subject, claim))
    named = {k for m in view.mentions for k in m.keys if k.startswith("actor:")}
    named -= {value for value, _ in actors}
    accusations: dict[tuple[str, str, str, str], list[Claim]] = {}
    for claim in claims:
        if claim.kind == "attribution" and claim.accuser and claim.subject:
            key = (claim.accuser, claim.subject, claim.attribution_type or "", claim.modality)
            accusations.setdefault(key, []).append(claim)
    targeting = [c for c in claims if c.kind == "targeting" and c.object]
    figures = [c for c in claims if c.kind == "impact"]
    units: dict[str, set[float | None]] = {}
    for claim in figures:
        units.setdefault(claim.unit or "", set()).add(claim.value)
    conflicts = tuple(
        f"{unit}: {', '.join(_number(v) for v in sorted(v for v in values if v is not None))}"
        for unit, values in sorted(units.items())
        if len({v for v in values if v is not None}) > 1
    )
    return IncidentFacts(
        actors=_facts(actors, resolve)
        + tuple(Fact(v, display_name(v, resolve), ()) for v in sorted(named)),
        sponsor_states=_facts(states, resolve),
        sponsor_agencies=_facts(agencies, resolve),
        accusations=tuple(
            Accusation(
                accuser=accuser,
                accuser_name=display_name(accuser, resolve),
                accused=accused,
                accused_name=display_name(accused, resolve),
                attribution_type=kind,
                modality=modality,
                hedged_by_outlet=any(c.hedged_by_outlet for c in cs),
                claims=tuple(cs),
            )
            for (accuser, accused, kind, modality), cs in accusations.items()
        ),
        victim_countries=_facts(
            [(c.object, c) for c in targeting if c.object and c.object.startswith("country:")],
            resolve,
        ),
        sectors=_facts(
            [(c.object, c) for c in targeting if c.object and c.object.startswith("sector:")],
            resolve,
        ),
        victims=_facts(
            [
                (c.object, c)
                for c in targeting
                if c.object and c.object.startswith(("org:", "text:"))
            ],
            resolve,
        ),
        vectors=_facts([(c.object, c) for c in claims if c.kind == "use" and c.object], resolve),
        figures=_facts([(_figure(c), c) for c in figures], resolve),
        quotes=tuple(c for c in claims if c.kind == "quote"),
        dates=_facts([(c.text or "", c) for c in claims if c.kind == "date"], resolve),
        conflicts=conflicts,
    )


def _figure(claim: Claim) -> str:
    """How a figure reads: its number and unit ("250,000 servers"); a vague one in the
    article's own words ("plusieurs millions de dollars": "several USD" would lose the
    millions)."""
    if claim.value is None and claim.text:
        return claim.text
    return f"{_number(claim.value)} {claim.unit}"


def _number(value: float | None) -> str:
    if value is None:
        return "several"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


@dataclass(frozen=True)
class TimelineEntry:
    """One attribution as reported: when (the article's date), who accuses whom, how firmly,
    and the article that reports it."""

    day: date | None
    accuser: str
    accused: str
    attribution_type: str
    modality: str
    article_id: str
    source: str


def attribution_timeline(view: IncidentView, resolve: Resolve) -> tuple[TimelineEntry, ...]:
    """The incident's attribution claims in date order (undated last), one entry per claim
    and article, so that successive accusations and their sources stay visible."""
    articles = {a.id: a for a in view.articles}
    entries = set()
    for claim in view.claims:
        if claim.kind != "attribution" or not claim.subject:
            continue
        article = articles.get(claim.evidence.article_id)
        entries.add(
            TimelineEntry(
                day=claim.date_start or (article.published if article else None),
                accuser=display_name(claim.accuser, resolve) if claim.accuser else "-",
                accused=display_name(claim.subject, resolve),
                attribution_type=claim.attribution_type or "-",
                modality=claim.modality,
                article_id=claim.evidence.article_id,
                source=(article.outlet or article.title or article.origin) if article else "-",
            )
        )
    return tuple(sorted(entries, key=lambda e: (e.day is None, e.day or date.min, e.accuser)))
