"""Displacement models (scikit-learn conventions): ``fit(X, y, periods)`` and ``predict_samples(X)``.

Baselines on the same rows as the main model:

- ``LastValue``: next years are this year (a point mass at ``y_t``), the persistence forecast.
- ``LastValueSpread``: ``y_t`` times the log changes seen over ``h`` years in the training window
  (by level bin): persistence with an honest spread.
- ``ShortTrend``: the log-linear trend of the last two years carried ``h`` years on (a point mass).
- ``HistoryOnly``: the main model's LightGBM distribution on displacement history alone.

The main model (:class:`~gbvs.forecasting.models.choice.InnerWindowChoice` over
:class:`~gbvs.forecasting.models.LGBMCount` settings) picks its settings by CRPS on the last
``inner_periods`` years of each training window, then refits on all training rows: never on test years.

Samples are bounded below by 0 and above by :class:`HistoryBound` (v4): the larger of the training
window's largest value and the row's recent maximum plus the rise over it that the training rows
support. Up to v3 the bound was the training window's largest value alone, so a country forecast near
that value (Syria's asylum applications in the Netherlands) had its upper quantiles collapse onto it.
v4's bound scored worse than v3's on every target, so v5 lets the main model's inner window choose the
bound (``backtest.BOUNDS``: the training maximum, or this bound at rise quantile 0.90 or 0.99); the
baselines keep v4's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin, clone

from gbvs.forecasting.displacement.conflict_inputs import is_conflict_forecast
from gbvs.forecasting.displacement.features import history_only
from gbvs.forecasting.models.base import check_columns, check_fitted, check_training, inner_split
from gbvs.forecasting.models.hurdle import escalation_bounds, recent_maximum

N_SAMPLES = 50
BOUND_QUANTILE = 0.99
"""Quantile of the training rows' rises over their recent maximum that bounds a sample (as the
battle-death hurdle's ``bound_quantile``)."""


class HistoryBound(BaseEstimator):
    """Upper bound of a row's samples on the log1p scale, by history (v4).

    The larger of (a) the training window's largest value and (b) the row's recent maximum (the
    ``history`` column and its lags, :func:`~gbvs.forecasting.models.hurdle.recent_maximum`) plus the
    rise over the recent maximum that the training rows support: the ``quantile`` quantile of
    ``log1p(y) - recent maximum``, learnt apart for rows with and without a recent count
    (:func:`~gbvs.forecasting.models.hurdle.escalation_bounds`, the battle-death hurdle's rule). Unlike
    the hurdle, (a) is a floor, not a ceiling: a country at the largest value ever seen may still rise
    as far as others rose over theirs, so its upper quantiles do not collapse onto that value.
    """

    def __init__(self, history: str = "d_new_outflows", quantile: float = BOUND_QUANTILE) -> None:
        self.history = history
        self.quantile = quantile

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> HistoryBound:
        """Learn the supported rises and the training maximum from the training rows."""
        size = np.log1p(np.clip(np.asarray(y, dtype=float), 0.0, None))
        self.rises_ = escalation_bounds(recent_maximum(X, self.history), size, self.quantile)
        self.max_log_ = float(size.max())
        return self

    def max_log(self, X: pd.DataFrame) -> np.ndarray:
        """Per row, the largest ``log1p`` value a sample may take."""
        check_fitted(self, "rises_")
        recent = recent_maximum(X, self.history) if len(X) else np.empty(0)
        rise = np.where(recent > 0, self.rises_[1], self.rises_[0])
        return np.maximum(recent + rise, self.max_log_)


class _CountModel(RegressorMixin, BaseEstimator):
    """Shared ``predict`` (median of the samples) for the count models here."""

    def predict_samples(self, X: pd.DataFrame) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Median of the predictive distribution."""
        return np.median(self.predict_samples(X), axis=1)


class LastValue(_CountModel):
    """A point mass at ``y_t`` (the value of the ``history`` column, on the log1p scale)."""

    def __init__(self, history: str = "d_new_outflows", n_samples: int = N_SAMPLES) -> None:
        self.history = history
        self.n_samples = n_samples

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> LastValue:
        """Nothing to learn beyond checking the history column."""
        check_training(np.asarray(y), self)
        check_columns(X, [self.history], self)
        self.fitted_ = True
        return self

    def _level(self, X: pd.DataFrame) -> np.ndarray:
        return X[self.history].fillna(0.0).to_numpy(dtype=float)

    def predict_samples(self, X: pd.DataFrame) -> np.ndarray:
        """``y_t`` repeated ``n_samples`` times."""
        check_fitted(self, "fitted_")
        return np.repeat(np.expm1(self._level(X))[:, None], self.n_samples, axis=1)


class ShortTrend(LastValue):
    """``log1p y_t + h * (log1p y_t - log1p y_{t-2}) / 2``, a point mass (no trend without two lags)."""

    def __init__(self, history: str = "d_new_outflows", horizon: int = 1, n_samples: int = N_SAMPLES) -> None:
        super().__init__(history=history, n_samples=n_samples)
        self.horizon = horizon

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> ShortTrend:
        """Check the level and its second lag are there; keep the training maximum as a bound."""
        super().fit(X, y, periods)
        check_columns(X, [f"{self.history}_lag2"], self)
        self.max_log_ = float(np.log1p(np.max(y)))
        return self

    def predict_samples(self, X: pd.DataFrame) -> np.ndarray:
        """The extrapolated value repeated, bounded by 0 and the training maximum."""
        check_fitted(self, "max_log_")
        level = self._level(X)
        slope = np.nan_to_num((level - X[f"{self.history}_lag2"].to_numpy(dtype=float)) / 2.0)
        value = np.expm1(np.clip(level + self.horizon * slope, 0.0, self.max_log_))
        return np.repeat(value[:, None], self.n_samples, axis=1)


class LastValueSpread(LastValue):
    """``y_t`` times the training window's ``h``-year log changes, by bin of the level ``log1p y_t``."""

    def __init__(self, history: str = "d_new_outflows", n_bins: int = 4, n_samples: int = N_SAMPLES) -> None:
        super().__init__(history=history, n_samples=n_samples)
        self.n_bins = n_bins

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> LastValueSpread:
        """Keep the log changes per level bin (their quantiles are the samples)."""
        super().fit(X, y, periods)
        level = self._level(X)
        changes = np.log1p(np.asarray(y, dtype=float)) - level
        self.edges_ = np.unique(np.quantile(level, np.linspace(0, 1, self.n_bins + 1)[1:-1]))
        bins = np.searchsorted(self.edges_, level)
        grid = (np.arange(self.n_samples) + 0.5) / self.n_samples
        self.changes_ = [
            np.quantile(changes[bins == b], grid) if (bins == b).any() else np.zeros(self.n_samples)
            for b in range(len(self.edges_) + 1)
        ]
        self.bound_ = HistoryBound(self.history).fit(X, y)
        return self

    def predict_samples(self, X: pd.DataFrame) -> np.ndarray:
        """Deterministic samples: the level plus its bin's change quantiles, bounded by history."""
        check_fitted(self, "changes_")
        level = self._level(X)
        bins = np.searchsorted(self.edges_, level)
        changes = np.vstack([self.changes_[b] for b in bins]) if len(level) else np.empty((0, self.n_samples))
        return np.expm1(np.clip(level[:, None] + changes, 0.0, self.bound_.max_log(X)[:, None]))


class HistoryOnly(_CountModel):
    """``estimator`` on the displacement-history columns only."""

    def __init__(self, estimator: Any) -> None:
        self.estimator = estimator

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> HistoryOnly:
        """Fit a clone of ``estimator`` on the history columns."""
        self.columns_ = history_only(list(X.columns))
        self.estimator_ = clone(self.estimator).fit(X[self.columns_], y, periods=periods)
        return self

    def predict_samples(self, X: pd.DataFrame) -> np.ndarray:
        """The estimator's samples from the history columns."""
        check_fitted(self, "estimator_")
        return np.asarray(self.estimator_.predict_samples(X[self.columns_]))


class WithoutConflictForecasts(_CountModel):
    """``estimator`` on every column but the conflict forecasts (the v1 inputs)."""

    def __init__(self, estimator: Any) -> None:
        self.estimator = estimator

    def fit(
        self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None
    ) -> WithoutConflictForecasts:
        """Fit a clone of ``estimator`` without the ``cf_`` columns."""
        self.columns_ = [c for c in X.columns if not is_conflict_forecast(c)]
        self.estimator_ = clone(self.estimator).fit(X[self.columns_], y, periods=periods)
        return self

    def predict_samples(self, X: pd.DataFrame) -> np.ndarray:
        """The estimator's samples from the kept columns."""
        check_fitted(self, "estimator_")
        return np.asarray(self.estimator_.predict_samples(X[self.columns_]))


class LGBMChange(_CountModel):
    """LightGBM on the log change ``log1p y_{t+h} - log1p y_t``; the distribution adds inner-window errors.

    Modelling the change rather than the level makes the trees a correction of persistence, which
    matters most for the largest origins (their level is beyond what leaves can hold precisely). The
    model early-stops on the last ``inner_periods`` periods of the training rows, keeps its errors
    there by bin of the level ``log1p y_t``, and refits on all rows with that number of trees. The
    samples are the forecast level plus the bin's error quantiles, bounded by 0 and
    :class:`HistoryBound`: deterministic for a seed.
    """

    def __init__(
        self,
        history: str = "d_new_outflows",
        n_samples: int = N_SAMPLES,
        n_bins: int = 4,
        n_estimators: int = 300,
        learning_rate: float = 0.05,
        num_leaves: int = 15,
        min_child_samples: int = 20,
        subsample: float = 0.8,
        colsample_bytree: float = 0.8,
        reg_lambda: float = 1.0,
        inner_periods: int = 3,
        early_stopping_rounds: int = 20,
        random_state: int = 0,
    ) -> None:
        self.history = history
        self.n_samples = n_samples
        self.n_bins = n_bins
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

    def _booster(self, trees: int) -> Any:
        import lightgbm as lgb

        return lgb.LGBMRegressor(
            n_estimators=trees,
            learning_rate=self.learning_rate,
            num_leaves=self.num_leaves,
            min_child_samples=self.min_child_samples,
            subsample=self.subsample,
            subsample_freq=1,
            colsample_bytree=self.colsample_bytree,
            reg_lambda=self.reg_lambda,
            random_state=self.random_state,
            n_jobs=1,
            max_bin=127,
            deterministic=True,
            force_row_wise=True,
            verbose=-1,
        )

    def _level(self, X: pd.DataFrame) -> np.ndarray:
        return X[self.history].fillna(0.0).to_numpy(dtype=float)

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> LGBMChange:
        """Early-stop on the inner window, keep its errors by level bin, refit on all rows."""
        import lightgbm as lgb

        y = np.asarray(y, dtype=float)
        check_training(y, self)
        check_columns(X, [self.history], self)
        level = self._level(X)
        change = np.log1p(y) - level
        inner = inner_split(len(y), periods, self.inner_periods)
        if inner.all() or not inner.any():
            inner = inner_split(len(y), None, self.inner_periods)
        first = self._booster(self.n_estimators).fit(
            X[~inner],
            change[~inner],
            eval_X=(X[inner],),
            eval_y=(change[inner],),
            callbacks=[lgb.early_stopping(self.early_stopping_rounds, verbose=False)],
        )
        self.n_trees_ = int(first.best_iteration_ or self.n_estimators)
        errors = change[inner] - first.predict(X[inner], num_iteration=self.n_trees_)
        self.edges_ = np.unique(np.quantile(level[inner], np.linspace(0, 1, self.n_bins + 1)[1:-1]))
        bins = np.searchsorted(self.edges_, level[inner])
        grid = (np.arange(self.n_samples) + 0.5) / self.n_samples
        self.errors_ = [
            np.quantile(errors[bins == b], grid) if (bins == b).any() else np.quantile(errors, grid)
            for b in range(len(self.edges_) + 1)
        ]
        self.bound_ = HistoryBound(self.history).fit(X, y)
        self.booster_ = self._booster(self.n_trees_).fit(X, change).booster_
        return self

    def predict_samples(self, X: pd.DataFrame) -> np.ndarray:
        """The forecast level plus its bin's inner-window error quantiles, bounded by history."""
        check_fitted(self, "booster_")
        level = self._level(X)
        centre = level + np.asarray(self.booster_.predict(X))
        bins = np.searchsorted(self.edges_, level)
        errors = np.vstack([self.errors_[b] for b in bins]) if len(level) else np.empty((0, self.n_samples))
        return np.expm1(np.clip(centre[:, None] + errors, 0.0, self.bound_.max_log(X)[:, None]))
