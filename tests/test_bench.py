"""Benchmark smoke tests: bench scripts run and print their documented JSON keys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run_bench(script: str, *args: str) -> dict:
    """Run ``bench/<script>`` and return the JSON object of its last output line."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_throughput_prints_its_json_keys() -> None:
    data = _run_bench("throughput.py", "--articles", "16")
    expected = {
        "articles",
        "pipeline_articles_per_s",
        "spacy_articles_per_s",
        "ratio",
        "peak_rss_mb",
    }
    assert expected <= set(data)
    assert data["articles"] == 16
    for key in expected - {"articles"}:
        assert isinstance(data[key], int | float) and data[key] > 0, key
    assert data.get("errors", 0) == 0


@pytest.mark.slow
def test_pipeline_profile_prints_its_json_keys() -> None:
    data = _run_bench("pipeline_profile.py", "--articles", "8")
    assert data["articles"] == 8
    parts = ("spacy_s", "extraction_s", "store_and_group_s")
    assert all(data[k] >= 0 for k in parts)
    assert abs(sum(data[k] for k in parts) - data["total_s"]) < 0.05


def test_cue_scans_finds_the_same_hits_both_ways() -> None:
    data = _run_bench("cue_scans.py", "--texts", "12")
    assert data["texts"] == 12
    assert data["same_hits"] is True
    assert {"one_pass_s", "per_section_s", "speedup"} <= set(data)
