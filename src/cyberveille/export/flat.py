"""Flat exports: one row per incident, claim or article, stable columns, as JSONL or CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from cyberveille.facts import Resolve, display_name, summarize
from cyberveille.store.store import Store, claim_id
from cyberveille.store.views import IncidentView
from cyberveille.types import Article, Claim

What = Literal["incidents", "claims", "articles"]
FlatFormat = Literal["jsonl", "csv"]
WHAT: tuple[What, ...] = ("incidents", "claims", "articles")

INCIDENT_COLUMNS = (
    "incident_id",
    "title",
    "incident_type",
    "first_seen",
    "last_seen",
    "actors",
    "actor_names",
    "sponsor_states",
    "sponsor_agencies",
    "sponsor_names",
    "accusers",
    "accuser_names",
    "attribution_types",
    "modalities",
    "victim_countries",
    "sectors",
    "victims",
    "vectors",
    "vector_names",
    "figures",
    "n_articles",
    "article_ids",
    "urls",
)
CLAIM_COLUMNS = (
    "claim_id",
    "incident_ids",
    "article_id",
    "kind",
    "subject",
    "subject_name",
    "object",
    "object_name",
    "accuser",
    "accuser_name",
    "accuser_country",
    "attribution_type",
    "modality",
    "hedged_by_outlet",
    "value",
    "unit",
    "text",
    "date_start",
    "date_end",
    "sentence_index",
    "start",
    "end",
    "cues",
    "sentence",
)
ARTICLE_COLUMNS = (
    "article_id",
    "published",
    "language",
    "outlet",
    "title",
    "url",
    "origin",
    "ingested_at",
    "incident_ids",
    "n_claims",
    "text",
)
COLUMNS: dict[What, tuple[str, ...]] = {
    "incidents": INCIDENT_COLUMNS,
    "claims": CLAIM_COLUMNS,
    "articles": ARTICLE_COLUMNS,
}


def incident_rows(views: Iterable[IncidentView], resolve: Resolve) -> Iterator[dict[str, Any]]:
    """One row per incident: ids and display names of its merged facts (lists kept as lists)."""
    for view in views:
        facts = summarize(view, resolve)
        inc = view.incident
        sponsors = facts.sponsor_states + facts.sponsor_agencies
        yield {
            "incident_id": inc.id,
            "title": inc.title,
            "incident_type": inc.incident_type,
            "first_seen": inc.first_seen.isoformat() if inc.first_seen else None,
            "last_seen": inc.last_seen.isoformat() if inc.last_seen else None,
            "actors": [f.value for f in facts.actors],
            "actor_names": [f.name for f in facts.actors],
            "sponsor_states": [f.value for f in facts.sponsor_states],
            "sponsor_agencies": [f.value for f in facts.sponsor_agencies],
            "sponsor_names": [f.name for f in sponsors],
            "accusers": sorted({a.accuser for a in facts.accusations}),
            "accuser_names": sorted({a.accuser_name for a in facts.accusations}),
            "attribution_types": sorted({a.attribution_type for a in facts.accusations}),
            "modalities": sorted({a.modality for a in facts.accusations}),
            "victim_countries": [f.value for f in facts.victim_countries],
            "sectors": [f.value for f in facts.sectors],
            "victims": [f.name for f in facts.victims],
            "vectors": [f.value for f in facts.vectors],
            "vector_names": [f.name for f in facts.vectors],
            "figures": [f.value for f in facts.figures],
            "n_articles": len(view.articles),
            "article_ids": [a.id for a in view.articles],
            "urls": [a.url for a in view.articles if a.url],
        }


def claim_row(claim: Claim, incident_ids: list[str], resolve: Resolve) -> dict[str, Any]:
    """One claim with its evidence sentence and offsets (in the article text)."""

    def name(value: str | None) -> str | None:
        return display_name(value, resolve) if value else None

    ev = claim.evidence
    return {
        "claim_id": claim_id(claim),
        "incident_ids": incident_ids,
        "article_id": ev.article_id,
        "kind": claim.kind,
        "subject": claim.subject,
        "subject_name": name(claim.subject),
        "object": claim.object,
        "object_name": name(claim.object),
        "accuser": claim.accuser,
        "accuser_name": name(claim.accuser),
        "accuser_country": claim.accuser_country,
        "attribution_type": claim.attribution_type,
        "modality": claim.modality,
        "hedged_by_outlet": claim.hedged_by_outlet,
        "value": claim.value,
        "unit": claim.unit,
        "text": claim.text,
        "date_start": claim.date_start.isoformat() if claim.date_start else None,
        "date_end": claim.date_end.isoformat() if claim.date_end else None,
        "sentence_index": ev.sentence_index,
        "start": ev.start,
        "end": ev.end,
        "cues": list(ev.cues),
        "sentence": ev.sentence,
    }


def _article_claims(store: Store, article: Article) -> tuple[list[Claim], dict[str, list[str]]]:
    """Every claim of an article (its own and its incident mentions'), with their incidents."""
    claims = {claim_id(c): c for c in store.claims(article.id)}
    incidents: dict[str, list[str]] = {}
    for mention in store.incident_mentions(article.id):
        incident = store.incident_of_mention(mention.id)
        for claim in mention.claims:
            cid = claim_id(claim)
            claims.setdefault(cid, claim)
            if incident and incident not in incidents.setdefault(cid, []):
                incidents[cid].append(incident)
    return list(claims.values()), incidents


def claim_rows(store: Store, resolve: Resolve) -> Iterator[dict[str, Any]]:
    """One row per stored claim, articles oldest first, claims in extraction order."""
    for article in store.articles():
        claims, incidents = _article_claims(store, article)
        for claim in claims:
            yield claim_row(claim, incidents.get(claim_id(claim), []), resolve)


def article_rows(store: Store) -> Iterator[dict[str, Any]]:
    """One row per article with its metadata, text, claim count and incidents."""
    for article in store.articles():
        claims, incidents = _article_claims(store, article)
        yield {
            "article_id": article.id,
            "published": article.published.isoformat() if article.published else None,
            "language": article.language,
            "outlet": article.outlet,
            "title": article.title,
            "url": article.url,
            "origin": article.origin,
            "ingested_at": article.ingested_at.isoformat() if article.ingested_at else None,
            "incident_ids": sorted({i for ids in incidents.values() for i in ids}),
            "n_claims": len(claims),
            "text": article.text,
        }


def rows_for(
    what: What, store: Store, resolve: Resolve, views: Iterable[IncidentView] | None = None
) -> Iterator[dict[str, Any]]:
    """The rows of one kind; ``views`` (a query's result) replaces all incidents."""
    if what == "incidents":
        if views is None:
            views = (v for i in store.incidents() if (v := store.incident_view(i.id)))
        return incident_rows(views, resolve)
    if what == "claims":
        return claim_rows(store, resolve)
    return article_rows(store)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def write_rows(
    rows: Iterable[dict[str, Any]], columns: tuple[str, ...], fmt: FlatFormat, path: Path
) -> int:
    """Write rows as JSONL (one object per line) or CSV (lists joined with '; ').

    Returns:
        How many rows were written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        if fmt == "csv":
            writer = csv.DictWriter(out, fieldnames=list(columns))
            writer.writeheader()
            for row in rows:
                writer.writerow({c: _csv_cell(row.get(c)) for c in columns})
                count += 1
        else:
            for row in rows:
                out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
                count += 1
    return count
