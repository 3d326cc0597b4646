"""A read of need-to-know data keeps its audit entry without holding SQLite's write lock, and without
failing because someone else writes: a session opened for reading writes each audit entry apart, in a
short write transaction of its own that waits its turn, before the service returns what was read. Before,
the entry went into the read's deferred transaction, and on SQLite a transaction that has read cannot
wait for the write lock: it failed at once ("database is locked", a 503 on ``GET /api/v1/signals/{id}``).
Two real connections on one database (SQLite file; the backend-neutral cases on PostgreSQL too)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from gbvs.db import session as db_session
from gbvs.db.models import AuditLog, Outcome
from gbvs.db.services import signals
from gbvs.db.session import DatabaseBusyError, make_session_factory, session_scope
from gbvs.security import Principal, Role
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")
HOLD_SECONDS = 1.0


def _signal(session: Session, author: Principal) -> int:
    assert author.organisation_code is not None
    draft = SignalDraft(
        title="Nepnieuws over MH17",
        kind=SignalKind.disinformation,
        observed_on=None,
        reported_on=date(2024, 5, 2),
        owner_organisation=author.organisation_code,
        tlp=Tlp.green,
        distribution=Distribution.all_organisations,
        threats=(3,),
        target_countries=("NLD",),
    )
    signal_id = signals.create_signal(session, author, draft)
    session.commit()
    return signal_id


def _reads_kept(engine: Engine, signal_id: int) -> int:
    """The ``signals.read`` success entries of ``signal_id``, as another connection sees them."""
    with session_scope(make_session_factory(engine)) as other:
        query = select(func.count()).where(
            AuditLog.action == "signals.read",
            AuditLog.object_id == str(signal_id),
            AuditLog.outcome == Outcome.success,
        )
        return int(other.scalar(query) or 0)


def _holding_writer(engine: Engine) -> sqlite3.Connection:
    """Another connection that has written and holds SQLite's write lock until it commits."""
    other = sqlite3.connect(engine.url.database or "", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE organisation SET name_en = name_en WHERE code = 'BZ'")
    return other


@pytest.fixture
def analyst(session: Session, make_user: Callable[..., Principal]) -> Principal:
    return make_user("bz.analyst", Role.analyst, "BZ")


def test_an_audited_read_waits_for_another_writer_and_keeps_its_entry(
    engine: Engine, session: Session, analyst: Principal
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's single writer; PostgreSQL writes rows beside each other")
    signal_id = _signal(session, analyst)
    session.close()
    with session_scope(make_session_factory(engine)) as reading:
        reading.execute(text("SELECT count(*) FROM signal")).scalar_one()  # the read has begun (a snapshot)
        other = _holding_writer(engine)
        release = threading.Timer(HOLD_SECONDS, other.commit)
        release.start()
        try:
            found = signals.get_signal(reading, analyst, signal_id)
        finally:
            release.join()
            other.close()
    assert found.title == "Nepnieuws over MH17"
    assert _reads_kept(engine, signal_id) == 1


def test_the_entry_is_stored_before_the_read_is_answered(
    engine: Engine, session: Session, analyst: Principal
) -> None:
    """Apart, not at the end of the session: another connection sees it while the session still runs."""
    signal_id = _signal(session, analyst)
    session.close()
    with session_scope(make_session_factory(engine)) as reading:
        signals.get_signal(reading, analyst, signal_id)
        assert _reads_kept(engine, signal_id) == 1


def test_an_entry_that_cannot_be_written_fails_the_read(
    engine: Engine, session: Session, analyst: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fail closed: no read of need-to-know data without its audit entry."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's single writer; PostgreSQL writes rows beside each other")
    signal_id = _signal(session, analyst)
    session.close()
    engine.dispose()  # new connections take the shorter busy timeout
    monkeypatch.setattr(db_session, "BUSY_TIMEOUT_MS", 300)
    other = _holding_writer(engine)
    try:
        with pytest.raises(DatabaseBusyError), session_scope(make_session_factory(engine)) as reading:
            signals.get_signal(reading, analyst, signal_id)
    finally:
        other.rollback()
        other.close()
    assert _reads_kept(engine, signal_id) == 0


def test_a_write_in_a_reading_session_keeps_its_entry_in_its_own_transaction(
    engine: Engine, analyst: Principal
) -> None:
    """Once the session's transaction has written, its entries go with it (a second connection would
    wait for this one's lock): the signal and its ``signals.create`` entry are kept together."""
    with session_scope(make_session_factory(engine)) as reading:
        signal_id = _signal(reading, analyst)
    with session_scope(make_session_factory(engine)) as other:
        created = other.scalar(
            select(func.count()).where(
                AuditLog.action == "signals.create", AuditLog.object_id == str(signal_id)
            )
        )
    assert created == 1


def test_a_reading_session_may_write_after_an_audited_read(engine: Engine, analyst: Principal) -> None:
    """The entry written apart changed the database after the read began: the read's transaction is
    ended first, so a write next in the same session is not refused for an outdated snapshot."""
    with session_scope(make_session_factory(engine)) as reading:
        first = _signal(reading, analyst)
    with session_scope(make_session_factory(engine)) as reading:
        signals.get_signal(reading, analyst, first)
        second = _signal(reading, analyst)
    assert _reads_kept(engine, first) == 1
    assert second != first
