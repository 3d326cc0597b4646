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


def proba_columns(p: np.ndarray) -> np.ndarray:
    """(n,) probabilities of the event -> (n, 2) like scikit-learn's predict_proba."""
    p = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)
    return np.column_stack([1.0 - p, p])


def seed_free(model: Any) -> bool:
    """Whether ``model`` fits the same model at every seed (it says so with a ``seed_free()`` method,
    e.g. v3.6's democratic-space classifier, which samples nothing); models without one depend on it."""
    return bool(getattr(model, "seed_free", lambda: False)())
