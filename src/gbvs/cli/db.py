"""``gbvs db``: create, upgrade and check the operational database.

Schema changes need ``db:migrate`` (the OS owner of the data folder, or an admin's token in
``GBVS_TOKEN``) and are recorded in the audit log; a downgrade first writes the whole audit log to
a file (``--export-audit``). Also registers the account commands (``gbvs orgs``, ``gbvs users``,
``gbvs audit``) from :mod:`gbvs.cli.accounts`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from gbvs.cli.identity import AsUser, os_owner, principal_from_claim, token_from_environment
from gbvs.cli.options import LangOption, resolve_lang
from gbvs.cli.output import FormatOption, OutputFormat, echo, print_json
from gbvs.cli.texts import said_in
from gbvs.config import Settings, load_settings
from gbvs.db import migrate
from gbvs.db.backup import backup_sqlite
from gbvs.db.services import schema
from gbvs.db.session import (
    make_engine,
    make_migration_engine,
    make_session_factory,
    redact_url,
    session_scope,
)
from gbvs.errors import NONE, InputError, SchemaOutdatedError, Term, Words, said
from gbvs.security.authz import authorize
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal

db_app = typer.Typer(
    help="The operational database (users, organisations, audit log): upgrade, check, back up."
)


@db_app.command("upgrade")
def upgrade_database(
    sql: bool = typer.Option(False, "--sql", help="Print the SQL for a DBA instead of running it."),
    target: str = typer.Option("head", "--to", help="Revision to upgrade to (default: the newest)."),
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Apply pending migrations (creates the database on first use; needs db:migrate; recorded)."""
    settings = load_settings()
    if sql:
        echo(migrate.upgrade_sql(settings.resolved_migration_database_url, target))
        return
    target = migrate.checked_target(target, "upgrade")
    local = _os_owner_may_migrate(settings, as_user)
    engine = make_migration_engine(settings)
    try:
        before = migrate.current_revision(engine)
        principal = local or _token_principal_may_migrate(engine, settings, as_user, before, target)
        migrate.upgrade(engine, target, settings.database_app_role)
        after = migrate.current_revision(engine)
        _record_upgrade(engine, settings, principal, before, after)
    finally:
        engine.dispose()
    echo(said_in(upgraded(redact_url(str(engine.url)), before, after), resolve_lang(lang)))


@db_app.command("check")
def check_database(output_format: FormatOption = OutputFormat.text, lang: LangOption = None) -> None:
    """Say whether the schema is current; exit 7 with the fix when it is not (creates nothing)."""
    status = database_status(load_settings())
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
    problem = status.problem_words()
    if problem is not None:
        raise SchemaOutdatedError(problem)
    if output_format is OutputFormat.text:
        current = said("database %(url)s is current (revision %(head)s)", url=status.url, head=status.head)
        echo(said_in(current, resolve_lang(lang)))


@db_app.command("backup")
def backup_database(
    target: Path = typer.Argument(..., help="New file that receives the copy (never replaced)."),
    lang: LangOption = None,
) -> None:
    """Copy the SQLite database consistently, also while GBVS runs (OS owner; PostgreSQL: pg_dump)."""
    settings = load_settings()
    authorize(os_owner(settings), Permission.db_migrate)  # the copy holds every record, unscoped
    made = backup_sqlite(settings.resolved_database_url, target, settings.data_dir)
    backed_up = said(
        "database %(url)s backed up to %(file)s (%(size)s bytes, revision %(revision)s, sha256 %(sha256)s); "
        "to restore it, stop `gbvs serve` and follow docs/operations.md",
        url=redact_url(settings.resolved_database_url),
        file=made.path,
        size=made.size,
        revision=made.revision or Term(NONE),
        sha256=made.sha256,
    )
    echo(said_in(backed_up, resolve_lang(lang)))


@db_app.command("downgrade")
def downgrade_database(
    target: str = typer.Argument(..., help="Revision to go back to; 'base' removes every GBVS table."),
    yes: bool = typer.Option(False, "--yes", help="Confirm: downgrading can drop tables and their data."),
    export_audit: Path | None = typer.Option(
        None, "--export-audit", help="New file that receives the whole audit log first (required)."
    ),
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Revert migrations (admins; can delete data); first records it and exports the audit log."""
    settings = load_settings()
    target = migrate.checked_target(target, "downgrade")
    if not yes:
        raise InputError(
            said(
                "downgrading to %(target)s can drop tables and the data in them; back up the database, "
                "then repeat with --yes",
                target=repr(target),
            )
        )
    if export_audit is None:
        raise InputError(
            said(
                "downgrading to %(target)s can drop the audit log; add --export-audit FILE (a new file) so "
                "the whole log, with an entry recording this downgrade, is kept first",
                target=repr(target),
            )
        )
    local = _os_owner_may_migrate(settings, as_user)  # before anything is opened
    engine = make_migration_engine(settings)
    try:
        current = _downgradable(engine, target)
        if (problem := migrate.downgrade_refusal(engine, target)) is not None:
            raise InputError(problem)  # before the downgrade is recorded and the log exported
        with acting_on(engine, settings, as_user, local, for_writing=True) as (session, principal):
            export = schema.prepare_downgrade(session, principal, current, target, export_audit)
        chosen = resolve_lang(lang)
        exported = said(
            "audit log: %(rows)s entries written to %(file)s (sha256 %(sha256)s)",
            rows=export.rows,
            file=export.path,
            sha256=export.sha256,
        )
        echo(said_in(exported, chosen))
        migrate.downgrade(engine, target)
        echo(said_in(downgraded(migrate.current_revision(engine)), chosen))
    finally:
        engine.dispose()


@db_app.command("revision")
def new_revision(
    message: str = typer.Option(..., "--message", "-m", help="What the migration does, e.g. 'add signals'."),
    autogenerate: bool = typer.Option(
        True, "--autogenerate/--empty", help="Compare models with the database and write the differences."
    ),
    lang: LangOption = None,
) -> None:
    """Write a new migration script into gbvs/db/migrations/versions (developers)."""
    engine = make_migration_engine(load_settings())
    try:
        path = migrate.new_revision(engine, message, autogenerate)
    finally:
        engine.dispose()
    echo(said_in(revision_written(path), resolve_lang(lang)))


def revision_written(path: str) -> Words:
    """The line ``gbvs db revision`` ends with: the script written and what to do with it."""
    return said("wrote %(file)s; review it, then run `gbvs db upgrade`", file=path)


def upgraded(url: str, before: str | None, after: str | None) -> Words:
    """The line ``gbvs db upgrade`` ends with: the revision before and after ("empty" for a new database)."""
    if before is None:
        return said("database %(url)s: empty -> %(after)s", url=url, after=after or "-")
    return said("database %(url)s: %(before)s -> %(after)s", url=url, before=before, after=after or "-")


def downgraded(revision: str | None) -> Words:
    """The line ``gbvs db downgrade`` ends with: where the database now stands."""
    if revision is None:
        return said("database now at base (empty)")
    return said("database now at revision %(revision)s", revision=revision)


def _os_owner_may_migrate(settings: Settings, as_user: str | None) -> Principal | None:
    """The OS owner (checked before anything is created), or None when a token is to be checked."""
    if token_from_environment() is not None:
        return None
    principal = principal_from_claim(None, settings, as_user)
    authorize(principal, Permission.db_migrate)
    return principal


def _token_principal_may_migrate(
    engine: Engine, settings: Settings, as_user: str | None, before: str | None, target: str
) -> Principal:
    """The owner of GBVS_TOKEN, once allowed ``db:migrate`` (refusals recorded)."""
    if before is None:
        raise InputError(
            said(
                "the database is empty, so no API token can be checked; the OS owner of the data folder "
                "creates it (unset GBVS_TOKEN)"
            )
        )
    with acting_on(engine, settings, as_user) as (session, principal):
        schema.authorize_schema_change(session, principal, "db.upgrade", target)
    return principal


def _record_upgrade(
    engine: Engine, settings: Settings, principal: Principal, before: str | None, after: str | None
) -> None:
    """Record the upgrade once the schema is at head (partial upgrades with --to are not recorded)."""
    if after is None or after != migrate.head_revision() or before == after:
        return
    with acting_on(engine, settings, None, principal, for_writing=True) as (session, known):
        schema.record_upgrade(session, known, before, after)


def _downgradable(engine: Engine, target: str) -> str:
    """The current revision, when a downgrade to ``target`` is possible and recordable."""
    migrate.ensure_known(engine)
    current = migrate.current_revision(engine)
    head = migrate.head_revision()
    if current != head:
        raise InputError(
            said(
                "the database is at revision %(current)s, not at this version's newest (%(head)s); run "
                "`gbvs db upgrade` first, so the downgrade can be recorded in the audit log",
                current=repr(current),
                head=repr(head),
            )
        )
    order = ("base", *migrate.known_revisions())
    if order.index(target) >= order.index(current):
        raise InputError(
            said(
                "the database is at %(current)s; %(target)s is not below it, nothing to downgrade",
                current=repr(current),
                target=repr(target),
            )
        )
    return current


@contextmanager
def acting_on(
    engine: Engine,
    settings: Settings,
    as_user: str | None,
    known: Principal | None = None,
    for_writing: bool = False,
) -> Iterator[tuple[Session, Principal]]:
    """A session on ``engine`` with the acting principal (``known``, or proven as the CLI requires);
    ``for_writing``: the block changes the database (its transaction takes the write lock first)."""
    with session_scope(make_session_factory(engine), for_writing=for_writing) as session:
        yield session, known or principal_from_claim(session, settings, as_user)


def database_status(settings: Settings) -> migrate.SchemaStatus:
    """Where the operational database stands against the code, without creating a SQLite file."""
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
