"""Shared helpers for the models: fitted-state checks and the inner (calibration) window."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gbvs.errors import ForecastError, NotFittedError


def check_fitted(model: Any, attribute: str) -> None:
    """Raise NotFittedError (with the fix) if ``model`` has not been fitted."""
    if not hasattr(model, attribute):
        raise NotFittedError(
            f"this {type(model).__name__} instance is not fitted yet; call 'fit' with training rows "
            "before predicting"
        )


def check_columns(X: pd.DataFrame, columns: list[str], model: Any) -> None:
    """Raise ForecastError naming feature columns a model needs but ``X`` lacks."""
    missing = [c for c in columns if c not in X.columns]
    if missing:
        raise ForecastError(
            f"{type(model).__name__} needs feature columns {missing} that the feature matrix lacks; "
            "build features with gbvs.forecasting.features.build_features"
        )


def check_training(y: np.ndarray, model: Any) -> None:
    """Refuse to fit on no rows."""
    if len(y) == 0:
        raise ForecastError(
            f"{type(model).__name__} got no training rows; the origin is too early for the panel "
            "(choose a later origin or a panel with more history)"
        )


def inner_split(n: int, periods: np.ndarray | None, inner_periods: int) -> np.ndarray:
    """Boolean mask of the inner validation rows: the last ``inner_periods`` periods (or last 20%)."""
    if periods is None:
        mask = np.zeros(n, dtype=bool)
        mask[int(n * 0.8) :] = True
        return mask
    cut = np.max(periods) - inner_periods
    return np.asarray(periods > cut)


def before_inner(periods: np.ndarray | None, inner: np.ndarray, embargo: int) -> np.ndarray:
    """Mask of the rows an inner-window fit trains on: the rows before the inner window, without the last
    ``embargo`` periods before it. A label that spans several periods (a two-year window: ``embargo`` 1)
    of a row just before the inner window shares years with the labels of the window's first rows; the
    backtest never trains on such a row (its training rows' labels are all known at the origin), so the
    inner window, which stands in for the backtest's test years, should not either."""
    if embargo < 0:
        raise ForecastError(
            f"embargo {embargo} must be 0 or a number of periods, e.g. 1 for a label spanning two years"
        )
    before = ~np.asarray(inner, dtype=bool)
    if embargo == 0 or periods is None or not inner.any():
        return before
    first_inner = np.min(np.asarray(periods)[inner])
    return before & (np.asarray(periods) <= first_inner - 1 - embargo)


def proba_columns(p: np.ndarray) -> np.ndarray:
    """(n,) probabilities of the event -> (n, 2) like scikit-learn's predict_proba."""
    p = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)
    return np.column_stack([1.0 - p, p])


def seed_free(model: Any) -> bool:
    """Whether ``model`` fits the same model at every seed (it says so with a ``seed_free()`` method,
    e.g. v3.6's democratic-space classifier, which samples nothing); models without one depend on it."""
    return bool(getattr(model, "seed_free", lambda: False)())
