"""Login throttle: at most MAX_FAILURES failed logins per username and client address per WINDOW,
and at most ACCOUNT_MAX_FAILURES per username from networks it has not logged in from lately.

The attempt times of each (username, client) are kept in the operational database
(:mod:`gbvs.db.ratelimit`), so every server process counts against the same budget: with
``--workers N`` a client gets the documented budget, not N times it (issue 8). The rules are pure
(:func:`recent`, :func:`wait_seconds`; the caller passes the clock). The web login refuses a
throttled attempt without checking the password and keeps an audit entry.

:meth:`LoginThrottle.attempt` checks and counts in one transaction that holds the key's row lock,
before the password is checked: an attempt counts as a failure until :meth:`LoginThrottle.succeeded`
forgets it, so a parallel burst, from one process or several, gets no more checks than the budget
(issue 8, finding 9: a burst used to get 16 against 10). The client address is the connection's;
an IPv6 client counts by its /48 network (:func:`client_network`);
``X-Forwarded-For`` counts only from ``GBVS_TRUSTED_PROXIES`` (applied by the server,
:func:`gbvs.cli.web.uvicorn_options`). An attempt that cannot be counted because another process
holds the database's write lock for more than a moment is refused like a throttled one (retry in
:data:`BUSY_RETRY_SECONDS`): the password is never checked uncounted.

The per-account budget (:data:`ACCOUNT_MAX_FAILURES`, scope :data:`ACCOUNT_SCOPE`) holds a guesser
spread over many networks, who would otherwise get MAX_FAILURES guesses per network. So that the same
guesser cannot lock the account's owner out, it does not hold a network the account logged in from in
the last :data:`KNOWN_NETWORK_DAYS` (:func:`account_wait`): from there only the per-network budget
applies. The trade-off (docs/security.md, "Login budget"): while a guesser keeps spending the
account's budget, its owner waits on a network they have not logged in from (at most one WINDOW after
the guessing stops).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Callable
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy.orm import Session, sessionmaker

from gbvs.db.ratelimit import claim_expired, forget, lock_state, save_state
from gbvs.db.session import DatabaseBusyError, brief_write, session_scope
from gbvs.web.tokenuse import QuietLog

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
SCOPE = "login"
ACCOUNT_MAX_FAILURES = 10
"""Failed logins per WINDOW at one account from networks it has not logged in from lately (any number)."""
ACCOUNT_SCOPE = "login-account"
KNOWN_NETWORK_DAYS = 30
"""How long after a successful login its client network stays exempt from the account's budget."""
BUSY_RETRY_SECONDS = 1
IPV6_PREFIX = 48  # an IPv6 client is throttled by its /48 network: see client_network
Key = tuple[str, str]


class Budget(StrEnum):
    """Which budget held a login back (the ``budget`` of its ``auth.login_throttled`` audit entry)."""

    network = "network"
    """MAX_FAILURES per WINDOW for this username from this client network (:data:`SCOPE`)."""
    account = "account"
    """ACCOUNT_MAX_FAILURES per WINDOW for this account from networks it has not logged in from lately."""
    busy = "database-busy"
    """Not a budget: the database was too busy to count the attempt, which is refused uncounted."""


class Held(NamedTuple):
    """An attempt held back: how long it waits and by which budget (seconds 0: it may go ahead)."""

    seconds: int
    budget: Budget | None = None


def recent(times: list[float], now: float, window: float) -> list[float]:
    """The attempt times still inside the window ending at ``now``."""
    return [at for at in times if at > now - window]


def wait_seconds(times: list[float], now: float, max_failures: int, window: float) -> int:
    """Seconds until one more attempt may go ahead given the ``recent`` ``times`` (0: now)."""
    if len(times) < max_failures:
        return 0
    return max(1, int(sorted(times)[-max_failures] + window - now + 0.999))


class LoginThrottle:
    """Login attempt times per (username, client) in the database, forgotten after the window or a success."""

    def __init__(
        self,
        session_factory: Callable[[], sessionmaker[Session]],
        max_failures: int = MAX_FAILURES,
        window: float = WINDOW_SECONDS,
    ) -> None:
        self._factory = session_factory
        self.max_failures = max_failures
        self.window = window
        self._busy = QuietLog("login attempts refused uncounted, the database is busy")

    def retry_after(self, key: Key, now: float) -> int:
        """Seconds until ``key`` may try again (0: it may try now)."""
        with session_scope(self._factory()) as session:
            times = recent(lock_state(session, SCOPE, _row_key(key)) or [], now, self.window)
            account = self._account(session, key[0], now)
            wait = wait_seconds(times, now, self.max_failures, self.window)
            return wait or account_wait(account, key[1], now, self.window)

    def attempt(self, key: Key, now: float) -> int:
        """Check and count an attempt at once: 0 if it may go ahead (counted), else seconds to wait."""
        return self.check(key, now).seconds

    def check(self, key: Key, now: float) -> Held:
        """Check and count an attempt at once, saying which budget holds it back, if one does."""
        try:
            return self._attempt(key, now)
        except DatabaseBusyError as busy:
            self._busy.warn(busy)
            return Held(BUSY_RETRY_SECONDS, Budget.busy)

    def _attempt(self, key: Key, now: float) -> Held:
        with brief_write(self._factory()) as session:  # locks: the network's row, then the account's
            claim_expired(session, SCOPE, now)  # rows whose every attempt has left the window
            claim_expired(session, ACCOUNT_SCOPE, now)
            times = recent(lock_state(session, SCOPE, _row_key(key)) or [], now, self.window)
            account = self._account(session, key[0], now)
            held = _held(
                wait_seconds(times, now, self.max_failures, self.window),
                account_wait(account, key[1], now, self.window),
            )
            if not held.seconds:
                times.append(now)
                account["failures"].append(now)
            save_state(session, SCOPE, _row_key(key), times, expires_at=max(times, default=now) + self.window)
            self._save_account(session, key[0], account)
            return held

    def succeeded(self, key: Key, now: float) -> None:
        """Forget the failures of ``key`` (a correct password in the attempt counted at ``now``): the
        attempt no longer counts against the account, and its network is known to it from now on."""
        with session_scope(self._factory(), for_writing=True) as session:
            forget(session, SCOPE, _row_key(key))
            account = self._account(session, key[0], now)
            if now in account["failures"]:
                account["failures"].remove(now)
            account["known"][key[1]] = now + KNOWN_NETWORK_DAYS * 86400
            self._save_account(session, key[0], account)

    def _account(self, session: Session, username: str, now: float) -> dict[str, Any]:
        """The account's recent failures and known networks (locked until the transaction ends)."""
        stored = lock_state(session, ACCOUNT_SCOPE, _row_key((username, ""))) or {}
        known = {network: until for network, until in stored.get("known", {}).items() if until > now}
        return {"failures": recent(stored.get("failures", []), now, self.window), "known": known}

    def _save_account(self, session: Session, username: str, account: dict[str, Any]) -> None:
        ends = [at + self.window for at in account["failures"]] + list(account["known"].values())
        save_state(
            session, ACCOUNT_SCOPE, _row_key((username, "")), account, expires_at=max(ends, default=0.0)
        )


def _held(network_wait: int, account_wait: int) -> Held:
    """The wait of an attempt and the budget that sets it: the network's first, as it is checked first."""
    if network_wait:
        return Held(network_wait, Budget.network)
    if account_wait:
        return Held(account_wait, Budget.account)
    return Held(0)


def account_wait(account: dict[str, Any], network: str, now: float, window: float) -> int:
    """Seconds an attempt from ``network`` waits for the account's budget (0: it may go ahead now); a
    network the account logged in from lately never waits for it."""
    if network in account["known"]:
        return 0
    return wait_seconds(account["failures"], now, ACCOUNT_MAX_FAILURES, window)


def throttle_key(username: str, client: str | None) -> Key:
    """The throttle key of a login attempt (username as the login compares it, client by its network)."""
    return (username.strip().lower()[:64], client_network(client))


def client_network(client: str | None) -> str:
    """What shares one budget: an IPv4 address, or the IPv6 network (:data:`IPV6_PREFIX`) of an address.

    One connection holds a whole IPv6 network (a /64 at least, often a /56 or /48), so a budget per
    IPv6 address would give an attacker who rotates addresses unlimited guesses. An IPv4 address
    mapped into IPv6 (``::ffff:192.0.2.1``) counts as that IPv4 address. Names that are no address
    (a test client, a Unix socket) are kept as they are.
    """
    try:
        address = ipaddress.ip_address((client or "").strip())
    except ValueError:
        return client or "unknown"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if isinstance(address, ipaddress.IPv4Address):
        return str(address)
    return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))


def _row_key(key: Key) -> str:
    """The stored key: a digest, as the typed username may hold any character."""
    return hashlib.sha256(json.dumps(list(key)).encode("utf-8")).hexdigest()
