"""Stable canonical ids: the lock file, renamed clusters, merged identities, redirects."""

from __future__ import annotations

from pathlib import Path

import pytest

from cyberveille.kb import KnowledgeBase
from cyberveille.kb.draft import Draft
from cyberveille.kb.ids import apply_locked_ids, read_lock, update_lock

U1 = "threat-actor:11111111-1111-1111-1111-111111111111"
U2 = "mitre-intrusion-set:22222222-2222-2222-2222-222222222222"
U3 = "threat-actor:33333333-3333-3333-3333-333333333333"


def draft(ident: str, *refs: str) -> Draft:
    d = Draft(id=ident, kind="threat_actor", name=ident.split(":")[1])
    d.refs.extend(refs)
    return d


def test_a_renamed_cluster_keeps_its_locked_id() -> None:
    renamed = draft("actor:silk-typhoon", U1)  # the galaxy renamed HAFNIUM
    assert apply_locked_ids([renamed], {U1: "actor:hafnium"}) == {}
    assert renamed.id == "actor:hafnium"


def test_merged_identities_keep_one_id_and_redirect_the_other() -> None:
    merged = draft("actor:whatever", U1, U2)
    redirects = apply_locked_ids([merged], {U1: "actor:alpha", U2: "actor:beta"})
    assert merged.id == "actor:alpha"  # the highest-ranked cluster's id
    assert redirects == {"actor:beta": "actor:alpha"}


def test_a_new_identity_never_takes_a_locked_id() -> None:
    old = draft("actor:gamma", U1)
    new = draft("actor:alpha", U3)  # a new cluster whose slug another cluster holds
    apply_locked_ids([old, new], {U1: "actor:alpha"})
    assert (old.id, new.id) == ("actor:alpha", "actor:alpha-2")


def test_a_locked_id_of_another_kind_is_not_taken() -> None:
    tool = Draft(id="tool:psexec", kind="tool", name="PsExec")
    tool.refs.append(U1)
    assert apply_locked_ids([tool], {U1: "malware:psexec"}) == {"malware:psexec": "tool:psexec"}
    assert tool.id == "tool:psexec"


def test_update_lock_appends_and_never_rewrites(tmp_path: Path) -> None:
    lock = tmp_path / "ids.tsv"
    assert update_lock([("actor:alpha", [U1, "https://example.org"])], lock) == 1
    assert update_lock([("actor:renamed", [U1]), ("actor:beta", [U2])], lock) == 1
    assert read_lock(lock) == {U1: "actor:alpha", U2: "actor:beta"}


def test_a_malformed_lock_line_is_reported_with_its_place(tmp_path: Path) -> None:
    lock = tmp_path / "ids.tsv"
    lock.write_text("# header\nno tab here\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"ids\.tsv:2"):
        read_lock(lock)


def test_the_shipped_kb_resolves_ids_retired_by_merges(kb: KnowledgeBase) -> None:
    locked = read_lock()
    assert locked, "the package ships its id lock"
    # every actor and software identity holds the id locked for one of its clusters
    for entity in kb.entities("threat_actor"):
        ids = {locked[r] for r in entity.refs if r in locked}
        assert not ids or entity.id in ids or all(not i.startswith("actor:") for i in ids)
    # REvil and Sodinokibi are one family: the retired id leads to it
    revil = kb.get("malware:sodinokibi")
    assert revil is not None and revil.id == "malware:revil"
