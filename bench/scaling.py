"""Scaling benchmark: time to store and group one article at 1k, 10k and 100k stored incidents.

Prints one JSON object. The store is pre-filled with synthetic incidents (bench/synthetic.py,
no NLP); at each size, ``--probe`` articles are added the way the pipeline adds them
(``save_extraction`` then ``Grouper.assign`` per incident mention): half are later reports
of stored incidents (they should join), half new incidents. Extraction is left out: its cost
does not depend on the store. ``ratio`` = time per article at the largest size / at the
smallest; the acceptance bound is 2.0. The pre-filled incidents get their description
vectors outside the timing (``Grouper.prepare_vectors``), as a store grown by the pipeline
has them: the grouper encodes each incident once in its life, the first time it is compared.
The timing includes encoding the new article's own description when a weak key match
needs it. ``peak_rss_mb`` is the process's peak resident memory after each size.

    python bench/scaling.py                          # 1k, 10k, 100k (several minutes)
    python bench/scaling.py --sizes 1000 10000 --probe 100
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cyberveille.duplicates import link_article
from cyberveille.incidents import Grouper
from cyberveille.kb import load_kb
from cyberveille.similarity import default_encoder
from cyberveille.store import Store
from synthetic import Synthetic, fill_store

FRESH = 10_000_000  # index of the first never-stored synthetic incident


class TimedEncoder:
    """The default encoder, with the time spent in it and the texts it encoded counted."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.texts = 0

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        start = time.perf_counter()
        rows = default_encoder(texts)
        self.seconds += time.perf_counter() - start
        self.texts += len(texts)
        return rows


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _probe(
    store: Store,
    grouper: Grouper,
    encoder: TimedEncoder | None,
    gen: Synthetic,
    size: int,
    round_: int,
    n: int,
) -> dict[str, object]:
    """Add ``n`` articles and time them; returns per-article figures."""
    rng = random.Random(f"probe:{round_}")
    encode_seconds = 0.0
    encoded = 0
    joined = opened = 0
    timings: list[float] = []
    for i in range(n):
        if i % 2 == 0:  # a later report (report number 1 + round) of a stored incident
            spec, report = gen.incident(rng.randrange(size)), 1 + round_
        else:
            spec, report = gen.incident(FRESH + round_ * n + i), 0
        extraction = gen.extraction(spec, report)
        for mention in extraction.incident_mentions:  # untimed: see the module docstring
            grouper.prepare_vectors(mention)
        before = (encoder.seconds, encoder.texts) if encoder else (0.0, 0)
        start = time.perf_counter()
        store.save_extraction(extraction)
        link_article(store, extraction.article.id, extraction.article.text)
        for mention in extraction.incident_mentions:
            if grouper.assign(mention).opened:
                opened += 1
            else:
                joined += 1
        timings.append(time.perf_counter() - start)
        if encoder:
            encode_seconds += encoder.seconds - before[0]
            encoded += encoder.texts - before[1]
    timings.sort()
    return {
        "incidents": size,
        "articles": n,
        "ms_per_article": round(1000 * sum(timings) / n, 3),
        "ms_per_article_without_encoder": round(1000 * (sum(timings) - encode_seconds) / n, 3),
        "texts_encoded_per_article": round(encoded / n, 3),
        "median_ms": round(1000 * timings[n // 2], 3),
        "p95_ms": round(1000 * timings[int(n * 0.95)], 3),
        "joined": joined,
        "opened": opened,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--probe", type=int, default=200, help="articles timed per size")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--db", help="SQLite file to use (default: a temporary one)")
    parser.add_argument("--no-encoder", action="store_true", help="group on keys and dates only")
    args = parser.parse_args()
    kb = load_kb()
    gen = Synthetic(kb, seed=args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(args.db or Path(tmp) / "scaling.sqlite")
        encoder = None if args.no_encoder else TimedEncoder()
        grouper = Grouper(store, kb.get, encoder)
        rows = []
        filled = 0
        fill_seconds = 0.0
        for round_, size in enumerate(sorted(args.sizes)):
            start = time.perf_counter()
            fill_store(store, gen, size - filled, start=filled, sketch=True)
            fill_seconds += time.perf_counter() - start
            filled = size
            rows.append(_probe(store, grouper, encoder, gen, size, round_, args.probe))
            print(json.dumps(rows[-1]), file=sys.stderr)
        store.close()
    first, last = float(rows[0]["ms_per_article"]), float(rows[-1]["ms_per_article"])  # type: ignore[arg-type]
    plain = [float(r["ms_per_article_without_encoder"]) for r in rows]  # type: ignore[arg-type]
    print(
        json.dumps(
            {
                "sizes": rows,
                "ratio": round(last / first, 3),
                "ratio_without_encoder": round(plain[-1] / plain[0], 3),
                "bound": 2.0,
                "ok": last <= 2.0 * first,
                "fill_seconds": round(fill_seconds, 1),
                "peak_rss_mb": round(_peak_rss_mb(), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
