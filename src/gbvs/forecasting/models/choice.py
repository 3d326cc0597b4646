"""Choosing a count model's settings on the inner window: which candidate, how wide, how much of a baseline.

:class:`InnerWindowChoice` fits each candidate on the training rows before the inner window (the last
``inner_periods`` periods), scores its samples there by CRPS after each :class:`Calibration` (a widening
of the spread on the log scale, :func:`widen`, and a share of a baseline's samples in a mixture,
:func:`pool`), keeps the best pair and refits the candidate on all rows. Never on test years. Used by
the displacement models (issue 17) and the battle-death hurdle (issue 11, v3.3), where the baseline is
persistence: the mixture can only be chosen where it scores better on the years before the origin. A
calibration also says how far the samples may reach (:attr:`Calibration.bound`): the displacement models
(v5) choose there between the training window's largest value and a bound by history.
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


def bounded(samples: np.ndarray, max_log: float | np.ndarray) -> np.ndarray:
    """Samples no larger than ``expm1(max_log)`` (one bound, or one per row)."""
    if not len(samples):
        return samples
    upper = np.asarray(max_log, dtype=float)
    upper = upper[:, None] if upper.ndim == 1 else upper
    return np.minimum(samples, np.expm1(upper))


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
    """How the chosen model's samples are bounded (``bound``), widened (``scale``) and pooled with the
    spread baseline (``blend``, its share of the mixture).

    ``bound`` is the ``quantile`` setting at which :class:`InnerWindowChoice`'s ``bound`` bounds the
    samples (the displacement models: the rise over the recent maximum that this share of training rows
    stayed within); ``None``: the training window's largest value."""

    scale: float = 1.0
    blend: float = 0.0
    bound: float | None = None


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
    data, remembered per process), and only the refit on all rows uses their own seeds. With one
    candidate and one calibration there is nothing to choose: the inner window is skipped and that pair
    is refitted and applied exactly as a search that chose it would (its bound, widening and mixture).

    ``coverage`` maps central-interval levels to the range of inner-window randomised-PIT coverage
    (:func:`~gbvs.forecasting.metrics.pit_coverage`) a calibration must reach to be chosen, e.g.
    ``{0.5: (0.45, 0.55)}``: the lowest-CRPS calibration among the calibrated ones, in the spirit of
    Gneiting, Balabdaoui & Raftery (2007, *JRSS B* 69(2), "maximise sharpness subject to
    calibration"). Where no calibration of a candidate reaches every range, its lowest CRPS wins as
    without ``coverage``; a candidate with a calibrated choice beats one without.

    ``bound`` (unfitted; a ``quantile`` setting, ``fit(X, y)`` and ``max_log(X)``, one log1p bound per
    row) bounds the samples of a calibration whose ``bound`` is a quantile, at that quantile; a
    calibration without one bounds them by the training window's largest value (the battle-death hurdle;
    the displacement models up to v3). The samples are bounded before they are widened and pooled, so a
    calibration's bound is its own whatever the candidates' (which must be no tighter). The displacement
    models use :class:`~gbvs.forecasting.displacement.models.HistoryBound` and choose the quantile (v5).
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
        self._check_choices()
        self._check_bounds()
        self.chosen_, self.calibration_ = self._unsearched()
        if self._searching() and inner.any() and (~inner).any():
            self._search_once(X, y, periods, inner)
        self.max_log_ = float(np.log1p(y.max()))
        self.bound_ = self._fit_bound(self.calibration_.bound, X, y)
        self.estimator_ = clone(self.candidates[self.chosen_]).fit(X, y, periods=periods)
        self.spread_ = self._fit_spread(X, y, periods)
        return self

    def _searching(self) -> bool:
        """Whether there is a choice to make: more than one candidate or more than one calibration."""
        return len(self.candidates) > 1 or len(self.calibrations) > 1

    def _unsearched(self) -> tuple[int, Calibration]:
        """The choice without a search: with nothing to choose from, the one candidate and the one
        calibration given (refitted and applied as a search that chose them would); where a choice was
        asked for but the training rows leave no inner window, the first candidate as it is."""
        return 0, (Calibration() if self._searching() else self.calibrations[0])

    def _check_choices(self) -> None:
        if not len(self.candidates) or not len(self.calibrations):
            raise ValueError(
                f"InnerWindowChoice needs at least one candidate and one calibration; got "
                f"{len(self.candidates)} candidates and {len(self.calibrations)} calibrations: pass "
                "candidates=(model, ...) and calibrations=(Calibration(), ...)"
            )

    def _check_bounds(self) -> None:
        if self.bound is None and any(c.bound is not None for c in self.calibrations):
            quantiles = sorted({c.bound for c in self.calibrations if c.bound is not None})
            raise ValueError(
                f"InnerWindowChoice has calibrations bounded at quantiles {quantiles} but no bound to take "
                "them: pass bound= (e.g. displacement.models.HistoryBound) or calibrations with bound=None"
            )

    def _fit_bound(self, quantile: float | None, X: pd.DataFrame, y: np.ndarray) -> Any:
        """``bound`` at ``quantile``, fitted on ``X, y``; ``None`` for the training window's largest value."""
        if quantile is None:
            return None
        return clone(self.bound).set_params(quantile=quantile).fit(X, y)

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
        max_logs = {q: self._max_log(X, y, inner, q) for q in {c.bound for c in self.calibrations}}
        best: tuple[tuple[bool, float], int, Calibration] = ((True, np.inf), 0, Calibration())
        for index, candidate in enumerate(self.candidates):
            fitted = self._at_search_seed(candidate).fit(X[~inner], y[~inner], periods=outer_periods)
            samples = fitted.predict_samples(X[inner])
            scores = {
                c: self._score(y[inner], samples, other, c, max_logs[c.bound]) for c in self.calibrations
            }
            calibration = min(scores, key=lambda c: scores[c])
            self.inner_crps_.append(scores[calibration][1])
            if scores[calibration] < best[0]:
                best = (scores[calibration], index, calibration)
        self.chosen_, self.calibration_ = best[1], best[2]

    def _max_log(
        self, X: pd.DataFrame, y: np.ndarray, inner: np.ndarray, quantile: float | None
    ) -> float | np.ndarray:
        """The bound at ``quantile`` of the inner rows' samples, learnt on the rows before them."""
        fitted = self._fit_bound(quantile, X[~inner], y[~inner])
        if fitted is None:
            return float(np.log1p(y[~inner].max()))
        return np.asarray(fitted.max_log(X[inner]))

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
        calibrated = self._calibrate(samples, other, calibration, max_log)
        return not self._calibrated(y, calibrated), float(np.mean(crps(y, calibrated)))

    @staticmethod
    def _calibrate(
        samples: np.ndarray, other: np.ndarray | None, calibration: Calibration, max_log: float | np.ndarray
    ) -> np.ndarray:
        """``samples`` bounded by ``max_log``, widened and pooled with ``other`` as ``calibration`` says."""
        widened = widen(bounded(samples, max_log), calibration.scale, max_log)
        if other is not None and calibration.blend:
            widened = pool(widened, bounded(other, max_log), calibration.blend)
        return widened

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
        """The chosen model's samples, bounded, widened and pooled as chosen."""
        check_fitted(self, "estimator_")
        max_log = self.max_log_ if self.bound_ is None else np.asarray(self.bound_.max_log(X))
        other = None
        if self.spread_ is not None and self.calibration_.blend:
            other = np.asarray(self.spread_.predict_samples(X))
        return self._calibrate(
            np.asarray(self.estimator_.predict_samples(X)), other, self.calibration_, max_log
        )
