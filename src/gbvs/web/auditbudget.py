"""How much an unauthenticated client may write to the audit log: a budget per client address.

A stranger with a fake bearer token, a bad cookie or a list of passwords must not be able to fill
the audit log (20 clients once wrote 4,391 rows in 10 s). Per WINDOW seconds each client address
gets PER_CLIENT denial rows and all clients together TOTAL; further denials are only counted, and
the count is written later as one ``audit.suppressed`` entry per client and window
(:meth:`DenialBudget.summaries`). The caller passes the clock.

The counts are kept in the operational database (:mod:`gbvs.db.ratelimit`), so the budget holds
for all server processes together (``--workers N`` used to give N times the budget; issue 8).
A client's window starts with its first denial; the overall window with the first denial after
the last one ended. Each ended window's count is claimed by exactly one process. The budget waits
at most a moment for the database's write lock; while another process holds it, a denial is not
written (a refused request still gets its answer at once) and one warning line says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from gbvs.db.ratelimit import claim_expired, lock_state, save_state
from gbvs.db.session import DatabaseBusyError, brief_write
from gbvs.web.throttle import client_network
from gbvs.web.tokenuse import QuietLog

PER_CLIENT = 10
TOTAL = 200
WINDOW_SECONDS = 60.0
SCOPE = "audit-client"
OVERALL_SCOPE = "audit-all"  # never claimed: its window is renewed in place
OVERALL = "*"
KEY_LENGTH = 200


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
        self,
        session_factory: Callable[[], sessionmaker[Session]],
        per_client: int = PER_CLIENT,
        total: int = TOTAL,
        window: float = WINDOW_SECONDS,
    ) -> None:
        self._factory = session_factory
        self.per_client, self.total, self.window = per_client, total, window
        self._ended: list[Suppressed] = []  # windows this process closed while admitting
        self._busy = QuietLog("denials not written to the audit log, the database is busy")

    def admit(self, client: str, now: float) -> bool:
        """True: write this denial. False: it is counted and will be summarised. An IPv6 client counts
        by its network (:func:`gbvs.web.throttle.client_network`): one stranger holds a whole one."""
        try:
            return self._admit(client_network(client)[:KEY_LENGTH], now)
        except DatabaseBusyError as busy:
            self._busy.warn(busy)
            return False

    def _admit(self, client: str, now: float) -> bool:
        with brief_write(self._factory()) as session:
            # Always the client's row first, then the overall one: the same lock order in every process.
            mine = self._current(lock_state(session, SCOPE, client), client, now)
            admitted = mine["written"] < self.per_client
            if admitted:
                overall = self._current(lock_state(session, OVERALL_SCOPE, OVERALL), OVERALL, now)
                admitted = overall["written"] < self.total
                if admitted:
                    overall["written"] += 1
                    save_state(session, OVERALL_SCOPE, OVERALL, overall, overall["start"] + self.window)
            mine["written" if admitted else "suppressed"] += 1
            save_state(session, SCOPE, client, mine, mine["start"] + self.window)
            return admitted

    def summaries(self, now: float, everything: bool = False) -> list[Suppressed]:
        """The counts of windows that have ended (or of all windows, at shutdown); each is returned once."""
        try:
            with brief_write(self._factory()) as session:
                claimed = claim_expired(session, SCOPE, now, everything)
        except DatabaseBusyError as busy:  # claimed later
            self._busy.warn(busy)
            claimed = []
        found, self._ended = self._ended, []
        found += [self._summary(client, state) for client, state in claimed if state and state["suppressed"]]
        return found

    def _current(self, state: Any, client: str, now: float) -> dict[str, Any]:
        """The state of ``client``'s window at ``now``: a fresh one if there was none or it has ended."""
        if state is not None and now - state["start"] < self.window:
            return dict(state)
        if state is not None and state.get("suppressed"):
            self._ended.append(self._summary(client, state))
        return {"start": now, "written": 0, "suppressed": 0}

    def _summary(self, client: str, state: dict[str, Any]) -> Suppressed:
        return Suppressed(client, int(state["suppressed"]), float(state["start"]), self.window)
