"""Out-of-sample conflict forecasts as inputs of the displacement models (pure).

For every year ``t`` of a panel cut at the displacement origin, a small conflict model is fitted on
the rows whose outcome at ``t + h`` was published by ``t`` (:func:`gbvs.forecasting.domain.label_known_by`,
the conflict models' own rule) and forecasts from the rows of year ``t``: the probability of
state-based armed conflict at ``t + h`` and the battle-death quantiles (median, 90%) at ``t + h``.
The value in row ``t`` is therefore what a forecaster knew in mid ``t + 1``, for every training year
and for the origin alike: the displacement models learn from forecasts, not from hindsight.

The conflict model here is **not** the main conflict LightGBM (issue 11), which is too costly to refit
for each of the ~30 years at every origin, but a cheaper one, named ``conflict-logit-hurdle``:

- incidence at ``t + h``: logistic regression (scikit-learn) on the standardised conflict history
  (``INPUTS``);
- battle deaths at ``t + h``: a hurdle, that probability times a ridge regression of
  ``log(1 + deaths)`` on the same inputs (fitted on the years with deaths) plus its residual
  quantiles; the mixture's quantiles are the features.

Columns (``cf_`` prefix, one set per horizon): ``cf_p_h{h}`` (0-1), ``cf_brd_q50_h{h}`` and
``cf_brd_q90_h{h}`` (``log(1 + deaths)``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from gbvs.forecasting.domain import TARGETS, UNIT_SPECS, Unit, label_known_by
from gbvs.forecasting.labels import label

PREFIX = "cf_"
NAME = "conflict-logit-hurdle"
INPUTS: tuple[str, ...] = (
    "conflict",
    "conflict_decay_2",
    "war",
    "log_brd",
    "log_brd_decay_2",
    "nb_conflict_share",
    "nb_log_brd",
)
"""Conflict-history features the small conflict model reads (those present in the matrix)."""
FIRST_YEAR = 1990
"""First year forecast from (the displacement targets start in 1991; deaths are coded from 1989)."""
MIN_POSITIVE = 20
"""Fewest training rows with deaths for the size model; fewer leave the death quantiles missing."""
LEVELS: tuple[float, ...] = (0.5, 0.9)


def conflict_columns(horizons: Sequence[int]) -> list[str]:
    """The feature columns :func:`conflict_forecasts` adds, in order."""
    return [f"{PREFIX}{name}_h{h}" for h in horizons for name in ("p", "brd_q50", "brd_q90")]


def is_conflict_forecast(column: str) -> bool:
    """Whether a feature column is one of the conflict forecasts."""
    return column.startswith(PREFIX)


def conflict_forecasts(
    cut: pd.DataFrame, features: pd.DataFrame, horizons: Sequence[int], first_year: int = FIRST_YEAR
) -> pd.DataFrame:
    """The out-of-sample conflict forecasts for every row of ``cut`` from ``first_year`` on (same index).

    ``cut`` is the panel cut at the displacement origin (``gwcode``, ``period``, ``conflict``,
    ``brd_best``), ``features`` its conflict feature matrix.
    """
    key = UNIT_SPECS[Unit.country_year].key
    inputs = [c for c in INPUTS if c in features.columns]
    X = features[inputs].fillna(0.0).to_numpy(dtype=float)
    periods = cut["period"].to_numpy(dtype=int)
    out = pd.DataFrame(np.nan, index=cut.index, columns=conflict_columns(horizons))
    for h in horizons:
        incidence = label(cut, TARGETS["incidence"], h, key).to_numpy(dtype=float)
        deaths = label(cut, TARGETS["battle_deaths"], h, key).to_numpy(dtype=float)
        for year in range(max(first_year, int(periods.min())), int(periods.max()) + 1):
            rows = periods == year
            known = np.isin(periods, [p for p in np.unique(periods) if label_known_by(int(p), h, year)])
            values = _forecast_year(X, incidence, deaths, known, rows)
            if values is not None:
                out.loc[rows, conflict_columns([h])] = values
    return out


def _forecast_year(
    X: np.ndarray, incidence: np.ndarray, deaths: np.ndarray, known: np.ndarray, rows: np.ndarray
) -> np.ndarray | None:
    """(n rows of the year, 3): probability, death median and 90% quantile on log1p; None without data."""
    train = known & ~np.isnan(incidence)
    if not rows.any() or train.sum() < 2 or len(np.unique(incidence[train])) < 2:
        return None
    logit = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=500))
    logit.fit(X[train], incidence[train].astype(int))
    p = logit.predict_proba(X[rows])[:, 1]
    sized = known & ~np.isnan(deaths) & (np.nan_to_num(deaths) > 0)
    quantiles = np.full((int(rows.sum()), len(LEVELS)), np.nan)
    if sized.sum() >= MIN_POSITIVE:
        size = make_pipeline(StandardScaler(), Ridge(alpha=1.0))
        logged = np.log1p(deaths[sized])
        size.fit(X[sized], logged)
        residuals = logged - size.predict(X[sized])
        centre = size.predict(X[rows])
        for j, level in enumerate(LEVELS):
            conditional = (level - (1.0 - p)) / np.clip(p, 1e-9, 1.0)
            shift = np.quantile(residuals, np.clip(conditional, 0.0, 1.0))
            quantiles[:, j] = np.where(conditional > 0, np.clip(centre + shift, 0.0, None), 0.0)
    return np.column_stack([p, quantiles])
