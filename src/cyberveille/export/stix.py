"""STIX 2.1 export: IncidentViews + KB resolver -> one deterministic, validator-clean stix2 Bundle.

The mapping is documented in ``docs/stix-mapping.md``. Every id is
``<type>--uuid5(NAMESPACE, <canonical key>)`` and every timestamp comes from the data
(or from the ``created`` argument), so exporting the same store twice gives the same bytes.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any, Literal, NamedTuple

import pycountry
import stix2
import stix2validator
from stix2validator import validate_file, validate_string

from cyberveille.kb.entity import Entity
from cyberveille.store.views import IncidentView
from cyberveille.types import NAMESPACE, Article, Claim, Modality

__all__ = [
    "EXTENSION_ID",
    "IDENTITY_ID",
    "ValidationReport",
    "build_bundle",
    "stix_id",
    "validate_bundle",
    "validation_report",
    "write_bundle",
]

Resolver = Callable[[str], Entity | None]
Role = Literal["accused", "sponsor", "subject", "victim", "used", "accuser"]

# Timestamp of the objects that do not come from an article (cyberveille's identity, the
# extension definition) and of objects none of whose articles carries a date.
FALLBACK_TIME = datetime(2024, 1, 1, tzinfo=UTC)

BASE_CONFIDENCE: dict[str, int] = {"asserted": 85, "alleged": 50, "denied": 15}
HEDGE_PENALTY = 20  # subtracted when the outlet itself presents the claim as alleged
MIN_CONFIDENCE = 5

EXTENSION_VERSION = "1.0"
EXTENSION_PROPERTIES = (
    "x_cyberveille_id",
    "x_cyberveille_first_seen",
    "x_cyberveille_last_seen",
    "x_cyberveille_claim_kind",
    "x_cyberveille_modality",
    "x_cyberveille_attribution_type",
    "x_cyberveille_accuser",
    "x_cyberveille_accuser_name",
    "x_cyberveille_accuser_country",
    "x_cyberveille_accuser_ref",
    "x_cyberveille_hedged_by_outlet",
    "x_cyberveille_evidence",
    "x_opencti_location_type",
)

_PREFIX_KIND: dict[str, str] = {
    "actor": "threat_actor",
    "agency": "agency",
    "inst": "institution",
    "country": "country",
    "sector": "sector",
    "malware": "malware",
    "tool": "tool",
    "product": "product",
    "cve": "vulnerability",
    "vuln": "vulnerability",
    "org": "organisation",
}

# Relationship types the STIX 2.1 spec suggests (and OpenCTI accepts) for a source type,
# plus OpenCTI's incident relationships; anything else is exported as ``related-to``.
_ALLOWED: dict[tuple[str, str], frozenset[str]] = {
    ("incident", "attributed-to"): frozenset({"intrusion-set", "threat-actor"}),
    ("incident", "targets"): frozenset({"identity", "location", "vulnerability"}),
    ("incident", "uses"): frozenset({"malware", "tool"}),
    ("intrusion-set", "attributed-to"): frozenset({"threat-actor"}),
    ("intrusion-set", "targets"): frozenset({"identity", "location", "vulnerability"}),
    ("intrusion-set", "uses"): frozenset({"malware", "tool"}),
    ("threat-actor", "attributed-to"): frozenset({"identity"}),
    ("threat-actor", "targets"): frozenset({"identity", "location", "vulnerability"}),
    ("threat-actor", "uses"): frozenset({"malware", "tool"}),
    ("threat-actor", "located-at"): frozenset({"location"}),
    ("identity", "located-at"): frozenset({"location"}),
}

_SDO_CLASSES: dict[str, Any] = {
    "identity": stix2.Identity,
    "location": stix2.Location,
    "intrusion-set": stix2.IntrusionSet,
    "threat-actor": stix2.ThreatActor,
    "malware": stix2.Malware,
    "tool": stix2.Tool,
    "vulnerability": stix2.Vulnerability,
    "incident": stix2.Incident,
    "report": stix2.Report,
}


def stix_id(stix_type: str, key: str) -> str:
    """Return the deterministic STIX id of an object.

    Args:
        stix_type: the STIX type (``intrusion-set``).
        key: its canonical content key (``actor:apt40``, ``incident:<id>``).

    Returns:
        ``<stix_type>--<uuid5(NAMESPACE, key)>``.
    """
    return f"{stix_type}--{uuid.uuid5(NAMESPACE, key)}"


IDENTITY_ID = stix_id("identity", "cyberveille")
EXTENSION_ID = stix_id("extension-definition", f"cyberveille-properties/{EXTENSION_VERSION}")


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _article_time(article: Article) -> datetime | None:
    if article.ingested_at is not None:
        return _utc(article.ingested_at)
    if article.published is not None:
        return datetime.combine(article.published, time(), UTC)
    return None


def _type_of(stix_ref: str) -> str:
    return stix_ref.split("--", 1)[0]


def _ref_text(ref: str) -> str:
    """The human text of an id when the KB does not know it (``text:Foo`` -> ``Foo``)."""
    return ref.split(":", 1)[1].strip() if ":" in ref else ref.strip()


def _kind(ref: str, entity: Entity | None) -> str | None:
    if entity is not None:
        return entity.kind
    return _PREFIX_KIND.get(ref.split(":", 1)[0]) if ":" in ref else None


def _country_code(ref: str, entity: Entity | None, kind: str | None) -> str | None:
    """ISO 3166 alpha-2 code of a country id, or of the state an agency belongs to."""
    code = _ref_text(ref) if kind == "country" else (entity.country if entity else None)
    if code and pycountry.countries.get(alpha_2=code.upper()) is not None:
        return code.upper()
    return None


def _country_name(code: str, entity: Entity | None) -> str:
    if entity is not None and entity.kind == "country":
        return entity.name
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country is not None else code


def _aliases(entity: Entity | None, name: str) -> list[str]:
    if entity is None:
        return []
    names = {a for a in entity.aliases if a and a != name}
    return sorted(names, key=lambda a: (a.casefold(), a))


def _kb_references(entity: Entity | None) -> list[dict[str, str]]:
    """The MITRE ATT&CK reference of a KB entity (id only: a URL would call for a hash)."""
    if entity is None or not entity.mitre_id:
        return []
    return [{"source_name": "mitre-attack", "external_id": entity.mitre_id.strip()}]


def _confidence(modality: Modality, hedged: bool) -> int:
    base = BASE_CONFIDENCE[modality]
    return max(MIN_CONFIDENCE, base - HEDGE_PENALTY) if hedged else base


def _first_words(text: str, count: int = 12) -> str:
    words = text.split()
    if not words:
        return ""
    head = " ".join(words[:count])
    return head + ("…" if len(words) > count else "")


@dataclass
class _Obj:
    """An SDO/SCO being accumulated: its properties and the articles that support it."""

    stix_type: str
    props: dict[str, Any]
    articles: set[str] = field(default_factory=set)


@dataclass
class _Rel:
    """A relationship being accumulated from one or more claims."""

    source: str
    target: str
    rel_type: str
    claim_kind: str | None = None
    modality: Modality = "asserted"
    attribution_type: str | None = None
    accuser: str | None = None
    accuser_name: str | None = None
    accuser_country: str | None = None
    accuser_ref: str | None = None
    description: str | None = None
    evidence: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    hedged: list[bool] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)


class _Builder:
    """Collects objects and relationships over all views, then materialises stix2 objects."""

    def __init__(self, resolve: Resolver, fixed_time: datetime | None) -> None:
        self._resolve_fn = resolve
        self._resolved: dict[str, Entity | None] = {}
        self.fixed_time = fixed_time
        self.articles: dict[str, Article] = {}
        self.article_times: dict[str, datetime] = {}
        self.objs: dict[str, _Obj] = {}
        self.rels: dict[str, _Rel] = {}
        self.report_refs: dict[str, set[str]] = defaultdict(set)

    # -- lookups -------------------------------------------------------------------------

    def resolve(self, ref: str) -> Entity | None:
        if ref not in self._resolved:
            self._resolved[ref] = None if ref.startswith("text:") else self._resolve_fn(ref)
        return self._resolved[ref]

    def add_article(self, article: Article) -> None:
        self.articles.setdefault(article.id, article)
        when = _article_time(article)
        if when is not None:
            self.article_times.setdefault(article.id, when)

    def time_key(self, article_id: str) -> datetime:
        return self.article_times.get(article_id, FALLBACK_TIME)

    # -- objects -------------------------------------------------------------------------

    def obj(self, stix_type: str, key: str, props: dict[str, Any], article_id: str | None) -> str:
        sid = stix_id(stix_type, key)
        acc = self.objs.get(sid)
        if acc is None:
            acc = self.objs[sid] = _Obj(stix_type, {"x_cyberveille_id": key, **props})
        if article_id is not None:
            acc.articles.add(article_id)
        return sid

    def software(self, name: str, article_id: str) -> str:
        sco = stix2.Software(name=name)
        self.objs.setdefault(sco.id, _Obj("software", {"name": name}))
        self.objs[sco.id].articles.add(article_id)
        return str(sco.id)

    def structural(self, source: str, rel_type: str, target: str, article_id: str) -> str:
        """A relationship that comes from the KB, not from a claim (no evidence)."""
        key = f"kb|{source}|{rel_type}|{target}"
        sid = stix_id("relationship", key)
        rel = self.rels.get(sid)
        if rel is None:
            rel = self.rels[sid] = _Rel(source, target, rel_type)
            rel.description = "Background knowledge from the cyberveille knowledge base."
        rel.articles.add(article_id)
        return sid

    def location(self, code: str, entity: Entity | None, article_id: str) -> str:
        props = {
            "name": _country_name(code, entity),
            "country": code,
            "x_opencti_location_type": "Country",
        }
        return self.obj("location", f"country:{code}", props, article_id)

    def node(self, ref: str, role: Role, article_id: str) -> list[str]:
        """Map a claim's id to STIX objects.

        Returns:
            The ids of the objects created or reused: the first one is the endpoint to
            relate to; the others (structure around a threat actor) go into the report.
        """
        entity = self.resolve(ref)
        kind = _kind(ref, entity)
        name = entity.name if entity is not None else _ref_text(ref)
        acting = role in ("accused", "sponsor", "subject")
        aliases = _aliases(entity, name)
        refs = _kb_references(entity)
        extra: dict[str, Any] = {}
        if aliases:
            extra["aliases"] = aliases
        if refs:
            extra["external_references"] = refs

        if kind == "threat_actor" or (kind is None and role in ("accused", "subject")):
            return [self.obj("intrusion-set", ref, {"name": name, **extra}, article_id)]
        if kind == "malware" or (kind is None and role == "used"):
            malware = {"name": name, "is_family": True, **extra}
            return [self.obj("malware", ref, malware, article_id)]
        if kind == "tool":
            return [self.obj("tool", ref, {"name": name, **extra}, article_id)]
        if kind == "vulnerability":
            cve = _ref_text(ref).upper() if entity is None else entity.name
            vuln_refs = [{"source_name": "cve", "external_id": cve}]
            return [
                self.obj(
                    "vulnerability",
                    ref,
                    {"name": cve, "external_references": vuln_refs},
                    article_id,
                )
            ]
        if kind == "product":
            return [self.software(name, article_id)]
        if kind == "sector":
            sector = {"name": name, "identity_class": "class"}
            return [self.obj("identity", ref, sector, article_id)]

        code = _country_code(ref, entity, kind)
        if acting:
            return self._threat_actor(ref, entity, kind, name, code, aliases, article_id)
        if kind == "country" and code is not None:
            return [self.location(code, entity, article_id)]
        props: dict[str, Any] = {"name": name, "identity_class": "organization"}
        if kind == "agency":
            props["sectors"] = ["government"]
        return [self.obj("identity", ref, props, article_id)]

    def _threat_actor(
        self,
        ref: str,
        entity: Entity | None,
        kind: str | None,
        name: str,
        code: str | None,
        aliases: list[str],
        article_id: str,
    ) -> list[str]:
        """A state, agency or organisation acting (accused or sponsoring): threat-actor +
        its real-world identity (attributed-to) + its country (located-at)."""
        state = kind == "country"
        ta_props: dict[str, Any] = {"name": f"{name} (state)" if state else name}
        id_props: dict[str, Any] = {
            "name": f"Government of {name}" if state else name,
            "identity_class": "organization",
        }
        if kind in ("country", "agency"):
            ta_props["threat_actor_types"] = ["nation-state"]
            ta_props["resource_level"] = "government"
            id_props["sectors"] = ["government"]
        if aliases and not state:
            ta_props["aliases"] = aliases
        ta = self.obj("threat-actor", ref, ta_props, article_id)
        ident = self.obj("identity", ref, id_props, article_id)
        ids = [ta, ident, self.structural(ta, "attributed-to", ident, article_id)]
        if code is not None:
            loc = self.location(code, entity if state else None, article_id)
            ids += [
                loc,
                self.structural(ta, "located-at", loc, article_id),
                self.structural(ident, "located-at", loc, article_id),
            ]
        return ids

    # -- claims --------------------------------------------------------------------------

    def relate(
        self, claim: Claim, source: str, wanted: str, target: str, accuser_ref: str | None = None
    ) -> str:
        allowed = _ALLOWED.get((_type_of(source), wanted), frozenset())
        rel_type = wanted if _type_of(target) in allowed else "related-to"
        key = "|".join(
            (
                "claim",
                claim.kind,
                source,
                rel_type,
                target,
                claim.modality,
                claim.accuser or "",
                claim.attribution_type or "",
            )
        )
        sid = stix_id("relationship", key)
        rel = self.rels.get(sid)
        if rel is None:
            accuser_entity = self.resolve(claim.accuser) if claim.accuser else None
            rel = self.rels[sid] = _Rel(
                source,
                target,
                rel_type,
                claim_kind=claim.kind,
                modality=claim.modality,
                attribution_type=claim.attribution_type,
                accuser=claim.accuser,
                accuser_name=(
                    accuser_entity.name
                    if accuser_entity
                    else _ref_text(claim.accuser)
                    if claim.accuser
                    else None
                ),
                accuser_country=claim.accuser_country,
                accuser_ref=accuser_ref,
            )
        ev = claim.evidence
        sort_key = (
            self.time_key(ev.article_id),
            ev.article_id,
            ev.sentence_index,
            ev.start,
            ev.end,
            ev.sentence,
        )
        rel.evidence.setdefault(
            sort_key,
            {
                "article_id": ev.article_id,
                "sentence_index": ev.sentence_index,
                "start": ev.start,
                "end": ev.end,
                "cues": sorted(set(ev.cues)),
                "sentence": ev.sentence,
            },
        )
        rel.hedged.append(claim.hedged_by_outlet)
        rel.articles.add(ev.article_id)
        return sid

    def add_claim(self, claim: Claim, incident_ref: str) -> None:
        art = claim.evidence.article_id
        refs = self.report_refs[art]
        if claim.kind == "attribution" and claim.subject:
            accused = self.node(claim.subject, "accused", art)
            accuser = self.node(claim.accuser, "accuser", art) if claim.accuser else []
            refs.update(accused, accuser)
            refs.add(
                self.relate(
                    claim,
                    incident_ref,
                    "attributed-to",
                    accused[0],
                    accuser[0] if accuser else None,
                )
            )
        elif claim.kind == "sponsorship" and claim.subject and claim.object:
            subject = self.node(claim.subject, "subject", art)
            sponsor = self.node(claim.object, "sponsor", art)
            refs.update(subject, sponsor)
            target = sponsor[0]
            if _type_of(subject[0]) == "threat-actor" and len(sponsor) > 1:
                target = sponsor[1]  # threat-actor attributed-to the sponsor's identity
            refs.add(self.relate(claim, subject[0], "attributed-to", target))
        elif claim.kind in ("targeting", "use") and claim.object:
            role: Role = "victim" if claim.kind == "targeting" else "used"
            target_ids = self.node(claim.object, role, art)
            target = target_ids[0]
            refs.update(target_ids)
            if claim.kind == "targeting" or _type_of(target) == "vulnerability":
                wanted = "targets"
            else:
                wanted = "uses"
            refs.add(self.relate(claim, incident_ref, wanted, target))
            if claim.subject:
                subject = self.node(claim.subject, "subject", art)
                refs.update(subject)
                refs.add(self.relate(claim, subject[0], wanted, target))
        elif claim.kind == "relation" and claim.subject and claim.object:
            # "X, whose TTPs overlap with those of Y": two actors, related, not one
            subject = self.node(claim.subject, "subject", art)
            other = self.node(claim.object, "subject", art)
            refs.update(subject, other)
            refs.add(self.relate(claim, subject[0], "related-to", other[0]))

    def add_view(self, view: IncidentView) -> None:
        inc = view.incident
        incident_ref = stix_id("incident", f"incident:{inc.id}")
        for article in view.articles:
            self.add_article(article)
            self.report_refs[article.id].add(incident_ref)
        props: dict[str, Any] = {
            "name": inc.title or f"Incident {inc.id[:12]}",
            "description": _incident_description(view),
        }
        if inc.incident_type:
            props["labels"] = [inc.incident_type]
        if inc.first_seen:
            props["x_cyberveille_first_seen"] = inc.first_seen.isoformat()
        if inc.last_seen:
            props["x_cyberveille_last_seen"] = inc.last_seen.isoformat()
        acc = self.objs.setdefault(
            incident_ref, _Obj("incident", {"x_cyberveille_id": f"incident:{inc.id}", **props})
        )
        acc.articles.update(a.id for a in view.articles)
        for claim in view.claims:
            self.add_claim(claim, incident_ref)
            acc.articles.add(claim.evidence.article_id)

    # -- materialisation -----------------------------------------------------------------

    def stamps(self, article_ids: Iterable[str]) -> tuple[datetime, datetime]:
        if self.fixed_time is not None:
            return self.fixed_time, self.fixed_time
        times = sorted(self.article_times[a] for a in article_ids if a in self.article_times)
        if not times:
            times = sorted(self.article_times.values()) or [FALLBACK_TIME]
        return times[0], times[-1]

    def common(self, props: Mapping[str, Any], article_ids: Iterable[str]) -> dict[str, Any]:
        created, modified = self.stamps(article_ids)
        out: dict[str, Any] = {
            "created": created,
            "modified": modified,
            "created_by_ref": IDENTITY_ID,
        }
        if any(k.startswith("x_") for k in props):
            out["extensions"] = {EXTENSION_ID: {"extension_type": "toplevel-property-extension"}}
        return out

    def materialise(self) -> list[Any]:
        base = self.fixed_time or FALLBACK_TIME
        objects: list[Any] = [
            stix2.Identity(
                id=IDENTITY_ID,
                created=base,
                modified=base,
                name="cyberveille",
                identity_class="system",
                description="cyberveille: reads news about cyberattacks and keeps a "
                "source-linked record of incidents and of who is blamed for them.",
            ),
            stix2.ExtensionDefinition(
                id=EXTENSION_ID,
                created=base,
                modified=base,
                created_by_ref=IDENTITY_ID,
                name="cyberveille properties",
                description="Top-level properties added by cyberveille: the KB id of each "
                "object, the evidence, modality and accuser of each claim.",
                schema="Plain text: see docs/stix-mapping.md in the cyberveille project.",
                version=EXTENSION_VERSION,
                extension_types=["toplevel-property-extension"],
                extension_properties=list(EXTENSION_PROPERTIES),
            ),
        ]
        for sid, acc in sorted(self.objs.items()):
            if acc.stix_type == "software":
                objects.append(stix2.Software(id=sid, name=acc.props["name"]))
                continue
            cls = _SDO_CLASSES[acc.stix_type]
            objects.append(cls(id=sid, **acc.props, **self.common(acc.props, acc.articles)))
        for article_id in sorted(self.report_refs):
            article = self.articles.get(article_id)
            if article is not None:
                objects.append(self.report(article, sorted(self.report_refs[article_id])))
        for sid, rel in sorted(self.rels.items()):
            objects.append(self.relationship(sid, rel))
        return objects

    def report(self, article: Article, object_refs: list[str]) -> Any:
        key = f"article:{article.id}"
        when = self.article_times.get(article.id, FALLBACK_TIME)
        published = (
            datetime.combine(article.published, time(), UTC)
            if article.published is not None
            else when
        )
        ext_refs: list[dict[str, str]] = []
        if article.url:
            ext_refs.append({"source_name": article.outlet or "web", "url": article.url})
        ext_refs.append({"source_name": "cyberveille", "external_id": article.id})
        props: dict[str, Any] = {
            "name": article.title or _first_words(article.text) or f"Article {article.id[:12]}",
            "published": published,
            "report_types": ["threat-report"],
            "description": _report_description(article),
            "object_refs": object_refs,
            "external_references": ext_refs,
            "x_cyberveille_id": key,
        }
        if article.language and article.language in _lang_codes():
            props["lang"] = article.language
        return stix2.Report(id=stix_id("report", key), **props, **self.common(props, [article.id]))

    def relationship(self, sid: str, rel: _Rel) -> Any:
        props: dict[str, Any] = {
            "relationship_type": rel.rel_type,
            "source_ref": rel.source,
            "target_ref": rel.target,
        }
        if rel.claim_kind is None:  # structural, from the KB
            props["description"] = rel.description
            return stix2.Relationship(id=sid, **props, **self.common(props, rel.articles))
        evidence = [rel.evidence[k] for k in sorted(rel.evidence)]
        hedged = bool(rel.hedged) and all(rel.hedged)
        props["description"] = _relationship_description(rel, evidence, hedged)
        props["confidence"] = max(_confidence(rel.modality, h) for h in rel.hedged)
        props["x_cyberveille_claim_kind"] = rel.claim_kind
        props["x_cyberveille_modality"] = rel.modality
        if rel.attribution_type:
            props["x_cyberveille_attribution_type"] = rel.attribution_type
        if rel.accuser:
            props["x_cyberveille_accuser"] = rel.accuser
            if rel.accuser_name:
                props["x_cyberveille_accuser_name"] = rel.accuser_name
            if rel.accuser_ref:
                props["x_cyberveille_accuser_ref"] = rel.accuser_ref
        if rel.accuser_country:
            props["x_cyberveille_accuser_country"] = rel.accuser_country
        props["x_cyberveille_hedged_by_outlet"] = hedged
        props["x_cyberveille_evidence"] = evidence
        return stix2.Relationship(id=sid, **props, **self.common(props, rel.articles))


_LANG_CODES: frozenset[str] | None = None


def _lang_codes() -> frozenset[str]:
    """RFC 5646 codes the validator accepts for ``lang`` (others are left out)."""
    global _LANG_CODES
    if _LANG_CODES is None:
        try:
            from stix2validator.v21.enums import LANG_CODES

            _LANG_CODES = frozenset(LANG_CODES)
        except ImportError:  # pragma: no cover - validator layout changed
            _LANG_CODES = frozenset({"en", "fr"})
    return _LANG_CODES


def _report_description(article: Article) -> str:
    outlet = article.outlet or "an unknown outlet"
    parts = [f"News article from {outlet}"]
    if article.published:
        parts.append(f"published {article.published.isoformat()}")
    if article.language:
        parts.append(f"language {article.language}")
    return ", ".join(parts) + ". Collected and analysed by cyberveille."


def _incident_description(view: IncidentView) -> str:
    inc = view.incident
    lines = [inc.title or f"Incident {inc.id[:12]}", ""]
    facts = []
    if inc.incident_type:
        facts.append(f"Type: {inc.incident_type}.")
    if inc.first_seen:
        facts.append(f"First seen: {inc.first_seen.isoformat()}.")
    if inc.last_seen:
        facts.append(f"Last seen: {inc.last_seen.isoformat()}.")
    if facts:
        lines += [" ".join(facts), ""]
    lines.append(f"Reported by {len(view.articles)} article(s):")
    for art in view.articles:
        when = art.published.isoformat() if art.published else "undated"
        title = art.title or _first_words(art.text) or art.id[:12]
        line = f"- {when}, {art.outlet or 'unknown outlet'}: {title}"
        lines.append(line + (f" <{art.url}>" if art.url else ""))
    figures = []
    for claim in view.claims:
        if claim.kind == "impact" and claim.value is not None:
            value = f"{claim.value:g}"
            figures.append(
                f"- {value} {claim.unit or ''}".rstrip()
                + (f" ({claim.text})" if claim.text else "")
            )
    if figures:
        lines += ["", "Figures reported:", *sorted(set(figures))]
    if inc.reasons:
        lines += ["", "Grouped because: " + "; ".join(inc.reasons)]
    return "\n".join(lines)


def _relationship_description(rel: _Rel, evidence: list[dict[str, Any]], hedged: bool) -> str:
    if rel.claim_kind == "attribution":
        who = rel.accuser_name or "an unnamed source"
        how = f" ({rel.attribution_type})" if rel.attribution_type else ""
        head = f"Attribution by {who}{how}, {rel.modality}"
    else:
        head = f"{(rel.claim_kind or 'claim').capitalize()} claim, {rel.modality}"
    if hedged:
        head += "; the outlet presents it as alleged"
    sentences: list[str] = []
    for ev in evidence:
        if ev["sentence"] not in sentences:
            sentences.append(ev["sentence"])
    return head + ".\n" + "\n".join(f"« {s} »" for s in sentences)


def build_bundle(
    views: Iterable[IncidentView],
    resolve: Resolver,
    *,
    created: datetime | None = None,
) -> stix2.Bundle:
    """Build one STIX 2.1 bundle from incident views.

    Args:
        views: the incidents to export, with their mentions, claims and articles.
        resolve: the knowledge base lookup (``kb.get``): KB id -> Entity or None; when it
            returns None the text of the id names the object.
        created: when given, the ``created`` and ``modified`` of every object; otherwise
            they come from the ingestion times of the supporting articles (earliest,
            latest), so the same store always exports to the same bytes.

    Returns:
        A ``stix2.Bundle`` whose objects are sorted by id; ids are uuid5 of canonical keys.
    """
    fixed = _utc(created) if created is not None else None
    builder = _Builder(resolve, fixed)
    ordered = sorted(views, key=lambda v: v.incident.id)
    for view in ordered:  # all article times first: evidence is sorted by them
        for article in view.articles:
            builder.add_article(article)
    for view in ordered:
        builder.add_view(view)
    objects = builder.materialise()
    bundle_key = "bundle|" + "|".join(str(o.id) for o in objects)
    return stix2.Bundle(objects=objects, id=stix_id("bundle", bundle_key))


def serialize_bundle(bundle: stix2.Bundle) -> str:
    """Return the bundle as pretty, UTF-8-friendly JSON text ending with a newline.

    stix2's own ``serialize(pretty=True)`` reorders properties with a search that grows
    quadratically (40 incidents: 39 s, 300: half an hour); its compact form, indented by
    ``json``, keeps stix2's property order and takes milliseconds.
    """
    compact = str(bundle.serialize(ensure_ascii=False))
    return json.dumps(json.loads(compact), indent=4, ensure_ascii=False) + "\n"


def write_bundle(bundle: stix2.Bundle, path: Path) -> None:
    """Write a bundle as pretty JSON (UTF-8).

    Args:
        bundle: the bundle from ``build_bundle``.
        path: where to write; parent folders are created.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(serialize_bundle(bundle), encoding="utf-8")


class ValidationReport(NamedTuple):
    """What stix2-validator (default options) says: MUST errors and SHOULD warnings."""

    errors: list[str]
    warnings: list[str]


def _as_json_text(value: Any) -> str:
    if isinstance(value, stix2.Bundle) or hasattr(value, "serialize"):
        return str(value.serialize())
    if isinstance(value, Mapping | list):
        return json.dumps(value)
    return str(value)


def _check_validator_schemas() -> None:
    """Fail loudly when stix2-validator was installed without its JSON schemas.

    The 3.3.1 wheels ship no ``schemas-2.1`` folder (oasis-open/cti-stix-validator#248):
    every object then fails with "Cannot locate a schema", which says nothing about the
    bundle. 3.2.0 ships them.
    """
    schemas = Path(stix2validator.__file__).parent / "schemas-2.1" / "schemas"
    if not schemas.is_dir():
        version = getattr(stix2validator, "__version__", "?")
        raise RuntimeError(
            f"stix2-validator {version} is installed without its STIX 2.1 JSON schemas "
            f"({schemas} is missing), so it cannot validate anything; install a release "
            "that ships them (stix2-validator==3.2.0)."
        )


def validation_report(
    path_or_json: Path | str | Mapping[str, Any] | stix2.Bundle,
) -> ValidationReport:
    """Validate a bundle with stix2-validator's default options.

    Args:
        path_or_json: a path to a JSON file (``Path``, or a ``str`` not starting with
            ``{``/``[``), JSON text, a parsed dict, or a ``stix2.Bundle``.

    Returns:
        The errors (the bundle is invalid when there is any) and the warnings, each
        naming the object concerned.

    Raises:
        RuntimeError: the installed stix2-validator has no JSON schemas to validate with.
    """
    _check_validator_schemas()
    errors: list[str] = []
    warnings: list[str] = []
    is_path = isinstance(path_or_json, Path) or (
        isinstance(path_or_json, str) and not path_or_json.lstrip().startswith(("{", "["))
    )
    if is_path:
        file_results = validate_file(str(path_or_json))
        if file_results.fatal is not None:
            errors.append(str(file_results.fatal.error))
        results = file_results.object_results or []
    else:
        outcome = validate_string(_as_json_text(path_or_json))
        results = outcome if isinstance(outcome, list) else [outcome]
    for result in results:
        if not hasattr(result, "errors"):  # ValidationErrorResults
            errors.append(str(getattr(result, "error", result)))
            continue
        # a bundle's messages already start with the id of the inner object concerned
        object_id = str(result.object_id or "")
        prefix = f"{object_id}: " if object_id and not object_id.startswith("bundle--") else ""
        errors.extend(prefix + str(err) for err in result.errors)
        warnings.extend(prefix + str(w) for w in (result.warnings or []))
    return ValidationReport(errors, warnings)


def validate_bundle(path_or_json: Path | str | Mapping[str, Any] | stix2.Bundle) -> list[str]:
    """Return stix2-validator's errors for a bundle (default options); [] when valid.

    Args:
        path_or_json: a path, JSON text, a parsed dict or a ``stix2.Bundle``.

    Returns:
        The error messages; warnings are left out (see ``validation_report``).

    Raises:
        RuntimeError: the installed stix2-validator has no JSON schemas to validate with.
    """
    return validation_report(path_or_json).errors
