"""A country's forecast history: what each run forecast for it, and what happened.

Two kinds of past forecasts, kept apart because they earn trust differently:

* ``live``: a stored ``gbvs forecast`` run, made on its run date with the data then available;
* ``backtest``: the main model's out-of-sample forecasts of the latest stored backtest, made
  *afterwards*, each with the data up to its origin year only (so a fresh install has a track record).

Where the store holds the outcome of the forecast year (the target's event column of the
country-year panel: ``conflict``, ``war``, ``brd_best``), the forecast is scored: a probability by its
Brier score (p - outcome)², set beside persistence (forecast "as in the origin year"); a battle-death
distribution by whether the outcome fell inside its 5-95% range. A forecast year forecast by several
live runs counts once in the score (the latest run's forecast), so repeated runs do not weigh twice.

:func:`forecast_history` reads the forecasts file; :func:`score_history` is pure. Both are the one
query behind the country page, ``/api/v1/countries/{iso3}/forecast-history`` and any comparison view.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from gbvs.forecasting.domain import TARGETS, TargetKind
from gbvs.forecasting.queries import RunInfo, run_info
from gbvs.store.forecasts import ForecastsReader, StoredRun

LIVE = "live"
BACKTEST = "backtest"
QUANTILES = ("q05", "q25", "q50", "q75", "q95")

Outcomes = Mapping[int, Mapping[str, Any]]
"""Year -> the country-year panel's values that year (``conflict``, ``war``, ``brd_best``, ...)."""


@dataclass(frozen=True)
class PastForecast:
    """One forecast made for the country, and (once known) what happened."""

    source: str
    """``live`` (made on the run's date) or ``backtest`` (made afterwards with data up to ``origin``)."""
    run: RunInfo
    target: str
    horizon: int
    origin: int
    """The last year of data the forecast was made with."""
    forecast_period: int
    p: float | None
    quantiles: dict[str, float] | None
    observed: float | None = None
    """The outcome: 1/0 for an event, the number of battle deaths for a count; None while not in the store."""
    brier: float | None = None
    persistence_brier: float | None = None
    """The Brier score of "as in the origin year" (None when the origin year's value is unknown)."""
    inside: bool | None = None
    """Counts: whether the outcome fell inside the 5-95% range."""
    counted: bool = False
    """Whether this forecast counts in its group's score (the latest live run per forecast year)."""


@dataclass(frozen=True)
class HistoryGroup:
    """The past forecasts of one source, target and horizon (newest forecast year first) and their score."""

    source: str
    target: str
    horizon: int
    forecasts: tuple[PastForecast, ...]
    scored: int
    """Forecasts with a known outcome that count in the score."""
    events: int
    """Of those, how many had the event (or, for counts, at least one battle death)."""
    brier: float | None
    persistence_brier: float | None
    inside_share: float | None
    """Counts: the share of scored outcomes inside the 5-95% range (0.90 is what the model promises)."""


@dataclass(frozen=True)
class ForecastHistory:
    """Every past forecast for one unit, grouped, with the last year whose outcome is in the store."""

    unit_key: int
    groups: tuple[HistoryGroup, ...]
    outcomes_until: int | None


def forecast_history(
    forecasts: ForecastsReader, outcomes: Outcomes, *, unit_key: int, unit: str = "country-year"
) -> ForecastHistory:
    """Every stored live forecast for ``unit_key`` and the latest backtest's, scored against ``outcomes``."""
    return score_history(past_forecasts(forecasts, unit_key=unit_key, unit=unit), outcomes, unit_key)


def past_forecasts(
    forecasts: ForecastsReader, *, unit_key: int, unit: str = "country-year"
) -> list[PastForecast]:
    """What every live run and the latest backtest forecast for ``unit_key`` (not yet scored)."""
    runs = {run.run_id: (LIVE, run) for run in forecasts.runs("forecast", unit)}
    backtests = forecasts.runs("backtest", unit)
    if backtests:
        runs[backtests[0].run_id] = (BACKTEST, backtests[0])
    rows = forecasts.unit_rows(unit_key, list(runs))
    return [_past(row, *runs[str(row["run_id"])]) for _, row in rows.iterrows()]


def _past(row: pd.Series, source: str, run: StoredRun) -> PastForecast:
    quantiles = {q: float(row[q]) for q in QUANTILES if q in row and not pd.isna(row[q])}
    return PastForecast(
        source=source,
        run=run_info(run),
        target=str(row["target"]),
        horizon=int(row["horizon"]),
        origin=int(row["origin"]),
        forecast_period=int(row["forecast_period"]),
        p=None if pd.isna(row["p"]) else float(row["p"]),
        quantiles=quantiles or None,
    )


def score_history(past: Iterable[PastForecast], outcomes: Outcomes, unit_key: int) -> ForecastHistory:
    """Attach outcomes and scores to ``past`` and group it by source, target and horizon (pure)."""
    scored = _mark_counted([_scored(item, outcomes) for item in past])
    groups: dict[tuple[str, str, int], list[PastForecast]] = {}
    for item in scored:
        groups.setdefault((item.source, item.target, item.horizon), []).append(item)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0][0] != LIVE, _target_order(kv[0][1]), kv[0][2]))
    known = [year for year, values in outcomes.items() if _has_any(values)]
    return ForecastHistory(
        unit_key=unit_key,
        groups=tuple(_group(key, items) for key, items in ordered),
        outcomes_until=max(known) if known else None,
    )


def _target_order(target: str) -> int:
    names = list(TARGETS)
    return names.index(target) if target in names else len(names)


def _has_any(values: Mapping[str, Any]) -> bool:
    return any(_number(values.get(name)) is not None for name in ("conflict", "war", "brd_best"))


def observed_value(target: str, year: int, outcomes: Outcomes) -> float | None:
    """The outcome of ``target`` in ``year`` (None when the store does not hold it or the target's
    outcome spans several years, as DemSpaces' windows do)."""
    spec = TARGETS.get(target)
    if spec is None or spec.window != 1:
        return None
    return _number(outcomes.get(year, {}).get(spec.event))


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _scored(item: PastForecast, outcomes: Outcomes) -> PastForecast:
    observed = observed_value(item.target, item.forecast_period, outcomes)
    if observed is None:
        return item
    if item.p is not None:
        before = observed_value(item.target, item.origin, outcomes)
        return replace(
            item,
            observed=observed,
            brier=(item.p - observed) ** 2,
            persistence_brier=None if before is None else (before - observed) ** 2,
        )
    quantiles = item.quantiles or {}
    inside = (
        quantiles["q05"] <= observed <= quantiles["q95"]
        if "q05" in quantiles and "q95" in quantiles
        else None
    )
    return replace(item, observed=observed, inside=inside)


def _mark_counted(items: list[PastForecast]) -> list[PastForecast]:
    """Count each (source, target, horizon, forecast year) once: its latest run's forecast."""
    latest: dict[tuple[str, str, int, int], PastForecast] = {}
    for item in items:
        if item.observed is None:
            continue
        key = (item.source, item.target, item.horizon, item.forecast_period)
        if key not in latest or _made(item) > _made(latest[key]):
            latest[key] = item
    chosen = {id(item) for item in latest.values()}
    return [replace(item, counted=True) if id(item) in chosen else item for item in items]


def _made(item: PastForecast) -> tuple[str, str]:
    return item.run.created_at, item.run.run_id


def _group(key: tuple[str, str, int], items: Sequence[PastForecast]) -> HistoryGroup:
    source, target, horizon = key
    ordered = sorted(items, key=lambda i: (i.forecast_period, i.run.created_at, i.run.run_id), reverse=True)
    counted = [i for i in items if i.counted]
    binary = TARGETS[target].kind is TargetKind.binary if target in TARGETS else True
    return HistoryGroup(
        source=source,
        target=target,
        horizon=horizon,
        forecasts=tuple(ordered),
        scored=len(counted),
        events=sum(1 for i in counted if (i.observed or 0) > 0),
        brier=_mean([i.brier for i in counted]) if binary else None,
        persistence_brier=_mean([i.persistence_brier for i in counted]) if binary else None,
        inside_share=None if binary else _mean([float(i.inside) for i in counted if i.inside is not None]),
    )


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None
