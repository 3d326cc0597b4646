"""One democratic-space model per direction (v3.8): the stacked rows, each space's own view, one fit
shared by the six targets of a direction, and the errors of a view without cutpoints."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.forecasting.conftest import CUTPOINTS

from gbvs.errors import ForecastError
from gbvs.forecasting.domain import DEMSPACES_INDICES, TARGETS, UNIT_SPECS, Unit
from gbvs.forecasting.engine import (
    fit_predict,
    forecast_features,
    model_set,
    origin_frame,
    pooled_training_set,
    training_set,
)
from gbvs.forecasting.features import SPACE_NUMBER, SPACES_FAMILY, VDEM_WIDE_PREFIX, feature_families
from gbvs.forecasting.pooling import SPACE_PARTS, direction_targets, own_features, own_parts, pooled_view
from gbvs.panels.country_year_wide import VDEM_PREFIX
from gbvs.sources.vdem_wide import KEPT

SPEC = UNIT_SPECS[Unit.country_year]
ORIGIN = 2015


@pytest.fixture
def frame(country_year_panel: pd.DataFrame):  # type: ignore[no-untyped-def]
    return origin_frame(country_year_panel, SPEC, ORIGIN, CUTPOINTS)


def test_the_pooled_rows_are_each_spaces_training_rows_with_its_own_label_and_view(frame) -> None:  # type: ignore[no-untyped-def]
    target = TARGETS["closing_informational"]
    X, y, periods = pooled_training_set(frame, target, 2, "gwcode")
    spaces = direction_targets(target)
    assert [t.name for t in spaces] == [n for n in TARGETS if n.startswith("closing_")]
    start = 0
    for number, space in enumerate(spaces):
        X_s, y_s, periods_s = training_set(frame, space, 2, "gwcode")
        rows = slice(start, start + len(y_s))
        start += len(y_s)
        assert (X[SPACE_NUMBER].iloc[rows] == number).all()
        assert np.array_equal(y[rows], y_s) and np.array_equal(periods[rows], periods_s)
        index = DEMSPACES_INDICES[number]
        own = X.iloc[rows]
        assert np.allclose(own["own_diff1"], X_s[f"{index}_diff1"], equal_nan=True)
        assert np.allclose(own["own_diff1_cp"], X_s[f"{index}_diff1"] / CUTPOINTS[index], equal_nan=True)
        assert np.allclose(own["ds_room_down_own"], X_s[f"ds_room_down_{index}"], equal_nan=True)
        assert np.allclose(own[index], X_s[index], equal_nan=True)  # every space's own columns stay too
    assert start == len(y) and (periods + 2 <= ORIGIN).all()


def test_the_six_targets_of_a_direction_share_one_fit_and_forecast_from_their_own_view(frame) -> None:  # type: ignore[no-untyped-def]
    electoral, economic = TARGETS["opening_electoral"], TARGETS["opening_economic"]
    model = model_set(electoral, SPEC, 0, fast=True)["lgbm"]
    first, out_electoral = fit_predict(model, frame, electoral, 2, "gwcode")
    again, out_economic = fit_predict(
        model_set(economic, SPEC, 1, fast=True)["lgbm"], frame, economic, 2, "gwcode"
    )
    assert again is first and len(frame.fits) == 1  # another space and another seed: the same fit
    expected = first.predict_proba(forecast_features(model, frame, economic))[:, 1]
    assert np.allclose(out_economic["p"], expected)
    assert not np.allclose(out_electoral["p"], out_economic["p"])  # each from its own space's view
    fit_predict(
        model_set(TARGETS["closing_electoral"], SPEC, 0, fast=True)["lgbm"],
        frame,
        TARGETS["closing_electoral"],
        2,
        "gwcode",
    )
    assert len(frame.fits) == 2  # the other direction is another model


def test_the_own_columns_explain_as_the_democratic_spaces(frame) -> None:  # type: ignore[no-untyped-def]
    view = forecast_features(
        model_set(TARGETS["closing_governing"], SPEC, 0)["lgbm"], frame, TARGETS["closing_governing"]
    )
    families = feature_families(list(view.columns), {})
    own = [c for c in view.columns if c.startswith("own") or c in (SPACE_NUMBER, "ds_room_down_own")]
    assert len(own) > 10 and {families[c] for c in own} == {SPACES_FAMILY}


def test_a_view_without_cutpoints_or_with_a_bad_one_says_what_to_load(frame) -> None:  # type: ignore[no-untyped-def]
    target = TARGETS["closing_economic"]
    with pytest.raises(ForecastError, match=r"no DemSpaces cutpoint for v2x_pubcorr.*gbvs ingest"):
        pooled_view(frame.features, target, None)
    with pytest.raises(ForecastError, match=r"cutpoint of v2x_pubcorr is 0.*positive"):
        own_features(frame.features, "v2x_pubcorr", 0.0)
    with pytest.raises(ForecastError, match="'incidence' is not a democratic-space target"):
        pooled_view(frame.features, TARGETS["incidence"], CUTPOINTS)


def test_the_live_forecast_shares_one_frame_and_one_pooled_fit_per_direction(
    country_year_panel: pd.DataFrame,
) -> None:
    from gbvs.forecasting.live import forecast_target

    targets = [TARGETS["closing_electoral"], TARGETS["closing_economic"]]
    frames: dict = {}
    shared = [
        forecast_target(country_year_panel, SPEC, t, (0, 1), {}, CUTPOINTS, None, frames) for t in targets
    ]
    alone = [forecast_target(country_year_panel, SPEC, t, (0, 1), {}, CUTPOINTS) for t in targets]
    assert len(frames) == 1 and len(next(iter(frames.values())).fits) == 1
    for one, other in zip(shared, alone, strict=True):
        pd.testing.assert_frame_equal(one, other)  # sharing saves work and changes nothing


def test_a_conflict_target_has_no_direction_to_pool() -> None:
    from gbvs.forecasting.pooling import direction

    assert [direction(TARGETS[n]) for n in ("closing_electoral", "opening_economic")] == ["down", "up"]
    with pytest.raises(ForecastError, match="'war' is not a democratic-space target"):
        direction(TARGETS["war"])


def test_a_spaces_parts_are_summarised_row_by_row_from_its_own_indicators() -> None:
    """``own_parts``: mean level and changes of the indicators of the row's own space only, NaN where
    none is known; row-wise, so a row gets the same values alone as among others."""
    features = pd.DataFrame(
        {
            "vdem14_v2mecenefm": [1.0, np.nan, np.nan],
            "vdem14_v2mecenefm_diff1": [-0.5, np.nan, np.nan],
            "vdem14_v2mecenefm_diff3": [-1.0, np.nan, np.nan],
            "vdem14_v2meharjrn": [3.0, 2.0, np.nan],
            "vdem14_v2meharjrn_diff1": [0.1, 0.2, np.nan],
            "vdem14_v2meharjrn_diff3": [0.0, 0.4, np.nan],
            "vdem14_v2cseeorgs": [9.0, 9.0, 9.0],  # civil society's, not the media's
            "vdem14_v2cseeorgs_diff1": [9.0, 9.0, 9.0],
            "vdem14_v2cseeorgs_diff3": [9.0, 9.0, 9.0],
        }
    )
    assert set(SPACE_PARTS) == set(DEMSPACES_INDICES)
    assert {p for parts in SPACE_PARTS.values() for p in parts} <= set(KEPT)
    assert VDEM_WIDE_PREFIX == VDEM_PREFIX  # the wide panel's column names, as the features read them
    found = own_parts(features, "v2x_freexp_altinf")
    assert found["own_parts"].tolist()[:2] == [2.0, 2.0]
    assert np.allclose(found["own_parts_diff1"].iloc[:2], [-0.2, 0.2])
    assert np.allclose(found["own_parts_diff3"].iloc[:2], [-0.5, 0.4])
    assert found["own_parts_min_diff1"].tolist()[:2] == [-0.5, 0.2]
    assert found["own_parts_max_diff1"].tolist()[:2] == [0.1, 0.2]
    assert found.iloc[2].isna().all()  # none of the media's indicators known
    alone = own_parts(features.iloc[[1]], "v2x_freexp_altinf")
    pd.testing.assert_frame_equal(alone, found.iloc[[1]])
    assert own_parts(features[["vdem14_v2cseeorgs"]], "v2x_freexp_altinf").empty
    view = own_features(features, "v2x_freexp_altinf", 0.05)
    assert "own_parts_diff1" in view.columns and view[SPACE_NUMBER].eq(3.0).all()
