"""A login budget per account beside the one per (account, client network), on SQLite and PostgreSQL.

Before: the budget was per username *and* client network only, so a guesser spread over many networks
(a botnet, a cloud account) got 5 guesses per 15 minutes per network at one account. Now failures at
an account from networks it has not logged in from are held after ACCOUNT_MAX_FAILURES per window,
whatever network they come from; its owner, on a network they logged in from lately, is not held
by it (only by the per-network budget), so a guesser cannot lock them out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.db.migrate import upgrade
from gbvs.db.services import users
from gbvs.db.session import engine_for_url, make_session_factory, session_scope
from gbvs.db.testing import BACKENDS, POSTGRES_MISSING, isolated_database_url, postgres_base_url
from gbvs.web import throttle
from gbvs.web.app import create_app
from gbvs.web.throttle import LoginThrottle, throttle_key

PASSWORD = "correct horse battery staple"
WRONG = "wrong password here"
OWNER = "192.0.2.10"
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


def _login(app: FastAPI, address: str, password: str) -> int:
    """The status of one login of 'ada' from a browser at ``address``."""
    with TestClient(app, base_url="https://testserver", client=(address, 50000)) as browser:
        found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', browser.get("/aanmelden").text)
        assert found
        body = {"username": "ada", "password": password, "next": "/", "csrf_token": found.group(1)}
        return browser.post("/aanmelden", data=body, follow_redirects=False).status_code


def _spread_guesses(app: FastAPI) -> list[int]:
    """One wrong guess from each of ACCOUNT_MAX_FAILURES + 1 networks."""
    return [_login(app, f"203.0.113.{n}", WRONG) for n in range(1, throttle.ACCOUNT_MAX_FAILURES + 2)]


def test_guesses_from_many_networks_are_held_per_account(remote: Settings) -> None:
    app = create_app(remote)
    assert _spread_guesses(app) == [401] * throttle.ACCOUNT_MAX_FAILURES + [429]
    assert _login(app, "198.51.100.7", PASSWORD) == 429  # a new network waits, even with the password
    assert _login(app, "198.51.100.7", "") == 429


def test_the_owner_on_a_network_they_used_is_not_locked_out(remote: Settings) -> None:
    app = create_app(remote)
    assert _login(app, OWNER, PASSWORD) == 303  # the owner's usual network
    assert _spread_guesses(app)[-1] == 429
    assert _login(app, OWNER, PASSWORD) == 303
    assert _login(app, "198.51.100.7", WRONG) == 429  # the owner's login gave the guessers nothing back


def test_the_account_budget_rules_on_the_shared_state(remote: Settings) -> None:
    engine = engine_for_url(remote.resolved_database_url)
    limiter = LoginThrottle(lambda: make_session_factory(engine))
    try:
        for n in range(throttle.ACCOUNT_MAX_FAILURES):
            assert limiter.attempt(throttle_key("Ada", f"203.0.113.{n}"), now=1000.0 + n) == 0
        held = limiter.attempt(throttle_key("ada", "203.0.113.99"), now=1100.0)
        assert limiter.retry_after(throttle_key("ada", "203.0.113.98"), now=1100.0) == held
        assert held == 1000 + throttle.WINDOW_SECONDS - 1100  # until the first guess leaves the window
        assert (
            limiter.attempt(throttle_key("ada", "203.0.113.99"), now=1000.0 + throttle.WINDOW_SECONDS + 1)
            == 0
        )
        assert limiter.attempt(throttle_key("bob", "203.0.113.99"), now=1100.0) == 0  # per account
        known = throttle_key("ada", OWNER)
        limiter.succeeded(known, now=900.0)
        assert limiter.attempt(known, now=1101.0) == 0
        after = 900.0 + throttle.KNOWN_NETWORK_DAYS * 86400 + 1  # a network is known for a while only
        for n in range(throttle.ACCOUNT_MAX_FAILURES):
            assert limiter.attempt(throttle_key("ada", f"203.0.113.{n}"), now=after + n) == 0
        assert limiter.attempt(known, now=after + 100) > 0
    finally:
        engine.dispose()
