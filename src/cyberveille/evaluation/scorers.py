"""Per-set scorers: gold records + predictions -> the README's per-field and grouping figures."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cyberveille.evaluation.gold import GoldRecord
from cyberveille.evaluation.metrics import (
    Counts,
    bcubed,
    keys_overlap,
    macro_f1,
    match_items,
    match_keysets,
    pairwise,
)
from cyberveille.evaluation.normalise import (
    ACTOR_KINDS,
    KBLike,
    country_iso2,
    country_names,
    cve_ids,
    entity_keys,
    figure_keys,
    name_forms,
    name_keys,
    norm,
    norm_words,
    parse_eurepoc_actor,
    text_mentions,
)
from cyberveille.evaluation.predictions import (
    DocumentPrediction,
    Facts,
    document_facts,
    mention_facts,
)
from cyberveille.kb.wordlist import ordinary_words

KeyItems = list[frozenset[str]]

# --- mappings ------------------------------------------------------------------------

#: Our incident types -> EuRepoC incident types. EuRepoC's "Hijacking with/without Misuse"
#: is taking control of systems (used further, or not); its coders record an espionage
#: intrusion as the takeover and the theft together, and a ransomware attack as the
#: takeover, the encryption (disruption) and the ransom, and a wiper as the takeover and
#: the destruction; our supply_chain and mass_exploitation are takeovers that are then
#: used, and spyware is one used to take what the device holds (messages, contacts,
#: recordings), as espionage is; phishing steals data. Extortion (a ransom demanded,
#: nothing encrypted) has no EuRepoC type of its own.
EUREPOC_INCIDENT_TYPE: dict[str, tuple[str, ...]] = {
    "espionage": ("Data theft", "Hijacking with Misuse"),
    "data_theft": ("Data theft",),
    "phishing": ("Data theft",),
    "hack_and_leak": ("Data theft & Doxing",),
    "ransomware": ("Ransomware", "Disruption", "Hijacking with Misuse"),
    "disruption": ("Disruption",),
    "wiper": ("Disruption", "Hijacking with Misuse"),
    "defacement": ("Disruption",),
    "supply_chain": ("Hijacking with Misuse",),
    "mass_exploitation": ("Hijacking with Misuse",),
    "spyware": ("Data theft", "Hijacking with Misuse"),
    "intrusion": ("Hijacking without Misuse",),
}

#: EuRepoC incident types of which the first subsumes the second: "Data theft & Doxing"
#: is a theft whose data were published, "Hijacking with Misuse" a takeover that was used;
#: its coders never record both of a pair.
EUREPOC_SUBSUMED: tuple[tuple[str, str], ...] = (
    ("Data theft & Doxing", "Data theft"),
    ("Hijacking with Misuse", "Hijacking without Misuse"),
)


def eurepoc_incident_types(types: Iterable[str]) -> list[str]:
    """Our incident types of one document -> EuRepoC's, without a type subsumed by another."""
    mapped = {e for t in types for e in EUREPOC_INCIDENT_TYPE.get(t, ())}
    for wider, narrower in EUREPOC_SUBSUMED:
        if wider in mapped:
            mapped.discard(narrower)
    return sorted(mapped)


#: EuRepoC attribution types (and their "+"-joined combinations) -> ours. Types that say
#: nothing ("Attribution given, type unclear", "Not available") map to no label.
EUREPOC_ATTRIBUTION_TYPE: dict[str, tuple[str, ...]] = {
    "political_statement": ("political_statement",),
    "indictment": ("indictment",),
    "sanctions": ("sanctions",),
    "technical_report": ("technical_report",),
    "media_report": ("media_report",),
    "media_named_source": ("media_report",),
    "media_anonymous_source": ("media_report",),
    "self_attribution": ("self_attribution",),
}

#: Our incident types -> CASIE event types (types without a CASIE counterpart map to none).
CASIE_EVENT_TYPE: dict[str, str] = {
    "ransomware": "Ransom",
    "extortion": "Ransom",
    "data_theft": "Databreach",
    "hack_and_leak": "Databreach",
    "espionage": "Databreach",
    "phishing": "Phishing",
    "intrusion": "Databreach",
}

#: Response-claim text cues -> CASIE vulnerability event types.
CASIE_RESPONSE_CUES: tuple[tuple[str, str], ...] = (
    ("patch", "PatchVulnerability"),
    ("update", "PatchVulnerability"),
    ("fix", "PatchVulnerability"),
    ("disclos", "DiscoverVulnerability"),
    ("advisory", "DiscoverVulnerability"),
    ("discover", "DiscoverVulnerability"),
)

ANNOCTR_KINDS: dict[str, tuple[str, ...]] = {
    "GROUP": ("threat_actor",),
    "MALWARE": ("malware", "tool"),
    "TOOL": ("tool", "malware"),
}
_PREFIX_TYPE = {"actor": "GROUP", "malware": "MALWARE", "tool": "TOOL"}
_KIND_TYPE = {"threat_actor": "GROUP", "malware": "MALWARE", "tool": "TOOL"}
_LINK_FAMILY = {"G": "groups", "S": "software"}

INCIDENT_FIELDS = (
    "actors",
    "sponsor_states",
    "sponsor_agencies",
    "accusers",
    "victim_countries",
    "sectors",
    "victims",
    "vulnerabilities",
    "malware",
    "figures",
    "hedged",
)
#: Fields whose overlap aligns a gold incident with a predicted incident mention.
ALIGNMENT_FIELDS = (
    "actors",
    "vulnerabilities",
    "malware",
    "sponsor_states",
    "sponsor_agencies",
    "victims",
    "victim_countries",
    "sectors",
    "accuser_types",
    "figures",
)


# --- helpers -------------------------------------------------------------------------


def dedupe(items: Iterable[frozenset[str]]) -> KeyItems:
    """Merge items that share a key (the same thing named twice), dropping empty ones."""
    merged: KeyItems = []
    for item in items:
        if not item:
            continue
        overlapping = [m for m in merged if keys_overlap(m, item)]
        if overlapping:
            union = item.union(*overlapping)
            merged = [m for m in merged if m not in overlapping] + [union]
        else:
            merged.append(item)
    return merged


@dataclass
class FieldTally:
    """Accumulators of one set: raw counts per field and, where defined, the 'supported' ones."""

    raw: dict[str, Counts] = field(default_factory=dict)
    supported: dict[str, Counts] = field(default_factory=dict)

    def add(
        self, name: str, tp: int, predicted: int, gold: int, tp_predicted: int | None = None
    ) -> None:
        """Add one document's raw counts to a field."""
        self.raw.setdefault(name, Counts()).add(tp, predicted, gold, tp_predicted)

    def add_supported(
        self, name: str, tp: int, predicted: int, gold: int, tp_predicted: int | None = None
    ) -> None:
        """Add one document's counts restricted to text-supported gold values."""
        self.supported.setdefault(name, Counts()).add(tp, predicted, gold, tp_predicted)

    def add_keysets(
        self,
        name: str,
        gold: KeyItems,
        predicted: KeyItems,
        *,
        supported: Sequence[bool] | None = None,
        ignore: frozenset[str] = frozenset(),
        any_alias: bool = False,
    ) -> None:
        """Match key-set items one-to-one and add the counts.

        Args:
            name: the field.
            gold: gold items.
            predicted: predicted items.
            supported: per gold item, whether the text supports it (adds a supported tally).
            ignore: keys of gold things that are neither right nor wrong to predict; an
                unmatched predicted item with such a key is not counted.
            any_alias: a gold item is a list of aliases that may name several identities
                ("Axiom/APT17/..."): a prediction is right when it shares a key with any
                gold item, and a gold item is found when any prediction does.
        """
        if any_alias:
            self._add_any_alias(name, gold, predicted, supported, ignore)
            return
        m = match_keysets(gold, predicted)
        matched_pred = {j for _, j in m.pairs}
        ignored = {
            j
            for j, p in enumerate(predicted)
            if j not in matched_pred and ignore and keys_overlap(p, ignore)
        }
        n_pred = len(predicted) - len(ignored)
        self.add(name, m.tp, n_pred, len(gold))
        if supported is not None:
            tp_s = sum(1 for i, _ in m.pairs if supported[i])
            unsupported_hits = m.tp - tp_s
            self.add_supported(name, tp_s, n_pred - unsupported_hits, sum(supported))

    def _add_any_alias(
        self,
        name: str,
        gold: KeyItems,
        predicted: KeyItems,
        supported: Sequence[bool] | None,
        ignore: frozenset[str],
    ) -> None:
        hits = {
            j: {i for i, g in enumerate(gold) if keys_overlap(p, g)}
            for j, p in enumerate(predicted)
        }
        right = [j for j, found in hits.items() if found]
        counted = [
            j
            for j, p in enumerate(predicted)
            if hits[j] or not (ignore and keys_overlap(p, ignore))
        ]
        found_gold: set[int] = set().union(*hits.values()) if hits else set()
        self.add(name, len(found_gold), len(counted), len(gold), len(right))
        if supported is not None:
            # a prediction right only for gold the text does not support is not counted
            only_unsupported = [j for j in right if not any(supported[i] for i in hits[j])]
            self.add_supported(
                name,
                sum(1 for i in found_gold if supported[i]),
                len(counted) - len(only_unsupported),
                sum(supported),
                len(right) - len(only_unsupported),
            )

    def as_fields(self) -> dict[str, dict[str, Any]]:
        """The README ``fields`` object, with ``supported`` nested where computed."""
        out: dict[str, dict[str, Any]] = {}
        for name, counts in self.raw.items():
            entry: dict[str, Any] = counts.as_dict()
            if name in self.supported:
                entry["supported"] = self.supported[name].as_dict()
            out[name] = entry
        return out


def _get_list(obj: Mapping[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    return list(value) if isinstance(value, list) else []


def _iso_items(names: Iterable[Any]) -> KeyItems:
    out: KeyItems = []
    for name in names:
        if isinstance(name, str):
            iso = name.upper() if re.fullmatch(r"[A-Za-z]{2}", name.strip()) else country_iso2(name)
            if iso:
                out.append(frozenset({f"iso:{iso}"}))
    return dedupe(out)


def _iso_pred(codes: Iterable[str]) -> KeyItems:
    return [frozenset({f"iso:{c.upper()}"}) for c in sorted(set(codes))]


def _ids_pred(ids: Iterable[str], kb: KBLike | None) -> KeyItems:
    return dedupe(entity_keys(i, kb) for i in sorted(set(ids)))


def _names(entity_id: str, kb: KBLike | None) -> list[str]:
    prefix, _, rest = entity_id.partition(":")
    entity = kb.get(entity_id) if kb is not None and prefix not in {"text", "org"} else None
    if entity is not None:
        return [entity.name, *entity.aliases]
    return [rest.replace("-", " ")] if rest else []


def _without_determiners(words: str) -> str:
    """Normalised words less the determiners they open with ("the county" -> "county"):
    an article is no part of a name, as :func:`is_named` reads it."""
    parts = words.split()
    while len(parts) > 1 and parts[0] in _DETERMINERS:
        parts = parts[1:]
    return " ".join(parts)


def _contains(gold: str, pred_names: Sequence[str]) -> bool:
    """One name holds the other as whole words, leading determiners aside ("the county" /
    "Madison County"), or they are one name spaced differently ("The Dark Overlord" /
    "TheDarkOverlord")."""
    full = norm_words(gold)
    g = f" {_without_determiners(full)} "
    compact = {full.replace(" ", ""), g.replace(" ", "")}
    for name in pred_names:
        p_full = norm_words(name)
        p = _without_determiners(p_full)
        if len(p) < 3 or len(g.strip()) < 3:
            continue
        if (
            f" {p} " in g
            or g in f" {p} "
            or {p_full.replace(" ", ""), p.replace(" ", "")} & compact
        ):
            return True
    return False


def _fields_result(documents: int, tally: FieldTally) -> dict[str, Any]:
    return {"documents": documents, "fields": tally.as_fields()}


# --- sets with gold.incidents (seeds) ------------------------------------------------


def gold_incident_items(incident: Mapping[str, Any], kb: KBLike | None) -> dict[str, KeyItems]:
    """Key items per field for one gold incident (or, merged, for a document)."""
    items: dict[str, KeyItems] = {}
    actors: KeyItems = []
    for actor in _get_list(incident, "actors"):
        names = (
            [actor]
            if isinstance(actor, str)
            else [str(v) for k, v in actor.items() if k in {"surface", "canonical", "name"} and v]
        )
        actors.append(name_keys(names, kb, ACTOR_KINDS))
    items["actors"] = dedupe(actors)
    items["sponsor_states"] = _iso_items(_get_list(incident, "sponsor_states"))
    items["sponsor_agencies"] = dedupe(
        name_keys([a], kb, ("agency",)) for a in _get_list(incident, "sponsor_agencies") if a
    )
    accusers: KeyItems = []
    types: KeyItems = []
    for acc in _get_list(incident, "accusers"):
        if not isinstance(acc, dict):
            continue
        country = str(acc.get("country") or "").strip()
        iso = country.upper() if len(country) == 2 or country.upper() in {"EU", "NATO"} else None
        iso = iso or (country_iso2(country) if country else None)
        kind = str(acc.get("type") or "unknown")
        if iso:
            accusers.append(frozenset({f"acc:{iso}|{kind}"}))
        types.append(frozenset({f"type:{kind}"}))
    items["accusers"] = dedupe(accusers)
    items["accuser_types"] = dedupe(types)
    items["victim_countries"] = _iso_items(_get_list(incident, "victim_countries"))
    items["sectors"] = dedupe(
        frozenset({f"sector:{s.strip().casefold()}"})
        for s in _get_list(incident, "sectors")
        if isinstance(s, str)
    )
    items["victims"] = dedupe(
        name_keys([v if isinstance(v, str) else str(v.get("name") or v.get("text") or "")], None)
        for v in _get_list(incident, "victims")
    )
    items["vulnerabilities"] = dedupe(
        name_keys([v], kb, ("product",)) for v in _get_list(incident, "vulnerabilities") if v
    )
    items["malware"] = dedupe(
        name_keys([v], kb, ("malware", "tool")) for v in _get_list(incident, "malware") if v
    )
    items["figures"] = [
        figure_keys(f.get("value"), f.get("unit"), predicted=False)
        for f in _get_list(incident, "figures")
        if isinstance(f, dict)
    ]
    items["hedged"] = [frozenset({"hedged"})] if incident.get("hedged") else []
    return items


def predicted_incident_items(facts: Facts, kb: KBLike | None) -> dict[str, KeyItems]:
    """Key items per field for predicted facts."""
    return {
        "actors": _ids_pred(facts.actors, kb),
        "sponsor_states": _iso_pred(facts.sponsor_states),
        "sponsor_agencies": _ids_pred(facts.sponsor_agencies, kb),
        "accusers": [frozenset({f"acc:{c}|{t}"}) for c, t in sorted(facts.accusers)],
        "accuser_types": [frozenset({f"type:{t}"}) for t in sorted(set(facts.attribution_types))],
        "victim_countries": _iso_pred(facts.victim_countries),
        "sectors": [frozenset({f"sector:{s.casefold()}"}) for s in sorted(facts.sectors)],
        "victims": _ids_pred(facts.victims, None),
        "vulnerabilities": _ids_pred(facts.vulnerabilities, kb),
        "malware": _ids_pred(facts.malware, kb),
        "figures": [
            figure_keys(v, u, predicted=True)
            for v, u in sorted(facts.figures, key=lambda f: (str(f[1]), f[0] or 0.0))
        ],
        "hedged": [frozenset({"hedged"})] if facts.hedged else [],
    }


def merge_items(per_incident: Sequence[Mapping[str, KeyItems]]) -> dict[str, KeyItems]:
    """Document-level gold: the union of the incidents' items, merged per field.

    Figures are kept per occurrence; ``hedged`` is one fact, true if any incident is hedged.
    """
    out: dict[str, KeyItems] = {}
    for name in (*INCIDENT_FIELDS, "accuser_types"):
        all_items = [item for inc in per_incident for item in inc.get(name, [])]
        if name == "figures":
            out[name] = list(dict.fromkeys(all_items))
        elif name == "hedged":
            out[name] = [frozenset({"hedged"})] if all_items else []
        else:
            out[name] = dedupe(all_items)
    return out


def alignment_score(gold: Mapping[str, KeyItems], pred: Mapping[str, KeyItems]) -> int:
    """How many gold facts of the alignment fields a predicted mention has."""
    return sum(match_keysets(gold.get(f, []), pred.get(f, [])).tp for f in ALIGNMENT_FIELDS)


def align_incidents(
    incidents: Sequence[Mapping[str, KeyItems]],
    mentions: Sequence[tuple[str, Mapping[str, KeyItems]]],
) -> list[tuple[int, str | None]]:
    """Align each gold incident of a document with its best predicted incident mention.

    Args:
        incidents: gold items per incident.
        mentions: (cluster label, predicted items) per predicted incident mention, in order.

    Returns:
        Per gold incident: (overlap score, cluster label of the best mention), label None
        when no mention shares a fact (score 0). Ties go to the earlier mention; several
        gold incidents may align with the same mention.
    """
    out: list[tuple[int, str | None]] = []
    for gold in incidents:
        best_score, best_label = 0, None
        for label, pred in mentions:
            score = alignment_score(gold, pred)
            if score > best_score:
                best_score, best_label = score, label
        out.append((best_score, best_label))
    return out


def score_incident_set(
    records: Sequence[GoldRecord],
    predictions: Mapping[str, DocumentPrediction],
    kb: KBLike | None,
) -> dict[str, Any]:
    """Score a set whose gold lists incidents per document (seeds).

    Args:
        records: the set's gold records.
        predictions: predictions by record id.
        kb: the knowledge base.

    Returns:
        ``{"documents", "fields", "grouping"}`` as in the README.
    """
    tally = FieldTally()
    gold_labels: dict[tuple[str, int], str] = {}
    pred_labels: dict[tuple[str, int], str] = {}
    alignment: list[dict[str, Any]] = []
    for record in records:
        pred = predictions.get(record.id) or DocumentPrediction(record.id, record.text)
        incidents = [i for i in _get_list(record.gold, "incidents") if isinstance(i, dict)]
        gold_per_incident = [gold_incident_items(i, kb) for i in incidents]
        gold_doc = merge_items(gold_per_incident)
        pred_doc = predicted_incident_items(document_facts(pred, kb), kb)
        all_tp = all_pred = all_gold = 0
        for name in INCIDENT_FIELDS:
            m = match_keysets(gold_doc[name], pred_doc[name])
            tally.add(name, m.tp, m.n_pred, m.n_gold)
            all_tp, all_pred, all_gold = all_tp + m.tp, all_pred + m.n_pred, all_gold + m.n_gold
        tally.add("all", all_tp, all_pred, all_gold)
        # grouping: items are (document, gold incident)
        mention_items = [
            (m.incident_id or f"mention:{m.id}", predicted_incident_items(mention_facts(m, kb), kb))
            for m in pred.incident_mentions
        ]
        for idx, (incident, (score, label)) in enumerate(
            zip(incidents, align_incidents(gold_per_incident, mention_items), strict=True)
        ):
            item = (record.id, idx)
            gold_labels[item] = str(incident.get("event_key") or f"{record.id}#{idx}")
            pred_labels[item] = label if label is not None else f"singleton:{record.id}#{idx}"
            alignment.append(
                {
                    "document": record.id,
                    "event_key": gold_labels[item],
                    "incident": label,
                    "overlap": score,
                }
            )
    result = _fields_result(len(records), tally)
    result["grouping"] = grouping_scores(gold_labels, pred_labels)
    result["grouping"]["alignment"] = alignment
    return result


def grouping_scores(
    gold: Mapping[tuple[str, int], str], predicted: Mapping[tuple[str, int], str]
) -> dict[str, Any]:
    """B-cubed and pairwise scores of the predicted clustering of (document, incident) items."""
    bp, br, bf = bcubed(gold, predicted)
    pp, pr, pf, gold_pairs, pred_pairs = pairwise(gold, predicted)
    return {
        "items": len(gold),
        "gold_clusters": len(set(gold.values())),
        "predicted_clusters": len(set(predicted.values())),
        "unaligned": sum(1 for v in predicted.values() if v.startswith("singleton:")),
        "bcubed_precision": round(bp, 4),
        "bcubed_recall": round(br, 4),
        "bcubed_f1": round(bf, 4),
        "pairwise_precision": round(pp, 4),
        "pairwise_recall": round(pr, 4),
        "pairwise_f1": round(pf, 4),
        "gold_pairs": gold_pairs,
        "predicted_pairs": pred_pairs,
    }


# --- EuRepoC -------------------------------------------------------------------------


def _kb_ids_in_text(text: str, kb: KBLike | None) -> set[str]:
    if kb is None:
        return set()
    try:
        return {m.entity_id for m in kb.match(text)}
    except Exception:  # a KB failure must not stop the evaluation
        return set()


def _country_supported(iso: str, text: str, kb_ids: set[str]) -> bool:
    return f"country:{iso}" in kb_ids or iso in kb_ids or text_mentions(text, country_names(iso))


def eurepoc_attribution_labels(types: Iterable[Any]) -> frozenset[str]:
    """Our attribution types for EuRepoC attribution type strings (combinations split)."""
    labels: set[str] = set()
    for raw in types:
        if not isinstance(raw, str):
            continue
        parts = re.split(r"\+|\band\b|/", raw)
        for part in parts:
            key = part.strip().casefold().replace(" ", "_")
            if key in EUREPOC_ATTRIBUTION_TYPE:
                labels.update(EUREPOC_ATTRIBUTION_TYPE[key])
            elif "indictment" in key:
                labels.add("indictment")
            elif "sanction" in key:
                labels.add("sanctions")
            elif "media" in key:
                labels.add("media_report")
    return frozenset(labels)


def primary_label(labels: Sequence[str]) -> str | None:
    """The most frequent label (ties: the first seen)."""
    if not labels:
        return None
    counts = Counter(labels)
    best = max(counts.values())
    return next(lab for lab in labels if counts[lab] == best)


def score_eurepoc(
    records: Sequence[GoldRecord],
    predictions: Mapping[str, DocumentPrediction],
    kb: KBLike | None,
) -> dict[str, Any]:
    """Score EuRepoC records: actors, actor/victim countries, incident and attribution types.

    Actors: each gold actor string is one fact, found when a predicted ``actor:*`` (or
    accused ``agency:*``) shares a KB identity, a name/alias or the MITRE id with one of
    its aliases; a predicted actor is right when it is one of the aliases of any gold
    string (one string may list several KB identities: "Axiom/APT17/..."), and a
    predicted agency that is the gold actor's sponsor (the parenthesised part) is neither
    right nor wrong. ``actors_named`` scores the same on the incidents whose text names a
    coded actor only (the issue's scope): there, a predicted actor counts against
    precision, whereas in a summary whose coders recorded no actor ("Killnet took
    responsibility" coded "Not available") nothing says whether it is wrong. Countries:
    ISO2 (regions other than EU/NATO are not countries and are not scored). The
    ``supported`` figures count only gold values named in the text (an alias, a KB match,
    or a country name/demonym found by ``kb.match``).
    ``country_mentions``: the ISO codes of every country mention in the text (names,
    demonyms, capitals) against the coded actor and victim countries the text names; a
    country named for another reason counts against precision, so precision is a lower
    bound of resolution precision and recall an upper bound of it.

    Args:
        records: the set's records.
        predictions: predictions by record id.
        kb: the knowledge base.

    Returns:
        ``{"documents", "fields"}``; ``attribution_type`` also has accuracy, macro_f1 and
        coverage over documents with both a gold and a predicted type.
    """
    tally = FieldTally()
    type_pairs: list[tuple[frozenset[str], frozenset[str]]] = []
    incident_pairs: list[tuple[frozenset[str], frozenset[str]]] = []
    correct = with_gold = 0
    for record in records:
        gold = record.gold
        pred = predictions.get(record.id) or DocumentPrediction(record.id, record.text)
        facts = document_facts(pred, kb)
        kb_ids = _kb_ids_in_text(record.text, kb)

        # actors
        gold_actors: KeyItems = []
        supported: list[bool] = []
        sponsor_keys: set[str] = set()
        for value in _get_list(gold, "actors"):
            parsed = parse_eurepoc_actor(value) if isinstance(value, str) else None
            if parsed is None or not parsed.aliases:
                if parsed is not None:
                    sponsor_keys |= name_keys(parsed.sponsors, kb, ("agency",))
                continue
            keys = name_keys(parsed.aliases, kb, ACTOR_KINDS)
            sponsor_keys |= name_keys(parsed.sponsors, kb, ("agency",))
            if any(keys_overlap(keys, g) for g in gold_actors):
                continue
            gold_actors.append(keys)
            ids = {k[3:] for k in keys if k.startswith("id:")}
            supported.append(bool(ids & kb_ids) or text_mentions(record.text, parsed.aliases))
        pred_actor_ids = facts.actors | {a for a in facts.other_accused if a.startswith("agency:")}
        pred_actors = _ids_pred(pred_actor_ids, kb)
        for name in ("actors", "actors_named") if any(supported) else ("actors",):
            tally.add_keysets(
                name,
                gold_actors,
                pred_actors,
                supported=supported,
                ignore=frozenset(sponsor_keys),
                any_alias=True,
            )

        # countries
        actor_countries = set(facts.sponsor_states)
        for actor_id in facts.actors:
            entity = kb.get(actor_id) if kb is not None else None
            if entity is not None and entity.country:
                actor_countries.add(entity.country.upper())
        for name, predicted_codes in (
            ("actor_countries", actor_countries),
            ("victim_countries", facts.victim_countries),
        ):
            gold_items = _iso_items(_get_list(gold, name))
            codes = [next(iter(i))[4:] for i in gold_items]
            tally.add_keysets(
                name,
                gold_items,
                _iso_pred(predicted_codes),
                supported=[_country_supported(c, record.text, kb_ids) for c in codes],
            )

        # country mentions: every country the text names (names, demonyms, capitals)
        # resolved to its ISO code, against the coded actor and victim countries the text
        # names (a country named for another reason counts as a false positive)
        coded = {
            next(iter(i))[4:]
            for name in ("actor_countries", "victim_countries")
            for i in _iso_items(_get_list(gold, name))
        }
        named = sorted(c for c in coded if _country_supported(c, record.text, kb_ids))
        mentioned = {
            m.canonical_id.split(":", 1)[1]
            for m in pred.mentions
            if m.kind == "country" and m.canonical_id and m.canonical_id.startswith("country:")
        }
        tally.add_keysets(
            "country_mentions", [frozenset({f"iso:{c}"}) for c in named], _iso_pred(mentioned)
        )

        # incident type
        gold_types = [frozenset({f"type:{t}"}) for t in _get_list(gold, "incident_type") if t]
        pred_types = eurepoc_incident_types(facts.incident_types)
        tally.add_keysets(
            "incident_type", dedupe(gold_types), [frozenset({f"type:{t}"}) for t in pred_types]
        )
        incident_pairs.append(
            (
                frozenset(next(iter(g)) for g in gold_types),
                frozenset(f"type:{t}" for t in pred_types),
            )
        )

        # attribution type
        gold_attr = eurepoc_attribution_labels(
            a.get("type") for a in _get_list(gold, "attributions") if isinstance(a, dict)
        )
        pred_attr = frozenset(facts.attribution_types)
        tally.add_keysets(
            "attribution_type",
            [frozenset({t}) for t in sorted(gold_attr)],
            [frozenset({t}) for t in sorted(pred_attr)],
        )
        if gold_attr:
            with_gold += 1
            if pred_attr:
                type_pairs.append((gold_attr, pred_attr))
                if primary_label(facts.attribution_types) in gold_attr:
                    correct += 1
    result = _fields_result(len(records), tally)
    attr = result["fields"].setdefault("attribution_type", Counts().as_dict())
    macro, n_labels = macro_f1(type_pairs)
    attr["accuracy"] = round(correct / len(type_pairs), 4) if type_pairs else 0.0
    attr["macro_f1"] = round(macro, 4)
    incident = result["fields"].setdefault("incident_type", Counts().as_dict())
    incident["macro_f1"] = round(macro_f1(incident_pairs)[0], 4)
    attr["labels"] = n_labels
    attr["documents_scored"] = len(type_pairs)
    attr["documents_with_gold"] = with_gold
    attr["coverage"] = round(len(type_pairs) / with_gold, 4) if with_gold else 0.0
    return result


# --- CASIE ---------------------------------------------------------------------------

_DETERMINERS = frozenset(
    {
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "its",
        "their",
        "his",
        "her",
        "our",
        "some",
        "several",
        "two",
        "three",
    }
)


#: Pronouns: never a name, even with a capital ("They", "It", "You").
_PRONOUNS = frozenset(
    {"i", "you", "he", "she", "it", "we", "they", "them", "us", "him", "anyone", "someone"}
)
#: What may stand before a sentence's first word: its start, end punctuation, a quote.
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:]['\"\u201d\u2019)]?\s+|\n\s*|[\"\u201c\u2018(]\s*)$")


def is_named(item: Mapping[str, Any], text: str) -> bool:
    """Whether a CASIE argument names something (the fair target) rather than a generic phrase.

    Named: it has a wikidata id, or, after leading determiners, it starts with a capital
    and its lower-cased form does not also occur in the text (a sentence-initial
    "Hackers" is generic when "hackers" occurs elsewhere). Never a pronoun ("They"), nor
    dictionary words capitalised only because they open a sentence ("Cyber criminals",
    "Hackers" when every occurrence starts a sentence).
    """
    surface = str(item.get("text") or "").strip()
    words = surface.split()
    while words and words[0].casefold() in _DETERMINERS:
        words = words[1:]
    if len(words) == 1 and words[0].casefold() in _PRONOUNS:
        return False
    if item.get("wikidata"):
        return True
    if not words or not words[0][:1].isupper():
        return False
    rest = " ".join(words)
    if rest == rest.lower():
        return False
    if re.search(r"(?<!\w)" + re.escape(rest.lower()) + r"(?!\w)", text) is not None:
        return False
    return not _capital_from_position(words, text)


def _capital_from_position(words: Sequence[str], text: str) -> bool:
    """Every word after the first is in lower case, all are dictionary words, and the
    phrase only ever opens a sentence: its capital says where it stands, not a name."""
    if any(w[:1].isupper() for w in words[1:]):
        return False
    dictionary = ordinary_words()
    for word in words:
        key = re.sub(r"\W", "", word.casefold())
        forms = {
            key,
            key[:-1] if key.endswith("s") else key,
            key[:-2] if key.endswith("es") else key,
        }
        if not forms & dictionary:
            return False
    phrase = " ".join(words)
    starts = [m.start() for m in re.finditer(re.escape(phrase), text)]
    return bool(starts) and all(
        _SENTENCE_OPENING.search(text, max(0, i - 6), i) is not None for i in starts
    )


def _casie_event_types(facts: Facts) -> set[str]:
    types = {CASIE_EVENT_TYPE[t] for t in facts.incident_types if t in CASIE_EVENT_TYPE}
    for response in facts.responses:
        for cue, casie_type in CASIE_RESPONSE_CUES:
            if cue in response:
                types.add(casie_type)
    return types


def _score_names(
    tally: FieldTally,
    name: str,
    gold_items: Sequence[Mapping[str, Any]],
    text: str,
    pred_names: Sequence[Sequence[str]],
) -> None:
    seen: dict[str, Mapping[str, Any]] = {}
    for item in gold_items:
        key = norm(str(item.get("text") or ""))
        if key and key not in seen:
            seen[key] = item
    all_gold = [str(i.get("text")) for i in seen.values()]
    named_gold = [str(i.get("text")) for i in seen.values() if is_named(i, text)]
    # CASIE links common nouns to wikidata too ("a hacker", "crooks"): the proper names
    # alone are what a name extractor can be asked for
    proper_gold = [
        str(i.get("text")) for i in seen.values() if is_named({"text": i.get("text")}, text)
    ]
    for field_name, gold in (
        (name, named_gold),
        (f"{name}_proper", proper_gold),
        (f"{name}_all", all_gold),
    ):
        m = match_items(gold, list(pred_names), lambda g, p: _contains(g, p))
        tally.add(field_name, m.tp, m.n_pred, m.n_gold)


def score_casie(
    records: Sequence[GoldRecord],
    predictions: Mapping[str, DocumentPrediction],
    kb: KBLike | None,
) -> dict[str, Any]:
    """Score CASIE records: event types, attackers, victims, CVEs, tools.

    attackers/victims/tools score the named gold arguments (:func:`is_named`); the
    ``*_proper`` fields those named by a proper name (a wikidata link alone does not
    count: CASIE links "a hacker" too); the ``*_all`` fields score every argument.
    Attackers are our actors, other accused and sponsor states; victims our victim
    organisations and victim countries. Each goes by its KB names and by the words the
    article named it with. Names match when one contains the other (whole words, case
    and accents folded). Event types come from our incident types
    (:data:`CASIE_EVENT_TYPE`) and response claims (:data:`CASIE_RESPONSE_CUES`).
    """
    tally = FieldTally()
    type_pairs: list[tuple[frozenset[str], frozenset[str]]] = []
    for record in records:
        gold = record.gold
        pred = predictions.get(record.id) or DocumentPrediction(record.id, record.text)
        facts = document_facts(pred, kb)
        gold_types = sorted({t for t in _get_list(gold, "event_types") if isinstance(t, str)})
        pred_types = sorted(_casie_event_types(facts))
        tally.add_keysets(
            "event_types",
            [frozenset({t}) for t in gold_types],
            [frozenset({t}) for t in pred_types],
        )
        type_pairs.append((frozenset(gold_types), frozenset(pred_types)))
        # the states blamed are attackers ("Russian hackers", "North Korea"), the states
        # attacked victims ("Hong Kong", "U.S. residents"), named as the KB names them
        # an entity goes by its KB names and by the words the text named it with
        surfaces: dict[str, list[str]] = {}
        for mention in pred.mentions:
            if mention.canonical_id:
                surfaces.setdefault(mention.canonical_id, []).append(mention.text)
        attacker_ids = sorted(facts.actors | facts.other_accused)
        attacker_ids += [f"country:{c}" for c in sorted(facts.sponsor_states)]
        attackers = [_names(i, kb) + surfaces.get(i, []) for i in attacker_ids]
        victims = [_names(i, None) for i in sorted(facts.victims)]
        victims += [
            _names(f"country:{c}", kb) + surfaces.get(f"country:{c}", [])
            for c in sorted(facts.victim_countries)
        ]
        tool_ids = set(facts.malware)
        for mention in pred.mentions:
            if mention.kind in {"malware", "tool"}:
                tool_ids.add(mention.canonical_id or f"text:{mention.text}")
        tools = [_names(i, kb) for i in sorted(tool_ids)]
        _score_names(tally, "attackers", _dicts(gold, "attackers"), record.text, attackers)
        _score_names(tally, "victims", _dicts(gold, "victims"), record.text, victims)
        _score_names(tally, "tools", _dicts(gold, "tools"), record.text, tools)
        gold_cves = sorted({c for i in _dicts(gold, "cves") for c in cve_ids(str(i.get("text")))})
        tally.add_keysets(
            "cves",
            [frozenset({c}) for c in gold_cves],
            [frozenset({c}) for c in sorted(facts.cves)],
        )
    result = _fields_result(len(records), tally)
    events = result["fields"].setdefault("event_types", Counts().as_dict())
    events["macro_f1"] = round(macro_f1(type_pairs)[0], 4)
    return result


def _dicts(obj: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    return [i for i in _get_list(obj, key) if isinstance(i, dict)]


# --- AnnoCTR -------------------------------------------------------------------------


def _mention_type(kind: str, canonical_id: str | None) -> str | None:
    if canonical_id:
        prefix = canonical_id.split(":", 1)[0]
        if prefix in _PREFIX_TYPE:
            return _PREFIX_TYPE[prefix]
    return _KIND_TYPE.get(kind)


def _linked_id(surface: str, by_surface: Mapping[str, str]) -> str | None:
    """The id of the predicted mention for a gold linked surface: the same text, else a
    predicted name standing as whole words inside it ("psexec.exe", "APT33/Elfin")."""
    key = norm(surface)
    if key in by_surface:
        return by_surface[key]
    words = f" {norm_words(surface)} "
    inside = [(len(name), cid) for name, cid in by_surface.items() if name and f" {name} " in words]
    return max(inside)[1] if inside else None


def _mitre_of(canonical_id: str | None, kb: KBLike | None) -> str | None:
    if not canonical_id or kb is None:
        return None
    entity = kb.get(canonical_id)
    return entity.mitre_id.upper() if entity is not None and entity.mitre_id else None


def score_annoctr(
    records: Sequence[GoldRecord],
    predictions: Mapping[str, DocumentPrediction],
    kb: KBLike | None,
) -> dict[str, Any]:
    """Score AnnoCTR records: GROUP, MALWARE, TOOL sets and MITRE links.

    Entities are document-level sets: gold surfaces and predicted mentions both map to KB
    ids when they resolve, else to normalised surfaces. mitre_links: for each gold link to a
    group/software id (G/S), the predicted mention with the same normalised surface (a group
    mention for a G id, a software one for an S id, else the other) is looked up in the KB;
    right when its ``mitre_id`` equals the gold id (precision = recall = F1 = accuracy;
    ``predicted`` counts the gold links we linked at all). ``mitre_groups`` and
    ``mitre_software`` split it by G and S ids.
    """
    tally = FieldTally()
    link_counts = {n: Counts() for n in ("mitre_links", "mitre_groups", "mitre_software")}
    for record in records:
        gold = record.gold
        pred = predictions.get(record.id) or DocumentPrediction(record.id, record.text)
        entities = gold.get("entities") if isinstance(gold.get("entities"), dict) else {}
        predicted: dict[str, list[frozenset[str]]] = {t: [] for t in ANNOCTR_KINDS}
        # surfaces -> ids, one map for groups (G links) and one for software (S links)
        by_surface: dict[str, dict[str, str]] = {"G": {}, "S": {}}
        cores: dict[str, list[tuple[str, str]]] = {}
        for mention in pred.mentions:
            etype = _mention_type(mention.kind, mention.canonical_id)
            if mention.canonical_id:
                family = "G" if etype == "GROUP" else "S"
                by_surface[family].setdefault(norm(mention.text), mention.canonical_id)
                cores.setdefault(family, []).append((mention.text, mention.canonical_id))
            if etype is None:
                continue
            keys = (
                entity_keys(mention.canonical_id, kb)
                if mention.canonical_id
                else frozenset({f"name:{norm(mention.text)}"})
            )
            predicted[etype].append(keys)
        # then the names inside the surfaces ("the Winnti group" also links "Winnti")
        for family, named in cores.items():
            for text, cid in named:
                for form in name_forms(text)[1:]:
                    by_surface[family].setdefault(norm(form), cid)
        facts = document_facts(pred, kb)
        for cid in facts.actors | facts.malware:
            etype = _mention_type("", cid)
            if etype:
                predicted[etype].append(entity_keys(cid, kb))
        for etype, kinds in ANNOCTR_KINDS.items():
            surfaces = [s for s in (entities or {}).get(etype, []) if isinstance(s, str)]
            gold_items = dedupe(name_keys([s], kb, kinds) for s in surfaces)
            tally.add_keysets(etype, gold_items, dedupe(predicted[etype]))
        links = gold.get("mitre_links") if isinstance(gold.get("mitre_links"), dict) else {}
        for surface, mitre in (links or {}).items():
            if not isinstance(mitre, str) or not re.fullmatch(r"[GS]\d{4}", mitre.strip()):
                continue
            family = mitre.strip()[0].upper()
            other = by_surface["S" if family == "G" else "G"]
            linked = _linked_id(surface, by_surface[family]) or _linked_id(surface, other)
            found = _mitre_of(linked, kb)
            for name in ("mitre_links", f"mitre_{_LINK_FAMILY[family]}"):
                link_counts[name].add(
                    int(found == mitre.strip().upper()), int(found is not None), 1
                )
    result = _fields_result(len(records), tally)
    for name, counts in link_counts.items():
        accuracy = counts.tp / counts.gold if counts.gold else 0.0
        result["fields"][name] = {
            "precision": round(accuracy, 4),
            "recall": round(accuracy, 4),
            "f1": round(accuracy, 4),
            "accuracy": round(accuracy, 4),
            "gold": counts.gold,
            "predicted": counts.predicted,
            "tp": counts.tp,
        }
    return result


# --- dispatch ------------------------------------------------------------------------

Scorer = Callable[
    [Sequence[GoldRecord], Mapping[str, DocumentPrediction], "KBLike | None"], dict[str, Any]
]
SCORERS: dict[str, Scorer] = {
    "incidents": score_incident_set,
    "eurepoc": score_eurepoc,
    "casie": score_casie,
    "annoctr": score_annoctr,
}


def scorer_for(set_name: str, records: Sequence[GoldRecord]) -> str | None:
    """Which scorer applies to a set: by the shape of its gold, else by its name."""
    shapes = {
        "incidents": "incidents",
        "attributions": "eurepoc",
        "event_types": "casie",
        "entities": "annoctr",
    }
    for record in records:
        for key, scorer in shapes.items():
            if key in record.gold:
                return scorer
    return set_name if set_name in SCORERS else None
