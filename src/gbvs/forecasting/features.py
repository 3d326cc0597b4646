"""Features for the forecasting models, computed model-side with pandas on a panel read from the store.

Every feature of row ``t`` uses data of periods ``<= t`` only (lags, backward windows, time since),
and driver indicators enter with a publication lag (:data:`DRIVER_LAG_YEARS`), so cutting the
panel at an origin and computing features gives exactly what a user had at that origin.

Families: ``conflict_history`` for everything built from the conflict series (own and
neighbours'), ``illegitimate_governance`` for the V-Dem space indices' own dynamics, and for
driver indicators and the wide panel's V-Dem v14 variables (with their changes) the family the caller's
mapping gives (:func:`gbvs.forecasting.service.driver_families`; see :func:`feature_families`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gbvs.forecasting.domain import DEMSPACES_INDICES, UnitSpec

CORE_COLUMNS: frozenset[str] = frozenset(
    {
        "gwcode", "priogrid_gid", "year", "month", "month_id", "period", "conflict", "war", "n_conflicts",
        "brd_best", "brd_low", "brd_high", "nonstate_conflict", "years_since_conflict", "onset",
    }
)  # fmt: skip
CONFLICT_FAMILY = "conflict_history"
SPACES_FAMILY = "illegitimate_governance"
DRIVER_LAG_YEARS = 1
VDEM_WIDE_PREFIX = "vdem14_"
"""Prefix of the wide panel's V-Dem v14 columns: ``panels.country_year_wide.VDEM_PREFIX``, which the
forecasting core does not import (it reads no panel); a test keeps the two equal."""
UNLAGGED_PREFIXES: tuple[str, ...] = (VDEM_WIDE_PREFIX,)
"""Columns published before the forecast is made, like the space indices: the V-Dem v14 indicators
of the wide panel (issue 11), which get their 1- and 3-year changes as well."""
"""Driver indicators (WDI/Gapminder, EPR, ...) are published a year or more after the fact, so row
``t`` sees the value of ``t - 1``. V-Dem's space indices are published in March of ``t + 1``,
before UCDP's release, and enter without lag."""


@dataclass(frozen=True)
class Windows:
    """History windows in periods for a unit."""

    half_lives: tuple[float, ...]
    lags: tuple[int, ...]
    sums: tuple[int, ...]


def windows_for(spec: UnitSpec) -> Windows:
    """Yearly or monthly history windows."""
    if spec.monthly:
        return Windows(half_lives=(1.0, 6.0, 24.0), lags=(1, 2, 3, 6, 12), sums=(3, 12, 36))
    return Windows(half_lives=(1.0, 2.0, 5.0), lags=(1, 2, 3), sums=(3, 5, 10))


def time_since(panel: pd.DataFrame, column: str, key: str) -> pd.Series:
    """Periods since the last period with ``column == 1`` (0 in such a period, NaN if never)."""
    last = panel["period"].where(panel[column] == 1)
    last = last.groupby(panel[key], sort=False).ffill()
    return panel["period"] - last


def rolling(series: pd.Series, groups: pd.Series, window: int, how: str, min_periods: int = 1) -> pd.Series:
    """``how`` ("sum", "mean", "std", "max", "min") over each unit's last ``window`` periods, aligned
    with ``series`` (which must be sorted by unit and period); one grouped pass, not one per unit."""
    windows = series.groupby(groups, sort=False).rolling(window, min_periods=min_periods)
    return getattr(windows, how)().reset_index(level=0, drop=True).reindex(series.index)


def _rolling_sum(series: pd.Series, groups: pd.Series, window: int) -> pd.Series:
    return rolling(series, groups, window, "sum")


def _history(
    panel: pd.DataFrame, column: str, key: str, windows: Windows, prefix: str
) -> dict[str, pd.Series]:
    values = panel[column].astype(float)
    groups = panel[key]
    since = time_since(panel, column, key)
    out: dict[str, pd.Series] = {prefix: values, f"{prefix}_time_since": since}
    for half in windows.half_lives:
        out[f"{prefix}_decay_{half:g}"] = pd.Series(
            np.where(since.isna(), 0.0, 2.0 ** (-since / half)), panel.index
        )
    for lag in windows.lags:
        out[f"{prefix}_lag{lag}"] = values.groupby(groups, sort=False).shift(lag)
    for window in windows.sums:
        out[f"{prefix}_sum{window}"] = _rolling_sum(values, groups, window)
    return out


def _deaths(panel: pd.DataFrame, key: str, windows: Windows) -> dict[str, pd.Series]:
    if "brd_best" not in panel.columns:
        return {}
    logged = pd.Series(np.log1p(panel["brd_best"].astype(float).to_numpy()), index=panel.index)
    groups = panel[key]
    out = {"log_brd": logged}
    for lag in range(1, windows.sums[1]):
        out[f"log_brd_lag{lag}"] = logged.groupby(groups, sort=False).shift(lag)
    out[f"log_brd_mean{windows.sums[0]}"] = rolling(logged, groups, windows.sums[0], "mean")
    return out


def _nonstate(panel: pd.DataFrame, key: str) -> dict[str, pd.Series]:
    """Non-state conflict at ``t`` and how recently it happened (UCDP records it from 1989)."""
    values = panel["nonstate_conflict"].astype(float)
    since = time_since(panel.assign(nonstate_conflict=values.fillna(0.0)), "nonstate_conflict", key)
    decay = pd.Series(np.where(since.isna(), 0.0, 2.0 ** (-since / 2.0)), panel.index)
    return {
        "nonstate_conflict": values,
        "nonstate_time_since": since,
        "nonstate_decay_2": decay.where(values.notna() | since.notna()),
    }


def neighbour_features(
    panel: pd.DataFrame, key: str, neighbours: Mapping[int, Sequence[int]]
) -> pd.DataFrame:
    """Share of neighbours in conflict, any neighbour in conflict and their summed log deaths at ``t``."""
    edges = pd.DataFrame([(a, b) for a, bs in neighbours.items() for b in bs], columns=[key, "nb"])
    columns = ["nb_conflict_share", "nb_conflict_any", "nb_log_brd"]
    if edges.empty:
        return pd.DataFrame(np.nan, index=panel.index, columns=columns)
    values = panel[[key, "period", "conflict"]].assign(
        log_brd=np.log1p(panel["brd_best"].astype(float)) if "brd_best" in panel.columns else np.nan
    )
    joined = edges.merge(values.rename(columns={key: "nb"}), on="nb")
    agg = joined.groupby([key, "period"]).agg(
        nb_conflict_share=("conflict", "mean"),
        nb_conflict_any=("conflict", "max"),
        nb_log_brd=("log_brd", "sum"),
    )
    merged = panel[[key, "period"]].merge(agg.reset_index(), on=[key, "period"], how="left")
    return merged[columns].set_index(panel.index)


def neighbour_means(
    values: pd.DataFrame, key: str, neighbours: Mapping[int, Sequence[int]], prefix: str = "nb_"
) -> pd.DataFrame:
    """Mean over each unit's neighbours, per period, of every column of ``values`` (has key, period)."""
    columns = [c for c in values.columns if c not in (key, "period")]
    edges = pd.DataFrame([(a, b) for a, bs in neighbours.items() for b in bs], columns=[key, "nb"])
    names = [f"{prefix}{c}" for c in columns]
    if edges.empty or not columns:
        return pd.DataFrame(np.nan, index=values.index, columns=names)
    joined = edges.merge(values.rename(columns={key: "nb"}), on="nb")
    agg = joined.groupby([key, "period"])[columns].mean()
    agg.columns = names
    merged = values[[key, "period"]].merge(agg.reset_index(), on=[key, "period"], how="left")
    return merged[names].set_index(values.index)


def second_order_neighbours(neighbours: Mapping[int, Sequence[int]]) -> dict[int, tuple[int, ...]]:
    """Neighbours and neighbours' neighbours (the unit itself excluded): a small 'region' per unit."""
    out = {}
    for unit, first in neighbours.items():
        ring = set(first) | {b for a in first for b in neighbours.get(a, ())}
        ring.discard(unit)
        out[unit] = tuple(sorted(ring))
    return out


def _neighbour_context(
    panel: pd.DataFrame, features: pd.DataFrame, key: str, neighbours: Mapping[int, Sequence[int]]
) -> pd.DataFrame:
    """Neighbours' V-Dem spaces (level, change, events) and the conflict share of the wider region."""
    space_cols = [
        c
        for index in DEMSPACES_INDICES
        for c in (index, f"{index}_diff1", f"ds_down_{index}", f"ds_up_{index}")
        if c in features.columns
    ]
    base = panel[[key, "period"]]
    parts = [neighbour_means(base.join(features[space_cols]), key, neighbours)]
    ring = base.assign(conflict=panel["conflict"].astype(float))
    ring["conflict_decay_5"] = features.get("conflict_decay_5", np.nan)
    parts.append(neighbour_means(ring, key, second_order_neighbours(neighbours), prefix="nb2_"))
    return pd.concat(parts, axis=1)


def _spaces(panel: pd.DataFrame, key: str) -> dict[str, pd.Series]:
    out: dict[str, pd.Series] = {}
    groups = panel[key]
    for index in DEMSPACES_INDICES:
        if index not in panel.columns:
            continue
        values = panel[index].astype(float)
        out[index] = values
        diff1 = values - values.groupby(groups, sort=False).shift(1)
        out[f"{index}_diff1"] = diff1
        for step in (2, 3, 5):
            out[f"{index}_diff{step}"] = values - values.groupby(groups, sort=False).shift(step)
        out[f"{index}_vol5"] = rolling(diff1, groups, 5, "std", min_periods=2)
        out[f"{index}_from_max5"] = values - rolling(values, groups, 5, "max")
        out[f"{index}_from_min5"] = values - rolling(values, groups, 5, "min")
        out[f"{index}_world_diff1"] = diff1.groupby(panel["period"], sort=False).transform("mean")
        for direction in ("up", "down"):
            room = f"ds_room_{direction}_{index}"
            if room in panel.columns:
                out[room] = panel[room].astype(float)
            event = f"ds_{direction}_{index}"
            if event in panel.columns:
                filled = panel.assign(**{event: panel[event].fillna(0.0)})
                since = time_since(filled, event, key)
                out[event] = filled[event]
                out[f"{event}_time_since"] = since
                out[f"{event}_decay_2"] = pd.Series(
                    np.where(since.isna(), 0.0, 2.0 ** (-since / 2)), panel.index
                )
                out[f"{event}_sum5"] = _rolling_sum(filled[event], groups, 5)
    return out


def driver_columns(panel: pd.DataFrame) -> list[str]:
    """Numeric indicator columns of the panel that are not conflict core or V-Dem space columns."""
    skip = CORE_COLUMNS | set(DEMSPACES_INDICES)
    return [
        c
        for c in panel.columns
        if c not in skip and not c.startswith("ds_") and pd.api.types.is_numeric_dtype(panel[c])
    ]


def _drivers(panel: pd.DataFrame, key: str, spec: UnitSpec) -> dict[str, pd.Series]:
    lag = DRIVER_LAG_YEARS * spec.periods_per_year
    groups = panel[key]
    out: dict[str, pd.Series] = {}
    for column in driver_columns(panel):
        values = panel[column].astype(float)
        if not column.startswith(UNLAGGED_PREFIXES):
            out[column] = values.groupby(groups, sort=False).shift(lag)
            continue
        out[column] = values
        for step in (1, 3):
            out[f"{column}_diff{step}"] = values - values.groupby(groups, sort=False).shift(step)
    return out


def build_features(
    panel: pd.DataFrame, spec: UnitSpec, neighbours: Mapping[int, Sequence[int]] | None = None
) -> pd.DataFrame:
    """The feature matrix for every row of ``panel`` (sorted by key and period, same index)."""
    key = spec.key
    windows = windows_for(spec)
    parts: dict[str, pd.Series] = {}
    parts.update(_history(panel, "conflict", key, windows, "conflict"))
    if "war" in panel.columns:
        parts.update(_history(panel, "war", key, windows, "war"))
    if "n_conflicts" in panel.columns:
        parts["n_conflicts"] = panel["n_conflicts"].astype(float)
    if "nonstate_conflict" in panel.columns:
        parts.update(_nonstate(panel, key))
    parts.update(_deaths(panel, key, windows))
    parts["periods_observed"] = panel.groupby(key, sort=False).cumcount().astype(float)
    parts.update(_spaces(panel, key))
    parts.update(_drivers(panel, key, spec))
    features = pd.DataFrame(parts, index=panel.index)
    if neighbours is not None:
        features = features.join(neighbour_features(panel, key, neighbours))
        features = features.join(_neighbour_context(panel, features, key, neighbours))
    return features


def history_columns(event: str, spec: UnitSpec) -> tuple[str, str]:
    """The ``y_t`` column and its ``2^(-years since / 2)`` decay column for an event series."""
    name = "log_brd" if event == "brd_best" else event
    return name, f"{name}_decay_{2 * spec.periods_per_year:g}"


OWN_SPACE = "own"
"""In the pooled democratic-space view (:mod:`gbvs.forecasting.pooling`), the name that stands for the
row's own V-Dem index in its space's feature names (``own_diff1``, ``ds_room_down_own``)."""
SPACE_NUMBER = "space_number"
"""The pooled view's column with the row's space (its place in ``DEMSPACES_INDICES``)."""


def feature_families(columns: Sequence[str], driver_family: Mapping[str, str]) -> dict[str, str]:
    """Family of each feature: the driver mapping's family of its column (a V-Dem v14 change,
    ``<column>_diff1``, that of its column), conflict history, the V-Dem spaces, or ``other``."""
    families = {}
    spaces = (*DEMSPACES_INDICES, "ds_", OWN_SPACE, SPACE_NUMBER)
    for column in columns:
        base = _changed_column(column)
        if base in driver_family:
            families[column] = driver_family[base]
        elif base.startswith(spaces):
            families[column] = SPACES_FAMILY
        elif column in _CONFLICT_PREFIXES or column.startswith(_CONFLICT_PREFIXES):
            families[column] = CONFLICT_FAMILY
        else:
            families[column] = "other"
    return families


def _changed_column(feature: str) -> str:
    """The column whose change a feature is (``vdem14_v2cacamps_diff3`` -> ``vdem14_v2cacamps``), for a
    column that enters with its changes (:data:`UNLAGGED_PREFIXES`); else the feature itself."""
    stem, _, step = feature.rpartition("_diff")
    return stem if feature.startswith(UNLAGGED_PREFIXES) and stem and step.isdigit() else feature


_CONFLICT_PREFIXES = ("conflict", "war", "n_conflicts", "nonstate", "log_brd", "nb_", "periods_observed")
