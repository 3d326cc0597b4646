"""The audit log's hash chain: linear under concurrent writers, and every direct change is found.

The tampering here is what the database owner (or anyone who can open the SQLite file) can do
around the append-only guards: drop or disable the triggers, then UPDATE, DELETE or REPLACE rows,
or rewrite the whole chain consistently (caught only against an exported checkpoint).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.orm import Session

from gbvs.db.audit import AuditEntry, record, record_many
from gbvs.db.chain import GENESIS_HASH, Checkpoint, ProblemKind, entry_hash
from gbvs.db.models import AuditLog, Outcome
from gbvs.db.services.audit_log import check_chain, take_checkpoint, verify_audit_chain
from gbvs.db.session import make_session_factory
from gbvs.errors import AuditChainBrokenError, AuditLogImmutableError
from gbvs.security import Principal, Role

WRITERS, ENTRIES_EACH = 6, 15
PG_GUARDED = "ALTER TABLE audit_log {} TRIGGER USER"
SQLITE_GUARDS = ("audit_log_refuse_update", "audit_log_refuse_delete", "audit_log_refuse_replace")


def _append(engine: Engine, count: int, actor: str = "alice") -> None:
    principal = Principal(username=actor, role=Role.analyst)
    with make_session_factory(engine)() as session:
        for number in range(count):
            record(session, principal, "test.write", "thing", number, {"n": number, "note": "ok"})
        session.commit()


@pytest.fixture
def chained(engine: Engine) -> Engine:
    """A database with five entries."""
    _append(engine, 5)
    return engine


@contextmanager
def _unguarded(engine: Engine) -> Iterator[Connection]:
    """A transaction with the append-only triggers out of the way (what the database owner can do)."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(PG_GUARDED.format("DISABLE")))
            yield connection
            connection.execute(text(PG_GUARDED.format("ENABLE")))
        else:
            for trigger in SQLITE_GUARDS:
                connection.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
            yield connection


def _problem(engine: Engine, checkpoint: Checkpoint | None = None) -> Any:
    with Session(engine) as session:
        return check_chain(session, checkpoint).problem


def _row(connection: Connection, seq: int) -> dict[str, Any]:
    query = select(AuditLog.__table__).where(AuditLog.seq == seq)
    return dict(connection.execute(query).mappings().one())


def test_entries_link_to_each_other(chained: Engine) -> None:
    with Session(chained) as session:
        rows = session.scalars(select(AuditLog).order_by(AuditLog.seq)).all()
        report = check_chain(session)
    assert [row.seq for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.entry_hash for earlier, later in itertools.pairwise(rows))
    assert report.problem is None and report.count == 5 and report.last.seq == 5


def test_concurrent_writers_keep_the_chain_linear(engine: Engine) -> None:
    errors: list[BaseException] = []

    def write(number: int) -> None:
        try:
            _append(engine, ENTRIES_EACH, actor=f"writer{number}")
        except BaseException as exc:  # collected and shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Session(engine) as session:
        report = check_chain(session)
        seqs = session.scalars(select(AuditLog.seq).order_by(AuditLog.seq)).all()
    assert report.problem is None
    assert seqs == list(range(1, WRITERS * ENTRIES_EACH + 1))


def test_batches_and_single_entries_share_one_linear_chain(engine: Engine) -> None:
    """The web's audit writer appends batches (one INSERT, one head update); they interleave with
    single entries of other writers and still form one chain, escaped and hashed like single entries."""
    principal = Principal(username="web\x1b[2J", role=Role.viewer)
    errors: list[BaseException] = []

    def write_batches(number: int) -> None:
        try:
            for batch in range(5):
                entries = [
                    AuditEntry(principal, "web.read", "page", f"/p{number}/{batch}/{i}", {"line": "a\nb"})
                    for i in range(7)
                ]
                with make_session_factory(engine)() as session:
                    record_many(session, entries)
                    session.commit()
        except BaseException as exc:  # collected and shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write_batches, args=(n,)) for n in range(3)]
    threads += [threading.Thread(target=_append, args=(engine, 10, f"single{n}")) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Session(engine) as session:
        report = check_chain(session)
        rows = session.scalars(select(AuditLog).order_by(AuditLog.seq)).all()
    assert report.problem is None
    assert [row.seq for row in rows] == list(range(1, 3 * 5 * 7 + 2 * 10 + 1))
    batched = [row for row in rows if row.action == "web.read"]
    assert len(batched) == 105
    assert all("\x1b" not in row.actor and "\n" not in row.detail["line"] for row in batched)
    assert batched[0].detail["role"] == "viewer"


def test_an_empty_batch_writes_nothing(engine: Engine) -> None:
    with make_session_factory(engine)() as session:
        record_many(session, [])
        session.commit()
        assert session.scalars(select(AuditLog)).all() == []


def test_an_altered_row_is_named(chained: Engine) -> None:
    with _unguarded(chained) as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"))
    problem = _problem(chained)
    assert (problem.kind, problem.seq) == (ProblemKind.altered, 3)


def test_an_altered_detail_is_named(chained: Engine) -> None:
    with _unguarded(chained) as connection:
        connection.execute(text("UPDATE audit_log SET detail = '{\"n\": 9}' WHERE seq = 2"))
    assert (_problem(chained).kind, _problem(chained).seq) == (ProblemKind.altered, 2)


def test_a_deleted_row_is_named(chained: Engine) -> None:
    with _unguarded(chained) as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    problem = _problem(chained)
    assert (problem.kind, problem.seq) == (ProblemKind.gap, 3)
    assert "seq 2 missing" in problem.describe()


def test_deleting_the_newest_rows_is_named(chained: Engine) -> None:
    with _unguarded(chained) as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq >= 4"))
    problem = _problem(chained)
    assert (problem.kind, problem.seq) == (ProblemKind.truncated, 4)


def test_a_replaced_row_with_a_fresh_hash_breaks_the_next_link(chained: Engine) -> None:
    """Delete + insert (REPLACE) of seq 2 with forged content and a correctly computed own hash."""
    with _unguarded(chained) as connection:
        forged = _row(connection, 2) | {"actor": "mallory"}
        forged["entry_hash"] = entry_hash(forged)
        connection.execute(text("DELETE FROM audit_log WHERE seq = 2"))
        connection.execute(insert(AuditLog.__table__).values(**forged))
    problem = _problem(chained)
    assert (problem.kind, problem.seq) == (ProblemKind.broken_link, 3)


def test_sqlite_insert_or_replace_is_refused_then_detected(chained: Engine) -> None:
    if chained.dialect.name != "sqlite":
        pytest.skip("INSERT OR REPLACE is SQLite's")
    replace = insert(AuditLog.__table__).prefix_with("OR REPLACE")
    with chained.begin() as connection:
        forged = _row(connection, 3) | {"actor": "mallory"}
    with pytest.raises(AuditLogImmutableError), chained.begin() as connection:
        connection.execute(replace.values(**forged))
    assert _problem(chained) is None
    with _unguarded(chained) as connection:
        connection.execute(replace.values(**forged))
    problem = _problem(chained)
    assert (problem.kind, problem.seq) == (ProblemKind.altered, 3)


def test_orm_bulk_insert_cannot_bypass_the_chain(session: Session) -> None:
    values = {"seq": 99, "prev_hash": "x", "entry_hash": "y", "actor": "m", "action": "a"}
    with pytest.raises(AuditLogImmutableError, match="bulk INSERT"):
        session.execute(insert(AuditLog).values(**values, object_type="t", outcome=Outcome.success))


def test_a_consistent_rewrite_is_caught_by_the_checkpoint(
    chained: Engine, admin_principal: Principal
) -> None:
    with make_session_factory(chained)() as session:
        checkpoint = take_checkpoint(session, admin_principal)
        session.commit()
    _rewrite_whole_chain(chained)
    assert _problem(chained) is None, "a consistent rewrite passes without a checkpoint"
    problem = _problem(chained, checkpoint)
    assert (problem.kind, problem.seq) == (ProblemKind.rewritten, checkpoint.seq)


def test_entries_deleted_after_a_checkpoint_are_caught(chained: Engine, admin_principal: Principal) -> None:
    with make_session_factory(chained)() as session:
        checkpoint = take_checkpoint(session, admin_principal)
        session.commit()
    with _unguarded(chained) as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq >= 5"))
        connection.execute(
            text("UPDATE audit_chain_head SET seq = 4, entry_hash = :h"),
            {"h": _row(connection, 4)["entry_hash"]},
        )
    assert _problem(chained) is None
    assert _problem(chained, checkpoint).kind is ProblemKind.truncated


def test_verify_is_recorded_and_a_checkpoint_of_a_broken_chain_is_refused(
    chained: Engine, admin_principal: Principal
) -> None:
    with _unguarded(chained) as connection:
        connection.execute(text("UPDATE audit_log SET action = 'nothing' WHERE seq = 1"))
    with make_session_factory(chained)() as session:
        report = verify_audit_chain(session, admin_principal)
        session.commit()
        assert report.problem is not None and report.problem.seq == 1
        last = session.scalars(select(AuditLog).order_by(AuditLog.seq.desc()).limit(1)).one()
        assert (last.action, last.outcome) == ("audit.verify", Outcome.failed)
        with pytest.raises(AuditChainBrokenError, match="no checkpoint taken"):
            take_checkpoint(session, admin_principal)


@pytest.fixture
def admin_principal(session: Session, admin: Principal) -> Principal:
    """The bootstrap admin (holds audit:read)."""
    return admin


def _rewrite_whole_chain(engine: Engine) -> None:
    """Forge seq 1's actor and re-link every entry and the head: the chain is consistent again."""
    with _unguarded(engine) as connection:
        rows = [
            dict(row)
            for row in connection.execute(select(AuditLog.__table__).order_by(AuditLog.seq)).mappings()
        ]
        previous = GENESIS_HASH
        for number, row in enumerate(rows):
            row["actor"] = "mallory" if number == 0 else row["actor"]
            row["prev_hash"] = previous
            row["entry_hash"] = previous = entry_hash(row)
            values = {key: row[key] for key in ("actor", "prev_hash", "entry_hash")}
            connection.execute(AuditLog.__table__.update().where(AuditLog.id == row["id"]).values(**values))
        connection.execute(text("UPDATE audit_chain_head SET entry_hash = :h"), {"h": previous})
