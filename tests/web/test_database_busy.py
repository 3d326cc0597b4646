"""A write that meets another connection's lock for longer than SQLite waits (busy_timeout) is answered
503 with Retry-After, saying nothing was changed; it was a 500 ("database is locked"). Real writes on
a file database, the lock held by another connection."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import organisations, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.security import Role
from gbvs.web.problems import BUSY_RETRY_AFTER_SECONDS

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")
SIGNAL = {"title": "Nepnieuws", "kind": "disinformation", "tlp": "green", "distribution": "organisation"}


def test_a_write_that_stays_locked_is_a_503_with_retry_after_and_nothing_is_stored(remote_site: Any) -> None:
    if remote_site.backend != "sqlite":
        pytest.skip("SQLite's single writer; PostgreSQL locks rows")
    with session_scope(remote_site.factory()) as session:
        ada = load_principal(session, "ada")
        organisations.create_organisation(
            session, ada, OrganisationCreate(code="BZ", name_nl="BZ", name_en="Foreign Affairs")
        )
        users.create_user(
            session,
            ada,
            UserCreate(username="bz", display_name="bz", organisation_code="BZ", role=Role.analyst),
        )
    bearer = {"Authorization": f"Bearer {remote_site.token('bz')}"}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        blocker = sqlite3.connect(
            make_url(remote_site.settings.resolved_database_url).database, isolation_level=None
        )
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock past the busy timeout
        try:
            answer = client.post("/api/v1/signals", json=SIGNAL, headers=bearer)
            page = client.post("/api/v1/signals", json=SIGNAL, headers=bearer | {"Accept": "text/html"})
        finally:
            blocker.rollback()
            blocker.close()
        assert answer.status_code == 503, answer.text
        assert answer.headers["Retry-After"] == str(BUSY_RETRY_AFTER_SECONDS)
        assert (
            "database is busy" in answer.json()["detail"] and "nothing was changed" in answer.json()["detail"]
        )
        assert page.status_code == 503
    with sqlite3.connect(make_url(remote_site.settings.resolved_database_url).database) as reader:
        assert reader.execute("SELECT count(*) FROM signal").fetchone() == (0,), "nothing half-written"
