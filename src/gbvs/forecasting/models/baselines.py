"""Baselines: zero, persistence, the history-only logistic regression and the conflictology bootstrap."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.linear_model import LogisticRegression

from gbvs.forecasting.models.base import check_columns, check_fitted, check_training, proba_columns


class ZeroModel(ClassifierMixin, BaseEstimator):
    """Always forecasts probability 0 (no event anywhere)."""

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> ZeroModel:
        """Nothing to learn; records that fit ran."""
        check_training(np.asarray(y), self)
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Probability 0 for every row."""
        check_fitted(self, "classes_")
        return proba_columns(np.zeros(len(X)))


class PersistenceModel(ClassifierMixin, BaseEstimator):
    """Forecasts ``y_t``: what happens at ``t`` happens at ``t + h`` (probability 0 or 1)."""

    def __init__(self, history: str = "conflict") -> None:
        self.history = history

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> PersistenceModel:
        """Nothing to learn beyond checking the history column exists."""
        check_training(np.asarray(y), self)
        check_columns(X, [self.history], self)
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """``y_t`` (missing counts as no event)."""
        check_fitted(self, "classes_")
        return proba_columns(X[self.history].fillna(0.0).to_numpy())


class HistoryLogit(ClassifierMixin, BaseEstimator):
    """Logistic regression on ``y_t`` and ``2^(-years since last event / 2)`` only."""

    def __init__(self, history: str = "conflict", decay: str = "conflict_decay_2", C: float = 1.0) -> None:
        self.history = history
        self.decay = decay
        self.C = C

    def _design(self, X: pd.DataFrame) -> np.ndarray:
        return X[[self.history, self.decay]].fillna(0.0).to_numpy(dtype=float)

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> HistoryLogit:
        """Fit the two-variable logistic regression."""
        y = np.asarray(y).astype(int)
        check_training(y, self)
        check_columns(X, [self.history, self.decay], self)
        self.classes_ = np.array([0, 1])
        self.constant_ = float(y.mean()) if len(np.unique(y)) < 2 else None
        if self.constant_ is None:
            self.model_ = LogisticRegression(C=self.C, max_iter=1000).fit(self._design(X), y)
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Event probabilities as an (n, 2) array."""
        check_fitted(self, "classes_")
        if self.constant_ is not None:
            return proba_columns(np.full(len(X), self.constant_))
        return np.asarray(self.model_.predict_proba(self._design(X)))


class ZeroCount(RegressorMixin, BaseEstimator):
    """Forecasts zero battle deaths (a point mass at 0)."""

    def __init__(self, n_samples: int = 50) -> None:
        self.n_samples = n_samples

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> ZeroCount:
        """Nothing to learn."""
        check_training(np.asarray(y), self)
        self.fitted_ = True
        return self

    def predict_samples(self, X: pd.DataFrame) -> np.ndarray:
        """All-zero samples."""
        check_fitted(self, "fitted_")
        return np.zeros((len(X), self.n_samples))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Median forecast (0)."""
        return np.median(self.predict_samples(X), axis=1)


class PersistenceCount(ZeroCount):
    """Forecasts the deaths of ``t`` for ``t + h`` (a point mass at ``y_t``)."""

    def __init__(self, history: str = "log_brd", n_samples: int = 50) -> None:
        self.history = history
        self.n_samples = n_samples

    def predict_samples(self, X: pd.DataFrame) -> np.ndarray:
        """``y_t`` repeated."""
        check_fitted(self, "fitted_")
        values = np.expm1(X[self.history].fillna(0.0).to_numpy(dtype=float))
        return np.repeat(values[:, None], self.n_samples, axis=1)


class ConflictologyBootstrap(ZeroCount):
    """Samples each unit's own recent history (``log_brd`` and its lags) with replacement."""

    def __init__(self, history: str = "log_brd", n_samples: int = 50, random_state: int = 0) -> None:
        self.history = history
        self.n_samples = n_samples
        self.random_state = random_state

    def fit(
        self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None
    ) -> ConflictologyBootstrap:
        """Record which columns hold the recent history."""
        check_training(np.asarray(y), self)
        self.columns_ = [c for c in X.columns if c == self.history or c.startswith(f"{self.history}_lag")]
        check_columns(X, [self.history], self)
        return self

    def predict_samples(self, X: pd.DataFrame) -> np.ndarray:
        """Draw ``n_samples`` values from each row's own recent deaths (missing years skipped)."""
        check_fitted(self, "columns_")
        history = np.expm1(X[self.columns_].to_numpy(dtype=float))
        rng = np.random.default_rng(self.random_state)
        out = np.zeros((len(X), self.n_samples))
        for i, row in enumerate(history):
            seen = row[~np.isnan(row)]
            if len(seen):
                out[i] = rng.choice(seen, size=self.n_samples, replace=True)
        return out
