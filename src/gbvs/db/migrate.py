"""Run and check Alembic migrations programmatically (there is no alembic.ini).

``gbvs db upgrade`` calls :func:`upgrade`; ``gbvs db check`` calls
:func:`schema_status`, which compares the database's revision with the code's
head revision and, when they match, compares the live schema with the models
(Alembic's autogenerate comparison, like ``alembic check``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, exc, text

from gbvs.db import (
    append_only,
    assessment_models,  # noqa: F401  (threat assessment: registers its tables)
)
from gbvs.db.downgrade_checks import CHECKS
from gbvs.db.grants import grant_app_role
from gbvs.db.models import Base
from gbvs.db.session import redact_url
from gbvs.db.signal_models import is_managed
from gbvs.errors import DatabaseError, InputError, SchemaOutdatedError, Words, said

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """The Alembic configuration (what alembic.ini would hold), built in code."""
    config = Config(stdout=io.StringIO())
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest revision the code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migration scripts found in gbvs/db/migrations/versions"
    return head


def current_revision(engine: Engine | Connection) -> str | None:
    """The revision the database is at (None for an empty database); read on ``engine``'s own connection
    or on a connection already open (a session's, inside its transaction)."""
    if isinstance(engine, Connection):
        return MigrationContext.configure(engine).get_current_revision()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def known_revisions() -> tuple[str, ...]:
    """Every revision id the code knows, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return tuple(reversed([revision.revision for revision in script.walk_revisions()]))


def revision_order() -> tuple[str, ...]:
    """``base`` and every revision id, oldest first: the order a downgrade walks back."""
    return ("base", *known_revisions())


def checked_target(target: str, direction: str) -> str:
    """``target`` when it names a revision (or ``head`` / ``base``); InputError listing the choices.

    Only exact names are accepted: Alembic's relative forms (``+1``, ``-1``) and id prefixes make a
    typo silently pick some other revision.
    """
    known = ("head" if direction == "upgrade" else "base", *known_revisions())
    if target in known:
        return target
    choices = ", ".join(known)
    if direction == "upgrade":
        raise InputError(
            said(
                "upgrade target %(target)s is not a revision GBVS knows; use one of: %(choices)s "
                "(see `gbvs db check`)",
                target=repr(target),
                choices=choices,
            )
        )
    raise InputError(
        said(
            "downgrade target %(target)s is not a revision GBVS knows; use one of: %(choices)s "
            "(see `gbvs db check`)",
            target=repr(target),
            choices=choices,
        )
    )


def upgrade(engine: Engine, target: str = "head", app_role: str | None = None) -> None:
    """Apply migrations up to ``target`` in one transaction; on PostgreSQL, grant ``app_role`` its rights.

    ``engine`` connects as the table owner (:mod:`gbvs.db.grants` says what the app role gets).
    """
    target = checked_target(target, "upgrade")
    ensure_known(engine)

    def migrate_and_grant(config: Config) -> None:
        command.upgrade(config, target)
        if app_role is not None and engine.dialect.name == "postgresql":
            grant_app_role(config.attributes["connection"], app_role)

    _run(engine, migrate_and_grant)


def downgrade_refusal(engine: Engine, target: str) -> str | None:
    """Why going back to ``target`` would expose something (:mod:`gbvs.db.downgrade_checks`), or None.

    Run before a downgrade is recorded; each migration checks again inside its own downgrade.
    """
    order = revision_order()
    target = checked_target(target, "downgrade")
    current = current_revision(engine) or "base"
    undone = order[order.index(target) + 1 : order.index(current) + 1]
    with engine.connect() as connection:
        for revision in reversed(undone):
            check = CHECKS.get(revision)
            if check is not None and (problem := check.refusal(connection, target, order)) is not None:
                return problem
    return None


def downgrade(engine: Engine, target: str) -> None:
    """Revert migrations down to ``target`` (``base`` removes every GBVS table)."""
    target = checked_target(target, "downgrade")
    _run(engine, lambda config: command.downgrade(config, target))


def upgrade_sql(url: str, target: str = "head") -> str:
    """The SQL :func:`upgrade` would run on an empty database of ``url``'s kind (for a DBA)."""
    target = checked_target(target, "upgrade")
    config = alembic_config(url)
    buffer = io.StringIO()
    config.output_buffer = buffer
    with _alembic_errors():
        command.upgrade(config, target, sql=True)
    return buffer.getvalue()


def _run(engine: Engine, action: object) -> None:
    assert callable(action)
    config = alembic_config()
    try:
        with (
            _alembic_errors(),
            engine.connect() as connection,
            _sqlite_foreign_keys_off(connection),
            connection.begin(),
        ):
            config.attributes["connection"] = connection
            action(config)
            _refuse_dangling_references(connection)
    except exc.ProgrammingError as error:
        if "permission denied" not in str(error) and "must be owner" not in str(error):
            raise
        raise DatabaseError(
            f"the database refused the migration ({str(error.orig).strip().splitlines()[0]}); run "
            "`gbvs db upgrade` as the tables' owner: set GBVS_MIGRATION_DATABASE_URL to the owner's URL"
        ) from error


@contextmanager
def _sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """On SQLite, foreign keys off while migrating (SQLite's own recipe for table rebuilds).

    Alembic's batch mode rebuilds a table (copy, drop, rename); with foreign keys on, dropping a table
    that other rows reference fails. The pragma only takes effect outside a transaction, so it is set on
    the driver connection before the migration's transaction begins; :func:`_refuse_dangling_references`
    checks every reference before the commit.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
    try:
        yield
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def _refuse_dangling_references(connection: Connection) -> None:
    """On SQLite, roll the migration back if it left a reference to a missing row."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _ = broken[0]
        raise DatabaseError(
            f"the migration left {len(broken)} reference(s) to missing rows (first: {table} row {rowid} "
            f"-> {parent}); nothing was changed. Report this with `gbvs db check` output"
        )


@contextmanager
def _alembic_errors() -> Iterator[None]:
    """Alembic's refusals (e.g. a downgrade target above the current revision) as InputError."""
    try:
        yield
    except CommandError as exc:
        raise InputError(f"the migration was refused: {exc}; see `gbvs db check`") from exc


@dataclass(frozen=True)
class SchemaStatus:
    """Where the database stands relative to the code."""

    url: str
    current: str | None
    head: str
    pending: tuple[str, ...] = ()
    differences: tuple[str, ...] = field(default=())
    unknown_revision: bool = False

    @property
    def is_current(self) -> bool:
        """True when no migration is pending and the schema matches the models."""
        return self.current == self.head and not self.differences

    def problem(self) -> str | None:
        """What is wrong and how to fix it (in English), or None when the schema is current."""
        words = self.problem_words()
        return None if words is None else words[0] % words[1]

    def problem_words(self) -> Words | None:
        """What is wrong and how to fix it, as words the reader's language says (:func:`said`)."""
        if self.unknown_revision:
            return said(
                "database %(url)s is at revision %(current)s, which this GBVS version does not know (newest "
                "here: %(head)s): a newer GBVS wrote it. Install that GBVS version (or a newer one), or "
                "restore the backup made before its upgrade; this version can neither upgrade nor "
                "downgrade it",
                url=self.url,
                current=repr(self.current),
                head=repr(self.head),
            )
        if self.current is None:
            return said("database %(url)s has no GBVS schema yet; run `gbvs db upgrade`", url=self.url)
        if self.current != self.head:
            return said(
                "database %(url)s is at revision %(current)s, the code expects %(head)s (pending: "
                "%(pending)s); run `gbvs db upgrade`",
                url=self.url,
                current=repr(self.current),
                head=repr(self.head),
                pending=", ".join(self.pending),
            )
        if self.differences:
            return said(
                "database %(url)s is at revision %(head)s but its tables differ from the models: "
                "%(differences)s; a migration is missing (developers: `gbvs db revision --autogenerate "
                "-m MESSAGE`)",
                url=self.url,
                head=repr(self.head),
                differences="; ".join(self.differences),
            )
        return None


def schema_status(engine: Engine) -> SchemaStatus:
    """Compare the database with the code: revision first, then (if at head) the tables."""
    script = ScriptDirectory.from_config(alembic_config())
    head = head_revision()
    url = redact_url(str(engine.url))
    current = current_revision(engine)
    known = {revision.revision for revision in script.walk_revisions()}
    if current is not None and current not in known:
        return SchemaStatus(url, current, head, unknown_revision=True)
    if current != head:
        return SchemaStatus(url, current, head, pending=_pending(script, current))
    return SchemaStatus(url, current, head, differences=_differences(engine))


def ensure_known(engine: Engine) -> None:
    """Raise SchemaOutdatedError naming the release to install when a newer GBVS wrote the database.

    Alembic would only say it "can't locate revision"; neither an upgrade nor a downgrade can run then.
    """
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        status = SchemaStatus(redact_url(str(engine.url)), current, head_revision(), unknown_revision=True)
        raise SchemaOutdatedError(status.problem_words() or f"database is at unknown revision {current!r}")


def ensure_current(engine: Engine) -> None:
    """Raise SchemaOutdatedError (with the fix) unless the database is at the code's head revision."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        status = schema_status(engine)
        raise SchemaOutdatedError(status.problem_words() or f"database is at {current!r}, expected {head!r}")


def _pending(script: ScriptDirectory, current: str | None) -> tuple[str, ...]:
    revisions = script.iterate_revisions("head", current or "base")
    return tuple(reversed([revision.revision for revision in revisions]))


def _differences(engine: Engine) -> tuple[str, ...]:
    with engine.connect() as connection:
        options = {"compare_type": True, "include_name": is_managed}
        context = MigrationContext.configure(connection, opts=options)
        found = [_describe(diff) for diff in compare_metadata(context, Base.metadata)]
        found += [f"missing trigger {name}" for name in _missing_guard_triggers(connection)]
        return tuple(found)


AUDIT_TRIGGERS = {
    "sqlite": ("audit_log_refuse_update", "audit_log_refuse_delete", "audit_log_refuse_replace"),
    "postgresql": ("audit_log_refuse_update_delete", "audit_log_refuse_truncate"),
}
_TRIGGER_QUERIES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table",
    "postgresql": (
        "SELECT tgname FROM pg_trigger WHERE tgrelid = CAST(:table AS regclass) AND NOT tgisinternal"
    ),
}


def guard_triggers(dialect: str) -> dict[str, tuple[str, ...]]:
    """The append-only triggers each guarded table must have: the audit log's and the decision log's."""
    guarded = {"audit_log": AUDIT_TRIGGERS[dialect]}
    return guarded | {
        table: append_only.trigger_names(dialect, table) for table in append_only.DECISION_LOG_TABLES
    }


def _missing_guard_triggers(connection: Connection) -> list[str]:
    """The append-only guards autogenerate cannot see: check the triggers exist."""
    dialect = connection.dialect.name
    missing = []
    for table, names in guard_triggers(dialect).items():
        present = set(connection.execute(text(_TRIGGER_QUERIES[dialect]), {"table": table}).scalars())
        missing += [name for name in names if name not in present]
    return missing


def _describe(diff: object) -> str:
    if isinstance(diff, tuple) and diff:
        kind = str(diff[0])
        target = diff[-1] if kind.startswith(("add_", "remove_")) else diff[2:4]
        name = getattr(target, "name", None) or str(target)
        return f"{kind} {name}"
    if isinstance(diff, list):
        return ", ".join(_describe(item) for item in diff)
    return str(diff)


def new_revision(engine: Engine, message: str, autogenerate: bool) -> str:
    """Write a new revision script (numbered after the head) and return its path."""
    config = alembic_config()
    number = f"{int(head_revision()) + 1:04d}" if head_revision().isdigit() else None
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        script = command.revision(config, message=message, autogenerate=autogenerate, rev_id=number)
    assert script is not None and not isinstance(script, list)
    return str(script.path)
