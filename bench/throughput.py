"""Throughput benchmark: the whole pipeline (store included) vs bare spaCy on the same texts.

Prints one JSON object: articles, pipeline_articles_per_s, spacy_articles_per_s, ratio,
peak_rss_mb (and the details they rest on). Both timings run in the same process, on
the same texts, after the models and the knowledge base are loaded.

    python bench/throughput.py                 # bundled examples, repeated to 200 articles
    python bench/throughput.py --articles 500 --source shared   # ../shared/eval texts
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from cyberveille.documents import to_article
from cyberveille.extract import Extractor
from cyberveille.extract.nlp import load_pipeline
from cyberveille.kb import load_kb
from cyberveille.pipeline import Pipeline
from cyberveille.sources import iter_documents
from cyberveille.store import Store
from cyberveille.types import RawDocument

ROOT = Path(__file__).resolve().parents[1]


def _base_documents(source: str) -> list[RawDocument]:
    if source == "shared":
        folder = ROOT.parent / "shared" / "eval"
        paths = sorted(folder.glob("*.jsonl"))
        if not paths:
            sys.exit(f"no gold files in {folder}")
        docs = []
        for path in paths:
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                docs.append(
                    RawDocument(
                        origin=record["id"], text=record["text"], language=record.get("lang")
                    )
                )
        return docs
    return [d for d in iter_documents([ROOT / "examples"]) if isinstance(d, RawDocument)]


def _documents(source: str, count: int) -> Iterator[RawDocument]:
    base = [to_article(d) for d in _base_documents(source)]
    for i in range(count):
        article = base[i % len(base)]
        copy = i // len(base)
        # Each copy gets its own id (its text differs by a trailing line), like distinct articles.
        suffix = f"\n\n(copy {copy})" if copy else ""
        yield RawDocument(
            origin=f"{article.origin}#{copy}",
            text=article.text + suffix,
            title=article.title,
            published=article.published.isoformat() if article.published else None,
            language=article.language,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--source", choices=["examples", "shared"], default="examples")
    parser.add_argument("--repeat", type=int, default=2, help="best of N alternating runs")
    args = parser.parse_args()

    documents = list(_documents(args.source, args.articles))
    articles = [to_article(d) for d in documents]
    kb = load_kb()
    languages = sorted({a.language for a in articles})
    pipelines = {lang: load_pipeline(lang)[0] for lang in languages}

    spacy_seconds = pipeline_seconds = float("inf")
    # Alternate the two measurements and keep the best of each, so that a busy machine
    # during one of them does not decide the ratio.
    for _ in range(args.repeat):
        start = time.perf_counter()
        for lang in languages:
            texts = [a.text for a in articles if a.language == lang]
            for _doc in pipelines[lang].pipe(texts, batch_size=32):
                pass
        spacy_seconds = min(spacy_seconds, time.perf_counter() - start)

        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(Path(tmp) / "bench.sqlite")
            pipeline = Pipeline(store, kb=kb, extractor=Extractor(kb))
            start = time.perf_counter()
            report = pipeline.run(documents)
            pipeline_seconds = min(pipeline_seconds, time.perf_counter() - start)
            counts = store.counts()
            store.close()

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "articles": len(documents),
        "source": args.source,
        "languages": {lang: sum(a.language == lang for a in articles) for lang in languages},
        "words": sum(len(a.text.split()) for a in articles),
        "pipeline_seconds": round(pipeline_seconds, 3),
        "spacy_seconds": round(spacy_seconds, 3),
        "pipeline_articles_per_s": round(len(documents) / pipeline_seconds, 2),
        "spacy_articles_per_s": round(len(documents) / spacy_seconds, 2),
        "ratio": round(spacy_seconds / pipeline_seconds, 3),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "repeat": args.repeat,
        "stored": counts,
        "errors": len(report.errors),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
