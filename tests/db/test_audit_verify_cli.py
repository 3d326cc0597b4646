"""`gbvs audit verify` and `gbvs audit checkpoint` end to end, and migration 0002, on both backends."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

from gbvs.config import Settings
from gbvs.db import migrate
from gbvs.db.chain import GENESIS_HASH, entry_hash
from gbvs.db.models import AuditLog
from gbvs.db.services.audit_log import check_chain
from gbvs.db.session import engine_for_url

Run = Callable[..., Any]
RAW_ENTRY = (
    "INSERT INTO audit_log (at, actor, action, object_type, object_id, detail, outcome, message) "
    "VALUES (:at, :actor, 'test.write', 'thing', NULL, '{\"n\": 1}', 'success', NULL)"
)


@pytest.fixture
def cli(settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> Run:
    monkeypatch.setenv("GBVS_DATABASE_URL", db_url)
    return run_cli


@pytest.fixture
def ready(cli: Run) -> Run:
    """A migrated database with admin ``root`` and a few audit entries."""
    assert cli("db", "upgrade").exit_code == 0
    assert cli("users", "create-admin", "root", "--name", "Root").exit_code == 0
    assert cli("orgs", "seed").exit_code == 0
    return cli


def _tamper(db_url: str, sql: str) -> None:
    """Change the database around its guards, as its owner can: plain sqlite3, or triggers disabled."""
    if db_url.startswith("sqlite"):
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
            connection.execute("DROP TRIGGER IF EXISTS audit_log_refuse_update")
            connection.execute("DROP TRIGGER IF EXISTS audit_log_refuse_delete")
            connection.execute(sql)
        return
    engine = engine_for_url(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            connection.execute(text(sql))
            connection.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
    finally:
        engine.dispose()


def test_verify_says_intact(ready: Run) -> None:
    result = ready("audit", "verify", "--lang", "en")
    assert result.exit_code == 0 and "audit chain intact" in result.stdout
    data = json.loads(ready("audit", "verify", "--format", "json").stdout)
    assert data["intact"] and data["problem"] is None and data["entries"] >= 3


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        pytest.param(
            "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2", "altered at seq 2 (id 2)", id="alter"
        ),
        pytest.param(
            "DELETE FROM audit_log WHERE seq = 2", "deleted at seq 3 (id 3): seq 2 missing", id="delete"
        ),
    ],
)
def test_verify_names_the_first_broken_link(ready: Run, db_url: str, sql: str, named: str) -> None:
    _tamper(db_url, sql)
    result = ready("audit", "verify")
    assert result.exit_code == 7, result.stderr
    assert named in result.stderr and "audit chain broken" in result.stderr


def test_sqlite_insert_or_replace_in_the_file_is_detected(ready: Run, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("INSERT OR REPLACE is SQLite's")
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TRIGGER audit_log_refuse_replace")
        connection.execute(
            "INSERT OR REPLACE INTO audit_log SELECT id, at, 'mallory', action, object_type, object_id, "
            "detail, outcome, message, seq, prev_hash, entry_hash FROM audit_log WHERE seq = 1"
        )
    result = ready("audit", "verify")
    assert result.exit_code == 7 and "altered at seq 1" in result.stderr


def test_a_checkpoint_catches_a_rewrite_of_the_whole_chain(ready: Run, db_url: str, tmp_path: Path) -> None:
    checkpoint = tmp_path / "audit-checkpoint.json"
    taken = ready("audit", "checkpoint", "--output", str(checkpoint))
    assert taken.exit_code == 0, taken.stderr
    anchor = json.loads(checkpoint.read_text())
    assert anchor["format"] == "gbvs-audit-checkpoint/1" and anchor["seq"] == anchor["count"] >= 4
    assert ready("audit", "verify", "--checkpoint", str(checkpoint)).exit_code == 0
    _rewrite_consistently(db_url)
    assert ready("audit", "verify").exit_code == 0, "consistent without the checkpoint"
    result = ready("audit", "verify", "--checkpoint", str(checkpoint))
    assert result.exit_code == 7 and f"rewritten at seq {anchor['seq']}" in result.stderr
    again = ready("audit", "checkpoint", "--output", str(checkpoint))
    assert again.exit_code == 4 and "exists" in again.stderr


@pytest.mark.parametrize("content", ["", "{}", "not json", '{"format": "gbvs-audit-checkpoint/1"}'])
def test_a_bad_checkpoint_file_is_named(ready: Run, tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = ready("audit", "verify", "--checkpoint", str(path))
    assert result.exit_code == 4 and str(path) in result.stderr and "gbvs audit checkpoint" in result.stderr
    assert result.stderr.startswith(f"fout: Controlepuntbestand '{path}' is niet bruikbaar: ")  # was English
    english = ready("audit", "verify", "--checkpoint", str(path), "--lang", "en")
    assert english.stderr.startswith(f"error: checkpoint file '{path}' cannot be used: ")
    missing = ready("audit", "verify", "--checkpoint", str(tmp_path / "none.json"))
    assert missing.exit_code == 4 and "none.json" in missing.stderr


def test_migration_chains_existing_entries_and_downgrades(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine, "0001")
    with bare_engine.begin() as connection:
        for number in range(3):
            at = f"2026-11-0{number + 1} 10:00:00.000001"
            connection.execute(text(RAW_ENTRY), {"at": at, "actor": f"old{number}"})
    migrate.upgrade(bare_engine)
    with Session(bare_engine) as session:
        report = check_chain(session)
    assert report.problem is None and report.count == 3 and report.last.seq == 3
    migrate.downgrade(bare_engine, "0001")
    columns = {column["name"] for column in inspect(bare_engine).get_columns("audit_log")}
    assert "entry_hash" not in columns and "audit_chain_head" not in inspect(bare_engine).get_table_names()
    with bare_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar() == 3
    migrate.upgrade(bare_engine)
    assert migrate.schema_status(bare_engine).is_current


def test_audit_list_escapes_control_characters_stored_before_the_chain(cli: Run, db_url: str) -> None:
    """Rows written before 0002 were not escaped; the CLI escapes them when it prints."""
    engine = engine_for_url(db_url)
    try:
        migrate.upgrade(engine, "0001")
        with engine.begin() as connection:
            actor = "eve\n2026-12-02  root  users.set_role  success\x1b[2K\u202e"
            connection.execute(text(RAW_ENTRY), {"at": "2026-11-01 10:00:00", "actor": actor})
    finally:
        engine.dispose()
    assert cli("db", "upgrade").exit_code == 0
    assert cli("users", "create-admin", "root").exit_code == 0
    listing = cli("audit", "list")
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert len(lines) == 4  # header, the old entry, the upgrade and create-admin: one line each
    assert not any(line.startswith("2026-12-02") for line in lines)
    assert "eve\\n2026-12-02" in listing.stdout and "\\u001b[2K\\u202e" in listing.stdout
    as_json = cli("audit", "list", "--format", "json")
    assert "\u202e" not in as_json.stdout and json.loads(as_json.stdout)[-1]["actor"] == actor


def _rewrite_consistently(db_url: str) -> None:
    """Forge seq 1 and re-link every entry and the head, as an owner who knows the format could."""
    engine = engine_for_url(db_url)
    try:
        with Session(engine) as session:
            query = AuditLog.__table__.select().order_by(AuditLog.seq)
            typed = [dict(row) for row in session.execute(query).mappings()]
        previous, statements = GENESIS_HASH, []
        for number, row in enumerate(typed):
            row["actor"] = "mallory" if number == 0 else row["actor"]
            row["prev_hash"] = previous
            row["entry_hash"] = previous = entry_hash(row)
            statements.append(
                f"UPDATE audit_log SET actor = '{row['actor']}', prev_hash = '{row['prev_hash']}', "
                f"entry_hash = '{row['entry_hash']}' WHERE id = {row['id']}"
            )
    finally:
        engine.dispose()
    for statement in statements:
        _tamper(db_url, statement)
    _tamper_head(db_url, previous)


def _tamper_head(db_url: str, head_hash: str) -> None:
    engine = engine_for_url(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE audit_chain_head SET entry_hash = :h"), {"h": head_hash})
    finally:
        engine.dispose()
