"""Read-only access to the analytical store: Ibis tables and their provenance.

Everything outside ``gbvs ingest`` reads the store through :class:`Store`; it opens the DuckDB
file read-only, so readers never block or change it.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

import ibis

from gbvs.errors import Foreign, NotFoundError, StoreError, StoreNotBuiltError, first_line, said
from gbvs.store import _compat
from gbvs.store.layout import check_layout, read_layout
from gbvs.store.provenance import PROVENANCE_TABLE, TableProvenance
from gbvs.store.tables import TableName

_compat.apply()


def no_panel(table: str) -> StoreNotBuiltError:
    """The error of a store without the panel ``table``: it says to run `gbvs ingest`."""
    return StoreNotBuiltError(
        said(
            "the store has no table %(table)s; run `gbvs ingest` to build the panels",
            table=repr(str(table)),
        )
    )


class Store:
    """The analytical store, opened read-only. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise StoreNotBuiltError(
                said(
                    "the analytical store %(path)s does not exist; run `gbvs ingest` (with GBVS_MIRROR set "
                    "to the offline data folder) to build it",
                    path=repr(str(path)),
                )
            )
        self.path = path
        try:
            self.backend: Any = ibis.duckdb.connect(str(path), read_only=True)
        except Exception as exc:  # duckdb raises IOException / InvalidInputException for damaged files
            raise StoreError(
                said(
                    'the analytical store %(path)s cannot be opened (DuckDB: "%(reason)s"); it is damaged '
                    "or not a store: run `gbvs ingest` (with GBVS_MIRROR set to the offline data folder) to "
                    "build it again",
                    path=repr(str(path)),
                    reason=Foreign(first_line(exc)),
                )
            ) from exc
        try:
            check_layout(read_layout(self._layout_rows()), path)
        except StoreError:
            self.close()
            raise

    def _layout_rows(self) -> list[tuple[Any, ...]] | None:
        if not self.has_table(TableName.layout):
            return None
        frame = self.backend.table(TableName.layout).to_pandas()
        return [tuple(row) for row in frame.itertuples(index=False)]

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self.backend.disconnect()

    def tables(self) -> list[str]:
        """Names of the data tables (without the provenance table)."""
        return sorted(name for name in self.backend.list_tables() if not name.startswith("_gbvs"))

    def has_table(self, name: str) -> bool:
        """Whether table ``name`` is in the store."""
        return str(name) in self.backend.list_tables()

    def table(self, name: str) -> Any:
        """The Ibis table expression for ``name``; NotFoundError lists the tables that exist."""
        if not self.has_table(name):
            raise NotFoundError(f"table {name!r} is not in the store; it has: {', '.join(self.tables())}")
        return self.backend.table(str(name))

    def provenance(self) -> list[TableProvenance]:
        """One provenance record per stored table, in ingest order."""
        frame = self.backend.table(PROVENANCE_TABLE).to_pandas()
        return [TableProvenance(**_clean(row)) for row in frame.to_dict(orient="records")]

    def provenance_of(self, name: str) -> TableProvenance:
        """The provenance record of table ``name``."""
        for record in self.provenance():
            if record.table_name == name:
                return record
        raise NotFoundError(
            said("table %(table)s has no provenance record; run `gbvs ingest`", table=repr(str(name)))
        )


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd

    out = {
        key: (None if not isinstance(value, str) and pd.isna(value) else value) for key, value in row.items()
    }
    for key in ("ingested_at", "fetched_at"):
        value = out.get(key)
        if value is not None:
            out[key] = pd.Timestamp(value).to_pydatetime()
    rows = out.get("n_rows")
    if rows is not None:
        out["n_rows"] = int(rows)
    return out


def open_store(path: Path) -> Store:
    """Open the store at ``path`` read-only (StoreNotBuiltError when missing)."""
    return Store(path)
