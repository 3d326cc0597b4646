"""LightGBM training on binned rows that are shared between fits of the same rows (v3.6).

LightGBM first *bins* its training rows (per feature, the value ranges its histograms count), then
boosts. A backtest origin fits many boosters on the same rows: the seeds of a model refit on the same
rows, the hurdle's seven quantile levels fit the same rows and labels, and the twelve democratic-space
targets screen the same 445 columns of the same country-years with different labels. Binning depends
on the feature values and the binning settings only, not on the labels, the objective or the seed
(while the rows are fewer than ``subsample_for_bin``; beyond that LightGBM bins a sample drawn with the
seed, and each seed gets its own binning). So the rows are binned once and each fit trains on its own
copy (``Dataset.subset`` of every row) with its own labels: the boosters are the same as when each bins
its own rows, which ``tests/forecasting/test_boosting.py`` checks tree by tree against LightGBM's
scikit-learn estimators.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from gbvs.errors import ForecastError
from gbvs.forecasting.models.memory import Memory, data_key

SKLEARN_DEFAULTS: dict[str, Any] = {
    "boosting_type": "gbdt",
    "max_depth": -1,
    "min_child_weight": 1e-3,
    "min_split_gain": 0.0,
    "reg_alpha": 0.0,
    "subsample_for_bin": 200_000,
}
"""The settings LightGBM's scikit-learn estimators pass when not given (their constructor defaults), so a
booster trained here equals the estimator's."""

BINNING = (
    "max_bin",
    "min_data_in_bin",
    "min_child_samples",
    "min_child_weight",
    "subsample_for_bin",
    "force_row_wise",
    "force_col_wise",
    "feature_pre_filter",
    "use_missing",
    "zero_as_missing",
)
"""Settings that change how rows are binned (``min_child_samples`` and ``min_child_weight`` through
LightGBM's pre-filter of features that cannot be split); ``force_*_wise`` decide the layout."""

OBJECTIVE_METRIC = {"binary": "binary_logloss", "regression": "l2", "quantile": "quantile"}


@dataclass(frozen=True)
class Boosted:
    """A trained booster and, when it was early-stopped, its best iteration and validation score."""

    booster: lgb.Booster
    best_iteration: int
    best_score: float | None


BINNED = Memory(size=8, copies=False)
"""Binned row sets of this process (constructed ``lgb.Dataset`` parents, read only: each fit trains on
its own ``subset`` of them); an origin's fits of one row set follow each other closely."""


def _binned_rows(X: pd.DataFrame, y: np.ndarray, params: dict[str, Any]) -> lgb.Dataset:
    """A training set of ``X`` labelled ``y``, binned with ``params`` (or a copy of the same rows binned
    before)."""
    settings = sorted((name, repr(params.get(name))) for name in BINNING)
    if len(X) > int(params.get("subsample_for_bin", SKLEARN_DEFAULTS["subsample_for_bin"])):
        settings.append(("random_state", repr(params.get("random_state"))))  # bins from a seeded sample
    key = data_key(("binned rows", settings), X)
    parent = BINNED.recall(
        key, lambda: lgb.Dataset(X, label=y, params=_booster_params(params), free_raw_data=True).construct()
    )
    return parent.subset(np.arange(len(X)).tolist()).construct().set_label(y)


def _booster_params(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` in scikit-learn names (LightGBM reads them as aliases) with the estimators' defaults,
    without the tree budget."""
    native = {**SKLEARN_DEFAULTS, **params}
    native.pop("n_estimators", None)
    native["num_threads"] = native.pop("n_jobs", 1)
    return native


def boost(
    params: dict[str, Any],
    X: pd.DataFrame,
    y: np.ndarray,
    valid: tuple[pd.DataFrame, np.ndarray] | None = None,
    stopping_rounds: int | None = None,
) -> Boosted:
    """Train ``params["n_estimators"]`` rounds of ``params["objective"]`` on ``X``, ``y``; with
    ``valid`` and ``stopping_rounds``, stop when the validation loss has not improved for that many
    rounds (as ``lgb.early_stopping``) and report the best iteration and its loss."""
    native = _booster_params(params)
    objective = str(native.get("objective", "regression"))
    if valid is not None and objective not in OBJECTIVE_METRIC:
        raise ForecastError(
            f"early stopping of objective {objective!r} has no validation metric here; "
            f"use one of {sorted(OBJECTIVE_METRIC)} or add its metric to OBJECTIVE_METRIC"
        )
    native["metric"] = [OBJECTIVE_METRIC.get(objective, objective)]
    train = _binned_rows(X, y, params)
    rounds = int(params["n_estimators"])
    if valid is None:
        return Boosted(lgb.train(native, train, num_boost_round=rounds), 0, None)
    checked = train.create_valid(valid[0], label=valid[1])
    callbacks: list[Callable[..., Any]] = [lgb.early_stopping(int(stopping_rounds or rounds), verbose=False)]
    booster = lgb.train(native, train, num_boost_round=rounds, valid_sets=[checked], callbacks=callbacks)
    score = booster.best_score["valid_0"][native["metric"][0]]
    return Boosted(booster, int(booster.best_iteration), float(score))
