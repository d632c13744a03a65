"""Cue scans: one pass over an article's words (WordIndex) vs one regex per rule section.

Prints one JSON object: texts, seconds for each way over the same folded texts, same run,
the speed-up, and whether both found the same hits.

    python bench/cue_scans.py                  # bundled examples, repeated to 200 texts
    python bench/cue_scans.py --source shared  # ../shared/eval texts
"""

from __future__ import annotations

import argparse
import json
import time

from cyberveille.documents import to_article
from cyberveille.extract.cues import load_rules
from cyberveille.extract.fold import fold
from throughput import _base_documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=("examples", "shared"), default="examples")
    parser.add_argument("--texts", type=int, default=200)
    args = parser.parse_args()

    articles = [to_article(d) for d in _base_documents(args.source)]
    articles = [a for a in articles if a.language in ("en", "fr")]
    chosen = [articles[i % len(articles)] for i in range(args.texts)]
    texts = [(a.language, fold(a.text)) for a in chosen]
    rules = {lang: load_rules(lang) for lang in ("en", "fr")}
    indexes = {lang: ruleset.word_index for lang, ruleset in rules.items()}  # built untimed

    start = time.perf_counter()
    one_pass = [indexes[lang].scan(text) for lang, text in texts]
    one_pass_s = time.perf_counter() - start
    start = time.perf_counter()
    per_section = [
        {name: cues.find(text) for name, cues in rules[lang].sections.items()}
        for lang, text in texts
    ]
    per_section_s = time.perf_counter() - start
    same = all(
        found.get(name, []) == hits
        for found, sections in zip(one_pass, per_section, strict=True)
        for name, hits in sections.items()
    )
    print(
        json.dumps(
            {
                "texts": len(texts),
                "source": args.source,
                "one_pass_s": round(one_pass_s, 3),
                "per_section_s": round(per_section_s, 3),
                "speedup": round(per_section_s / one_pass_s, 2),
                "same_hits": same,
            }
        )
    )


if __name__ == "__main__":
    main()
