"""Where a warm pipeline run spends its time: spaCy, our extraction, storing and grouping.

Prints one JSON object (seconds under cProfile, which slows Python code more than
spaCy's compiled parts, so the shares are indicative): total, spacy (the models'
``nlp.pipe``), extraction (mentions, discovery, claims, segmentation; ``cue_scans`` of
it are the scans of the rule sections), store_and_group (everything after).
The run is the second one over the same articles in a fresh store, so that models,
knowledge base and lazy imports are loaded.

    python bench/pipeline_profile.py                    # bundled examples, repeated to 200 articles
    python bench/pipeline_profile.py --articles 100 --top 30   # and the 30 costliest functions
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import tempfile
import time

from cyberveille.extract.nlp import load_pipeline
from cyberveille.kb import load_kb
from cyberveille.pipeline import Pipeline
from cyberveille.store import Store
from throughput import _documents


def _cumulative(stats: pstats.Stats, path_end: str, name: str) -> float:
    """Cumulative seconds of the functions called ``name`` in files ending ``path_end``."""
    table = stats.stats  # type: ignore[attr-defined]
    return sum(
        row[3] for (path, _, func), row in table.items() if func == name and path.endswith(path_end)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--source", choices=("examples", "shared"), default="examples")
    parser.add_argument("--top", type=int, default=0, help="also print the N costliest functions")
    args = parser.parse_args()

    docs = list(_documents(args.source, args.articles))
    kb = load_kb()
    load_pipeline("en")
    load_pipeline("fr")
    with tempfile.TemporaryDirectory() as tmp:
        Pipeline(Store.open(f"{tmp}/warm.sqlite"), kb=kb).run(iter(docs))
        pipeline = Pipeline(Store.open(f"{tmp}/run.sqlite"), kb=kb)
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        pipeline.run(iter(docs))
        profile.disable()
        total = time.perf_counter() - start
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    extract_all = _cumulative(stats, "cyberveille/extract/__init__.py", "extract_many")
    ours = _cumulative(stats, "cyberveille/extract/__init__.py", "_from_doc")
    # the one-pass scan of every section (WordIndex.scan) and the direct section scans
    cues = _cumulative(stats, "cyberveille/extract/cues.py", "scan") + _cumulative(
        stats, "cyberveille/extract/cues.py", "find"
    )
    print(
        json.dumps(
            {
                "articles": len(docs),
                "total_s": round(total, 2),
                "spacy_s": round(extract_all - ours, 2),
                "extraction_s": round(ours, 2),
                "cue_scans_s": round(cues, 2),
                "store_and_group_s": round(total - extract_all, 2),
            }
        )
    )
    if args.top:
        stats.sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
