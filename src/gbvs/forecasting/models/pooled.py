"""The marker of a model trained on the rows of every democratic space of a direction (v3.8).

:class:`PooledSpaces` wraps the democratic-space classifier. It learns nothing of its own: what makes
it pooled is what the engine gives it, the stacked rows of the six spaces with each row's own-space
columns (:func:`gbvs.forecasting.engine.pooled_training_set`, :mod:`gbvs.forecasting.pooling`), and
the view it forecasts from. Because the six targets of a direction share those rows, the engine fits
it once per origin, direction and horizon and lets each target forecast from the same fit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone

from gbvs.forecasting.models.base import check_fitted, seed_free


class PooledSpaces(ClassifierMixin, BaseEstimator):
    """``estimator`` fitted on the pooled rows of a direction's spaces (see the module docstring)."""

    def __init__(self, estimator: Any) -> None:
        self.estimator = estimator

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> PooledSpaces:
        """Fit a clone of ``estimator`` on the pooled rows."""
        self.estimator_ = clone(self.estimator).fit(X, y, periods=periods)
        self.classes_ = np.array([0, 1])
        return self

    def seed_free(self) -> bool:
        """Whether every seed fits the same model (``estimator`` decides)."""
        return seed_free(self.estimator)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Probabilities for rows of the pooled view."""
        check_fitted(self, "estimator_")
        return np.asarray(self.estimator_.predict_proba(X))

    def contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """``estimator``'s feature contributions on rows of the pooled view."""
        check_fitted(self, "estimator_")
        return pd.DataFrame(self.estimator_.contributions(X))
