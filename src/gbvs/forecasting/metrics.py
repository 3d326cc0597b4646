"""Scores for probability and count forecasts (library implementations, no hand-written formulas).

Binary: average precision (PR-AUC), ROC-AUC, Brier score, log loss (scikit-learn), the reliability
curve (``sklearn.calibration.calibration_curve``) and the expected calibration error computed from
that curve's bins (the bins are counted with scikit-learn's own rule, right-closed: a probability on an
edge such as 0.5 falls in the bin below it). Counts: CRPS of the sample distribution
(``scoringrules.crps_ensemble``, the energy form E|X - y| - E|X - X'|/2 over the samples), the mean
squared log error of the median (scikit-learn) and the coverage of central intervals of the samples,
counted two ways: "inside the interval, bounds included" (``cov50``/``cov90``) and the randomised-PIT
coverage (``pit50``/``pit90``, Czado, Gneiting & Held 2009), which is the nominal level for a
calibrated forecast also where outcomes sit on an atom (the many years with 0 battle deaths).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import scoringrules
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    mean_squared_log_error,
    roc_auc_score,
)

N_BINS = 10


def reliability(y: np.ndarray, p: np.ndarray, n_bins: int = N_BINS) -> dict[str, list[float]]:
    """Observed frequency against mean forecast per (non-empty) probability bin, with bin counts."""
    observed, predicted = calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
    counts = bin_counts(p, n_bins)
    return {
        "predicted": predicted.tolist(),
        "observed": observed.tolist(),
        "count": counts[counts > 0].tolist(),
    }


def bin_counts(p: np.ndarray, n_bins: int = N_BINS) -> np.ndarray:
    """Forecasts per uniform bin, binned exactly as ``calibration_curve`` bins them (right-closed bins)."""
    inner_edges = np.linspace(0.0, 1.0, n_bins + 1)[1:-1]
    return np.bincount(np.searchsorted(inner_edges, np.asarray(p, dtype=float)), minlength=n_bins)


def expected_calibration_error(y: np.ndarray, p: np.ndarray, n_bins: int = N_BINS) -> float:
    """Bin-count-weighted mean |observed - predicted| over the reliability bins."""
    curve = reliability(y, p, n_bins)
    weights = np.asarray(curve["count"], dtype=float)
    gaps = np.abs(np.asarray(curve["observed"]) - np.asarray(curve["predicted"]))
    return float(np.sum(weights * gaps) / np.sum(weights)) if weights.sum() else float("nan")


def _labels(y: np.ndarray) -> np.ndarray:
    return np.asarray(y).astype(int)


def _probabilities(p: np.ndarray) -> np.ndarray:
    return np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)


def _ranking(score: Callable[[np.ndarray, np.ndarray], float]) -> Callable[[np.ndarray, np.ndarray], float]:
    """A ranking score that is NaN where it is undefined (one class only)."""

    def scored(y: np.ndarray, p: np.ndarray) -> float:
        return float(score(y, p)) if len(np.unique(y)) == 2 else float("nan")

    return scored


BINARY_SCORES: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
    "ap": _ranking(average_precision_score),
    "roc_auc": _ranking(roc_auc_score),
    "brier": lambda y, p: float(brier_score_loss(y, p)),
    "log_loss": lambda y, p: float(log_loss(y, p, labels=[0, 1])),
    "ece": expected_calibration_error,
}
"""Each binary metric of (0/1 outcomes, probabilities clipped to [1e-6, 1 - 1e-6])."""


def binary_score(metric: str, y: np.ndarray, p: np.ndarray) -> float:
    """One metric of :data:`BINARY_SCORES`, with the same clipping as :func:`binary_scores`."""
    return BINARY_SCORES[metric](_labels(y), _probabilities(p))


def binary_scores(y: np.ndarray, p: np.ndarray) -> dict[str, Any]:
    """AP, ROC-AUC, Brier, log loss, ECE (NaN where undefined: one class only) and counts."""
    labels, probabilities = _labels(y), _probabilities(p)
    scores = {metric: score(labels, probabilities) for metric, score in BINARY_SCORES.items()}
    return {"n": len(labels), "positives": int(labels.sum()), **scores}


CRPS_CHUNK_ROWS = 2048
"""Rows scored at once by :func:`crps`: the energy form compares every sample with every other, so a
chunk holds rows x samples x samples numbers (2,048 x 50 x 50 doubles = 41 MB) instead of the whole
backtest's (57,000 battle-death rows of the country-year run: 1.1 GB per temporary array)."""


def crps(observed: np.ndarray, samples: np.ndarray) -> np.ndarray:
    """CRPS of each row's sample distribution (one row of ``samples`` per observation), scored in chunks
    of :data:`CRPS_CHUNK_ROWS` rows (each row's score does not depend on the others)."""
    y = np.asarray(observed, dtype=float)
    ensemble = np.asarray(samples, dtype=float)
    if y.ndim == 0 or len(y) <= CRPS_CHUNK_ROWS:
        return _crps_rows(y, ensemble)
    parts = [
        _crps_rows(y[start : start + CRPS_CHUNK_ROWS], ensemble[start : start + CRPS_CHUNK_ROWS])
        for start in range(0, len(y), CRPS_CHUNK_ROWS)
    ]
    return np.concatenate(parts)


def _crps_rows(y: np.ndarray, ensemble: np.ndarray) -> np.ndarray:
    values = scoringrules.crps_ensemble(y, ensemble, m_axis=-1, estimator="nrg")
    return np.asarray(values, dtype=float)


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise ValueError(f"interval level {level!r} must lie strictly between 0 and 1 (e.g. 0.5 or 0.9)")


def interval_bounds(samples: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bound of each row's central ``level`` interval (sample quantiles)."""
    _check_level(level)
    tail = (1 - level) / 2
    bounds = np.quantile(np.asarray(samples, dtype=float), [tail, 1 - tail], axis=-1)
    return bounds[0], bounds[1]


def interval_coverage(observed: np.ndarray, samples: np.ndarray, level: float) -> float:
    """Share of observations inside their central ``level`` interval (bounds included)."""
    lower, upper = interval_bounds(samples, level)
    y = np.asarray(observed, dtype=float)
    return float(np.mean((y >= lower) & (y <= upper)))


def interval_score(observed: np.ndarray, samples: np.ndarray, level: float) -> np.ndarray:
    """Interval score of each row's central ``level`` interval (``scoringrules.interval_score``)."""
    lower, upper = interval_bounds(samples, level)
    values = scoringrules.interval_score(np.asarray(observed, dtype=float), lower, upper, 1 - level)
    return np.asarray(values, dtype=float)


def inside_interval(observed: np.ndarray, samples: np.ndarray, level: float) -> np.ndarray:
    """Per row, whether the observation lies inside its central ``level`` interval (bounds included)."""
    lower, upper = interval_bounds(samples, level)
    y = np.asarray(observed, dtype=float)
    return np.asarray((y >= lower) & (y <= upper))


def mid_pit(observed: np.ndarray, samples: np.ndarray) -> np.ndarray:
    """Probability integral transform of each observation under its samples, for counts the mid-PIT
    ``(F(y-) + F(y)) / 2`` (a point mass at 0 would otherwise pile every quiet year into one bin)."""
    below, upto = _cdf_bounds(observed, samples)
    return np.asarray((below + upto) / 2.0)


def _cdf_bounds(observed: np.ndarray, samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, ``F(y-)`` and ``F(y)`` of the samples' empirical distribution at the observation."""
    s = np.asarray(samples, dtype=float)
    y = np.asarray(observed, dtype=float)[:, None]
    return (s < y).mean(axis=1), (s <= y).mean(axis=1)


def pit_coverage(observed: np.ndarray, samples: np.ndarray, level: float) -> np.ndarray:
    """Per row, the chance that the randomised PIT lands in the central band of width ``level``.

    The randomised PIT of a count ``y`` is uniform on ``[F(y-), F(y)]`` (Czado, Gneiting & Held 2009,
    *Biometrics* 65(4)); this is the share of that range inside ``[(1 - level) / 2, (1 + level) / 2]``,
    or 0/1 where the range is a point (no sample equals ``y``). Its mean is ``level`` for a calibrated
    forecast. "Inside the interval, bounds included" counts a quiet year (``y = 0``) as covered whenever
    the interval reaches 0, so a calibrated forecast of a mostly-zero count covers far above ``level``.
    """
    _check_level(level)
    below, upto = _cdf_bounds(observed, samples)
    low, high = (1 - level) / 2, (1 + level) / 2
    width = upto - below
    overlap = np.clip(np.minimum(upto, high) - np.maximum(below, low), 0.0, None)
    point = ((below >= low) & (below <= high)).astype(float)
    return np.where(width > 0, overlap / np.where(width > 0, width, 1.0), point)


PIT_BINS = 10


def pit_histogram(pit: np.ndarray, n_bins: int = PIT_BINS) -> list[float]:
    """Share of PIT values per equal-width bin of [0, 1] (a calibrated forecast gives 1/n_bins each)."""
    counts, _ = np.histogram(np.asarray(pit, dtype=float), bins=n_bins, range=(0.0, 1.0))
    return (counts / max(counts.sum(), 1)).tolist()


COVERAGE_LEVELS: tuple[float, ...] = (0.5, 0.9)
COVERAGE_BANDS: dict[float, tuple[float, float]] = {0.5: (0.45, 0.55), 0.9: (0.85, 0.95)}
"""Per central-interval level, the range of randomised-PIT coverage (:func:`pit_coverage`) counted as
calibrated (issue 11, point 4): the backtest's goal and the battle-death model's inner-window rule."""
INSIDE = "in"
"""Prefix of the backtest's per-row columns "inside the interval, bounds included" (``in50``, ``in90``)."""
PIT_INSIDE = "pin"
"""Prefix of the per-row randomised-PIT chances (``pin50``, ``pin90``)."""


def coverage_column(prefix: str, level: float) -> str:
    """The per-row column of ``prefix`` at ``level``, e.g. ``in50``."""
    return f"{prefix}{round(level * 100)}"


def count_scores(
    observed: np.ndarray,
    median: np.ndarray,
    crps_values: np.ndarray,
    inside: dict[float, np.ndarray] | None = None,
    pit_inside: dict[float, np.ndarray] | None = None,
) -> dict[str, Any]:
    """Mean CRPS, MSLE of the median forecast and, given per-row ``inside`` flags (bounds included) and
    ``pit_inside`` chances (:func:`pit_coverage`), the two interval coverages."""
    scores: dict[str, Any] = {
        "n": len(observed),
        "positives": int((np.asarray(observed) > 0).sum()),
        "crps": float(np.mean(crps_values)),
        "msle": median_msle(observed, median),
    }
    for level, flags in (inside or {}).items():
        scores[coverage_column("cov", level)] = float(np.mean(flags))
    for level, chances in (pit_inside or {}).items():
        scores[coverage_column("pit", level)] = float(np.mean(chances))
    return scores


def median_msle(observed: np.ndarray, median: np.ndarray) -> float:
    """Mean squared log error of the median forecast (negative medians count as 0)."""
    return float(mean_squared_log_error(observed, np.clip(median, 0, None)))


ROW_COLUMNS: dict[str, str] = {"cov": INSIDE, "pit": PIT_INSIDE}
"""Coverage metric prefix -> prefix of the per-row column it averages (``cov50`` is the mean of ``in50``)."""


def score_of(metric: str, columns: Mapping[str, np.ndarray]) -> float:
    """One metric of a group of backtest rows from its per-row columns: ``y`` and ``p`` for a binary
    metric, ``y``, ``q0.5``, ``crps``, ``in50``/``in90`` and ``pin50``/``pin90`` for a count metric;
    the same figure as :func:`score_group` gives for that metric."""
    if metric in BINARY_SCORES:
        return binary_score(metric, columns["y"], columns["p"])
    if metric == "crps":
        return float(np.mean(columns["crps"]))
    if metric == "msle":
        return median_msle(columns["y"], columns["q0.5"])
    prefix, level = metric[:3], metric[3:]
    if prefix in ROW_COLUMNS and level.isdigit():
        return float(np.mean(columns[f"{ROW_COLUMNS[prefix]}{level}"]))
    known = [*BINARY_SCORES, "crps", "msle", "cov50", "cov90", "pit50", "pit90"]
    raise ValueError(f"unknown metric {metric!r}: use one of {', '.join(known)}")


def score_group(frame: pd.DataFrame, kind: str) -> dict[str, Any]:
    """Scores of one group of backtest rows (columns ``y`` and ``p`` or ``q0.5``/``crps``, and the
    ``in50``/``in90`` interval flags and ``pin50``/``pin90`` PIT chances where the backtest kept them)."""
    if kind == "count":
        return count_scores(
            frame["y"].to_numpy(),
            frame["q0.5"].to_numpy(),
            frame["crps"].to_numpy(),
            _per_level(frame, INSIDE),
            _per_level(frame, PIT_INSIDE),
        )
    return binary_scores(frame["y"].to_numpy(), frame["p"].to_numpy())


def _per_level(frame: pd.DataFrame, prefix: str) -> dict[float, np.ndarray]:
    """The ``<prefix>50``/``<prefix>90`` columns of ``frame`` that exist, by coverage level."""
    columns = {level: coverage_column(prefix, level) for level in COVERAGE_LEVELS}
    return {level: frame[c].to_numpy(dtype=float) for level, c in columns.items() if c in frame.columns}
