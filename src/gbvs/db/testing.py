"""Throwaway databases for tests (used by ``tests/db/conftest.py``; reusable by other test folders).

Each test gets its own database: a fresh SQLite file, or a fresh PostgreSQL
schema on the cluster named by ``GBVS_TEST_POSTGRES_URL`` (created before the
test, dropped with everything in it afterwards). The URL handed to the test
selects that schema through ``search_path``, so code under test needs nothing special.

:func:`append_only_lifted` lifts the decision log's guard for a block, as the table owner can (a test
that backdates a decision to make a follow-up overdue).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from gbvs.db.append_only import create_statements, drop_statements

POSTGRES_URL_ENV = "GBVS_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "GBVS_REQUIRE_POSTGRES"
BACKENDS: tuple[str, ...] = ("sqlite", "postgresql")
POSTGRES_MISSING = (
    f"PostgreSQL tests skipped: {POSTGRES_URL_ENV} is not set; run them with "
    "`bash scripts/with-postgres .venv/bin/pytest tests/db`"
)


def postgres_base_url() -> str | None:
    """The throwaway cluster's URL, when the tests run inside ``scripts/with-postgres``."""
    return os.environ.get(POSTGRES_URL_ENV) or None


def postgres_required() -> bool:
    """Whether a missing PostgreSQL must fail the run (``GBVS_REQUIRE_POSTGRES=1``, as in CI)."""
    return os.environ.get(REQUIRE_POSTGRES_ENV) == "1"


@contextmanager
def isolated_database_url(backend: str, folder: Path) -> Iterator[str]:
    """A URL to an empty database of ``backend`` that disappears after the block."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'gbvs-test.sqlite3'}"
        return
    base = postgres_base_url()
    if backend != "postgresql" or base is None:
        raise ValueError(f"backend {backend!r} is not available; use one of {BACKENDS} ({POSTGRES_MISSING})")
    with _postgres_schema(base) as url:
        yield url


@contextmanager
def _postgres_schema(base_url: str) -> Iterator[str]:
    schema = f"gbvs_test_{secrets.token_hex(6)}"
    admin = create_engine(base_url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '20s'"))
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def append_only_lifted(connection: Connection, table: str) -> Iterator[None]:
    """Drop the append-only triggers of ``table`` (a decision-log table) for the block, in the
    connection's transaction, and create them again after it (a failed block rolls the drop back)."""
    dialect = connection.dialect.name
    for statement in drop_statements(dialect, (table,)):
        connection.execute(text(statement))
    yield
    for statement in create_statements(dialect, (table,)):
        connection.execute(text(statement))
