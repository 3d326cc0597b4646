"""An imported STIX bundle cannot take the id of an object GBVS makes (nothing stored when it is
refused), and the objects it brought leave in an export marked at least as their signal is."""

from __future__ import annotations

import importlib.util
import json
import sys
import uuid
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gbvs.countries.matching import iso2_to_iso3
from gbvs.db.services import signals as service
from gbvs.db.signal_models import Signal
from gbvs.db.signal_queries import SignalFilter
from gbvs.errors import InputError
from gbvs.security import Principal
from gbvs.signals import stix
from gbvs.signals.markings import STIX_TLP_MARKINGS, Distribution, Tlp


def _load_matrix() -> ModuleType:
    name = "gbvs_signal_matrix"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parents[1] / "signal_matrix.py")
        assert spec is not None and spec.loader is not None
        sys.modules[name] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[name]


matrix = _load_matrix()
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
) -> int:
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
    return service.create_signal(session, principal, draft, objects=objects)


def _stored(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Signal)) or 0


def test_a_bundle_cannot_take_the_id_of_an_object_gbvs_makes(
    session: Session, world: dict[str, Principal]
) -> None:
    """A brought object with the id of another signal's report, of an organisation's identity or of a
    country's location replaced that object in every export holding both (the last one won)."""
    bz, aivd = world["bz.analyst"], world["aivd.analyst"]
    victim = service.create_signal(session, aivd, matrix.draft(aivd, matrix.MARKINGS[1], 1))  # GREEN, all
    session.commit()
    report_id = service.get_signal(session, bz, victim).stix_id
    owner = stix.owner_identity_id("AIVD")
    nld = stix.location_id("NLD")
    for taken, kind in ((report_id, "report"), (owner, "identity"), (nld, "location")):
        forged = _object(kind, "vervalst", marking=Tlp.green, object_id=taken)
        if kind == "report":
            forged |= {"published": CREATED, "object_refs": [owner]}
        if kind == "location":
            forged |= {"country": "NL"}
        document = _bundle(_object("campaign", "Operatie Nachtvlinder", marking=Tlp.green), forged)
        with pytest.raises(InputError, match=f"{taken}.*is the id of an object GBVS makes"):
            _import(session, bz, document, Distribution.all_organisations)
        session.rollback()
    assert _stored(session) == 1, "only the victim's signal"
    exported = service.export_stix(session, bz, SignalFilter())
    names = {obj["id"]: obj.get("name") for obj in exported["objects"]}
    assert names[owner] == "General Intelligence and Security Service"


def test_brought_objects_leave_marked_at_least_as_their_signal(
    session: Session, world: dict[str, Principal]
) -> None:
    """A TLP:RED bundle whose other objects carried no or a lower marking exported them unmarked or
    TLP:CLEAR to its named recipients' tools; so did a signal whose owner raised its marking."""
    bz = world["bz.analyst"]
    unmarked = _object("intrusion-set", "APT Nachtvlinder")
    cleared = _object("malware", "nachtvlinder.exe", marking=Tlp.clear) | {"is_family": False}
    document = _bundle(_object("campaign", "Operatie Nachtvlinder", marking=Tlp.red), unmarked, cleared)
    signal_id = _import(session, bz, document, Distribution.organisation, ("bz.analyst",))
    session.commit()
    exported = service.export_stix_of(session, bz, [signal_id], scope="test")
    stix.validate(exported, "export")
    out = {obj["id"]: obj for obj in exported["objects"]}
    for brought in (unmarked, cleared):
        assert out[brought["id"]]["object_marking_refs"] == [STIX_TLP_MARKINGS[Tlp.red]], brought["type"]
        kept = {key: value for key, value in out[brought["id"]].items() if key != "object_marking_refs"}
        assert kept == {key: value for key, value in brought.items() if key != "object_marking_refs"}
