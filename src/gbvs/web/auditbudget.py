"""How much an unauthenticated client may write to the audit log: a budget per client address.

A stranger with a fake bearer token, a bad cookie or a list of passwords must not be able to fill
the audit log (20 clients once wrote 4,391 rows in 10 s). Per WINDOW seconds each client address
gets PER_CLIENT denial rows and all clients together TOTAL; further denials are only counted, and
the count is written later as one ``audit.suppressed`` entry per client and window
(:meth:`DenialBudget.summaries`). Pure and thread-safe: the caller passes the clock.

Kept in memory per server process, like the login throttle. At most MAX_CLIENTS addresses are
tracked; beyond that, new addresses share the key :data:`MANY_CLIENTS`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

PER_CLIENT = 10
TOTAL = 200
WINDOW_SECONDS = 60.0
MAX_CLIENTS = 10_000
MANY_CLIENTS = "(many clients)"


@dataclass
class _Window:
    start: float
    written: int = 0
    suppressed: int = 0


@dataclass(frozen=True)
class Suppressed:
    """Denials of ``client`` that were counted but not written, in the window starting at ``since``."""

    client: str
    count: int
    since: float
    window_seconds: float


class DenialBudget:
    """Admit at most ``per_client`` denial rows per client and ``total`` overall per window."""

    def __init__(
        self, per_client: int = PER_CLIENT, total: int = TOTAL, window: float = WINDOW_SECONDS
    ) -> None:
        self.per_client, self.total, self.window = per_client, total, window
        self._clients: dict[str, _Window] = {}
        self._overall = _Window(start=float("-inf"))
        self._pending: list[Suppressed] = []
        self._lock = threading.Lock()

    def admit(self, client: str, now: float) -> bool:
        """True: write this denial. False: it is counted and will be summarised."""
        with self._lock:
            window = self._window_of(client, now)
            if self._expired(self._overall, now):
                self._overall = _Window(start=now)
            if window.written < self.per_client and self._overall.written < self.total:
                window.written += 1
                self._overall.written += 1
                return True
            window.suppressed += 1
            return False

    def summaries(self, now: float, everything: bool = False) -> list[Suppressed]:
        """The counts of windows that have ended (or all counts, at shutdown); each is returned once."""
        with self._lock:
            for client, window in list(self._clients.items()):
                if everything or self._expired(window, now):
                    self._close(client, window)
                    del self._clients[client]
            found, self._pending = self._pending, []
            return found

    def _window_of(self, client: str, now: float) -> _Window:
        window = self._clients.get(client)
        if window is not None and self._expired(window, now):
            self._close(client, window)
            del self._clients[client]
            window = None
        if window is None:
            if len(self._clients) >= MAX_CLIENTS and client != MANY_CLIENTS:
                return self._window_of(MANY_CLIENTS, now)
            window = self._fresh(client, now)
        return window

    def _fresh(self, client: str, now: float) -> _Window:
        window = self._clients[client] = _Window(start=now)
        return window

    def _close(self, client: str, window: _Window) -> None:
        if window.suppressed:
            self._pending.append(Suppressed(client, window.suppressed, window.start, self.window))

    def _expired(self, window: _Window, now: float) -> bool:
        return now - window.start >= self.window
