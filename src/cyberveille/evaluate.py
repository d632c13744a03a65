"""Evaluation: gold JSONL -> pipeline into a fresh store -> per-set field and grouping scores.

Each record becomes ``RawDocument(origin=record id, text, title, url, published,
language=lang)`` and goes through ``Pipeline.run`` into a temporary SQLite store (or
``db``); predictions are read back from the store per article, exactly as a user's data
would be. Facts are derived from claims as in the ``Claim`` docstring (see
``evaluation.predictions.facts_from_claims``), compared as normalised keys (KB ids, names,
ISO2 codes, MISP sector names), one-to-one per document, and micro-averaged over documents.

Grouping alignment (sets with ``gold.incidents``): the items are (document, gold incident)
pairs, whose gold cluster is ``event_key``. Each gold incident is aligned with the incident
mention of the same document that shares most of its facts (actors, vulnerabilities and
products, malware, sponsor states and agencies, victims, victim countries, sectors,
accuser types; an incident mention's ``actor:``/``product:`` grouping keys count as its
facts); ties go to the earlier mention, and several gold incidents may align with one
mention. The item's predicted cluster is the incident that mention was grouped into; an
item whose incident shares no fact with any mention is a singleton. B-cubed and pairwise
precision/recall/F1 are computed over these items.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cyberveille.evaluation.gold import GoldRecord, load_gold, read_gold
from cyberveille.evaluation.normalise import KBLike
from cyberveille.evaluation.predictions import DocumentPrediction, PredictedMention, predict
from cyberveille.evaluation.report import format_report
from cyberveille.evaluation.scorers import SCORERS, scorer_for

__all__ = [
    "DocumentPrediction",
    "GoldRecord",
    "PredictedMention",
    "format_report",
    "load_gold",
    "run_eval",
    "score_records",
]

log = logging.getLogger(__name__)


def group_by_set(
    records: Sequence[GoldRecord], limit: int | None = None
) -> dict[str, list[GoldRecord]]:
    """Records per set name, in file order, at most ``limit`` per set."""
    out: dict[str, list[GoldRecord]] = {}
    for record in records:
        bucket = out.setdefault(record.set, [])
        if limit is None or len(bucket) < limit:
            bucket.append(record)
    return out


def score_records(
    records: Sequence[GoldRecord],
    predictions: Mapping[str, DocumentPrediction],
    kb: KBLike | None = None,
) -> dict[str, Any]:
    """Score predictions against gold records, per set (no pipeline: for tests and reuse).

    Args:
        records: gold records (any mix of sets).
        predictions: predictions by record id; a missing one counts as predicting nothing.
        kb: the knowledge base used to normalise names (None: names only).

    Returns:
        ``{"sets": {set: {"documents", "fields", ["grouping"], "scorer", ...}}}``.
    """
    result: dict[str, Any] = {"sets": {}}
    for set_name, set_records in group_by_set(records).items():
        scorer = scorer_for(set_name, set_records)
        if scorer is None:
            result["sets"][set_name] = {"documents": len(set_records), "fields": {}, "scorer": None}
            continue
        data = SCORERS[scorer](set_records, predictions, kb)
        data["scorer"] = scorer
        data["failed_documents"] = sum(
            1 for r in set_records if r.id not in predictions or predictions[r.id].error is not None
        )
        result["sets"][set_name] = data
        # Sets with a train/dev split (AnnoCTR) are also scored per split ("annoctr:dev").
        splits: dict[str, list[GoldRecord]] = {}
        for record in set_records:
            split = record.extra.get("split")
            if isinstance(split, str):
                splits.setdefault(split, []).append(record)
        if len(splits) > 1:
            for split, split_records in sorted(splits.items()):
                part = SCORERS[scorer](split_records, predictions, kb)
                part["scorer"] = scorer
                result["sets"][f"{set_name}:{split}"] = part
    return result


def _load_kb() -> KBLike | None:
    try:
        import cyberveille.kb as kb_module
    except ImportError as exc:  # the KB module is optional for scoring
        log.warning("no knowledge base (%s): comparing names only", exc)
        return None
    load = getattr(kb_module, "load_kb", None)
    if load is None:
        log.warning("cyberveille.kb has no load_kb: comparing names only")
        return None
    kb: KBLike = load()
    return kb


def run_eval(
    paths: Sequence[Path],
    *,
    db: Path | None = None,
    limit: int | None = None,
    kb: KBLike | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Evaluate the pipeline on gold JSONL files.

    Args:
        paths: gold JSONL files (shared/eval/README.md shape).
        db: SQLite file to keep, one per set as `<stem>-<set><suffix>` (default: temporary stores).
        limit: at most this many documents per set (file order).
        kb: the knowledge base (default: ``cyberveille.kb.load_kb()``).
        progress: show the pipeline's progress bar.

    Returns:
        ``{"sets": {...}, "gold_errors": [...], "pipeline_errors": [...]}``; see the README.
    """
    loaded = read_gold(paths)
    by_set = group_by_set(loaded.records, limit)
    records = [r for rs in by_set.values() for r in rs]
    if kb is None:
        kb = _load_kb()
    # Each set is its own corpus: one store per set, so that grouping is measured within it.
    predictions: dict[str, Any] = {}
    errors: list[str] = []
    for name, set_records in by_set.items():
        set_db = db.with_name(f"{db.stem}-{name}{db.suffix}") if db is not None else None
        found, failed = predict(set_records, db=set_db, kb=kb, progress=progress)
        predictions.update(found)
        errors.extend(failed)
    result = score_records(records, predictions, kb)
    result["gold_errors"] = loaded.errors
    result["pipeline_errors"] = errors
    return result
