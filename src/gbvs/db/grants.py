"""PostgreSQL privileges of the application role: what ``gbvs db upgrade`` grants, and no more.

The migration owner (``GBVS_MIGRATION_DATABASE_URL``) owns every table. The application role
(``GBVS_DATABASE_APP_ROLE``, the user in ``GBVS_DATABASE_URL``) gets:

- ``audit_log``: SELECT and INSERT only (no UPDATE, DELETE or TRUNCATE; not being the owner it
  cannot ALTER the table, DISABLE or DROP its triggers);
- ``audit_chain_head``: SELECT and UPDATE (appending moves the head; the chain check compares the
  head with the entries, so a changed head is found, never trusted);
- ``alembic_version``: SELECT (to check the schema is current);
- every other table in the schema: SELECT, INSERT, UPDATE, DELETE; sequences: USAGE and SELECT;
- USAGE on the schema (no CREATE).

:func:`grant_statements` is run after every upgrade, so tables added by later migrations are covered.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

from gbvs.db.models import AuditChainHead, AuditLog

RESTRICTED: dict[str, str] = {
    AuditLog.__tablename__: "SELECT, INSERT",
    AuditChainHead.__tablename__: "SELECT, UPDATE",
    "alembic_version": "SELECT",
}
ORDINARY = "SELECT, INSERT, UPDATE, DELETE"


def grant_statements(schema: str, tables: list[str], role: str, quote: object) -> list[str]:
    """The REVOKE/GRANT statements for ``role`` on ``tables`` of ``schema`` (``quote`` quotes names)."""
    assert callable(quote)
    who, where = quote(role), quote(schema)
    rights = {table: RESTRICTED.get(table, ORDINARY) for table in tables}
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who}",
        f"GRANT USAGE ON SCHEMA {where} TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {who}",
    ]
    statements += [
        f"GRANT {grant} ON {where}.{quote(table)} TO {who}" for table, grant in sorted(rights.items())
    ]
    return statements


def grant_app_role(connection: Connection, role: str) -> None:
    """Give ``role`` exactly the application's rights on the current schema (PostgreSQL only)."""
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    tables = inspect(connection).get_table_names(schema=schema)
    quote = connection.dialect.identifier_preparer.quote_identifier
    for statement in grant_statements(schema, tables, role, quote):
        connection.execute(text(statement))
