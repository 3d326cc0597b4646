"""A session opened ``read_only`` (the session of every command declared ``Lock.READS``) cannot write:
the database refuses it, not only the ORM's bookkeeping. Before, only ORM writes (a flush, an ORM
``update()``) were noticed; a raw ``session.connection().exec_driver_sql("UPDATE ...")`` or
``execute(text(...))`` went through unnoticed, in a deferred transaction that cannot wait for SQLite's
write lock. Its audit entries are still written (apart, on a connection of their own), and the pooled
connection writes again for the next session. SQLite (``PRAGMA query_only``) and PostgreSQL
(``SET TRANSACTION READ ONLY``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from gbvs.db.models import AuditLog, Organisation
from gbvs.db.schemas import OrganisationCreate
from gbvs.db.services import organisations, signals
from gbvs.db.session import ReadOnly, ReadOnlySessionError, make_session_factory, session_scope
from gbvs.db.signal_queries import SignalFilter
from gbvs.security import Principal, Role

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")
DECLARED = ReadOnly(who="the command `gbvs orgs list`", fix="declare it in cli/locks.py as WRITES")
REFUSED = (
    r"the command `gbvs orgs list` is declared to only read.*nothing was changed; declare it in cli/locks.py"
)


def _english_name(engine: Engine) -> str:
    with session_scope(make_session_factory(engine)) as other:
        return str(other.scalar(select(Organisation.name_en).where(Organisation.code == "BZ")))


def _entries(engine: Engine, action: str) -> int:
    with session_scope(make_session_factory(engine)) as other:
        return int(other.scalar(select(func.count()).where(AuditLog.action == action)) or 0)


RAW_WRITES: dict[str, Callable[[Session], object]] = {
    "exec_driver_sql": lambda session: session.connection().exec_driver_sql(
        "UPDATE organisation SET name_en = 'Changed' WHERE code = 'BZ'"
    ),
    "text": lambda session: session.execute(text("UPDATE organisation SET name_en = 'Changed'")),
    "connection text": lambda session: session.connection().execute(
        text(
            "INSERT INTO organisation (code, name_nl, name_en, kind, created_at) "
            "VALUES ('XX', 'XX', 'XX', 'other', '2026-01-01 00:00:00')"
        )
    ),
}


@pytest.mark.parametrize("write", sorted(RAW_WRITES))
def test_a_raw_write_in_a_read_only_session_is_refused_naming_who_and_the_fix(
    engine: Engine, admin: Principal, write: str
) -> None:
    factory = make_session_factory(engine)
    with (
        pytest.raises(ReadOnlySessionError, match=REFUSED),
        session_scope(factory, read_only=DECLARED) as session,
    ):
        session.execute(select(Organisation.code)).all()
        RAW_WRITES[write](session)
    assert _english_name(engine) == "Foreign Affairs", "nothing was changed"
    with session_scope(factory) as session:
        assert session.scalar(select(func.count()).where(Organisation.code == "XX")) == 0


def test_an_orm_write_in_a_read_only_session_is_refused(engine: Engine, admin: Principal) -> None:
    new = OrganisationCreate(code="NEW", name_nl="Nieuw", name_en="New")
    with (
        pytest.raises(ReadOnlySessionError, match=REFUSED),
        session_scope(make_session_factory(engine), read_only=DECLARED) as session,
    ):
        organisations.create_organisation(session, admin, new)
    with session_scope(make_session_factory(engine)) as session:
        assert session.scalar(select(func.count()).where(Organisation.code == "NEW")) == 0


def test_a_read_only_session_still_keeps_its_audit_entries_and_its_connection_writes_again_after(
    engine: Engine, make_user: Callable[..., Principal]
) -> None:
    analyst = make_user("bea", Role.analyst)
    before = _entries(engine, "signals.list")
    factory = make_session_factory(engine)
    with session_scope(factory, read_only=DECLARED) as session:
        listed = signals.list_signals(session, analyst, SignalFilter(), page=1, page_size=50)
        assert _entries(engine, "signals.list") == before + 1, "kept before the list is shown"
        listed_again = signals.list_signals(session, analyst, SignalFilter(), page=1, page_size=50)
        assert listed_again == listed, "the session reads on"
    assert _entries(engine, "signals.list") == before + 2
    for _ in range(3):  # the pool's connections, read-only a moment ago, write again
        with session_scope(factory) as session:
            session.execute(text("UPDATE organisation SET name_en = 'Foreign Affairs 2' WHERE code = 'BZ'"))
    assert _english_name(engine) == "Foreign Affairs 2"


def test_a_session_cannot_be_both_for_writing_and_read_only(engine: Engine) -> None:
    with (
        pytest.raises(ValueError, match="gbvs orgs list"),
        session_scope(make_session_factory(engine), for_writing=True, read_only=DECLARED),
    ):
        pass
