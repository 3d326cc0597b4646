"""Hash-chain the audit log: seq, prev_hash and entry_hash on every entry, and the chain head.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

Existing entries are chained in id order (their content is kept as it is). ``audit_chain_head``
holds the newest link; appending locks it, so concurrent writers take turns. On SQLite a new
trigger also refuses ``INSERT OR REPLACE`` over an existing entry (REPLACE does not fire the
DELETE trigger). The append-only triggers are dropped while existing rows get their links, and
created again afterwards (SQLite's batch mode copies the table, which drops them anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from gbvs.db.chain import GENESIS_HASH, entry_hash

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PG_GUARDS = (
    """
    CREATE TRIGGER audit_log_refuse_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION gbvs_refuse_audit_log_change()
    """,
    """
    CREATE TRIGGER audit_log_refuse_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION gbvs_refuse_audit_log_change()
    """,
)
_PG_DROP = (
    "DROP TRIGGER IF EXISTS audit_log_refuse_truncate ON audit_log",
    "DROP TRIGGER IF EXISTS audit_log_refuse_update_delete ON audit_log",
)
_SQLITE_GUARDS = (
    """
    CREATE TRIGGER audit_log_refuse_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_log_refuse_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END
    """,
)
_SQLITE_REPLACE_GUARD = """
    CREATE TRIGGER audit_log_refuse_replace BEFORE INSERT ON audit_log
    WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id OR seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: INSERT OR REPLACE of an existing entry refused'); END
"""
_SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS audit_log_refuse_replace",
    "DROP TRIGGER IF EXISTS audit_log_refuse_update",
    "DROP TRIGGER IF EXISTS audit_log_refuse_delete",
)
_ENTRIES = sa.table(
    "audit_log",
    sa.column("id", sa.Integer()),
    sa.column("seq", sa.BigInteger()),
    sa.column("prev_hash", sa.String()),
    sa.column("entry_hash", sa.String()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("object_type", sa.String()),
    sa.column("object_id", sa.String()),
    sa.column("detail", sa.JSON()),
    sa.column("outcome", sa.String()),
    sa.column("message", sa.Text()),
)


def upgrade() -> None:
    _execute(_drop_guards())
    op.add_column("audit_log", sa.Column("seq", sa.BigInteger(), nullable=True))
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_log", sa.Column("entry_hash", sa.String(length=64), nullable=True))
    head = _chain_existing_entries()
    with op.batch_alter_table("audit_log", copy_from=_offline_table()) as batch:
        batch.alter_column("seq", existing_type=sa.BigInteger(), nullable=False)
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("entry_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(op.f("uq_audit_log_seq"), ["seq"])
    heads = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.bulk_insert(heads, [{"id": 1, "seq": head[0], "entry_hash": head[1]}])
    _execute(_guards(replace_guard=True))


def downgrade() -> None:
    _execute(_drop_guards())
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("audit_log", copy_from=_offline_table()) as batch:
        batch.drop_constraint(op.f("uq_audit_log_seq"), type_="unique")
        batch.drop_column("entry_hash")
        batch.drop_column("prev_hash")
        batch.drop_column("seq")
    _execute(_guards(replace_guard=False))


def _chain_existing_entries() -> tuple[int, str]:
    """Give the entries already there their links, in id order; return the head (seq, hash).

    Offline (``gbvs db upgrade --sql``) renders SQL for an empty database: nothing to chain.
    """
    if op.get_context().as_sql:
        return 0, GENESIS_HASH
    connection = op.get_bind()
    columns = [column for column in _ENTRIES.c if column.name not in ("seq", "prev_hash", "entry_hash")]
    rows = connection.execute(sa.select(*columns).order_by(_ENTRIES.c.id)).mappings().all()
    seq, previous = 0, GENESIS_HASH
    for row in rows:
        seq += 1
        entry = {**row, "seq": seq, "prev_hash": previous, "at": _utc(row["at"])}
        current = entry_hash(entry)
        values = {"seq": seq, "prev_hash": previous, "entry_hash": current}
        connection.execute(sa.update(_ENTRIES).where(_ENTRIES.c.id == row["id"]).values(**values))
        previous = current
    return seq, previous


def _offline_table() -> sa.Table | None:
    """For ``--sql`` on SQLite (no database to reflect): audit_log as 0001 made it, plus the new columns."""
    if not op.get_context().as_sql:
        return None
    outcomes = sa.Enum(
        "success", "denied", "failed", name="outcome", native_enum=False, create_constraint=True
    )
    return sa.Table(
        "audit_log",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("actor", sa.String(length=64), nullable=False, index=True),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("object_type", sa.String(length=50), nullable=False),
        sa.Column("object_id", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("outcome", outcomes, nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=True),
        sa.Column("entry_hash", sa.String(length=64), nullable=True),
    )


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _guards(replace_guard: bool) -> tuple[str, ...]:
    if _dialect() == "postgresql":
        return _PG_GUARDS
    return (*_SQLITE_GUARDS, _SQLITE_REPLACE_GUARD) if replace_guard else _SQLITE_GUARDS


def _drop_guards() -> tuple[str, ...]:
    return _PG_DROP if _dialect() == "postgresql" else _SQLITE_DROP


def _dialect() -> str:
    dialect = op.get_context().dialect.name
    if dialect not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"database dialect {dialect!r} is not supported; use SQLite or PostgreSQL")
    return dialect


def _execute(statements: tuple[str, ...]) -> None:
    for statement in statements:
        op.execute(statement)
