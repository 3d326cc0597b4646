"""The full-text search of the signals reads only the reader's audiences on PostgreSQL too.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07

On PostgreSQL a search matched every signal holding its words (the GIN index ``ix_signal_search`` of
0004) and then dropped those outside the reader's need-to-know, so its time told how many hidden signals
hold a word (docs/security.md, residual channels; 0022 closed this on SQLite). Now the table
``signal_search_terms`` holds, per signal, the words of its title and description (the lexemes of
``to_tsvector('simple', title || ' ' || description)``, as the index of 0004 read them) once per
audience it is shared with, each prefixed by that audience's key: ``"<key>:<lexeme>"``, the keys of 0022
(:func:`gbvs.db.signal_search.search_key`). A GIN index over that array (core ``array_ops``, no
extension; ``fastupdate`` off, so new entries go into the index's tree at once instead of a pending list
that every search would scan whole, hidden entries included) lets a search ask, per audience of the
reader, for the signals holding all its words under that audience's prefix
(:mod:`gbvs.db.signal_search`), so it never reads a hidden signal's entry. Triggers on ``signal`` and
``signal_recipient`` (PL/pgSQL, in core) keep the table in step, reading a signal's audiences from its
row and recipients as 0022's SQLite view does (no view here: the application role is granted tables
only, ``gbvs.db.grants``, and the triggers run as it). Nothing stored is changed: the table is built
from the signals. Downgrading restores the index of 0004. SQLite is left as 0022 made it.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLIC, ALL_ORGANISATIONS, ORGANISATION, SHARING_GROUP, USER = (code << 28 for code in range(1, 6))
"""Audience keys as gbvs.db.signal_search.search_key writes them (kind code << 28 | id), frozen here."""

AUDIENCES = f"""
    SELECT key FROM (VALUES
        (CASE WHEN signal.tlp <> 'red' AND signal.distribution = 'public' THEN {PUBLIC} END),
        (CASE WHEN signal.tlp <> 'red' AND signal.distribution = 'all_organisations'
            THEN {ALL_ORGANISATIONS} END),
        (CASE WHEN signal.tlp <> 'red' THEN {ORGANISATION} + signal.owner_organisation_id END),
        (CASE WHEN signal.tlp <> 'red' AND signal.distribution = 'sharing_group'
            THEN {SHARING_GROUP} + signal.sharing_group_id END),
        ({USER} + signal.author_id)
    ) AS marked(key) WHERE key IS NOT NULL
    UNION ALL SELECT {USER} + recipient.user_id FROM signal_recipient AS recipient
        WHERE recipient.signal_id = signal.id AND signal.tlp = 'red'
        AND recipient.user_id IS DISTINCT FROM signal.author_id
"""
"""The audience keys of the row ``signal`` (0022's SQLite view, read from the row itself)."""
TERMS = f"""
    ARRAY(
        SELECT audience.key || ':' || lexeme
        FROM ({AUDIENCES}) AS audience, unnest(tsvector_to_array(
            to_tsvector('simple', signal.title || ' ' || signal.description)
        )) AS lexeme
    )
"""
MARKED = "title, description, tlp, distribution, owner_organisation_id, sharing_group_id, author_id"

UPGRADE_POSTGRESQL = (
    "DROP INDEX IF EXISTS ix_signal_search",
    """
    CREATE TABLE signal_search_terms (
        signal_id INTEGER PRIMARY KEY REFERENCES signal (id) ON DELETE CASCADE,
        terms TEXT[] NOT NULL
    )
    """,
    f"""
    CREATE FUNCTION signal_search_refresh(wanted INTEGER) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM signal_search_terms WHERE signal_id = wanted;
        INSERT INTO signal_search_terms (signal_id, terms) SELECT signal.id, {TERMS}
        FROM signal WHERE signal.id = wanted;
    END
    $$
    """,
    """
    CREATE FUNCTION signal_search_signal_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM signal_search_refresh(NEW.id);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION signal_search_recipient_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            PERFORM signal_search_refresh(OLD.signal_id);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            PERFORM signal_search_refresh(NEW.signal_id);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER signal_search_insert AFTER INSERT ON signal "
    "FOR EACH ROW EXECUTE FUNCTION signal_search_signal_changed()",
    f"CREATE TRIGGER signal_search_update AFTER UPDATE OF {MARKED} ON signal "
    "FOR EACH ROW EXECUTE FUNCTION signal_search_signal_changed()",
    "CREATE TRIGGER signal_search_recipient AFTER INSERT OR UPDATE OR DELETE ON signal_recipient "
    "FOR EACH ROW EXECUTE FUNCTION signal_search_recipient_changed()",
    f"INSERT INTO signal_search_terms (signal_id, terms) SELECT signal.id, {TERMS} FROM signal",
    "CREATE INDEX ix_signal_search_terms ON signal_search_terms USING gin (terms) WITH (fastupdate = off)",
)
DOWNGRADE_POSTGRESQL = (
    "DROP TRIGGER IF EXISTS signal_search_recipient ON signal_recipient",
    "DROP TRIGGER IF EXISTS signal_search_update ON signal",
    "DROP TRIGGER IF EXISTS signal_search_insert ON signal",
    "DROP FUNCTION IF EXISTS signal_search_recipient_changed()",
    "DROP FUNCTION IF EXISTS signal_search_signal_changed()",
    "DROP FUNCTION IF EXISTS signal_search_refresh(INTEGER)",
    "DROP TABLE IF EXISTS signal_search_terms",
    "CREATE INDEX ix_signal_search ON signal USING gin (to_tsvector('simple', title || ' ' || description))",
)


def _run(statements: tuple[str, ...]) -> None:
    if op.get_context().dialect.name == "postgresql":
        for statement in statements:
            op.execute(statement)


def upgrade() -> None:
    _run(UPGRADE_POSTGRESQL)


def downgrade() -> None:
    _run(DOWNGRADE_POSTGRESQL)
