"""The web audit trail in remote mode, on SQLite and PostgreSQL.

Logins, logouts, reads, exports and searches are recorded with actor, client address, path and
outcome, from the one authorization point; a failed login is recorded as ``anonymous`` with the
typed name escaped; strangers with fake tokens cannot flood the log (their denials are budgeted
and the rest is summarised); a username built to forge a row in ``gbvs audit list`` cannot.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.config import Settings, load_settings
from gbvs.db.migrate import upgrade
from gbvs.db.models import AuditLog, Outcome
from gbvs.db.services import tokens, users
from gbvs.db.services.audit_log import check_chain
from gbvs.db.services.principals import load_principal
from gbvs.db.session import engine_for_url, make_session_factory, session_scope
from gbvs.db.testing import BACKENDS, POSTGRES_MISSING, isolated_database_url, postgres_base_url
from gbvs.errors import DatabaseError
from gbvs.security import Principal, Role
from gbvs.web.app import create_app
from gbvs.web.auditbudget import PER_CLIENT
from gbvs.web.auditwriter import AuditWriter, PendingEntry

PASSWORD = "correct horse battery staple"
FORGED = "bob\n2026-12-02T01:00:00  root  users.set_role  user  mallory  success\x1b[2K\u202e"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")


@pytest.fixture(params=BACKENDS)
def remote(
    request: pytest.FixtureRequest, tmp_path: Path, small_store: Path
) -> Iterator[tuple[Settings, str]]:
    """Remote-mode settings on each backend, with admin 'ada' (password) and an API token of hers."""
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
            secret, _token = tokens.create_token(session, load_principal(session, "ada"), "test")
        engine.dispose()
        yield settings, secret


def _entries(settings: Settings, *actions: str) -> list[AuditLog]:
    engine = engine_for_url(settings.resolved_database_url)
    try:
        with Session(engine) as session:
            query = select(AuditLog).order_by(AuditLog.seq)
            rows = [row for row in session.scalars(query) if not actions or row.action in actions]
            assert check_chain(session).problem is None
            return rows
    finally:
        engine.dispose()


def _login(client: TestClient, username: str, password: str) -> Any:
    page = client.get("/aanmelden").text
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert found
    body = {"username": username, "password": password, "next": "/bronnen", "csrf_token": found.group(1)}
    return client.post("/aanmelden", data=body, follow_redirects=False)


def test_logins_reads_exports_searches_and_logouts_are_recorded(remote: tuple[Settings, str]) -> None:
    settings, secret = remote
    with TestClient(create_app(settings), base_url="https://testserver") as browser:
        assert _login(browser, "ada", PASSWORD).status_code == 303
        page = browser.get("/bronnen")
        assert page.status_code == 200
        found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
        assert found
        assert browser.post("/afmelden", data={"csrf_token": found.group(1)}).status_code in (200, 401)
    bearer = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(settings), base_url="https://testserver", headers=bearer) as api:
        api.get("/api/v1/countries/SYR/conflict-history", params={"format": "csv"})
        api.get("/api/v1/goals", params={"pillar": "voorkomen"})
        api.get("/api/v1/pillars")
    seen = [(e.actor, e.action, e.object_id, e.outcome.value) for e in _entries(settings)]
    assert ("ada", "auth.login", "/aanmelden", "success") in seen
    assert ("ada", "web.read", "/bronnen", "success") in seen
    assert ("ada", "auth.logout", "/afmelden", "success") in seen
    assert ("ada", "web.export", "/api/v1/countries/SYR/conflict-history", "success") in seen
    assert ("ada", "web.search", "/api/v1/goals", "success") in seen
    assert ("ada", "web.read", "/api/v1/pillars", "success") in seen
    export = _entries(settings, "web.export")[0]
    assert export.detail | {"role": "-"} == {
        "role": "-",
        "client": "testclient",
        "method": "GET",
        "path": "/api/v1/countries/SYR/conflict-history",
        "query": "format=csv",
        "format": "csv",
    }


def test_a_failed_login_is_anonymous_and_cannot_forge_a_row(
    remote: tuple[Settings, str], monkeypatch: pytest.MonkeyPatch, run_cli: Any
) -> None:
    settings, _secret = remote
    with TestClient(create_app(settings), base_url="https://testserver") as browser:
        assert _login(browser, FORGED, "wrong password here").status_code == 401
    denied = _entries(settings, "auth.login")[-1]
    assert (denied.actor, denied.outcome.value) == ("anonymous", "denied")
    typed = denied.detail["attempted_username"]
    assert "\n" not in typed and "\x1b" not in typed and "\u202e" not in typed
    assert typed.startswith("bob\\n2026-12-02") and len(typed) <= 64
    assert denied.detail["client"] == "testclient" and denied.object_id == "/aanmelden"
    monkeypatch.setenv("GBVS_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("GBVS_DATA_DIR", str(settings.data_dir))
    listing = run_cli("audit", "list")
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert not any(line.startswith("2026-12-02T01:00:00") for line in lines)
    assert all("\x1b" not in line and "\u202e" not in line for line in lines)


def test_fake_bearer_tokens_cannot_flood_the_audit_log(remote: tuple[Settings, str]) -> None:
    settings, _secret = remote
    fake = "gbvs_" + "A" * 43
    clients, attempts = ("10.0.0.1", "10.0.0.2"), 3 * PER_CLIENT
    for address in clients:
        app = create_app(settings)
        with TestClient(app, base_url="https://testserver", client=(address, 4000)) as stranger:
            for _ in range(attempts):
                response = stranger.get("/api/v1/pillars", headers={"Authorization": f"Bearer {fake}"})
                assert response.status_code == 401
    denials = _entries(settings, "auth.token")
    assert len(denials) == PER_CLIENT * len(clients)
    assert {(d.actor, d.detail["client"], d.object_id) for d in denials} == {
        ("anonymous", address, "/api/v1/pillars") for address in clients
    }
    assert all(d.detail["token_prefix"] == "gbvs_AAAAAAAA…" for d in denials)
    assert all(fake not in str(d.detail) and fake not in (d.message or "") for d in denials)
    summaries = _entries(settings, "audit.suppressed")
    assert sorted((s.detail["client"], s.detail["suppressed"]) for s in summaries) == [
        (address, attempts - PER_CLIENT) for address in clients
    ]


def test_the_writer_commits_concurrent_entries_and_fails_closed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    engine = engine_for_url(url)
    upgrade(engine)
    writer = AuditWriter(lambda: make_session_factory(engine))
    principal = Principal(username="ann", role=Role.analyst)

    def write(number: int) -> None:
        writer.write(PendingEntry(principal, "web.read", "request", f"/p/{number}", {}, Outcome.success))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.close()
    with Session(engine) as session:
        assert check_chain(session).count == 40
        assert sorted(session.scalars(select(AuditLog.object_id))) == sorted(f"/p/{n}" for n in range(40))
    empty = engine_for_url(f"sqlite:///{tmp_path / 'no-schema.sqlite3'}")
    broken = AuditWriter(lambda: make_session_factory(empty))
    with pytest.raises(DatabaseError, match="could not be written"):
        broken.write(PendingEntry(principal, "web.read", "request", "/", {}, Outcome.success))
    broken.close()
    for each in (engine, empty):
        each.dispose()


def test_entries_wait_out_a_busy_database_and_are_written_after(tmp_path: Path) -> None:
    """Issue 8, finding 1: a write lock held elsewhere delays the entries; it does not fail the request."""
    import sqlite3

    path = tmp_path / "audit.sqlite3"
    engine = engine_for_url(f"sqlite:///{path}")
    upgrade(engine)
    writer = AuditWriter(lambda: make_session_factory(engine))
    principal = Principal(username="ann", role=Role.analyst)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        writer.write(PendingEntry(principal, "web.read", "request", "/busy", {}, Outcome.success))
        assert writer.backlog == 1, "the entry is held back, not lost"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    writer.close()
    with Session(engine) as session:
        assert "/busy" in set(session.scalars(select(AuditLog.object_id)))
        assert check_chain(session).count >= 1
    engine.dispose()


def test_a_throttled_login_says_which_budget_held_it_back(
    remote: tuple[Settings, str], monkeypatch: pytest.MonkeyPatch, run_cli: Any
) -> None:
    """The entry said "throttled" only: whether one network guessed too often or guesses from many
    networks spent the account's budget (a spread attack) could not be told from the log."""
    from gbvs.web import throttle

    settings, _secret = remote
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as browser:
        for _ in range(throttle.MAX_FAILURES):
            assert _login(browser, "ada", "wrong password here").status_code == 401
        assert _login(browser, "ada", PASSWORD).status_code == 429  # this network's budget
    statuses = []
    for n in range(1, throttle.ACCOUNT_MAX_FAILURES + 1):
        with TestClient(app, base_url="https://testserver", client=(f"203.0.113.{n}", 50000)) as other:
            statuses.append(_login(other, "ada", "wrong password here").status_code)
    assert statuses[0] == 401 and statuses[-1] == 429  # the account's budget, spent from several networks
    budgets = [entry.detail["budget"] for entry in _entries(settings, "auth.login_throttled")]
    assert budgets[0] == "network" and set(budgets[1:]) == {"account"}, budgets
    monkeypatch.setenv("GBVS_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("GBVS_DATA_DIR", str(settings.data_dir))
    listing = run_cli("audit", "list", "--action", "auth.login_throttled")
    assert listing.exit_code == 0, listing.stdout
    assert "Limiet" in listing.stdout.splitlines()[0]
    assert (
        "per gebruikersnaam en netwerk" in listing.stdout
        and "per account, vanaf nieuwe netwerken" in listing.stdout
    )
