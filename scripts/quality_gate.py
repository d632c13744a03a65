"""Quality gate: score the dev sets and run the throughput benchmark, check quality/floors.json.

Prints one JSON object (every figure with its floor and the issue's target) and exits 1
when a figure is below its floor or a gold file differs from the one the floors were
pinned on; exits 0 with ``"skipped"`` when ../shared/eval is absent (users' machines).

    python scripts/quality_gate.py            # check
    python scripts/quality_gate.py --pin      # raise floors to today's figures (never lowers)
    python scripts/quality_gate.py --no-bench # dev-set figures only
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from cyberveille.evaluate import run_eval
from cyberveille.evaluation.gate import changed_gold, check, load_spec, pin, sha256_of

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "quality" / "floors.json"
EVAL_DIR = ROOT.parent / "shared" / "eval"


def figures(spec_sets: list[str], with_bench: bool) -> dict[str, Any]:
    """The evaluation result of the gold files, plus the benchmark's figures."""
    result = run_eval([EVAL_DIR / name for name in spec_sets])
    if with_bench:
        out = subprocess.run(
            # best of three alternating runs: one busy moment must not decide the ratio
            [
                sys.executable,
                str(ROOT / "bench" / "throughput.py"),
                "--articles",
                "200",
                "--repeat",
                "3",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        result["bench"] = {"throughput": json.loads(out.stdout.strip().splitlines()[-1])}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pin", action="store_true", help="raise floors to today's figures")
    parser.add_argument("--no-bench", action="store_true", help="skip the throughput benchmark")
    args = parser.parse_args()
    if not EVAL_DIR.is_dir():
        print(json.dumps({"skipped": f"{EVAL_DIR} is absent"}))
        return
    spec = load_spec(FLOORS)
    changed = changed_gold(spec, EVAL_DIR)
    if changed and not args.pin:
        print(json.dumps({"ok": False, "gold_changed": changed}))
        sys.exit(1)
    measured = figures(sorted(spec.gold), with_bench=not args.no_bench)
    if args.pin:
        data = json.loads(FLOORS.read_text(encoding="utf-8"))
        data = pin(measured, data)
        data["gold"] = {name: sha256_of(EVAL_DIR / name) for name in sorted(spec.gold)}
        FLOORS.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        spec = load_spec(FLOORS)
    checks = [c for c in check(measured, spec) if not (args.no_bench and c.floor.set == "bench")]
    report = {
        "ok": all(c.ok for c in checks),
        "below_floor": [c.floor.name for c in checks if not c.ok],
        "targets_met": sum(1 for c in checks if c.meets_target),
        "targets": sum(1 for c in checks if c.meets_target is not None),
        "checks": [c.as_dict() for c in checks],
    }
    print(json.dumps(report, indent=1))
    if not report["ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
