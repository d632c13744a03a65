"""MISP galaxies -> merged threat-actor, malware, tool and sector drafts (one draft per real thing).

Contract: ``actor_drafts``/``software_drafts``/``sector_drafts`` read the JSON
shipped with pymispgalaxies (only the galaxies named here) and return drafts with
ids ``actor:<slug>``, ``malware:<slug>``, ``tool:<slug>``, ``sector:<MISP name>``.
Clusters of different galaxies are merged into one identity through equal names,
explicit ``similar``/``same-as`` relations, and a cluster's main name listed as a
synonym elsewhere; never through a shared synonym alone, never two clusters of the
same galaxy into one identity (that is what keeps bad aliases from gluing actors
into blobs).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pycountry

from cyberveille.kb.draft import Draft
from cyberveille.kb.entity import EntityKind
from cyberveille.kb.normalize import name_key, slugify
from cyberveille.kb.wordlist import is_ordinary_word

# Order = priority for the canonical name of a merged identity.
ACTOR_GALAXIES = (
    "threat-actor",
    "mitre-intrusion-set",
    "microsoft-activity-group",
    "mitre-mobile-attack-intrusion-set",
    "mitre-ics-groups",
    "360net-threat-actor",
    "tidal-groups",
)
SOFTWARE_GALAXIES = (
    "mitre-malware",
    "mitre-tool",
    "mitre-mobile-attack-malware",
    "ransomware",
    "tool",
    "malpedia",
)
KIND_ORDER = ("mitre-malware", "mitre-mobile-attack-malware", "malpedia", "mitre-tool")
_FILES = {"360net-threat-actor": "360net.json"}
_MITRE_SUFFIX = re.compile(r"\s+-\s+((?:MOB-)?[GS]\d{4})$")
_ATTACK_ID = re.compile(r"^(?:MOB-)?[GS]\d{4}$", re.IGNORECASE)
_MERGE_RELATIONS = {"similar", "same-as"}
_QUALIFIER = re.compile(r"\s+\([A-Za-z][A-Za-z ]*\)$")
# Galaxies that list each real actor/software once (MITRE ATT&CK, MISP threat-actor,
# Malpedia): two of their clusters never merge. The MISP ransomware galaxy is not one
# of them: it lists renamed families twice (REvil and Sodinokibi). Microsoft's galaxy keeps both
# the old element name and the new weather name of an actor (GADOLINIUM and
# Gingham Typhoon) as separate clusters, so it is not in this set.
_ONE_PER_IDENTITY = {
    "threat-actor",
    "mitre-intrusion-set",
    "mitre-malware",
    "mitre-tool",
    "mitre-mobile-attack-malware",
    "malpedia",
    "tidal-groups",
}


def galaxy_dir() -> Path:
    """Return the directory of the MISP galaxy cluster JSON files shipped with pymispgalaxies."""
    import pymispgalaxies

    return Path(pymispgalaxies.__file__).parent / "data" / "misp-galaxy" / "clusters"


def galaxies_version() -> str:
    """Return the installed pymispgalaxies version."""
    return metadata.version("pymispgalaxies")


@lru_cache(maxsize=32)
def load_galaxy(galaxy_type: str) -> dict[str, Any]:
    """Read one galaxy's cluster file.

    Why not ``pymispgalaxies.Clusters()``: it parses all ~100 galaxies (3-4 s)
    when we need a dozen; the files are the same data.

    Args:
        galaxy_type: the galaxy ``type`` (``threat-actor``, ``mitre-malware``...).

    Returns:
        The parsed JSON object (``values`` holds the clusters).
    """
    path = galaxy_dir() / _FILES.get(galaxy_type, f"{galaxy_type}.json")
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@dataclass
class _Cluster:
    galaxy: str
    uuid: str
    value: str
    names: list[str]
    synonyms: list[str]
    meta: dict[str, Any]
    related: list[str]
    mitre_id: str | None = None
    description: str = ""


@dataclass
class _Component:
    members: list[_Cluster] = field(default_factory=list)
    galaxies: set[str] = field(default_factory=set)


def _clusters(galaxies: Sequence[str]) -> list[_Cluster]:
    out: list[_Cluster] = []
    for galaxy in galaxies:
        for raw in load_galaxy(galaxy)["values"]:
            value = str(raw["value"]).strip()
            if "(fake)" in value.casefold() or "(deprecated)" in value.casefold():
                continue
            meta = dict(raw.get("meta") or {})
            mitre_id = meta.get("external_id") or meta.get("group_attack_id")
            if galaxy == "tidal-groups":  # a qualifier, not a name: "Anonymous (Collective)"
                value = _QUALIFIER.sub("", value) or value
            m = _MITRE_SUFFIX.search(value)
            if m:
                mitre_id = mitre_id or m.group(1)
                value = value[: m.start()].strip()
            names = [value]
            if galaxy == "360net-threat-actor" and " - " in value:
                names = [p.strip() for p in value.split(" - ") if p.strip()]
                value = names[0]
            if galaxy == "ransomware" and value.casefold().endswith(" ransomware"):
                names.append(value[: -len(" ransomware")].strip())
            related = [
                r["dest-uuid"]
                for r in raw.get("related") or []
                if r.get("type") in _MERGE_RELATIONS and r.get("dest-uuid")
            ]
            synonyms = [str(s).strip() for s in meta.get("synonyms") or [] if str(s).strip()]
            out.append(
                _Cluster(
                    galaxy=galaxy,
                    uuid=str(raw["uuid"]),
                    value=value,
                    names=names,
                    synonyms=synonyms,
                    meta=meta,
                    related=related,
                    mitre_id=str(mitre_id) if mitre_id else None,
                    description=str(raw.get("description") or ""),
                )
            )
    return out


def _hacktivist(cluster: _Cluster) -> bool:
    """The galaxy describes the actor as hacktivists (its ``motive``, else its text)."""
    motive = str(cluster.meta.get("motive") or "")
    return "hacktivis" in f"{motive} {cluster.description}".casefold()


# Words by which the galaxies' texts tell what a group's operations are for. A group
# described with both (APT41: "state-sponsored espionage and financially motivated") gets
# no motive: neither tells what one of its operations is.
_ESPIONAGE_WORDS = (
    "espionage",
    "intelligence gathering",
    "intelligence-gathering",
    "intelligence collection",
)
_FINANCIAL_WORDS = (
    "financially motivated",
    "financially-motivated",
    "financial gain",
    "financial theft",
    "cybercrim",
    "ransomware operat",
    "ransomware-as-a-service",
)


# Vendors' naming schemes that tell a financial motive: CrowdStrike's "... SPIDER"
# (eCrime), Microsoft's "... Tempest" (financially motivated), a name with "ransom" in it.
_FINANCIAL_NAMES = re.compile(r"(?i)\b(?:spider|tempest)\b|ransom")


def _motive(members: Sequence[_Cluster]) -> str | None:
    """ "espionage" or "financial" when the galaxies' motive, CFR incident type and
    descriptions of the actor tell one and not the other, or a vendor's naming scheme
    tells a financial motive."""
    text = " ".join(
        f"{c.meta.get('motive') or ''} {c.meta.get('cfr-type-of-incident') or ''} {c.description}"
        for c in members
    ).casefold()
    espionage = any(w in text for w in _ESPIONAGE_WORDS)
    financial = any(w in text for w in _FINANCIAL_WORDS) or any(
        _FINANCIAL_NAMES.search(n) for c in members for n in (*c.names, *c.synonyms)
    )
    if espionage != financial:
        return "espionage" if espionage else "financial"
    return None


def _usable(name: str, excluded: frozenset[str]) -> bool:
    """Whether a galaxy name may name an identity (and glue clusters together)."""
    key = name_key(name)
    if len(name.strip()) < 3 or len(key.replace(" ", "")) < 3 or key.isdigit():
        return False
    if _ATTACK_ID.match(name.strip()):
        return False
    return key not in excluded


# "Winnti Group" is written "Winnti" as often as not: the one distinctive word of a crew's
# own name, without its group noun, is a main name of that crew.
_CREW_NAME = re.compile(
    r"^(?:the\s+)?(?P<core>[^\W\d_][\w.]+)[\s-]+(?:group|team|gang|crew)$", re.IGNORECASE
)


def _short_form(name: str, words: frozenset[str]) -> str | None:
    """The word a crew named "X Group" also goes by, unless it is an ordinary word or an
    acronym (which other identities tend to share), else None."""
    found = _CREW_NAME.match(name.strip())
    if found is None:
        return None
    core = found.group("core")
    if core.isupper() or is_ordinary_word(core, words):
        return None
    return core


def _compact(name: str) -> str:
    """Merge key: the lookup key without spaces ("Trick Bot" and "TrickBot" are one name)."""
    return name_key(name).replace(" ", "")


def _merge(clusters: list[_Cluster], excluded: frozenset[str]) -> list[_Component]:
    """Union clusters into identities under the one-cluster-per-galaxy constraint."""
    parent = list(range(len(clusters)))
    comps = {i: _Component([c], {c.galaxy}) for i, c in enumerate(clusters)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra == rb or comps[ra].galaxies & comps[rb].galaxies & _ONE_PER_IDENTITY:
            return  # such a galaxy twice would mean two actors made one: refuse
        parent[rb] = ra
        comps[ra].members.extend(comps[rb].members)
        comps[ra].galaxies |= comps[rb].galaxies
        del comps[rb]

    by_value: dict[str, list[int]] = defaultdict(list)
    by_synonym: dict[str, list[int]] = defaultdict(list)
    by_uuid = {c.uuid: i for i, c in enumerate(clusters)}
    for i, c in enumerate(clusters):
        for n in c.names:
            if _usable(n, excluded):
                by_value[_compact(n)].append(i)
        for s in c.synonyms:
            if _usable(s, excluded):
                by_synonym[_compact(s)].append(i)
    # 1. equal main names across galaxies (strongest evidence).
    for idx in by_value.values():
        for j in idx[1:]:
            union(idx[0], j)
    # 2. explicit similar / same-as relations.
    for i, c in enumerate(clusters):
        for dest in c.related:
            if dest in by_uuid:
                union(i, by_uuid[dest])
    # 3. a cluster's main name listed as another cluster's synonym. Only when the
    # name is the main name of clusters in one identity and a synonym of clusters in
    # one identity; a synonym shared by several identities glues nothing.
    # (A cluster that repeats its own name among its synonyms does not count as a holder.)
    for key, idx in by_value.items():
        owners = {find(j) for j in idx}
        holders = {find(j) for j in by_synonym.get(key, [])} - owners
        if len(owners) == 1 and len(holders) == 1:
            union(idx[0], next(iter(holders)))
    # 4. the same ATT&CK id, as an id (Tidal lists ATT&CK groups under their ids) or as a
    # synonym ("G0078"), names the ATT&CK cluster itself.
    by_attack_id: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(clusters):
        ids = {s.strip().upper() for s in c.synonyms if _ATTACK_ID.match(s.strip())}
        if c.mitre_id:
            ids.add(c.mitre_id.upper())
        for attack_id in ids:
            by_attack_id[attack_id].append(i)
    for idx in by_attack_id.values():
        for j in idx[1:]:
            union(idx[0], j)
    return list(comps.values())


def _country_code(name: str | None) -> str | None:
    if not name:
        return None
    if len(name) == 2 and name.isupper():
        return name
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        try:
            return str(pycountry.countries.search_fuzzy(name)[0].alpha_2)
        except LookupError:
            return None


def _primary_name(comp: _Component, rank: dict[str, int], excluded: frozenset[str]) -> str | None:
    """The name an identity is shown under: the first usable main name, best galaxy first."""
    members = sorted(comp.members, key=lambda c: rank[c.galaxy])
    return next((n for c in members for n in c.names if _usable(n, excluded)), None)


def _drafts(
    components: Iterable[_Component],
    galaxies: Sequence[str],
    prefix_kind: dict[str, EntityKind] | None,
    default_kind: EntityKind,
    excluded: frozenset[str],
    words: frozenset[str],
    kind_order: Sequence[str] = (),
) -> list[Draft]:
    rank = {g: i for i, g in enumerate(galaxies)}
    kind_rank = {g: i for i, g in enumerate(kind_order)}
    # Who may use a name in the matcher: the identity where it is a main name in most
    # clusters, then the one listing it as a synonym most often, then the identity with
    # the most clusters (the better documented one), then the first. A name always has one
    # owner: leaving a shared name to no one ("Andariel", "APT34") would lose the actor.
    # ``lookup`` still lists every identity with the name.
    score: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    comps = list(components)
    shorts: dict[int, str] = {}
    for ci, comp in enumerate(comps):
        primary = _primary_name(comp, rank, excluded)
        short = _short_form(primary, words) if primary and default_kind == "threat_actor" else None
        if short and _usable(short, excluded):
            shorts[ci] = short
            score[name_key(short)][ci][0] += 1
        for c in comp.members:
            for n in c.names:
                score[name_key(n)][ci][0] += 1
            for s in c.synonyms:
                score[name_key(s)][ci][1] += 1
    owner: dict[str, int] = {
        key: max(holders, key=lambda i: (*holders[i], len(comps[i].members), -i))
        for key, holders in score.items()
    }
    drafts: list[Draft] = []
    used_ids: set[str] = set()
    for ci, comp in enumerate(comps):
        members = sorted(comp.members, key=lambda c: rank[c.galaxy])
        usable_names = [n for c in members for n in c.names if _usable(n, excluded)]
        if not usable_names:
            continue
        name = usable_names[0]
        kind = default_kind
        if prefix_kind:
            deciding = sorted(members, key=lambda c: kind_rank.get(c.galaxy, len(kind_rank)))
            for c in deciding:
                if c.galaxy in prefix_kind:
                    kind = prefix_kind[c.galaxy]
                    break
        prefix = {"threat_actor": "actor"}.get(kind, kind)
        # the id comes from the first name written in Latin letters ("毒云藤" -> APT-C-01)
        slug = next((slugify(n) for n in usable_names if slugify(n) != "x"), "x")
        ident = f"{prefix}:{slug}"
        suffix = 2
        while ident in used_ids:
            ident = f"{prefix}:{slug}-{suffix}"
            suffix += 1
        used_ids.add(ident)
        d = Draft(id=ident, kind=kind, name=name)
        if ci in shorts:
            d.add(shorts[ci], "alias", ambiguous=False)
        for c in members:
            for alias in [*c.names, *c.synonyms]:
                if not _usable(alias, excluded):
                    continue
                d.add(alias, "alias", ambiguous=is_ordinary_word(alias, words))
            d.refs.append(f"{c.galaxy}:{c.uuid}")
            if (
                c.mitre_id
                and not d.mitre_id
                and c.galaxy != "tidal-groups"
                and not c.mitre_id.startswith("APT")
            ):
                d.mitre_id = c.mitre_id
            country = c.meta.get("country")
            if isinstance(country, str) and len(country) == 2 and not d.country:
                d.country = country.upper()
            sponsor = c.meta.get("cfr-suspected-state-sponsor")
            if isinstance(sponsor, str) and sponsor and "suspected_state_sponsor" not in d.attrs:
                d.attrs["suspected_state_sponsor"] = sponsor
            if _hacktivist(c) and "motive" not in d.attrs:
                d.attrs["motive"] = "hacktivism"
        if kind == "threat_actor" and "motive" not in d.attrs:
            motive = _motive(members)
            if motive:
                d.attrs["motive"] = motive
        if not d.country and "suspected_state_sponsor" in d.attrs:
            d.country = _country_code(d.attrs["suspected_state_sponsor"])
        if is_ordinary_word(d.name, words):
            d.ambiguous.add(d.name)
        for alias in d.forms:
            if owner.get(name_key(alias), ci) != ci:
                d.lookup_only.add(alias)
        drafts.append(d)
    return drafts


def actor_drafts(excluded: frozenset[str], words: frozenset[str]) -> list[Draft]:
    """Return one draft per threat actor merged across the actor galaxies.

    Args:
        excluded: folded names never usable as actor names (countries, demonyms).
        words: folded dictionary for the ordinary-word test.

    Returns:
        Drafts of kind ``threat_actor``.
    """
    comps = _merge(_clusters(ACTOR_GALAXIES), excluded)
    return _drafts(comps, ACTOR_GALAXIES, None, "threat_actor", excluded, words)


def software_drafts(
    excluded: frozenset[str], words: frozenset[str], tool_names: Iterable[str] = ()
) -> list[Draft]:
    """Return malware and tool drafts merged across the software galaxies.

    Kind follows ATT&CK when the identity is in it (mitre-malware -> malware,
    mitre-tool -> tool), else malware; ``tool_names`` forces kind ``tool``
    (curated: Cobalt Strike, Mimikatz... that ATT&CK files as malware or that
    news treat as dual-use tools).

    Args:
        excluded: folded names never usable (countries, demonyms).
        words: folded dictionary for the ordinary-word test.
        tool_names: names whose identity is a tool whatever the galaxies say.

    Returns:
        Drafts of kind ``malware`` or ``tool``.
    """
    comps = _merge(_clusters(SOFTWARE_GALAXIES), excluded)
    kinds: dict[str, EntityKind] = {
        "mitre-malware": "malware",
        "mitre-mobile-attack-malware": "malware",
        "malpedia": "malware",
        "mitre-tool": "tool",
    }
    # Malpedia, a curated encyclopedia of malware families, comes before mitre-tool in
    # the kind decision: Cobalt Strike or QuasarRAT are malware families there, while
    # software only ATT&CK lists as a tool (PsExec, AdFind, certutil) stays a tool.
    drafts = _drafts(comps, SOFTWARE_GALAXIES, kinds, "malware", excluded, words, KIND_ORDER)
    forced = {name_key(n) for n in tool_names}
    for d in drafts:
        if d.kind != "tool" and any(name_key(a) in forced for a in d.forms):
            d.kind = "tool"
            d.id = "tool:" + d.id.split(":", 1)[1]
    return drafts


def sector_drafts() -> list[Draft]:
    """Return one draft per MISP ``sector`` galaxy value (id ``sector:<value>``).

    Returns:
        Drafts of kind ``sector`` with the galaxy synonyms as aliases; single-word
        names are flagged ambiguous (most sector words are ordinary words).
    """
    out: list[Draft] = []
    for raw in load_galaxy("sector")["values"]:
        value = str(raw["value"])
        if value in {"Unknown", "Other", "Country"}:
            continue
        d = Draft(id=f"sector:{value}", kind="sector", name=value)
        d.refs.append(f"sector:{raw['uuid']}")
        for s in (raw.get("meta") or {}).get("synonyms") or []:
            d.add(str(s), "alias")
        out.append(d)
    return out
