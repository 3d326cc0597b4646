"""The I/O edge: store reading, forecasts file, watchlist, model card and the CLI's clear errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import duckdb
import pytest

from gbvs.config import Settings
from gbvs.errors import InputError, StoreNotBuiltError
from gbvs.forecasting import history, queries, service, specific
from gbvs.forecasting.watchlist import Alert, AlertKind, AlertRules, alerts, load_rules
from gbvs.store.forecasts import ForecastsReader, forecasts_path, open_forecasts


def _reader(settings: Settings) -> ForecastsReader:
    return open_forecasts(forecasts_path(settings))


FIRST_RELEASE_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS runs (
        run_id VARCHAR PRIMARY KEY, kind VARCHAR, created_at TIMESTAMP, unit VARCHAR, model VARCHAR,
        model_version VARCHAR, training_cutoff INTEGER, data_vintage VARCHAR, seed INTEGER,
        config VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS forecasts (
        run_id VARCHAR, unit_key BIGINT, origin INTEGER, target VARCHAR, horizon INTEGER,
        forecast_period INTEGER, p DOUBLE, q05 DOUBLE, q25 DOUBLE, q50 DOUBLE, q75 DOUBLE, q95 DOUBLE,
        families VARCHAR, summary VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS backtest_reports (run_id VARCHAR, report VARCHAR)""",
)
"""The forecasts file's DDL of the first release (copied from GBVS 0.1 ``forecasting/storage.py``)."""


def test_missing_store_is_a_clear_error(settings: Settings, run_cli: Callable) -> None:  # type: ignore[type-arg]
    with pytest.raises(StoreNotBuiltError, match="run `gbvs ingest`"):
        service.forecast(settings)
    result = run_cli("backtest", "--quick")
    assert result.exit_code == 6
    assert "gbvs ingest" in result.stderr


def test_cli_refuses_unknown_target_and_unit(store_settings: Settings, run_cli: Callable) -> None:  # type: ignore[type-arg]
    result = run_cli("forecast", "--targets", "coup")
    assert result.exit_code == 4 and "forecast target 'coup' does not exist" in result.stderr
    result = run_cli("forecast", "--unit", "district-week")
    assert result.exit_code == 4 and "unit of analysis" in result.stderr
    result = run_cli("backtest", "--unit", "grid-month", "--targets", "war")
    assert result.exit_code == 4 and "yearly only" in result.stderr
    result = run_cli("backtest", "--horizons", "0")
    assert result.exit_code == 4 and "horizon 0 is not valid" in result.stderr and "nowcast" in result.stderr
    result = run_cli("backtest", "--unit", "grid-month", "--horizons", "13")
    assert result.exit_code == 4 and "horizon 13 is not valid" in result.stderr


def test_store_without_the_panel_is_a_clear_error(settings: Settings, run_cli: Callable) -> None:  # type: ignore[type-arg]
    settings.data_dir.mkdir(parents=True)
    with duckdb.connect(str(settings.resolved_store_path)) as con:
        con.execute("CREATE TABLE vdem AS SELECT 1 AS gwcode")
    result = run_cli("forecast")
    assert result.exit_code == 6
    assert (
        "geen tabel 'panel_country_year'" in result.stderr and "gbvs ingest" in result.stderr
    )  # Dutch by default


def test_forecast_is_stored_with_provenance_and_is_reproducible(store_settings: Settings) -> None:
    first = service.forecast(store_settings, targets=["incidence"], seed=0)
    second = service.forecast(store_settings, targets=["incidence"], seed=0)
    assert first.training_cutoff == 2020 and first.data_vintage == "panel_country_year=test@2026-01"
    with duckdb.connect(str(forecasts_path(store_settings)), read_only=True) as con:
        runs = con.execute("SELECT count(*) FROM runs").fetchone()
        a = con.execute(
            "SELECT unit_key, horizon, p, families FROM forecasts WHERE run_id = ? ORDER BY 1, 2",
            [first.run_id],
        ).fetchall()
        b = con.execute(
            "SELECT unit_key, horizon, p, families FROM forecasts WHERE run_id = ? ORDER BY 1, 2",
            [second.run_id],
        ).fetchall()
        configs = [json.loads(c) for (c,) in con.execute("SELECT config FROM runs").fetchall()]
    assert runs == (2,)
    assert a == b and len(a) == 24 * 3
    fingerprint = specific.families_fingerprint(service.driver_families())
    assert [c["families"] for c in configs] == [fingerprint, fingerprint], "runs say how they filed features"
    with _reader(store_settings) as forecasts:
        latest = queries.latest_forecasts(forecasts, target="incidence")
        explained = queries.explanation(forecasts, gwcode=100)
    assert latest[0].run.run_id == second.run_id and latest[0].run.training_cutoff == 2020
    assert {f.forecast_period for f in latest} == {2021, 2022, 2023}
    assert explained[0].forecast.summary.startswith("risk ")
    families = {d.family: d for d in explained[0].drivers}
    assert "conflict_history" in families
    assert families["illegitimate_governance"].goals  # V-Dem spaces are linked to the goals addressing them


def test_battle_death_forecast_is_a_distribution_with_its_explanation(store_settings: Settings) -> None:
    run = service.forecast(store_settings, targets=["battle_deaths"], seed=0)
    with duckdb.connect(str(forecasts_path(store_settings)), read_only=True) as con:
        rows = con.execute(
            "SELECT p, q05, q25, q50, q75, q95, families FROM forecasts WHERE run_id = ? ORDER BY unit_key, "
            "horizon",
            [run.run_id],
        ).fetchall()
    assert len(rows) == 24 * 3
    for p, *quantiles, families in rows:
        assert p is None and quantiles == sorted(quantiles) and quantiles[0] >= 0  # ordered, never negative
        assert "conflict_history" in json.loads(families)  # the hurdle's own explanation reaches the store


def test_watchlist_ranks_and_compares_with_previous_run(store_settings: Settings, run_cli: Callable) -> None:  # type: ignore[type-arg]
    service.forecast(store_settings, targets=["incidence"], seed=0)
    service.forecast(store_settings, targets=["incidence"], seed=1)
    with _reader(store_settings) as forecasts:
        board = queries.watchlist(forecasts, rules=load_rules(store_settings.data_dir))
    assert board.previous is not None
    ps = [e.p for e in board.entries]
    assert ps == sorted(ps, reverse=True) and all(e.change is not None for e in board.entries)
    result = run_cli("watchlist", "--format", "csv")
    assert result.exit_code == 0 and result.stdout.splitlines()[0].startswith("rank,rank_change,gwcode,p")
    by_change = run_cli("watchlist", "--by", "change", "--format", "csv").stdout.splitlines()[1:]
    changes = [abs(float(line.split(",")[5])) for line in by_change]
    assert changes == sorted(changes, reverse=True)
    result = run_cli("watchlist", "--region", "atlantis")
    assert result.exit_code == 4 and "focusregio ‘atlantis’" in result.stderr


def test_alert_rules_come_from_config_and_can_be_overridden(tmp_path: Path) -> None:
    shipped = load_rules(None)
    assert shipped.threshold == 0.5
    (tmp_path / "watchlist.yaml").write_text("rules:\n  jump: 0.25\n")
    rules = load_rules(tmp_path)
    assert rules.jump == 0.25 and rules.threshold == shipped.threshold
    custom = AlertRules("incidence", 1, threshold=0.5, jump=0.25, watch_from=0.2)
    assert alerts(0.55, 0.40, custom) == [Alert(AlertKind.crossed_up, threshold=0.5)]
    [jump] = alerts(0.35, 0.05, custom)
    assert jump.kind is AlertKind.jump and jump.change == pytest.approx(0.30)
    assert alerts(0.2, None, custom) == []


def test_an_alert_keeps_the_english_sentence_cases_froze_and_reads_back_from_its_json() -> None:
    """A case's frozen warning keeps an alert as the English sentence of before alerts were structured
    and, since, as its figures (``dataclasses.asdict``), which read back into the same alert."""
    custom = AlertRules("incidence", 1, threshold=0.5, jump=0.1, watch_from=0.2)
    found = alerts(0.62, 0.45, custom) + alerts(0.44, 0.55, custom)
    assert [a.text for a in found] == [
        "crossed 50% (up)",
        "jump of +17 points",
        "crossed 50% (down)",
        "jump of -11 points",
    ]
    assert [Alert.of(json.loads(json.dumps(asdict(a)))) for a in found] == found
    assert Alert.of({"kind": "jump", "change": 0.17}) == Alert(AlertKind.jump, change=0.17)


@pytest.mark.slow
def test_quick_backtest_writes_report_and_model_card(store_settings: Settings, run_cli: Callable) -> None:  # type: ignore[type-arg]
    result = run_cli(
        "backtest", "--quick", "--seeds", "1", "--targets", "incidence", "--targets", "closing_electoral"
    )
    assert result.exit_code == 0, result.stderr
    folder = store_settings.data_dir / "reports" / "backtest-country_year"
    assert {"report.md", "report.json", "reliability_incidence_h1.svg", "modelcard-lgbm.md"} <= {
        p.name for p in folder.iterdir()
    }
    assert "time features" in result.stdout
    card = run_cli("modelcard", "--model", "lgbm", "--lang", "en")
    assert card.exit_code == 0 and "Known limits" in card.stdout and "| incidence | 1 | all |" in card.stdout
    # the goals in the reader's words; a quick run has no intervals
    assert "| armed conflict, 1 year ahead, all country-years: Average precision | " in card.stdout
    assert "| ≥ 0.92 | " in card.stdout and "How sure" not in card.stdout
    with _reader(store_settings) as forecasts:
        assert queries.backtest_metrics(forecasts).provenance["model_version"].startswith("gbvs-")
        run = forecasts.runs("backtest", "country-year")[0]
        kept = forecasts.forecast_rows(run.run_id)  # the main model's out-of-sample forecasts (issue 12)
        unit = int(kept["unit_key"].iloc[0])
        past = history.past_forecasts(forecasts, unit_key=unit)
    assert set(kept["target"]) == {"incidence", "closing_electoral"} and kept["p"].between(0, 1).all()
    assert (kept["forecast_period"] == kept["origin"] + kept["horizon"]).all()
    assert past and {p.source for p in past} == {history.BACKTEST} and past[0].run.run_id == run.run_id


def test_live_forecast_is_the_mean_over_seeds_with_its_spread(store_settings: Settings) -> None:
    summary = service.forecast(store_settings, targets=["incidence"], seed=0, seeds=3)
    assert summary.seeds == [0, 1, 2]
    with duckdb.connect(str(forecasts_path(store_settings)), read_only=True) as con:
        rows = con.execute(
            "SELECT p, p_min, p_max, p_sd FROM forecasts WHERE run_id = ?", [summary.run_id]
        ).fetchall()
    assert rows and all(lo - 1e-12 <= p <= hi + 1e-12 and sd >= 0 for p, lo, hi, sd in rows)
    assert any(hi > lo for _, lo, hi, _ in rows)  # the seeds do differ somewhere: the spread is real
    with _reader(store_settings) as forecasts:
        latest = queries.latest_forecasts(forecasts, target="incidence")
    assert all(f.p_range is not None and f.p_range[0] <= (f.p or 0) + 1e-12 for f in latest)
    with pytest.raises(InputError, match="number of seeds 0"):
        service.forecast(store_settings, targets=["incidence"], seeds=0)


def test_a_model_the_same_at_every_seed_is_fitted_once_and_has_no_spread(store_settings: Settings) -> None:
    summary = service.forecast(store_settings, targets=["closing_electoral"], seeds=3)
    with duckdb.connect(str(forecasts_path(store_settings)), read_only=True) as con:
        rows = con.execute(
            "SELECT p, p_min, p_max, p_sd FROM forecasts WHERE run_id = ?", [summary.run_id]
        ).fetchall()
    assert rows and all(p is not None and (lo, hi, sd) == (None, None, None) for p, lo, hi, sd in rows)


def test_forecasts_file_from_before_the_spread_columns_still_reads(store_settings: Settings) -> None:
    path = forecasts_path(store_settings)
    with duckdb.connect(str(path)) as con:  # the schema of the first release, without p_min/p_max/p_sd
        for statement in FIRST_RELEASE_SCHEMA:
            con.execute(statement)
    service.forecast(store_settings, targets=["incidence"], seeds=1)
    with _reader(store_settings) as forecasts:
        latest = queries.latest_forecasts(forecasts, target="incidence")
    assert latest and all(f.p_sd == 0.0 for f in latest)
