"""A live displacement forecast reuses a stored validation (model or baseline) made for the same data
vintage, model version, configuration and origin, says so in its provenance, and publishes the same rows
as a fresh validation; any difference in those, or ``--revalidate``, makes a new validation."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

import pandas as pd
import pytest

from gbvs.config import Settings
from gbvs.forecasting.displacement.selection import (
    Selection,
    Validation,
    ValidationKey,
    reusable_validation,
    validation_of,
)
from gbvs.store.forecasts import StoredRun, forecasts_path, open_forecasts

KEY = ValidationKey("gbvs-0.1.0/displacement-lgbm-v6", "panel=1@2025", 2023, ("asylum_nl",), (1, 2), (0,))
CHOSEN = tuple(
    Selection(
        "asylum_nl",
        h,
        2023,
        "last_value_spread",
        (2021, 2022, 2023),
        {"lgbm": 60.0 + h, "last_value_spread": 50.0},
    )
    for h in (1, 2)
)


def _run(run_id: str, key: ValidationKey = KEY, made_in: str | None = None, **columns: Any) -> StoredRun:
    """A stored live run whose config keeps a validation for ``key`` made in run ``made_in`` (itself)."""
    validation = Validation(key, made_in or run_id, datetime(2026, 12, 1, 9, 30), CHOSEN)
    config = {"selection": [s.as_dict() for s in CHOSEN], "validation": validation.as_config()}
    run = StoredRun(
        run_id, "forecast", datetime(2026, 12, 1, 9, 30), "origin-year", "lgbm", key.model_version,
        key.origin, key.data_vintage, 0, json.dumps(config),
    )  # fmt: skip
    return replace(run, **columns)


def test_a_validation_reads_back_from_a_run_s_config_and_is_found_for_its_own_key() -> None:
    found = reusable_validation([_run("displacement-a")], KEY)
    assert found == Validation(KEY, "displacement-a", datetime(2026, 12, 1, 9, 30), CHOSEN)
    # a run that reused it still points to the run that made it
    assert (
        reusable_validation([_run("displacement-b", made_in="displacement-a")], KEY).run_id
        == "displacement-a"
    )


@pytest.mark.parametrize(
    "changed",
    [
        {"model_version": "gbvs-0.1.0/displacement-lgbm-v7"},
        {"data_vintage": "panel=2@2026"},
        {"origin": 2024},
        {"seeds": (0, 1, 2)},
        {"targets": ("asylum_nl", "new_displacement")},
        {"inner_years": 4},
    ],
)
def test_any_difference_in_version_vintage_origin_or_configuration_is_not_reused(
    changed: dict[str, Any],
) -> None:
    wanted = replace(KEY, **changed)
    assert reusable_validation([_run("displacement-a")], wanted) is None
    # nor when only the run's own columns differ from the key it kept
    assert reusable_validation([_run("displacement-a", data_vintage="panel=2@2026")], KEY) is None


def test_a_run_made_before_validations_were_kept_with_their_key_is_not_reused() -> None:
    old = replace(_run("displacement-old"), config=json.dumps({"selection": [s.as_dict() for s in CHOSEN]}))
    assert validation_of(old) is None and reusable_validation([old], KEY) is None


def _forecast(settings: Settings, inputs: Any, **options: Any) -> tuple[Any, dict[str, Any], pd.DataFrame]:
    """One live run on ``inputs`` (asylum applications, one seed): its summary, config and rows."""
    from gbvs.forecasting.displacement.service import forecast_inputs

    summary = forecast_inputs(settings, inputs, ["asylum_nl"], 1, **options)
    with open_forecasts(forecasts_path(settings)) as forecasts:
        (run,) = [r for r in forecasts.runs("forecast", "origin-year") if r.run_id == summary.run_id]
        rows = forecasts.forecast_rows(run.run_id).drop(columns="run_id")
    return summary, json.loads(run.config), rows


@pytest.mark.slow
def test_a_second_run_on_the_same_inputs_reuses_the_validation_and_publishes_the_same_rows(
    settings: Settings, country_year_panel: pd.DataFrame
) -> None:
    from tests.forecasting.test_displacement import with_displacement

    from gbvs.forecasting.displacement.service import DisplacementInputs

    inputs = DisplacementInputs(
        with_displacement(country_year_panel), None, "panel_displacement=1@2025-06-01"
    )
    first, first_config, first_rows = _forecast(settings, inputs)
    assert first.reused_from is None and first_config["validation"]["run_id"] == first.run_id

    second, second_config, second_rows = _forecast(settings, inputs)
    made = {"run_id": first.run_id, "created_at": first_config["validation"]["created_at"]}
    assert second.reused_from == made
    assert second_config["validation"] == first_config["validation"]  # provenance: which run, which date
    assert second_config["selection"] == first_config["selection"]
    pd.testing.assert_frame_equal(second_rows, first_rows)

    fresh, fresh_config, fresh_rows = _forecast(settings, inputs, revalidate=True)
    assert fresh.reused_from is None and fresh_config["validation"]["run_id"] == fresh.run_id
    assert fresh_config["selection"] == first_config["selection"]
    pd.testing.assert_frame_equal(fresh_rows, second_rows)  # the reused choice is the fresh one's


def test_the_text_output_says_where_the_validation_comes_from() -> None:
    from gbvs.cli.displacement import forecast_lines
    from gbvs.forecasting.displacement.service import DisplacementForecastSummary

    made = {"run_id": "displacement-a", "created_at": "2026-12-01T09:30:00"}
    summary = DisplacementForecastSummary(
        "displacement-b", 2023, 10, KEY.model_version, KEY.data_vintage, [0], [], [],
        [s.as_dict() for s in CHOSEN], made,
    )  # fmt: skip
    assert forecast_lines(summary, "nl")[-1] == (
        "De validatie is niet opnieuw gedaan: het is die van run displacement-a van 1 december 2026 "
        "10:30 CET, gedaan voor dezelfde peildatum, modelversie, configuratie en hetzelfde startjaar."
    )
    assert forecast_lines(replace(summary, reused_from=None), "en")[-1] == (
        "The validation was made in this run (displacement-b); a later run with the same data vintage, model "
        "version, configuration and origin reuses it."
    )


def test_the_ranking_says_which_run_made_the_validation_it_publishes() -> None:
    from gbvs.forecasting.displacement.views import RankingView

    reusing = RankingView(_run("displacement-b", made_in="displacement-a"), 1, [], selections=CHOSEN)
    assert reusing.selection_lines()[-1].startswith(
        "The validation was not made again: it is that of run displacement-a of 1 December 2026"
    )
    own = RankingView(_run("displacement-a"), 1, [], selections=CHOSEN)
    assert own.selection_lines()[-1].startswith("The validation was made in this run (displacement-a)")
    before = RankingView(replace(_run("displacement-c"), config="{}"), 1, [], selections=CHOSEN)
    assert len(before.selection_lines()) == 1  # a run made before validations were kept: nothing said
