"""``gbvs actions`` end to end on the default SQLite database, as the OS owner of the data folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update

from gbvs.config import Settings
from gbvs.db.action_models import ActionDecision
from gbvs.db.session import make_engine
from gbvs.db.testing import append_only_lifted

from .conftest import third_run


def test_from_alert_to_decision_on_the_command_line(two_runs: Settings, run_cli: Callable[..., Any]) -> None:
    assert run_cli("db", "upgrade").exit_code == 0
    listed = run_cli("actions", "alerts", "--format", "json")
    assert listed.exit_code == 0
    assert {a["reference"] for a in json.loads(listed.stdout)} == {"forecast-new:652", "forecast-new:432"}
    opened = run_cli(
        "actions", "open", "--from", "alert", "--ref", "forecast-new:432", "--title", "Mali", "-f", "json"
    )
    case = str(json.loads(opened.stdout)["id"])
    assert (
        run_cli("actions", "option", case, "--instrument", "diplomacy", "--description", "démarche").exit_code
        == 0
    )
    assert run_cli("actions", "status", case, "options").exit_code == 0
    assert run_cli("actions", "decide", case, "--option", "1").exit_code == 4  # reasons, also to act
    assert run_cli("actions", "decide", case, "--option", "1", "--reasoning", "talks first").exit_code == 0
    too_early = run_cli("actions", "follow-up", case, "--due", "2020-01-01")
    assert too_early.exit_code == 4 and "(the decision)" in too_early.stderr
    engine = make_engine(two_runs)
    # decided in 2019, so that a follow-up in 2020 is overdue (as the owner, around the guard)
    with engine.begin() as connection, append_only_lifted(connection, "action_decision"):
        connection.execute(update(ActionDecision).values(decided_at=datetime(2019, 12, 1, tzinfo=UTC)))
    engine.dispose()
    assert run_cli("actions", "follow-up", case, "--due", "2020-01-01").exit_code == 0
    board = run_cli("actions", "list")
    assert "OVERDUE" in board.stdout and "decided" in board.stdout
    shown = json.loads(run_cli("actions", "show", case, "-f", "json").stdout)
    assert shown["warning"]["run"]["model_version"] == "lgbm-test-1"
    gap = json.loads(run_cli("actions", "gap", "-f", "json").stdout)
    assert [(r["region"], r["alerts"], r["unanswered"]) for r in gap["regions"]][-1] == ("all", 2, 1)


def test_bad_values_are_named_without_a_traceback(two_runs: Settings, run_cli: Callable[..., Any]) -> None:
    run_cli("db", "upgrade")
    wrong_status = run_cli("actions", "list", "--status", "finished")
    assert wrong_status.exit_code == 4 and "use one of: open, options" in wrong_status.stderr
    no_alert = run_cli("actions", "open", "--from", "alert", "--ref", "forecast-old:652", "--title", "x")
    assert no_alert.exit_code == 5 and "raised no watchlist alert" in no_alert.stderr
    bad_date = run_cli("actions", "follow-up", "1", "--due", "tomorrow")
    assert bad_date.exit_code == 4 and "YYYY-MM-DD" in bad_date.stderr
    missing = run_cli("actions", "show", "99")
    assert missing.exit_code == 5 and "case 99 does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr + bad_date.stderr


def test_country_is_given_as_everywhere_in_the_cli(two_runs: Settings, run_cli: Callable[..., Any]) -> None:
    """``--country`` takes an ISO3 code in any case or a Gleditsch-Ward code, as ``gbvs drivers`` does."""
    run_cli("db", "upgrade")
    opened = run_cli(
        "actions", "open", "--from", "alert", "--ref", "forecast-new:432", "--title", "Mali en buren",
        "--country", "652", "--country", "ukr", "-f", "json",
    )  # fmt: skip
    assert opened.exit_code == 0, opened.stderr
    shown = json.loads(run_cli("actions", "show", str(json.loads(opened.stdout)["id"]), "-f", "json").stdout)
    assert sorted(shown["summary"]["countries"]) == ["MLI", "SYR", "UKR"]
    unknown = run_cli(
        "actions", "open", "--from", "country", "--ref", "MLI", "--title", "x", "--country", "Narnia"
    )
    assert (
        unknown.exit_code == 5
        and "'Narnia' is no ISO3 code, Gleditsch-Ward code or country name" in unknown.stderr
    )


def test_the_alerts_and_the_gap_say_what_is_true(two_runs: Settings, run_cli: Callable[..., Any]) -> None:
    run_cli("db", "upgrade")
    gap = run_cli("actions", "gap")
    assert gap.exit_code == 0
    assert "2 forecast run(s) since 2026-01-01 00:00 UTC; 2 alert(s)" in gap.stdout
    assert "run forecast-new: 2026-06-01 00:00 UTC, model lgbm-test-1, training cutoff 2023" in gap.stdout
    assert "as shipped (watchlist.yaml)" in gap.stdout and "  unknown" in gap.stdout
    (two_runs.data_dir / "watchlist.yaml").write_text("rules:\n  threshold: 0.99\n  jump: 0.9\n")
    none = run_cli("actions", "alerts")
    assert none.exit_code == 0 and "need at least two" not in none.stdout
    assert (
        "in none of the 2 forecast runs of incidence, 1 year(s) ahead did a country cross 99%" in none.stdout
    )
    assert "watchlist.yaml" in none.stdout  # the rules were changed by the data folder's file
    changed = run_cli("actions", "gap")
    assert "changed by" in changed.stdout and "threshold, jump" in changed.stdout


def test_show_and_history_say_what_was_decided_and_why(
    two_runs: Settings, run_cli: Callable[..., Any]
) -> None:
    """The decision log on the command line: each decision with its option and reasons, each version's
    reason, the frozen probability, and that a newer run exists while the case keeps its forecast."""
    run_cli("db", "upgrade")
    opened = run_cli(
        "actions", "open", "--from", "alert", "--ref", "forecast-new:432", "--title", "Mali", "-f", "json"
    )
    case = str(json.loads(opened.stdout)["id"])
    run_cli("actions", "option", case, "--instrument", "diplomacy", "--description", "démarche in Bamako")
    run_cli("actions", "status", case, "options")
    run_cli("actions", "decide", case, "--option", "1", "--reasoning", "talks first, sanctions later")
    run_cli("actions", "status", case, "options", "--reason", "the government fell; weigh again")
    shown = run_cli("actions", "show", case).stdout
    assert "alert: crossed 50% (up); jump of +26 points (35% → 61%)" in shown
    assert "MLI: incidence 2024 61%" in shown
    assert "(withdrawn): act with option 1 [diplomacy] by" in shown
    assert "why: talks first, sanctions later" in shown
    assert "newer" not in shown  # forecast-new is still the latest run
    history = run_cli("actions", "history", case).stdout
    assert "status_options" in history and "why: the government fell; weigh again" in history
    assert "decided            os:root  why: talks first, sanctions later" in history

    third_run(two_runs)
    later = run_cli("actions", "show", case).stdout
    assert "MLI: incidence 2024 61%" in later  # the frozen forecast, not forecast-later's 20%
    assert (
        "a newer forecast run exists (forecast-later of 2026-09-01 00:00 UTC, model lgbm-test-2); this case "
        "keeps the forecast it was opened with" in later
    )


def test_an_empty_board_says_what_to_do_next(two_runs: Settings, run_cli: Callable[..., Any]) -> None:
    run_cli("db", "upgrade")
    empty = run_cli("actions", "list").stdout
    assert "no early-action cases yet" in empty and "`gbvs actions alerts`" in empty
    assert "gbvs actions open --from alert --ref RUN_ID:GWCODE" in empty
    none_closed = run_cli("actions", "list", "--status", "closed").stdout
    assert "no early-action cases in status 'closed'; `gbvs actions list` shows them all" in none_closed
