"""Tests for the file source: good inputs are yielded, each bad input reported, none fatal."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from cyberveille.errors import SourceError
from cyberveille.sources import count_inputs, iter_documents
from cyberveille.types import RawDocument

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

ARTICLE_EN = (
    "APT28 blamed for parliament hack\nPublished October 22, 2020\n\n"
    "The European Union imposed sanctions on Russian military intelligence officers."
)
ARTICLE_FR = (
    "Sanctions européennes contre le GRU\nPublié le 22 octobre 2020\n\n"
    "L'Union européenne a sanctionné des officiers du renseignement militaire russe."
)


def _split(items: list[RawDocument | SourceError]) -> tuple[list[RawDocument], list[SourceError]]:
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, SourceError)]
    assert len(docs) + len(errors) == len(items)
    return docs, errors


def _error_for(errors: list[SourceError], name: str) -> SourceError:
    found = [e for e in errors if Path(e.origin.split(":")[0]).name == name]
    assert len(found) == 1, (name, errors)
    return found[0]


@pytest.fixture
def messy_folder(tmp_path: Path) -> Path:
    """A folder mixing good articles with every kind of bad input."""
    root = tmp_path / "corpus"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "a_good_en.txt").write_text(ARTICLE_EN, encoding="utf-8")
    (root / "sub" / "b_good_fr.md").write_text(ARTICLE_FR, encoding="utf-8")
    (root / "sub" / "deeper" / "c_page.html").write_text(
        "<html><body><p>" + ARTICLE_EN + "</p></body></html>", encoding="utf-8"
    )
    (root / "binary.txt").write_bytes(b"abc\x00\x01\x02" * 100)
    (root / "empty.txt").write_bytes(b"")
    (root / "latin1.txt").write_bytes("Publié le 3 mars 2021".encode("latin-1"))
    records = [
        json.dumps({"text": ARTICLE_EN, "url": "https://example.com/a", "title": "A"}),
        '{"text": "broken" "url": 1}',
        "",
        json.dumps({"title": "no text here"}),
        json.dumps({"content": ARTICLE_FR, "date": "2020-10-22", "lang": "fr", "source": "X"}),
        "[1, 2]",
    ]
    (root / "records.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    with (root / "huge.txt").open("wb") as handle:  # 50 MB, written fast as one repeated block
        block = b"lorem ipsum dolor sit amet\n" * 40_000
        for _ in range(50_000_000 // len(block) + 1):
            handle.write(block)
    (root / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (root / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (root / "README.md").write_text("# About this folder\n", encoding="utf-8")
    (root / ".hidden" / "secret.txt").write_text(ARTICLE_EN, encoding="utf-8")
    (root / ".dotfile.txt").write_text(ARTICLE_EN, encoding="utf-8")
    return root


def test_messy_folder_reports_every_bad_input_and_keeps_every_good_one(messy_folder: Path) -> None:
    docs, errors = _split(list(iter_documents([messy_folder])))

    origins = [Path(d.origin.split(":")[0]).name for d in docs]
    # Sorted walk; hidden entries, README and the .png are skipped; a text-like .csv is read.
    assert origins == [
        "a_good_en.txt",
        "notes.csv",
        "records.jsonl",
        "records.jsonl",
        "b_good_fr.md",
        "c_page.html",
    ]

    assert _error_for(errors, "binary.txt").message == "binary file (NUL bytes), skipped"
    assert _error_for(errors, "empty.txt").message == "empty file"
    assert _error_for(errors, "latin1.txt").message == "invalid UTF-8 at byte 5"
    huge = _error_for(errors, "huge.txt")
    assert huge.message.startswith("file too large (50.") and "> 20 MB limit" in huge.message

    jsonl_errors = {e.origin.rsplit(":", 1)[1]: e.message for e in errors if "records" in e.origin}
    assert set(jsonl_errors) == {"2", "4", "6"}
    assert jsonl_errors["2"].startswith("malformed JSON on line 2: Expecting ',' delimiter")
    assert "no text or html" in jsonl_errors["4"]
    assert "not an object" in jsonl_errors["6"]
    assert len(errors) == 7
    for error in errors:
        assert str(messy_folder) in error.origin


def test_jsonl_records_map_field_aliases(messy_folder: Path) -> None:
    docs = [
        d for d in iter_documents([messy_folder / "records.jsonl"]) if isinstance(d, RawDocument)
    ]
    first, second = docs
    assert first.origin.endswith("records.jsonl:1")
    assert (first.url, first.title, first.text) == ("https://example.com/a", "A", ARTICLE_EN)
    assert second.origin.endswith("records.jsonl:5")
    assert (second.text, second.published, second.language, second.outlet) == (
        ARTICLE_FR,
        "2020-10-22",
        "fr",
        "X",
    )


def test_folder_is_walked_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "c.txt"]:
        (tmp_path / name).write_text(f"{name} {ARTICLE_EN}", encoding="utf-8")
    origins = [Path(d.origin).name for d in iter_documents([tmp_path])]
    assert origins == ["a.txt", "b.txt", "c.txt"]


def test_html_file_gives_html_and_empty_text(tmp_path: Path) -> None:
    page = tmp_path / "page.htm"
    page.write_text("<html><body><p>Hello</p></body></html>", encoding="utf-8")
    (doc,) = iter_documents([page])
    assert isinstance(doc, RawDocument)
    assert doc.text == "" and doc.html is not None and "<p>Hello</p>" in doc.html


def test_json_object_and_list(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"body": ARTICLE_EN}), encoding="utf-8")
    (tmp_path / "many.json").write_text(
        json.dumps([{"text": ARTICLE_EN}, {"html": "<p>x</p>"}, {"url": "u"}]), encoding="utf-8"
    )
    (tmp_path / "bad.json").write_text('{"text": ', encoding="utf-8")
    items = list(iter_documents([tmp_path]))
    docs, errors = _split(items)
    assert [d.origin.rsplit("/", 1)[1] for d in docs] == [
        "many.json[0]",
        "many.json[1]",
        "one.json",
    ]
    assert {e.origin.rsplit("/", 1)[1] for e in errors} == {"bad.json", "many.json[2]"}
    bad = next(e for e in errors if e.origin.endswith("bad.json"))
    assert bad.message.startswith("malformed JSON on line 1")


def test_explicit_file_with_unknown_extension_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "article.dat"
    path.write_text(ARTICLE_EN, encoding="utf-8")
    (doc,) = iter_documents([path])
    assert isinstance(doc, RawDocument) and doc.text == ARTICLE_EN
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\x00\x00")
    (error,) = iter_documents([binary])
    assert isinstance(error, SourceError) and "binary" in error.message


def test_missing_path_and_max_bytes(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_text(ARTICLE_EN, encoding="utf-8")
    items = list(iter_documents([tmp_path / "nope.txt", small], max_bytes=10))
    assert items[0] == SourceError(str(tmp_path / "nope.txt"), "no such file or directory")
    assert isinstance(items[1], SourceError)
    assert items[1].message.startswith("file too large (0.0 MB > 1e-05 MB limit)")


def test_oversized_jsonl_line_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    lines = [
        json.dumps({"text": "x" * 5000}),
        json.dumps({"text": ARTICLE_EN}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(iter_documents([path], max_bytes=1000))
    assert isinstance(items[0], SourceError) and items[0].origin.endswith(":1")
    assert "line too large" in items[0].message
    assert isinstance(items[1], RawDocument) and items[1].origin.endswith(":2")


def test_invalid_utf8_in_jsonl_line_reports_file_offset(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"text": ARTICLE_EN}).encode() + b"\n"
    path.write_bytes(good + b'{"text": "caf\xe9"}\n' + good)
    items = list(iter_documents([path]))
    assert [type(i).__name__ for i in items] == ["RawDocument", "SourceError", "RawDocument"]
    error = items[1]
    assert isinstance(error, SourceError)
    assert error.origin.endswith("mixed.jsonl:2")
    assert error.message == f"invalid UTF-8 at byte {len(good) + 13}"


@pytest.mark.skipif(
    sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="permissions are not enforced for root",
)
def test_permission_denied_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(ARTICLE_EN, encoding="utf-8")
    locked.chmod(0)
    try:
        (error,) = iter_documents([locked])
    finally:
        locked.chmod(0o644)
    assert error == SourceError(str(locked), "permission denied")


def test_stdin_text_and_jsonl() -> None:
    (doc,) = iter_documents(["-"], stdin=io.StringIO(ARTICLE_FR))
    assert isinstance(doc, RawDocument) and doc.text == ARTICLE_FR and doc.origin == "<stdin>"

    stream = io.StringIO(
        "\n".join([json.dumps({"text": ARTICLE_EN}), "{oops", json.dumps({"text": ARTICLE_FR})])
    )
    items = list(iter_documents(["-"], stdin=stream))
    docs, errors = _split(items)
    assert [d.origin for d in docs] == ["<stdin>:1", "<stdin>:3"]
    assert [e.origin for e in errors] == ["<stdin>:2"]
    assert errors[0].message.startswith("malformed JSON on line 2")

    (empty,) = iter_documents(["-"], stdin=io.StringIO("  \n"))
    assert empty == SourceError("<stdin>", "empty input")


def test_iteration_is_lazy(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE_EN, encoding="utf-8")
    stream = iter_documents([tmp_path, tmp_path / "missing"])
    first = next(stream)
    assert isinstance(first, RawDocument)
    (tmp_path / "a.txt").unlink()  # later inputs are looked at only when asked for
    assert isinstance(next(stream), SourceError)


def test_count_inputs(messy_folder: Path) -> None:
    # 8 files are candidates (not README, .png, hidden), plus the 6 lines of records.jsonl.
    assert count_inputs([messy_folder]) == 8 + 6
    assert count_inputs(["-", messy_folder / "missing.txt"]) == 2


def test_bundled_examples_are_read_cleanly() -> None:
    docs, errors = _split(list(iter_documents([EXAMPLES])))
    assert errors == []
    assert len(docs) == 12
    assert count_inputs([EXAMPLES]) == 12


def test_read_error_is_reported_and_the_stream_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same as the permission test, for runs as root: the read itself fails."""
    locked = tmp_path / "a_locked.txt"
    locked.write_text(ARTICLE_EN, encoding="utf-8")
    (tmp_path / "b_open.txt").write_text(ARTICLE_FR, encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "a_locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    items = list(iter_documents([tmp_path]))
    assert items[0] == SourceError(str(locked), "permission denied")
    assert isinstance(items[1], RawDocument) and items[1].text == ARTICLE_FR


def test_stdin_pretty_printed_json() -> None:
    stream = io.StringIO(json.dumps([{"text": ARTICLE_EN}, {"text": ARTICLE_FR}], indent=2))
    docs = list(iter_documents(["-"], stdin=stream))
    assert [d.origin for d in docs] == ["<stdin>[0]", "<stdin>[1]"]
    assert all(isinstance(d, RawDocument) for d in docs)
