"""Group incident mentions across articles into incidents, with the reasons stored.

Candidates are the stored incidents that share weighted anchor keys with a mention
(threat actor, CVE, malware, product, an indictment or sanctions by one body) inside a
time window, read nearest in date first through the key index. A candidate is out when
the two disagree (different named actors, disjoint victim countries or accused states)
or it already holds another part of the same article. Keys worth at least
``STRONG_SCORE`` (an actor and its vector, a CVE and its product) decide alone; a weaker
match (one actor, one product) also needs the incident-describing sentences to be
similar across languages (multilingual sentence encoder, ``cyberveille.similarity``),
since an actor runs many operations and a product is hit by many. The best candidate by
keys + date proximity + similarity is joined, else the mention opens a new incident.
Ids come from content, so re-runs are stable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from cyberveille import similarity as sim
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
# Keys worth this much (two anchors, or a CVE with anything) decide without the encoder.
STRONG_SCORE = 4.0
# A weaker key match joins only when the descriptions are at least this similar.
SIMILAR = 0.55
# Members encoded to make an incident's description vector when it has none yet.
VECTOR_MEMBERS = 3
# Weak candidates compared by similarity (best by keys and date first): bounds the encoding.
WEAK_CANDIDATES = 5
# Mention descriptions kept encoded, by text (oldest dropped first): wire copies repeat
# them, and one encoding costs 5 ms to 0.25 s (numpy's BLAS threads on a busy 2-core VM).
ENCODED_TEXTS = 4096
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


def days_apart(when: date | None, incident: Incident) -> int | None:
    """Days between a date and an incident's first..last seen span (0 inside it)."""
    if when is None or incident.first_seen is None or incident.last_seen is None:
        return None
    if when < incident.first_seen:
        return (incident.first_seen - when).days
    return max(0, (when - incident.last_seen).days)


def proximity(gap: int | None) -> float:
    """1 for a date inside the incident's span, falling to 0 at the window's edge."""
    return 0.5 if gap is None else max(0.0, 1.0 - gap / WINDOW.days)


@dataclass(frozen=True)
class _Candidate:
    incident: Incident
    keys: float
    shared: list[str]
    gap: int | None
    similarity: float | None = None
    duplicate_of: str | None = None

    @property
    def total(self) -> float:
        return self.keys + proximity(self.gap) + (self.similarity or 0.0)


def opened_incident(mention: IncidentMention, keys: frozenset[str], why: str) -> Incident:
    """The incident a mention opens when it joins none, its reason saying ``why``."""
    return Incident(
        id=content_id("incident", mention.id),
        title=mention.title,
        incident_type=mention.incident_type,
        first_seen=mention.date,
        last_seen=mention.date,
        mention_ids=(mention.id,),
        article_ids=(mention.article_id,),
        keys=keys,
        reasons=(f"opened by article {mention.article_id[:12]} part {mention.index}: {why}",),
    )


class Grouper:
    """Assigns incident mentions to incidents in a store, one mention at a time.

    ``encode`` turns texts into unit vectors (default: the packaged multilingual USE,
    loaded on first need); None compares keys and dates only.
    """

    def __init__(
        self,
        store: Store,
        resolve: Callable[[str], Entity | None],
        encode: sim.Encode | None = sim.default_encoder,
    ) -> None:
        self.store = store
        self.resolve = resolve
        self.encode = encode
        self._encoded: dict[str, sim.Vector] = {}

    def _mention_vector(self, mention: IncidentMention) -> sim.Vector | None:
        if self.encode is None:
            return None
        text = sim.description(self.store.sentences(mention.article_id), mention.sentence_indices)
        return self._encode_one(self.encode, text) if text else None

    def _encode_one(self, encode: sim.Encode, text: str) -> sim.Vector:
        """The unit vector of one text, encoded alone (a batch may differ in the last bits)
        and kept: a text seen again costs nothing."""
        vector = self._encoded.get(text)
        if vector is None:
            vector = sim.unit(encode([text])[0])
            vector.setflags(write=False)  # shared by every caller that asks for this text
            if len(self._encoded) >= ENCODED_TEXTS:
                del self._encoded[next(iter(self._encoded))]
            self._encoded[text] = vector
        return vector

    def _incident_vectors(self, incidents: list[Incident]) -> dict[str, sim.Vector]:
        """The incidents' description vectors: stored ones read, missing ones made from their
        first members in one batch and stored (each incident is encoded once in its life)."""
        if self.encode is None or not incidents:
            return {}
        stored = self.store.incident_vectors([i.id for i in incidents])
        found = {iid: sim.from_bytes(data) for iid, (data, _) in stored.items()}
        texts: list[str] = []
        owners: list[str] = []
        for incident in incidents:
            if incident.id in found:
                continue
            view = self.store.incident_view(incident.id)
            for member in view.mentions[:VECTOR_MEMBERS] if view else ():
                sentences = self.store.sentences(member.article_id)
                text = sim.description(sentences, member.sentence_indices)
                if text:
                    texts.append(text)
                    owners.append(incident.id)
        if not texts:
            return found
        made: dict[str, list[sim.Vector]] = {}
        for owner, row in zip(owners, self.encode(texts), strict=True):
            made.setdefault(owner, []).append(sim.unit(row))
        for iid, members in made.items():
            total = np.sum(members, axis=0).astype(np.float32)
            self.store.save_incident_vector(iid, sim.to_bytes(total), len(members))
            found[iid] = total
        return found

    def prepare_vectors(self, mention: IncidentMention) -> int:
        """Make (and store) the missing description vectors of the incidents ``mention``
        would be compared with; returns how many were made. ``assign`` does this itself;
        benchmarks call it first to time a store whose incidents already have theirs."""
        weak = self._weak(self._scored(mention, mention_keys(mention, self.resolve)))
        missing = [c.incident for c in weak]
        before = len(self.store.incident_vectors([i.id for i in missing]))
        return len(self._incident_vectors(missing)) - before

    def _same_story(self, mention: IncidentMention, weak: list[_Candidate]) -> list[_Candidate]:
        """Weak candidates holding the same part of a near-duplicate of the mention's article
        (similarity 1.0, the duplicate named in the reason)."""
        links = self.store.canonical_articles(
            [mention.article_id, *(a for c in weak for a in c.incident.article_ids)]
        )
        story = links[mention.article_id]
        found = []
        for c in weak:
            for other in c.incident.article_ids:
                same_part = content_id(other, str(mention.index)) in c.incident.mention_ids
                if links[other] == story and same_part:
                    found.append(replace(c, similarity=1.0, duplicate_of=other))
                    break
        return found

    def _scored(self, mention: IncidentMention, keys: frozenset[str]) -> list[_Candidate]:
        """Stored incidents whose keys reach ``MIN_SCORE`` with the mention's, with no veto."""
        lookup = lookup_keys(keys)
        if not lookup:
            return []
        since = mention.date - WINDOW if mention.date else None
        until = mention.date + WINDOW if mention.date else None
        found = []
        for incident in self.store.candidate_incidents(
            lookup, since=since, until=until, near=mention.date
        ):
            if mention.article_id in incident.article_ids:
                continue  # an article's parts are distinct incidents by construction
            value, shared = score(keys, incident, mention.date)
            if value >= MIN_SCORE:
                found.append(
                    _Candidate(incident, value, shared, days_apart(mention.date, incident))
                )
        return found

    @staticmethod
    def _weak(found: list[_Candidate]) -> list[_Candidate]:
        """The weak candidates worth a similarity check: best keys and dates first."""
        weak = [c for c in found if c.keys < STRONG_SCORE]
        weak.sort(key=lambda c: (-(c.keys + proximity(c.gap)), c.incident.id))
        return weak[:WEAK_CANDIDATES]

    def _candidates(
        self, mention: IncidentMention, keys: frozenset[str]
    ) -> tuple[list[_Candidate], sim.Vector | None]:
        """Candidates that may be joined, and the mention's vector when it was needed."""
        found = self._scored(mention, keys)
        kept = [c for c in found if c.keys >= STRONG_SCORE]
        if self.encode is None:
            return found, None
        weak = self._weak(found)
        if not weak:
            return kept, None
        copies = self._same_story(mention, weak)
        if copies:  # the same wire story is already there: no need to compare meanings
            return kept + copies, None
        vector = self._mention_vector(mention)
        if vector is None:
            return kept, None
        vectors = self._incident_vectors([c.incident for c in weak])
        for c in weak:
            if c.incident.id in vectors:
                value = round(sim.cosine(vector, vectors[c.incident.id]), 2)
                if value >= SIMILAR:
                    kept.append(replace(c, similarity=value))
        return kept, vector

    def assign(self, mention: IncidentMention) -> Assignment:
        """Put ``mention`` into the best matching incident or a new one, and save it."""
        keys = mention_keys(mention, self.resolve)
        candidates, vector = self._candidates(mention, keys)
        lookup = lookup_keys(keys)
        if not candidates:
            incident = opened_incident(
                mention,
                keys,
                "no stored incident shares its keys"
                if lookup
                else "it names no actor, vector or response to match on",
            )
            self.store.save_incident(incident)
            return Assignment(incident, True, incident.reasons[0])
        best = max(candidates, key=lambda c: (c.total, c.incident.id))
        incident = best.incident
        evidence = [f"shares {', '.join(best.shared)} (score {best.keys:g})"]
        if best.gap is not None:
            evidence.append("within its dates" if best.gap == 0 else f"{best.gap} days apart")
        if best.duplicate_of is not None:
            evidence.append(f"near-duplicate of article {best.duplicate_of[:12]}")
        elif best.similarity is not None:
            evidence.append(f"similar descriptions {best.similarity:.2f}")
        reason = f"article {mention.article_id[:12]} part {mention.index} joined: " + "; ".join(
            evidence
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
        if vector is not None:
            stored = self.store.incident_vectors([merged.id]).get(merged.id)
            if stored is not None:
                total = sim.from_bytes(stored[0]) + vector
                self.store.save_incident_vector(merged.id, sim.to_bytes(total), stored[1] + 1)
        return Assignment(merged, False, reason)
