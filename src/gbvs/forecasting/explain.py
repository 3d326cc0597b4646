"""Explanations: per-forecast feature contributions summed into driver families.

Contributions are LightGBM's exact TreeSHAP values (``pred_contrib``) on the log-odds scale; the
calibration after it is monotone, so the ranking of families is that of the final probability. For a
mean of boosters (the country-year incidence and war models since v3.12) they are the mean of the
boosters' contributions (:class:`gbvs.forecasting.models.MeanOfClassifiers`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from gbvs.drivers.families import family_label, main_drivers


def family_contributions(contributions: pd.DataFrame, families: Mapping[str, str]) -> pd.DataFrame:
    """Rows x families: the summed contributions of each family's features (``bias`` dropped)."""
    features = contributions.drop(columns=["bias"], errors="ignore")
    groups = [families.get(c, "other") for c in features.columns]
    return features.T.groupby(groups).sum().T


def summary(row: Mapping[str, float], top: int = 2) -> str:
    """ "risk up mainly from A and B" (or down; "; C lowers it" when C pushes the other way harder than
    B), from one row of family contributions (:func:`gbvs.drivers.families.main_drivers`)."""
    found = main_drivers(row, top)
    if found is None:
        return "no feature moves the risk away from the base rate"
    names = " and ".join(family_label(family) for family in found.along)
    text = f"risk {'up' if found.up else 'down'} mainly from {names}"
    if found.against:
        text += f"; {family_label(found.against)} {'lowers' if found.up else 'raises'} it"
    return text
