"""The stored backtest report reads back as a typed ``BacktestReport`` (issue 9), for every reader."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from gbvs.config import Settings
from gbvs.errors import NoForecastRunError
from gbvs.forecasting.evaluation import space_reliability
from gbvs.forecasting.metrics import reliability
from gbvs.forecasting.modelcard import model_card
from gbvs.forecasting.queries import BacktestReport, backtest_metrics
from gbvs.forecasting.report import ReportInput, write_report
from gbvs.reports.sources import LoadedData, load_backtest
from gbvs.store.forecasts import StoredRun, forecasts_path, open_forecasts, writing_forecasts

DOCUMENT: dict[str, Any] = {
    "title": "Rolling backtest 2010-2019",
    "provenance": {"model_version": "gbvs-test", "data_vintage": "panel_country_year 2023"},
    "goals": [{"goal": "incidence h1: ap", "value": 0.81, "target": ">= 0.8", "met": True}],
    "scores": [
        {"model": "lgbm", "target": "incidence", "horizon": 1, "subset": "all", "ap_mean": 0.81, "n": 1700}
    ],
    "demspaces_comparison": [],
    "reliability": {"lgbm": {"predicted": [0.1], "observed": [0.12], "count": [900]}},
    "extra": {},
    "timings": {"total": 1.5},
    "notes": ["one seed"],
    "charts": [],
}


def _store(path: Path, document: dict[str, Any]) -> None:
    run = StoredRun(
        run_id="backtest-1",
        kind="backtest",
        created_at=datetime(2026, 1, 2, 3, 4, 5),
        unit="country-year",
        model="all",
        model_version="gbvs-test",
        training_cutoff=None,
        data_vintage="panel_country_year 2023",
        seed=None,
        config=json.dumps({"title": document.get("title")}),
    )
    with writing_forecasts(path) as forecasts:
        forecasts.add_run(run)
        forecasts.add_backtest_report(run.run_id, json.dumps(document))


def test_the_report_is_typed_and_keeps_its_document(settings: Settings) -> None:
    _store(forecasts_path(settings), DOCUMENT)
    with open_forecasts(forecasts_path(settings)) as forecasts:
        report = backtest_metrics(forecasts)
    assert isinstance(report, BacktestReport)
    assert report.run.run_id == "backtest-1" and report.run.model_version == "gbvs-test"
    assert report.title == DOCUMENT["title"] and report.goals[0]["met"] is True
    assert report.scores[0]["ap_mean"] == 0.81 and report.notes == ["one seed"]
    assert report.as_dict() == {"run": report.as_dict()["run"], **DOCUMENT}
    assert report.as_dict()["run"]["created_at"] == "2026-01-02 03:04:05"


def test_an_older_report_without_some_keys_reads_with_empty_ones(settings: Settings) -> None:
    _store(forecasts_path(settings), {"title": "old", "scores": []})
    with open_forecasts(forecasts_path(settings)) as forecasts:
        report = backtest_metrics(forecasts)
    assert (report.goals, report.reliability, report.notes, report.provenance) == ([], {}, [], {})
    assert report.reliability_spaces == {}


def test_no_backtest_is_the_typed_error_naming_the_command(settings: Settings) -> None:
    _store(forecasts_path(settings), DOCUMENT)
    with (
        open_forecasts(forecasts_path(settings)) as forecasts,
        pytest.raises(NoForecastRunError, match="gbvs backtest"),
    ):
        backtest_metrics(forecasts, unit="country-month")


def test_the_progress_report_and_the_model_card_read_the_typed_report(settings: Settings) -> None:
    _store(forecasts_path(settings), DOCUMENT)
    loaded = LoadedData()
    load_backtest(settings, loaded)
    assert loaded.backtest_run is not None and loaded.backtest_run["run_id"] == "backtest-1"
    assert loaded.backtest_goals == [DOCUMENT["goals"][0]]
    assert loaded.frames["backtest"]["scores"] == DOCUMENT["scores"]
    with open_forecasts(forecasts_path(settings)) as forecasts:
        report = backtest_metrics(forecasts)
    card = model_card("lgbm", report.as_dict())
    assert "| incidence | 1 | all | 0.810 | n/a | n/a | n/a |" in card
    assert "no backtest stored yet" in model_card("lgbm", None)


def test_the_main_models_card_gives_its_goals_with_their_intervals() -> None:
    goals = [
        {"goal": "incidence h1, onset subset: ap", "value": 0.289, "target": ">= 0.3", "met": False,
         "interval_of": "value", "low": 0.159, "high": 0.482, "sampling": "undecided"},
        {"goal": "battle_deaths h1, all rows: crps vs persistence", "value": 322.2, "met": True,
         "target": "< persistence (385.9)", "interval_of": "difference", "low": -293.4, "high": 33.6,
         "sampling": "undecided",
         "rests_on": [{"left_out": "country", "unit": 530, "value": 13.04, "value_of": "difference",
                       "met": False},
                      {"left_out": "origin", "unit": 2022, "value": -40.2, "value_of": "difference",
                       "met": True}]},
        {"goal": "incidence h1, all rows: brier", "value": 0.03871, "target": "<= 0.039", "met": True,
         "interval_of": "value", "low": 0.02721, "high": 0.05183, "sampling": "undecided"},
        {"goal": "opening (pooled 6 spaces): ap", "value": 0.344, "target": ">= 0.57", "met": False,
         "interval_of": "value", "low": 0.282, "high": 0.411, "sampling": "missed"},
    ]  # fmt: skip
    method = {"level": 0.95, "resamples": 1000, "resampled": ["country", "origin"]}
    card = model_card("lgbm", {**DOCUMENT, "goals": goals, "interval_method": method})
    assert "## Goals and how sure each figure is" in card
    assert "| incidence h1, onset subset: ap | 0.289 | >= 0.3 | no | 0.159 – 0.482 | undecided: " in card
    assert "| yes | difference -293.400 – +33.600 | undecided: the interval crosses the line |" in card
    assert "| 0.282 – 0.411 | missed, also at both ends of the interval |" in card
    assert "| 0.0387 | <= 0.039 | yes | 0.0272 – 0.0518 |" in card  # the decimal the goal turns on
    assert "on 1,000 samples that draw the countries and, separately, the forecast years" in card
    assert "drawn in runs of" not in card  # a report that drew each year on its own
    runs = model_card(
        "lgbm", {**DOCUMENT, "goals": goals, "interval_method": {**method, "space_origin_block": 2}}
    )
    assert "for the spaces the forecast years are drawn in runs of 2 consecutive years" in runs
    older = model_card("lgbm", {**DOCUMENT, "goals": goals, "interval_method": {"resampled": "country"}})
    assert "samples of the countries, drawn with replacement, each with all its years" in older
    assert "| Goal | Left out | Figure without it | Verdict without it |" in card  # what a verdict rests on
    assert "| without Ethiopia | difference +13.040 | no longer met |" in card
    assert "| without the forecasts made in 2022 | difference -40.200 | still met |" in card
    assert "What does a verdict rest on?" in card
    comparison = {"goal": "incidence h1, onset subset: ap vs history_logit", "value": 0.2891, "met": True,
                  "target": ">= history_logit (0.2391)", "interval_of": "difference", "low": 0.0112,
                  "high": 0.0954, "sampling": "met"}  # fmt: skip
    gained = model_card("lgbm", {**DOCUMENT, "goals": goals, "comparisons": [comparison]})
    assert "| Gain over the conflict-history baseline | Value | Threshold | Met |" in gained
    assert "| 0.289 | >= history_logit (0.2391) | yes | difference +0.0112 – +0.0954 | met, also at" in gained
    assert "Does the model add anything" in gained and "Does the model add anything" not in card
    quick = model_card("lgbm", DOCUMENT)  # a goal without an interval: a dash, and no method
    assert "| incidence h1: ap | 0.810 | >= 0.8 | yes | – | – |" in quick and "How sure" not in quick
    assert "Left out" not in quick
    assert "## Goals" not in model_card("persistence", {**DOCUMENT, "goals": goals})  # the main model's


def _space_rows() -> pd.DataFrame:
    rows = [  # (target, seed, y, p): two spaces closing at two seeds, incidence beside them
        ("closing_electoral", 0, 1, 0.92),
        ("closing_electoral", 0, 0, 0.04),
        ("closing_economic", 0, 1, 0.97),
        ("closing_electoral", 1, 0, 0.55),
        ("incidence", 0, 0, 0.93),
    ]
    return pd.DataFrame(
        [
            {"model": "lgbm", "target": t, "horizon": 2, "kind": "binary", "seed": s, "y": y, "p": p}
            for t, s, y, p in rows
        ]
    )


def test_space_reliability_pools_the_spaces_of_a_direction_at_the_first_seed() -> None:
    curves = space_reliability(_space_rows())
    assert set(curves) == {"closing"}  # no opening rows, no opening curve
    closing = curves["closing"]["lgbm"]
    assert closing == reliability(np.array([1, 0, 1]), np.array([0.92, 0.04, 0.97]))
    assert sum(closing["count"]) == 3 and closing["observed"] == [0.0, 1.0]


def test_the_report_keeps_the_space_curves_and_draws_them(tmp_path: Path, settings: Settings) -> None:
    curves = space_reliability(_space_rows())
    data = ReportInput(
        title="spaces",
        scores=pd.DataFrame(
            [
                {
                    "model": "lgbm",
                    "target": "closing_electoral",
                    "horizon": 2,
                    "subset": "all",
                    "ap_mean": 0.9,
                    "ap_std": 0.0,
                    "n": 3,
                    "positives": 2,
                    "seeds": 1,
                }
            ]
        ),
        demspaces=pd.DataFrame(),
        curves={},
        timings={},
        provenance={"unit": "grid-month"},
        notes=[],
        extra_sections=[],
        space_curves=curves,
    )
    payload = write_report(data, tmp_path)
    assert payload["reliability_spaces"] == curves
    assert "reliability_closing.svg" in payload["charts"] and (tmp_path / "reliability_closing.svg").exists()
    assert not (tmp_path / "reliability_opening.svg").exists()
    _store(forecasts_path(settings), json.loads((tmp_path / "report.json").read_text()))
    with open_forecasts(forecasts_path(settings)) as forecasts:
        assert backtest_metrics(forecasts).reliability_spaces == curves
