"""Finding 11 of issue 8: bad arguments get a clear message and an exit code, never a traceback.

Before the fix ``gbvs db upgrade --to <unknown or empty>`` and
``gbvs users tokens revoke 99999999999999999999`` (OverflowError) ended in tracebacks; so did
the siblings the CLI fuzzer (benchmarks/fuzz_cli.py) found: huge ``--seeds``, an unwritable
``codebook --output`` and an over-long ``strategy check`` folder name.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from gbvs.config import Settings
from gbvs.db.services import tokens
from gbvs.errors import NotFoundError
from gbvs.security import Principal

Run = Callable[..., Any]
BAD_REVISIONS = ["", " ", "zzz", "0001x", "-1", "+1", "head+5", "base", "heads", "00", "ünïcødé", "\x1b[2J"]
HUGE = "99999999999999999999"


@pytest.fixture
def cli(settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> Run:
    """``run_cli`` against the migrated test database."""
    monkeypatch.setenv("GBVS_DATABASE_URL", db_url)
    assert run_cli("db", "upgrade").exit_code == 0
    return run_cli


@pytest.mark.parametrize("target", BAD_REVISIONS)
def test_unknown_upgrade_targets_are_named_with_the_choices(cli: Run, target: str) -> None:
    for args in (("db", "upgrade", "--to", target), ("db", "upgrade", "--sql", "--to", target)):
        result = cli(*args, "--lang", "en")
        assert result.exit_code == 4, (args, result.stderr)
        assert f"upgrade target {target!r} is not a revision GBVS knows; use one of: head, " in result.stderr
        dutch = cli(*args)
        assert dutch.exit_code == 4, (args, dutch.stderr)
        assert (
            f"upgrade naar {target!r} kan niet: dat is geen revisie die GBVS kent. "
            "Oplossing: kies een van: head, " in dutch.stderr
        )


@pytest.mark.parametrize("target", ["", "zzz", "head", "9999", "0001x"])
def test_unknown_downgrade_targets_are_refused_before_anything_happens(cli: Run, target: str) -> None:
    result = cli("db", "downgrade", target, "--yes", "--export-audit", "unused.jsonl", "--lang", "en")
    assert result.exit_code == 4 and f"downgrade target {target!r} is not a revision" in result.stderr
    dutch = cli("db", "downgrade", target, "--yes", "--export-audit", "unused.jsonl")
    assert dutch.exit_code == 4 and f"terugdraaien naar {target!r} kan niet" in dutch.stderr
    assert "use one of" not in dutch.stderr and "Oplossing: kies een van: base, 0001" in dutch.stderr
    assert cli("db", "check").exit_code == 0


@pytest.mark.parametrize("token_id", [HUGE, "0", "2147483648", "1e3"])
def test_token_ids_out_of_range_are_usage_errors(cli: Run, token_id: str) -> None:
    result = cli("users", "tokens", "revoke", token_id)
    assert result.exit_code == 2 and f"Ongeldige waarde '{token_id}' voor 'token_id'" in result.stderr


def test_the_token_service_treats_impossible_ids_as_unknown(session: Session, admin: Principal) -> None:
    for token_id in (2**31, 10**20, -(10**20), 0):
        with pytest.raises(NotFoundError, match=f"api_token {token_id} does not exist"):
            tokens.revoke_token(session, admin, token_id)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("backtest", "--seeds", HUGE), 2, f"Ongeldige waarde '{HUGE}' voor '--seeds'"),
        (("backtest", "--jobs", HUGE), 2, f"Ongeldige waarde '{HUGE}' voor '--jobs'"),
        (("forecast", "--seeds", "101"), 2, "Ongeldige waarde '101' voor '--seeds'"),
        (("forecast", "--seed", "-1"), 2, "Ongeldige waarde '-1' voor '--seed'"),
        (("codebook", "--output", ""), 4, "'.' bestaat al; voeg --force toe om het te vervangen"),
        (("codebook", "--output", "x" * 10_000), 4, "de bestandsnaam is te lang"),
        (
            ("codebook", "--output", "no/such/folder.md"),
            4,
            "dat bestand of die map bestaat niet; geef een bestandsnaam",
        ),
        (("strategy", "check", "x" * 10_000), 4, "bestaat niet. Geef een map met strategy.yaml"),
    ],
)
def test_sibling_arguments_fail_cleanly(
    settings: Settings, run_cli: Run, args: tuple[str, ...], code: int, message: str
) -> None:
    result = run_cli(*args)
    assert result.exit_code == code and message in result.stderr, result.stderr


def test_a_password_prompt_without_input_is_an_input_error(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def ended(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("getpass.getpass", ended)
    cli("users", "create-admin", "root")
    result = cli("users", "set-password", "root", "--lang", "en")
    assert result.exit_code == 4 and "no password was given" in result.stderr


LONG = "x" * 10_000


@pytest.fixture
def acting_cli(cli: Run) -> Run:
    """``cli`` with the bootstrap admin ``root`` and the seeded organisations, as the fuzzer runs it."""
    assert cli("users", "create-admin", "root", "--name", "Root").exit_code == 0
    assert cli("orgs", "seed").exit_code == 0
    return cli


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("signals", "list", "--page", HUGE), 2, f"Ongeldige waarde '{HUGE}' voor '--page'"),
        (("signals", "search", "plain", "--page", HUGE), 2, f"Ongeldige waarde '{HUGE}' voor '--page'"),
        (("signals", "show", "2147483648"), 2, "Ongeldige waarde '2147483648' voor 'signal_id'"),
        (("cases", "list", "--page", "100001"), 2, "Ongeldige waarde '100001' voor '--page'"),
        (("cases", "show", HUGE), 2, f"Ongeldige waarde '{HUGE}' voor 'case_id'"),
        (("report", "draft", "show", HUGE), 2, f"Ongeldige waarde '{HUGE}' voor 'draft_id'"),
        (("report", "draft", "show", "0"), 2, "Ongeldige waarde '0' voor 'draft_id'"),
        (
            ("report", "draft", "comment", HUGE, "--text", "plain"),
            2,
            f"Ongeldige waarde '{HUGE}' voor 'draft_id'",
        ),
        (("report", "draft", "move", HUGE, "--to", "draft"), 2, f"Ongeldige waarde '{HUGE}' voor 'draft_id'"),
        (
            ("signals", "import-stix", LONG),
            4,
            "de bestandsnaam is te lang; geef het pad van een STIX 2.1-bundel",
        ),
        (
            ("signals", "import-stix", "."),
            4,
            "'.' kan niet worden gelezen: dit is een map, geen bestand; geef het pad van een STIX 2.1-bundel",
        ),
        (("signals", "export", "--output", ""), 4, "'.' bestaat al; voeg --force toe om het te vervangen"),
        (
            ("signals", "export", "--output", "", "--force"),
            4,
            "'.' kan niet worden geschreven: dit is een map, geen bestand; geef een",
        ),
        (
            ("signals", "export", "--output", LONG),
            4,
            "kan niet worden opgezocht: de bestandsnaam is te lang; geef een",
        ),
        (
            ("audit", "checkpoint", "--output", LONG),
            4,
            "kan niet worden opgezocht: de bestandsnaam is te lang; geef een",
        ),
        (("report", "build", "--period", "2018-2019", "--templates", LONG), 4, "--templates 'xxx"),
        (
            ("report", "build", "--period", "plain", "--templates", LONG),
            4,
            "Periode 'plain' is geen reeks jaren",
        ),
    ],
)
def test_what_the_cli_fuzzer_found_fails_cleanly(
    acting_cli: Run, args: tuple[str, ...], code: int, message: str
) -> None:
    """The twelve tracebacks of ``benchmarks/fuzz_cli.py`` on 2026-12-05, and their neighbours."""
    result = acting_cli(*args)
    assert result.exit_code == code and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_services_refuse_pages_and_ids_out_of_range(session: Session, admin: Principal) -> None:
    """The services guard what the edges bound, for callers that are not the CLI or the API."""
    from gbvs.db.paging import MAX_PAGE
    from gbvs.db.services import cases, signals
    from gbvs.db.signal_queries import SignalFilter
    from gbvs.errors import InputError
    from gbvs.reports import workflow

    for page in (MAX_PAGE + 1, 10**20, 0):
        with pytest.raises(InputError, match=f"page {page} is out of range; pages count from 1 to 100,000"):
            signals.list_signals(session, admin, SignalFilter(), page=page)
        with pytest.raises(InputError, match=f"page {page} is out of range"):
            cases.list_cases(session, admin, page=page)
    with pytest.raises(InputError, match="page size 501 is out of range; use 1-500"):
        cases.list_cases(session, admin, page_size=501)
    assert signals.list_signals(session, admin, SignalFilter(), page=MAX_PAGE).items == ()
    for draft_id in (2**31, 10**20, 0, -1):
        with pytest.raises(NotFoundError, match=f"no report draft {draft_id}"):
            workflow.get_draft(session, admin, draft_id)


def test_an_export_does_not_replace_a_file_without_force(acting_cli: Run, tmp_path: Path) -> None:
    """The CLI fuzzer's last finding: ``signals export --output ../../../sentinel.txt`` replaced that file."""
    kept = tmp_path / "kept.json"
    kept.write_text("mine\n", encoding="utf-8")
    refused = acting_cli("signals", "export", "--output", str(kept))
    assert refused.exit_code == 4 and "bestaat al; voeg --force toe om het te vervangen" in refused.stderr
    assert kept.read_text(encoding="utf-8") == "mine\n"
    replaced = acting_cli("signals", "export", "--output", str(kept), "--force")
    assert replaced.exit_code == 0, replaced.stderr
    assert json.loads(kept.read_text(encoding="utf-8"))["type"] == "bundle"


def test_file_errors_are_in_english_when_asked(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GBVS_LANGUAGE", "en")
    folder = cli("signals", "import-stix", ".")
    assert folder.exit_code == 4
    assert "STIX bundle '.' cannot be read: Is a directory; give the path of a STIX 2.1" in folder.stderr
    exists = cli("signals", "export", "--output", "")
    assert exists.exit_code == 4 and "'.' already exists; add --force to replace it" in exists.stderr
