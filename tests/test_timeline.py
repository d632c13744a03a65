"""Attribution timeline: one entry per attribution claim, by date, with accuser and source."""

from __future__ import annotations

from datetime import date

from cyberveille.facts import attribution_timeline
from cyberveille.kb import KnowledgeBase
from cyberveille.store import IncidentView
from cyberveille.types import Article, Claim, Evidence, Incident, IncidentMention


def _article(aid: str, day: date, outlet: str) -> Article:
    return Article(id=aid, text="t", language="en", origin=aid, outlet=outlet, published=day)


def _claim(aid: str, accuser: str, kind: str = "attribution") -> Claim:
    return Claim(
        kind,  # type: ignore[arg-type]
        Evidence(aid, 0, "t", 0, 1),
        subject="actor:hafnium",
        accuser=accuser,
        attribution_type="political_statement",
    )


def test_timeline_orders_attributions_by_date(kb: KnowledgeBase) -> None:
    later = _article("b", date(2021, 7, 19), "Le Monde")
    first = _article("a", date(2021, 3, 2), "Wire")
    mentions = tuple(
        IncidentMention(aid, 0, "x", claims, frozenset(), (0,))
        for aid, claims in (
            ("b", (_claim("b", "country:US"), _claim("b", "country:GB"))),
            ("a", (_claim("a", "inst:microsoft"), _claim("a", "x", kind="use"))),
        )
    )
    view = IncidentView(
        Incident("i", "t", None, None, None, (), ("a", "b"), frozenset()), mentions, (first, later)
    )
    timeline = attribution_timeline(view, kb.get)
    assert [(e.day, e.accuser, e.source) for e in timeline] == [
        (date(2021, 3, 2), "Microsoft", "Wire"),
        (date(2021, 7, 19), "United Kingdom", "Le Monde"),
        (date(2021, 7, 19), "United States", "Le Monde"),
    ]
    assert {e.accused for e in timeline} == {"HAFNIUM"}
