"""``POST /api/v1/signals/stix-bundles``: a STIX 2.1 bundle imported through the API as ``gbvs signals
import-stix`` imports it (the same service, authorization and audit): 201 with the new signal, what became
of the objects and the warnings in the reader's language; an invalid or too large bundle is refused
naming the object and the fix, and nothing is stored. Runs on SQLite and PostgreSQL (``remote_site``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from gbvs.db.models import Outcome
from gbvs.signals import stix
from gbvs.signals.markings import Tlp

from .conftest import stixbuilder

URL = "/api/v1/signals/stix-bundles"


def test_a_bundle_is_imported_with_what_became_of_it_and_its_warnings(stix_importers: Any) -> None:
    remote_site, client, auth = stix_importers
    bundle = stixbuilder.bundle(
        stixbuilder.campaign(), stixbuilder.attack_pattern("T1566"), stixbuilder.attack_pattern("T9999")
    )
    answer = client.post(URL, json=bundle, headers=auth["bz"])
    assert answer.status_code == 201, answer.text
    body = answer.json()
    signal = body["signal"]
    assert answer.headers["Location"] == f"/api/v1/signals/{signal['id']}"
    assert (signal["title"], signal["tlp"], signal["owner"]) == ("Operatie Nachtvlinder", "TLP:AMBER", "BZ")
    assert signal["techniques"] == ["T1566"], "a known ATT&CK id is linked"
    assert (body["storedObjects"], body["leftOut"], body["alreadyImported"], body["newerVersions"]) == (
        3,
        0,
        0,
        0,
    )
    (warning,) = body["warnings"]
    assert (warning["technique"], warning["retired"]) == ("T9999", False)
    assert "dat de ATT&CK-catalogus van GBVS niet kent" in warning["message"], "Dutch by default"
    assert bundle["id"] in warning["message"] and warning["objectId"] in warning["message"]
    assert client.get(answer.headers["Location"], headers=auth["kijker"]).status_code == 200
    entry = stixbuilder.audit_entries(remote_site, "signals.create")[-1]
    assert (entry.actor, entry.outcome, entry.detail["stix_objects"]) == ("bz", Outcome.success, 3)
    twice = client.post(URL, json=bundle, headers=auth["bz"])
    assert twice.status_code == 409 and f"signal(s) {signal['id']}" in twice.json()["detail"]
    assert stixbuilder.stored_signals(remote_site) == 1, (
        "nothing stored when the whole bundle is there already"
    )
    more = stixbuilder.bundle(*bundle["objects"], stixbuilder.campaign("Tweede golf"))
    again = client.post(f"{URL}?lang=en", json=more, headers=auth["bz"])
    assert again.status_code == 201, again.text
    assert (again.json()["storedObjects"], again.json()["alreadyImported"]) == (1, 3), (
        "the same versions: left out"
    )
    assert "which the ATT&CK catalogue GBVS reads does not know" in again.json()["warnings"][0]["message"]
    stix_typed = client.post(
        f"{URL}?tlp=green",
        content=json.dumps(stixbuilder.bundle(stixbuilder.campaign(marking=None))),
        headers=auth["bz"] | {"Content-Type": "application/stix+json;version=2.1"},
    )
    assert stix_typed.status_code == 201 and stix_typed.json()["signal"]["tlp"] == "TLP:GREEN"


def test_an_invalid_bundle_is_a_400_naming_the_object_and_the_fix_and_nothing_is_stored(
    stix_importers: Any,
) -> None:
    remote_site, client, auth = stix_importers
    not_an_object = stixbuilder.bundle(stixbuilder.campaign(), {"type": "indicator"})
    lowered = stixbuilder.bundle(stixbuilder.campaign(marking=Tlp.red))
    for content, query, says in (
        ("{niet json", "", "not JSON"),
        (json.dumps({"type": "report"}), "", "expected a STIX bundle (type 'bundle'), found 'report'"),
        (json.dumps(not_an_object), "", "object 2 ("),
        (
            json.dumps(stixbuilder.bundle(stixbuilder.campaign(marking=None))),
            "",
            "the bundle carries no TLP marking; say which TLP applies",
        ),
        (json.dumps(lowered), "?tlp=green", "importing it as TLP:GREEN would lower the marking"),
        (
            json.dumps(stixbuilder.bundle(stixbuilder.campaign(), stixbuilder.attack_pattern("T1566"))),
            "?distribution=everyone",
            "distribution",
        ),
        (
            json.dumps(stixbuilder.bundle(stixbuilder.campaign() | {"name": "Operatie\x00Nachtvlinder"})),
            "",
            "objects[0].name holds a NUL character",  # PostgreSQL cannot store it: it was a 500 there
        ),
    ):
        answer = client.post(f"{URL}{query}", content=content, headers=auth["bz"])
        assert answer.status_code == 400, (says, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert says in answer.text, (says, answer.text)
    refused = client.post(URL, content=json.dumps(not_an_object), headers=auth["bz"]).json()["detail"]
    assert "is not a STIX object with a 'type' and an 'id'; fix it or leave it out" in refused
    assert stixbuilder.stored_signals(remote_site) == 0


def test_a_bundle_over_the_limit_is_refused_before_it_is_read_whole(
    stix_importers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote_site, client, auth = stix_importers
    text = json.dumps(stixbuilder.bundle(stixbuilder.campaign()))
    monkeypatch.setattr(stix, "MAX_BUNDLE_BYTES", len(text) - 1)
    answer = client.post(URL, content=text, headers=auth["bz"])
    assert answer.status_code == 413 and answer.headers["content-type"] == "application/problem+json"
    assert f"bundles up to {len(text) - 1:,} bytes are accepted: split it" in answer.json()["detail"]
    assert stixbuilder.stored_signals(remote_site) == 0
    monkeypatch.setattr(stix, "MAX_BUNDLE_BYTES", len(text))
    assert client.post(URL, content=text, headers=auth["bz"]).status_code == 201


def test_who_may_not_add_signals_may_not_import_and_nothing_is_stored(stix_importers: Any) -> None:
    remote_site, client, auth = stix_importers
    answer = client.post(URL, json=stixbuilder.bundle(stixbuilder.campaign()), headers=auth["kijker"])
    assert answer.status_code == 403 and answer.headers["content-type"] == "application/problem+json"
    nobody = {"Authorization": f"Bearer {remote_site.token('bob')}"}  # an analyst of no organisation
    orphan = client.post(URL, json=stixbuilder.bundle(stixbuilder.campaign()), headers=nobody)
    assert orphan.status_code in (400, 403) and "no organisation" in orphan.text
    assert stixbuilder.stored_signals(remote_site) == 0
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/signals/stix-bundles"]["post"]
    assert set(operation["requestBody"]["content"]) == {
        "application/json",
        "application/stix+json;version=2.1",
    }
    assert {"201", "409", "413"} <= set(operation["responses"])


def test_the_answer_names_the_ids_of_the_objects_left_out_and_imported_already(stix_importers: Any) -> None:
    """The answer counted the objects left out (GBVS makes them itself) and imported already; the
    command line's page shows which, and now an API client sees their ids too."""
    _, client, auth = stix_importers
    first = stixbuilder.campaign_bundle("T1566")
    answer = client.post(URL, json=first, headers=auth["bz"])
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["leftOut"], body["leftOutIds"]) == (1, [stix.GBVS_IDENTITY["id"]])
    assert body["alreadyImportedIds"] == [] and body["newerVersionIds"] == []
    newer = first["objects"][1] | {"modified": "2024-04-01T00:00:00.000Z", "name": "patroon T1566 (herzien)"}
    second = stixbuilder.bundle(first["objects"][0], newer, stixbuilder.campaign("Tweede golf"))
    again = client.post(URL, json=second, headers=auth["bz"]).json()
    assert (again["alreadyImported"], again["alreadyImportedIds"]) == (1, [first["objects"][0]["id"]]), again
    assert (again["newerVersions"], again["newerVersionIds"]) == (1, [newer["id"]])
    document = client.get("/api/v1/openapi.json").json()
    result = document["components"]["schemas"]["StixImportResult"]
    assert {"leftOutIds", "alreadyImportedIds", "newerVersionIds"} <= set(result["required"])
    assert "description" in result["properties"]["leftOutIds"]


def test_the_provenance_note_of_a_gbvs_export_is_left_out_and_named(stix_importers: Any) -> None:
    """A GBVS export carries a note by GBVS's own identity saying who exported it when; the API stored it
    with the signal (a second import of the same signals then differed by it) and said nothing."""
    _, client, auth = stix_importers
    campaign = stixbuilder.campaign("Operatie Nachtvlinder")
    lines = [("exported by", "'ann' (analyst, BZ)")]
    at = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    note, identity = stix.provenance_objects(lines, at, [campaign["id"]], [campaign])
    answer = client.post(URL, json=stixbuilder.bundle(campaign, note, identity), headers=auth["bz"])
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["exportNotes"], body["exportNoteIds"]) == (1, [note["id"]])
    assert body["storedObjects"] == 1 and body["leftOutIds"] == [stix.GBVS_IDENTITY["id"]]
    result = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["StixImportResult"]
    assert {"exportNotes", "exportNoteIds"} <= set(result["required"])
