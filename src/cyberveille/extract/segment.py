"""Split an article's sentences and claims into incident mentions (one per incident it reports).

A sentence's anchors are the specific things it names (threat actors, malware, tools,
products, CVE ids, an indictment or sanctions by a named body). A sentence whose
anchors are new starts a new incident mention unless it refers back to the current
one (« le groupe », "the attack") or only names products where it tells no operation
(the platform of the one being told); a sentence naming anchors of an earlier mention
returns to it; a sentence with no anchor stays with the current mention, except when
it describes a different, specific kind of operation (ransomware after espionage).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from cyberveille.extract.claims import SentenceClaims
from cyberveille.extract.mentions import SentenceInfo
from cyberveille.kb.entity import Entity, display_name
from cyberveille.types import Claim, IncidentMention, IncidentType, Mention

_ANCHOR_KINDS = {"threat_actor", "malware", "tool", "product", "vulnerability"}
# Kinds of operation specific enough that a change of kind means a change of incident.
STRONG_TYPES = {"ransomware", "spyware", "wiper", "defacement", "disruption"}
# Most specific first: the type of a mention is the first of these it shows.
TYPE_PRIORITY: tuple[IncidentType, ...] = (
    "ransomware",
    "wiper",
    "spyware",
    "supply_chain",
    "hack_and_leak",
    "extortion",
    "defacement",
    "disruption",
    "mass_exploitation",
    "phishing",
    "data_theft",
    "espionage",
    "intrusion",
)


@dataclass(frozen=True)
class SentenceSignals:
    """What segmentation needs to know about one sentence."""

    info: SentenceInfo
    claims: SentenceClaims
    anchors: frozenset[str]
    types: frozenset[str]
    refers_back: bool


@dataclass
class _Draft:
    sentences: list[int] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    types: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    open_intro: bool = False


def sentence_anchors(mentions: Sequence[Mention], claims: SentenceClaims) -> frozenset[str]:
    """The anchor keys of a sentence: canonical ids of specific things (less actors named
    only to compare them) + response keys."""
    # a product is an anchor where it is a means ("its Telegram channel" is none)
    used = {c.object for c in claims.claims if c.kind == "use"}
    anchors = {
        m.canonical_id
        for m in mentions
        if m.kind in _ANCHOR_KINDS
        and m.canonical_id
        and (m.kind != "product" or m.canonical_id in used)
    }
    # an actor named to compare it ("reminiscent of X") does not tie the sentence to X
    anchors -= {c.object for c in claims.claims if c.kind == "relation" and c.object}
    anchors.update(claims.response_keys)
    return frozenset(anchors)


def segment(
    article_id: str,
    signals: Sequence[SentenceSignals],
    *,
    published: date | None,
    resolve: Callable[[str], Entity | None],
    hacktivist_name: Callable[[str], bool] = lambda name: False,
) -> list[IncidentMention]:
    """Group the sentences of one article into incident mentions, in order of appearance.
    ``hacktivist_name`` tells an actor the knowledge base lacks (a claim's subject,
    "actor:x-cyber-army" or "text:X Cyber Army") as a hacktivist group by its name."""
    drafts: list[_Draft] = []
    current: _Draft | None = None
    pending = _Draft(open_intro=True)
    for signal in signals:
        anchors = signal.anchors
        target: _Draft | None
        if current is None:
            if not anchors and not signal.claims.claims and not signal.types & STRONG_TYPES:
                pending.sentences.append(signal.info.index)
                pending.types.extend(signal.types)
                continue
            target = pending
            drafts.append(target)
        else:
            target = _place(signal, current, drafts)
            if target is None:
                target = _Draft()
                drafts.append(target)
        if anchors:
            target.open_intro = False
        target.sentences.append(signal.info.index)
        target.anchors.update(anchors)
        target.types.extend(signal.types)
        target.claims.extend(signal.claims.claims)
        current = target
    if current is None and pending.sentences:
        drafts.append(pending)
    return [
        _finish(article_id, index, draft, published, resolve, hacktivist_name)
        for index, draft in enumerate(drafts)
    ]


def _place(signal: SentenceSignals, current: _Draft, drafts: list[_Draft]) -> _Draft | None:
    """The mention a sentence continues, or None when it starts a new one."""
    anchors = signal.anchors
    earlier = [d for d in drafts if d.anchors & anchors]
    if earlier:
        return earlier[-1]
    if anchors:
        continues = (
            current.open_intro
            or (signal.refers_back and not _elsewhere(signal, current))
            or _details_only(anchors)
            or _platform_only(anchors, signal)
            or _names_actor_of(anchors, signal, current)
        )
        return current if continues else None
    strong = {t for t in signal.types if t in STRONG_TYPES}
    if strong and not signal.refers_back:
        dominant = _dominant_strong(current)
        if dominant is None and current.anchors:
            return None  # a specific kind of operation after a story that had none
        if dominant is not None and dominant not in strong:
            return None  # ransomware after spyware: another operation
    return current


def _victim_countries(claims: Sequence[Claim]) -> set[str]:
    return {
        c.object
        for c in claims
        if c.kind == "targeting" and c.object and c.object.startswith("country:")
    }


def _elsewhere(signal: SentenceSignals, draft: _Draft) -> bool:
    """The sentence hits countries the mention never named as hit, and none it did: with
    anchors of its own, words referring back to the doers ("the hackers also used X
    against Y") tell another of their operations, not more of this one (words naming
    the incident itself, "the attack also hit Y", still continue it)."""
    if signal.claims.names_the_incident:
        return False
    here = _victim_countries(signal.claims.claims)
    before = _victim_countries(draft.claims)
    return bool(here and before) and not here & before


def _names_actor_of(anchors: frozenset[str], signal: SentenceSignals, draft: _Draft) -> bool:
    """A first actor name for a mention that blamed the same state or agency so far."""
    if not anchors or not all(a.startswith("actor:") for a in anchors):
        return False
    if any(a.startswith("actor:") for a in draft.anchors):
        return False
    blamed = {
        value
        for c in draft.claims
        if c.kind in ("attribution", "sponsorship")
        for value in (c.subject, c.object)
        if value and value.startswith(("agency:", "country:"))
    }
    said = {
        value
        for c in signal.claims.claims
        if c.kind in ("attribution", "sponsorship")
        for value in (c.subject, c.object)
        if value and value.startswith(("agency:", "country:"))
    }
    return bool(blamed & said) or signal.refers_back


def _details_only(anchors: frozenset[str]) -> bool:
    """CVE ids alone detail the vector of the incident being told; they open nothing."""
    return all(a.startswith("cve:") for a in anchors)


def _platform_only(anchors: frozenset[str], signal: SentenceSignals) -> bool:
    """Products named where no operation is told, nor anyone blamed or hit ("the
    operators rely on tools already present on Windows machines"): the platform of the
    incident being told; not « le piratage de SolarWinds a été attribué à la Russie »."""
    told = {"attribution", "sponsorship", "targeting"}
    return (
        not signal.types
        and all(a.startswith("product:") for a in anchors)
        and not any(c.kind in told for c in signal.claims.claims)
    )


def _dominant_strong(draft: _Draft) -> str | None:
    """The strong type most often shown; a tie goes to the first in ``TYPE_PRIORITY`` (not
    to a set's iteration order, which changes with the process's hash seed)."""
    strong = [t for t in draft.types if t in STRONG_TYPES]
    if not strong:
        return None
    candidates = sorted(set(strong), key=TYPE_PRIORITY.index)
    return max(candidates, key=strong.count)


def _incident_types(types: Sequence[str]) -> tuple[IncidentType, ...]:
    """Types in priority order; "intrusion" only when no other effect is told."""
    present = set(types)
    if present - {"intrusion"}:
        present.discard("intrusion")
    return tuple(t for t in TYPE_PRIORITY if t in present)


def _state_linked_actor(value: str, resolve: Callable[[str], Entity | None]) -> bool:
    """An intrusion set the knowledge base links to a state (a sponsor), or one it knows
    as neither hacktivists nor financially motivated (the galaxies' motive, read from
    their texts by kb/galaxies.py): the groups vendors track for espionage."""
    entity = resolve(value) if value.startswith("actor:") else None
    if entity is None or entity.hacktivist:
        return False
    return bool(
        entity.sponsor
        or entity.attr("suspected_state_sponsor")
        or entity.attr("motive") != "financial"
    )


def _state_linked(claims: Sequence[Claim], resolve: Callable[[str], Entity | None]) -> bool:
    """The claims link the doer to a state: a sponsor, a state or agency blamed, or an
    actor the knowledge base links to one or knows as an espionage group (see
    ``_state_linked_actor``)."""
    return any(
        (c.kind == "sponsorship" and c.object)
        or (c.kind == "attribution" and c.subject and c.subject.startswith(("country:", "agency:")))
        or (c.kind == "targeting" and c.subject and _state_linked_actor(c.subject, resolve))
        for c in claims
    )


def _hacktivist_doer(
    claims: Sequence[Claim],
    resolve: Callable[[str], Entity | None],
    hacktivist_name: Callable[[str], bool],
) -> bool:
    """An actor the knowledge base knows as hacktivists, or one it lacks whose name is a
    hacktivist group's, attacks or claims the act."""
    for c in claims:
        if c.kind not in ("targeting", "attribution") or not c.subject:
            continue
        entity = resolve(c.subject) if c.subject.startswith("actor:") else None
        if entity is not None and entity.hacktivist:
            return True
        if (
            entity is None
            and c.subject.startswith(("actor:", "text:"))
            and hacktivist_name(c.subject)
        ):
            return True
    return False


def _types_told(
    types: Sequence[str],
    claims: Sequence[Claim],
    resolve: Callable[[str], Entity | None],
    hacktivist_name: Callable[[str], bool],
) -> list[str]:
    """The types shown, read for the doer. Hacktivists' operations whose effect is untold
    are disruptions (a site taken down or defaced), what such operations mostly are. For a
    state-linked doer, an operation against victims whose effect is untold, or a theft of
    data, is espionage, what such operations are for; an intrusion told as such stays one:
    the text says access, not what was done with it."""
    if not types and _hacktivist_doer(claims, resolve, hacktivist_name):
        return ["disruption"]
    if not _state_linked(claims, resolve):
        return list(types)
    if not types and any(c.kind == "targeting" for c in claims):
        return ["espionage"]
    if "data_theft" in types and "espionage" not in types:
        return [*types, "espionage"]
    return list(types)


def _title(
    draft: _Draft, incident_type: IncidentType | None, resolve: Callable[[str], Entity | None]
) -> str:
    actors = sorted(a for a in draft.anchors if a.startswith("actor:"))
    order = {"product": 0, "malware": 1, "tool": 2, "cve": 3}
    vectors = sorted(
        (a for a in draft.anchors if a.split(":", 1)[0] in order),
        key=lambda a: (order[a.split(":", 1)[0]], a),
    )

    accused = [
        c.subject
        for c in draft.claims
        if c.kind == "attribution" and c.subject and not c.subject.startswith(("actor:", "text:"))
    ]
    parts: list[str] = []
    if vectors:
        parts.append(", ".join(display_name(v, resolve) for v in vectors[:2]))
    if incident_type:
        parts.append(incident_type.replace("_", " "))
    responses = sorted({a.split(":")[1] for a in draft.anchors if a.startswith("response:")})
    if responses and not vectors:
        parts.append(" / ".join(responses))
    title = " ".join(parts) if parts else "cyber operation"
    who = [display_name(a, resolve) for a in actors[:2]] or [
        display_name(a, resolve) for a in dict.fromkeys(accused)
    ][:2]
    if who:
        title += " attributed to " + " and ".join(who)
    return title[:1].upper() + title[1:]


def _finish(
    article_id: str,
    index: int,
    draft: _Draft,
    published: date | None,
    resolve: Callable[[str], Entity | None],
    hacktivist_name: Callable[[str], bool],
) -> IncidentMention:
    claims = tuple(dict.fromkeys(draft.claims))
    incident_types = _incident_types(_types_told(draft.types, claims, resolve, hacktivist_name))
    incident_type = incident_types[0] if incident_types else None
    has_accuser = any(c.kind == "attribution" and c.accuser for c in claims)
    return IncidentMention(
        article_id=article_id,
        index=index,
        title=_title(draft, incident_type, resolve),
        claims=claims,
        keys=frozenset(draft.anchors),
        sentence_indices=tuple(sorted(draft.sentences)),
        incident_type=incident_type,
        incident_types=incident_types,
        mention_only=len(draft.sentences) <= 1 and not has_accuser,
        date=published,
    )
