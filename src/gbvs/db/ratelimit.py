"""Rate-limit state shared by every server process, in table ``rate_limit_state`` (issue 8).

A limiter changes the state of one key inside one transaction::

    with session_scope(factory) as session:
        state = lock_state(session, "login", key)        # None if the key is new
        ... decide with the limiter's pure rules ...
        save_state(session, "login", key, new_state, expires_at)

:func:`lock_state` is an ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` that changes nothing
but takes the lock: on PostgreSQL the row stays locked and on SQLite the database's write lock is
held until the transaction ends, so concurrent processes change a key one after the other and
none decides on a stale count. :func:`claim_expired` takes ended rows out with ``DELETE ...
RETURNING``: each is returned to exactly one caller. Works on SQLite (3.35+) and PostgreSQL.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Table, delete, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gbvs.db.ratelimit_models import RateLimitState

_NEW = "null"


def _state_table() -> Table:
    table = RateLimitState.__table__
    assert isinstance(table, Table)
    return table


_table = _state_table()


def lock_state(session: Session, scope: str, key: str) -> Any:
    """The stored state of ``key`` (None when there is none yet), locked until the transaction ends."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(_table)
        .values(scope=scope, key=key, state=_NEW, expires_at=0.0)
        .on_conflict_do_update(
            index_elements=["scope", "key"], set_={"state": _table.c.state}
        )  # a write that changes nothing: it takes the lock and returns the latest state
        .returning(_table.c.state)
    )
    stored = session.execute(statement).scalar_one()
    return json.loads(stored)


def save_state(session: Session, scope: str, key: str, state: Any, expires_at: float) -> None:
    """Store the new state of ``key`` (locked by :func:`lock_state` in this transaction)."""
    session.execute(
        _table.update()
        .where(_table.c.scope == scope, _table.c.key == key)
        .values(state=json.dumps(state), expires_at=expires_at)
    )


def forget(session: Session, scope: str, key: str) -> None:
    """Remove the state of ``key``."""
    session.execute(delete(_table).where(_table.c.scope == scope, _table.c.key == key))


def claim_expired(
    session: Session, scope: str, now: float, everything: bool = False
) -> list[tuple[str, Any]]:
    """Remove the rows of ``scope`` that expired by ``now`` (all of them with ``everything``); their
    keys and states. Each row is returned to one caller only, whichever process asks."""
    condition = literal(True) if everything else _table.c.expires_at <= now
    statement = (
        delete(_table).where(_table.c.scope == scope, condition).returning(_table.c.key, _table.c.state)
    )
    return [(key, json.loads(state)) for key, state in session.execute(statement)]
