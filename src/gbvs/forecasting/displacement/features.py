"""Features of the displacement models: displacement history beside the conflict model's features.

Every feature of row ``t`` uses data of years ``<= t`` only; the panel is cut at the origin before
anything here runs (:func:`origin_features`). The conflict part is the conflict engine's own feature
matrix (:func:`gbvs.forecasting.features.build_features`: conflict and battle-death history,
neighbours' conflict, driver indicators lagged one year for their publication delay), so the
displacement models see exactly what the conflict forecasts see at the origin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from gbvs.forecasting.displacement.conflict_inputs import conflict_forecasts
from gbvs.forecasting.displacement.targets import HORIZONS
from gbvs.forecasting.domain import UNIT_SPECS, Unit
from gbvs.forecasting.features import build_features

KEY = "gwcode"
DISPLACEMENT_COLUMNS: tuple[str, ...] = (
    "new_outflows",
    "displaced_abroad",
    "idps",
    "asylum_nl",
    "asylum_eu",
    "displaced_in_nl",
)
"""Columns of ``panel_displacement`` whose history the models see (``refugees`` is within
``displaced_abroad``)."""
PREFIX = "d_"


def _logged(panel: pd.DataFrame, column: str) -> pd.Series:
    return pd.Series(np.log1p(panel[column].astype(float).clip(lower=0).to_numpy()), index=panel.index)


def displacement_features(panel: pd.DataFrame) -> pd.DataFrame:
    """Per displacement column: log1p level at t, two lags, one-year change and 3-year mean; plus the
    Netherlands' share of EU+ applications and the world totals of applications at t."""
    groups = panel[KEY]
    parts: dict[str, pd.Series] = {}
    for column in DISPLACEMENT_COLUMNS:
        if column not in panel.columns:
            continue
        logged = _logged(panel, column)
        name = f"{PREFIX}{column}"
        parts[name] = logged
        for lag in (1, 2):
            parts[f"{name}_lag{lag}"] = logged.groupby(groups, sort=False).shift(lag)
        parts[f"{name}_diff1"] = logged - parts[f"{name}_lag1"]
        parts[f"{name}_mean3"] = logged.groupby(groups, sort=False).transform(
            lambda s: s.rolling(3, min_periods=1).mean()
        )
    if {"asylum_nl", "asylum_eu"} <= set(panel.columns):
        parts[f"{PREFIX}nl_share_eu"] = _logged(panel, "asylum_nl") - _logged(panel, "asylum_eu")
        for column in ("asylum_nl", "asylum_eu"):
            totals = panel.groupby("period")[column].transform("sum")
            parts[f"{PREFIX}world_{column}"] = pd.Series(np.log1p(totals.to_numpy(float)), index=panel.index)
    return pd.DataFrame(parts, index=panel.index)


def history_only(columns: Sequence[str]) -> list[str]:
    """The displacement-history columns of a feature matrix (the history-only baseline's inputs)."""
    return [c for c in columns if c.startswith(PREFIX)]


def origin_features(
    panel: pd.DataFrame, origin: int, neighbours: Mapping[int, Sequence[int]] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The panel cut at ``origin`` (sorted by country and year) and its feature matrix (same index):
    the conflict features, the displacement history and the out-of-sample conflict forecasts
    (:mod:`gbvs.forecasting.displacement.conflict_inputs`), all computed on the cut panel."""
    cut = panel[panel["period"] <= origin].sort_values([KEY, "period"]).reset_index(drop=True)
    conflict = build_features(cut, UNIT_SPECS[Unit.country_year], neighbours)
    displacement_drop = [c for c in conflict.columns if c in DISPLACEMENT_COLUMNS or c == "refugees"]
    forecasts = conflict_forecasts(cut, conflict, HORIZONS)
    features = conflict.drop(columns=displacement_drop).join(displacement_features(cut)).join(forecasts)
    return cut, features
