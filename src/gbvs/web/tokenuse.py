"""Keeping ``api_token.last_used_at`` without a write per request (issue 8, finding 1).

A token request is a read. After the response, :meth:`TokenUseRecorder.after_use` writes the token's use at
most once per :data:`gbvs.db.services.tokens.USE_RESOLUTION` per process (the database refuses more
often across processes), in its own short transaction that waits only briefly for the lock. When the
database is busy the write is skipped: the request has already succeeded, and the next use will try
again. Such skips and other lock waits are logged by :class:`QuietLog` as one line at most per minute.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.orm import Session, sessionmaker

from gbvs.db.services.tokens import USE_RESOLUTION, record_use
from gbvs.db.session import DatabaseBusyError, brief_write
from gbvs.security.hashing import hash_api_token

MAX_REMEMBERED = 10_000
RETRY_AFTER_BUSY_SECONDS = 1.0
log = logging.getLogger("gbvs.web")


class QuietLog:
    """A warning logged once per ``interval`` seconds at most, with the count of repeats in between."""

    def __init__(self, message: str, interval: float = 60.0) -> None:
        self.message = message
        self.interval = interval
        self._last = float("-inf")
        self._repeats = 0
        self._lock = threading.Lock()

    def warn(self, reason: object) -> None:
        """Log ``message`` with ``reason`` (no traceback), unless it was logged within the interval."""
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.interval:
                self._repeats += 1
                return
            repeats, self._repeats, self._last = self._repeats, 0, now
        extra = f" ({repeats} more since the last message)" if repeats else ""
        log.warning("%s: %s%s", self.message, reason, extra)


class TokenUseRecorder:
    """Writes the use of API tokens now and then; never makes a request fail."""

    def __init__(self, resolution: float = USE_RESOLUTION.total_seconds()) -> None:
        self.resolution = resolution
        self._written: dict[str, float] = {}
        self._lock = threading.Lock()
        self._busy = QuietLog("API token use not recorded, the database is busy; retried on a later use")

    def after_use(self, factory: sessionmaker[Session], secret: str) -> None:
        """Record that ``secret`` was just used, if that is due and the database lets us at once."""
        if self.due(secret):
            self.write(factory, secret)

    def due(self, secret: str) -> bool:
        """Whether the use of ``secret`` is due to be written (then counted as written: :meth:`write` it)."""
        return self._due(hash_api_token(secret.strip()))

    def write(self, factory: sessionmaker[Session], secret: str) -> None:
        """Write the use of ``secret`` in a short transaction (if the database is busy: retried soon)."""
        try:
            with brief_write(factory) as session:
                record_use(session, secret)
        except DatabaseBusyError as busy:
            self._retry_soon(hash_api_token(secret.strip()))
            self._busy.warn(busy)

    def _due(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if now - self._written.get(key, float("-inf")) < self.resolution:
                return False
            if len(self._written) >= MAX_REMEMBERED:
                self._written.clear()
            self._written[key] = now
            return True

    def _retry_soon(self, key: str) -> None:
        with self._lock:
            self._written[key] = time.monotonic() - self.resolution + RETRY_AFTER_BUSY_SECONDS
