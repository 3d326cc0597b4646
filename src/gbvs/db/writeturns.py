"""Writers of one SQLite file in this process take turns, first come first served.

SQLite itself keeps no queue: a connection that wants the write lock while another holds it sleeps
(1, 2, 5, ... then 100 ms at a time) and tries again until its busy_timeout runs out, and whoever tries
at the moment the lock comes free gets it. After a long lock, a writer that had waited almost the whole
timeout kept losing to writers that had just arrived (they try every few milliseconds at first), and
was answered "database is busy" (503) although the lock was free most of its last half second. Here
every write transaction of the process (``BEGIN IMMEDIATE``, :data:`gbvs.db.session.WRITING`) first
takes a ticket and waits for its turn, at most its own wait; only the writer whose turn it is asks
SQLite for the lock (and waits there for another process, for what remains of its wait). A turn ends
when its transaction commits or rolls back. Pure bookkeeping: no I/O.
"""

from __future__ import annotations

import threading
import time


class WriteTurns:
    """First come, first served turns to write one database (see the module docstring)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._next_ticket = 0
        self._serving = 0
        self._given_up: set[int] = set()

    def take(self, wait_seconds: float) -> float | None:
        """Wait for this caller's turn, at most ``wait_seconds``: the seconds it waited, or None if the
        writers ahead of it did not finish in time (it then has no turn and leaves the line)."""
        started = time.monotonic()
        with self._condition:
            ticket = self._next_ticket
            self._next_ticket += 1
            if not self._condition.wait_for(lambda: self._serving == ticket, timeout=max(wait_seconds, 0)):
                self._given_up.add(ticket)
                return None
        return time.monotonic() - started

    def give_back(self) -> None:
        """End the current turn: the next writer still waiting goes."""
        with self._condition:
            self._serving += 1
            while self._serving in self._given_up:
                self._given_up.remove(self._serving)
                self._serving += 1
            self._condition.notify_all()

    @property
    def waiting(self) -> int:
        """Writers in line, the current one included (for messages)."""
        with self._condition:
            return self._next_ticket - self._serving - len(self._given_up)


_TURNS: dict[str, WriteTurns] = {}
_TURNS_LOCK = threading.Lock()


def turns_of(database: str) -> WriteTurns:
    """The turns of the database file ``database`` (one line per file, shared by all its engines)."""
    with _TURNS_LOCK:
        return _TURNS.setdefault(database, WriteTurns())
