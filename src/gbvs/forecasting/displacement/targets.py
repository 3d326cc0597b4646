"""What the displacement module forecasts, how far ahead, and over which backtest years (pure).

The origin rule is the conflict models' (:func:`gbvs.forecasting.domain.label_known_by`): UNHCR
publishes year ``t`` in June of ``t + 1`` (Global Trends), as UCDP publishes its year ``t`` in mid
``t + 1``, so a forecast from origin ``o`` sees displacement and conflict data up to ``o`` only.
"""

from __future__ import annotations

from dataclasses import dataclass

from gbvs.errors import UnknownTargetError


@dataclass(frozen=True)
class DisplacementTarget:
    """A yearly count per origin country, forecast as a distribution ``h`` years ahead."""

    name: str
    column: str
    first_year: int
    description: str


TARGETS: dict[str, DisplacementTarget] = {
    target.name: target
    for target in (
        DisplacementTarget(
            "new_displacement",
            "new_outflows",
            1991,
            "people newly displaced across borders from the country in year t+h (UNHCR new arrivals)",
        ),
        DisplacementTarget(
            "asylum_nl",
            "asylum_nl",
            2001,
            "asylum applications lodged in the Netherlands by people from the country in year t+h",
        ),
    )
}
HORIZONS: tuple[int, ...] = (1, 2)
BACKTEST_YEARS: tuple[int, int] = (2010, 2023)
"""Forecast years of the backtest, as for the conflict targets."""
QUICK_YEARS: tuple[int, int] = (2020, 2023)
SEEDS: tuple[int, ...] = (0, 1, 2)
QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)


def parse_displacement_target(name: str) -> DisplacementTarget:
    """The target called ``name``; UnknownTargetError naming the choices otherwise."""
    if name not in TARGETS:
        raise UnknownTargetError(
            f"displacement target {name!r} does not exist; use one of: {', '.join(TARGETS)}"
        )
    return TARGETS[name]


def check_displacement_horizon(horizon: int) -> int:
    """``horizon`` if it is forecast; UnknownTargetError with the valid horizons otherwise."""
    if horizon not in HORIZONS:
        raise UnknownTargetError(
            f"displacement horizon {horizon} is not forecast; use one of {list(HORIZONS)}"
        )
    return horizon
