"""``audited_write``: the helper other services use for their writes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gbvs.db.audit import audited_write
from gbvs.db.models import AuditLog, Organisation, Outcome
from gbvs.errors import PermissionDeniedError
from gbvs.security import Permission, Principal, Role


def _log(engine: Engine) -> list[tuple[str, str, str | None, Outcome, dict[str, object]]]:
    with Session(engine) as fresh:
        query = select(AuditLog).where(AuditLog.action == "signals.create").order_by(AuditLog.id)
        rows = fresh.scalars(query)
        return [(r.actor, r.action, r.object_id, r.outcome, r.detail) for r in rows]


def test_allowed_write_is_recorded_with_the_blocks_detail(
    session: Session, engine: Engine, make_user: Callable[..., Principal]
) -> None:
    analyst = make_user("ann", Role.analyst, "BZ")
    with audited_write(
        session, analyst, Permission.signals_write, "signals.create", "signal", organisation="BZ"
    ) as detail:
        detail["object_id"] = 42
        detail["title"] = "Spanningen Sahel"
    session.commit()
    expected_detail = {"role": "analyst", "title": "Spanningen Sahel", "organisation": "BZ"}
    assert _log(engine) == [("ann", "signals.create", "42", Outcome.success, expected_detail)]


def test_refused_write_never_runs_and_is_recorded(
    session: Session, engine: Engine, make_user: Callable[..., Principal]
) -> None:
    analyst = make_user("ann", Role.analyst, "BZ")
    ran = False
    write = audited_write(session, analyst, Permission.signals_write, "signals.create", "signal", None, "DEF")
    with pytest.raises(PermissionDeniedError, match="not for 'DEF'"), write:
        ran = True
        session.add(Organisation(code="X", name_nl="x", name_en="x", kind="other"))
    assert not ran
    assert [row[3] for row in _log(engine)] == [Outcome.denied]
