"""The bound rule of the democratic-space targets: an index at its bound cannot move past it.

The V-Dem space indices run from 0 to 1, and a DemSpaces opening (closing) is a rise (fall) of
more than the space's cutpoint. An index whose room to the bound in that direction (the feature
``ds_room_<direction>_<index>``, in cutpoints, :func:`gbvs.forecasting.labels.add_demspaces_events`)
is below 1 can only get there after first moving the other way; in the panel from 1970 to 2004
that happened 8 times in 4,606 such space-country-years of the 12 targets (0.17%). DemSpaces'
random forest gives 97.6% (openings) and 95.9% (closings) of these rows exactly 0 in its published
v14 forecasts without writing a rule; its "no change possible" markers (``2-create-dv-data.Rmd``,
issue #15) are not evaluated.

:class:`SpaceBound` wraps the main classifier: it is fitted on every training row as before, and a
row at the bound gets the training window's own rate of events at the bound (Jeffreys-smoothed,
``(events + 0.5) / (rows + 1)``) instead of the classifier's probability. Learnt from the training
rows only; with no training row at the bound the classifier's probability stands.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone

from gbvs.forecasting.models.base import check_columns, check_fitted, check_training, proba_columns, seed_free


class SpaceBound(ClassifierMixin, BaseEstimator):
    """A binary classifier whose rows at the bound (``room`` < ``limit``) get the training rate there."""

    def __init__(self, estimator: Any, room: str, limit: float = 1.0) -> None:
        self.estimator = estimator
        self.room = room
        self.limit = limit

    def _at_bound(self, X: pd.DataFrame) -> np.ndarray:
        check_columns(X, [self.room], self)
        return np.asarray(X[self.room].to_numpy(dtype=float) < self.limit)

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> SpaceBound:
        """Fit the classifier on all rows and learn the event rate of the training rows at the bound."""
        y = np.asarray(y).astype(int)
        check_training(y, self)
        at_bound = self._at_bound(X)
        self.estimator_ = clone(self.estimator).fit(X, y, periods=periods)
        self.classes_ = np.array([0, 1])
        self.bound_rows_ = int(at_bound.sum())
        self.bound_events_ = int(y[at_bound].sum())
        self.bound_rate_ = (self.bound_events_ + 0.5) / (self.bound_rows_ + 1.0) if self.bound_rows_ else None
        return self

    def seed_free(self) -> bool:
        """Whether every seed fits the same model (the bound rule has no seed; the classifier decides)."""
        return seed_free(self.estimator)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """The classifier's probabilities, with the training rate at the bound for rows at the bound."""
        check_fitted(self, "estimator_")
        p = np.asarray(self.estimator_.predict_proba(X))[:, 1].copy()
        if self.bound_rate_ is not None:
            p[self._at_bound(X)] = self.bound_rate_
        return proba_columns(p)

    def contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """The classifier's own feature contributions (explanations; the bound rule is not a feature)."""
        check_fitted(self, "estimator_")
        out: pd.DataFrame = self.estimator_.contributions(X)
        return out
