"""Finding 11 of issue 8: bad arguments get a clear message and an exit code, never a traceback.

Before the fix ``gbvs db upgrade --to <unknown or empty>`` and
``gbvs users tokens revoke 99999999999999999999`` (OverflowError) ended in tracebacks; so did
the siblings the CLI fuzzer (benchmarks/fuzz_cli.py) found: huge ``--seeds``, an unwritable
``codebook --output`` and an over-long ``strategy check`` folder name.
"""

from __future__ import annotations

from collections.abc import Callable
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
        result = cli(*args)
        assert result.exit_code == 4, (args, result.stderr)
        assert f"upgrade target {target!r} is not a revision GBVS knows; use one of: head, " in result.stderr


@pytest.mark.parametrize("target", ["", "zzz", "head", "9999", "0001x"])
def test_unknown_downgrade_targets_are_refused_before_anything_happens(cli: Run, target: str) -> None:
    result = cli("db", "downgrade", target, "--yes", "--export-audit", "unused.jsonl")
    assert result.exit_code == 4 and f"downgrade target {target!r} is not a revision" in result.stderr
    assert cli("db", "check").exit_code == 0


@pytest.mark.parametrize("token_id", [HUGE, "0", "2147483648", "1e3"])
def test_token_ids_out_of_range_are_usage_errors(cli: Run, token_id: str) -> None:
    result = cli("users", "tokens", "revoke", token_id)
    assert result.exit_code == 2 and "Invalid value for 'token_id'" in result.stderr


def test_the_token_service_treats_impossible_ids_as_unknown(session: Session, admin: Principal) -> None:
    for token_id in (2**31, 10**20, -(10**20), 0):
        with pytest.raises(NotFoundError, match=f"API token {token_id} does not exist"):
            tokens.revoke_token(session, admin, token_id)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("backtest", "--seeds", HUGE), 2, "Invalid value for '--seeds'"),
        (("backtest", "--jobs", HUGE), 2, "Invalid value for '--jobs'"),
        (("forecast", "--seeds", "101"), 2, "Invalid value for '--seeds'"),
        (("forecast", "--seed", "-1"), 2, "Invalid value for '--seed'"),
        (("codebook", "--output", ""), 4, "'.' already exists; add --force to replace it"),
        (("codebook", "--output", "x" * 10_000), 4, "File name too long"),
        (("codebook", "--output", "no/such/folder.md"), 4, "No such file or directory; give a file name"),
        (("strategy", "check", "x" * 10_000), 4, "does not exist; give a folder holding strategy.yaml"),
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
    result = cli("users", "set-password", "root")
    assert result.exit_code == 4 and "no password was given" in result.stderr
