"""The audit log is append-only: the ORM refuses changes, and so does the database (triggers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, delete, select, text, update
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from gbvs.db.models import AUDIT_IMMUTABLE_MARKER, AuditLog, Outcome
from gbvs.errors import AuditLogImmutableError


@pytest.fixture
def entry(session: Session) -> AuditLog:
    row = AuditLog(actor="alice", action="test.write", object_type="thing", outcome=Outcome.success)
    session.add(row)
    session.commit()
    return row


def _unchanged(engine: Engine, entry_id: int) -> AuditLog:
    with Session(engine) as fresh:
        row = fresh.get(AuditLog, entry_id)
        assert row is not None
        assert (row.actor, row.action, row.outcome) == ("alice", "test.write", Outcome.success)
        return row


def test_orm_update_is_refused(session: Session, engine: Engine, entry: AuditLog) -> None:
    entry.actor = "mallory"
    with pytest.raises(AuditLogImmutableError, match="UPDATE of audit_log row"):
        session.flush()
    session.rollback()
    _unchanged(engine, entry.id)


def test_orm_delete_is_refused(session: Session, engine: Engine, entry: AuditLog) -> None:
    session.delete(entry)
    with pytest.raises(AuditLogImmutableError, match="DELETE of audit_log row"):
        session.flush()
    session.rollback()
    _unchanged(engine, entry.id)


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param(update(AuditLog).values(actor="mallory"), id="bulk-update"),
        pytest.param(delete(AuditLog), id="bulk-delete"),
    ],
)
def test_orm_bulk_statements_are_refused(
    session: Session, engine: Engine, entry: AuditLog, statement: object
) -> None:
    with pytest.raises(AuditLogImmutableError, match="bulk"):
        session.execute(statement)  # type: ignore[call-overload]
    session.rollback()
    _unchanged(engine, entry.id)


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param("UPDATE audit_log SET actor = 'mallory'", id="update"),
        pytest.param("DELETE FROM audit_log", id="delete"),
    ],
)
def test_raw_sql_through_the_engine_is_refused(engine: Engine, entry: AuditLog, sql: str) -> None:
    with pytest.raises(AuditLogImmutableError, match="the database refused"), engine.begin() as connection:
        connection.execute(text(sql))
    _unchanged(engine, entry.id)


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param("UPDATE audit_log SET actor = 'mallory'", id="update"),
        pytest.param("DELETE FROM audit_log", id="delete"),
    ],
)
def test_trigger_refuses_a_plain_driver_connection(engine: Engine, entry: AuditLog, sql: str) -> None:
    """Bypassing SQLAlchemy entirely (plain sqlite3 / psycopg cursor) still fails: the trigger holds."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with pytest.raises(Exception, match=AUDIT_IMMUTABLE_MARKER):
            cursor.execute(sql)
        raw.rollback()
    finally:
        raw.close()
    _unchanged(engine, entry.id)


def test_truncate_is_refused_on_postgresql(engine: Engine, entry: AuditLog) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; DELETE is covered above")
    with pytest.raises(AuditLogImmutableError), engine.begin() as connection:
        connection.execute(text("TRUNCATE audit_log"))
    _unchanged(engine, entry.id)


def test_appending_still_works_after_refusals(session: Session, entry: AuditLog) -> None:
    entry.actor = "mallory"
    with pytest.raises(AuditLogImmutableError):
        session.flush()
    session.rollback()
    session.add(AuditLog(actor="bob", action="test.write", object_type="thing", outcome=Outcome.success))
    session.commit()
    assert session.scalars(select(AuditLog.actor).order_by(AuditLog.id)).all() == ["alice", "bob"]


def test_times_come_back_aware_and_in_utc(session: Session, engine: Engine) -> None:
    amsterdam_summer = timezone(timedelta(hours=2))
    at = datetime(2026, 6, 1, 14, 30, 15, 123456, tzinfo=amsterdam_summer)
    session.add(AuditLog(at=at, actor="a", action="t", object_type="x", outcome=Outcome.success))
    session.commit()
    with Session(engine) as fresh:
        stored = fresh.scalars(select(AuditLog.at)).one()
    assert stored == at and stored.tzinfo is UTC
    assert stored.hour == 12


def test_naive_datetimes_are_refused(session: Session) -> None:
    naive = datetime(2026, 6, 1)
    session.add(AuditLog(at=naive, actor="a", action="t", object_type="x", outcome=Outcome.success))
    with pytest.raises(StatementError, match="has no time zone"):
        session.flush()


def test_default_time_is_now_in_utc(session: Session, entry: AuditLog) -> None:
    with Session(session.get_bind()) as fresh:
        at = fresh.scalars(select(AuditLog.at)).one()
    assert at.tzinfo is UTC and abs(datetime.now(UTC) - at) < timedelta(minutes=5)
