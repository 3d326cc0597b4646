"""Database fixtures: every test that touches the database runs on SQLite and on PostgreSQL.

- ``db_url``: URL of an empty, private database (a temp SQLite file, or a fresh PostgreSQL
  schema dropped after the test). The PostgreSQL case is skipped with a clear message when
  ``GBVS_TEST_POSTGRES_URL`` is absent, and fails instead when ``GBVS_REQUIRE_POSTGRES=1``.
- ``engine``: an engine on ``db_url`` with the schema migrated to head.
- ``session``: a session on ``engine`` (the test commits as it likes; the database is thrown away).
- ``admin`` / ``make_user``: principals stored in the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from gbvs.db import migrate
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import organisations, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import engine_for_url, make_session_factory
from gbvs.db.testing import (
    BACKENDS,
    POSTGRES_MISSING,
    isolated_database_url,
    postgres_base_url,
    postgres_required,
)
from gbvs.security import Principal, Role


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty private database on each backend."""
    backend = request.param
    if backend == "postgresql" and postgres_base_url() is None:
        if postgres_required():
            pytest.fail(f"GBVS_REQUIRE_POSTGRES=1 but {POSTGRES_MISSING}")
        pytest.skip(POSTGRES_MISSING)
    with isolated_database_url(backend, tmp_path) as url:
        yield url


@pytest.fixture
def bare_engine(db_url: str) -> Iterator[Engine]:
    """An engine on the empty database (no migrations run)."""
    engine = engine_for_url(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(bare_engine: Engine) -> Engine:
    """An engine on a database migrated to head."""
    migrate.upgrade(bare_engine)
    return bare_engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the migrated database."""
    with make_session_factory(engine)() as session:
        yield session


@pytest.fixture
def admin(session: Session) -> Principal:
    """The bootstrap admin ``root`` (organisation BZ exists too)."""
    users.bootstrap_admin(session, "root", "Root Admin")
    session.commit()
    principal = load_principal(session, "root")
    bz = OrganisationCreate(code="BZ", name_nl="Buitenlandse Zaken", name_en="Foreign Affairs")
    organisations.create_organisation(session, principal, bz)
    defensie = OrganisationCreate(code="DEF", name_nl="Defensie", name_en="Defence")
    organisations.create_organisation(session, principal, defensie)
    session.commit()
    return principal


@pytest.fixture
def make_user(session: Session, admin: Principal) -> Callable[..., Principal]:
    """Create a user with a role (and organisation) and return their Principal."""

    def _make(username: str, role: Role, organisation: str | None = "BZ") -> Principal:
        data = UserCreate(
            username=username, display_name=username.title(), organisation_code=organisation, role=role
        )
        users.create_user(session, admin, data)
        session.commit()
        return load_principal(session, username)

    return _make
