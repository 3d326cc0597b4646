"""The main models: LightGBM with calibrated probabilities, and LightGBM with a residual distribution.

Why LightGBM: the panel is a few thousand rows of tabular, partly missing indicators with strong
interactions (conflict history x governance); gradient-boosted trees handle missing values natively
(no zero-filling), train in well under a second per fold on two cores, and give exact per-feature
contributions (``pred_contrib``, TreeSHAP) for the explanations.

Hyper-parameters are chosen inside the training window only: the last ``inner_periods`` periods of
the training rows are an inner validation window on which early stopping picks the number of trees
and the calibrator (Platt on the raw score, or isotonic) is fitted; the booster is then refitted on
all training rows with that number of trees.

With ``screen = k`` (issue 11, v3.2) a model first keeps the ``k`` features with the largest total
gain in a short screening booster fitted on the training rows *before* the inner window (so the
inner window still judges the candidates on rows the screen has not seen); the candidates, the
calibration and the refit then use those features only. Histogram building costs rows x features,
so a screen of the 373 country-year columns to a few dozen makes each fit several times cheaper.

The screen is a property of the training data, not of the seed (v3.4): its booster always uses seed 0,
and its result is remembered per process for the same rows, labels and settings
(:func:`screen_features`), so the seeds of a backtest origin (and the hurdle's occurrence classifier,
which sees the incidence model's rows and labels) screen once instead of once each.

So are the choices on the inner window (v3.5): the candidate, the number of trees and the calibrator
are made by early-stopping boosters at seed 0 and remembered (:data:`CHOICES`,
:mod:`gbvs.forecasting.models.memory`); a seed only changes the bagging and column sampling of the
refit on all rows. The seeds of a backtest origin then cost one inner search and three refits instead
of three of each; the published forecast, the mean over the seeds, is an average of three refits.

A model that samples neither rows nor columns (v3.6: the democratic-space classifier,
``engine.DEMSPACES_SAMPLING``) is the same model at every seed, so its refit is remembered too
(:data:`REFITS`) and the seeds cost one. Every booster is trained on binned rows shared between fits of
the same rows (:mod:`gbvs.forecasting.models.boosting`).
"""

from __future__ import annotations

from typing import Any, cast

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from gbvs.errors import ForecastError
from gbvs.forecasting.models.base import check_fitted, check_training, inner_split, proba_columns
from gbvs.forecasting.models.boosting import boost
from gbvs.forecasting.models.memory import CHOICE_SEED, CHOICES, REFITS, SCREENS, data_key, settings_of

CALIBRATIONS = ("sigmoid", "isotonic", "none")


def _params(model: Any, trees: int, override: dict[str, Any] | None = None) -> dict[str, Any]:
    params = {
        "n_estimators": trees,
        "learning_rate": model.learning_rate,
        "num_leaves": model.num_leaves,
        "min_child_samples": model.min_child_samples,
        "subsample": model.subsample,
        "subsample_freq": 1,
        "colsample_bytree": model.colsample_bytree,
        "reg_lambda": model.reg_lambda,
        "random_state": model.random_state,
        "n_jobs": model.n_jobs,
        "max_bin": 127,
        "deterministic": True,
        "force_row_wise": True,
        "verbose": -1,
    }
    params.update({k: v for k, v in (override or {}).items() if k not in _NOT_BOOSTER})
    return params


_NOT_BOOSTER = frozenset({"n_estimators", "early_stopping_rounds"})
"""Candidate settings that are not booster parameters: the tree budget and the early-stopping patience."""

SCREEN_BOOSTER: dict[str, Any] = {
    "n_estimators": 40,
    "learning_rate": 0.2,
    "colsample_bytree": 0.5,
    "force_row_wise": False,
    "force_col_wise": True,
    "random_state": CHOICE_SEED,
}
"""Settings of the screening booster: few, fast-learning trees on half the columns each (column-wise
histograms then skip the other half), enough to rank the features by gain. Its seed is fixed, so every
seed of a model keeps the same features."""


def screen_features(
    objective: str, model: Any, X: pd.DataFrame, y: np.ndarray, extra: dict[str, Any] | None = None
) -> list[str]:
    """The ``model.screen`` columns of ``X`` with the largest total gain in a screening booster of
    ``objective`` (:data:`SCREEN_BOOSTER`, ``extra`` e.g. the objective's own settings), in ``X``'s
    column order; all columns when ``model.screen`` is 0 or at least the number of columns, or when no
    feature gains anything. The same rows, labels and settings give the same columns, so the last
    screens are remembered (:data:`SCREENS`) instead of refitted."""
    k = int(model.screen)
    if k < 0:
        raise ForecastError(f"screen {k} must be 0 (keep every feature) or a number of features, e.g. 64")
    if k == 0 or k >= X.shape[1] or len(y) == 0:
        return list(X.columns)
    params = _params(model, int(SCREEN_BOOSTER["n_estimators"]), {**SCREEN_BOOSTER, **(extra or {})})
    params = {**params, "objective": objective}
    key = data_key((sorted(params.items()), ("screen", k)), X, y)
    return SCREENS.recall(key, lambda: _rank_by_gain(boost(params, X, y).booster, X, k))


def _rank_by_gain(booster: lgb.Booster, X: pd.DataFrame, k: int) -> list[str]:
    gain = booster.feature_importance(importance_type="gain")
    ranked = [i for i in np.argsort(-gain, kind="stable")[:k] if gain[i] > 0]
    if not ranked:
        return list(X.columns)
    return [str(X.columns[i]) for i in sorted(ranked)]


def samples(params: dict[str, Any]) -> bool:
    """Whether a booster with ``params`` samples rows or columns (then its seed matters)."""
    rows = float(params.get("subsample", 1.0)) < 1.0 and int(params.get("subsample_freq", 0)) > 0
    return rows or float(params.get("colsample_bytree", 1.0)) < 1.0


class _LGBMBase(BaseEstimator):
    def __init__(
        self,
        n_estimators: int = 300,
        learning_rate: float = 0.1,
        num_leaves: int = 15,
        min_child_samples: int = 20,
        subsample: float = 0.8,
        colsample_bytree: float = 0.8,
        reg_lambda: float = 1.0,
        inner_periods: int = 3,
        early_stopping_rounds: int = 20,
        random_state: int = 0,
        n_jobs: int = 1,
        screen: int = 0,
    ) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_lambda = reg_lambda
        self.inner_periods = inner_periods
        self.early_stopping_rounds = early_stopping_rounds
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.screen = screen

    def contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """Per-feature TreeSHAP contributions (raw score scale) plus ``bias``; rows sum to the raw score."""
        check_fitted(self, "booster_")
        used = list(getattr(self, "features_", X.columns))
        values = self.booster_.predict(X[used], pred_contrib=True)
        found = pd.DataFrame(values, index=X.index, columns=[*used, "bias"])
        return found.reindex(columns=[*X.columns, "bias"], fill_value=0.0)


class LGBMBinary(ClassifierMixin, _LGBMBase):
    """LightGBM classifier with early stopping and calibration fitted on the inner window."""

    def __init__(
        self,
        calibration: str = "sigmoid",
        n_estimators: int = 300,
        learning_rate: float = 0.1,
        num_leaves: int = 15,
        min_child_samples: int = 20,
        subsample: float = 0.8,
        colsample_bytree: float = 0.8,
        reg_lambda: float = 1.0,
        inner_periods: int = 3,
        early_stopping_rounds: int = 20,
        random_state: int = 0,
        n_jobs: int = 1,
        candidates: tuple[tuple[tuple[str, Any], ...], ...] = (),
        screen: int = 0,
    ) -> None:
        super().__init__(
            n_estimators=n_estimators,
            learning_rate=learning_rate,
            num_leaves=num_leaves,
            min_child_samples=min_child_samples,
            subsample=subsample,
            colsample_bytree=colsample_bytree,
            reg_lambda=reg_lambda,
            inner_periods=inner_periods,
            early_stopping_rounds=early_stopping_rounds,
            random_state=random_state,
            n_jobs=n_jobs,
            screen=screen,
        )
        self.calibration = calibration
        self.candidates = candidates

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> LGBMBinary:
        """Early-stop and calibrate on the inner window, then refit on all rows."""
        y = np.asarray(y).astype(int)
        check_training(y, self)
        if self.calibration not in CALIBRATIONS:
            raise ForecastError(f"calibration {self.calibration!r} is unknown; use one of {CALIBRATIONS}")
        self.classes_ = np.array([0, 1])
        self.constant_ = float(y.mean()) if len(np.unique(y)) < 2 else None
        if self.constant_ is not None:
            return self
        inner = inner_split(len(y), periods, self.inner_periods)
        outer_ok = len(np.unique(y[~inner])) == 2
        screened = screen_features("binary", self, X[~inner], y[~inner]) if outer_ok else list(X.columns)
        self.features_ = screened
        X = X[screened]
        self.n_trees_, self.calibrator_, self.chosen_, self.inner_loss_ = self._inner_choice(X, y, inner)
        self.booster_ = self._refit(X, y)
        return self

    def seed_free(self) -> bool:
        """Whether every seed fits the same model: neither the constructor's settings nor any candidate
        samples rows or columns (the screen and the inner-window choices are made at one seed anyway)."""
        return not any(samples(_params(self, 1, dict(c))) for c in ({}, *self.candidates))

    def _refit(self, X: pd.DataFrame, y: np.ndarray) -> lgb.Booster:
        """The booster on all rows with the chosen candidate and number of trees. Without row or column
        sampling the seed changes nothing (v3.6), so that booster is remembered (:data:`REFITS`) and the
        other seeds recall it."""
        params = _params(self, self.n_trees_, {**self.chosen_, "objective": "binary"})
        if not samples(params):
            settings = (
                "LGBMBinary refit",
                sorted((k, repr(v)) for k, v in params.items() if k != "random_state"),
            )
            return REFITS.recall(data_key(settings, X, y), lambda: boost(params, X, y).booster)
        return boost(params, X, y).booster

    def _inner_choice(
        self, X: pd.DataFrame, y: np.ndarray, inner: np.ndarray
    ) -> tuple[int, Any, dict[str, Any], float | None]:
        """Number of trees, calibrator, chosen candidate and its inner log loss, made on the inner window
        at :data:`CHOICE_SEED` (the same for every seed, so remembered in :data:`CHOICES`); each seed
        then refits on all rows with its own bagging and column sampling. Without both classes in the
        inner window and before it: a quarter of the tree budget, no calibrator."""
        outer_ok = len(np.unique(y[~inner])) == 2
        inner_ok = len(np.unique(y[inner])) == 2
        if not (outer_ok and inner_ok):
            return max(self.n_estimators // 4, 1), None, {}, None
        settings = ("LGBMBinary inner choice", settings_of(self, without=("random_state", "n_jobs")))
        return CHOICES.recall(data_key(settings, X, y, inner), lambda: self._choose(X, y, inner))

    def _choose(
        self, X: pd.DataFrame, y: np.ndarray, inner: np.ndarray
    ) -> tuple[int, Any, dict[str, Any], float]:
        """Early stopping and calibration on the inner window, and the choice among ``candidates`` (the
        lowest inner-window log loss wins; the constructor's own settings are always a candidate)."""
        best: tuple[float, int, Any, dict[str, Any]] | None = None
        for override in ({}, *(dict(c) for c in self.candidates)):
            budget = int(override.get("n_estimators", self.n_estimators))
            params = _params(self, budget, {**override, "objective": "binary", "random_state": CHOICE_SEED})
            stop = int(override.get("early_stopping_rounds", self.early_stopping_rounds))
            first = boost(params, X[~inner], y[~inner], valid=(X[inner], y[inner]), stopping_rounds=stop)
            loss = float(cast(float, first.best_score))
            if best is None or loss < best[0]:
                best = (loss, first.best_iteration or budget, first.booster, override)
        assert best is not None
        loss, n_trees, booster, chosen = best
        raw = np.asarray(booster.predict(X[inner], raw_score=True, num_iteration=n_trees))
        return n_trees, self._calibrator(raw, y[inner]), chosen, loss

    def _calibrator(self, raw: np.ndarray, y: np.ndarray) -> Any:
        if self.calibration == "sigmoid":
            return LogisticRegression(C=1e6, max_iter=1000).fit(raw.reshape(-1, 1), y)
        if self.calibration == "isotonic":
            return IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, y)
        return None

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated event probabilities as an (n, 2) array."""
        check_fitted(self, "classes_")
        if self.constant_ is not None:
            return proba_columns(np.full(len(X), self.constant_))
        raw = np.asarray(self.booster_.predict(X[self.features_], raw_score=True))
        if self.calibrator_ is None:
            return proba_columns(1.0 / (1.0 + np.exp(-raw)))
        if isinstance(self.calibrator_, LogisticRegression):
            return np.asarray(self.calibrator_.predict_proba(raw.reshape(-1, 1)))
        return proba_columns(self.calibrator_.predict(raw))

    def contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """Contributions on the log-odds scale (before calibration, which is monotone)."""
        if getattr(self, "constant_", None) is not None:
            return pd.DataFrame(0.0, index=X.index, columns=[*X.columns, "bias"])
        return super().contributions(X)


class LGBMCount(RegressorMixin, _LGBMBase):
    """LightGBM on ``log1p(deaths)``; the predictive distribution adds inner-window residuals.

    Residuals of the early-stopped inner model are pooled by bins of its prediction (deaths in
    quiet and in warring countries err very differently), and each forecast draws ``n_samples``
    residuals from its bin: samples = ``expm1(clip(prediction + residual, 0, log1p(max)))``, where
    ``max`` is the largest count in the training window: a residual from a war year added to another
    war's forecast would otherwise give millions of deaths (Syria h=3 showed a 95% bound of 1.19M).
    """

    def __init__(
        self,
        n_samples: int = 50,
        n_bins: int = 4,
        n_estimators: int = 300,
        learning_rate: float = 0.1,
        num_leaves: int = 15,
        min_child_samples: int = 20,
        subsample: float = 0.8,
        colsample_bytree: float = 0.8,
        reg_lambda: float = 1.0,
        inner_periods: int = 3,
        early_stopping_rounds: int = 20,
        random_state: int = 0,
        n_jobs: int = 1,
    ) -> None:
        super().__init__(
            n_estimators=n_estimators,
            learning_rate=learning_rate,
            num_leaves=num_leaves,
            min_child_samples=min_child_samples,
            subsample=subsample,
            colsample_bytree=colsample_bytree,
            reg_lambda=reg_lambda,
            inner_periods=inner_periods,
            early_stopping_rounds=early_stopping_rounds,
            random_state=random_state,
            n_jobs=n_jobs,
        )
        self.n_samples = n_samples
        self.n_bins = n_bins

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> LGBMCount:
        """Early-stop on the inner window, keep its residuals by prediction bin, refit on all rows."""
        target = np.log1p(np.asarray(y, dtype=float))
        check_training(target, self)
        inner = inner_split(len(target), periods, self.inner_periods)
        if inner.all() or not inner.any():
            inner = inner_split(len(target), None, self.inner_periods)
        params = _params(self, self.n_estimators, {"objective": "regression"})
        first = boost(
            params,
            X[~inner],
            target[~inner],
            valid=(X[inner], target[inner]),
            stopping_rounds=self.early_stopping_rounds,
        )
        self.n_trees_ = first.best_iteration or self.n_estimators
        predicted = np.asarray(first.booster.predict(X[inner], num_iteration=self.n_trees_))
        self.bin_edges_ = np.unique(np.quantile(predicted, np.linspace(0, 1, self.n_bins + 1)[1:-1]))
        bins = np.searchsorted(self.bin_edges_, predicted)
        residuals = target[inner] - predicted
        self.residuals_ = [residuals[bins == b] for b in range(len(self.bin_edges_) + 1)]
        self.max_log_ = float(target.max())
        self.booster_ = boost(_params(self, self.n_trees_, {"objective": "regression"}), X, target).booster
        return self

    def predict_samples(self, X: pd.DataFrame) -> np.ndarray:
        """``n_samples`` draws of deaths per row."""
        check_fitted(self, "booster_")
        predicted = np.asarray(self.booster_.predict(X))
        bins = np.searchsorted(self.bin_edges_, predicted)
        rng = np.random.default_rng(self.random_state)
        out = np.empty((len(X), self.n_samples))
        for b, pool in enumerate(self.residuals_):
            rows = np.flatnonzero(bins == b)
            if len(rows) == 0:
                continue
            pool = pool if len(pool) else np.zeros(1)
            draws = rng.choice(pool, size=(len(rows), self.n_samples), replace=True)
            out[rows] = np.expm1(np.clip(predicted[rows, None] + draws, 0.0, self.max_log_))
        return out

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Median of the predictive distribution."""
        return np.median(self.predict_samples(X), axis=1)
