"""PostgreSQL: the migration owner and the application role are separate; the app role can only
INSERT and SELECT on the audit log, so it cannot disable the guards and rewrite entries (finding 4).

The roles are created on the throwaway cluster by the test and dropped afterwards.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, exc, text
from sqlalchemy.engine import make_url

from gbvs.config import Settings
from gbvs.db import migrate
from gbvs.db.audit import record
from gbvs.db.services.audit_log import check_chain
from gbvs.db.session import engine_for_url, make_session_factory
from gbvs.db.testing import POSTGRES_MISSING, isolated_database_url, postgres_base_url
from gbvs.security import Principal, Role

REFUSED = [
    "UPDATE audit_log SET actor = 'mallory'",
    "DELETE FROM audit_log",
    "TRUNCATE audit_log",
    "ALTER TABLE audit_log DISABLE TRIGGER USER",
    "DROP TRIGGER audit_log_refuse_update_delete ON audit_log",
    "ALTER TABLE audit_log OWNER TO CURRENT_USER",
    "INSERT INTO audit_log SELECT * FROM audit_log ON CONFLICT (id) DO UPDATE SET actor = 'mallory'",
    "CREATE TABLE planted (id integer)",
]


@pytest.fixture
def owner_url(tmp_path: object) -> Iterator[str]:
    """A fresh schema on the cluster, owned by the cluster's superuser (the migration owner here)."""
    if postgres_base_url() is None:
        pytest.skip(POSTGRES_MISSING)
    with isolated_database_url("postgresql", tmp_path) as url:  # type: ignore[arg-type]
        yield url


@pytest.fixture
def app_role() -> Iterator[str]:
    """A login role for the application, with no rights of its own."""
    base = postgres_base_url()
    assert base is not None
    role = f"gbvs_app_{secrets.token_hex(4)}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN"))
    yield role
    with admin.begin() as connection:
        connection.execute(text(f"DROP OWNED BY {role}"))
        connection.execute(text(f"DROP ROLE {role}"))
    admin.dispose()


@pytest.fixture
def app_engine(owner_url: str, app_role: str) -> Iterator[Engine]:
    """The schema migrated by the owner with grants for ``app_role``, and an engine as that role."""
    owner = engine_for_url(owner_url)
    migrate.upgrade(owner, app_role=app_role)
    owner.dispose()
    engine = engine_for_url(make_url(owner_url).set(username=app_role).render_as_string(hide_password=False))
    yield engine
    engine.dispose()


def test_the_app_role_appends_and_reads(app_engine: Engine) -> None:
    with make_session_factory(app_engine)() as session:
        for number in range(3):
            record(session, Principal(username="ann", role=Role.analyst), "test.write", "thing", number)
        session.commit()
        report = check_chain(session)
    assert report.problem is None and report.count == 3


def test_the_app_role_writes_re_marks_and_finds_signals_through_the_search_triggers(
    app_engine: Engine,
) -> None:
    """The triggers of 0023 run as the application role: it writes, re-marks and finds signals."""
    from datetime import date

    from gbvs.db.models import Organisation, OrganisationKind
    from gbvs.db.signal_models import Signal
    from gbvs.signals.markings import Distribution, Tlp
    from gbvs.signals.model import SignalKind

    with make_session_factory(app_engine)() as session:
        owner = Organisation(code="BZ", name_nl="BZ", name_en="BZ", kind=OrganisationKind.agency)
        session.add(owner)
        session.flush()
        signal = Signal(stix_id="report--00000000-0000-4000-8000-000000000001", title="haven",
                        kind=SignalKind.disinformation, reported_on=date(2026, 1, 1),
                        owner_organisation_id=owner.id, tlp=Tlp.amber, distribution=Distribution.organisation,
                        source="manual")  # fmt: skip
        session.add(signal)
        session.flush()
        signal.tlp, signal.distribution = Tlp.clear, Distribution.public
        session.commit()
    with app_engine.connect() as db:
        terms = db.execute(text("SELECT terms FROM signal_search_terms")).scalar_one()
    assert len(terms) == 2 and all(term.endswith(":haven") for term in terms)  # organisation, public


@pytest.mark.parametrize("sql", REFUSED)
def test_the_app_role_cannot_change_the_audit_log(app_engine: Engine, sql: str) -> None:
    with make_session_factory(app_engine)() as session:
        record(session, Principal(username="ann", role=Role.analyst), "test.write", "thing")
        session.commit()
    with (
        pytest.raises(exc.ProgrammingError, match=r"permission denied|must be owner"),
        app_engine.begin() as db,
    ):
        db.execute(text(sql))


def test_upgrade_as_the_app_role_names_the_fix(owner_url: str, app_role: str) -> None:
    owner = engine_for_url(owner_url)
    migrate.upgrade(owner, "0001", app_role=app_role)
    owner.dispose()
    app = engine_for_url(make_url(owner_url).set(username=app_role).render_as_string(hide_password=False))
    try:
        with pytest.raises(Exception, match="GBVS_MIGRATION_DATABASE_URL"):
            migrate.upgrade(app)
    finally:
        app.dispose()


def test_gbvs_db_upgrade_uses_the_owner_url_and_grants(
    settings: Settings, owner_url: str, app_role: str, monkeypatch: pytest.MonkeyPatch, run_cli: object
) -> None:
    app_url = make_url(owner_url).set(username=app_role).render_as_string(hide_password=False)
    monkeypatch.setenv("GBVS_DATABASE_URL", app_url)
    monkeypatch.setenv("GBVS_MIGRATION_DATABASE_URL", owner_url)
    monkeypatch.setenv("GBVS_DATABASE_APP_ROLE", app_role)
    assert callable(run_cli)
    upgraded = run_cli("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.stderr
    assert run_cli("users", "create-admin", "root").exit_code == 0
    verified = run_cli("audit", "verify")
    assert verified.exit_code == 0 and "intact" in verified.stdout
