"""Server-side revocation of web sessions (issue 8, finding 8).

Before: the session cookie was only signed, so a copy kept after logout, after an admin's password
reset, or from before a deactivation went on working (also after reactivation).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from gbvs.db.models import AuditLog
from gbvs.db.services import users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.security import Role
from gbvs.web import sessions

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")
PAGE = "/bronnen"
HTTPS = "https://testserver"


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def _logged_in(site: Any, client: TestClient, username: str = "bob") -> str:
    """Log ``username`` in (in a fresh browser session); return the session cookie value."""
    client.cookies.clear()
    body = {
        "username": username,
        "password": site.password,
        "csrf_token": _token(client.get("/aanmelden").text),
    }
    response = client.post("/aanmelden", data=body, follow_redirects=False)
    assert response.status_code == 303, response.text
    cookie = client.cookies.get(sessions.COOKIE_NAME)
    assert cookie and client.get(PAGE).status_code == 200
    return cookie


def _logout(client: TestClient) -> Any:
    return client.post(
        "/afmelden", data={"csrf_token": _token(client.get(PAGE).text)}, follow_redirects=False
    )


def _with_cookie(client: TestClient, cookie: str) -> int:
    """Status of the page for a browser that kept ``cookie``."""
    client.cookies.clear()
    client.cookies.set(sessions.COOKIE_NAME, cookie)
    return client.get(PAGE).status_code


def _as_admin(site: Any, change: Any) -> None:
    with session_scope(site.factory()) as session:
        change(session, load_principal(session, "ada"))


def test_a_cookie_kept_after_logout_is_refused(remote_site: Any) -> None:
    with TestClient(remote_site.app(), base_url=HTTPS) as client:
        cookie = _logged_in(remote_site, client)
        logout = client.post(
            "/afmelden", data={"csrf_token": _token(client.get(PAGE).text)}, follow_redirects=False
        )
        assert logout.status_code == 303
        assert _with_cookie(client, cookie) == 401
        assert _logged_in(remote_site, client) != cookie  # logging in again works, with a new cookie


def test_a_password_reset_ends_the_users_sessions(remote_site: Any) -> None:
    with TestClient(remote_site.app(), base_url=HTTPS) as client:
        cookie = _logged_in(remote_site, client)
        _as_admin(remote_site, lambda s, ada: users.set_password(s, ada, "bob", "a brand new passphrase"))
        assert _with_cookie(client, cookie) == 401


def test_a_reactivated_users_old_cookies_stay_dead(remote_site: Any) -> None:
    with TestClient(remote_site.app(), base_url=HTTPS) as client:
        cookie = _logged_in(remote_site, client)
        _as_admin(remote_site, lambda s, ada: users.set_active(s, ada, "bob", False))
        assert _with_cookie(client, cookie) == 401
        _as_admin(remote_site, lambda s, ada: users.set_active(s, ada, "bob", True))
        assert _with_cookie(client, cookie) == 401
        _logged_in(remote_site, client)  # a new login works


def test_a_reactivated_users_old_api_tokens_stay_dead(remote_site: Any) -> None:
    """Before: deactivation only hid the tokens, so reactivating an account after an incident brought
    a stolen token back to life; now deactivation revokes them (audited), like it ends the sessions."""
    headers = {"Authorization": f"Bearer {remote_site.token('bob')}"}
    with TestClient(remote_site.app(), base_url=HTTPS) as client:
        assert client.get("/api/v1/sources", headers=headers).status_code == 200
        _as_admin(remote_site, lambda s, ada: users.set_active(s, ada, "bob", False))
        assert client.get("/api/v1/sources", headers=headers).status_code == 401
        _as_admin(remote_site, lambda s, ada: users.set_active(s, ada, "bob", True))
        assert client.get("/api/v1/sources", headers=headers).status_code == 401
        fresh = {"Authorization": f"Bearer {remote_site.token('bob')}"}
        assert client.get("/api/v1/sources", headers=fresh).status_code == 200  # a new token works
    with session_scope(remote_site.factory()) as session:
        entry = session.scalars(
            select(AuditLog).where(AuditLog.action == "users.set_active").order_by(AuditLog.seq)
        ).first()
        assert entry is not None and (entry.detail["active"], entry.detail["tokens_revoked"]) == (False, 1)


def test_ending_one_users_sessions_leaves_the_others(remote_site: Any) -> None:
    app = remote_site.app()
    with (
        TestClient(app, base_url=HTTPS) as bob,
        TestClient(app, base_url=HTTPS) as ada,
    ):
        _logged_in(remote_site, bob)
        _logged_in(remote_site, ada, "ada")
        bob.post("/afmelden", data={"csrf_token": _token(bob.get(PAGE).text)}, follow_redirects=False)
        assert ada.get(PAGE).status_code == 200


def test_a_page_follows_a_role_change_at_once(remote_site: Any) -> None:
    """A role change keeps the session (the role is read on every request), but pages kept in the
    response cache were keyed by user and session only: a demoted analyst was still offered the
    early-action button of the country page until the data changed."""
    button = "/vroege-actie/nieuw?bron=country"
    with TestClient(remote_site.app(), base_url=HTTPS) as client:
        _logged_in(remote_site, client)
        assert button in client.get("/landen/SYR").text
        _as_admin(remote_site, lambda s, ada: users.set_role(s, ada, "bob", Role.viewer))
        page = client.get("/landen/SYR")
        assert page.status_code == 200 and button not in page.text
