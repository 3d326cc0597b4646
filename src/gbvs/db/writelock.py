"""Writers of one SQLite file take turns across processes too, with a lock file next to the database.

:mod:`gbvs.db.writeturns` lines up the writers of one process (the web server's threads). Between
processes (the web server and a command such as ``gbvs signals import-stix``) only SQLite's own busy
waiting decided, and it keeps no queue: an import that commits and begins its next transaction at once
took the lock straight back, while a form save that retried every 100 ms kept missing the moment it was
free, until "database is locked". Here every write transaction on a SQLite file also holds an operating
system lock (``fcntl.flock``) on ``<db>.writelock``, taken after the process's own turn and before
``BEGIN IMMEDIATE``, and let go once its COMMIT or ROLLBACK is done; it waits at most what is left of the
writer's wait. The way to it leads through a gate, ``<db>.writegate``, which a writer holds while it waits
for the lock: the writer that has just let the lock go has to wait at the gate behind it, so it cannot
take the lock straight back, and the writers of all processes take turns.

Both files are created 0600 next to the database (the data folder). The operating system lets go of a
``flock`` when the process holding it ends, however it ends (killed, crashed): a lock file left behind
never blocks the next start. Where ``fcntl`` does not exist (Windows) processes do not take turns: a
warning says so once, and SQLite's own waiting decides between them, as before.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from types import ModuleType

from gbvs.errors import Said, said
from gbvs.filemodes import FILE_MODE

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

LOCK_SUFFIX = ".writelock"
"""``<database><LOCK_SUFFIX>``: the lock a process holds while one of its transactions writes."""
GATE_SUFFIX = ".writegate"
"""``<database><GATE_SUFFIX>``: the gate a writer holds while it waits for the lock."""
POLL_SECONDS = (0.001, 0.002, 0.005, 0.01)
"""How long a waiting writer sleeps between tries: short at first, then :data:`POLL_SECONDS`\\ [-1]."""
log = logging.getLogger("gbvs")
_warned = False


class ProcessTurn:
    """A turn to write one database among all processes: the open lock file, let go by :meth:`give_back`."""

    def __init__(self, descriptor: int | None) -> None:
        self._descriptor = descriptor

    def give_back(self) -> None:
        """End the turn (closing the file lets go of its ``flock``); a second call does nothing."""
        descriptor, self._descriptor = self._descriptor, None
        if descriptor is not None:
            os.close(descriptor)


def lock_file(database: Path) -> Path:
    """The lock file of the SQLite file ``database``: ``<database>.writelock``."""
    return database.with_name(database.name + LOCK_SUFFIX)


def take(database: Path, wait_seconds: float) -> ProcessTurn | None:
    """The turn to write ``database`` among all processes, waiting at most ``wait_seconds`` for the
    writers of other processes ahead of this one; None if they did not finish in time."""
    if fcntl is None:  # pragma: no cover - Windows
        _warn_once(database)
        return ProcessTurn(None)
    deadline = time.monotonic() + max(wait_seconds, 0.0)
    gate = _open_private(database.with_name(database.name + GATE_SUFFIX))
    try:
        if not _lock_by(gate, deadline):
            return None
        lock = _open_private(lock_file(database))
        if _lock_by(lock, deadline):
            return ProcessTurn(lock)
        os.close(lock)
        return None
    finally:
        os.close(gate)  # lets the gate go: the next writer waits for the lock now


def _open_private(path: Path) -> int:
    """``path`` opened (created 0600 if it was not there) for locking; not inherited by child programs."""
    return os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)


def _lock_by(descriptor: int, deadline: float) -> bool:
    """Take the ``flock`` of ``descriptor``, trying again until ``deadline``: whether it was taken."""
    assert fcntl is not None
    tries = 0
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            pass
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(POLL_SECONDS[min(tries, len(POLL_SECONDS) - 1)], left))
        tries += 1


def _warn_once(database: Path) -> None:  # pragma: no cover - Windows
    global _warned
    if not _warned:
        _warned = True
        log.warning(
            Said.of(
                said(
                    "this system has no file locks (fcntl): the programs writing the database %(database)s "
                    "do not take turns, and a long import can make a change of another program fail with "
                    "'database is busy'; run long imports when nobody else is saving",
                    database=str(database),
                )
            )
        )
