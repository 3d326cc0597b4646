"""Issue 12 (the analyst's morning), fixes 8, 10 and 11 on the forecasting commands: --lang with Dutch
by default, choices as usage errors (exit 2), a watchlist that says when it truncates, modelcard
--format json, case-insensitive region ids, and progress per fold and target."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from rich.console import Console

from gbvs.cli.progress import bars_wanted, step_bars
from gbvs.config import Settings
from gbvs.forecasting import service
from gbvs.forecasting.backtest import BacktestPlan, run_backtest
from gbvs.forecasting.domain import TARGETS, UNIT_SPECS, Unit

Run = Callable[..., Any]


def test_watchlist_is_dutch_by_default_and_says_when_it_truncates(
    store_settings: Settings, run_cli: Run
) -> None:
    service.forecast(store_settings, targets=["incidence"], seed=0)
    dutch = run_cli("watchlist", "--limit", "5")
    assert dutch.exit_code == 0, dutch.stderr
    lines = dutch.stdout.splitlines()
    assert lines[0].startswith("aandachtslijst gewapend conflict, 1 jaar vooruit")
    total = len(json.loads(run_cli("watchlist", "--format", "json").stdout)["entries"])
    assert len(lines) == 1 + 5 + 1 and total > 5
    assert lines[-1] == (
        f"5 van {total} landen getoond; --limit N toont meer, --format csv of json toont alle"
    )
    english = run_cli("watchlist", "--lang", "EN", "--limit", "5").stdout.splitlines()
    assert english[0].startswith("watchlist armed conflict, 1 year(s) ahead")
    assert english[-1].startswith(f"5 of {total} countries shown")
    assert "Compared with the median country" in " ".join(english)  # what sets each country apart
    assert "mediane land" in " ".join(lines)  # the explanation in Dutch, from the stored contributions


def test_watchlist_choices_are_usage_errors_and_regions_any_case(
    store_settings: Settings, run_cli: Run
) -> None:
    service.forecast(store_settings, targets=["incidence"], seed=0)
    for wrong in (["--format", "xml"], ["--by", "name"], ["--lang", "fr"]):
        result = run_cli("watchlist", *wrong)
        assert result.exit_code == 2, (wrong, result.stderr)
        assert wrong[1] in result.stderr
    lower = run_cli("watchlist", "--region", "sahel", "--format", "json")
    assert lower.exit_code == 0, lower.stderr
    assert run_cli("watchlist", "--region", "Sahel", "--format", "json").stdout == lower.stdout
    assert json.loads(lower.stdout)["region"] == "sahel"


def test_modelcard_in_dutch_by_default_in_english_and_as_json(settings: Settings, run_cli: Run) -> None:
    dutch = run_cli("modelcard")
    assert dutch.exit_code == 0, dutch.stderr
    assert dutch.stdout.startswith("# Modelkaart: lgbm") and "## Bekende beperkingen" in dutch.stdout
    assert "Gevechtsdoden beginnen in 1989" in dutch.stdout
    assert "Sinds v3.9 publiceren de classificatiemodellen" in dutch.stdout
    english = run_cli("modelcard", "--lang", "en").stdout
    assert english.startswith("# Model card: lgbm") and "## Known limits" in english
    data = json.loads(run_cli("modelcard", "--format", "json").stdout)
    assert data["model"] == "lgbm" and data["backtest_stored"] is False and len(data["limits"]) >= 5
    assert {t["name"] for t in data["targets"]} >= {"incidence", "war", "battle_deaths"}
    assert run_cli("modelcard", "--model", "forest").exit_code == 2


def test_backtest_reports_each_fold_of_each_target_group(country_year_panel: pd.DataFrame) -> None:
    seen: list[tuple[str, int, int]] = []
    plan = BacktestPlan(
        UNIT_SPECS[Unit.country_year],
        (TARGETS["incidence"],),
        2016,
        2018,
        seeds=(0,),
        horizons=(1,),
        fast=True,
    )
    run_backtest(country_year_panel, plan, None, steps=lambda *event: seen.append(event))
    assert seen == [("incidence", 1, 3), ("incidence", 2, 3), ("incidence", 3, 3)]


def test_progress_bars_only_for_people_at_a_terminal() -> None:
    terminal = Console(file=io.StringIO(), force_terminal=True, width=80)
    pipe = Console(file=io.StringIO(), force_terminal=False)
    assert bars_wanted(terminal, json_output=False)
    assert not bars_wanted(terminal, json_output=True) and not bars_wanted(pipe, json_output=False)
    with step_bars("backtest:", False, terminal) as steps:
        assert steps is not None
        steps("incidence, war", 2, 5)
    assert "backtest: incidence, war" in terminal.file.getvalue()  # type: ignore[attr-defined]
    with step_bars("backtest:", False, pipe) as off:
        assert off is None


def test_the_watchlist_writes_its_numbers_the_way_of_its_language() -> None:
    """A probability and a fall since the last run as the overview page writes them: whole percentages
    (the page's rounding), and a real minus sign ("−5", not "-5") in both languages."""
    from gbvs.cli.forecast import watchlist_lines
    from gbvs.forecasting.queries import RunInfo, Watchlist, WatchlistEntry
    from gbvs.forecasting.watchlist import load_rules

    run = RunInfo("run-2", "2026-12-01", "country_year", "lgbm-test", 2023, "2026-11", 0)
    entry = WatchlistEntry(652, 0.1234, 0.1754, -0.052, 1, "", [], "", rank_change=1)
    result = Watchlist([entry], load_rules(), run, run)
    dutch, english = (watchlist_lines(result, lang, 5)[1] for lang in ("nl", "en"))
    assert dutch.startswith("  1  652 Syrië") and " 12% (\u22125 punten)" in dutch
    assert english.startswith("  1  652 Syria") and " 12% (\u22125 pts)" in english


def test_the_watchlist_words_its_alerts_in_its_language_and_keeps_them_machine_readable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The alerts were stored English sentences in every output: the text list worded them, but the json
    and csv printed "jump of +12 points" also for a Dutch reader."""
    from gbvs.cli.forecast import _print_watchlist_csv, watchlist_json, watchlist_lines
    from gbvs.forecasting.queries import RunInfo, Watchlist, WatchlistEntry, as_dict
    from gbvs.forecasting.watchlist import Alert, AlertKind, load_rules

    run = RunInfo("run-2", "2026-12-01", "country_year", "lgbm-test", 2023, "2026-11", 0)
    raised = [Alert(AlertKind.crossed_up, threshold=0.5), Alert(AlertKind.jump, change=0.12)]
    entry = WatchlistEntry(652, 0.62, 0.5, 0.12, 1, "alert", raised, "", rank_change=1)
    result = Watchlist([entry], load_rules(), run, run)
    dutch = "drempel 50% overschreden (omhoog); sprong van +12 procentpunten"
    assert dutch in watchlist_lines(result, "nl", 5)[1]
    [row] = watchlist_json(as_dict(result), "nl")["entries"]
    assert "; ".join(row["alerts"]) == dutch
    assert row["alert_details"][1]["kind"] == "jump" and row["alert_details"][1]["change"] == pytest.approx(
        0.12
    )
    assert watchlist_json(as_dict(result), "en")["entries"][0]["alerts"][1] == "jump of +12 percentage points"
    _print_watchlist_csv(result, "nl")
    [line] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert line["alerts"] == dutch and line["alert_kinds"] == "crossed_up; jump"


def test_forecast_names_the_data_vintage_it_was_made_from(store_settings: Settings, run_cli: Run) -> None:
    """The run's line named its id, cutoff and model version but not the data it was made from."""
    result = run_cli("forecast", "--targets", "incidence", "--seeds", "1")
    assert result.exit_code == 0, result.stderr
    assert "voorspellingen, trainingsgrens " in result.stdout  # Dutch by default, as every command
    assert ", seed 0, gegevens panel_country_year=test@2026-01" in result.stdout
    english = run_cli("forecast", "--targets", "incidence", "--seeds", "2", "--lang", "en").stdout
    assert "forecasts, training cutoff " in english
    assert ", mean over seeds 0-1, data panel_country_year=test@2026-01" in english
