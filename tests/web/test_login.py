"""Remote mode in a browser: log in with a password, get a signed session cookie, log out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.web import csrf, sessions, throttle
from gbvs.web.app import all_routes, create_app
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


def _form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert found, "the form has no CSRF token"
    return found.group(1)


def _login(client: TestClient, password: str, target: str = "/bronnen", username: str = "ada") -> Any:
    token = _form_token(client.get("/aanmelden").text)
    body = {"username": username, "password": password, "next": target, "csrf_token": token}
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
    token = _form_token(page.text)
    logout = remote_client.post("/afmelden", data={"csrf_token": token}, follow_redirects=False)
    assert logout.status_code == 303 and 'gbvs_session=""' in logout.headers["set-cookie"]
    remote_client.cookies.clear()
    assert remote_client.get("/bronnen").status_code == 401


def test_a_tampered_cookie_is_refused(remote_client: TestClient, remote: Settings) -> None:
    key = sessions.session_key(remote.data_dir)
    forged = sessions.sign(b"another key" * 3, "ada", 0)
    remote_client.cookies.set(sessions.COOKIE_NAME, forged)
    assert remote_client.get("/bronnen").status_code == 401
    assert sessions.verify(key, sessions.sign(key, "ada", 3)) == sessions.SessionClaim("ada", 3)
    assert sessions.verify(key, sessions.sign(key, "ada", 0, now=0)) is None  # expired


@pytest.mark.parametrize(
    ("given", "followed"), [("/landen/SYR", "/landen/SYR"), ("https://evil.example", "/"), ("//evil", "/")]
)
def test_only_local_paths_are_followed_after_login(given: str, followed: str) -> None:
    assert safe_next(given) == followed


def test_loopback_mode_needs_no_login(client: TestClient) -> None:
    assert "nobody needs to log in" in client.get("/aanmelden?lang=en").text


@pytest.mark.parametrize("token", [None, "", "0" * 64])
def test_a_login_without_the_right_csrf_token_is_refused(
    remote_client: TestClient, token: str | None
) -> None:
    remote_client.get("/aanmelden")  # the browser has its pre-login cookie, but the form lacks the token
    body = {"username": "ada", "password": PASSWORD} | ({} if token is None else {"csrf_token": token})
    response = remote_client.post("/aanmelden", data=body, follow_redirects=False)
    assert response.status_code == 403 and "csrf_token" in response.text
    assert sessions.COOKIE_NAME not in response.headers.get("set-cookie", "")
    api_style = remote_client.post("/aanmelden", data=body, headers={"accept": "application/json"})
    assert api_style.status_code == 403
    assert api_style.headers["content-type"].startswith("application/problem+json")


def test_a_token_from_another_browser_is_refused(remote: Settings, remote_client: TestClient) -> None:
    with TestClient(create_app(remote), base_url="https://testserver") as other:
        stolen = _form_token(other.get("/aanmelden").text)
    remote_client.get("/aanmelden")
    body = {"username": "ada", "password": PASSWORD, "csrf_token": stolen}
    assert remote_client.post("/aanmelden", data=body, follow_redirects=False).status_code == 403


def test_a_csrf_token_is_never_a_session_cookie(remote: Settings) -> None:
    """Before: CSRF tokens and session cookies were HMACs with the same key, and the login page signs
    whatever pre-login cookie the browser sends, so a chosen one made the page sign ``csrf|0|<expiry>``:
    the signature of a session cookie of the account ``csrf``, never expiring, without its password."""
    from gbvs.db.schemas import UserCreate
    from gbvs.db.services import users
    from gbvs.db.services.principals import load_principal
    from gbvs.db.session import make_engine, make_session_factory, session_scope

    engine = make_engine(remote)
    with session_scope(make_session_factory(engine)) as session:
        victim = UserCreate(username="csrf", display_name="Victim")
        users.create_user(session, load_principal(session, "ada"), victim, PASSWORD)
    engine.dispose()
    claim = "0|4102444800"  # session epoch 0, expires in 2100
    with TestClient(create_app(remote), base_url="https://testserver") as attacker:
        attacker.cookies.set(csrf.NONCE_COOKIE, claim)
        signature = _form_token(attacker.get("/aanmelden").text)
        attacker.cookies.clear()
        attacker.cookies.set(sessions.COOKIE_NAME, f"csrf|{claim}|{signature}")
        assert attacker.get("/bronnen").status_code == 401


def test_cookies_set_by_a_sibling_domain_are_not_read(remote: Settings, remote_client: TestClient) -> None:
    """Before: a site on another subdomain of the same domain could set ``gbvs_session`` or the
    pre-login ``gbvs_csrf`` for the whole domain, and GBVS read them: it could log a victim's browser
    into the attacker's account (where the victim would then write signals). The cookies are now
    ``__Host-`` cookies, which browsers take only from GBVS's own host, over HTTPS, for path ``/``."""
    attackers = sessions.sign(sessions.session_key(remote.data_dir), "ada", 0)
    remote_client.cookies.set("gbvs_session", attackers)  # tossed: what the sibling can write
    assert remote_client.get("/bronnen").status_code == 401
    remote_client.cookies.clear()
    with TestClient(create_app(remote), base_url="https://testserver") as attacker:
        attacker.cookies.set("gbvs_csrf", "chosen-by-the-attacker")
        token = _form_token(attacker.get("/aanmelden").text)
    remote_client.cookies.set("gbvs_csrf", "chosen-by-the-attacker")  # tossed into the victim's browser
    body = {"username": "ada", "password": PASSWORD, "next": "/", "csrf_token": token}
    assert remote_client.post("/aanmelden", data=body, follow_redirects=False).status_code == 403
    remote_client.cookies.clear()
    form = remote_client.get("/aanmelden").headers["set-cookie"]
    assert form.startswith("__Host-gbvs_csrf=") and "Path=/" in form and "Secure" in form
    assert _login(remote_client, PASSWORD).headers["set-cookie"].startswith("__Host-gbvs_session=")


def test_a_username_no_account_can_have_is_refused_like_a_wrong_one(remote_site: Any) -> None:
    """Before: on PostgreSQL a NUL character in the typed username ended the login in a 500 (the
    database refuses NUL in text), without the audit entry of a failed login."""
    from sqlalchemy import select

    from gbvs.db.models import AuditLog
    from gbvs.db.session import session_scope

    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        for typed in ("bo\x00b", "bob\x00", "b" * 300):
            assert _login(client, remote_site.password, username=typed).status_code == 401, repr(typed)
    with session_scope(remote_site.factory()) as session:
        denied = session.scalars(select(AuditLog.detail).where(AuditLog.action == "auth.login")).all()
    assert [entry["attempted_username"] for entry in denied][:2] == ["bo\\u0000b", "bob\\u0000"]


def test_logout_needs_the_token_of_the_session(remote_client: TestClient) -> None:
    assert _login(remote_client, PASSWORD).status_code == 303
    pre_login = remote_client.post("/afmelden", data={"csrf_token": ""}, follow_redirects=False)
    assert pre_login.status_code == 403
    assert remote_client.get("/bronnen").status_code == 200  # still logged in


def test_every_state_changing_route_checks_the_csrf_token(remote_client: TestClient) -> None:
    unsafe = [
        route
        for route in all_routes(remote_client.app.routes)  # type: ignore[attr-defined]
        if set(route.methods) - {"GET", "HEAD", "OPTIONS"}
    ]
    assert unsafe, "expected the login and logout forms"
    for route in unsafe:
        calls = [dependency.call for dependency in route.dependant.dependencies]
        # a form checks its token (a file upload too); a state-changing API call needs a bearer token
        upload = any(isinstance(call, csrf.CheckedUpload) for call in calls)
        assert csrf.checked_form in calls or csrf.bearer_only in calls or upload, route.path


def test_failed_logins_are_throttled_and_audited(remote: Settings, remote_client: TestClient) -> None:
    for _ in range(throttle.MAX_FAILURES):
        assert _login(remote_client, "wrong password here").status_code == 401
    blocked = _login(remote_client, PASSWORD)  # even the right password waits
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert sessions.COOKIE_NAME not in blocked.headers.get("set-cookie", "")
    assert "Te veel mislukte pogingen" in blocked.text
    other_user = _login(remote_client, "wrong password here", username="bob")
    assert other_user.status_code == 401  # the throttle is per username (and client address)
    actions = _audited(remote)
    assert actions.count(("auth.login", "denied")) == throttle.MAX_FAILURES + 1
    assert actions.count(("auth.login_throttled", "denied")) == 1


def test_a_successful_login_resets_the_count(remote_client: TestClient) -> None:
    for _ in range(throttle.MAX_FAILURES - 1):
        _login(remote_client, "wrong password here")
    assert _login(remote_client, PASSWORD).status_code == 303
    remote_client.cookies.delete(sessions.COOKIE_NAME)
    for _ in range(throttle.MAX_FAILURES - 1):
        assert _login(remote_client, "wrong password here").status_code == 401


def _audited(settings: Settings) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from gbvs.db.models import AuditLog
    from gbvs.db.session import make_engine, make_session_factory, session_scope

    engine = make_engine(settings)
    with session_scope(make_session_factory(engine)) as session:
        rows = [(row.action, row.outcome.value) for row in session.scalars(select(AuditLog))]
    engine.dispose()
    return rows


def test_the_help_page_is_readable_before_login_and_shows_no_data(remote_client: TestClient) -> None:
    """A newcomer without an account must read what GBVS is and whom to ask for access; the page shows
    texts only (no country, run, count or user from the stores), and every other page stays behind login."""
    page = remote_client.get("/uitleg")
    assert page.status_code == 200, page.text
    assert 'id="begrip-kans"' in page.text and 'href="/aanmelden?next=/uitleg"' in page.text
    for leaked in ("Syrië", "Mali", "lgbm-test", "forecast-test", "<span>ada</span>", "/afmelden"):
        assert leaked not in page.text, leaked
    for path in ("/", "/bronnen", "/landen/SYR", "/toegankelijkheid", "/uitleg/x", "/api/v1/sources"):
        assert remote_client.get(path).status_code in (401, 404), path
    assert remote_client.get("/bronnen").status_code == 401
    _login(remote_client, PASSWORD)
    signed_in = remote_client.get("/uitleg")
    assert "<span>ada</span>" in signed_in.text and "/aanmelden?next=/uitleg" not in signed_in.text
