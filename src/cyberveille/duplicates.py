"""Near-duplicate articles (one wire story in several outlets): MinHash sketches and LSH bands.

An article's text is cut into 5-word shingles; its sketch is a 64-value MinHash
signature, cut into 8 bands of 8 values whose hashes are stored in an indexed table, so
finding the articles that may be near-duplicates of a new one is a few index lookups
whatever the store's size (two articles sharing 85% of their shingles meet in a band with
probability 0.92; sharing 30%, with probability 0.0005). Two articles are near-duplicates
when their signatures agree on at least ``THRESHOLD`` of the values (an estimate of the
Jaccard similarity of their shingles). Every article points to a canonical article: the
first stored of its cluster.

Written here rather than taken from ``datasketch``: that package needs SciPy and keeps
its LSH index in memory or in Redis/Cassandra, whereas the bands must live in the
store's SQL database next to the articles; the MinHash itself is a few numpy lines.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cyberveille.store import Store
from cyberveille.types import content_id

SHINGLE = 5
PERMUTATIONS = 64
BANDS = 8
ROWS = PERMUTATIONS // BANDS
THRESHOLD = 0.8
_WORD = re.compile(r"\w+")
# Fixed odd multipliers and offsets: (a * h + b) mod 2**64 per permutation (numpy wraps).
_RNG = np.random.default_rng(20260601)
_A = _RNG.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _RNG.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)

Signature = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class Link:
    """How a new article relates to those stored: its canonical article and its Jaccard
    estimate with it (1.0 and itself when it duplicates none)."""

    article_id: str
    canonical_id: str
    similarity: float

    @property
    def duplicate(self) -> bool:
        return self.canonical_id != self.article_id


def signature(text: str) -> Signature:
    """The MinHash signature of a text's word shingles (all-max for an empty text)."""
    words = _WORD.findall(text.casefold())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    hashes = np.array(
        [
            int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little")
            for s in shingles
            if s
        ],
        dtype=np.uint64,
    )
    if hashes.size == 0:
        return np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):
        mixed = hashes[:, None] * _A[None, :] + _B[None, :]
    return np.asarray(mixed.min(axis=0), dtype=np.uint64)


def bands(sig: Signature) -> list[str]:
    """The LSH band keys of a signature (band number included, so bands never collide)."""
    return [
        content_id("band", str(b), sig[b * ROWS : (b + 1) * ROWS].tobytes().hex())[:24]
        for b in range(BANDS)
    ]


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return float(np.mean(a == b))


def link_article(store: Store, article_id: str, text: str) -> Link:
    """Sketch a stored article, link it to its near-duplicates' canonical article, save it.

    Idempotent: an article already sketched keeps its link.
    """
    known = store.article_link(article_id)
    if known is not None:
        return Link(article_id, known, 1.0 if known == article_id else THRESHOLD)
    sig = signature(text)
    keys = bands(sig)
    best: tuple[float, str] | None = None
    for other, (data, canonical) in store.sketches_sharing_bands(keys).items():
        if other == article_id:
            continue
        value = similarity(sig, np.frombuffer(data, dtype=np.uint64))
        if value >= THRESHOLD and (best is None or (value, canonical) > best):
            best = (value, canonical)
    canonical = best[1] if best else article_id
    store.save_sketch(article_id, sig.tobytes(), keys, canonical)
    return Link(article_id, canonical, best[0] if best else 1.0)
