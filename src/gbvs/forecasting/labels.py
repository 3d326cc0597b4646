"""Outcome labels: the value of a target's event at ``t + h`` for every row ``t`` of a panel.

Pure pandas on a panel that has ``key`` and ``period`` columns. A label is missing (NaN) when the
row ``t + h`` is not in the panel: in the backtest the panel is cut at the origin first, so a
label that was not yet published simply does not exist.

The DemSpaces events follow the V-Dem Democratic Spaces Barometer (vdeminstitute/demspaces,
``create-data/scripts/2-create-dv-data.Rmd`` and the ERT-lite ``episode_coder`` with
``type = "mod"`` and ``min_f = 0.1``, used since their v12.1): a year is an opening (closing) if
the one-year change exceeds the cutpoint, or a two-year change exceeds it while both yearly
changes exceed ``0.1 * cutpoint`` (looking back or one year ahead). The first two years of a
country are never events. The target "next2" is 1 if an event happens in t+1 or t+2; a missing
lead counts as 0 when the event series (not the whole panel: V-Dem can end a year before UCDP)
continues for at least two more years, i.e. the state ended; otherwise it is unknown (NaN).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gbvs.forecasting.domain import DEMSPACES_INDICES, Target

MIN_F = 0.1


def episode_events(values: np.ndarray, cutpoint: float, direction: str) -> np.ndarray:
    """ERT-lite events (1/0, NaN where undecidable) for one country's series, as DemSpaces codes them."""
    x = -values if direction == "down" else values.astype(float)
    n = len(x)
    events = np.zeros(n)
    if n == 0:
        return events
    xd1 = np.r_[np.nan, np.diff(x)]
    xd2 = np.r_[np.nan, np.nan, x[2:] - x[:-2]] if n > 2 else np.full(n, np.nan)
    events[: min(2, n)] = np.nan
    events[-1] = np.nan
    low = cutpoint * MIN_F
    xd1_lag = np.r_[np.nan, xd1[:-1]]
    events[(xd2 > cutpoint) & (xd1 > low) & (xd1_lag > low)] = 1
    xd1_lead = np.r_[xd1[1:], np.nan]
    xd2_lead = np.r_[xd2[1:], np.nan]
    events[(xd2_lead > cutpoint) & (xd1 > low) & (xd1_lead > low)] = 1
    events[xd1 > cutpoint] = 1
    return events


def _country_changes(series: pd.Series, cutpoint: float, direction: str) -> pd.Series:
    values = series.to_numpy(dtype=float)
    mine = episode_events(values, cutpoint, direction)
    other = episode_events(values, cutpoint, "up" if direction == "down" else "down")
    out = np.where(mine == 1, 1.0, 0.0)
    undecided = (np.isnan(mine) | np.isnan(other)) & (mine != 1) & (other != 1)
    out[undecided] = np.nan
    out[: min(2, len(out))] = 0.0  # "first year of independence": never an event
    if len(out) > 2 and np.isnan(out[-1]):
        out[-1] = 0.0  # DemSpaces sets the undecidable last year to "same"
    return pd.Series(out, index=series.index)


def room_column(event: str) -> str:
    """The room column (:func:`add_demspaces_events`) of a DemSpaces event column ``ds_<dir>_<index>``."""
    return event.replace("ds_", "ds_room_", 1)


def add_demspaces_events(panel: pd.DataFrame, cutpoints: dict[str, float], key: str) -> pd.DataFrame:
    """Add ``ds_up_<index>`` / ``ds_down_<index>`` event columns (per year) for each V-Dem index, and
    ``ds_room_up_<index>`` / ``ds_room_down_<index>``: the room the index has left to its bound in that
    direction (1 above, 0 below: the indices run from 0 to 1), in cutpoints. Below 1 an index cannot
    move by more than the cutpoint from where it is (the "no change possible" markers of DemSpaces'
    issue #15, which their script leaves unused); the models' bound rule reads it
    (:class:`gbvs.forecasting.models.SpaceBound`)."""
    present = [i for i in DEMSPACES_INDICES if i in panel.columns]
    complete = panel.dropna(subset=present).sort_values([key, "period"]) if present else panel.iloc[:0]
    out = panel.copy()
    for index in present:
        values = out[index].astype(float)
        out[f"ds_room_up_{index}"] = (1.0 - values) / cutpoints[index]
        out[f"ds_room_down_{index}"] = values / cutpoints[index]
        for direction in ("up", "down"):
            events = complete.groupby(key, group_keys=False)[index].apply(
                _country_changes, cutpoint=cutpoints[index], direction=direction
            )
            out[f"ds_{direction}_{index}"] = events.reindex(out.index)
    return out


def _lead(panel: pd.DataFrame, column: str, key: str, steps: int) -> pd.Series:
    later = panel[[key, "period", column]].assign(period=panel["period"] - steps)
    merged = panel[[key, "period"]].merge(later, on=[key, "period"], how="left")
    return pd.Series(merged[column].to_numpy(dtype=float), index=panel.index)


def label(panel: pd.DataFrame, target: Target, horizon: int, key: str) -> pd.Series:
    """The outcome of ``target`` at ``horizon`` for every row of ``panel`` (NaN when unknown)."""
    if target.window == 1:
        values = _lead(panel, target.event, key, horizon)
        if target.first_year is not None and "year" in panel.columns:
            later_year = _lead(panel, "year", key, horizon)
            values = values.where(later_year >= target.first_year)
        return values
    leads = [_lead(panel, target.event, key, step) for step in range(1, target.window + 1)]
    stacked = pd.concat(leads, axis=1)
    values = stacked.max(axis=1, skipna=False)
    observed = panel.loc[panel[target.event].notna(), "period"]
    last = observed.max() if len(observed) else panel["period"].max()
    censored = panel["period"] >= last - (target.window - 1)
    filled = values.where(values.notna() | censored, 0.0)
    present = panel[target.event].notna()
    return filled.where(present)
