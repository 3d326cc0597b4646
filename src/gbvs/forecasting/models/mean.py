"""The mean of several classifiers' probabilities (v3.12: the country-year incidence and war models).

Each member is fitted on the same rows and makes its own choices on its own inner window (feature screen,
number of trees, calibration); the published probability is the mean of the members' probabilities. The
incidence and war classifiers used to *choose* one of two boosters per fit on an inner window of 70-100
events; the mean of both does not depend on that noisy choice and scored a lower hold-out Brier score
(``benchmarks/diag_conflict_average.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone

from gbvs.errors import ForecastError
from gbvs.forecasting.models.base import check_fitted, seed_free


class MeanOfClassifiers(ClassifierMixin, BaseEstimator):
    """Fits a clone of every classifier of ``estimators`` and publishes the mean of their probabilities."""

    def __init__(self, estimators: Sequence[Any] = ()) -> None:
        self.estimators = estimators

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> MeanOfClassifiers:
        """Fit a clone of each member on the same rows."""
        if not self.estimators:
            raise ForecastError(
                "MeanOfClassifiers has no classifiers to average; give it at least one, e.g. "
                "MeanOfClassifiers((LGBMBinary(),))"
            )
        self.estimators_ = [clone(member).fit(X, y, periods=periods) for member in self.estimators]
        self.classes_ = np.array([0, 1])
        return self

    def seed_free(self) -> bool:
        """Whether every seed fits the same model: every member says so."""
        return all(seed_free(member) for member in self.estimators)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """The mean of the members' probabilities, as an (n, 2) array."""
        check_fitted(self, "estimators_")
        return np.mean([np.asarray(member.predict_proba(X)) for member in self.estimators_], axis=0)

    def contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """The mean of the members' feature contributions (log-odds scale, with ``bias``). They add up to
        the mean of the members' raw scores, not to the log-odds of the published mean probability; the
        driver families' ranking and direction are read from them as from a single booster's."""
        check_fitted(self, "estimators_")
        parts = [pd.DataFrame(member.contributions(X)) for member in self.estimators_]
        return sum(parts[1:], parts[0]) / len(parts)
