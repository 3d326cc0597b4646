"""Domain objects of the forecasting engine: units, targets, horizons and the origin rules.

Everything here is pure (no I/O) and shared by the backtest and the live forecast, so the two
cannot drift apart: :func:`training_mask` and :func:`forecast_period` are the only definitions of
"what was known at the origin" and "which period a forecast is for".

Time is an integer ``period`` per unit: the year for country-year, ``year * 12 + month - 1`` for
the monthly units. A forecast made at *origin* ``o`` uses data up to and including period ``o``
and is for period ``o + h``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gbvs.errors import UnknownTargetError

DEMSPACES_INDICES: tuple[str, ...] = (
    "v2x_veracc_osp",
    "v2xcs_ccsi",
    "v2xcl_rol",
    "v2x_freexp_altinf",
    "v2x_horacc_osp",
    "v2x_pubcorr",
)
DEMSPACES_NAMES: dict[str, str] = {
    "v2x_veracc_osp": "electoral",
    "v2xcs_ccsi": "associational",
    "v2xcl_rol": "individual",
    "v2x_freexp_altinf": "informational",
    "v2x_horacc_osp": "governing",
    "v2x_pubcorr": "economic",
}

SPACE_DIRECTIONS: dict[str, str] = {"down": "closing", "up": "opening"}
"""DemSpaces' direction of change and our target prefix (``closing_electoral``, ``opening_economic``)."""


class Unit(StrEnum):
    """Unit of analysis: what one row of a panel describes."""

    country_year = "country-year"
    country_month = "country-month"
    grid_month = "grid-month"


@dataclass(frozen=True)
class UnitSpec:
    """How a unit is keyed and how far ahead it may be forecast."""

    unit: Unit
    key: str
    periods_per_year: int
    max_horizon: int

    @property
    def monthly(self) -> bool:
        """Whether one period is a month."""
        return self.periods_per_year == 12


UNIT_SPECS: dict[Unit, UnitSpec] = {
    Unit.country_year: UnitSpec(Unit.country_year, "gwcode", 1, 3),
    Unit.country_month: UnitSpec(Unit.country_month, "gwcode", 12, 12),
    Unit.grid_month: UnitSpec(Unit.grid_month, "priogrid_gid", 12, 12),
}


def parse_unit(value: str) -> UnitSpec:
    """The spec of a unit named ``value``; UnknownTargetError naming the choices otherwise."""
    for unit, spec in UNIT_SPECS.items():
        if value in (unit.value, unit.name):
            return spec
    choices = ", ".join(unit.value for unit in Unit)
    raise UnknownTargetError(f"unit of analysis {value!r} does not exist; use one of: {choices}")


class TargetKind(StrEnum):
    """Binary event (probability) or count (predictive distribution)."""

    binary = "binary"
    counts = "count"


@dataclass(frozen=True)
class Target:
    """One forecast target.

    ``event`` is the panel column (or derived series) whose value at ``t + h`` is the outcome;
    ``window`` > 1 means "at least once in t+1 .. t+window" (DemSpaces' two-year window), in
    which case the horizon is fixed to ``window``. ``first_period`` marks where the series starts
    (battle deaths: 1989).
    """

    name: str
    kind: TargetKind
    event: str
    description: str
    window: int = 1
    first_year: int | None = None
    demspaces: bool = False

    def period_text(self, forecast_period: int, horizon: int) -> str:
        """The years a forecast is for: "2024", or for a window the years it spans ("2024–2025")."""
        if self.window > 1 and horizon > 1:
            return f"{forecast_period - horizon + 1}–{forecast_period}"
        return str(forecast_period)

    def horizons(self, spec: UnitSpec) -> tuple[int, ...]:
        """The horizons this target is forecast at for a unit."""
        if self.window > 1:
            return (self.window,)
        return tuple(range(1, spec.max_horizon + 1))


SPACE_WINDOW = 2
"""The democratic spaces' outcome window in years (DemSpaces: an opening or closing within two years)."""


def _demspaces_targets() -> list[Target]:
    targets = []
    for index in DEMSPACES_INDICES:
        space = DEMSPACES_NAMES[index]
        for direction, label in SPACE_DIRECTIONS.items():
            targets.append(
                Target(
                    name=f"{label}_{space}",
                    kind=TargetKind.binary,
                    event=f"ds_{direction}_{index}",
                    description=f"DemSpaces {label} of the {space} space ({index}) within the next two years",
                    window=SPACE_WINDOW,
                    demspaces=True,
                )
            )
    return targets


CONFLICT_TARGETS: tuple[Target, ...] = (
    Target("incidence", TargetKind.binary, "conflict", "state-based armed conflict (>= 25 BRD) in t+h"),
    Target("war", TargetKind.binary, "war", "intensity level 2 (>= 1000 BRD) in t+h"),
    Target("battle_deaths", TargetKind.counts, "brd_best", "battle-related deaths in t+h", first_year=1989),
)
DEMSPACES_TARGETS: tuple[Target, ...] = tuple(_demspaces_targets())
TARGETS: dict[str, Target] = {t.name: t for t in (*CONFLICT_TARGETS, *DEMSPACES_TARGETS)}
MONTHLY_TARGETS: tuple[str, ...] = ("incidence", "battle_deaths")


def parse_target(name: str) -> Target:
    """The target called ``name``; UnknownTargetError listing the choices otherwise."""
    if name not in TARGETS:
        raise UnknownTargetError(f"forecast target {name!r} does not exist; use one of: {', '.join(TARGETS)}")
    return TARGETS[name]


def check_horizon(target: Target, spec: UnitSpec, horizon: int) -> int:
    """``horizon`` if valid for ``target`` on ``spec``; UnknownTargetError with the valid range."""
    allowed = target.horizons(spec)
    if horizon not in allowed:
        raise UnknownTargetError(
            f"horizon {horizon} is not valid for target {target.name!r} on {spec.unit.value}; "
            f"use one of {list(allowed)} (horizon 0 would be a nowcast of data already observed)"
        )
    return horizon


# -- origin and partition rules (the one definition used by backtest and live forecast) ---------


def forecast_period(origin: int, horizon: int) -> int:
    """The period a forecast made at ``origin`` for ``horizon`` is about."""
    return origin + horizon


def origin_for(forecast: int, horizon: int) -> int:
    """The origin from which ``forecast`` is reached at ``horizon``."""
    return forecast - horizon


def label_known_by(period: int, horizon: int, origin: int) -> bool:
    """Whether the outcome of row ``period`` at ``horizon`` was published by ``origin``.

    The data lag: UCDP releases year t in mid t+1 (V-Dem in March t+1), so at the moment a user
    forecasts from origin ``o`` (mid ``o + 1``) the outcomes up to period ``o`` are known, and
    nothing later. A training row at ``t`` therefore needs ``t + h <= o``.
    """
    return period + horizon <= origin


def origins_for_years(first: int, last: int, horizon: int) -> list[int]:
    """Origins whose ``horizon``-ahead forecasts cover forecast periods ``first..last``."""
    return [origin_for(period, horizon) for period in range(first, last + 1)]
