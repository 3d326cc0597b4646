"""Finding 3 of issue 8: on the command line an identity is proven, never claimed.

Before the fix ``GBVS_USER=alice gbvs users create mallory --role admin`` succeeded and was
audited as alice, ``gbvs db downgrade base --yes`` needed no identity and dropped the audit log,
and ``ingest``, ``forecast`` and ``backtest`` checked no permission.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gbvs.config import Settings
from gbvs.errors import PermissionDeniedError

Run = Callable[..., Any]
ME = f"os:{pwd.getpwuid(os.geteuid()).pw_name}"
NOBODY = 65534


@pytest.fixture
def cli(settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> Run:
    """``run_cli`` against the test database, with admin ``root``, organisation BZ and users."""
    monkeypatch.setenv("GBVS_DATABASE_URL", db_url)
    assert run_cli("db", "upgrade").exit_code == 0
    assert run_cli("users", "create-admin", "root").exit_code == 0
    assert run_cli("orgs", "seed").exit_code == 0
    for name, role in (("ann", "analyst"), ("vic", "viewer")):
        assert run_cli("users", "create", name, "--name", name, "--org", "BZ", "--role", role).exit_code == 0
    return run_cli


def _token(cli: Run, username: str) -> str:
    os.environ.pop("GBVS_TOKEN", None)  # made by the OS owner (monkeypatch restores the variable)
    made = cli("users", "tokens", "create", "cli", "--user", username, "--format", "json")
    assert made.exit_code == 0, made.stderr
    return str(json.loads(made.stdout)["token"])


def _audit(cli: Run, *filters: str) -> list[dict[str, Any]]:
    listed = cli("audit", "list", "--format", "json", *filters)
    assert listed.exit_code == 0, listed.stderr
    return list(json.loads(listed.stdout))


def test_a_claimed_name_is_refused(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GBVS_USER", "root")
    made = cli("users", "create", "mallory", "--name", "M", "--role", "admin", "--lang", "en")
    assert made.exit_code == 8 and "proves nothing; set GBVS_TOKEN" in made.stderr
    password = cli("users", "set-password", "root", "--as", "root")
    assert (
        password.exit_code == 8
        and "--as root (of GBVS_USER) noemt een gebruiker, maar bewijst niets" in password.stderr
    )
    monkeypatch.delenv("GBVS_USER")
    assert "mallory" not in cli("users", "list").stdout


def test_a_token_proves_who_acts_and_must_match_as(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GBVS_TOKEN", _token(cli, "ann"))
    whoami = json.loads(cli("users", "whoami", "--format", "json", "--as", "ann").stdout)
    assert (whoami["username"], whoami["role"], whoami["os_owner"]) == ("ann", "analyst", False)
    other = cli("users", "whoami", "--as", "root")
    assert other.exit_code == 8 and other.stderr == (
        "fout: GBVS_TOKEN is van 'ann', niet van 'root' (--as / GBVS_USER). Oplossing: zet het token van de "
        "bedoelde gebruiker, of laat --as weg.\n"
    )
    english = cli("users", "whoami", "--as", "root", "--lang", "en")
    assert "error: GBVS_TOKEN belongs to 'ann', not to 'root' (--as / GBVS_USER)" in english.stderr
    monkeypatch.setenv("GBVS_TOKEN", "gbvs_forged")
    assert cli("users", "whoami").exit_code == 8


def test_read_commands_take_as_with_the_same_meaning(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """``gbvs actions alerts --as cora`` answered "Onbekende optie: --as" while the write commands took it;
    now a read command checks ``--as`` against the token's owner like every other command."""
    monkeypatch.setenv("GBVS_TOKEN", _token(cli, "ann"))
    for words in (("actions", "alerts"), ("sources",), ("displacement", "ranking")):
        other = cli(*words, "--as", "root")
        assert other.exit_code == 8 and "GBVS_TOKEN is van 'ann', niet van 'root'" in other.stderr, words
    listed = cli("sources", "--as", "ann", "--format", "json")
    assert listed.exit_code == 0 and isinstance(json.loads(listed.stdout), list), listed.stderr


def test_the_os_owner_acts_and_is_recorded_as_such(cli: Run) -> None:
    whoami = json.loads(cli("users", "whoami", "--format", "json").stdout)
    assert (whoami["username"], whoami["os_owner"]) == (ME, True)
    actors = {(e["actor"], e["action"]) for e in _audit(cli, "--limit", "1000")}
    assert {(ME, "db.upgrade"), (ME, "users.bootstrap_admin"), (ME, "users.create")} <= actors


def test_someone_else_than_the_owner_of_the_data_folder_is_refused(
    cli: Run, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if os.geteuid() == 0:
        foreign = tmp_path / "foreign"
        foreign.mkdir()
        os.chown(foreign, NOBODY, NOBODY)
    else:
        foreign = Path("/")  # owned by root
    monkeypatch.setenv("GBVS_DATA_DIR", str(foreign))
    owner = pwd.getpwuid(foreign.stat().st_uid).pw_name
    downgrade = ("db", "downgrade", "base", "--yes", "--export-audit", str(tmp_path / "audit.jsonl"))
    for args in (
        ("users", "list"),
        ("users", "create-admin", "eve"),
        ("ingest",),
        ("db", "upgrade"),
        downgrade,
    ):
        refused = cli(*args)
        assert refused.exit_code == 8, args
        assert f"is van OS-gebruiker {owner!r}" in refused.stderr and f"sudo -u {owner}" in refused.stderr
    english = cli("users", "list", "--lang", "en")
    assert f"belongs to OS user {owner!r}, not to " in english.stderr and f"sudo -u {owner}" in english.stderr


def test_run_commands_check_their_permission(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GBVS_TOKEN", _token(cli, "vic"))
    for args, permission in ((("forecast",), "forecast:run"), (("backtest", "--quick"), "forecast:run")):
        refused = cli(*args)
        assert refused.exit_code == 8 and f"heeft het recht ‘{permission}’ niet" in refused.stderr, args
    monkeypatch.setenv("GBVS_TOKEN", _token(cli, "ann"))
    ingest = cli("ingest")
    assert ingest.exit_code == 8 and "heeft het recht ‘data:ingest’ niet" in ingest.stderr
    monkeypatch.delenv("GBVS_TOKEN")
    monkeypatch.setenv("GBVS_USER", "root")
    assert cli("forecast").exit_code == 8
    monkeypatch.delenv("GBVS_USER")
    denied = [(e["actor"], e["action"]) for e in _audit(cli, "--outcome", "denied")]
    assert denied[:3] == [("ann", "data.ingest"), ("vic", "forecast.backtest"), ("vic", "forecast.run")]


def test_downgrade_keeps_a_verifiable_trace_of_the_audit_log(
    cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    export = tmp_path / "audit.jsonl"
    missing = cli("db", "downgrade", "base", "--yes")
    assert missing.exit_code == 4 and "voeg --export-audit BESTAND" in missing.stderr
    monkeypatch.setenv("GBVS_TOKEN", _token(cli, "ann"))
    denied = cli("db", "downgrade", "base", "--yes", "--export-audit", str(export))
    assert denied.exit_code == 8 and "heeft het recht ‘db:migrate’ niet" in denied.stderr
    assert not export.exists()
    monkeypatch.delenv("GBVS_TOKEN")
    done = cli("db", "downgrade", "base", "--yes", "--export-audit", str(export))
    assert done.exit_code == 0, done.stderr
    data = export.read_bytes()
    assert f"(sha256 {hashlib.sha256(data).hexdigest()})" in done.stdout
    assert export.stat().st_mode & 0o777 == 0o600
    rows = [json.loads(line) for line in data.decode().splitlines()]
    assert [(r["actor"], r["action"], r["outcome"]) for r in rows[-2:]] == [
        ("ann", "db.downgrade", "denied"),
        (ME, "db.downgrade", "success"),
    ]
    assert rows[-1]["detail"]["from"] == rows[-1]["object_id"] or rows[-1]["detail"]["to"] == "base"
    assert cli("db", "check").exit_code == 7
    again = cli("db", "upgrade")
    assert again.exit_code == 0
    reuse = cli("db", "downgrade", "base", "--yes", "--export-audit", str(export))
    assert reuse.exit_code == 4 and "bestaat al. Kies een nieuwe bestandsnaam." in reuse.stderr


def test_a_finished_run_is_recorded_and_a_failed_one_is_not(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gbvs.cli.identity import audited_run
    from gbvs.config import load_settings
    from gbvs.security.permissions import Permission

    settings = load_settings()  # with the test database the cli fixture set

    monkeypatch.setenv("GBVS_TOKEN", _token(cli, "ann"))
    with audited_run(settings, Permission.forecast_run, "forecast.run", "forecast", None) as detail:
        detail.update(object_id="run-7", rows=12)
    with (
        pytest.raises(RuntimeError),
        audited_run(settings, Permission.forecast_run, "forecast.run", "forecast", None),
    ):
        raise RuntimeError("the job failed")
    ran = []
    monkeypatch.setenv("GBVS_TOKEN", _token(cli, "vic"))
    with (
        pytest.raises(PermissionDeniedError),
        audited_run(settings, Permission.forecast_run, "forecast.run", "forecast", None),
    ):
        ran.append("the job")  # never reached: refused before the job runs
    monkeypatch.delenv("GBVS_TOKEN")
    runs = [e for e in _audit(cli) if e["action"] == "forecast.run"]
    assert ran == []
    assert [(e["actor"], e["outcome"], e["object_id"]) for e in runs] == [
        ("vic", "denied", None),
        ("ann", "success", "run-7"),
    ]
    assert runs[1]["detail"]["rows"] == 12


def test_store_reading_commands_verify_the_token(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GBVS_TOKEN", "gbvs_" + "F" * 43)
    for args in (("watchlist",), ("modelcard",), ("drivers",), ("codebook",), ("sources",)):
        refused = cli(*args)
        assert refused.exit_code == 8, (args, refused.stderr)


def test_a_token_for_a_command_without_the_database_is_refused_in_the_readers_words(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "GBVS_TOKEN is set, but this command does not use the database" was English whatever the language,
    and did not say what to do."""
    from gbvs.cli.identity import principal_from_claim
    from gbvs.cli.texts import error_in

    monkeypatch.setenv("GBVS_TOKEN", "gbvs_anything")
    with pytest.raises(PermissionDeniedError) as refused:
        principal_from_claim(None, settings, None)
    assert error_in(refused.value, "nl") == (
        "GBVS_TOKEN is gezet, maar deze opdracht gebruikt de database niet. Oplossing: maak GBVS_TOKEN leeg "
        "om te handelen als de OS-eigenaar van de gegevensmap."
    )
    assert error_in(refused.value, "en") == (
        "GBVS_TOKEN is set, but this command does not use the database; unset GBVS_TOKEN to act as the OS "
        "owner of the data folder"
    )


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("nl", "let op: data.ingest is niet vastgelegd in de auditlog: er is nog geen database (voer"),
        ("en", "note: data.ingest not recorded in the audit log: no database yet (run `gbvs db upgrade`)"),
    ],
)
def test_a_job_before_the_database_exists_says_so_in_the_readers_language(
    settings: Settings, capsys: pytest.CaptureFixture[str], lang: str, note: str
) -> None:
    """A long job (ingest, backtest, forecast) run before `gbvs db upgrade` keeps no audit entry and says
    so; the line was English whatever the language."""
    from gbvs.cli.identity import audited_run
    from gbvs.cli.texts import logs_in
    from gbvs.security.permissions import Permission

    capsys.readouterr()
    with logs_in(lang), audited_run(settings, Permission.data_ingest, "data.ingest", "store", None):
        pass
    assert note in capsys.readouterr().err
