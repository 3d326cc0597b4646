"""An imported STIX bundle cannot take the id of a signal's report (nothing stored when it is refused);
objects GBVS makes itself (a bundle another GBVS exported carries them) are left out, so GBVS's own stand
under their ids in exports; the objects a bundle brought leave marked at least as their signal is."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import signal_matrix as matrix
from gbvs.countries.matching import iso2_to_iso3, iso3_to_iso2
from gbvs.db import migrate
from gbvs.db.models import AuditLog, Organisation
from gbvs.db.services import signals as service
from gbvs.db.services import users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import engine_for_url, make_session_factory
from gbvs.db.signal_models import Signal
from gbvs.db.signal_queries import SignalFilter
from gbvs.errors import InputError, StateConflictError
from gbvs.security import Principal
from gbvs.signals import stix
from gbvs.signals.markings import STIX_TLP_MARKINGS, Distribution, Tlp

CREATED = "2024-03-01T00:00:00.000Z"


@pytest.fixture
def world(session: Session, admin: Principal) -> dict[str, Principal]:
    principals: dict[str, Principal] = matrix.build_world(session, admin)
    return principals


def _object(kind: str, name: str, *, marking: Tlp | None = None, object_id: str = "") -> dict[str, Any]:
    obj: dict[str, Any] = {
        "type": kind,
        "spec_version": "2.1",
        "id": object_id or f"{kind}--{uuid.uuid4()}",
        "created": CREATED,
        "modified": CREATED,
        "name": name,
    }
    if kind == "identity":
        obj["identity_class"] = "organization"
    if marking is not None:
        obj["object_marking_refs"] = [STIX_TLP_MARKINGS[marking]]
    return obj


def _bundle(*objects: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects)})
    return stix.read_bundle(text, "upload.json")


def _import(
    session: Session,
    principal: Principal,
    document: dict[str, Any],
    distribution: Distribution,
    recipients: tuple[str, ...] = (),
    tlp: Tlp | None = None,
) -> service.StixImport:
    """What `gbvs signals import-stix` does with a bundle."""
    assert principal.organisation_code is not None
    draft, objects = stix.draft_from_bundle(
        document,
        label="upload.json",
        owner_organisation=principal.organisation_code,
        reported_on=date(2026, 12, 1),
        tlp=tlp,
        distribution=distribution,
        red_recipients=recipients,
        iso3=iso2_to_iso3(),
    )
    return service.import_stix(session, principal, draft, objects, "upload.json")


def _stored(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Signal)) or 0


def _made(session: Session) -> frozenset[str]:
    return stix.made_ids(session.scalars(select(Organisation.code)), iso3_to_iso2())


def _forged_report(report_id: str) -> dict[str, Any]:
    forged = _object("report", "vervalst", marking=Tlp.green, object_id=report_id)
    return forged | {"published": CREATED, "object_refs": [stix.owner_identity_id("AIVD")]}


def test_a_bundle_cannot_take_the_id_of_a_signals_report(
    session: Session, world: dict[str, Principal]
) -> None:
    """A brought object with the id of another signal's report replaced that report in every export
    holding both (the last one won). The message names the signal only to a reader who may see it."""
    bz, aivd = world["bz.analyst"], world["aivd.analyst"]
    shared = service.create_signal(session, aivd, matrix.draft(aivd, matrix.MARKINGS[1], 1))  # GREEN, all
    hidden = service.create_signal(session, aivd, matrix.draft(aivd, matrix.MARKINGS[5], 2))  # AIVD only
    session.commit()
    reports = {row.id: row.stix_id for row in session.execute(select(Signal.id, Signal.stix_id))}
    for victim, which in ((shared, f"the report of signal {shared}"), (hidden, "an existing object")):
        taken = reports[victim]
        document = _bundle(
            _object("campaign", "Operatie Nachtvlinder", marking=Tlp.green), _forged_report(taken)
        )
        with pytest.raises(InputError, match=f"{taken}.*is the id of an object GBVS makes") as refused:
            _import(session, bz, document, Distribution.all_organisations)
        session.rollback()
        assert str(refused.value).startswith(f"upload.json: object {taken} "), str(refused.value)
        assert f"({which})" in str(refused.value), str(refused.value)
        assert f"signal {hidden}" not in str(refused.value), "the hidden signal's existence leaked"
    assert _stored(session) == 2, "only the victims' signals"


def test_a_crafted_object_with_an_id_gbvs_makes_is_left_out(
    session: Session, world: dict[str, Principal]
) -> None:
    """An identity named "Evil" under the id of AIVD's identity (or a location under the id of the
    Netherlands') stood in for GBVS's object in every export holding both; now it is not stored."""
    bz, aivd = world["bz.analyst"], world["aivd.analyst"]
    service.create_signal(session, aivd, matrix.draft(aivd, matrix.MARKINGS[1], 1))  # GREEN, all; NLD
    owner, nld = stix.owner_identity_id("AIVD"), stix.location_id("NLD")
    evil = _object("identity", "Evil", marking=Tlp.green, object_id=owner)
    fake_nld = _object("location", "Evil", marking=Tlp.green, object_id=nld) | {"country": "NL"}
    campaign = _object("campaign", "Operatie Nachtvlinder", marking=Tlp.green)
    result = _import(session, bz, _bundle(campaign, evil, fake_nld), Distribution.all_organisations)
    session.commit()
    assert (result.stored, result.left_out) == (1, 2)
    row = session.get(Signal, result.signal_id)
    assert row is not None and [obj["id"] for obj in row.detail["stix_objects"]] == [campaign["id"]]
    audit = session.scalars(
        select(AuditLog).where(
            AuditLog.action == "signals.create", AuditLog.object_id == str(result.signal_id)
        )
    ).one()
    assert audit.detail["stix_objects"] == 1 and audit.detail["stix_left_out"] == 2, audit.detail
    exported = service.export_stix(session, bz, SignalFilter())
    names = {obj["id"]: obj.get("name") for obj in exported["objects"]}
    assert names[owner] == "General Intelligence and Security Service" and names[nld] == "NLD"


def _exported_by_another_gbvs(folder: Path) -> str:
    """A STIX bundle another installation (its own database) exported of a signal AIVD made there."""
    engine = engine_for_url(f"sqlite:///{folder / 'other-gbvs.sqlite3'}")
    migrate.upgrade(engine)
    try:
        with make_session_factory(engine)() as other:
            users.bootstrap_admin(other, "root", "Root Admin")
            other.commit()
            world = matrix.build_world(other, load_principal(other, "root"))
            aivd = world["aivd.analyst"]
            signal_id = service.create_signal(other, aivd, matrix.draft(aivd, matrix.MARKINGS[1], 1))
            other.commit()
            return json.dumps(service.export_stix_of(other, aivd, [signal_id], scope="test"))
    finally:
        engine.dispose()


def test_a_bundle_another_gbvs_exported_imports_and_exports_with_gbvs_objects(
    session: Session, world: dict[str, Principal], tmp_path: Path
) -> None:
    """Multi-agency exchange: another installation's export carries GBVS's identity, extension,
    markings, the owner's identity and the countries' locations under GBVS's ids; it was refused."""
    text = _exported_by_another_gbvs(tmp_path)
    foreign = {obj["id"]: obj for obj in json.loads(text)["objects"]}
    bz = world["bz.analyst"]
    result = _import(session, bz, stix.read_bundle(text, "other.json"), Distribution.all_organisations)
    session.commit()
    row = session.get(Signal, result.signal_id)
    assert row is not None
    stored = {obj["id"] for obj in row.detail["stix_objects"]}
    assert [foreign[key]["type"] for key in stored] == ["report"] and not stored & _made(session)
    assert result.left_out == 4, "GBVS's identity and extension, AIVD's identity, the NLD location"
    exported = service.export_stix_of(session, bz, [result.signal_id], scope="test")
    stix.validate(exported, "export")
    assert stix.dangling(exported["objects"], stix.PREDEFINED) == [], "the report's created_by_ref"
    out = [obj["id"] for obj in exported["objects"]]
    assert len(out) == len(set(out)) == len(exported["objects"])
    by_id = {obj["id"]: obj for obj in exported["objects"]}
    assert by_id[stix.GBVS_IDENTITY["id"]] == stix.GBVS_IDENTITY
    assert by_id[stix.EXTENSION_ID] == stix.EXTENSION_DEFINITION
    assert by_id[stix.location_id("NLD")]["name"] == "NLD"
    (brought,) = stored
    assert by_id[brought]["name"] == foreign[brought]["name"]


def _signal_as_stored(session: Session, signal_id: int) -> dict[str, Any]:
    """What the import stored of a signal, without its id and times."""
    row = session.get(Signal, signal_id)
    assert row is not None
    draft = service.draft_of(row)
    return {"draft": draft, "detail": row.detail, "stix_id": row.stix_id is not None}


def test_a_gbvs_exports_provenance_note_is_left_out_and_the_round_trip_stores_the_same(
    session: Session, world: dict[str, Principal], tmp_path: Path
) -> None:
    """A GBVS export now carries a provenance note (who exported it when, under whose need-to-know) by
    GBVS's own identity; an import leaves it out and says why, so exporting and importing again stores
    exactly what the same bundle without the note stores (the note describes the export, not the signal)."""
    text = _exported_by_another_gbvs(tmp_path)
    document = stix.read_bundle(text, "other.json")
    [note] = [obj for obj in document["objects"] if stix.is_export_note(obj)]
    assert "exported by: 'aivd.analyst'" in note["content"], note["content"]
    bare = dict(document, objects=[obj for obj in document["objects"] if obj is not note])
    bz = world["bz.analyst"]
    before = _import(
        session, bz, stix.read_bundle(json.dumps(bare), "other.json"), Distribution.all_organisations
    )
    without = _signal_as_stored(session, before.signal_id)
    session.rollback()
    result = _import(session, bz, document, Distribution.all_organisations)
    session.commit()
    assert _signal_as_stored(session, result.signal_id) == without
    assert (result.stored, result.left_out) == (before.stored, before.left_out) == (1, 4)
    assert (result.export_notes, result.export_note_ids) == (1, (note["id"],))
    assert (before.export_notes, before.export_note_ids) == (0, ())
    told = service.stix_import_result(session, bz, result.signal_id).result
    assert told.export_note_ids == (note["id"],), "the importer reads it again"
    line = next(line for count, _, line in stix.IMPORT_LINES if count == "export_notes")
    assert "provenance notes of a GBVS export left out" in line


def test_brought_objects_leave_marked_at_least_as_their_signal(
    session: Session, world: dict[str, Principal]
) -> None:
    """A TLP:RED bundle whose other objects carried no or a lower marking exported them unmarked or
    TLP:CLEAR to its named recipients' tools; so did a signal whose owner raised its marking."""
    bz = world["bz.analyst"]
    unmarked = _object("intrusion-set", "APT Nachtvlinder")
    cleared = _object("malware", "nachtvlinder.exe", marking=Tlp.clear) | {"is_family": False}
    document = _bundle(_object("campaign", "Operatie Nachtvlinder", marking=Tlp.red), unmarked, cleared)
    signal_id = _import(session, bz, document, Distribution.organisation, ("bz.analyst",)).signal_id
    session.commit()
    exported = service.export_stix_of(session, bz, [signal_id], scope="test")
    stix.validate(exported, "export")
    out = {obj["id"]: obj for obj in exported["objects"]}
    for brought in (unmarked, cleared):
        assert out[brought["id"]]["object_marking_refs"] == [STIX_TLP_MARKINGS[Tlp.red]], brought["type"]
        kept = {key: value for key, value in out[brought["id"]].items() if key != "object_marking_refs"}
        assert kept == {key: value for key, value in brought.items() if key != "object_marking_refs"}


def test_an_export_gives_gbvs_objects_over_stand_ins_stored_before(
    session: Session, world: dict[str, Principal]
) -> None:
    """A signal imported before imports left GBVS's objects out may hold a stand-in ("Evil" under the
    id of AIVD's identity); the export shows GBVS's identity, not the stored one."""
    bz, aivd = world["bz.analyst"], world["aivd.analyst"]
    service.create_signal(session, aivd, matrix.draft(aivd, matrix.MARKINGS[1], 1))  # GREEN, all
    owner = stix.owner_identity_id("AIVD")
    evil = _object("identity", "Evil", marking=Tlp.green, object_id=owner)
    bz_id = session.scalars(select(Organisation.id).where(Organisation.code == "BZ")).one()
    draft = matrix.draft(bz, matrix.MARKINGS[1], 0)  # older: its objects come last, and the last one won
    service.store_drafts(session, [draft], owner_id=bz_id, author_id=bz.user_id, objects=(evil,))
    session.commit()
    exported = service.export_stix(session, bz, SignalFilter())
    names = [obj.get("name") for obj in exported["objects"] if obj["id"] == owner]
    assert names == ["General Intelligence and Security Service"]
    (bz_report,) = [obj for obj in exported["objects"] if obj.get("name") == draft.title]
    assert owner not in bz_report["object_refs"], "the stand-in is no object of BZ's signal"


def test_a_bundle_whose_references_do_not_resolve_is_refused_and_nothing_stored(
    session: Session, world: dict[str, Principal]
) -> None:
    """An export must be self-contained: a reference the bundle cannot resolve would dangle in it."""
    campaign = _object("campaign", "Operatie Nachtvlinder", marking=Tlp.green)
    orphan = campaign | {"created_by_ref": f"identity--{uuid.uuid4()}"}
    with pytest.raises(InputError, match=f"{orphan['id']} -> {orphan['created_by_ref']}"):
        _import(session, world["bz.analyst"], _bundle(orphan), Distribution.all_organisations)
    session.rollback()
    assert _stored(session) == 0


def _versioned(obj: dict[str, Any], modified: str) -> dict[str, Any]:
    return obj | {"modified": modified}


def test_the_same_object_imported_twice_is_detected_by_version(
    session: Session, world: dict[str, Principal]
) -> None:
    """Two imports of one foreign object made two signals holding it, and an export of both held the
    id twice (the last won, perhaps the older version). Now: the same version is left out and counted,
    its new signal still exports it; a newer version is stored; an older one is refused."""
    bz, def_viewer = world["bz.analyst"], world["def.viewer"]
    campaign = _object("campaign", "Operatie Nachtvlinder", marking=Tlp.green)
    first = _import(session, bz, _bundle(campaign), Distribution.all_organisations)
    session.commit()
    with pytest.raises(StateConflictError, match=f"imported already: .* signal\\(s\\) {first.signal_id}"):
        _import(session, bz, _bundle(campaign), Distribution.all_organisations)
    session.rollback()
    assert _stored(session) == 1, "nothing stored when the whole bundle is there already"
    tool = _object("malware", "nachtvlinder.exe", marking=Tlp.green) | {"is_family": False}
    uses = _object("relationship", "", marking=Tlp.green) | {
        "relationship_type": "uses",
        "source_ref": campaign["id"],
        "target_ref": tool["id"],
    }
    del uses["name"]
    second = _import(session, bz, _bundle(campaign, tool, uses), Distribution.all_organisations)
    session.commit()
    assert (second.stored, second.already_imported, second.newer_versions) == (2, 1, 0)
    alone = service.export_stix_of(session, def_viewer, [second.signal_id], scope="test")
    stix.validate(alone, "export")
    assert stix.dangling(alone["objects"], stix.PREDEFINED) == [], "the campaign comes from signal 1"
    newer = _versioned(campaign, "2025-01-01T00:00:00.000Z") | {"description": "nu ook in Duitsland"}
    middle = _versioned(campaign, "2024-06-01T00:00:00.000Z")
    third = _import(session, bz, _bundle(newer), Distribution.all_organisations)
    session.commit()
    assert (third.stored, third.newer_versions) == (1, 1)
    both = service.export_stix(session, bz, SignalFilter())
    (shown,) = [obj for obj in both["objects"] if obj["id"] == campaign["id"]]
    assert shown["modified"] == newer["modified"], "the newest version of the object"
    first_row = session.get(Signal, first.signal_id)
    assert first_row is not None and first_row.detail["stix_objects"] == [campaign], "the old one kept"
    older = middle
    message = f"older than version {newer['modified']} that signal {third.signal_id} holds"
    with pytest.raises(StateConflictError, match=message):
        _import(session, bz, _bundle(older, _object("campaign", "ander")), Distribution.all_organisations)
    session.rollback()
    changed = _versioned(newer, newer["modified"]) | {"description": "iets anders"}
    with pytest.raises(InputError, match="needs a later 'modified'"):
        _import(session, bz, _bundle(changed), Distribution.all_organisations)
    session.rollback()
    assert _stored(session) == 3


def _answer(result: service.StixImport) -> tuple[int, int, int, int]:
    """What the importer is told, the new signal's id aside."""
    return (result.stored, result.left_out, result.already_imported, result.newer_versions)


def test_an_object_only_a_hidden_signal_holds_is_linked_and_told_as_stored(
    session: Session, world: dict[str, Principal]
) -> None:
    """AIVD holds a campaign in a signal BZ may not see. BZ's import of the same campaign used to store
    a second copy; now it links to AIVD's, and BZ is told exactly what it is told when no one holds it
    (stored, not "imported already"), in its own words: nothing says that a hidden signal exists."""
    aivd, bz = world["aivd.analyst"], world["bz.analyst"]
    campaign = _object("campaign", "Operatie Grauwe Gans", marking=Tlp.amber)
    hidden = _import(session, aivd, _bundle(campaign), Distribution.organisation)
    session.commit()
    alone = _object("campaign", "Operatie Zilvermeeuw", marking=Tlp.amber)
    unheld = _import(session, bz, _bundle(alone), Distribution.organisation)
    linked = _import(session, bz, _bundle(campaign), Distribution.organisation)
    session.commit()
    assert _answer(linked) == _answer(unheld) == (1, 0, 0, 0)
    row = session.get(Signal, linked.signal_id)
    assert row is not None and row.detail.get("stix_objects", []) == [], "no second copy"
    assert row.detail["stix_held"] == {campaign["id"]: hidden.signal_id}
    exported = service.export_stix_of(session, bz, [linked.signal_id], scope="test")
    assert [obj for obj in exported["objects"] if obj["id"] == campaign["id"]] == [campaign]
    for again in (alone, campaign):  # the second time, both are held by BZ's own signal, named alike
        with pytest.raises(StateConflictError, match="imported already") as refused:
            _import(session, bz, _bundle(again), Distribution.organisation)
        session.rollback()
        assert str(hidden.signal_id) not in str(refused.value).split("signal(s)")[1]


def test_a_version_a_hidden_signal_holds_otherwise_is_stored_without_a_word(
    session: Session, world: dict[str, Principal]
) -> None:
    """An older version than a hidden signal's, or the same version with other content, is refused
    when one may see the holder; when one may not, it is stored as a copy, told like any new object."""
    aivd, bz = world["aivd.analyst"], world["bz.analyst"]
    campaign = _object("campaign", "Operatie Grauwe Gans", marking=Tlp.amber)
    newer = _versioned(campaign, "2025-01-01T00:00:00.000Z")
    other = _object("campaign", "Operatie Kokmeeuw", marking=Tlp.amber)
    _import(session, aivd, _bundle(newer, other), Distribution.organisation)
    session.commit()
    changed = other | {"description": "anders"}
    for bundle in (_bundle(campaign), _bundle(changed)):
        result = _import(session, bz, bundle, Distribution.organisation)
        session.commit()
        assert _answer(result) == (1, 0, 0, 0)
        row = session.get(Signal, result.signal_id)
        assert row is not None and len(row.detail["stix_objects"]) == 1 and "stix_held" not in row.detail
