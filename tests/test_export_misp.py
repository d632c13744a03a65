"""MISP export: hand-built incident views -> MISP events that round-trip through pymisp."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from pymisp import MISPEvent

from cyberveille.export.misp import (
    build_event,
    build_events,
    country_tag,
    galaxy_tags,
    misp_uuid,
    read_events,
    write_events,
)
from cyberveille.kb.entity import Entity
from test_export_stix import KB, QUIET, VIEW

# The real clusters APT40 and the maritime sector come from (MISP galaxies).
APT40_REFS = (
    "threat-actor:5b4b6980-3bc7-11e8-84d6-879aaac37dd9",
    "mitre-intrusion-set:7113eaa5-ba79-4fb3-b68a-398ee9cd698e",
)
GALAXY_KB = {
    **KB,
    "actor:apt40": replace(KB["actor:apt40"], refs=APT40_REFS),
}


def resolve(ref: str) -> Entity | None:
    return GALAXY_KB.get(ref)


def as_dict(event: MISPEvent) -> dict:
    return json.loads(event.to_json())


def test_event_fields_tags_attributes_report() -> None:
    event = as_dict(build_event(VIEW, resolve))
    assert event["info"] == VIEW.incident.title
    assert event["date"] == "2024-03-04"
    assert event["uuid"] == misp_uuid(f"incident:{VIEW.incident.id}")
    tags = {t["name"] for t in event["Tag"]}
    assert 'misp-galaxy:threat-actor="APT40"' in tags
    assert 'misp-galaxy:mitre-intrusion-set="Leviathan - G0065"' in tags
    assert 'misp-galaxy:country="france"' in tags
    assert 'cyberveille:victim-country="FR"' in tags
    assert 'cyberveille:sponsor-country="CN"' in tags
    assert 'cyberveille:sponsor="Ministry of State Security"' in tags
    assert 'cyberveille:accuser="US Department of Justice"' in tags
    assert 'cyberveille:attribution-type="indictment"' in tags
    assert 'cyberveille:modality="denied"' in tags
    assert 'cyberveille:incident-type="espionage"' in tags
    # a sector without galaxy refs in this hand-made KB gets a local tag
    assert 'cyberveille:sector="Maritime"' in tags
    attrs = {(a["type"], a["value"]) for a in event["Attribute"]}
    assert ("vulnerability", "CVE-2021-26855") in attrs
    assert ("link", "https://presse.example.fr/cyber/apt40-armateurs") in attrs
    assert ("link", "https://news.example.com/apt40-indictment") in attrs
    assert ("threat-actor", "APT40") in attrs
    assert all(a["to_ids"] is False for a in event["Attribute"])
    (report,) = event["EventReport"]
    content = report["content"]
    for claim in VIEW.claims:
        assert claim.evidence.sentence in content
    assert "US Department of Justice -> APT40 (indictment, asserted)" in content
    assert "hedged by the outlet" in content
    assert f"characters {VIEW.claims[0].evidence.start}-{VIEW.claims[0].evidence.end}" in content


def test_uuids_deterministic_and_distinct() -> None:
    first = as_dict(build_event(VIEW, resolve))
    second = as_dict(build_event(VIEW, resolve))
    assert first == second
    uuids = [first["uuid"], *(a["uuid"] for a in first["Attribute"])]
    uuids += [r["uuid"] for r in first["EventReport"]]
    assert len(uuids) == len(set(uuids))
    other = as_dict(build_event(QUIET, resolve))
    assert other["uuid"] != first["uuid"]


def test_round_trip_through_pymisp(tmp_path: Path) -> None:
    events = build_events([QUIET, VIEW], resolve)
    path = tmp_path / "out" / "events.json"
    write_events(events, path)
    back = read_events(path)
    assert [as_dict(e) for e in back] == [as_dict(e) for e in events]
    # and through from_json on each event's own JSON
    for event in events:
        again = MISPEvent()
        again.from_json(event.to_json())
        assert as_dict(again) == as_dict(event)
        assert [t.name for t in again.tags] == [t.name for t in event.tags]
        assert [r.content for r in again.event_reports] == [r.content for r in event.event_reports]
    # the same store exports to the same bytes
    second = tmp_path / "again.json"
    write_events(build_events([VIEW, QUIET], resolve), second)
    assert second.read_bytes() == path.read_bytes()


def test_quiet_incident_has_no_links_and_no_date() -> None:
    event = as_dict(build_event(QUIET, resolve))
    assert event["date"] == "2024-04-01"  # from its article's publication date
    assert "Attribute" not in event or not event["Attribute"]


def test_galaxy_and_country_tags() -> None:
    assert galaxy_tags(None) == []
    assert country_tag("cn") == 'misp-galaxy:country="china"'
    assert country_tag("ZZ") is None
    unknown = Entity("actor:x", "threat_actor", "X", refs=("threat-actor:not-a-uuid",))
    assert galaxy_tags(unknown) == []
