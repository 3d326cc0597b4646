"""Boosters trained on shared binned rows equal LightGBM's scikit-learn estimators, tree by tree (v3.6)."""

from __future__ import annotations

from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from gbvs.errors import ForecastError
from gbvs.forecasting.models.boosting import BINNED, boost

BASE: dict[str, Any] = {
    "learning_rate": 0.1,
    "num_leaves": 7,
    "min_child_samples": 10,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.7,
    "reg_lambda": 1.0,
    "n_jobs": 1,
    "max_bin": 63,
    "deterministic": True,
    "force_row_wise": True,
    "verbose": -1,
}


def _rows(n: int = 400, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, 8)), columns=[f"x{i}" for i in range(8)])
    X.loc[rng.random(n) < 0.1, "x2"] = np.nan  # missing values, as in the panel
    signal = X["x0"].to_numpy() - 0.5 * np.nan_to_num(X["x2"].to_numpy())
    binary = (signal + rng.normal(size=n) > 0.8).astype(int)
    sizes = np.exp(1 + signal + rng.normal(size=n) * 0.5)
    return X, binary, np.log1p(sizes)


def _trees(booster: lgb.Booster) -> str:
    text = booster.model_to_string()
    return text[text.index("Tree=0") : text.index("end of trees")]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    BINNED.clear()


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_a_refit_equals_the_classifier_at_every_seed(seed: int) -> None:
    X, y, _ = _rows()
    params = {**BASE, "n_estimators": 30, "random_state": seed}
    expected = lgb.LGBMClassifier(**params).fit(X, y).booster_
    assert _trees(boost({**params, "objective": "binary"}, X, y).booster) == _trees(expected)


def test_rows_binned_once_serve_other_labels_seeds_and_objectives() -> None:
    X, y, size = _rows()
    fits = [
        ({**BASE, "n_estimators": 20, "random_state": 0, "objective": "binary"}, y, lgb.LGBMClassifier),
        ({**BASE, "n_estimators": 20, "random_state": 2, "objective": "binary"}, 1 - y, lgb.LGBMClassifier),
        ({**BASE, "n_estimators": 20, "random_state": 1, "objective": "quantile", "alpha": 0.9}, size, None),
    ]
    for params, labels, estimator in fits:
        expected = (estimator or lgb.LGBMRegressor)(**params).fit(X, labels).booster_
        assert _trees(boost(params, X, labels).booster) == _trees(expected)
    assert len(BINNED) == 1


def test_a_binning_setting_gets_its_own_binned_rows() -> None:
    X, y, _ = _rows()
    for min_child in (10, 40):  # LightGBM's pre-filter drops features by min_child_samples
        params = {**BASE, "n_estimators": 20, "random_state": 0, "min_child_samples": min_child}
        expected = lgb.LGBMClassifier(**params).fit(X, y).booster_
        assert _trees(boost({**params, "objective": "binary"}, X, y).booster) == _trees(expected)
    assert len(BINNED) == 2


@pytest.mark.parametrize(("objective", "metric"), [("binary", "binary_logloss"), ("quantile", "quantile")])
def test_early_stopping_equals_the_estimators(objective: str, metric: str) -> None:
    X, y, size = _rows()
    labels = y if objective == "binary" else size
    params = {**BASE, "n_estimators": 300, "random_state": 0, "objective": objective, "learning_rate": 0.3}
    if objective == "quantile":
        params["alpha"] = 0.25
    train, valid = slice(0, 300), slice(300, None)
    estimator = lgb.LGBMClassifier(**params) if objective == "binary" else lgb.LGBMRegressor(**params)
    estimator.fit(
        X[train],
        labels[train],
        eval_X=(X[valid],),
        eval_y=(labels[valid],),
        eval_metric=metric,
        callbacks=[lgb.early_stopping(10, verbose=False)],
    )
    found = boost(params, X[train], labels[train], valid=(X[valid], labels[valid]), stopping_rounds=10)
    assert found.best_iteration == estimator.best_iteration_ < 300  # it did stop early
    assert found.best_score == pytest.approx(estimator.best_score_["valid_0"][metric], abs=0)
    assert _trees(found.booster) == _trees(estimator.booster_)


def test_the_cache_keeps_its_most_recent_row_sets_only() -> None:
    X, y, _ = _rows()
    params = {**BASE, "n_estimators": 5, "random_state": 0, "objective": "binary"}
    for shift in range(BINNED.size + 3):
        boost(params, X + shift, y)
    assert len(BINNED) == BINNED.size


def test_rows_binned_from_a_sample_are_not_shared_between_seeds() -> None:
    # More rows than subsample_for_bin: LightGBM bins a sample of rows drawn with the seed, so the
    # binning of one seed must not serve another.
    X, y, _ = _rows(n=400)
    for seed in (0, 1):
        params = {**BASE, "n_estimators": 20, "random_state": seed, "subsample_for_bin": 60}
        expected = lgb.LGBMClassifier(**params).fit(X, y).booster_
        assert _trees(boost({**params, "objective": "binary"}, X, y).booster) == _trees(expected)
    assert len(BINNED) == 2


def test_early_stopping_needs_a_metric_it_knows() -> None:
    X, y, _ = _rows()
    params = {**BASE, "n_estimators": 20, "random_state": 0, "objective": "poisson"}
    with pytest.raises(ForecastError, match="poisson"):
        boost(params, X[:300], y[:300], valid=(X[300:], y[300:]), stopping_rounds=5)
