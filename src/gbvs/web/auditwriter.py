"""Group commit for the web's audit entries: one transaction for the entries of concurrent requests.

Every protected request in remote mode adds an audit entry. Written one transaction each, the
entries would queue on the database's write lock (and on SQLite each commit waits for the disk).
Here request threads hand their entry to one writer thread; the writer takes whatever has queued
up meanwhile (up to BATCH entries) and commits it in one transaction. ``write(entry, wait=False)``
only queues an entry; the web app waits for every entry (fail closed), see :mod:`gbvs.web.audit`.
Request handlers on the event loop await the commit with :meth:`AuditWriter.write_async`, which
blocks no thread while it waits (the writer thread wakes the loop when the batch is committed).

A waiting request waits for its entry to be committed. When the database is only busy (another process
holds SQLite's write lock; a PostgreSQL lock timeout), the entry stays queued and the writer
retries until it is stored, so a read is not refused because someone else is writing (issue 8,
finding 1). Everything else fails closed: a write that fails for any other reason fails the
request with :class:`~gbvs.errors.DatabaseError`, and so does every new request while
:data:`MAX_BACKLOG` entries are still waiting. Entries still queued at shutdown are written then
(retried for up to :data:`CLOSE_SECONDS`); what cannot be written is logged with its count. A
crash of the server process loses at most the queued entries of the last moments.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from gbvs.db.audit import AuditEntry, record_many
from gbvs.db.models import Outcome
from gbvs.db.session import DatabaseBusyError, brief_write
from gbvs.errors import DatabaseError
from gbvs.security import Principal

BATCH = 200
POLL_SECONDS = 0.05
WAIT_SECONDS = 60.0
MAX_BACKLOG = 10_000
RETRY_SECONDS = (0.1, 0.2, 0.5, 1.0, 2.0)
CLOSE_SECONDS = 30.0
BUSY_MARKERS = ("database is locked", "database is busy", "lock timeout", "could not obtain lock")
log = logging.getLogger(__name__)


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` only says the database is busy now (worth retrying), not that it is broken."""
    text = str(error).lower()
    return isinstance(error, DatabaseBusyError) or any(marker in text for marker in BUSY_MARKERS)


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
    waiter: Callable[[], object] | None = None
    """Called by the writer thread when the entry is done, or stays queued because the database is busy."""

    def wake(self) -> None:
        """Tell an awaiting request that it may go on (see :meth:`AuditWriter.write_async`)."""
        if self.waiter is not None:
            with contextlib.suppress(RuntimeError):  # its event loop has closed: nobody waits any more
                self.waiter()

    def as_audit_entry(self) -> AuditEntry:
        """What is written to the log."""
        return AuditEntry(
            self.principal,
            self.action,
            self.object_type,
            self.object_id,
            self.detail,
            self.outcome,
            self.message,
        )


class AuditWriter:
    """One writer thread per app; :meth:`write` returns once the entry is committed."""

    def __init__(self, session_factory: Callable[[], sessionmaker[Session]]) -> None:
        self._session_factory = session_factory
        self._queue: queue.Queue[PendingEntry | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._held = 0
        self._closing = threading.Event()
        self._busy = threading.Event()
        self._failure: BaseException | None = None

    def write(self, entry: PendingEntry, *, wait: bool = True) -> None:
        """Queue ``entry`` and wait for its commit, or until the database turns out to be busy.

        DatabaseError when the write fails for another reason, or when the backlog is full. With
        ``wait=False`` (reads and searches) the entry is only queued; the request still fails while
        the last write failed for a reason other than a busy database.
        """
        self._admit()
        self._queue.put(entry)
        if not wait:
            return
        started = time.monotonic()
        while not entry.done.wait(POLL_SECONDS):
            if self._busy.is_set():
                return  # stays queued: the writer retries until it is stored
            if time.monotonic() - started > WAIT_SECONDS:
                raise DatabaseError(
                    f"the audit entry was not written within {WAIT_SECONDS:.0f} s; check the database"
                )
        if entry.error is not None:
            raise DatabaseError(f"the audit entry could not be written: {entry.error}") from entry.error

    async def write_async(self, entry: PendingEntry) -> None:
        """:meth:`write` for the event loop: queue ``entry`` and await its commit without blocking a thread.

        Returns when the entry is committed or stays queued because the database is busy;
        DatabaseError as for :meth:`write`.
        """
        self._admit()
        loop = asyncio.get_running_loop()
        settled: asyncio.Future[None] = loop.create_future()
        entry.waiter = functools.partial(loop.call_soon_threadsafe, _settle, settled)
        self._queue.put(entry)
        if self._busy.is_set():
            return  # stays queued: the writer retries until it is stored
        try:
            async with asyncio.timeout(WAIT_SECONDS):
                await settled
        except TimeoutError:
            raise DatabaseError(
                f"the audit entry was not written within {WAIT_SECONDS:.0f} s; check the database"
            ) from None
        if entry.error is not None:
            raise DatabaseError(f"the audit entry could not be written: {entry.error}") from entry.error

    def _admit(self) -> None:
        """Start the writer; refuse while the last write failed or the backlog is full (fail closed)."""
        self._ensure_running()
        if self._failure is not None:
            raise DatabaseError(f"audit entries cannot be written: {self._failure}; check the database")
        if self._queue.qsize() + self._held >= MAX_BACKLOG:
            raise DatabaseError(
                f"{MAX_BACKLOG:,} audit entries are waiting for the database; refusing until they are "
                "written (check that the database is reachable and not locked by another process)"
            )

    @property
    def backlog(self) -> int:
        """Entries queued or held back for a retry."""
        return self._queue.qsize() + self._held

    def close(self) -> None:
        """Write what is queued, then stop the writer thread."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._closing.set()
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
        """Commit ``batch``; while the database is only busy, keep retrying (until closing gives up)."""
        if not batch:
            return
        self._held = len(batch)
        waited = 0.0
        for attempt in itertools.count():
            error = self._try_commit(batch)
            if error is None or not is_busy(error):
                break
            if not self._busy.is_set():
                self._busy.set()
                for entry in batch:  # awaiting requests go on; their entries stay queued
                    entry.wake()
            if self._closing.is_set() and waited >= CLOSE_SECONDS:
                log.error("audit: %d entries not written at shutdown, the database stays busy", len(batch))
                break
            pause = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
            time.sleep(pause)
            waited += pause
        self._held = 0
        self._busy.clear()
        self._failure = None if error is None or is_busy(error) else error
        for entry in batch:
            entry.error = error
            entry.done.set()
            entry.wake()

    def _try_commit(self, batch: list[PendingEntry]) -> BaseException | None:
        try:
            with brief_write(self._session_factory()) as session:  # waits 200 ms at most for the lock
                record_many(session, [entry.as_audit_entry() for entry in batch])
        except Exception as exc:  # busy: retried; anything else: the waiting requests fail closed
            if not is_busy(exc):
                log.error("audit batch of %d entries not written: %s", len(batch), exc)
            return exc
        return None


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
