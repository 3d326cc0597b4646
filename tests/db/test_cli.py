"""`gbvs db`, `gbvs orgs`, `gbvs users` and `gbvs audit` end to end, on both backends.

Commands run as the OS owner of the (temporary) data folder, or as a named user whose API token
is in ``GBVS_TOKEN`` (:func:`act_as`); see docs/security.md, "Identity on the command line".
"""

from __future__ import annotations

import getpass
import json
import re
import shlex
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from gbvs.config import Settings
from gbvs.db import migrate

Run = Callable[..., Any]


@pytest.fixture
def cli(settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> Run:
    """``run_cli`` against the test database (GBVS_DATABASE_URL)."""
    monkeypatch.setenv("GBVS_DATABASE_URL", db_url)
    return run_cli


@pytest.fixture
def ready(cli: Run) -> Run:
    """A migrated database with admin ``root`` and the shipped organisations."""
    assert cli("db", "upgrade").exit_code == 0
    assert cli("users", "create-admin", "root", "--name", "Root").exit_code == 0
    assert cli("orgs", "seed").exit_code == 0
    return cli


def act_as(cli: Run, monkeypatch: pytest.MonkeyPatch, username: str) -> str:
    """Make an API token for ``username`` (as the OS owner) and put it in GBVS_TOKEN."""
    monkeypatch.delenv("GBVS_TOKEN", raising=False)
    made = cli("users", "tokens", "create", "cli", "--user", username, "--format", "json")
    assert made.exit_code == 0, made.stderr
    secret = str(json.loads(made.stdout)["token"])
    monkeypatch.setenv("GBVS_TOKEN", secret)
    return secret


def test_db_check_fails_with_the_fix_then_passes_after_upgrade(cli: Run, db_url: str) -> None:
    before = cli("db", "check")
    assert before.exit_code == 7
    if db_url.startswith("sqlite"):
        assert not Path(db_url.removeprefix("sqlite:///")).exists(), "db check must not create the database"
    assert "heeft nog geen GBVS-schema. Oplossing: voer `gbvs db upgrade` uit." in before.stderr
    assert "has no GBVS schema yet; run `gbvs db upgrade`" in cli("db", "check", "--lang", "en").stderr
    upgraded = cli("db", "upgrade")
    head = migrate.head_revision()
    assert upgraded.exit_code == 0 and upgraded.stdout.rstrip().endswith(f": leeg -> {head}"), upgraded.stdout
    assert cli("db", "check").stdout.rstrip().endswith(f"is bijgewerkt (revisie {head})")
    assert cli("db", "check", "--lang", "en").stdout.rstrip().endswith(f"is current (revision {head})")
    after = cli("db", "check", "--format", "json")
    assert after.exit_code == 0
    assert json.loads(after.stdout) | {"url": "-"} == {
        "url": "-",
        "current": head,
        "head": head,
        "pending": [],
        "differences": [],
        "is_current": True,
        "problem": None,
    }


def test_commands_refuse_an_outdated_database(cli: Run) -> None:
    result = cli("users", "list")
    assert result.exit_code == 7 and "voer `gbvs db upgrade` uit" in result.stderr


def test_create_admin_only_once(cli: Run) -> None:
    cli("db", "upgrade")
    first = cli("users", "create-admin", "Root", "--format", "json")
    assert first.exit_code == 0 and json.loads(first.stdout)[0]["username"] == "root"
    second = cli("users", "create-admin", "eve")
    assert (
        second.exit_code == 8
        and "fout: Er is al een beheerder (‘root’), dus `create-admin` is gesloten" in second.stderr
    )


def test_users_and_roles_through_the_cli(ready: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    ann = ("ann", "--name", "Ann", "--org", "BZ", "--role", "analyst")
    created = ready("users", "create", *ann)
    assert created.exit_code == 0, created.stderr
    act_as(ready, monkeypatch, "ann")
    denied = ready("users", "set-role", "ann", "admin")
    assert denied.exit_code == 8 and "heeft het recht ‘users:manage’ niet" in denied.stderr
    monkeypatch.delenv("GBVS_TOKEN")
    assert ready("users", "set-role", "ann", "coordinator").exit_code == 0
    listed = json.loads(ready("users", "list", "--format", "json").stdout)
    assert [(u["username"], u["role"], u["organisation_code"]) for u in listed] == [
        ("ann", "coordinator", "BZ"),
        ("root", "admin", None),
    ]
    bad_role = ready("users", "create", "bob", "--name", "Bob", "--role", "boss")
    assert bad_role.exit_code == 4 and "unknown role 'boss'" in bad_role.stderr


def test_an_account_moves_to_another_organisation_and_back_to_none(
    ready: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Messages told accounts without an organisation to ask for `gbvs users set-org`, which did not
    exist; the move is audited, a coordinator cannot move an account out of their organisation."""
    assert ready("users", "create", "bob", "--name", "Bob", "--role", "analyst").exit_code == 0
    assert (
        ready("users", "create", "cas", "--name", "Cas", "--org", "BZ", "--role", "coordinator").exit_code
        == 0
    )
    moved = ready("users", "set-org", "bob", "bz", "--format", "json")
    assert moved.exit_code == 0, moved.stderr
    assert json.loads(moved.stdout)[0]["organisation_code"] == "BZ"
    act_as(ready, monkeypatch, "cas")
    refused = ready("users", "set-org", "bob", "DEF")
    assert refused.exit_code == 8 and "users:manage" in refused.stderr
    monkeypatch.delenv("GBVS_TOKEN")
    unknown = ready("users", "set-org", "bob", "XYZ")
    assert unknown.exit_code != 0 and "fout: Organisatie ‘XYZ’ bestaat niet" in unknown.stderr
    again = ready("users", "set-org", "bob", "BZ")
    assert (
        again.exit_code == 4
        and "fout: Gebruiker ‘bob’ hoort al bij BZ; er is niets gewijzigd." in again.stderr
    )
    neither = ready("users", "set-org", "bob")
    assert neither.exit_code == 4 and "--none" in neither.stderr
    assert ready("users", "set-org", "bob", "--none").exit_code == 0
    listed = {
        u["username"]: u["organisation_code"] for u in json.loads(ready("users", "list", "-f", "json").stdout)
    }
    assert listed["bob"] is None
    audit = json.loads(ready("audit", "list", "--format", "json").stdout)
    moves = [
        (e["detail"]["from"], e["detail"]["to"])
        for e in audit
        if e["action"] == "users.set_organisation" and e["outcome"] == "success"
    ]
    assert sorted(moves, key=str) == [("BZ", None), (None, "BZ")]


def test_denied_attempts_show_in_the_audit_log(ready: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    ready("users", "create", "vic", "--name", "Vic")
    act_as(ready, monkeypatch, "vic")
    assert ready("audit", "list").exit_code == 8
    monkeypatch.delenv("GBVS_TOKEN")
    listed = ready("audit", "list", "--outcome", "denied", "--format", "json")
    entries = json.loads(listed.stdout)
    assert [(e["actor"], e["action"], e["detail"]["permission"]) for e in entries] == [
        ("vic", "audit.read", "audit:read")
    ]


def test_orgs_list_and_create(ready: Run) -> None:
    created = ready("orgs", "create", "dcmo", "--name-nl", "Test NL", "--name-en", "Test EN")
    assert created.exit_code == 0 and "DCMO" in created.stdout
    duplicate = ready("orgs", "create", "DCMO", "--name-nl", "Nog", "--name-en", "Again")
    assert duplicate.exit_code == 4 and "Organisatiecode ‘DCMO’ is al in gebruik" in duplicate.stderr
    codes = [o["code"] for o in json.loads(ready("orgs", "list", "--format", "json").stdout)]
    assert {"AIVD", "BZ", "DCMO", "MIVD", "NCTV", "POLITIE"} <= set(codes) and codes == sorted(codes)
    bad = ready("orgs", "create", "x", "--name-nl", "X", "--name-en", "X")
    assert bad.exit_code == 4 and "invalid organisation: code='X'" in bad.stderr


def test_password_and_tokens(ready: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "a long enough passphrase")
    act_as(ready, monkeypatch, "root")
    assert ready("users", "set-password", "root", "--as", "root").exit_code == 0
    assert ready("users", "set-password", "root", "--as", "root").exit_code == 0  # current one asked, right
    answers = iter(["a wrong current password", "a new long passphrase", "a new long passphrase"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    wrong = ready("users", "set-password", "root", "--as", "root")
    assert wrong.exit_code == 8 and "current password of 'root' is missing or wrong" in wrong.stderr
    created = ready("users", "tokens", "create", "dashboard", "--format", "json", "--as", "root")
    made = json.loads(created.stdout)
    assert made["token"].startswith("gbvs_") and made["revoked_at"] is None
    listed = ready("users", "tokens", "list", "--format", "json")
    assert made["token"] not in listed.stdout
    revoked = ready("users", "tokens", "revoke", str(made["id"]), "--format", "json")
    assert json.loads(revoked.stdout)[0]["revoked_at"] is not None


def test_roles_table_is_printed(cli: Run) -> None:
    table = json.loads(cli("users", "roles", "--format", "json").stdout)
    assert table["viewer"]["signals:read"] == "own" and "audit:read" not in table["coordinator"]
    # every row's columns start where the header's do, the longest permission name included
    text = cli("users", "roles").stdout.splitlines()
    column = text[0].index("lezer")
    manage = next(line for line in text if line.startswith("assessments:manage"))
    assert manage[column - 1] == " " and manage[column:].split()[0] == "-", manage


def test_downgrade_needs_confirmation(ready: Run, tmp_path: Path) -> None:
    refused = ready("db", "downgrade", "base")
    assert refused.exit_code == 4 and "herhaal dan met --yes" in refused.stderr
    assert "repeat with --yes" in ready("db", "downgrade", "base", "--lang", "en").stderr
    export = tmp_path / "audit.jsonl"
    done = ready("db", "downgrade", "base", "--yes", "--export-audit", str(export))
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("auditlog: ") and f"geschreven naar {export}" in done.stdout
    assert done.stdout.rstrip().endswith("database staat nu op base (leeg)"), done.stdout
    assert ready("db", "check").exit_code == 7
    again = ready("db", "upgrade", "--lang", "en")
    assert again.exit_code == 0 and f"empty -> {migrate.head_revision()}" in again.stdout, again.stdout


def test_a_downgrade_that_would_expose_marked_comments_is_refused_before_it_is_recorded(
    ready: Run, tmp_path: Path
) -> None:
    assert ready("report", "draft", "create", "--period", "2018-2019").exit_code == 0
    assert ready("report", "draft", "comment", "1", "--text", "open", "--tlp", "clear").exit_code == 0
    export = tmp_path / "audit.jsonl"
    back = ("db", "downgrade", "0011_displace", "--yes", "--export-audit", str(export))
    assert ready(*back).exit_code == 0, "CLEAR and GREEN comments are read by all anyway"
    assert ready("db", "upgrade").exit_code == 0
    assert ready("report", "draft", "comment", "1", "--text", "geheim", "--tlp", "red").exit_code == 0
    export.unlink()
    refused = ready(*back)
    assert refused.exit_code == 4 and "1 comment(s) on report drafts carry a marking" in refused.stderr
    assert not export.exists(), "refused before the audit log was exported"
    entries = json.loads(ready("audit", "list", "--format", "json").stdout)
    assert [e["action"] for e in entries].count("db.downgrade") == 1, "only the downgrade that ran"
    assert ready("db", "check").exit_code == 0


def test_upgrade_sql_prints_without_touching_the_database(cli: Run) -> None:
    result = cli("db", "upgrade", "--sql")
    assert result.exit_code == 0 and "CREATE TABLE audit_log" in result.stdout
    assert cli("db", "check").exit_code == 7


def test_whoami_shows_role_and_permissions(ready: Run) -> None:
    result = ready("users", "whoami", "--format", "json")
    data = json.loads(result.stdout)
    assert (data["username"], data["role"], data["os_owner"]) == (f"os:{getpass.getuser()}", "admin", True)
    assert data["permissions"]["audit:read"] == "all"


@pytest.mark.parametrize(
    "command",
    [("db", "upgrade"), ("db", "downgrade", "0012", "--yes", "--export-audit", "audit.jsonl")],
    ids=["upgrade", "downgrade"],
)
def test_a_database_of_a_newer_gbvs_is_named_not_upgraded_or_downgraded(
    ready: Run, db_url: str, command: tuple[str, ...]
) -> None:
    """A newer release's database: say so and what to install (exit 7), not Alembic's words or exit 4."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    result = ready(*command)
    assert result.exit_code == 7, result.stderr
    assert "'9999', die deze GBVS-versie niet kent" in result.stderr
    assert "Can't locate revision" not in result.stderr and "`gbvs db upgrade` uit" not in result.stderr
    assert not Path("audit.jsonl").exists(), "nothing exported for a downgrade that cannot run"


def test_backup_copies_the_sqlite_database_while_it_is_in_use_and_the_copy_restores(
    ready: Run, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`gbvs db backup FILE`: a consistent copy (WAL included) that `db check` accepts in its place."""
    if db_url.startswith("postgresql"):
        refused = ready("db", "backup", str(tmp_path / "gbvs.dump"))
        assert refused.exit_code == 4 and "pg_dump" in refused.stderr and "pg_restore" in refused.stderr
        return
    from sqlalchemy import create_engine, text

    live = create_engine(db_url)  # a reader holds the database open, as `gbvs serve` does
    with live.connect() as connection:
        connection.execute(text("SELECT count(*) FROM app_user")).scalar_one()
        target = tmp_path / "backups" / "gbvs-backup.sqlite3"
        target.parent.mkdir()
        made = ready("db", "backup", str(target), "--lang", "en")
    live.dispose()
    assert made.exit_code == 0, made.stderr
    assert str(target) in made.stdout and f"revision {migrate.head_revision()}" in made.stdout
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    again = ready("db", "backup", str(target))
    assert again.exit_code == 4 and "bestaat al" in again.stderr, "a backup is never overwritten"
    monkeypatch.setenv("GBVS_DATABASE_URL", f"sqlite:///{target}")
    assert ready("db", "check").exit_code == 0
    users = json.loads(ready("users", "list", "--format", "json").stdout)
    assert [user["username"] for user in users] == ["root"]
    assert ready("audit", "verify").exit_code == 0


def test_an_expired_token_is_refused_and_rotated(ready: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = act_as(ready, monkeypatch, "root")
    (made,) = json.loads(ready("users", "tokens", "list", "--format", "json").stdout)
    lifetime = datetime.fromisoformat(made["expires_at"]) - datetime.fromisoformat(made["created_at"])
    assert lifetime == timedelta(days=90)
    monkeypatch.setenv("GBVS_TOKEN_LIFETIME_DAYS", "0")
    assert "GBVS_TOKEN_LIFETIME_DAYS" in ready("users", "tokens", "list").stderr  # 1 day at least
    monkeypatch.setenv("GBVS_TOKEN_LIFETIME_DAYS", "1")
    monkeypatch.setattr("gbvs.db.services.principals.utcnow", lambda: datetime.now(UTC) + timedelta(days=2))
    refused = ready("users", "tokens", "list")
    assert (
        refused.exit_code == 8
        and refused.stderr.startswith("fout: Het API-token is verlopen op ")
        and "(een token is 1 dag(en) geldig, GBVS_TOKEN_LIFETIME_DAYS)" in refused.stderr
        and secret not in refused.stderr
    )
    monkeypatch.delenv("GBVS_TOKEN")  # the OS owner rotates it
    rotated = ready("users", "tokens", "rotate", str(made["id"]), "--format", "json")
    assert rotated.exit_code == 0, rotated.stderr
    new = json.loads(rotated.stdout)
    assert new["name"] == "cli" and new["id"] != made["id"] and new["token"] != secret
    rows = json.loads(ready("users", "tokens", "list", "--user", "root", "--format", "json").stdout)
    listed = {row["id"]: row for row in rows}
    assert listed[made["id"]]["revoked_at"] is not None and listed[new["id"]]["revoked_at"] is None


def test_a_backup_never_takes_a_name_gbvs_uses_for_its_own_files(
    ready: Run, db_url: str, settings: Settings, tmp_path: Path
) -> None:
    """A backup written into the data folder (also through a link to it) took the name of a file GBVS
    makes there when it was absent (``web-session.key``: the copy became the cookie key), and one named
    after the database with ``-wal`` or ``-journal`` would lie beside the live database as its log."""
    if db_url.startswith("postgresql"):
        return
    live = Path(db_url.removeprefix("sqlite:///"))
    settings.ensure_data_dir()
    link = tmp_path / "looks-like-backups"
    link.symlink_to(settings.data_dir, target_is_directory=True)
    for target in (settings.data_dir / "web-session.key", link / "copy.sqlite3", Path(f"{live}-journal")):
        refused = ready("db", "backup", str(target))
        assert refused.exit_code == 4 and "kies een bestand buiten de gegevensmap" in refused.stderr, (
            target,
            refused.stderr,
        )
        assert not target.exists()


def test_seed_names_the_existing_organisations_it_keeps_and_how_they_differ(cli: Run) -> None:
    """The walk: with BZ and DEF already there (kind "other", Dutch names only) `gbvs orgs seed` added
    the rest and said nothing of the two it left unlike the shipped list."""
    assert cli("db", "upgrade").exit_code == 0
    for code, name in (("BZ", "Buitenlandse Zaken"), ("DEF", "Defensie")):
        made = cli("orgs", "create", code, "--name-nl", name, "--name-en", name)
        assert made.exit_code == 0, made.stderr
    seeded = cli("orgs", "seed")
    assert seeded.exit_code == 0, seeded.stderr
    assert "BZ " not in seeded.stdout and "NCTV" in seeded.stdout, "only the missing ones are added"
    kept = seeded.stderr.splitlines()
    assert kept[0] == (
        "organisatie BZ behouden zoals ze is opgeslagen; ze wijkt af van de meegeleverde lijst ("
        "Soort: andere organisatie (other), meegeleverd: ministerie (ministry); "
        "Nederlandse naam: ‘Buitenlandse Zaken’, meegeleverd: ‘Ministerie van Buitenlandse Zaken’; "
        "Engelse naam: ‘Buitenlandse Zaken’, meegeleverd: ‘Ministry of Foreign Affairs’)"
    ), seeded.stderr
    assert kept[1].startswith("organisatie DEF behouden") and "‘Ministry of Defence’" in kept[1]
    command = (
        "`gbvs orgs update DEF --kind ministry --name-nl 'Ministerie van Defensie' "
        "--name-en 'Ministry of Defence'`"
    )
    assert kept[2].startswith("`gbvs orgs seed` wijzigt nooit een organisatie die al bestaat; zo krijgt u")
    assert kept[2].endswith(f"; {command}"), kept[2]
    again = cli("orgs", "seed", "--lang", "en", "--format", "json")
    assert again.stdout.strip() == "[]", "stdout stays the JSON of the added ones"
    assert again.stderr.startswith(
        "kept organisation BZ as it is stored; it differs from the shipped list (Kind:"
    )
    listed = cli("orgs", "list", "--format", "json").stdout
    assert '"name_en": "Buitenlandse Zaken"' in listed, "nothing stored was changed"
    arguments = shlex.split(command.strip("`"))[1:]
    updated = cli(*arguments)
    assert updated.exit_code == 0, updated.stderr
    assert "Ministry of Defence" in updated.stdout and "ministerie (ministry)" in updated.stdout
    after = cli("orgs", "seed")
    assert (
        after.exit_code == 0
        and after.stderr.startswith("organisatie BZ behouden")
        and "DEF" not in after.stderr
    )
    same = cli(*arguments)
    assert same.exit_code == 4 and "organisatie DEF heeft deze waarden al" in same.stderr, same.stderr
    missing = cli("orgs", "update", "XYZ", "--name-en", "Nobody")
    assert missing.exit_code == 5 and "XYZ" in missing.stderr, missing.stderr
    audit = cli("audit", "list", "--action", "orgs.update", "--format", "json").stdout
    assert '"from"' in audit and "Defensie" in audit and "Ministry of Defence" in audit, audit


def test_only_who_manages_organisations_may_change_one(ready: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    created = ready("users", "create", "ann", "--name", "Ann", "--org", "BZ", "--role", "coordinator")
    assert created.exit_code == 0, created.stderr
    act_as(ready, monkeypatch, "ann")
    refused = ready("orgs", "update", "BZ", "--name-en", "Foreign Office")
    assert refused.exit_code == 8 and "orgs:manage" in refused.stderr, refused.stderr
    monkeypatch.delenv("GBVS_TOKEN")
    listed = json.loads(ready("orgs", "list", "--format", "json").stdout)
    assert [o["name_en"] for o in listed if o["code"] == "BZ"] == ["Ministry of Foreign Affairs"]


def test_account_commands_speak_dutch_by_default_and_english_with_lang_en(cli: Run) -> None:
    """`gbvs users list` / `gbvs orgs list` printed "(none)" and English headers whatever the language."""
    assert cli("db", "upgrade").exit_code == 0
    no_orgs = cli("orgs", "list")
    assert no_orgs.stdout.startswith("nog geen organisaties; `gbvs orgs seed` voegt"), no_orgs.stdout
    assert cli("orgs", "list", "--lang", "en").stdout.startswith(
        "no organisations yet; `gbvs orgs seed` adds"
    )
    assert cli("users", "list").stdout.startswith("geen gebruikers die u mag zien; `gbvs users create")
    assert cli("users", "list", "-l", "en").stdout.startswith("no users you may see; `gbvs users create")
    assert cli("users", "create-admin", "root", "--name", "Root").stdout.startswith(
        "Gebruikersnaam  Naam  Organisatie  Rol                Actief\nroot            Root"
    )
    listed = cli("users", "list", "--lang", "en").stdout.splitlines()
    assert listed[0].split() == ["Username", "Name", "Organisation", "Role", "Active"]
    assert listed[1].split()[-1] == "yes" and cli("users", "list").stdout.splitlines()[1].split()[-1] == "ja"
    assert cli("orgs", "list").stdout.startswith("nog geen organisaties")
    assert cli("orgs", "seed").stdout.split()[:4] == ["Code", "Soort", "Nederlandse", "naam"]
    assert cli("orgs", "seed", "-l", "en").stdout.startswith(
        "every organisation of the shipped list is there"
    )
    assert cli("users", "list", "--org", "NCTV").stdout.startswith("geen gebruikers van deze organisatie")
    audit = cli("audit", "list", "--actor", "nobody")
    assert audit.stdout.startswith("geen auditregels die hieraan voldoen"), audit.stdout
    assert cli("audit", "verify").stdout.startswith("auditketen intact: ")
    assert cli("audit", "verify", "-l", "en").stdout.startswith("audit chain intact: ")
    both = cli("users", "set-org", "root", "BZ", "--none")
    assert both.exit_code == 4 and "geef een code van een organisatie" in both.stderr


def _row(listing: str, first: str) -> str:
    """The line of a text table whose first cell is ``first``."""
    return next(line for line in listing.splitlines() if line.split()[:1] == [first])


def test_kinds_and_roles_are_named_in_the_language_with_the_code_one_types(ready: Run) -> None:
    """The "Soort" and "Rol" columns showed the codes (``think_tank``, ``analyst``) in a Dutch table. They
    name them in the language now, with the code one types after it (as regions and drivers are shown);
    ``--format json`` keeps the codes."""
    assert ready("orgs", "seed").exit_code == 0
    dutch, english = ready("orgs", "list").stdout, ready("orgs", "list", "--lang", "en").stdout
    assert "  inlichtingendienst (intelligence)  " in _row(dutch, "AIVD")
    assert "  ministerie (ministry)  " in _row(dutch, "BZ")
    assert "  intelligence service (intelligence)  " in _row(english, "AIVD")
    assert "  ministry  " in _row(english, "BZ") and "(ministry)" not in english
    kinds = {o["code"]: o["kind"] for o in json.loads(ready("orgs", "list", "-f", "json").stdout)}
    assert (kinds["AIVD"], kinds["BZ"]) == ("intelligence", "ministry")
    made = ready("users", "create", "ann", "--name", "Ann", "--org", "BZ", "--role", "analyst").stdout
    assert "  analist (analyst)  " in _row(made, "ann")
    assert "  beheerder (admin)  " in _row(ready("users", "list").stdout, "root")
    assert "  administrator (admin)  " in _row(ready("users", "list", "-l", "en").stdout, "root")
    roles = {u["username"]: u["role"] for u in json.loads(ready("users", "list", "-f", "json").stdout)}
    assert roles == {"root": "admin", "ann": "analyst"}


def test_a_new_tokens_expiry_is_written_as_the_other_times_of_the_text_output(ready: Run) -> None:
    """It read "geldig tot 2027-03-07T10:22:45.548590Z" (ISO, UTC, microseconds) where every other time
    of the text output is Dutch time with its zone ("7 maart 2027 11:22 CET")."""
    made = ready("users", "tokens", "create", "api", "--user", "root")
    assert made.exit_code == 0, made.stderr
    assert re.search(r", geldig tot \d{1,2} [a-z]+ \d{4} \d{2}:\d{2} CES?T: gbvs_", made.stdout), made.stdout
    english = ready("users", "tokens", "create", "api2", "--user", "root", "--lang", "en").stdout
    assert re.search(r", valid until \d{1,2} [A-Z][a-z]+ \d{4} \d{2}:\d{2} CES?T: gbvs_", english), english


def test_roles_and_whoami_name_roles_and_scopes_in_the_language(cli: Run) -> None:
    """`gbvs users roles` headed its columns with the role codes and `gbvs whoami` wrote "(OS owner of the
    data folder)" and the scopes ``all``/``own`` in a Dutch terminal; now the roles by their name with the
    code one types (``set-role USER ROLE``), the scopes in words. ``--format json`` keeps the codes."""
    dutch = cli("users", "roles").stdout.splitlines()
    assert dutch[0].split() == ["Recht", "lezer", "analist", "coördinator", "beheerder"]
    assert dutch[1].split() == ["(viewer)", "(analyst)", "(coordinator)", "(admin)"]
    assert dutch[1].index("(admin)") == dutch[0].index("beheerder"), "the code under the role's name"
    assert _row("\n".join(dutch), "users:manage").split()[1:] == ["-", "-", "eigen", "alle"]
    english = cli("users", "roles", "--lang", "en").stdout.splitlines()
    assert english[0].split() == ["Permission", "viewer", "analyst", "coordinator", "administrator"]
    assert _row("\n".join(english), "users:manage").split()[1:] == ["-", "-", "own", "all"]
    assert cli("db", "upgrade").exit_code == 0
    me = getpass.getuser()
    whoami = cli("users", "whoami").stdout.splitlines()
    assert whoami[0] == f"'os:{me}' (eigenaar van de datamap in het besturingssysteem)"
    assert whoami[1].split() == ["strategy:read", "alle"]
    english_whoami = cli("users", "whoami", "--lang", "en").stdout.splitlines()
    assert english_whoami[0] == f"'os:{me}' (OS owner of the data folder)"
    assert english_whoami[1].split() == ["strategy:read", "all"]


def test_a_refusal_names_the_roles_in_the_language_with_the_code_one_types(
    ready: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "rollen met dat recht: coordinator, admin" named the roles by their codes in a Dutch refusal, and
    the user as "(analyst, BZ)"; now by their Dutch names, with the code ``set-role`` takes in brackets."""
    assert ready("users", "create", "ann", "--name", "Ann", "--org", "BZ", "--role", "analyst").exit_code == 0
    act_as(ready, monkeypatch, "ann")
    dutch = ready("users", "set-role", "ann", "admin")
    assert dutch.exit_code == 8
    assert (
        "Gebruiker 'ann' (analist, BZ) heeft het recht ‘users:manage’ niet; rollen met dat recht: "
        "coördinator (coordinator), beheerder (admin)." in dutch.stderr
    ), dutch.stderr
    english = ready("audit", "list", "--lang", "en")
    assert english.exit_code == 8
    assert (
        "user 'ann' (analyst, BZ) lacks permission 'audit:read'; roles that have it: administrator (admin)."
        in english.stderr
    ), english.stderr


def test_backup_and_revision_lines_speak_dutch_and_english(ready: Run, db_url: str, tmp_path: Path) -> None:
    """`gbvs db backup` and `gbvs db revision` ended with an English line whatever the language."""
    if db_url.startswith("postgresql"):
        pytest.skip("gbvs db backup copies SQLite only (PostgreSQL: pg_dump, tested above)")
    dutch = ready("db", "backup", str(tmp_path / "nl.sqlite3"))
    assert dutch.exit_code == 0, dutch.stderr
    assert f" gekopieerd naar {tmp_path / 'nl.sqlite3'} (" in dutch.stdout
    assert f"revisie {migrate.head_revision()}, sha256 " in dutch.stdout
    assert "terugzetten: stop `gbvs serve` en volg docs/operations.md" in dutch.stdout
    english = ready("db", "backup", str(tmp_path / "en.sqlite3"), "--lang", "en")
    assert english.exit_code == 0, english.stderr
    assert (
        f" backed up to {tmp_path / 'en.sqlite3'} (" in english.stdout and "to restore it" in english.stdout
    )
    from gbvs.cli.db import revision_written
    from gbvs.cli.texts import said_in

    written = revision_written("versions/0024_x.py")
    assert (
        said_in(written, "nl")
        == "versions/0024_x.py geschreven; controleer het script en voer dan `gbvs db upgrade` uit"
    )
    assert said_in(written, "en") == "wrote versions/0024_x.py; review it, then run `gbvs db upgrade`"


def test_backup_refusals_speak_dutch_and_english(
    ready: Run, db_url: str, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`gbvs db backup`'s refusals (the file exists, the folder is missing, the data folder, PostgreSQL,
    a copy that fails SQLite's integrity check) were English whatever the language."""
    if not db_url.startswith("postgresql"):
        target = tmp_path / "gbvs.sqlite3"
        assert ready("db", "backup", str(target)).exit_code == 0
        exists = ready("db", "backup", str(target))
        assert exists.exit_code == 4 and exists.stderr == (
            f"fout: {target} bestaat al; een back-up vervangt nooit een bestand. Oplossing: kies een nieuwe "
            "bestandsnaam.\n"
        )
        english = ready("db", "backup", str(target), "--lang", "en")
        assert english.stderr == (
            f"error: {target} already exists; a backup never replaces a file: choose a new file name\n"
        )
        nowhere = ready("db", "backup", str(tmp_path / "missing" / "gbvs.sqlite3"))
        assert nowhere.exit_code == 4
        assert f"fout: Map {tmp_path / 'missing'} bestaat niet. Oplossing: maak de map aan" in nowhere.stderr
        inside = ready("db", "backup", str(settings.data_dir / "copy.sqlite3"), "--lang", "en")
        assert inside.exit_code == 4 and "is in the data folder" in inside.stderr
    damaged = tmp_path / "damaged.sqlite3"
    _damaged_sqlite(damaged)
    monkeypatch.setenv("GBVS_DATABASE_URL", f"sqlite:///{damaged}")
    broken = ready("db", "backup", str(tmp_path / "copy.sqlite3"))
    assert broken.exit_code == 7 and broken.stderr.startswith(
        f"fout: De kopie van {damaged} komt niet door de integriteitscontrole van SQLite ("
    )
    assert "De database zelf is mogelijk beschadigd" in broken.stderr, broken.stderr
    assert not (tmp_path / "copy.sqlite3").exists()
    broken = ready("db", "backup", str(tmp_path / "copy.sqlite3"), "--lang", "en")
    assert broken.stderr.startswith(f"error: the copy of {damaged} fails SQLite's integrity check (")
    monkeypatch.setenv("GBVS_DATABASE_URL", "postgresql://gbvs:secret@db.example/gbvs")
    postgres = ready("db", "backup", str(tmp_path / "gbvs.dump"))
    assert postgres.exit_code == 4 and postgres.stderr.startswith(
        "fout: Database postgresql://gbvs:***@db.example/gbvs is PostgreSQL, en die kopieert GBVS niet zelf. "
        "Oplossing: maak een back-up met `pg_dump "
    )
    english = ready("db", "backup", str(tmp_path / "gbvs.dump"), "--lang", "en")
    assert english.stderr.startswith("error: database postgresql://gbvs:***@db.example/gbvs is PostgreSQL")


def _damaged_sqlite(path: Path) -> None:
    """A SQLite file whose sixth page is overwritten: it opens, but fails its integrity check."""
    import contextlib
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as made:
        made.execute("CREATE TABLE t (x TEXT)")
        made.execute("CREATE INDEX t_x ON t (x)")
        made.executemany("INSERT INTO t VALUES (?)", [(str(i) * 20,) for i in range(3000)])
        made.commit()
    with path.open("r+b") as file:
        file.seek(4096 * 5 + 100)
        file.write(b"\xff" * 200)


def test_a_copy_too_damaged_to_check_is_refused_as_failing_the_check(tmp_path: Path) -> None:
    """A file whose schema page is overwritten makes SQLite's integrity check raise "database disk image
    is malformed" instead of answering; `gbvs db backup` then ended in a traceback, not the refusal."""
    import contextlib
    import sqlite3

    from gbvs.db.backup import _refuse_damaged
    from gbvs.errors import DatabaseError as GbvsDatabaseError

    copy = tmp_path / "copy.sqlite3"
    with contextlib.closing(sqlite3.connect(copy)) as made:
        made.execute("CREATE TABLE t (x TEXT)")
        made.executemany("INSERT INTO t VALUES (?)", [(str(i) * 20,) for i in range(3000)])
        made.commit()
    with copy.open("r+b") as file:
        file.seek(100)
        file.write(b"\xff" * 200)
    with (
        contextlib.closing(sqlite3.connect(copy)) as damaged,
        pytest.raises(GbvsDatabaseError, match="malformed") as refused,
    ):
        _refuse_damaged(damaged, tmp_path / "gbvs.sqlite3")
    assert "gbvs.sqlite3" in str(refused.value)
