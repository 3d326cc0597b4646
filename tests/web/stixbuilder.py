"""STIX 2.1 bundles and the importers for the tests of the STIX import through the API
(``test_stix_import_api.py``) and the page (``test_stix_import_page.py``): BZ's analyst 'bz' and
viewer 'kijker', objects with fresh ids created on one fixed day, and how many signals are stored."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from gbvs.db.models import AuditLog
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import organisations, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.db.signal_models import Signal
from gbvs.security import Role
from gbvs.signals import stix
from gbvs.signals.markings import STIX_TLP_MARKINGS, Tlp

CREATED = "2024-03-01T00:00:00.000Z"
AMBER = STIX_TLP_MARKINGS[Tlp.amber]
CAMPAIGN = "Operatie Nachtvlinder"


def add_importers(remote_site: Any) -> dict[str, dict[str, str]]:
    """Organisation BZ with analyst 'bz' and viewer 'kijker': each one's Bearer header, by name."""
    with session_scope(remote_site.factory()) as session:
        ada = load_principal(session, "ada")
        organisations.create_organisation(
            session, ada, OrganisationCreate(code="BZ", name_nl="BZ", name_en="BZ")
        )
        for name, role in (("bz", Role.analyst), ("kijker", Role.viewer)):
            users.create_user(
                session, ada, UserCreate(username=name, display_name=name, organisation_code="BZ", role=role)
            )
    return {name: {"Authorization": f"Bearer {remote_site.token(name)}"} for name in ("bz", "kijker")}


def stix_object(kind: str, name: str, **extra: Any) -> dict[str, Any]:
    """A STIX 2.1 object of ``kind`` with a fresh id, created and modified on :data:`CREATED`."""
    return {
        "type": kind,
        "spec_version": "2.1",
        "id": f"{kind}--{uuid.uuid4()}",
        "created": CREATED,
        "modified": CREATED,
        "name": name,
        **extra,
    }


def bundle(*objects: dict[str, Any]) -> dict[str, Any]:
    """A STIX 2.1 bundle of ``objects`` with a fresh id."""
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects)}


def campaign(name: str = CAMPAIGN, marking: Tlp | None = Tlp.amber) -> dict[str, Any]:
    """A campaign marked ``marking`` (None: unmarked)."""
    refs = {"object_marking_refs": [STIX_TLP_MARKINGS[marking]]} if marking else {}
    return stix_object("campaign", name, **refs)


def attack_pattern(technique: str) -> dict[str, Any]:
    """An attack pattern naming the ATT&CK id ``technique``."""
    reference = {"source_name": "mitre-attack", "external_id": technique}
    return stix_object("attack-pattern", f"patroon {technique}", external_references=[reference])


def stored_signals(remote_site: Any) -> int:
    """How many signals the site's database holds."""
    with session_scope(remote_site.factory()) as session:
        return int(session.scalar(select(func.count()).select_from(Signal)) or 0)


def audit_entries(remote_site: Any, action: str) -> list[AuditLog]:
    """The audit log's entries of ``action``, oldest first."""
    with session_scope(remote_site.factory()) as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def campaign_bundle(technique: str) -> dict[str, Any]:
    """A bundle of a campaign (TLP:AMBER), an attack pattern naming ``technique`` and GBVS's own identity,
    which an import leaves out (a bundle another GBVS exported carries it)."""
    return bundle(campaign(), attack_pattern(technique), stix.GBVS_IDENTITY)
