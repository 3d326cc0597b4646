"""Battle deaths as a hurdle: P(any deaths) times the size of the deaths given that there are any.

* **Occurrence**: a calibrated classifier of ``deaths > 0``, one
  :class:`~gbvs.forecasting.models.LGBMBinary` with the incidence model's settings (early stopping, the
  choice among
  ``occurrence_candidates`` and Platt calibration on the inner window; ``occurrence`` holds its
  other settings as ``(name, value)`` pairs, so the hurdle stays clonable and comparable).
* **Size given deaths**: LightGBM quantile regression of ``log1p(deaths)`` on the rows with deaths,
  one booster per quantile level. Each level's number of trees is early-stopped on the inner window
  (the last ``inner_periods`` training periods), and the level is then shifted by the inner-window
  quantile of its own errors (conformalised quantile regression), so that on the inner window each
  level covers its share of outcomes; the boosters are refitted on all rows with deaths. The trees
  and shifts are chosen at one fixed seed (v3.5, :mod:`gbvs.forecasting.models.memory`), so the
  seeds of a fit differ only in the refit's sampling, and a backtest chooses them once per origin.
* **Screen** (``screen = k``, v3.2): the occurrence classifier screens its own features (see
  :mod:`gbvs.forecasting.models.lgbm`); the size boosters share one screen, a short L2 booster on
  ``log1p(deaths)`` of the rows with deaths before the inner window.
* **Combined**: the predictive distribution is the mixture ``(1 - p) * point mass at 0 + p * size``;
  its samples are the mixture's quantiles at ``n_samples`` evenly spaced probabilities (no random
  draws), so the same fit gives the same samples.
* **Bounded by history**: no sample exceeds the unit's largest count of the last years (its
  ``history`` column and lags) plus the escalation that the training rows support (their
  ``bound_quantile`` quantile of ``log1p(deaths at t+h) - log1p(recent maximum)``, learnt separately
  for units with and without recent deaths), nor the largest count of the training window.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin

from gbvs.errors import ForecastError
from gbvs.forecasting.models.base import check_columns, check_fitted, check_training, inner_split
from gbvs.forecasting.models.boosting import boost
from gbvs.forecasting.models.lgbm import LGBMBinary, _params, screen_features
from gbvs.forecasting.models.memory import CHOICE_SEED, CHOICES, data_key, settings_of

LEVELS: tuple[float, ...] = (0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.98)
"""Quantile levels of the size model; the mixture is interpolated between them and flat beyond."""


def _quantile(level: float) -> dict[str, Any]:
    return {"objective": "quantile", "alpha": float(level)}


def recent_maximum(X: pd.DataFrame, history: str) -> np.ndarray:
    """Per row, the largest ``log1p(deaths)`` of ``history`` and its lags (0 where none is known)."""
    columns = [c for c in X.columns if c == history or c.startswith(f"{history}_lag")]
    values = X[columns].to_numpy(dtype=float)
    return np.asarray(np.nan_to_num(np.nanmax(np.where(np.isnan(values), 0.0, values), axis=1)))


def escalation_bounds(recent: np.ndarray, size: np.ndarray, quantile: float) -> tuple[float, float]:
    """The rise over the recent maximum that training rows support, on the log1p scale: the
    ``quantile`` quantile of ``size - recent`` for rows without (``recent <= 0``) and with a recent
    count (at least 0 for the latter); where a group has no rows, the largest ``size``. Used by the
    battle-death hurdle and the displacement models (v4) to bound samples by history."""
    rise = size - recent
    quiet, active = recent <= 0, recent > 0
    top = float(size.max())
    without = float(np.quantile(rise[quiet], quantile)) if quiet.any() else top
    with_count = float(np.quantile(rise[active], quantile)) if active.any() else top
    return without, max(with_count, 0.0)


def mixture_quantiles(p: np.ndarray, sizes: np.ndarray, levels: np.ndarray, n: int) -> np.ndarray:
    """Quantiles at ``(i + 0.5) / n`` of ``(1 - p) * delta_0 + p * size`` per row.

    ``sizes`` holds each row's size quantiles at ``levels`` (sorted); between levels the size's
    quantile function is linear, beyond the outer levels flat.
    """
    u = (np.arange(n) + 0.5) / n
    p = np.clip(np.asarray(p, dtype=float), 1e-9, 1.0)
    conditional = (u[None, :] - (1.0 - p[:, None])) / p[:, None]
    out = np.zeros((len(p), n))
    for i in range(len(p)):
        positive = conditional[i] > 0
        out[i, positive] = np.interp(conditional[i, positive], levels, sizes[i])
    return np.where(conditional > 0, out, np.nan)


class HurdleCount(RegressorMixin, BaseEstimator):
    """Hurdle model of battle deaths (see the module docstring); ``predict_samples`` gives counts."""

    sizes_: list[Any]
    shifts_: np.ndarray
    bounds_: tuple[float, float]

    def __init__(
        self,
        occurrence: tuple[tuple[str, Any], ...] = (),
        occurrence_candidates: tuple[tuple[tuple[str, Any], ...], ...] = (),
        levels: tuple[float, ...] = LEVELS,
        conformal: bool = True,
        bound_quantile: float = 0.99,
        history: str = "log_brd",
        n_samples: int = 50,
        n_estimators: int = 400,
        learning_rate: float = 0.05,
        num_leaves: int = 7,
        min_child_samples: int = 20,
        subsample: float = 0.8,
        colsample_bytree: float = 0.8,
        reg_lambda: float = 1.0,
        inner_periods: int = 3,
        early_stopping_rounds: int = 30,
        random_state: int = 0,
        n_jobs: int = 1,
        screen: int = 0,
    ) -> None:
        self.occurrence = occurrence
        self.occurrence_candidates = occurrence_candidates
        self.levels = levels
        self.conformal = conformal
        self.bound_quantile = bound_quantile
        self.history = history
        self.n_samples = n_samples
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

    def _check_settings(self) -> np.ndarray:
        levels = np.asarray(self.levels, dtype=float)
        if len(levels) < 2 or np.any(np.diff(levels) <= 0) or levels[0] <= 0 or levels[-1] >= 1:
            raise ForecastError(
                f"HurdleCount levels {self.levels!r} must be at least two increasing probabilities "
                "strictly between 0 and 1, e.g. (0.1, 0.5, 0.9)"
            )
        if not 0 < self.bound_quantile <= 1:
            raise ForecastError(
                f"HurdleCount bound_quantile {self.bound_quantile!r} must lie in (0, 1], e.g. 0.99"
            )
        return levels

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> HurdleCount:
        """Fit the occurrence classifier on all rows and the size quantiles on the rows with deaths."""
        levels = self._check_settings()
        deaths = np.asarray(y, dtype=float)
        check_training(deaths, self)
        check_columns(X, [self.history], self)
        if np.any(deaths < 0):
            raise ForecastError("battle deaths must not be negative; check the panel's brd_best column")
        positive = deaths > 0
        occurrence = LGBMBinary(
            random_state=self.random_state,
            n_jobs=self.n_jobs,
            candidates=self.occurrence_candidates,
            screen=self.screen,
            **dict(self.occurrence),
        )
        self.occurrence_ = occurrence.fit(X, positive.astype(int), periods=periods)
        if not positive.any():
            self.features_ = list(X.columns)
            self.sizes_ = []
            self.shifts_ = np.zeros(len(levels))
            self.bounds_ = (0.0, 0.0)
            self.min_log_ = self.max_log_ = 0.0
            return self
        size = np.log1p(deaths[positive])
        self._fit_sizes(X[positive], size, None if periods is None else np.asarray(periods)[positive], levels)
        self.min_log_, self.max_log_ = float(size.min()), float(size.max())
        self.bounds_ = self._escalation_bounds(recent_maximum(X[positive], self.history), size)
        return self

    def _fit_sizes(
        self, X: pd.DataFrame, size: np.ndarray, periods: np.ndarray | None, levels: np.ndarray
    ) -> None:
        inner = inner_split(len(size), periods, self.inner_periods)
        if inner.all() or not inner.any() or inner.sum() < 10:
            inner = inner_split(len(size), None, self.inner_periods)
        self.features_ = screen_features("regression", self, X[~inner], size[~inner])
        X = X[self.features_]
        settings = ("HurdleCount size levels", settings_of(self, without=("random_state", "n_jobs")))
        trees, shifts = CHOICES.recall(
            data_key(settings, X, size, inner), lambda: self._size_choice(X, size, inner, levels)
        )
        self.sizes_ = [
            boost(_params(self, n, _quantile(level)), X, size).booster
            for level, n in zip(levels, trees, strict=True)
        ]
        self.shifts_ = np.asarray(shifts)

    def _size_choice(
        self, X: pd.DataFrame, size: np.ndarray, inner: np.ndarray, levels: np.ndarray
    ) -> tuple[list[int], list[float]]:
        """Per level, the number of trees early-stopped on the inner window and the conformal shift
        (the inner-window quantile of its errors), made at :data:`CHOICE_SEED` (the same for every seed)."""
        trees: list[int] = []
        shifts: list[float] = []
        for level in levels:
            override = {**_quantile(level), "random_state": CHOICE_SEED}
            params = _params(self, self.n_estimators, override)
            stop = self.early_stopping_rounds
            first = boost(
                params, X[~inner], size[~inner], valid=(X[inner], size[inner]), stopping_rounds=stop
            )
            n = first.best_iteration or self.n_estimators
            errors = size[inner] - first.booster.predict(X[inner], num_iteration=n)
            trees.append(n)
            shifts.append(float(np.quantile(errors, level)) if self.conformal else 0.0)
        return trees, shifts

    def _escalation_bounds(self, recent: np.ndarray, size: np.ndarray) -> tuple[float, float]:
        """Largest supported rise over the recent maximum: (units without, units with recent deaths)."""
        return escalation_bounds(recent, size, self.bound_quantile)

    def size_quantiles(self, X: pd.DataFrame) -> np.ndarray:
        """(n, levels) quantiles of ``log1p(deaths)`` given deaths, shifted, sorted and bounded."""
        check_fitted(self, "occurrence_")
        if not self.sizes_:
            return np.zeros((len(X), len(self.levels)))
        used = X[self.features_]
        raw = np.column_stack([b.predict(used) for b in self.sizes_]) + self.shifts_[None, :]
        recent = recent_maximum(X, self.history)
        cap = np.minimum(recent + np.where(recent > 0, self.bounds_[1], self.bounds_[0]), self.max_log_)
        cap = np.maximum(cap, self.min_log_)
        return np.clip(np.sort(raw, axis=1), self.min_log_, cap[:, None])

    def predict_samples(self, X: pd.DataFrame) -> np.ndarray:
        """``n_samples`` deaths per row: the mixture's quantiles at evenly spaced probabilities."""
        check_fitted(self, "occurrence_")
        p = self.occurrence_.predict_proba(X)[:, 1]
        logs = mixture_quantiles(
            p, self.size_quantiles(X), np.asarray(self.levels, dtype=float), self.n_samples
        )
        return np.where(np.isnan(logs), 0.0, np.expm1(np.nan_to_num(logs)))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Median of the predictive distribution."""
        return np.median(self.predict_samples(X), axis=1)

    def contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """Contributions to the chance of any deaths (the occurrence model's log-odds)."""
        check_fitted(self, "occurrence_")
        return pd.DataFrame(self.occurrence_.contributions(X))
