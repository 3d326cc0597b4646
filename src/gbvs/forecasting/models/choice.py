"""Choosing a count model's settings on the inner window: which candidate, how wide, how much of a baseline.

:class:`InnerWindowChoice` fits each candidate on the training rows before the inner window (the last
``inner_periods`` periods), scores its samples there by CRPS after each :class:`Calibration` (a widening
of the spread on the log scale, :func:`widen`, and a share of a baseline's samples in a mixture,
:func:`pool`), keeps the best pair and refits the candidate on all rows. Never on test years. Used by
the displacement models (issue 17) and the battle-death hurdle (issue 11, v3.3), where the baseline is
persistence: the mixture can only be chosen where it scores better on the years before the origin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin, clone

from gbvs.forecasting.metrics import crps, pit_coverage
from gbvs.forecasting.models.base import check_fitted, check_training, inner_split
from gbvs.forecasting.models.memory import CHOICES, data_key, settings_of


def widen(samples: np.ndarray, scale: float, max_log: float | np.ndarray) -> np.ndarray:
    """Samples spread ``scale`` times as far from their median on the log1p scale, bounded by 0 and
    ``max_log`` (one bound, or one per row; ``scale`` 1 returns them as they are)."""
    if scale == 1.0 or not len(samples):
        return samples
    logged = np.log1p(np.clip(samples, 0.0, None))
    centre = np.median(logged, axis=1, keepdims=True)
    upper = np.asarray(max_log, dtype=float)
    upper = upper[:, None] if upper.ndim == 1 else upper
    return np.expm1(np.clip(centre + scale * (logged - centre), 0.0, upper))


def pool(main: np.ndarray, other: np.ndarray, weight: float) -> np.ndarray:
    """The mixture ``(1 - weight) * main + weight * other`` as ``main.shape[1]`` deterministic samples
    (each part's quantiles at evenly spaced levels)."""
    n = main.shape[1]
    k = round(weight * n)
    if k == 0 or not len(main):
        return main
    grid = lambda m: (np.arange(m) + 0.5) / m  # noqa: E731
    parts = [np.quantile(other, grid(k), axis=1).T]
    if n - k:
        parts.insert(0, np.quantile(main, grid(n - k), axis=1).T)
    return np.sort(np.hstack(parts), axis=1)


@dataclass(frozen=True)
class Calibration:
    """How the chosen model's samples are widened (``scale``) and pooled with the spread baseline
    (``blend``, its share of the mixture)."""

    scale: float = 1.0
    blend: float = 0.0


class InnerWindowChoice(RegressorMixin, BaseEstimator):
    """Of ``candidates`` and ``calibrations``, the pair with the lowest mean CRPS on the inner window;
    the candidate is refitted on all rows and keeps that calibration.

    The inner window is the last ``inner_periods`` periods of the training rows (as for the conflict
    models); each candidate is fitted on the rows before it, so its spread (learnt on its own inner
    window, the years before) meets years it has not seen: the widening and the share of ``spread``
    (the past-changes baseline, fitted on the same rows) that make those years' CRPS lowest are
    learnt there, never on test years. ``chosen_`` is the winner's index, ``calibration_`` its
    calibration, ``inner_crps_`` the best inner CRPS of each candidate. With ``search_seed`` the
    candidates are searched at that seed whatever their own (the choice is then a property of the
    data, remembered per process), and only the refit on all rows uses their own seeds.

    ``coverage`` maps central-interval levels to the range of inner-window randomised-PIT coverage
    (:func:`~gbvs.forecasting.metrics.pit_coverage`) a calibration must reach to be chosen, e.g.
    ``{0.5: (0.45, 0.55)}``: the lowest-CRPS calibration among the calibrated ones, in the spirit of
    Gneiting, Balabdaoui & Raftery (2007, *JRSS B* 69(2), "maximise sharpness subject to
    calibration"). Where no calibration of a candidate reaches every range, its lowest CRPS wins as
    without ``coverage``; a candidate with a calibrated choice beats one without.

    ``bound`` (unfitted; ``fit(X, y)`` and ``max_log(X)``, one log1p bound per row) bounds the widened
    samples; without it they are bounded by the training window's largest value (the battle-death
    hurdle). The displacement models use :class:`~gbvs.forecasting.displacement.models.HistoryBound` (v4).
    """

    def __init__(
        self,
        candidates: Sequence[Any] = (),
        inner_periods: int = 3,
        calibrations: Sequence[Calibration] = (Calibration(),),
        spread: Any = None,
        search_seed: int | None = None,
        coverage: Mapping[float, tuple[float, float]] | None = None,
        bound: Any = None,
    ) -> None:
        self.candidates = candidates
        self.inner_periods = inner_periods
        self.calibrations = calibrations
        self.spread = spread
        self.search_seed = search_seed
        self.coverage = coverage
        self.bound = bound

    def fit(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None = None) -> InnerWindowChoice:
        """Score every candidate and calibration on the inner window, keep the best, refit on all rows."""
        y = np.asarray(y, dtype=float)
        check_training(y, self)
        inner = inner_split(len(y), periods, self.inner_periods)
        self.inner_crps_: list[float] = []
        self.chosen_, self.calibration_ = 0, Calibration()
        searching = len(self.candidates) > 1 or len(self.calibrations) > 1
        if searching and inner.any() and (~inner).any():
            self._search_once(X, y, periods, inner)
        self.max_log_ = float(np.log1p(y.max()))
        self.bound_ = None if self.bound is None else clone(self.bound).fit(X, y)
        self.estimator_ = clone(self.candidates[self.chosen_]).fit(X, y, periods=periods)
        self.spread_ = self._fit_spread(X, y, periods)
        return self

    def _fit_spread(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None) -> Any:
        if self.spread is None or not any(c.blend for c in self.calibrations):
            return None
        return clone(self.spread).fit(X, y, periods=periods)

    def _search_once(
        self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None, inner: np.ndarray
    ) -> None:
        """The search, at the candidates' own seeds; or, with ``search_seed``, at that seed for every
        candidate and remembered per process (:data:`CHOICES`), so the seeds of a fit search once."""
        if self.search_seed is None:
            self._search(X, y, periods, inner)
            return
        settings = (
            "InnerWindowChoice search",
            [settings_of(c) for c in self.candidates],
            settings_of(self, without=("candidates",)),
        )
        key = data_key(settings, X, y, periods, inner)
        self.chosen_, self.calibration_, self.inner_crps_ = CHOICES.recall(
            key, lambda: self._searched(X, y, periods, inner)
        )

    def _searched(
        self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None, inner: np.ndarray
    ) -> tuple[int, Calibration, list[float]]:
        self._search(X, y, periods, inner)
        return self.chosen_, self.calibration_, self.inner_crps_

    def _at_search_seed(self, candidate: Any) -> Any:
        model = clone(candidate)
        if self.search_seed is not None and "random_state" in model.get_params(deep=False):
            model.set_params(random_state=self.search_seed)
        return model

    def _search(self, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray | None, inner: np.ndarray) -> None:
        outer_periods = None if periods is None else np.asarray(periods)[~inner]
        spread = self._fit_spread(X[~inner], y[~inner], outer_periods)
        other = None if spread is None else spread.predict_samples(X[inner])
        max_log = self._max_log(X, y, inner)
        best: tuple[tuple[bool, float], int, Calibration] = ((True, np.inf), 0, Calibration())
        for index, candidate in enumerate(self.candidates):
            fitted = self._at_search_seed(candidate).fit(X[~inner], y[~inner], periods=outer_periods)
            samples = fitted.predict_samples(X[inner])
            scores = {c: self._score(y[inner], samples, other, c, max_log) for c in self.calibrations}
            calibration = min(scores, key=lambda c: scores[c])
            self.inner_crps_.append(scores[calibration][1])
            if scores[calibration] < best[0]:
                best = (scores[calibration], index, calibration)
        self.chosen_, self.calibration_ = best[1], best[2]

    def _max_log(self, X: pd.DataFrame, y: np.ndarray, inner: np.ndarray) -> float | np.ndarray:
        """The bound of the inner rows' widened samples, learnt on the rows before them."""
        if self.bound is None:
            return float(np.log1p(y[~inner].max()))
        return np.asarray(clone(self.bound).fit(X[~inner], y[~inner]).max_log(X[inner]))

    def _score(
        self,
        y: np.ndarray,
        samples: np.ndarray,
        other: np.ndarray | None,
        calibration: Calibration,
        max_log: float | np.ndarray,
    ) -> tuple[bool, float]:
        """(outside a ``coverage`` range, mean CRPS) of one calibration on the inner window: the
        smallest pair is the choice."""
        widened = widen(samples, calibration.scale, max_log)
        if other is not None and calibration.blend:
            widened = pool(widened, other, calibration.blend)
        return not self._calibrated(y, widened), float(np.mean(crps(y, widened)))

    def _calibrated(self, y: np.ndarray, samples: np.ndarray) -> bool:
        """Whether the samples' inner-window PIT coverage lies in every ``coverage`` range."""
        for level, (low, high) in (self.coverage or {}).items():
            if not low <= float(np.mean(pit_coverage(y, samples, level))) <= high:
                return False
        return True

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Median of the predictive distribution."""
        return np.median(self.predict_samples(X), axis=1)

    def contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """The chosen model's own explanation (e.g. the hurdle's log-odds of any deaths)."""
        check_fitted(self, "estimator_")
        return pd.DataFrame(self.estimator_.contributions(X))

    def predict_samples(self, X: pd.DataFrame) -> np.ndarray:
        """The chosen model's samples, widened and pooled as chosen."""
        check_fitted(self, "estimator_")
        max_log = self.max_log_ if self.bound_ is None else np.asarray(self.bound_.max_log(X))
        samples = widen(np.asarray(self.estimator_.predict_samples(X)), self.calibration_.scale, max_log)
        if self.spread_ is not None and self.calibration_.blend:
            samples = pool(samples, np.asarray(self.spread_.predict_samples(X)), self.calibration_.blend)
        return samples
