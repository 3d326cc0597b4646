"""``gbvs db``: create, upgrade and check the operational database.

Also registers the account commands (``gbvs orgs``, ``gbvs users``, ``gbvs audit``)
from :mod:`gbvs.cli.accounts`, which act as a named user (``--as USER``).
"""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.engine import make_url

from gbvs.cli.output import FormatOption, OutputFormat, echo, print_json
from gbvs.config import Settings, load_settings
from gbvs.db import migrate
from gbvs.db.session import make_engine, make_migration_engine, redact_url
from gbvs.errors import InputError, SchemaOutdatedError

db_app = typer.Typer(help="The operational database (users, organisations, audit log): upgrade and check.")


@db_app.command("upgrade")
def upgrade_database(
    sql: bool = typer.Option(False, "--sql", help="Print the SQL for a DBA instead of running it."),
    target: str = typer.Option("head", "--to", help="Revision to upgrade to (default: the newest)."),
) -> None:
    """Apply pending migrations (creates the database on first use)."""
    settings = load_settings()
    if sql:
        echo(migrate.upgrade_sql(settings.resolved_migration_database_url, target))
        return
    engine = make_migration_engine(settings)
    try:
        before = migrate.current_revision(engine)
        migrate.upgrade(engine, target, settings.database_app_role)
        after = migrate.current_revision(engine)
    finally:
        engine.dispose()
    echo(f"database {redact_url(str(engine.url))}: {before or 'empty'} -> {after}")


@db_app.command("check")
def check_database(output_format: FormatOption = OutputFormat.text) -> None:
    """Say whether the schema is current; exit 7 with the fix when it is not (creates nothing)."""
    status = _schema_status(load_settings())
    if output_format is OutputFormat.json:
        print_json(
            {
                "url": status.url,
                "current": status.current,
                "head": status.head,
                "pending": list(status.pending),
                "differences": list(status.differences),
                "is_current": status.is_current,
                "problem": status.problem(),
            }
        )
    problem = status.problem()
    if problem is not None:
        raise SchemaOutdatedError(problem)
    if output_format is OutputFormat.text:
        echo(f"database {status.url} is current (revision {status.head})")


@db_app.command("downgrade")
def downgrade_database(
    target: str = typer.Argument(..., help="Revision to go back to; 'base' removes every GBVS table."),
    yes: bool = typer.Option(False, "--yes", help="Confirm: downgrading can drop tables and their data."),
) -> None:
    """Revert migrations (for developers and rollbacks; can delete data)."""
    if not yes:
        raise InputError(
            f"downgrading to {target!r} can drop tables and the data in them; back up the database, "
            "then repeat with --yes"
        )
    engine = make_migration_engine(load_settings())
    try:
        migrate.downgrade(engine, target)
        echo(f"database now at revision {migrate.current_revision(engine) or 'base (empty)'}")
    finally:
        engine.dispose()


@db_app.command("revision")
def new_revision(
    message: str = typer.Option(..., "--message", "-m", help="What the migration does, e.g. 'add signals'."),
    autogenerate: bool = typer.Option(
        True, "--autogenerate/--empty", help="Compare models with the database and write the differences."
    ),
) -> None:
    """Write a new migration script into gbvs/db/migrations/versions (developers)."""
    engine = make_migration_engine(load_settings())
    try:
        path = migrate.new_revision(engine, message, autogenerate)
    finally:
        engine.dispose()
    echo(f"wrote {path}; review it, then run `gbvs db upgrade`")


def _schema_status(settings: Settings) -> migrate.SchemaStatus:
    url = settings.resolved_database_url
    if _missing_sqlite_file(url) is not None:
        head = migrate.head_revision()
        return migrate.SchemaStatus(redact_url(url), None, head, pending=(head,))
    engine = make_engine(settings)
    try:
        return migrate.schema_status(engine)
    finally:
        engine.dispose()


def _missing_sqlite_file(url: str) -> Path | None:
    """The SQLite file a URL points to when it does not exist yet (checking must not create it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def register(app: typer.Typer) -> None:
    """Add ``gbvs db`` and the account groups ``orgs``, ``users`` and ``audit``."""
    from gbvs.cli import accounts

    app.add_typer(db_app, name="db")
    accounts.register(app)
