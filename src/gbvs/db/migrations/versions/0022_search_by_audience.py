"""The full-text index of the signals holds each signal under its audiences (SQLite).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07

A search read every signal matching its words, then dropped those outside the reader's need-to-know,
so its time told how many hidden signals hold a word (docs/security.md, residual channels). Now the
FTS5 index ``signal_search`` holds a signal once per audience it is shared with (its owner
organisation, everyone, every organisation, a sharing group, its author and TLP:RED recipients by
name: :func:`gbvs.signals.access.audience_keys`), under row id ``key * 2**32 + signal id``, and a
search reads only the reader's audiences' ranges (:mod:`gbvs.db.signal_search`). The rows live in
``signal_search_row`` (the FTS5 table's content), kept in step with ``signal`` and
``signal_recipient`` by triggers through the view ``signal_search_audience`` (UNION ALL, each
audience once, so SQLite reads one signal's audiences by its id, not the whole view); the index of 0004
(``signal_fts``) goes. Nothing stored is changed: the index is rebuilt from the signals. Downgrading
restores the index of 0004. PostgreSQL is left as it is (its GIN index; see docs/security.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROW_SPAN = 4294967296  # 2**32: row ids of one audience (gbvs.db.signal_search.ROW_SPAN, frozen here)
PUBLIC, ALL_ORGANISATIONS, ORGANISATION, SHARING_GROUP, USER = (code << 28 for code in range(1, 6))
"""Audience keys as gbvs.db.signal_search.search_key writes them (kind code << 28 | id), frozen here."""

AUDIENCE_VIEW = f"""
CREATE VIEW signal_search_audience(signal_id, key) AS
    SELECT id, {PUBLIC} FROM signal WHERE tlp <> 'red' AND distribution = 'public'
    UNION ALL SELECT id, {ALL_ORGANISATIONS} FROM signal
        WHERE tlp <> 'red' AND distribution = 'all_organisations'
    UNION ALL SELECT id, {ORGANISATION} + owner_organisation_id FROM signal WHERE tlp <> 'red'
    UNION ALL SELECT id, {SHARING_GROUP} + sharing_group_id FROM signal
        WHERE tlp <> 'red' AND distribution = 'sharing_group' AND sharing_group_id IS NOT NULL
    UNION ALL SELECT id, {USER} + author_id FROM signal WHERE author_id IS NOT NULL
    UNION ALL SELECT recipient.signal_id, {USER} + recipient.user_id
        FROM signal_recipient AS recipient JOIN signal ON signal.id = recipient.signal_id
        WHERE signal.tlp = 'red' AND recipient.user_id IS NOT signal.author_id
"""
ROWS_OF = f"""
    INSERT INTO signal_search_row(id, signal_id, title, description)
    SELECT audience.key * {ROW_SPAN} + signal.id, signal.id, signal.title, signal.description
    FROM signal_search_audience AS audience JOIN signal ON signal.id = audience.signal_id
"""
MARKED = "title, description, tlp, distribution, owner_organisation_id, sharing_group_id, author_id"


def _refresh(signal_id: str) -> str:
    """Trigger statements that index signal ``signal_id`` (an expression) under its audiences anew."""
    return (
        f"DELETE FROM signal_search_row WHERE signal_id = {signal_id};\n"
        f"{ROWS_OF} WHERE audience.signal_id = {signal_id};"
    )


UPGRADE_SQLITE = (
    "DROP TRIGGER IF EXISTS signal_fts_update",
    "DROP TRIGGER IF EXISTS signal_fts_delete",
    "DROP TRIGGER IF EXISTS signal_fts_insert",
    "DROP TABLE IF EXISTS signal_fts",
    """
    CREATE TABLE signal_search_row (
        id INTEGER PRIMARY KEY, signal_id INTEGER NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL
    )
    """,
    "CREATE INDEX signal_search_row_signal ON signal_search_row (signal_id)",
    """
    CREATE VIRTUAL TABLE signal_search USING fts5(
        title, description, content='signal_search_row', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER signal_search_row_insert AFTER INSERT ON signal_search_row BEGIN
        INSERT INTO signal_search(rowid, title, description) VALUES (new.id, new.title, new.description);
    END
    """,
    """
    CREATE TRIGGER signal_search_row_delete AFTER DELETE ON signal_search_row BEGIN
        INSERT INTO signal_search(signal_search, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    END
    """,
    AUDIENCE_VIEW,
    f"CREATE TRIGGER signal_search_insert AFTER INSERT ON signal BEGIN {_refresh('new.id')} END",
    f"CREATE TRIGGER signal_search_update AFTER UPDATE OF {MARKED} ON signal BEGIN {_refresh('new.id')} END",
    "CREATE TRIGGER signal_search_delete AFTER DELETE ON signal BEGIN "
    "DELETE FROM signal_search_row WHERE signal_id = old.id; END",
    f"CREATE TRIGGER signal_search_recipient_insert AFTER INSERT ON signal_recipient BEGIN "
    f"{_refresh('new.signal_id')} END",
    f"CREATE TRIGGER signal_search_recipient_delete AFTER DELETE ON signal_recipient BEGIN "
    f"{_refresh('old.signal_id')} END",
    f"CREATE TRIGGER signal_search_recipient_update AFTER UPDATE ON signal_recipient BEGIN "
    f"{_refresh('old.signal_id')} {_refresh('new.signal_id')} END",
    ROWS_OF,
)
DOWNGRADE_SQLITE = (
    "DROP TRIGGER IF EXISTS signal_search_recipient_update",
    "DROP TRIGGER IF EXISTS signal_search_recipient_delete",
    "DROP TRIGGER IF EXISTS signal_search_recipient_insert",
    "DROP TRIGGER IF EXISTS signal_search_delete",
    "DROP TRIGGER IF EXISTS signal_search_update",
    "DROP TRIGGER IF EXISTS signal_search_insert",
    "DROP VIEW IF EXISTS signal_search_audience",
    "DROP TRIGGER IF EXISTS signal_search_row_delete",
    "DROP TRIGGER IF EXISTS signal_search_row_insert",
    "DROP TABLE IF EXISTS signal_search",
    "DROP TABLE IF EXISTS signal_search_row",
    """
    CREATE VIRTUAL TABLE signal_fts USING fts5(
        title, description, content='signal', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER signal_fts_insert AFTER INSERT ON signal BEGIN
        INSERT INTO signal_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
    END
    """,
    """
    CREATE TRIGGER signal_fts_delete AFTER DELETE ON signal BEGIN
        INSERT INTO signal_fts(signal_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    END
    """,
    """
    CREATE TRIGGER signal_fts_update AFTER UPDATE OF title, description ON signal BEGIN
        INSERT INTO signal_fts(signal_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
        INSERT INTO signal_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
    END
    """,
    "INSERT INTO signal_fts(signal_fts) VALUES ('rebuild')",
)


def _run(statements: tuple[str, ...]) -> None:
    if op.get_context().dialect.name == "sqlite":
        for statement in statements:
            op.execute(statement)


def upgrade() -> None:
    _run(UPGRADE_SQLITE)


def downgrade() -> None:
    _run(DOWNGRADE_SQLITE)
