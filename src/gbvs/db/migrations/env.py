"""Alembic environment: run by :mod:`gbvs.db.migrate`, which passes an open connection.

Offline mode (``gbvs db upgrade --sql``) renders the SQL for a DBA instead of running it.
"""

from __future__ import annotations

from alembic import context

from gbvs.db import assessment_models  # noqa: F401  (threat assessment: registers its tables)
from gbvs.db.models import Base
from gbvs.db.signal_models import is_managed
from gbvs.errors import DatabaseError

config = context.config
target_metadata = Base.metadata


def _run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise DatabaseError("migrations run through `gbvs db upgrade`, which supplies the connection")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=is_managed,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
else:
    _run_online()
