"""The login throttle and the unauthenticated-audit budget hold for all server processes together.

Issue 8: each ``gbvs serve`` worker process kept its own throttle and budget, so with ``--workers
N`` a client got N times the documented budget. Two app instances on one database stand for two
worker processes here (each has its own memory, as a process would); their limits are now shared
through the database, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.config import Settings, load_settings
from gbvs.db.migrate import upgrade
from gbvs.db.models import AuditLog
from gbvs.db.services import users
from gbvs.db.session import engine_for_url, make_session_factory, session_scope
from gbvs.db.testing import BACKENDS, POSTGRES_MISSING, isolated_database_url, postgres_base_url
from gbvs.web import throttle
from gbvs.web.app import create_app
from gbvs.web.auditbudget import PER_CLIENT, DenialBudget
from gbvs.web.throttle import LoginThrottle, recent, throttle_key, wait_seconds

PASSWORD = "correct horse battery staple"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")


@pytest.fixture(params=BACKENDS)
def remote(request: pytest.FixtureRequest, tmp_path: Path, small_store: Path) -> Iterator[Settings]:
    """Remote-mode settings on each backend, with admin 'ada' (password)."""
    if request.param == "postgresql" and postgres_base_url() is None:
        pytest.skip(POSTGRES_MISSING)
    with isolated_database_url(request.param, tmp_path) as url:
        settings = load_settings(
            data_dir=tmp_path, store_path=small_store, allow_remote=True, database_url=url
        )
        engine = engine_for_url(url)
        upgrade(engine)
        with session_scope(make_session_factory(engine)) as session:
            users.bootstrap_admin(session, "ada", "Ada", None, PASSWORD)
        engine.dispose()
        yield settings


def _two_workers(settings: Settings, stack: ExitStack, **options: Any) -> list[TestClient]:
    return [
        stack.enter_context(TestClient(create_app(settings), base_url="https://testserver", **options))
        for _ in range(2)
    ]


def _login(client: TestClient, password: str) -> int:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/aanmelden").text)
    assert found
    body = {"username": "ada", "password": password, "next": "/", "csrf_token": found.group(1)}
    return client.post("/aanmelden", data=body, follow_redirects=False).status_code


def _actions(settings: Settings, *names: str) -> list[AuditLog]:
    engine = engine_for_url(settings.resolved_database_url)
    try:
        with Session(engine) as session:
            return [row for row in session.scalars(select(AuditLog)) if row.action in names]
    finally:
        engine.dispose()


def test_two_workers_share_one_login_budget(remote: Settings) -> None:
    with ExitStack() as stack:
        workers = _two_workers(remote, stack)
        answers = [_login(workers[n % 2], "wrong password here") for n in range(2 * throttle.MAX_FAILURES)]
        assert answers == [401] * throttle.MAX_FAILURES + [429] * throttle.MAX_FAILURES
        assert [_login(worker, PASSWORD) for worker in workers] == [429, 429]  # even the right one waits
    assert len(_actions(remote, "auth.login")) == throttle.MAX_FAILURES


def test_a_parallel_burst_across_workers_gets_no_more_checks_than_the_budget(remote: Settings) -> None:
    factories = [make_session_factory(engine_for_url(remote.resolved_database_url)) for _ in range(2)]
    limiters = [LoginThrottle(lambda factory=factory: factory) for factory in factories]  # type: ignore[misc]
    key = throttle_key("ada", "10.0.0.9")
    admitted: list[int] = []

    def burst(limiter: LoginThrottle) -> None:
        for _ in range(2 * throttle.MAX_FAILURES):
            admitted.append(limiter.attempt(key, now=1000.0) == 0)

    threads = [threading.Thread(target=burst, args=(limiter,)) for limiter in limiters for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(admitted) == throttle.MAX_FAILURES
    assert limiters[0].retry_after(key, now=1000.0 + throttle.WINDOW_SECONDS) == 0  # the window ends
    for factory in factories:
        factory.kw["bind"].dispose()


def test_two_workers_share_one_audit_budget(remote: Settings) -> None:
    fake = {"Authorization": "Bearer gbvs_" + "B" * 43}
    with ExitStack() as stack:
        workers = _two_workers(remote, stack, client=("10.0.0.7", 4000))
        for n in range(4 * PER_CLIENT):
            assert workers[n % 2].get("/api/v1/pillars", headers=fake).status_code == 401
    denials = _actions(remote, "auth.token")
    assert len(denials) == PER_CLIENT  # not PER_CLIENT per worker
    summaries = _actions(remote, "audit.suppressed")
    assert sum(row.detail["suppressed"] for row in summaries) == 3 * PER_CLIENT  # counted once, in total


def test_the_budget_per_client_and_overall(remote: Settings) -> None:
    factory = make_session_factory(engine_for_url(remote.resolved_database_url))
    budget, other = (DenialBudget(lambda: factory, per_client=2, total=3, window=60) for _ in range(2))
    assert [budget.admit("a", 0), other.admit("a", 0), budget.admit("a", 0), other.admit("a", 0)] == [
        True,
        True,
        False,
        False,
    ]
    assert [budget.admit("b", 1), other.admit("c", 2)] == [True, False]  # the overall cap of 3
    assert budget.summaries(30) == []  # windows still open
    ended = budget.summaries(62) + other.summaries(62)
    assert sorted((s.client, s.count) for s in ended) == [("a", 2), ("c", 1)]  # each once
    assert budget.summaries(200) == [] and other.summaries(200) == []
    assert budget.admit("a", 200) is True  # a new window
    factory.kw["bind"].dispose()


def test_one_ipv6_site_gets_one_audit_budget(remote: Settings) -> None:
    """Before: each IPv6 address had its own budget, so one stranger rotating addresses used up the
    budget of all clients together and the denials of everyone else went unwritten (only counted)."""
    factory = make_session_factory(engine_for_url(remote.resolved_database_url))
    budget = DenialBudget(lambda: factory, per_client=2, total=5, window=60)
    rotating = [budget.admit(f"2001:db8:7:{n:x}::1", 0) for n in range(1, 6)]
    assert rotating == [True, True, False, False, False]
    assert budget.admit("203.0.113.9", 1) is True  # the overall budget is still there for others
    [summary] = budget.summaries(62, everything=True)
    assert (summary.client, summary.count) == ("2001:db8:7::/48", 3)
    factory.kw["bind"].dispose()


def test_the_throttle_rules() -> None:
    times = recent([0.0, 10.0], now=11, window=60)
    assert wait_seconds(times, now=11, max_failures=2, window=60) == 49  # until the first one leaves
    assert wait_seconds(times, now=11, max_failures=3, window=60) == 0
    assert recent(times, now=61, window=60) == [10.0]
    assert wait_seconds(recent(times, now=61, window=60), now=61, max_failures=2, window=60) == 0
    assert throttle_key(" Ada ", "10.0.0.1") == ("ada", "10.0.0.1")
