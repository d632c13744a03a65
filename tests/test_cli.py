"""CLI tests: every command documented with an example, and the commands run end to end.

The end-to-end tests point CYBERVEILLE_MODEL_FR/EN at a model that is not installed, so
the CLI falls back to blank pipelines (a logged warning) and stays fast.
"""

from __future__ import annotations

import argparse
import json
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from cyberveille.cli import build_parser, main
from cyberveille.export.stix import validate_bundle
from cyberveille.extract.nlp import load_pipeline

ROOT = Path(__file__).resolve().parents[1]

ARTICLE_FR = (
    "Le groupe APT40 a piraté des universités en Australie et en Allemagne. "
    "Les États-Unis accusent le ministère de la Sécurité d'État chinois. "
    "« Ces activités menacent notre sécurité collective », a déclaré un porte-parole."
)
ARTICLE_EN = (
    "APT40 breached universities in Australia and Germany. "
    "The United Kingdom blamed China's Ministry of State Security for the campaign."
)


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return action


def _commands() -> list[tuple[str, argparse.ArgumentParser, str | None]]:
    """(name, parser, help) for every subcommand and kb's sub-subcommands."""
    out: list[tuple[str, argparse.ArgumentParser, str | None]] = []

    def walk(prefix: str, parser: argparse.ArgumentParser) -> None:
        action = _subparsers(parser)
        helps = {a.dest: a.help for a in action._choices_actions}
        for name, sub in action.choices.items():
            full = f"{prefix} {name}".strip()
            out.append((full, sub, helps.get(name)))
            if any(isinstance(a, argparse._SubParsersAction) for a in sub._actions):
                walk(full, sub)

    walk("", build_parser())
    return out


def _top_level() -> list[str]:
    return list(_subparsers(build_parser()).choices)


def test_expected_commands_exist() -> None:
    names = {name for name, _, _ in _commands()}
    assert {"run", "incidents", "show", "export", "eval", "kb"} <= names
    assert {"kb show", "kb search", "kb info"} <= names


@pytest.mark.parametrize("name", [name for name, _, _ in _commands()])
def test_every_command_has_help_and_an_example(name: str) -> None:
    parser, help_text = next((p, h) for n, p, h in _commands() if n == name)
    assert help_text and help_text.strip(), f"{name}: no help text"
    assert parser.epilog and parser.epilog.startswith("example: "), f"{name}: no example"
    example = parser.epilog.removeprefix("example: ").strip()
    words = shlex.split(example)
    assert words[0] == "cyberveille"
    assert words[1 : 1 + len(name.split())] == name.split()
    build_parser().parse_args(words[1:])  # the example itself parses


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in _top_level():
        assert name in out


def test_readme_mentions_every_command() -> None:
    readme = ROOT / "README.md"
    if not readme.is_file():
        pytest.skip("README.md does not exist yet")
    text = readme.read_text(encoding="utf-8")
    missing = [n for n in _top_level() if f"cyberveille {n}" not in text]
    assert not missing, f"README.md does not show: {missing}"


# -- end to end on blank pipelines -------------------------------------------------------


@pytest.fixture
def blank_models(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make the CLI fall back to blank pipelines (uninstalled model names)."""
    monkeypatch.setenv("CYBERVEILLE_MODEL_FR", "cyberveille_test_no_such_model_fr")
    monkeypatch.setenv("CYBERVEILLE_MODEL_EN", "cyberveille_test_no_such_model_en")
    load_pipeline.cache_clear()
    yield
    load_pipeline.cache_clear()  # later tests get the real pipelines back


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "articles"
    path.mkdir()
    (path / "fr.txt").write_text(ARTICLE_FR, encoding="utf-8")
    (path / "en.txt").write_text(ARTICLE_EN, encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path, folder: Path, blank_models: None, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "out" / "cli.sqlite")
    assert main(["run", str(folder), "--db", path, "--no-progress"]) == 0
    captured = capsys.readouterr()
    assert "2 article(s) added" in captured.out
    assert "note:" in captured.err  # blank pipelines are reported
    return path


def _incidents_json(db: str, capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict]:
    assert main(["incidents", "--db", db, "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_run_then_incidents_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _incidents_json(db, capsys)
    assert isinstance(rows, list) and rows
    (apt40,) = [r for r in rows if "actor:apt40" in r["actors"]]
    assert len(apt40["articles"]) == 2
    assert {"id", "title", "accusations", "victim_countries", "reasons"} <= set(apt40)
    assert "country:AU" in apt40["victim_countries"]


def test_incidents_filters(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert len(_incidents_json(db, capsys, "--actor", "Leviathan")) == 1
    assert _incidents_json(db, capsys, "--actor", "APT28") == []
    assert _incidents_json(db, capsys, "--sponsor", "Russia") == []
    assert main(["incidents", "--db", db, "--details"]) == 0
    out = capsys.readouterr().out
    assert "actors:" in out and "incident(s)" in out


def test_run_twice_reports_existing(
    db: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(folder), "--db", db, "--no-progress"]) == 0
    assert "0 article(s) added, 2 already stored" in capsys.readouterr().out


def test_show_prefix(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _incidents_json(db, capsys)
    (apt40,) = [r for r in rows if "actor:apt40" in r["actors"]]
    assert main(["show", apt40["id"][:8], "--db", db]) == 0
    out = capsys.readouterr().out
    assert "why these articles belong together:" in out
    assert "claims, with their evidence:" in out
    assert "> " in out and "APT40" in out
    assert "[accusent]" in out  # the cue is highlighted in its sentence


def test_show_unknown_prefix(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "zzzz-no-such-id", "--db", db]) == 1
    assert "no single incident" in capsys.readouterr().err


def test_export_stix_writes_a_valid_bundle(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "export" / "bundle.json"
    assert main(["export", "stix", "-o", str(output), "--db", db]) == 0
    assert "wrote" in capsys.readouterr().out
    bundle = json.loads(output.read_text(encoding="utf-8"))
    assert bundle["type"] == "bundle" and bundle["objects"]
    assert {"intrusion-set", "report", "relationship"} <= {o["type"] for o in bundle["objects"]}
    assert validate_bundle(output) == []


def test_run_reports_a_bad_file_on_stderr(
    tmp_path: Path, folder: Path, blank_models: None, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = folder / "broken.txt"
    bad.write_bytes(b"\xff\xfe\xfa not utf-8 \xff")
    db = str(tmp_path / "bad.sqlite")
    assert main(["run", str(folder), "--db", db, "--no-progress"]) == 0
    captured = capsys.readouterr()
    assert f"skipped {bad}: " in captured.err
    assert "UTF-8" in captured.err
    assert "2 article(s) added" in captured.out and "1 input(s) skipped" in captured.out


def test_run_with_only_bad_inputs_fails(
    tmp_path: Path, blank_models: None, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.txt"
    assert main(["run", str(missing), "--db", str(tmp_path / "x.sqlite"), "--no-progress"]) == 1
    assert f"skipped {missing}: " in capsys.readouterr().err


# -- kb ----------------------------------------------------------------------------------


def test_kb_show_apt40_lists_leviathan(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "show", "APT40"]) == 0
    out = capsys.readouterr().out
    assert "actor:apt40" in out
    assert "Leviathan" in out


def test_kb_search_and_info(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "search", "hafnium"]) == 0
    assert "actor:hafnium" in capsys.readouterr().out
    assert main(["kb", "info"]) == 0
    out = capsys.readouterr().out
    assert "version:" in out and "threat_actor" in out


def test_kb_show_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "show", "NoSuchGroupAnywhere123"]) == 1
    assert "no identity" in capsys.readouterr().err


def test_missing_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err
