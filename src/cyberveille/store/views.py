"""Read-side value types the store returns for one incident (used by show, export, eval)."""

from __future__ import annotations

from dataclasses import dataclass

from cyberveille.types import Article, Claim, Incident, IncidentMention


@dataclass(frozen=True)
class IncidentView:
    """An incident with everything needed to present or export it.

    ``mentions`` are the article parts grouped into it (each holds its claims);
    ``articles`` the distinct member articles, oldest first.
    """

    incident: Incident
    mentions: tuple[IncidentMention, ...]
    articles: tuple[Article, ...]

    @property
    def claims(self) -> tuple[Claim, ...]:
        return tuple(c for m in self.mentions for c in m.claims)
