"""A consistent copy of the SQLite operational database, taken while GBVS runs (``gbvs db backup``).

Copying ``gbvs.sqlite3`` with ``cp`` while the server runs misses what is still in its ``-wal`` file and
can catch a page half-written; SQLite's online backup copies a consistent snapshot, WAL included.
PostgreSQL has its own tools (``pg_dump`` / ``pg_restore``), which the refusal names.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from gbvs.db.session import redact_url
from gbvs.errors import DatabaseError, InputError, NotFoundError, said
from gbvs.sources.fetch import sha256_of

BUSY_TIMEOUT_SECONDS = 30.0
"""How long the backup waits for a writer to finish before it gives up."""


@dataclass(frozen=True)
class Backup:
    """A finished backup: where it is, how large, at which schema revision, and its checksum."""

    path: Path
    size: int
    revision: str | None
    sha256: str


def backup_sqlite(url: str, target: Path, data_dir: Path) -> Backup:
    """Copy the SQLite database of ``url`` to the new file ``target`` (0600) and check the copy.

    ``target`` may not be in ``data_dir`` (GBVS's own folder) or next to the database under one of its
    companion names (``-wal``, ``-journal``, ...): see :func:`_refuse_own_names`."""
    source = _sqlite_file(url)
    _refuse_own_names(target, source, data_dir)
    if target.exists() or target.is_symlink():
        raise InputError(
            said(
                "%(file)s already exists; a backup never replaces a file: choose a new file name",
                file=str(target),
            )
        )
    if not target.parent.is_dir():
        raise InputError(
            said(
                "folder %(folder)s does not exist; create it or choose another file",
                folder=str(target.parent),
            )
        )
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        revision = _copy(source, temp)
        os.link(temp, target)  # never over a file that appeared meanwhile
    except FileExistsError:
        raise InputError(
            said("%(file)s appeared while the backup ran; choose a new file name", file=str(target))
        ) from None
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            leftover.unlink(missing_ok=True)
    return Backup(target, target.stat().st_size, revision, sha256_of(target))


def _refuse_own_names(target: Path, source: Path, data_dir: Path) -> None:
    """Refuse a target inside the data folder (also through a link to it) or named after the database
    (its ``-wal``, ``-shm`` and ``-journal`` files): a backup there would be lost with the folder, and
    could take the name of a file GBVS makes when absent (``web-session.key`` would become the cookie key)."""
    where = target.parent.resolve() / target.name
    own = data_dir.resolve()
    database = source.resolve()
    beside = where.parent == database.parent and where.name.startswith(database.name)
    if where.is_relative_to(own):
        raise InputError(
            said(
                "%(file)s is in the data folder %(folder)s, where GBVS keeps its own files; choose a file "
                "outside the data folder and not named after the database, e.g. "
                "/srv/backup/gbvs/gbvs.sqlite3 (docs/operations.md)",
                file=str(target),
                folder=str(own),
            )
        )
    if beside:
        raise InputError(
            said(
                "%(file)s is named after the database %(database)s, where GBVS keeps its own files; choose "
                "a file outside the data folder and not named after the database, e.g. "
                "/srv/backup/gbvs/gbvs.sqlite3 (docs/operations.md)",
                file=str(target),
                database=str(database),
            )
        )


def _sqlite_file(url: str) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise InputError(
            said(
                "database %(url)s is PostgreSQL, which GBVS does not copy itself: back it up with "
                "`pg_dump --format=custom --file=gbvs.dump DBNAME` as the tables' owner and restore it with "
                "`pg_restore --clean --if-exists --dbname=DBNAME gbvs.dump` (docs/operations.md)",
                url=redact_url(url),
            )
        )
    if not parsed.database or parsed.database == ":memory:":
        raise InputError(said("database %(url)s is in memory; there is no file to back up", url=url))
    path = Path(parsed.database).expanduser()
    if not path.is_file():
        raise NotFoundError(
            said(
                "database file %(file)s does not exist; nothing to back up (`gbvs config` shows it)",
                file=str(path),
            )
        )
    return path


def _copy(source: Path, temp: Path) -> str | None:
    """SQLite's online backup of ``source`` into ``temp``; the copy's schema revision, once it checks out."""
    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    with (
        contextlib.closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)) as live,
        contextlib.closing(sqlite3.connect(temp)) as copy,
    ):
        try:
            live.backup(copy)
        except sqlite3.Error as exc:
            raise DatabaseError(
                said(
                    "backup of %(database)s failed (%(reason)s); nothing was written",
                    database=str(source),
                    reason=str(exc),
                )
            ) from exc
        _refuse_damaged(copy, source)
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
        return _revision(copy)


def _refuse_damaged(copy: sqlite3.Connection, source: Path) -> None:
    """Refuse a copy that fails SQLite's integrity check (its ``source`` is damaged); it is not kept. A
    copy too damaged to be checked at all ("database disk image is malformed") fails it too."""
    try:
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        verdict = str(exc)
    if verdict != "ok":
        raise DatabaseError(
            said(
                "the copy of %(database)s fails SQLite's integrity check (%(verdict)s); not kept: the "
                "database itself may be damaged, restore the last good backup (docs/operations.md)",
                database=str(source),
                verdict=str(verdict),
            )
        )


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # no GBVS schema yet
        return None
    return str(row[0]) if row else None
