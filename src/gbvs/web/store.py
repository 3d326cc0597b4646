"""Read-only access to the analytical store for the web app, with results cached per store version.

The store is written only by ``gbvs ingest`` (which swaps in a new file), so a query result stays
valid until the file changes. Every query runs through :meth:`StoreGateway.cached`, keyed by the
query's name and arguments; a new store file (another mtime or size) empties the cache.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from gbvs.store import Store, open_store

T = TypeVar("T")
Backend = Store  # what query functions receive: the read-only store (Ibis tables, provenance)


class StoreGateway:
    """One read-only connection to the store, shared by the request threads under a lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._backend: Store | None = None
        self._stamp: tuple[int, int] | None = None
        self._cache: dict[Hashable, Any] = {}

    def cached(self, key: Hashable, compute: Callable[[Backend], T]) -> T:
        """Return ``compute(backend)``, computed once per store version and ``key``."""
        with self._lock:
            backend = self._current_backend()
            if key not in self._cache:
                self._cache[key] = compute(backend)
            return self._cache[key]

    def has_table(self, name: str) -> bool:
        """Whether the store holds table ``name``."""
        return name in self.cached(("_tables",), lambda con: frozenset(con.tables()))

    def stamp(self) -> tuple[int, int] | None:
        """(mtime_ns, size) of the store file, or None when there is none."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def _current_backend(self) -> Store:
        stamp = self.stamp()
        if stamp != self._stamp or self._backend is None:
            self._close()
            self._backend = open_store(self.path)  # StoreNotBuiltError (with the fix) when missing
            self._stamp = stamp
        return self._backend

    def _close(self) -> None:
        if self._backend is not None:
            self._backend.close()
        self._backend = None
        self._stamp = None
        self._cache.clear()

    def close(self) -> None:
        """Close the connection (at app shutdown)."""
        with self._lock:
            self._close()
