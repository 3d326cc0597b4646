"""The login throttle and the client address (issue 8, finding 9).

Before: uvicorn believed ``X-Forwarded-For`` from loopback, so a local client rotating that header
got a fresh throttle budget per made-up address; and the throttle checked before and counted after
the (slow) password check, so a parallel burst got 16 password checks against the documented 10.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any

import httpx
import pytest

from gbvs.cli.web import uvicorn_options
from gbvs.config import load_settings
from gbvs.errors import ConfigError
from gbvs.web import csrf, sessions, throttle

REMOTE_NONCE = f"{sessions.HOST_ONLY}{csrf.NONCE_COOKIE}"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")


def _login_form(http: httpx.Client) -> tuple[str, str]:
    """A CSRF token and the pre-login nonce cookie it belongs to."""
    page = http.get("/aanmelden")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert token
    return token.group(1), page.cookies[REMOTE_NONCE]


def _wrong_logins(base_url: str, forwarded_for: list[str | None], parallel: int = 1) -> list[int]:
    """Status codes of wrong-password logins for 'bob', one per X-Forwarded-For value."""
    with httpx.Client(base_url=base_url, timeout=60) as http:
        token, nonce = _login_form(http)

    def attempt(address: str | None) -> int:
        headers = {"cookie": f"{REMOTE_NONCE}={nonce}"} | ({"x-forwarded-for": address} if address else {})
        body = {"username": "bob", "password": "wrong password here", "csrf_token": token}
        return httpx.post(f"{base_url}/aanmelden", data=body, headers=headers, timeout=60).status_code

    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(attempt, forwarded_for))


def _site_options(site: Any, proxies: str = "") -> dict[str, object]:
    settings = load_settings(**{**site.settings.model_dump(), "trusted_proxies": proxies})
    return uvicorn_options(settings)


def test_a_rotating_forwarded_for_from_an_untrusted_client_is_ignored(
    remote_site: Any, web_server: ModuleType
) -> None:
    addresses = [f"203.0.113.{n}" for n in range(throttle.MAX_FAILURES + 3)]
    with web_server.serve_in_thread(remote_site.app(), **_site_options(remote_site)) as base_url:
        statuses = _wrong_logins(base_url, addresses)
    assert statuses[: throttle.MAX_FAILURES] == [401] * throttle.MAX_FAILURES
    assert set(statuses[throttle.MAX_FAILURES :]) == {429}


def test_a_trusted_proxy_passes_on_the_client_address(remote_site: Any, web_server: ModuleType) -> None:
    addresses = [f"203.0.113.{n}" for n in range(throttle.MAX_FAILURES + 3)]
    options = _site_options(remote_site, "127.0.0.1")
    with web_server.serve_in_thread(remote_site.app(), **options) as base_url:
        assert _wrong_logins(base_url, addresses) == [401] * len(addresses)  # each client its own budget


def test_a_parallel_burst_gets_no_more_password_checks_than_the_budget(
    remote_site: Any, web_server: ModuleType
) -> None:
    burst = 4 * throttle.MAX_FAILURES
    with web_server.serve_in_thread(remote_site.app(), **_site_options(remote_site)) as base_url:
        statuses = _wrong_logins(base_url, [None] * burst, parallel=burst)
    assert statuses.count(401) == throttle.MAX_FAILURES, statuses
    assert statuses.count(429) == burst - throttle.MAX_FAILURES


def test_trusted_proxies_must_be_addresses(tmp_path: Any) -> None:
    assert load_settings(data_dir=tmp_path, trusted_proxies=" 10.0.0.1/8 , ::1").trusted_proxy_list == [
        "10.0.0.0/8",
        "::1",
    ]
    with pytest.raises(ConfigError, match=r"GBVS_TRUSTED_PROXIES: trusted proxy 'proxy\.example' is not"):
        load_settings(data_dir=tmp_path, trusted_proxies="proxy.example")


def test_the_addresses_of_one_ipv6_site_share_one_budget(remote_site: Any) -> None:
    """Before: every IPv6 address had its own budget, and a single home connection holds 2^64 or
    more of them, so rotating the address gave unlimited guesses at one password. Now the budget is
    per /48 network (an IPv4 address mapped into IPv6 counts as that IPv4 address)."""
    limiter = throttle.LoginThrottle(remote_site.factory)
    now = time.time()
    rotating = [f"2001:db8:7:{n:x}::{n:x}" for n in range(1, throttle.MAX_FAILURES + 3)]
    waits = [limiter.attempt(throttle.throttle_key("bob", address), now) for address in rotating]
    budget = throttle.MAX_FAILURES
    assert waits[:budget] == [0] * budget and all(waits[budget:])
    assert limiter.attempt(throttle.throttle_key("bob", "2001:db8:8::1"), now) == 0  # another site
    for _ in range(throttle.MAX_FAILURES):
        limiter.attempt(throttle.throttle_key("bob", "203.0.113.9"), now)
    assert limiter.attempt(throttle.throttle_key("bob", "::ffff:203.0.113.9"), now) > 0
