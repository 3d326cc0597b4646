"""The goal-13 ranking (pure): origins ordered by forecast asylum applications in the Netherlands,
beside their conflict risk, the change since the last observed year and the forecast's uncertainty."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

import pandas as pd

ASYLUM_TARGET = "asylum_nl"
DISPLACEMENT_TARGET = "new_displacement"


def at_bound(q75: float, q95: float) -> bool:
    """Whether the 75% and 95% quantiles of a forecast are one positive value (its 50% and 90% intervals end
    at it): the model's samples are continuous, so only its upper bound (e.g. the training years' largest)
    holds a fifth of them; the median may lie there too. Not for quantiles merely close together."""
    return q95 > 0 and math.isclose(q75, q95, rel_tol=1e-9)


@dataclass(frozen=True)
class RankingRow:
    """One origin country in the ranking (applications per year; ``p_conflict`` 0-1)."""

    rank: int
    gwcode: int
    iso3: str
    name: str
    forecast_period: int
    q05: float
    q25: float
    q50: float
    q75: float
    q95: float
    last_year: int
    last_value: float | None
    change: float | None
    new_displacement_q50: float | None
    p_conflict: float | None
    baseline: str | None = None
    """The baseline shown beside the forecast (the one the backtest found better at this horizon), or None."""
    baseline_q05: float | None = None
    baseline_q50: float | None = None
    baseline_q95: float | None = None

    @property
    def upper_quantiles_coincide(self) -> bool:
        """:func:`at_bound` of this origin's quantiles."""
        return at_bound(self.q75, self.q95)

    @property
    def width90(self) -> float:
        """Width of the 90% interval (the uncertainty)."""
        return self.q95 - self.q05

    def as_dict(self) -> dict[str, Any]:
        """Plain data, with the interval width."""
        return {**asdict(self), "width90": self.width90}


def _beside(baseline: tuple[str, pd.DataFrame] | None, horizon: int) -> dict[int, dict[str, Any]]:
    """Per Gleditsch-Ward code, the baseline's name and its asylum forecast at ``horizon`` (q05, q50, q95)."""
    if baseline is None:
        return {}
    name, rows = baseline
    kept = rows[(rows["target"] == ASYLUM_TARGET) & (rows["horizon"] == horizon)]
    return {
        int(r["unit_key"]): {
            "baseline": name,
            **{f"baseline_{q}": float(r[q]) for q in ("q05", "q50", "q95")},
        }
        for _, r in kept.iterrows()
    }


def build_ranking(
    rows: pd.DataFrame,
    horizon: int,
    last_values: Mapping[int, float | None],
    conflict: Mapping[int, float],
    identify: Callable[[int], tuple[str, str] | None],
    baseline: tuple[str, pd.DataFrame] | None = None,
) -> list[RankingRow]:
    """Rank the ``asylum_nl`` forecasts at ``horizon`` by median (ties: upper bound, then name).

    ``rows`` are a run's forecast rows (unit_key, target, horizon, origin, forecast_period, q05..q95);
    ``last_values`` the applications in the origin year; ``conflict`` the conflict forecast at the
    same horizon; ``identify`` gives (iso3, name) of a Gleditsch-Ward code, None to leave it out;
    ``baseline`` a baseline's name and forecast rows (the same columns) to show beside each origin's.
    """
    chosen = rows[(rows["target"] == ASYLUM_TARGET) & (rows["horizon"] == horizon)]
    displaced = rows[(rows["target"] == DISPLACEMENT_TARGET) & (rows["horizon"] == horizon)]
    new_median = dict(zip(displaced["unit_key"].astype(int), displaced["q50"].astype(float), strict=True))
    beside = _beside(baseline, horizon)
    found: list[RankingRow] = []
    for _, row in chosen.iterrows():
        code = int(row["unit_key"])
        ids = identify(code)
        if ids is None:
            continue
        last = last_values.get(code)
        found.append(
            RankingRow(
                rank=0,
                gwcode=code,
                iso3=ids[0],
                name=ids[1],
                forecast_period=int(row["forecast_period"]),
                q05=float(row["q05"]),
                q25=float(row["q25"]),
                q50=float(row["q50"]),
                q75=float(row["q75"]),
                q95=float(row["q95"]),
                last_year=int(row["origin"]),
                last_value=last,
                change=None if last is None else float(row["q50"]) - last,
                new_displacement_q50=new_median.get(code),
                p_conflict=conflict.get(code),
                **beside.get(code, {}),
            )
        )
    found.sort(key=lambda r: (-r.q50, -r.q95, r.name))
    return [replace(r, rank=i + 1) for i, r in enumerate(found)]
