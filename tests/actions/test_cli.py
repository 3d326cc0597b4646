"""``gbvs actions`` end to end on the default SQLite database, as the OS owner of the data folder."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import update

from gbvs.config import Settings
from gbvs.db.action_models import ActionDecision
from gbvs.db.session import make_engine
from gbvs.db.testing import append_only_lifted

from .conftest import third_run

REPO_ROOT = Path(__file__).resolve().parents[2]


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
    assert too_early.exit_code == 4 and "(het besluit)" in too_early.stderr
    engine = make_engine(two_runs)
    # decided in 2019, so that a follow-up in 2020 is overdue (as the owner, around the guard)
    with engine.begin() as connection, append_only_lifted(connection, "action_decision"):
        connection.execute(update(ActionDecision).values(decided_at=datetime(2019, 12, 1, tzinfo=UTC)))
    engine.dispose()
    assert run_cli("actions", "follow-up", case, "--due", "2020-01-01").exit_code == 0
    board = run_cli("actions", "list", "--lang", "en")
    assert "Follow-up overdue by" in board.stdout and "decided" in board.stdout
    shown = json.loads(run_cli("actions", "show", case, "-f", "json").stdout)
    assert shown["warning"]["run"]["model_version"] == "lgbm-test-1"
    gap = json.loads(run_cli("actions", "gap", "-f", "json").stdout)
    assert [(r["region"], r["alerts"], r["unanswered"]) for r in gap["regions"]][-1] == ("all", 2, 1)


def test_bad_values_are_named_without_a_traceback(two_runs: Settings, run_cli: Callable[..., Any]) -> None:
    run_cli("db", "upgrade")
    wrong_status = run_cli("actions", "list", "--status", "finished")
    assert wrong_status.exit_code == 4 and wrong_status.stderr == (
        "fout: Status ‘finished’ bestaat niet. Kies uit: open, options, decided, follow_up, closed\n"
    )
    no_alert = run_cli("actions", "open", "--from", "alert", "--ref", "forecast-old:652", "--title", "x")
    assert no_alert.exit_code == 5 and no_alert.stderr.startswith(
        "fout: Voorspellingsrun ‘forecast-old’ gaf geen signalering voor SYR (gwcode 652). "
        "`gbvs actions alerts` toont de signaleringen die er zijn"
    ), no_alert.stderr
    in_english = run_cli("actions", "list", "--status", "finished", "--lang", "en")
    assert "error: unknown status 'finished'; use one of: open, options" in in_english.stderr
    bad_date = run_cli("actions", "follow-up", "1", "--due", "tomorrow", "--lang", "en")
    assert bad_date.exit_code == 4 and "YYYY-MM-DD" in bad_date.stderr
    missing = run_cli("actions", "show", "99", "--lang", "en")
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
        unknown.exit_code == 4
        and "'Narnia' is geen ISO3-code, Gleditsch-Ward-code of Nederlandse of Engelse landnaam"
        in unknown.stderr
    )


def test_the_alerts_and_the_gap_say_what_is_true(two_runs: Settings, run_cli: Callable[..., Any]) -> None:
    run_cli("db", "upgrade")
    gap = run_cli("actions", "gap", "--lang", "en")
    assert gap.exit_code == 0
    assert "2 forecast runs stored, the first on 1 January 2026; 2 alerts." in gap.stdout
    assert "Forecast run forecast-new of 1 June 2026" in gap.stdout
    assert "model lgbm-test-1, training cutoff 2023" in gap.stdout
    assert "rules GBVS ships with (watchlist.yaml)" in gap.stdout and "  unknown" in gap.stdout
    (two_runs.data_dir / "watchlist.yaml").write_text("rules:\n  threshold: 0.99\n  jump: 0.9\n")
    none = run_cli("actions", "alerts", "--lang", "en")
    assert none.exit_code == 0 and "need at least two" not in none.stdout
    assert (
        "in none of the 2 forecast runs of armed conflict, 1 year ahead did a country cross 99%"
        in none.stdout
    )
    assert "watchlist.yaml" in none.stdout  # the rules were changed by the data folder's file
    changed = run_cli("actions", "gap", "--lang", "en")
    assert "changes the shipped rules: threshold, jump" in changed.stdout


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
    shown = run_cli("actions", "show", case, "--lang", "en").stdout
    assert "Alert: crossed 50% (up); jump of +26 percentage points (35% → 61%)" in shown
    assert "Frozen forecast for Mali: armed conflict 2024: 61%" in shown
    assert "Decision 1 (withdrawn): Act with option 1 (diplomacy: démarche in Bamako), by os:root" in shown
    assert "reasons: talks first, sanctions later" in shown
    assert "newer" not in shown  # forecast-new is still the latest run
    history = run_cli("actions", "history", case, "--lang", "en").stdout
    assert "moved to options" in history and "reasons: the government fell; weigh again" in history
    assert "decision recorded        os:root  reasons: talks first, sanctions later" in history

    third_run(two_runs)
    later = run_cli("actions", "show", case, "--lang", "en").stdout
    assert "Mali: armed conflict 2024: 61%" in later  # the frozen forecast, not forecast-later's 20%
    assert "a newer forecast run exists (forecast-later of 1 September 2026 " in later
    assert "model lgbm-test-2); this case keeps the forecast it was opened with" in later


def test_an_empty_board_says_what_to_do_next(two_runs: Settings, run_cli: Callable[..., Any]) -> None:
    run_cli("db", "upgrade")
    empty = run_cli("actions", "list", "--lang", "en").stdout
    assert "no early-action cases yet" in empty and "`gbvs actions alerts`" in empty
    assert "gbvs actions open --from alert --ref RUN_ID:GWCODE" in empty
    none_closed = run_cli("actions", "list", "--status", "closed").stdout
    assert (
        "geen dossiers vroege actie met de status ‘gesloten’; `gbvs actions list` toont ze allemaal"
        in none_closed
    )


def test_every_actions_command_speaks_dutch_by_default_and_english_with_lang_en(
    two_runs: Settings, run_cli: Callable[..., Any]
) -> None:
    """`gbvs actions` spoke English only, with codes (MLI, status_options, diplomacy) and ISO dates, while
    `gbvs signals` speaks Dutch by default: now names, Dutch words and dates, and English with --lang en."""
    run_cli("db", "upgrade")
    opened = run_cli(
        "actions",
        "open",
        "--from",
        "alert",
        "--ref",
        "forecast-new:432",
        "--title",
        "Mali",
        "--country",
        "SYR",
    )
    assert opened.stdout == "dossier vroege actie 1 geopend\n", opened.stderr
    said = run_cli(
        "actions", "option", "1", "--instrument", "diplomacy", "--description", "démarche", "-l", "en"
    )
    assert said.stdout == "option 1 added to case 1\n", said.stderr
    assert run_cli("actions", "status", "1", "options").stdout == "dossier 1 heeft nu de status ‘opties’\n"
    decided = run_cli("actions", "decide", "1", "--option", "1", "--reasoning", "eerst praten")
    assert decided.stdout == "besluit 1 vastgelegd in dossier 1\n", decided.stderr
    board = run_cli("actions", "list").stdout
    assert "besloten" in board and "Mali, Syrië" in board and "MLI" not in board
    assert "Mali, Syria" in run_cli("actions", "list", "--lang", "en").stdout
    shown = run_cli("actions", "show", "1").stdout
    assert "Geopend vanuit: signalering van de aandachtslijst forecast-new:432" in shown
    assert "Besluit 1: Handelen met optie 1 (" in shown and "redenen: eerst praten" in shown
    assert "Signalering: " in shown and "sprong van" in shown
    english = run_cli("actions", "show", "1", "--lang", "en").stdout
    assert (
        "Opened from: watchlist alert forecast-new:432" in english
        and "Decision 1: Act with option 1" in english
    )
    history = run_cli("actions", "history", "1").stdout
    assert "naar opties" in history and "status_options" not in history
    assert "moved to options" in run_cli("actions", "history", "1", "-l", "en").stdout
    wrong = run_cli("actions", "follow-up", "1", "--due", "morgen")
    assert wrong.exit_code == 4 and "--due 'morgen' is geen datum; schrijf die als JJJJ-MM-DD" in wrong.stderr
    gap = run_cli("actions", "gap").stdout
    assert gap.startswith("2 voorspelruns opgeslagen, de eerste op 1 januari 2026; 2 signaleringen.\n"), gap
    assert "Alle signaleringen" in gap and "Geldende signaleringsregels: " in gap
    assert (
        "2 forecast runs stored, the first on 1 January 2026; 2 alerts."
        in run_cli("actions", "gap", "-l", "en").stdout
    )
    alerts = run_cli("actions", "alerts").stdout
    assert "forecast-new:432" in alerts and "Mali" in alerts and "gepasseerd" not in alerts


def test_the_readmes_early_action_commands_run_as_written(
    two_runs: Settings, run_cli: Callable[..., Any]
) -> None:
    """The README's walk from an alert to a decision, line by line as a user copies it (only the run id
    and the coordinator's token filled in; the lines that need a signal case or a second case left out):
    its ``actions decide`` lacked ``--reasoning``, which every decision needs, so it was refused."""
    assert run_cli("db", "upgrade").exit_code == 0
    block = (REPO_ROOT / "README.md").read_text(encoding="utf-8").split("### Early action (goal 1)")[1]
    lines = [line.split("  #")[0] for line in block.split("```")[1].splitlines() if "gbvs actions" in line]
    assert len(lines) == 10, lines
    for line in lines:
        args = shlex.split(line.split(".venv/bin/gbvs ", 1)[1].replace("forecast-...:", "forecast-new:"))
        if args[:2] == ["actions", "share"] or "signal-case" in args:
            continue
        if "--as" in args:  # the coordinator's token stands for the OS owner here
            del args[args.index("--as") : args.index("--as") + 2]
        result = run_cli(*args)
        assert result.exit_code == 0, (line, result.stderr)
    assert "besloten" in run_cli("actions", "show", "1").stdout
