"""One contract for every model: clonable, fit returns self, refuses predict before fit, valid output."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from gbvs.errors import ForecastError, NotFittedError
from gbvs.forecasting.domain import TARGETS, UNIT_SPECS, Unit
from gbvs.forecasting.engine import model_set, origin_frame, training_set
from gbvs.forecasting.models import LGBMBinary, MeanOfClassifiers

SPEC = UNIT_SPECS[Unit.country_year]
CASES = [(t, name) for t in ("incidence", "battle_deaths") for name in model_set(TARGETS[t], SPEC, 0)]


def _data(panel: pd.DataFrame, target: str) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.DataFrame]:
    frame = origin_frame(panel, SPEC, 2015)
    X, y, periods = training_set(frame, TARGETS[target], 1, "gwcode")
    return X, y, periods, frame.features[frame.panel["period"] == 2015]


def _plain(value: Any) -> Any:
    """Parameters for comparing: nested estimators (a clone holds clones) as their type and parameters."""
    if hasattr(value, "get_params"):
        return (type(value).__name__, _plain(value.get_params(deep=False)))
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _predict(model: Any, X: pd.DataFrame) -> np.ndarray:
    return model.predict_samples(X) if hasattr(model, "predict_samples") else model.predict_proba(X)


@pytest.mark.parametrize(("target", "name"), CASES, ids=[f"{t}-{n}" for t, n in CASES])
def test_model_contract(country_year_panel: pd.DataFrame, target: str, name: str) -> None:
    model = model_set(TARGETS[target], SPEC, 0, fast=True)[name]
    params = _plain(model)
    copy = clone(model)
    assert _plain(copy) == params
    X, y, periods, X_new = _data(country_year_panel, target)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        _predict(copy, X_new)
    assert copy.fit(X, y, periods=periods) is copy
    assert _plain(copy) == params  # fit does not change parameters
    out = _predict(copy, X_new)
    assert out.shape[0] == len(X_new)
    if target == "incidence":
        assert out.shape[1] == 2 and np.allclose(out.sum(axis=1), 1.0)
        assert ((out >= 0) & (out <= 1)).all()
    else:
        assert (out >= 0).all()
    again = clone(model).fit(X, y, periods=periods)
    assert np.array_equal(_predict(again, X_new), out)  # same inputs and seed: same output


@pytest.mark.parametrize(("target", "name"), CASES, ids=[f"{t}-{n}" for t, n in CASES])
def test_model_refuses_empty_training(country_year_panel: pd.DataFrame, target: str, name: str) -> None:
    model = model_set(TARGETS[target], SPEC, 0, fast=True)[name]
    X, _, _, _ = _data(country_year_panel, target)
    with pytest.raises(ForecastError, match="no training rows"):
        model.fit(X.iloc[:0], np.array([]))


def test_lgbm_probabilities_track_the_driver(country_year_panel: pd.DataFrame) -> None:
    model = model_set(TARGETS["incidence"], SPEC, 0, fast=True)["lgbm"]
    X, y, periods, _ = _data(country_year_panel, "incidence")
    fitted = clone(model).fit(X, y, periods=periods)
    p = fitted.predict_proba(X)[:, 1]
    assert p[y == 1].mean() > p[y == 0].mean() + 0.3
    contributions = fitted.contributions(X.head(5))
    raw = fitted.booster_.predict(X.head(5)[fitted.features_], raw_score=True)
    assert np.allclose(contributions.sum(axis=1), raw)
    assert list(contributions.columns) == [*X.columns, "bias"]  # screened-out features contribute 0
    dropped = [c for c in X.columns if c not in fitted.features_]
    assert (contributions[dropped] == 0).all().all()


def test_lgbm_screen_keeps_the_informative_features(country_year_panel: pd.DataFrame) -> None:
    X, y, periods, X_new = _data(country_year_panel, "incidence")
    noise = pd.DataFrame(
        np.random.default_rng(0).normal(size=(len(X), 40)),
        index=X.index,
        columns=[f"noise{i}" for i in range(40)],
    )
    wide = pd.concat([X, noise], axis=1)
    screened = LGBMBinary(n_estimators=60, screen=10).fit(wide, y, periods=periods)
    assert 0 < len(screened.features_) <= 10
    assert set(screened.features_) <= set(wide.columns)
    assert sum(c.startswith("noise") for c in screened.features_) <= 2  # the conflict history wins
    p = screened.predict_proba(pd.concat([X_new, noise.head(len(X_new)).set_index(X_new.index)], axis=1))
    assert p.shape == (len(X_new), 2)
    every = LGBMBinary(n_estimators=60, screen=0).fit(wide, y, periods=periods)
    assert every.features_ == list(wide.columns)
    with pytest.raises(ForecastError, match="screen -1"):
        LGBMBinary(screen=-1).fit(wide, y, periods=periods)


def test_lgbm_picks_hyper_parameters_on_its_inner_window(country_year_panel: pd.DataFrame) -> None:
    X, y, periods, X_new = _data(country_year_panel, "incidence")
    crippled = (("learning_rate", 1e-4), ("n_estimators", 3), ("early_stopping_rounds", 2))
    good = (("learning_rate", 0.1), ("n_estimators", 200), ("early_stopping_rounds", 10))
    keeps_default = LGBMBinary(candidates=(crippled,)).fit(X, y, periods=periods)
    assert keeps_default.chosen_ == {}
    rescued = LGBMBinary(learning_rate=1e-4, n_estimators=3, candidates=(good,)).fit(X, y, periods=periods)
    assert rescued.chosen_ == dict(good) and rescued.n_trees_ > 3
    assert rescued.booster_.params["learning_rate"] == 0.1  # the refit on all rows uses the choice
    again = clone(rescued).fit(X, y, periods=periods)
    assert np.array_equal(again.predict_proba(X_new), rescued.predict_proba(X_new))


def test_country_year_conflict_classifiers_publish_lightgbm_probabilities(
    country_year_panel: pd.DataFrame,
) -> None:
    """v3.9: incidence and war at country-year without Platt scaling; the other classifiers keep it."""
    X, y, periods, X_new = _data(country_year_panel, "incidence")
    for name in ("incidence", "war"):
        fitted = clone(model_set(TARGETS[name], SPEC, 0, fast=True)["lgbm"]).fit(X, y, periods=periods)
        assert fitted.calibrator_ is None
        raw = fitted.booster_.predict(X_new[fitted.features_], raw_score=True)
        assert np.allclose(fitted.predict_proba(X_new)[:, 1], 1 / (1 + np.exp(-raw)))
    monthly = UNIT_SPECS[Unit.grid_month]
    assert model_set(TARGETS["incidence"], monthly, 0)["lgbm"].calibration == "sigmoid"
    space = next(t for t in TARGETS.values() if t.demspaces)
    platt = model_set(space, SPEC, 0)["lgbm"].estimator.estimator
    assert platt.calibration == "sigmoid"
    assert clone(platt).set_params(screen=0).fit(X, y, periods=periods).calibrator_ is not None


def test_democratic_space_classifier_offers_larger_trees_the_conflict_classifiers_average_smaller() -> None:
    """v3.10: the pooled democratic-space classifier chooses between its defaults (15 leaves) and trees of
    31 leaves; v3.12: incidence and war average a booster of 15 leaves and one of 7, neither choosing."""
    space = next(t for t in TARGETS.values() if t.demspaces)
    offered = model_set(space, SPEC, 0)["lgbm"].estimator.estimator.candidates
    assert [dict(c)["num_leaves"] for c in offered] == [31]
    for name in ("incidence", "war"):
        conflict = model_set(TARGETS[name], SPEC, 0)["lgbm"]
        assert isinstance(conflict, MeanOfClassifiers)
        assert [(m.num_leaves, m.candidates, m.calibration) for m in conflict.estimators] == [
            (15, (), "none"),
            (7, (), "none"),
        ]
    monthly = model_set(TARGETS["incidence"], UNIT_SPECS[Unit.grid_month], 0)["lgbm"]
    assert [dict(c)["num_leaves"] for c in monthly.candidates] == [7]  # one booster choosing, as before


def test_the_mean_of_classifiers_publishes_and_explains_the_mean_of_its_members(
    country_year_panel: pd.DataFrame,
) -> None:
    X, y, periods, X_new = _data(country_year_panel, "incidence")
    members = (LGBMBinary(n_estimators=40), LGBMBinary(n_estimators=80, num_leaves=4, random_state=3))
    mean = clone(MeanOfClassifiers(members)).fit(X, y, periods=periods)
    alone = [clone(m).fit(X, y, periods=periods) for m in members]
    expected = (alone[0].predict_proba(X_new) + alone[1].predict_proba(X_new)) / 2
    np.testing.assert_allclose(mean.predict_proba(X_new), expected)
    assert not np.allclose(alone[0].predict_proba(X_new), alone[1].predict_proba(X_new))
    both = alone[0].contributions(X_new) + alone[1].contributions(X_new)
    np.testing.assert_allclose(mean.contributions(X_new).to_numpy(), both.to_numpy() / 2)
    assert not mean.seed_free()
    unsampled = {"subsample": 1.0, "colsample_bytree": 1.0}
    assert MeanOfClassifiers((LGBMBinary(**unsampled), LGBMBinary(num_leaves=4, **unsampled))).seed_free()
    with pytest.raises(ForecastError, match="no classifiers to average"):
        MeanOfClassifiers(()).fit(X, y, periods=periods)
