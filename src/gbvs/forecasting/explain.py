"""Explanations: per-forecast feature contributions summed into driver families.

Contributions are LightGBM's exact TreeSHAP values (``pred_contrib``) on the log-odds scale; the
calibration after it is monotone, so the ranking of families is that of the final probability. For a
mean of boosters (the country-year incidence and war models since v3.12) they are the mean of the
boosters' contributions (:class:`gbvs.forecasting.models.MeanOfClassifiers`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from gbvs.drivers.families import family_label


def family_contributions(contributions: pd.DataFrame, families: Mapping[str, str]) -> pd.DataFrame:
    """Rows x families: the summed contributions of each family's features (``bias`` dropped)."""
    features = contributions.drop(columns=["bias"], errors="ignore")
    groups = [families.get(c, "other") for c in features.columns]
    return features.T.groupby(groups).sum().T


def summary(row: Mapping[str, float], top: int = 2) -> str:
    """ "risk up mainly from A and B" (or down), from one row of family contributions."""
    ranked = sorted(row.items(), key=lambda kv: abs(kv[1]), reverse=True)[:top]
    ranked = [(k, v) for k, v in ranked if abs(v) > 1e-9]
    if not ranked:
        return "no feature moves the risk away from the base rate"
    direction = "up" if sum(v for _, v in ranked) >= 0 else "down"
    names = [family_label(k) for k, _ in ranked]
    return f"risk {direction} mainly from {' and '.join(names)}"
