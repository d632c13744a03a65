"""bench/export.py: the export benchmark runs end to end on a small synthetic store."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from export import run


def test_export_bench_reports_read_and_export_times(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = run(12, tmp_path / "b.sqlite", out)
    assert result["incidents"] == 12 and result["misp_events"] == 12 and result["csv_rows"] == 12
    assert result["stix_errors"] == 0
    for key in ("read_s", "stix_build_write_s", "stix_validate_s", "misp_s", "csv_s"):
        assert result[key] >= 0
    assert set(result["bytes"]) == {"export.stix.json", "export.misp.json", "incidents.csv"}
