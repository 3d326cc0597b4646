"""The early-action decision log is append-only in the database too: triggers refuse an UPDATE or a
DELETE of a decision or a case version however it is sent (raw SQL, a bulk ORM statement, a script),
and the refusal says what was refused and how a correction is made. A case itself still changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, delete, select, text, update
from sqlalchemy.orm import Session

from gbvs.db.action_models import ActionCase, ActionCaseVersion, ActionDecision
from gbvs.db.testing import append_only_lifted
from gbvs.errors import InputError

REASONING = "eerst diplomatie"


@pytest.fixture
def case_id(session: Session) -> int:
    case = ActionCase(
        title="Mali", status="decided", origin_kind="country", origin_ref="MLI", opened_by="ana",
        warning={}, description="",
    )  # fmt: skip
    session.add(case)
    session.flush()
    session.add(ActionDecision(case_id=case.id, choice="no_action", reasoning=REASONING, decided_by="cor"))
    session.add(
        ActionCaseVersion(
            case_id=case.id, version=1, status="open", change="opened", changed_by="ana", snapshot={}
        )
    )
    session.commit()
    return case.id


def _log(engine: Engine) -> tuple[list[str], list[str]]:
    with Session(engine) as fresh:
        return (
            list(fresh.scalars(select(ActionDecision.reasoning))),
            list(fresh.scalars(select(ActionCaseVersion.changed_by))),
        )


@pytest.mark.parametrize(
    ("sql", "refused"),
    [
        pytest.param("UPDATE action_decision SET reasoning = 'toch sancties'", "UPDATE of action_decision",
                     id="update-decision"),
        pytest.param("DELETE FROM action_decision", "DELETE of action_decision", id="delete-decision"),
        pytest.param("UPDATE action_case_version SET changed_by = 'mallory'", "UPDATE of action_case_version",
                     id="update-version"),
        pytest.param("DELETE FROM action_case_version", "DELETE of action_case_version", id="delete-version"),
    ],
)  # fmt: skip
def test_raw_sql_through_the_sessions_connection_is_refused(
    session: Session, engine: Engine, case_id: int, sql: str, refused: str
) -> None:
    with pytest.raises(InputError, match=f"decision log is append-only: {refused} refused") as raised:
        session.connection().execute(text(sql))
    assert "a correction is a new entry" in str(raised.value)
    session.rollback()
    assert _log(engine) == ([REASONING], ["ana"])


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param(update(ActionDecision).values(decided_at=datetime(2019, 1, 1, tzinfo=UTC)), id="update"),
        pytest.param(delete(ActionCaseVersion), id="delete"),
    ],
)
def test_bulk_orm_statements_are_refused(
    session: Session, engine: Engine, case_id: int, statement: object
) -> None:
    """A bulk statement skips the ORM's own guard (mapper events); the database still refuses it."""
    with pytest.raises(InputError, match="append-only"):
        session.execute(statement)  # type: ignore[call-overload]
    session.rollback()
    assert _log(engine) == ([REASONING], ["ana"])


def test_truncate_is_refused_on_postgresql(session: Session, engine: Engine, case_id: int) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(InputError, match="append-only: TRUNCATE of action_decision refused"):
        session.connection().execute(text("TRUNCATE action_decision CASCADE"))
    session.rollback()
    assert _log(engine) == ([REASONING], ["ana"])


def test_the_case_itself_still_changes(session: Session, engine: Engine, case_id: int) -> None:
    """Status, version and outcome live on action_case, which the workflow updates."""
    session.connection().execute(
        text("UPDATE action_case SET status = 'follow_up', version = 2, outcome = 'gesprek gevoerd'")
    )
    session.commit()
    with Session(engine) as fresh:
        case = fresh.get(ActionCase, case_id)
        assert case is not None and (case.status, case.version) == ("follow_up", 2)


def test_the_table_owner_can_lift_the_guard_on_purpose(
    session: Session, engine: Engine, case_id: int
) -> None:
    """As the owner can (and tests that backdate a decision do): the guard is back afterwards."""
    with append_only_lifted(session.connection(), "action_decision"):
        session.execute(update(ActionDecision).values(reasoning="teruggedateerd"))
    session.commit()
    assert _log(engine) == (["teruggedateerd"], ["ana"])
    with pytest.raises(InputError, match="append-only"):
        session.execute(update(ActionDecision).values(reasoning="nog eens"))
    session.rollback()
