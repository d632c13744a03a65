"""CLI over a hand-made store: incidents filters and formats, export formats, actor, search,
trends (no pipeline run, no model)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import stix2

from cyberveille.cli import main
from cyberveille.export.misp import read_events
from cyberveille.export.stix import validate_bundle
from stored_views import fill


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "cli.sqlite"
    fill(path).close()
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_incidents_table_json_csv(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    table = run(capsys, "incidents", "--db", db)
    assert table.splitlines()[0].split()[:3] == ["id", "first_seen", "type"]
    assert "2 incident(s)" in table
    rows = json.loads(run(capsys, "incidents", "--db", db, "--format", "json", "--actor", "APT40"))
    assert [r["actors"] for r in rows] == [["actor:apt40"]]
    out = run(capsys, "incidents", "--db", db, "--format", "csv", "--modality", "denied")
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["actors"] == "APT40" and "indictment" in row["accused_by"]
    assert "no incident matches" in run(capsys, "incidents", "--db", db, "--sector", "Energy")


def test_export_formats(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stix_path = tmp_path / "q.stix.json"
    run(capsys, "export", "stix", "--db", db, "--actor", "APT40", "-o", str(stix_path))
    assert validate_bundle(stix_path) == []
    bundle = stix2.parse(stix_path.read_text(encoding="utf-8"))
    incidents = [o for o in bundle.objects if o.type == "incident"]
    assert len(incidents) == 1  # only the query's result
    misp_path = tmp_path / "q.misp.json"
    run(capsys, "export", "misp", "--db", db, "-o", str(misp_path))
    assert len(read_events(misp_path)) == 2
    folder = tmp_path / "flat"
    out = run(capsys, "export", "csv", "--db", db, "-o", str(folder))
    assert {p.name for p in folder.iterdir()} == {"incidents.csv", "claims.csv", "articles.csv"}
    assert "wrote 3 articles row(s)" in out
    one = tmp_path / "claims.jsonl"
    run(capsys, "export", "jsonl", "--what", "claims", "--db", db, "-o", str(one))
    first = json.loads(one.read_text(encoding="utf-8").splitlines()[0])
    assert {"sentence", "start", "end", "claim_id", "incident_ids"} <= set(first)


def test_actor_search_trends(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "actor", "Leviathan", "--db", db)
    assert out.startswith("APT40  (actor:apt40") and "US Department of Justice" in out
    data = json.loads(run(capsys, "actor", "APT40", "--db", db, "--format", "json"))
    assert data["per_year"] == {"2024": 1}
    assert main(["actor", "no such actor zzz", "--db", db]) == 1
    capsys.readouterr()
    out = run(capsys, "search", "PEKIN", "--db", db)
    assert "Pékin dément toute implication." in out and "1 sentence(s)" in out
    rows = json.loads(run(capsys, "search", "ministere", "--db", db, "--format", "json"))
    assert rows and all("ministère" in r["sentence"] for r in rows)
    chart = tmp_path / "trends.png"
    out = run(capsys, "trends", "--db", db, "--by", "sponsor", "--chart", str(chart))
    assert "China" in out.splitlines()[0] and chart.stat().st_size > 1000
    out = run(capsys, "trends", "--db", db, "--by", "incident-type", "--format", "csv")
    assert out.splitlines()[0] == "period,espionage,total"
