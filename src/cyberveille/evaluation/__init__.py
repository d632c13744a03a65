"""Evaluation against gold JSONL: load gold, predict via pipeline and store, score, report."""

from cyberveille.evaluation.gold import GoldRecord, load_gold, read_gold
from cyberveille.evaluation.predictions import DocumentPrediction, PredictedMention
from cyberveille.evaluation.report import format_report

__all__ = [
    "DocumentPrediction",
    "GoldRecord",
    "PredictedMention",
    "format_report",
    "load_gold",
    "read_gold",
]
