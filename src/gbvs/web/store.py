"""Read-only access to the analytical store for the web app, with results cached per store version.

The store is written only by ``gbvs ingest`` (which swaps in a new file), so a query result stays
valid until the file changes. Every query runs through :meth:`StoreGateway.cached`, keyed by the
query's name and arguments; a new store file (another mtime or size) empties the cache
(:class:`gbvs.store.cache.FileCache`, the same cache the forecasts file uses).
"""

from __future__ import annotations

from pathlib import Path

from gbvs.store import Store, open_store
from gbvs.store.cache import FileCache

Backend = Store  # what query functions receive: the read-only store (Ibis tables, provenance)


class StoreGateway(FileCache[Store]):
    """One read-only connection to the store, shared by the request threads under a lock."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, open_store, keep_open=True)

    def has_table(self, name: str) -> bool:
        """Whether the store holds table ``name``."""
        return name in self.cached(("_tables",), lambda con: frozenset(con.tables()))
