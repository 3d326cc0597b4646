"""The layout of the analytical store: which tables and columns a store file has, as one number.

``gbvs ingest`` writes :data:`STORE_LAYOUT` into every new store (``_gbvs_store_layout``, with the GBVS
version and the time), and every reader checks it when it opens the file. Raise :data:`STORE_LAYOUT`
whenever a release changes what readers of an existing store rely on (a table or column renamed,
removed or given another meaning); adding a table does not need it, because a missing table is already
named when it is read. A store of another layout is then refused with what to do, instead of failing
later on a missing column. Stores built before the layout was recorded have layout 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from gbvs import __version__
from gbvs.errors import SchemaTooNewError, StoreError
from gbvs.store.tables import TableName

STORE_LAYOUT = 1
"""The layout this GBVS writes and reads."""
UNRECORDED_LAYOUT = 1
"""The layout of a store written before the layout was recorded."""
REBUILD = "run `gbvs ingest` (all sources, without --only) to rebuild it from the mirror or the cache"


@dataclass(frozen=True)
class Layout:
    """What a store file says about itself: its layout, and the GBVS that wrote it (None before 0.1.0)."""

    layout: int
    gbvs_version: str | None = None
    written_at: datetime | None = None


def write_layout(con: Any) -> None:
    """Record :data:`STORE_LAYOUT` in a new store (a DuckDB connection open for writing)."""
    con.execute(
        f"CREATE OR REPLACE TABLE {TableName.layout} "
        "(layout INTEGER NOT NULL, gbvs_version VARCHAR NOT NULL, written_at TIMESTAMPTZ NOT NULL)"
    )
    con.execute(
        f"INSERT INTO {TableName.layout} VALUES (?, ?, current_timestamp)", [STORE_LAYOUT, __version__]
    )


def read_layout(rows: list[tuple[Any, ...]] | None) -> Layout:
    """The layout of a store, from the rows of its layout table (None: the store has no such table)."""
    if not rows:
        return Layout(UNRECORDED_LAYOUT)
    layout, version, written_at = rows[0]
    return Layout(int(layout), str(version), written_at)


def check_layout(found: Layout, path: Path) -> None:
    """Refuse a store of another layout, naming the file, both layouts and what to do."""
    if found.layout == STORE_LAYOUT:
        return
    by = f"GBVS {found.gbvs_version}" if found.gbvs_version else "an earlier GBVS"
    said = f"the analytical store {str(path)!r} was built by {by} in layout {found.layout}"
    if found.layout > STORE_LAYOUT:
        raise SchemaTooNewError(
            f"{said}, newer than this GBVS {__version__} reads (layout {STORE_LAYOUT}); use that GBVS "
            f"release, or {REBUILD} (this replaces the newer store)"
        )
    raise StoreError(f"{said}; this GBVS {__version__} reads layout {STORE_LAYOUT}: {REBUILD}")
