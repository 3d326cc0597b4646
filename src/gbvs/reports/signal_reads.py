"""What the report reads from the signals register: signals of the period, jointly interpreted ones.

Reads go through need-to-know (:func:`gbvs.db.signal_queries.visible_to`) and are authorized and
audited like every other read; the publication rule (:mod:`gbvs.reports.core.publication`) is
applied afterwards by the report builder, never here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.db.audit import authorize_audited, record
from gbvs.db.models import Organisation
from gbvs.db.signal_models import Assessment, CaseSignal, Signal, SignalCase
from gbvs.db.signal_queries import case_visible_to, visible_to
from gbvs.reports.core.publication import Item
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal


def signal_items(session: Session, principal: Principal, start: date, end: date) -> list[Item]:
    """The signals reported in ``start``..``end`` that ``principal`` may see, as publication items."""
    authorize_audited(session, principal, Permission.signals_read, "reports.signals", "signal")
    query = (
        select(Signal.id, Signal.title, Signal.tlp, Organisation.code, Signal.kind, Signal.reported_on)
        .join(Organisation, Organisation.id == Signal.owner_organisation_id)
        .where(visible_to(principal), Signal.reported_on.between(start, end))
        .order_by(Signal.reported_on, Signal.id)
    )
    items = [
        Item("signal", str(sid), title, tlp.value, owner, extra={"kind": kind.value, "day": day.isoformat()})
        for sid, title, tlp, owner, kind, day in session.execute(query)
    ]
    record(session, principal, "reports.signals", "signal", None, {"from": str(start), "to": str(end)})
    return items


def joint_rows(session: Session, principal: Principal, start: date, end: date) -> list[dict[str, Any]]:
    """``{signal_id, quarter, title, tlp, owner}``: visible signals given a joint position in the period."""
    authorize_audited(session, principal, Permission.signals_read, "reports.joint", "assessment")
    since = datetime.combine(start, time.min, tzinfo=UTC)
    until = datetime.combine(end, time.max, tzinfo=UTC)
    joint = (Assessment.is_joint_position.is_(True), Assessment.created_at.between(since, until))
    direct = select(Assessment.signal_id, Assessment.created_at).where(
        Assessment.signal_id.is_not(None), *joint
    )
    via_case = (  # only cases the principal may see: a hidden case's position says nothing here
        select(CaseSignal.signal_id, Assessment.created_at)
        .join(Assessment, Assessment.case_id == CaseSignal.case_id)
        .join(SignalCase, SignalCase.id == CaseSignal.case_id)
        .where(*joint, case_visible_to(principal))
    )
    pairs = {
        (int(sid), _quarter(created))
        for sid, created in [*session.execute(direct), *session.execute(via_case)]
    }
    ids = sorted({sid for sid, _ in pairs})
    query = (
        select(Signal.id, Signal.title, Signal.tlp, Organisation.code)
        .join(Organisation, Organisation.id == Signal.owner_organisation_id)
        .where(visible_to(principal), Signal.id.in_(ids))
    )
    seen = {sid: (title, tlp.value, owner) for sid, title, tlp, owner in session.execute(query)}
    record(session, principal, "reports.joint", "assessment", None, {"from": str(start), "to": str(end)})
    return [
        {"signal_id": sid, "quarter": q, "title": seen[sid][0], "tlp": seen[sid][1], "owner": seen[sid][2]}
        for sid, q in sorted(pairs)
        if sid in seen
    ]


def _quarter(moment: datetime) -> str:
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"
