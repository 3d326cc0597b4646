"""Results computed from a stored file, kept until the file's version changes.

The analytical store and the forecasts file are replaced whole (``os.replace``) by ``gbvs ingest``,
``gbvs forecast`` and ``gbvs backtest``, so a result stays valid until the file's version, its
(mtime, size), changes. One class serves both files: the web app keeps one of each.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")
Stamp = tuple[int, int]


class Closeable(Protocol):
    """A handle on an open file."""

    def close(self) -> None:
        """Close the file."""


H = TypeVar("H", bound=Closeable)


def file_version(path: Path) -> Stamp | None:
    """(mtime_ns, size) of the file at ``path``, or None when there is none."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


class FileCache(Generic[H]):
    """``compute(handle)`` results per key, for one version of the file at ``path``; thread-safe.

    ``open_file(path)`` opens the handle (raising the file's "missing" error with its fix). With
    ``keep_open`` the handle stays open until the file changes (fast, but on Windows it blocks the
    writer's ``os.replace``); otherwise it is opened for each miss and closed again.
    """

    def __init__(self, path: Path, open_file: Callable[[Path], H], *, keep_open: bool) -> None:
        self.path = path
        self._open = open_file
        self._keep_open = keep_open
        self._lock = threading.RLock()
        self._handle: H | None = None
        self._seen: Stamp | None = None
        self._results: dict[Hashable, Any] = {}

    def cached(self, key: Hashable, compute: Callable[[H], T]) -> T:
        """``compute(handle)``, computed once per file version and ``key``."""
        with self._lock:
            self._follow(file_version(self.path))
            if key not in self._results:
                with self._session() as handle:
                    self._results[key] = compute(handle)
            return self._results[key]

    def stamp(self) -> Stamp | None:
        """The version of the file now (None when there is none)."""
        return file_version(self.path)

    def close(self) -> None:
        """Close the handle and forget the results (at app shutdown)."""
        with self._lock:
            self._forget()

    def _follow(self, version: Stamp | None) -> None:
        if version != self._seen or version is None:
            self._forget()
            self._seen = version

    def _forget(self) -> None:
        if self._handle is not None:
            self._handle.close()
        self._handle = None
        self._seen = None
        self._results.clear()

    def _session(self) -> AbstractContextManager[H]:
        if not self._keep_open:
            return _Closing(self._open(self.path))
        if self._handle is None:
            self._handle = self._open(self.path)
        return _Kept(self._handle)


class _Closing(Generic[H]):
    def __init__(self, handle: H) -> None:
        self.handle = handle

    def __enter__(self) -> H:
        return self.handle

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


class _Kept(Generic[H]):
    def __init__(self, handle: H) -> None:
        self.handle = handle

    def __enter__(self) -> H:
        return self.handle

    def __exit__(self, *exc: object) -> None:
        return None
