"""Knowledge-base benchmark: build, cached load (in a fresh process) and matching speed.

Prints one JSON object: build_seconds (cold, cache ignored), cached_load_seconds (a new
process loading the compiled cache), match_ms_per_5000_words (median of 20 runs on a
synthetic 5,000-word article mixing French and English news sentences), counts.

    python bench/kb.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

from cyberveille.kb import build as kb_build
from cyberveille.kb import load_kb

SENTENCES = (
    "Le ministère américain de la Justice a inculpé quatre ressortissants liés au groupe APT40.",
    "Microsoft attributes the Exchange Server intrusions to HAFNIUM, a group operating from China.",
    "Selon l'ANSSI, le mode opératoire rappelle celui de Sandworm et de l'unité 74455 du GRU.",
    "The ransomware, a LockBit variant, encrypted servers at hospitals in Germany and Austria.",
    "Pékin dément toute implication et dénonce des accusations sans fondement.",
    "Researchers at ESET linked the wiper to the same operators behind NotPetya in 2017.",
)


def _article(words: int = 5000) -> str:
    out: list[str] = []
    count = 0
    i = 0
    while count < words:
        sentence = SENTENCES[i % len(SENTENCES)]
        out.append(sentence)
        count += len(sentence.split())
        i += 1
    return " ".join(out)


def main() -> None:
    start = time.perf_counter()
    kb = kb_build.build_kb()
    build_seconds = time.perf_counter() - start
    load_kb()  # make sure the cache file exists for the fresh process below
    probe = (
        "import time; t = time.perf_counter(); from cyberveille.kb import load_kb; "
        "load_kb(); print(time.perf_counter() - t)"
    )
    cached = float(subprocess.check_output([sys.executable, "-c", probe], text=True).strip())
    text = _article()
    timings = []
    for _ in range(20):
        t = time.perf_counter()
        kb.match(text)
        timings.append((time.perf_counter() - t) * 1000)
    print(
        json.dumps(
            {
                "build_seconds": round(build_seconds, 2),
                "cached_load_seconds": round(cached, 3),
                "match_ms_per_5000_words": round(statistics.median(timings), 2),
                "matches_per_article": len(kb.match(text)),
                "words": len(text.split()),
                "counts": kb.counts(),
                "version": kb.version,
            }
        )
    )


if __name__ == "__main__":
    main()
