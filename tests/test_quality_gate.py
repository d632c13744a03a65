"""The quality gate: its floors file, its checks, and the gate itself on the dev sets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cyberveille.evaluation.gate import GateError, Spec, changed_gold, check, load_spec, pin

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "quality" / "floors.json"

FIGURES = {
    "sets": {
        "toy": {
            "fields": {"actors": {"f1": 0.8, "supported": {"precision": 0.9}}},
            "grouping": {"bcubed_f1": 1.0},
        }
    },
    "bench": {"throughput": {"ratio": 0.75}},
}


def write(tmp_path: Path, floors: list[dict[str, object]]) -> Path:
    path = tmp_path / "floors.json"
    path.write_text(json.dumps({"gold": {}, "floors": floors}), encoding="utf-8")
    return path


def entry(field: str, metric: str, floor: float, **kw: object) -> dict[str, object]:
    return {"set": "toy", "field": field, "metric": metric, "floor": floor, "pinned": floor, **kw}


def test_checks_read_fields_supported_figures_grouping_and_benchmarks(tmp_path: Path) -> None:
    spec = load_spec(
        write(
            tmp_path,
            [
                entry("actors", "f1", 0.7, target=0.85),
                entry("actors", "precision", 0.95, supported=True),
                entry("grouping", "bcubed_f1", 1.0, target=1.0),
                {**entry("throughput", "ratio", 0.7), "set": "bench"},
                entry("victims", "f1", 0.1),
            ],
        )
    )
    got = [(c.value, c.ok, c.meets_target) for c in check(FIGURES, spec)]
    assert got == [
        (0.8, True, False),
        (0.9, False, None),
        (1.0, True, True),
        (0.75, True, None),
        (None, False, None),  # a figure the result lacks fails the gate
    ]


def test_a_floor_goes_down_only_with_a_reason(tmp_path: Path) -> None:
    lowered = {**entry("actors", "f1", 0.5), "pinned": 0.7}
    with pytest.raises(GateError, match="without a reason"):
        load_spec(write(tmp_path, [lowered]))
    assert load_spec(write(tmp_path, [{**lowered, "reason": "gold file re-annotated"}]))


def test_pin_raises_floors_and_never_lowers_them() -> None:
    data = {"floors": [entry("actors", "f1", 0.5), entry("grouping", "bcubed_f1", 1.0)]}
    data["floors"].append({**entry("throughput", "ratio", 0.7), "set": "bench"})
    pinned = pin(FIGURES, data)["floors"]
    assert [(e["floor"], e["pinned"]) for e in pinned] == [
        (0.798, 0.798),
        (1.0, 1.0),
        (0.7, 0.7),  # timings are never pinned
    ]


def test_pin_keeps_a_lowered_floors_reason_until_it_is_back_up() -> None:
    lowered = {**entry("actors", "f1", 0.5), "pinned": 0.9, "reason": "re-annotated"}
    (partly,) = pin(FIGURES, {"floors": [lowered]})["floors"]
    assert (partly["floor"], partly["pinned"], partly["reason"]) == (0.798, 0.9, "re-annotated")
    (back,) = pin(FIGURES, {"floors": [{**lowered, "pinned": 0.7}]})["floors"]
    assert (back["floor"], back["pinned"], "reason" in back) == (0.798, 0.798, False)


def test_changed_gold_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text("{}\n", encoding="utf-8")
    spec = Spec(gold={"a.jsonl": "0" * 64, "b.jsonl": "0" * 64}, floors=())
    assert [c.split(":")[0] for c in changed_gold(spec, tmp_path)] == ["a.jsonl", "b.jsonl"]


def test_the_shipped_floors_file_is_valid() -> None:
    spec = load_spec(FLOORS)
    assert set(spec.gold) == {"seeds.jsonl", "eurepoc.jsonl", "casie.jsonl", "annoctr.jsonl"}
    assert all(f.floor > 0 for f in spec.floors), "every floor is pinned"


@pytest.mark.slow
def test_quality_gate_on_the_dev_sets(shared_dir: Path) -> None:
    """The gate itself: every dev-set figure and the benchmark ratio at or above its floor."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "quality_gate.py")],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    report = json.loads(run.stdout) if run.stdout.strip().startswith("{") else {}
    if "skipped" in report:
        pytest.skip(report["skipped"])
    assert run.returncode == 0, report.get("below_floor") or report or run.stderr[-2000:]
    print(f"quality gate: {report['targets_met']}/{report['targets']} issue targets met")
