"""Changing a signal's marking: only the owner's organisation; lowering needs a reason that is
audited; state secrets are refused; a signal outside need-to-know is "not found"."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import signal_matrix as matrix
from gbvs.db.models import AuditLog, Outcome
from gbvs.db.services import signals as service
from gbvs.db.services.signals import MarkingChange
from gbvs.errors import InputError, NotFoundError
from gbvs.security import Principal
from gbvs.signals.markings import Classification, Distribution, Tlp

GREEN_ALL = matrix.MARKINGS[1]


@pytest.fixture
def world(session: Session, admin: Principal) -> dict[str, Principal]:
    principals: dict[str, Principal] = matrix.build_world(session, admin)
    return principals


def _marks(session: Session) -> list[AuditLog]:
    return list(
        session.scalars(select(AuditLog).where(AuditLog.action == "signals.mark").order_by(AuditLog.id))
    )


def test_only_the_owner_changes_a_marking_and_lowering_needs_an_audited_reason(
    session: Session, world: dict[str, Principal]
) -> None:
    bz, coordinator, aivd = world["bz.analyst"], world["bz.coordinator"], world["aivd.analyst"]
    signal_id = service.create_signal(session, bz, matrix.draft(bz, GREEN_ALL, 1))
    session.commit()
    with pytest.raises(InputError, match="only the organisation that owns"):
        service.change_marking(
            session, aivd, signal_id, MarkingChange(tlp=Tlp.red, recipients=("bz.analyst",))
        )
    raised = service.change_marking(session, coordinator, signal_id, MarkingChange(tlp=Tlp.amber))
    session.commit()
    assert raised.tlp is Tlp.amber and raised.distribution is Distribution.all_organisations
    with pytest.raises(InputError, match="needs a reason"):
        service.change_marking(session, bz, signal_id, MarkingChange(tlp=Tlp.green))
    service.change_marking(
        session, bz, signal_id, MarkingChange(tlp=Tlp.green, reason="published by the NOS")
    )
    session.commit()
    outcomes = [(entry.actor, entry.outcome, entry.detail.get("reason")) for entry in _marks(session)]
    assert outcomes == [
        ("aivd.analyst", Outcome.denied, None),
        ("bz.coordinator", Outcome.success, ""),
        ("bz.analyst", Outcome.denied, None),
        ("bz.analyst", Outcome.success, "published by the NOS"),
    ]


def test_state_secrets_and_unseen_signals_are_refused(session: Session, world: dict[str, Principal]) -> None:
    bz, aivd = world["bz.analyst"], world["aivd.analyst"]
    own_only = matrix.MARKINGS[4]  # TLP:AMBER, own organisation
    signal_id = service.create_signal(session, bz, matrix.draft(bz, own_only, 1))
    session.commit()
    secret = MarkingChange(
        tlp=Tlp.red, recipients=("bz.analyst",), classification=Classification.stg_confidentieel
    )
    with pytest.raises(InputError, match="accredited for state secrets"):
        service.change_marking(session, bz, signal_id, secret)
    with pytest.raises(NotFoundError, match="does not exist or is not shared with you"):
        service.change_marking(
            session, aivd, signal_id, MarkingChange(tlp=Tlp.red, recipients=("aivd.analyst",))
        )
    session.commit()
    assert service.get_signal(session, bz, signal_id).tlp is Tlp.amber, "nothing changed"
    assert [entry.outcome for entry in _marks(session)] == [Outcome.denied, Outcome.denied]


def test_a_signal_shared_before_with_a_group_its_owner_is_not_in_can_still_be_restricted(
    session: Session, world: dict[str, Principal]
) -> None:
    """One shares only with one's own groups now; a signal an older release let BZ share with AIVD's
    group keeps that group when BZ raises its marking (named again or not), and cannot move to another
    group BZ is not in."""
    bz = world["bz.analyst"]
    older = (Tlp.green, Distribution.sharing_group, "cyber", ())  # "cyber" is AIVD's only
    signal_id = matrix.stored_as_before(session, bz, matrix.draft(bz, older, 1))
    session.commit()
    raised = MarkingChange(tlp=Tlp.amber, distribution=Distribution.sharing_group, sharing_group="cyber")
    assert service.change_marking(session, bz, signal_id, raised).tlp is Tlp.amber
    session.commit()
    elsewhere = MarkingChange(tlp=Tlp.amber, distribution=Distribution.sharing_group, sharing_group="nergens")
    with pytest.raises(NotFoundError, match="yours: coordination"):
        service.change_marking(session, bz, signal_id, elsewhere)
    unnamed = MarkingChange(tlp=Tlp.red, recipients=("bz.analyst",))
    kept = service.change_marking(session, bz, signal_id, unnamed)
    assert (kept.tlp, kept.sharing_group.name if kept.sharing_group else None) == (Tlp.red, "cyber")
