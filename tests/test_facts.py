"""Tests of cyberveille.facts: how an incident's claims merge into facts."""

from __future__ import annotations

from cyberveille.facts import summarize
from cyberveille.store.views import IncidentView
from cyberveille.types import Claim, Evidence, Incident, IncidentMention


def _impact(value: float | None, unit: str, text: str) -> Claim:
    evidence = Evidence("a1", 0, f"They demanded {text}.", 0, 20, (text,))
    return Claim(kind="impact", evidence=evidence, value=value, unit=unit, text=text)


def _view(claims: tuple[Claim, ...]) -> IncidentView:
    mention = IncidentMention("a1", 0, "t", claims, frozenset(), (0,))
    incident = Incident("i1", "t", None, None, None, ("m1",), ("a1",), frozenset())
    return IncidentView(incident, (mention,), ())


def test_a_vague_figure_reads_in_the_articles_words() -> None:
    claims = (
        _impact(None, "USD", "plusieurs millions de dollars"),
        _impact(250000.0, "servers", "250.000 serveurs"),
    )
    figures = [f.value for f in summarize(_view(claims), lambda _: None).figures]
    assert sorted(figures) == ["250,000 servers", "plusieurs millions de dollars"]
