"""Scoring primitives: counts -> P/R/F1, one-to-one matching, B-cubed and pairwise scores."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

G = TypeVar("G")
P = TypeVar("P")
K = TypeVar("K", bound=Hashable)


def prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from matched counts.

    Precision is ``tp_pred / n_pred`` and recall ``tp_gold / n_gold`` (the two numerators
    differ only when matching is not one-to-one). Zero division: with nothing to find and
    nothing found, all three are 1.0; otherwise an empty side scores 0.0, so a
    disagreement is always penalised.

    Args:
        tp_pred: predicted items that matched a gold item.
        n_pred: predicted items.
        tp_gold: gold items that were found.
        n_gold: gold items.

    Returns:
        (precision, recall, f1).
    """
    if n_pred == 0 and n_gold == 0:
        return 1.0, 1.0, 1.0
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass
class Counts:
    """Micro-averaging accumulator for one field: matched and total counts on both sides."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0
    documents: int = 0
    #: predictions found right; equals ``tp`` (matched gold items) unless several
    #: predictions may be right for one gold item (``add``'s ``tp_predicted``)
    tp_predicted: int = 0

    def add(self, tp: int, predicted: int, gold: int, tp_predicted: int | None = None) -> None:
        """Add one document's counts (``tp`` matched gold items; ``tp_predicted`` right
        predictions, ``tp`` by default: a one-to-one matching)."""
        self.tp += tp
        self.tp_predicted += tp if tp_predicted is None else tp_predicted
        self.predicted += predicted
        self.gold += gold
        self.documents += 1

    def merge(self, other: Counts) -> None:
        """Add another accumulator's totals into this one."""
        self.tp += other.tp
        self.tp_predicted += other.tp_predicted
        self.predicted += other.predicted
        self.gold += other.gold

    def as_dict(self) -> dict[str, float | int]:
        """Return the README field shape plus ``tp`` and ``fp``/``fn``."""
        p, r, f = prf(self.tp_predicted, self.predicted, self.tp, self.gold)
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "gold": self.gold,
            "predicted": self.predicted,
            "tp": self.tp,
            "fp": self.predicted - self.tp_predicted,
            "fn": self.gold - self.tp,
        }


@dataclass(frozen=True)
class Matching(Generic[G, P]):
    """A one-to-one matching of gold and predicted items: ``pairs`` are (gold idx, pred idx)."""

    pairs: tuple[tuple[int, int], ...]
    n_gold: int
    n_pred: int

    @property
    def tp(self) -> int:
        """Number of matched pairs."""
        return len(self.pairs)


def match_items(
    gold: Sequence[G], predicted: Sequence[P], compatible: Callable[[G, P], bool]
) -> Matching[G, P]:
    """Maximum one-to-one matching of gold to predicted items (augmenting paths).

    Args:
        gold: gold items.
        predicted: predicted items.
        compatible: whether a predicted item may stand for a gold item.

    Returns:
        The matching (the maximum number of compatible disjoint pairs; for equal
        cardinalities, earlier gold items get earlier predicted items).
    """
    edges = [[j for j, p in enumerate(predicted) if compatible(g, p)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    pairs = tuple(sorted((i, j) for j, i in owner.items()))
    return Matching(pairs=pairs, n_gold=len(gold), n_pred=len(predicted))


def keys_overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    """Compatibility for key-set items: they share at least one key."""
    return not a.isdisjoint(b)


def match_keysets(
    gold: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]]
) -> Matching[frozenset[str], frozenset[str]]:
    """One-to-one matching of items described by sets of alternative keys."""
    return match_items(gold, predicted, keys_overlap)


def bcubed(
    gold: Mapping[K, Hashable], predicted: Mapping[K, Hashable]
) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering.

    Args:
        gold: item -> gold cluster label.
        predicted: item -> predicted cluster label (same items as ``gold``).

    Returns:
        (precision, recall, f1); (1, 1, 1) for no items.
    """
    items = list(gold)
    if not items:
        return 1.0, 1.0, 1.0
    gold_members: dict[Hashable, set[K]] = defaultdict(set)
    pred_members: dict[Hashable, set[K]] = defaultdict(set)
    for item in items:
        gold_members[gold[item]].add(item)
        pred_members[predicted[item]].add(item)
    p_sum = r_sum = 0.0
    for item in items:
        g = gold_members[gold[item]]
        c = pred_members[predicted[item]]
        both = len(g & c)
        p_sum += both / len(c)
        r_sum += both / len(g)
    p, r = p_sum / len(items), r_sum / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _pairs(labels: Mapping[K, Hashable]) -> set[frozenset[K]]:
    members: dict[Hashable, list[K]] = defaultdict(list)
    for item, label in labels.items():
        members[label].append(item)
    out: set[frozenset[K]] = set()
    for group in members.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                out.add(frozenset((a, b)))
    return out


def pairwise(
    gold: Mapping[K, Hashable], predicted: Mapping[K, Hashable]
) -> tuple[float, float, float, int, int]:
    """Pairwise precision, recall and F1 over item pairs placed in the same cluster.

    Args:
        gold: item -> gold cluster label.
        predicted: item -> predicted cluster label.

    Returns:
        (precision, recall, f1, gold pairs, predicted pairs), with the zero-division
        rule of :func:`prf`.
    """
    g, p = _pairs(gold), _pairs(predicted)
    tp = len(g & p)
    precision, recall, f1 = prf(tp, len(p), tp, len(g))
    return precision, recall, f1, len(g), len(p)


def macro_f1(per_document: Iterable[tuple[frozenset[str], frozenset[str]]]) -> tuple[float, int]:
    """Macro-averaged F1 over labels, from (gold labels, predicted labels) per document.

    Args:
        per_document: one pair of label sets per document.

    Returns:
        (macro F1 over every label seen on either side, number of labels); (0.0, 0) if none.
    """
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    labels: set[str] = set()
    for gold, pred in per_document:
        labels |= gold | pred
        for label in gold & pred:
            tp[label] += 1
        for label in pred - gold:
            fp[label] += 1
        for label in gold - pred:
            fn[label] += 1
    if not labels:
        return 0.0, 0
    scores = [
        prf(tp[lab], tp[lab] + fp[lab], tp[lab], tp[lab] + fn[lab])[2] for lab in sorted(labels)
    ]
    return sum(scores) / len(scores), len(labels)
