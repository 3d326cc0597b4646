"""A large import indexes its signals for search in one statement, not one trigger run per signal.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07

Every new signal ran the search-index trigger of 0022 (SQLite) or 0023 (PostgreSQL), which reads its
audiences and writes its index rows: importing 100,000 signals took 26.7 s → 29.2 s on SQLite and
1 min 52 s → 2 min 46 s on PostgreSQL. Now, while the table ``signal_search_deferral`` holds a row, the
trigger on a new signal does nothing; an import of many signals writes that row, stores its signals,
indexes exactly those in one statement and removes the row, all in its own transaction
(:mod:`gbvs.db.signal_bulk`), so no other transaction ever sees the row (PostgreSQL: it is not
committed; SQLite: one writer at a time). Changes to signals and recipients are indexed as before.
On PostgreSQL ``signal_search_fill(ids)`` writes the index rows of many signals with 0023's words
(one INSERT ... SELECT); on SQLite the import reads 0022's view ``signal_search_audience``. Nothing
stored is changed; downgrading restores the triggers of 0022 and 0023.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE = importlib.import_module("gbvs.db.migrations.versions.0022_search_by_audience")
_POSTGRESQL = importlib.import_module("gbvs.db.migrations.versions.0023_search_by_audience_postgresql")
"""The index rows are written with the very SQL of 0022 and 0023 (frozen there)."""

DEFERRAL = "CREATE TABLE signal_search_deferral (since TIMESTAMP NOT NULL)"
NOT_DEFERRED = "NOT EXISTS (SELECT 1 FROM signal_search_deferral)"
SQLITE_INSERT_TRIGGER = "CREATE TRIGGER signal_search_insert AFTER INSERT ON signal {when}BEGIN {body} END"

UPGRADE_SQLITE = (
    DEFERRAL,
    "DROP TRIGGER signal_search_insert",
    SQLITE_INSERT_TRIGGER.format(when=f"WHEN {NOT_DEFERRED} ", body=_SQLITE._refresh("new.id")),
)
DOWNGRADE_SQLITE = (
    "DROP TRIGGER signal_search_insert",
    SQLITE_INSERT_TRIGGER.format(when="", body=_SQLITE._refresh("new.id")),
    "DROP TABLE signal_search_deferral",
)


def _signal_changed(deferrable: bool) -> str:
    skip = f"IF TG_OP = 'INSERT' AND {NOT_DEFERRED.removeprefix('NOT ')} THEN RETURN NULL; END IF;"
    return f"""
    CREATE OR REPLACE FUNCTION signal_search_signal_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {skip if deferrable else ""}
        PERFORM signal_search_refresh(NEW.id);
        RETURN NULL;
    END
    $$
    """


UPGRADE_POSTGRESQL = (
    DEFERRAL,
    f"""
    CREATE FUNCTION signal_search_fill(wanted INTEGER[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM signal_search_terms USING unnest(wanted) AS given(id) WHERE signal_id = given.id;
        INSERT INTO signal_search_terms (signal_id, terms) SELECT signal.id, {_POSTGRESQL.TERMS}
        FROM (SELECT DISTINCT id FROM unnest(wanted) AS given(id)) AS given
        JOIN signal ON signal.id = given.id ORDER BY signal.id;
    END
    $$
    """,
    _signal_changed(deferrable=True),
)
DOWNGRADE_POSTGRESQL = (
    _signal_changed(deferrable=False),
    "DROP FUNCTION signal_search_fill(INTEGER[])",
    "DROP TABLE signal_search_deferral",
)


def _run(sqlite: tuple[str, ...], postgresql: tuple[str, ...]) -> None:
    statements = sqlite if op.get_context().dialect.name == "sqlite" else postgresql
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    _run(UPGRADE_SQLITE, UPGRADE_POSTGRESQL)


def downgrade() -> None:
    _run(DOWNGRADE_SQLITE, DOWNGRADE_POSTGRESQL)
