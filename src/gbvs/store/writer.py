"""Writing a new analytical store atomically: build a temporary file, then ``os.replace`` it in.

The previous store is never opened for writing. A crash, Ctrl-C or kill before :meth:`commit`
leaves it byte-identical; the half-written temporary file is removed by the next ingest.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import ibis
import pandas as pd
import pyarrow as pa

from gbvs.errors import StoreError
from gbvs.store import _compat
from gbvs.store.layout import write_layout
from gbvs.store.provenance import PROVENANCE_COLUMNS, PROVENANCE_TABLE, TableProvenance

_compat.apply()

INTERRUPTS: tuple[type[BaseException], ...] = (KeyboardInterrupt, duckdb.InterruptException)
"""What Ctrl-C raises during ingest: KeyboardInterrupt, or DuckDB's own error when a query is running."""


def quote(name: str) -> str:
    """A DuckDB identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def temp_path_for(target: Path, pid: int | None = None) -> Path:
    """The temporary file a writer with process id ``pid`` builds next to ``target``."""
    return target.with_name(f".{target.name}.{pid or os.getpid()}.tmp")


def remove_stale_temp_files(target: Path) -> list[Path]:
    """Delete temporary store files left by writers that are no longer running."""
    removed = []
    for path in target.parent.glob(f".{target.name}.*.tmp*"):
        pid = path.name.removeprefix(f".{target.name}.").split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and _unlink(path):
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    if os.name == "nt":  # os.kill would terminate the process there; an open file cannot be deleted instead
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _unlink(path: Path) -> bool:
    try:
        path.unlink(missing_ok=True)
    except PermissionError:  # Windows: still open by a running writer
        return False
    return True


class StoreWriter:
    """Builds a new store file next to ``target``; :meth:`commit` swaps it in atomically."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.temp = temp_path_for(target)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._committed = False
        self._ibis: Any = None

    def __enter__(self) -> StoreWriter:
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the store folder {str(self.target.parent)!r}: {exc.strerror}"
            ) from exc
        remove_stale_temp_files(self.target)
        self._remove_temp()
        try:
            self._con = duckdb.connect(str(self.temp))
        except BaseException:  # includes KeyboardInterrupt while the file is being created
            self._remove_temp()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._committed:
            self._close()
            self._remove_temp()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection to the new file."""
        if self._con is None:
            raise StoreError("the store writer is not open; use it as a context manager")
        return self._con

    def write_table(self, name: str, table: pa.Table) -> None:
        """Create table ``name`` from an Arrow table (replacing one of that name)."""
        self.con.register("_gbvs_incoming", table)
        try:
            self.con.execute(f"CREATE OR REPLACE TABLE {quote(name)} AS SELECT * FROM _gbvs_incoming")
        finally:
            self.con.unregister("_gbvs_incoming")

    def copy_from(self, previous: Path, names: Iterable[str]) -> None:
        """Copy tables unchanged from the previous store file (opened read-only)."""
        self.con.execute(f"ATTACH {_literal(previous)} AS previous (READ_ONLY)")
        try:
            for name in names:
                self.con.execute(
                    f"CREATE OR REPLACE TABLE {quote(name)} AS SELECT * FROM previous.{quote(name)}"
                )
        finally:
            self.con.execute("DETACH previous")

    def read_frame(self, name: str) -> pd.DataFrame:
        """A table already written to the new file, as a pandas frame."""
        return self.con.execute(f"SELECT * FROM {quote(name)}").df()

    def has_table(self, name: str) -> bool:
        """Whether the new file already holds table ``name``."""
        rows = self.con.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = ?", [name]).fetchall()
        return bool(rows)

    def ibis_backend(self) -> Any:
        """The Ibis backend over the new file (one per writer; derived tables are built with it)."""
        if self._ibis is None:
            self._ibis = ibis.duckdb.from_connection(self.con)
        return self._ibis

    def materialise(self, name: str, expression: Any) -> int:
        """Create table ``name`` from an Ibis expression (memtables included); return its row count."""
        self.ibis_backend().create_table(name, obj=expression, overwrite=True)
        return self.row_count(name)

    def row_count(self, name: str) -> int:
        """Number of rows in table ``name`` of the new file."""
        row = self.con.execute(f"SELECT count(*) FROM {quote(name)}").fetchone()
        return int(row[0]) if row else 0

    def write_provenance(self, records: Iterable[TableProvenance]) -> None:
        """Write the ``_gbvs_tables`` provenance table."""
        columns = ", ".join(f"{quote(name)} {kind}" for name, kind in PROVENANCE_COLUMNS)
        self.con.execute(f"CREATE OR REPLACE TABLE {PROVENANCE_TABLE} ({columns})")
        placeholders = ", ".join("?" for _ in PROVENANCE_COLUMNS)
        for record in records:
            values = [getattr(record, name) for name, _kind in PROVENANCE_COLUMNS]
            self.con.execute(f"INSERT INTO {PROVENANCE_TABLE} VALUES ({placeholders})", values)

    def commit(self) -> None:
        """Record the layout, flush the new file to disk and atomically replace the previous store."""
        write_layout(self.con)
        self.con.execute("CHECKPOINT")
        self._close()
        _fsync(self.temp)
        try:
            os.replace(self.temp, self.target)
        except PermissionError as exc:  # Windows: a reader (e.g. `gbvs serve`) holds the store open
            raise StoreError(
                f"cannot replace the store {str(self.target)!r}: it is in use by another program "
                f"({exc.strerror}); stop `gbvs serve` or other readers and run `gbvs ingest` again"
            ) from exc
        _fsync(self.target.parent)
        self._committed = True

    def _close(self) -> None:
        self._ibis = None
        if self._con is not None:
            self._con.close()
            self._con = None

    def _remove_temp(self) -> None:
        for path in (self.temp, self.temp.with_name(self.temp.name + ".wal")):
            path.unlink(missing_ok=True)


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    if os.name == "nt" and path.is_dir():
        return
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if path.is_dir() else 0)
    with contextlib.suppress(OSError):
        descriptor = os.open(path, flags)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
