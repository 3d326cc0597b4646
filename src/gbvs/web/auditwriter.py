"""Group commit for the web's audit entries: one transaction for the entries of concurrent requests.

Every protected request in remote mode adds an audit entry. Written one transaction each, the
entries would queue on the database's write lock (and on SQLite each commit waits for the disk).
Here request threads hand their entry to one writer thread and wait until it is committed; the
writer takes whatever has queued up meanwhile (up to BATCH entries) and commits it in one
transaction. A request still answers only after its entry is stored (fail closed): if the write
fails, the request fails with :class:`~gbvs.errors.DatabaseError`.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from gbvs.db.audit import record
from gbvs.db.models import Outcome
from gbvs.db.session import session_scope
from gbvs.errors import DatabaseError
from gbvs.security import Principal

BATCH = 200
WAIT_SECONDS = 60.0
log = logging.getLogger(__name__)


@dataclass
class PendingEntry:
    """One audit entry waiting for the writer, and how its write ended."""

    principal: Principal
    action: str
    object_type: str
    object_id: str | None
    detail: dict[str, Any]
    outcome: Outcome
    message: str | None = None
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class AuditWriter:
    """One writer thread per app; :meth:`write` returns once the entry is committed."""

    def __init__(self, session_factory: Callable[[], sessionmaker[Session]]) -> None:
        self._session_factory = session_factory
        self._queue: queue.Queue[PendingEntry | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def write(self, entry: PendingEntry) -> None:
        """Queue ``entry`` and wait until it is committed (DatabaseError when it cannot be)."""
        self._ensure_running()
        self._queue.put(entry)
        if not entry.done.wait(WAIT_SECONDS):
            raise DatabaseError(
                f"the audit entry was not written within {WAIT_SECONDS:.0f} s; check the database"
            )
        if entry.error is not None:
            raise DatabaseError(f"the audit entry could not be written: {entry.error}") from entry.error

    def close(self) -> None:
        """Write what is queued, then stop the writer thread."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def _ensure_running(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="gbvs-audit-writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            batch = [first] if first is not None else []
            while len(batch) < BATCH and not self._queue.empty():
                item = self._queue.get_nowait()
                if item is None:
                    first = None
                    break
                batch.append(item)
            self._commit(batch)
            if first is None:
                return

    def _commit(self, batch: list[PendingEntry]) -> None:
        if not batch:
            return
        try:
            with session_scope(self._session_factory()) as session:
                for entry in batch:
                    record(
                        session,
                        entry.principal,
                        entry.action,
                        entry.object_type,
                        entry.object_id,
                        entry.detail,
                        entry.outcome,
                        entry.message,
                    )
        except Exception as exc:  # every waiting request learns of it and fails closed
            log.error("audit batch of %d entries not written: %s", len(batch), exc)
            for entry in batch:
                entry.error = exc
        for entry in batch:
            entry.done.set()
