"""Remote mode in a browser: log in with a password, get a signed session cookie, log out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.web import sessions
from gbvs.web.app import create_app
from gbvs.web.pages.login import safe_next

PASSWORD = "correct horse battery staple"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")


@pytest.fixture
def remote(tmp_path: Path, small_store: Path) -> Settings:
    """Remote-mode settings with a migrated database holding user 'ada' (with a password)."""
    from gbvs.db.migrate import upgrade
    from gbvs.db.services import users
    from gbvs.db.session import make_engine, make_session_factory, session_scope

    settings = load_settings(data_dir=tmp_path, store_path=small_store, allow_remote=True)
    engine = make_engine(settings)
    upgrade(engine)
    with session_scope(make_session_factory(engine)) as session:
        users.bootstrap_admin(session, "ada", "Ada", None, PASSWORD)
    engine.dispose()
    return settings


@pytest.fixture
def remote_client(remote: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(remote), base_url="https://testserver") as client:
        yield client


def _login(client: TestClient, password: str, target: str = "/bronnen") -> Any:
    body = {"username": "ada", "password": password, "next": target}
    return client.post("/aanmelden", data=body, follow_redirects=False)


def test_pages_ask_to_log_in(remote_client: TestClient) -> None:
    response = remote_client.get("/bronnen")
    assert response.status_code == 401
    assert "/aanmelden?next=" in response.text


def test_wrong_password_is_refused_without_saying_which_part(remote_client: TestClient) -> None:
    response = _login(remote_client, "wrong password here")
    assert response.status_code == 401
    assert sessions.COOKIE_NAME not in response.headers.get("set-cookie", "")


def test_login_sets_a_signed_cookie_that_opens_the_pages(remote_client: TestClient) -> None:
    response = _login(remote_client, PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/bronnen"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "samesite=strict" in cookie.lower()
    page = remote_client.get("/bronnen")
    assert page.status_code == 200 and "ada" in page.text and "/afmelden" in page.text
    remote_client.post("/afmelden", follow_redirects=False)
    remote_client.cookies.clear()
    assert remote_client.get("/bronnen").status_code == 401


def test_a_tampered_cookie_is_refused(remote_client: TestClient, remote: Settings) -> None:
    key = sessions.session_key(remote.data_dir)
    forged = sessions.sign(b"another key" * 3, "ada")
    remote_client.cookies.set(sessions.COOKIE_NAME, forged)
    assert remote_client.get("/bronnen").status_code == 401
    assert sessions.verify(key, sessions.sign(key, "ada")) == "ada"
    assert sessions.verify(key, sessions.sign(key, "ada", now=0)) is None  # expired


@pytest.mark.parametrize(
    ("given", "followed"), [("/landen/SYR", "/landen/SYR"), ("https://evil.example", "/"), ("//evil", "/")]
)
def test_only_local_paths_are_followed_after_login(given: str, followed: str) -> None:
    assert safe_next(given) == followed


def test_loopback_mode_needs_no_login(client: TestClient) -> None:
    assert "nobody needs to log in" in client.get("/aanmelden?lang=en").text
