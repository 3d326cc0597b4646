"""A STIX export carries the analysts' current assessments of the exported signals as STIX 2.1 ``note``
objects on the signal's report, by the assessing organisation's ``identity``; an assessment of a signal
the reader may not see stays out, and every export validates with stix2-validator."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

import signal_matrix as matrix
from gbvs.db.services import cases
from gbvs.db.services import signals as service
from gbvs.db.signal_queries import SignalFilter
from gbvs.security import Principal
from gbvs.signals import stix
from gbvs.signals.markings import STIX_TLP_MARKINGS, Distribution, Tlp


@pytest.fixture
def world(session: Session, admin: Principal) -> dict[str, Principal]:
    principals: dict[str, Principal] = matrix.build_world(session, admin)
    return principals


def _signal(session: Session, author: Principal, marking: matrix.Marking, n: int) -> int:
    signal_id = service.create_signal(session, author, matrix.draft(author, marking, n))
    session.commit()
    return signal_id


def _notes(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [obj for obj in document["objects"] if obj["type"] == "note" and not stix.is_export_note(obj)]


def _by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {obj["id"]: obj for obj in document["objects"]}


def test_assessments_leave_as_notes_on_the_report_by_their_organisation(
    session: Session, world: dict[str, Principal]
) -> None:
    bz, aivd = world["bz.analyst"], world["aivd.analyst"]
    shared = _signal(session, bz, (Tlp.green, Distribution.all_organisations, None, ()), 1)
    cases.assess(session, bz, signal_id=shared, judgement="first look", likelihood="likely", confidence="low")
    cases.assess(
        session,
        bz,
        signal_id=shared,
        judgement="APT28 phished the ministry",
        likelihood="very-likely",
        confidence="high",
        suspected_actor="APT28",
        sponsor_state="RUS",
    )
    cases.assess(
        session,
        aivd,
        signal_id=shared,
        judgement="not enough",
        likelihood="roughly-even-chance",
        confidence="moderate",
    )
    session.commit()
    document = service.export_stix_of(session, world["def.viewer"], [shared], scope=str(shared))
    stix.validate(document, "export with assessments")
    objects = _by_id(document)
    (report,) = [obj for obj in document["objects"] if obj["type"] == "report"]
    notes = {objects[note["created_by_ref"]]["name"]: note for note in _notes(document)}
    assert set(notes) == {"Foreign Affairs", "General Intelligence and Security Service"}
    bz_note = notes["Foreign Affairs"]
    assert bz_note["object_refs"] == [report["id"]]
    assert bz_note["content"].splitlines()[:3] == [
        "APT28 phished the ministry",
        "Suspected actor: APT28",
        "Sponsor state: RUS",
    ]
    assert bz_note["abstract"].startswith("assessment by BZ: very-likely (") and bz_note["confidence"] == 85
    assert bz_note["created"] < bz_note["modified"], "the note's first version is the first assessment's"
    assert bz_note["object_marking_refs"] == [STIX_TLP_MARKINGS[Tlp.green]]
    assert objects[bz_note["created_by_ref"]]["identity_class"] == "organization"
    assert notes["General Intelligence and Security Service"]["confidence"] == 50


def test_an_assessment_of_a_signal_the_reader_may_not_see_stays_out(
    session: Session, world: dict[str, Principal]
) -> None:
    bz = world["bz.analyst"]
    shared = _signal(session, bz, (Tlp.green, Distribution.all_organisations, None, ()), 1)
    own = _signal(session, bz, (Tlp.amber, Distribution.organisation, None, ()), 2)
    for signal_id, words in ((shared, "shared judgement"), (own, "BZ-only judgement")):
        cases.assess(
            session, bz, signal_id=signal_id, judgement=words, likelihood="likely", confidence="moderate"
        )
    session.commit()
    for reader, seen in (
        ("def.viewer", {"shared judgement"}),
        ("bz.coordinator", {"shared judgement", "BZ-only judgement"}),
    ):
        document = service.export_stix(session, world[reader], SignalFilter())
        stix.validate(document, f"export for {reader}")
        assert {note["content"] for note in _notes(document)} == seen, reader
        reports = {obj["id"] for obj in document["objects"] if obj["type"] == "report"}
        assert all(set(note["object_refs"]) <= reports for note in _notes(document))
    assert _notes(service.export_stix_of(session, world["def.viewer"], [own], scope=str(own))) == []
