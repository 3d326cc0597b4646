"""The database's guard of the early-action decision log (migration 0014): triggers refuse UPDATE and
DELETE (and TRUNCATE on PostgreSQL) of a decision (``action_decision``) or a case version
(``action_case_version``), so a raw statement (another tool, a psql session, a script, a bulk ORM
statement, which skips the ORM's own guard in :mod:`gbvs.db.action_models`) cannot change the log.

The refusal carries :data:`DECISION_LOG_MARKER`; :mod:`gbvs.db.session` turns it into an
:class:`~gbvs.errors.InputError` that says how a correction is made (:data:`DECISION_LOG_CORRECTION`),
the same error the ORM raises. The owner of the tables can drop the triggers (as for the audit log);
``gbvs db check`` names a missing one (:func:`gbvs.db.migrate.schema_status`). A later migration that
rebuilds one of these tables on SQLite (batch mode copies the table) must create its triggers again.
"""

from __future__ import annotations

DECISION_LOG_TABLES = ("action_decision", "action_case_version")
DECISION_LOG_MARKER = "decision log is append-only"
DECISION_LOG_CORRECTION = (
    "a correction is a new entry (withdraw the decision with a reason and decide again); "
    "the case itself (status, options, follow-ups, outcome) can still be changed"
)
_PG_FUNCTION = "gbvs_refuse_decision_log_change"


def trigger_names(dialect: str, table: str) -> tuple[str, ...]:
    """The guard's triggers on ``table`` in ``dialect`` (``sqlite`` or ``postgresql``)."""
    if dialect == "postgresql":
        return (f"{table}_refuse_update_delete", f"{table}_refuse_truncate")
    if dialect == "sqlite":
        return (f"{table}_refuse_update", f"{table}_refuse_delete")
    raise NotImplementedError(f"database dialect {dialect!r} is not supported; use SQLite or PostgreSQL")


def create_statements(dialect: str, tables: tuple[str, ...] = DECISION_LOG_TABLES) -> list[str]:
    """The DDL that guards ``tables`` (on PostgreSQL the shared trigger function first)."""
    if dialect == "postgresql":
        return [_pg_function()] + [statement for table in tables for statement in _pg_triggers(table)]
    return [statement for table in tables for statement in _sqlite_triggers(table)]


def drop_statements(dialect: str, tables: tuple[str, ...] = DECISION_LOG_TABLES) -> list[str]:
    """The DDL that removes the guard of ``tables`` (on PostgreSQL the function too, when all go)."""
    on = " ON {table}" if dialect == "postgresql" else ""
    drops = [
        f"DROP TRIGGER IF EXISTS {name}{on.format(table=table)}"
        for table in tables
        for name in trigger_names(dialect, table)
    ]
    if dialect == "postgresql" and set(tables) == set(DECISION_LOG_TABLES):
        drops.append(f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}()")
    return drops


def _pg_function() -> str:
    return f"""
    CREATE OR REPLACE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{DECISION_LOG_MARKER}: % of % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """


def _pg_triggers(table: str) -> list[str]:
    rows, truncate = trigger_names("postgresql", table)
    return [
        f"CREATE TRIGGER {rows} BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {_PG_FUNCTION}()",
        f"CREATE TRIGGER {truncate} BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {_PG_FUNCTION}()",
    ]


def _sqlite_triggers(table: str) -> list[str]:
    update, delete = trigger_names("sqlite", table)
    return [
        f"CREATE TRIGGER {update} BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{DECISION_LOG_MARKER}: UPDATE of {table} refused'); END",
        f"CREATE TRIGGER {delete} BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{DECISION_LOG_MARKER}: DELETE of {table} refused'); END",
    ]
