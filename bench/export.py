"""Export benchmark: read N incidents from the store, then export them to STIX, MISP and CSV.

Prints one JSON object: incidents, fill_s (building the synthetic store, not timed
against the exports), read_s (every IncidentView read back from the store), stix_s
(build + write + validate), misp_s (build + write), csv_s (flat incident rows: merged
facts + write), the output sizes and peak_rss_mb. All timings come from the same run,
on the same store; the exports start from the views already read.

    python bench/export.py                      # 10,000 synthetic incidents
    python bench/export.py --incidents 500 --db /tmp/bench.sqlite
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cyberveille.export.flat import COLUMNS, incident_rows, write_rows
from cyberveille.export.misp import build_events, write_events
from cyberveille.export.stix import build_bundle, validate_bundle, write_bundle
from cyberveille.kb import load_kb
from cyberveille.store import Store
from synthetic import Synthetic, fill_store


def run(incidents: int, db: Path, out: Path, seed: int = 0, validate: bool = True) -> dict:
    kb = load_kb()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with Store.open(db) as store:
        if store.counts()["incidents"] < incidents:
            fill_store(store, Synthetic(kb, seed=seed), incidents)
        timings["fill_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        views = [v for i in store.incidents() if (v := store.incident_view(i.id)) is not None]
        views = views[:incidents]
        timings["read_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    bundle = build_bundle(views, kb.get)
    write_bundle(bundle, out / "export.stix.json")
    timings["stix_build_write_s"] = time.perf_counter() - t0
    if validate:
        t1 = time.perf_counter()
        errors = validate_bundle(out / "export.stix.json")
        timings["stix_validate_s"] = time.perf_counter() - t1
    else:
        errors = []

    t0 = time.perf_counter()
    events = build_events(views, kb.get)
    write_events(events, out / "export.misp.json")
    timings["misp_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    rows = write_rows(
        incident_rows(views, kb.get), COLUMNS["incidents"], "csv", out / "incidents.csv"
    )
    timings["csv_s"] = time.perf_counter() - t0

    sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir())}
    return {
        "incidents": len(views),
        **{k: round(v, 2) for k, v in timings.items()},
        "stix_objects": len(bundle.objects),
        "stix_errors": len(errors),
        "misp_events": len(events),
        "csv_rows": rows,
        "bytes": sizes,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--db", help="reuse or fill this SQLite store (default: a temp file)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-validate", action="store_true", help="skip stix2-validator")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.sqlite"
        out = Path(tmp) / "out"
        out.mkdir()
        result = run(args.incidents, db, out, args.seed, not args.no_validate)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
