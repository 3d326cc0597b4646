"""The bound rule of the democratic-space targets (room to the bound, SpaceBound) on hand-built data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from tests.forecasting.conftest import CUTPOINTS

from gbvs.errors import ForecastError, NotFittedError
from gbvs.forecasting.domain import TARGETS, UNIT_SPECS, Unit
from gbvs.forecasting.engine import (
    forecast_features,
    model_set,
    origin_frame,
    per_space_model,
    pooled_training_set,
    training_set,
)
from gbvs.forecasting.labels import add_demspaces_events, room_column
from gbvs.forecasting.models import PersistenceModel, PooledSpaces, SpaceBound, ZeroModel

SPEC = UNIT_SPECS[Unit.country_year]
INDEX = "v2x_veracc_osp"


def test_room_to_the_bound_is_measured_in_cutpoints() -> None:
    panel = pd.DataFrame({"gwcode": 1, "period": [2000, 2001], INDEX: [0.97, 0.5]})
    out = add_demspaces_events(panel, {INDEX: 0.08}, "gwcode")
    assert out[f"ds_room_up_{INDEX}"].tolist() == pytest.approx([0.375, 6.25])
    assert out[f"ds_room_down_{INDEX}"].tolist() == pytest.approx([12.125, 6.25])
    assert room_column(f"ds_down_{INDEX}") == f"ds_room_down_{INDEX}"


def _rows() -> tuple[pd.DataFrame, np.ndarray]:
    # rows 0-3 at the bound (room < 1 cutpoint), one of them an event; rows 4-7 away from it
    X = pd.DataFrame(
        {"room": [0.2, 0.5, 0.9, 0.99, 1.0, 3.0, 5.0, 8.0], "conflict": [0, 0, 0, 1, 1, 0, 1, 0]}
    )
    y = np.array([0, 0, 0, 1, 1, 0, 1, 0])
    return X, y


def test_rows_at_the_bound_get_the_training_rate_there() -> None:
    X, y = _rows()
    model = SpaceBound(ZeroModel(), room="room").fit(X, y)
    assert (model.bound_rows_, model.bound_events_) == (4, 1)
    p = model.predict_proba(X)[:, 1]
    # Jeffreys-smoothed rate at the bound: (1 + 0.5) / (4 + 1) = 0.3; room exactly 1 is not at the bound
    assert p.tolist() == pytest.approx([0.3, 0.3, 0.3, 0.3, 0.0, 0.0, 0.0, 0.0])


def test_rows_away_from_the_bound_keep_the_classifiers_probability() -> None:
    X, y = _rows()
    model = SpaceBound(PersistenceModel(history="conflict"), room="room").fit(X, y)
    new = pd.DataFrame({"room": [4.0, 4.0, 0.1], "conflict": [1, 0, 1]})
    assert model.predict_proba(new)[:, 1].tolist() == pytest.approx([1.0, 0.0, 0.3])


def test_without_training_rows_at_the_bound_the_classifier_stands() -> None:
    X, y = _rows()
    away = X["room"] >= 1
    model = SpaceBound(PersistenceModel(history="conflict"), room="room").fit(X[away], y[away.to_numpy()])
    assert model.bound_rate_ is None
    assert model.predict_proba(X)[:, 1].tolist() == pytest.approx(X["conflict"].astype(float).tolist())


def test_the_bound_rule_names_a_missing_room_column_and_refuses_to_predict_unfitted() -> None:
    X, y = _rows()
    with pytest.raises(ForecastError, match="room"):
        SpaceBound(ZeroModel(), room="ds_room_up_x").fit(X, y)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        SpaceBound(ZeroModel(), room="room").predict_proba(X)


def test_the_closing_models_main_model_applies_the_bound_on_a_generated_panel(
    country_year_panel: pd.DataFrame,
) -> None:
    target = TARGETS["closing_electoral"]
    pooled = model_set(target, SPEC, 0, fast=True)["lgbm"]
    assert isinstance(pooled, PooledSpaces) and pooled.estimator.room == "ds_room_down_own"
    frame = origin_frame(country_year_panel, SPEC, 2015, CUTPOINTS)
    X, y, periods = pooled_training_set(frame, target, 2, "gwcode")
    fitted = clone(pooled).fit(X, y, periods=periods).estimator_
    X_new = forecast_features(pooled, frame, target).copy()
    assert (X_new["ds_room_down_own"] == X_new[f"ds_room_down_{INDEX}"]).all()  # its own space's room
    X_new.iloc[0, X_new.columns.get_loc("ds_room_down_own")] = 0.5  # push one row to the floor
    p = fitted.predict_proba(X_new)[:, 1]
    rows, events = fitted.bound_rows_, fitted.bound_events_
    expected = (events + 0.5) / (rows + 1) if rows else fitted.estimator_.predict_proba(X_new)[0, 1]
    assert p[0] == pytest.approx(expected)
    at_bound = X_new["ds_room_down_own"].to_numpy() < 1
    assert np.allclose(p[~at_bound], fitted.estimator_.predict_proba(X_new)[~at_bound, 1])
    contributions = fitted.contributions(X_new)
    assert list(contributions.columns) == [*X_new.columns, "bias"]


def test_the_per_space_model_of_v3_7_reads_its_own_room_column(country_year_panel: pd.DataFrame) -> None:
    target = TARGETS["opening_electoral"]
    model = per_space_model(target, 0, fast=True)
    assert isinstance(model, SpaceBound) and model.room == f"ds_room_up_{INDEX}"
    frame = origin_frame(country_year_panel, SPEC, 2015, CUTPOINTS)
    X, y, periods = training_set(frame, target, 2, "gwcode")
    fitted = clone(model).fit(X, y, periods=periods)
    at_bound = X[model.room].to_numpy() < 1
    assert fitted.bound_rows_ == int(at_bound.sum())
