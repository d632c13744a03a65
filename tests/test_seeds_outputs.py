"""Issue 6 acceptance on the seeds (shared/eval/seeds.jsonl, trained pipelines): trends and
chart per sponsor, STIX bundle valid and parsed back, MISP events loaded back through pymisp."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import stix2

from cyberveille.chart import write_chart
from cyberveille.cli import main
from cyberveille.export.misp import build_events, read_events, write_events
from cyberveille.export.stix import build_bundle, serialize_bundle, validate_bundle
from cyberveille.kb import KnowledgeBase
from cyberveille.query import select
from cyberveille.store import Store
from cyberveille.trends import count


@pytest.mark.slow
def test_seeds_trends_stix_misp(
    shared_dir: Path, kb: KnowledgeBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = shared_dir / "eval" / "seeds.jsonl"
    if not seeds.is_file():
        pytest.skip(f"{seeds} is absent")
    db = tmp_path / "seeds.sqlite"
    assert main(["run", str(seeds), "--db", str(db), "--no-progress"]) == 0
    capsys.readouterr()
    with Store.open(db) as store:
        items = list(select(store, kb.get))
    views = [v for v, _ in items]
    assert views

    trends = count(items, "sponsor", "year")
    assert "China" in trends.groups and sum(trends.totals.values()) >= 1
    chart = write_chart(trends, tmp_path / "seeds.png")
    assert chart.stat().st_size > 1000
    assert main(["trends", "--db", str(db), "--by", "sponsor", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(row.get("China", 0) >= 1 for row in rows)

    bundle = build_bundle(views, kb.get)
    assert validate_bundle(bundle) == []
    text = serialize_bundle(bundle)
    assert json.loads(str(stix2.parse(text).serialize())) == json.loads(text)

    events = build_events(views, kb.get)
    write_events(events, tmp_path / "seeds.misp.json")
    back = read_events(tmp_path / "seeds.misp.json")
    assert [json.loads(e.to_json()) for e in back] == [json.loads(e.to_json()) for e in events]
    assert any(t.name.startswith("misp-galaxy:") for e in events for t in e.tags), (
        "no galaxy cluster tag on the seeds"
    )
