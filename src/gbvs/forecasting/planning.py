"""What a backtest or a live forecast covers: targets, forecast years or months, horizons, seeds.

Pure policy (no I/O): :mod:`gbvs.forecasting.service` asks this module which plans to run and
runs them. Change a backtest period or a quick-run setting here, in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gbvs.errors import UnknownTargetError
from gbvs.forecasting.backtest import BacktestPlan
from gbvs.forecasting.domain import (
    CONFLICT_TARGETS,
    DEMSPACES_TARGETS,
    MONTHLY_TARGETS,
    TARGETS,
    Target,
    UnitSpec,
    check_horizon,
    parse_target,
)


@dataclass(frozen=True)
class Period:
    """First and last forecast period of a backtest, full and quick."""

    full: tuple[int, int]
    quick: tuple[int, int]

    def span(self, quick: bool) -> tuple[int, int]:
        """The period of a full or a quick run."""
        return self.quick if quick else self.full


CONFLICT_YEARS = Period(full=(2010, 2023), quick=(2018, 2023))
"""Forecast years of the conflict targets."""
DEMSPACES_ORIGINS = Period(full=(2005, 2021), quick=(2016, 2021))
"""Origins of the DemSpaces targets; their forecast "period" is origin + 2 (a two-year window)."""
DEMSPACES_WINDOW = 2
SYRIA_MONTHS = ((2018, 1), (2019, 12))
"""First and last forecast month (year, month) of the monthly units: the store's GED is Syria 2016-2019."""
QUICK_CONFLICT_HORIZONS: tuple[int, ...] = (1,)
QUICK_MONTHLY_HORIZONS: tuple[int, ...] = (1, 3, 6, 12)
BACKTEST_SEEDS = 3
QUICK_SEEDS = 1
LIVE_SEEDS = 3
"""Seeds of the live forecast: as many as the backtest scores, so the spread shown is the measured one."""


def choose_targets(names: Sequence[str] | None, spec: UnitSpec) -> tuple[Target, ...]:
    """Targets by name (all for the unit when empty); UnknownTargetError for unknown names."""
    if names:
        chosen = tuple(parse_target(n) for n in names)
    elif spec.monthly:
        chosen = tuple(TARGETS[n] for n in MONTHLY_TARGETS)
    else:
        chosen = (*CONFLICT_TARGETS, *DEMSPACES_TARGETS)
    if spec.monthly:
        bad = [t.name for t in chosen if t.name not in MONTHLY_TARGETS]
        if bad:
            raise UnknownTargetError(
                f"targets {bad} are yearly only; monthly units ({spec.unit.value}) support "
                f"{list(MONTHLY_TARGETS)}"
            )
    return chosen


def check_horizons(
    horizons: Sequence[int] | None, targets: tuple[Target, ...], spec: UnitSpec
) -> tuple[int, ...] | None:
    """Requested horizons, each valid for at least one target; UnknownTargetError otherwise."""
    if not horizons:
        return None
    for h in horizons:
        if not any(h in t.horizons(spec) for t in targets):
            check_horizon(targets[0], spec, h)  # raises with the valid range
    return tuple(horizons)


def backtest_seeds(seeds: int | None, quick: bool) -> tuple[int, ...]:
    """Seeds 0..n-1 of a backtest: ``seeds`` when given, else 3 (1 for a quick run)."""
    count = seeds if seeds is not None else (QUICK_SEEDS if quick else BACKTEST_SEEDS)
    return tuple(range(max(1, count)))


def backtest_plans(
    spec: UnitSpec, targets: tuple[Target, ...], seeds: tuple[int, ...], *, quick: bool, jobs: int = 1
) -> list[BacktestPlan]:
    """The backtests to run for ``targets``: one per group of targets sharing a period."""
    if spec.monthly:
        (fy, fm), (ly, lm) = SYRIA_MONTHS
        horizons = QUICK_MONTHLY_HORIZONS if quick else None
        first, last = _month_id(fy, fm), _month_id(ly, lm)
        return [BacktestPlan(spec, targets, first, last, seeds, horizons, fast=True, n_jobs=jobs)]
    plans = []
    conflict = tuple(t for t in targets if not t.demspaces)
    spaces = tuple(t for t in targets if t.demspaces)
    if conflict:
        first, last = CONFLICT_YEARS.span(quick)
        horizons = QUICK_CONFLICT_HORIZONS if quick else None
        plans.append(BacktestPlan(spec, conflict, first, last, seeds, horizons, fast=quick, n_jobs=jobs))
    if spaces:
        first, last = DEMSPACES_ORIGINS.span(quick)
        plans.append(
            BacktestPlan(
                spec,
                spaces,
                first + DEMSPACES_WINDOW,
                last + DEMSPACES_WINDOW,
                seeds,
                None,
                fast=quick,
                n_jobs=jobs,
            )
        )
    return plans


def _month_id(year: int, month: int) -> int:
    from gbvs.panels.events import month_id

    return int(month_id(year, month))
