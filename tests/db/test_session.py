"""Engine rules: SQLite foreign keys on; clear errors for unreachable databases and missing folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gbvs.config import Settings, load_settings
from gbvs.db.models import User
from gbvs.db.session import engine_for_url, make_engine, make_session_factory, redact_url, session_scope
from gbvs.errors import DatabaseError
from gbvs.security import Role


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(User(username="orphan", display_name="O", organisation_id=999, role=Role.viewer))
    with pytest.raises(IntegrityError):
        session.flush()


def test_session_scope_commits_and_rolls_back(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        session.add(User(username="kept", display_name="K", role=Role.viewer))
    with pytest.raises(RuntimeError), session_scope(factory) as session:
        session.add(User(username="dropped", display_name="D", role=Role.viewer))
        raise RuntimeError("boom")
    with engine.connect() as connection:
        names = connection.execute(text("SELECT username FROM app_user")).scalars().all()
    assert names == ["kept"]


def test_unreachable_postgresql_names_url_and_fix() -> None:
    engine = engine_for_url("postgresql+psycopg://gbvs:secret@127.0.0.1:1/gbvs")
    expected = r"cannot connect to the database .*127\.0\.0\.1:1.*GBVS_DATABASE_URL"
    with pytest.raises(DatabaseError, match=expected) as e:
        engine.connect()
    assert "secret" not in str(e.value)
    engine.dispose()


def test_sqlite_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="does not exist; create it or set GBVS_DATABASE_URL"):
        engine_for_url(f"sqlite:///{tmp_path / 'nope' / 'gbvs.sqlite3'}")


def test_default_database_lives_in_the_data_folder(settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(load_settings(data_dir=tmp_path / "new-data"))
    assert engine.url.database == str(tmp_path / "new-data" / "gbvs.sqlite3")
    assert (tmp_path / "new-data").is_dir()
    engine.dispose()


def test_passwords_are_hidden_in_messages() -> None:
    assert redact_url("postgresql+psycopg://gbvs:secret@db/gbvs") == "postgresql+psycopg://gbvs:***@db/gbvs"


class _Refused(Exception):
    """What the captured connection attempt raises instead of connecting."""


@pytest.mark.parametrize(
    ("url", "timeout"),
    [
        ("postgresql+psycopg://gbvs@db.invalid:5432/gbvs", 10),
        ("postgresql+psycopg://gbvs@db.invalid:5432/gbvs?connect_timeout=3", "3"),
    ],
)
def test_a_postgres_connection_gives_up_after_a_timeout(
    monkeypatch: pytest.MonkeyPatch, url: str, timeout: object
) -> None:
    """libpq waits for a host that does not answer as long as the operating system does (minutes), so
    `gbvs serve` hung without a word; the URL's own connect_timeout wins."""
    engine = engine_for_url(url)
    given: dict[str, object] = {}

    def capture(*args: object, **kwargs: object) -> None:
        given.update(kwargs)
        raise _Refused

    monkeypatch.setattr(engine.dialect, "connect", capture)
    with pytest.raises(_Refused):
        engine.connect()
    assert given["connect_timeout"] == timeout
