"""The strategy as the pages and the API show it: goals with their links resolved."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from gbvs.drivers import Indicator, load_mapping
from gbvs.errors import FieldError, NotFoundError
from gbvs.forecasting.regions import unknown_region
from gbvs.strategy import Goal, Region, Strategy, Threat, load_strategy
from gbvs.strategy.model import Country, Driver, Framework, Instrument, Pillar
from gbvs.web.render import N_

UNKNOWN_REGION = N_("There is no focus region ‘%(region)s’. Choose one of: %(choices)s.")
"""A region filter naming no focus region, on a page (values: the region asked for, the valid ids)."""


@dataclass(frozen=True)
class GoalView:
    """A goal with every reference resolved to its record."""

    goal: Goal
    pillar: Pillar
    threats: tuple[Threat, ...]
    drivers: tuple[Driver, ...]
    indicators: tuple[Indicator, ...]
    instruments: tuple[Instrument, ...]
    frameworks: tuple[Framework, ...]
    regions: tuple[Region, ...]
    countries: tuple[Country, ...]


@cache
def current_strategy() -> Strategy:
    """The strategy the app shows (the package's current one; loaded once per process)."""
    return load_strategy()


def goal_view(strategy: Strategy, number: int) -> GoalView:
    """Goal ``number`` with its pillar, threats, drivers, instruments, frameworks, regions, countries."""
    goal = strategy.goal(number)
    iso3 = strategy.goal_iso3(goal)
    region_ids = {place.region for place in goal.places if place.region}
    return GoalView(
        goal=goal,
        pillar=strategy.pillar(goal.pillar),
        threats=tuple(strategy.threat(n) for n in goal.threats),
        drivers=tuple(strategy.driver(d) for d in goal.drivers),
        indicators=indicators_for_drivers(goal.drivers),
        instruments=tuple(strategy.instrument(i) for i in goal.instruments),
        frameworks=tuple(strategy.framework(f) for f in goal.frameworks),
        regions=tuple(r for r in strategy.regions if r.id in region_ids),
        countries=tuple(c for c in strategy.countries if c.iso3 in iso3),
    )


def indicators_for_drivers(driver_ids: tuple[str, ...]) -> tuple[Indicator, ...]:
    """The panel indicators that measure any of ``driver_ids``."""
    return tuple(item for item in load_mapping() if item.driver in driver_ids)


def goals_for_iso3(strategy: Strategy, iso3: str) -> tuple[Goal, ...]:
    """Goals that concern a country (directly or through a focus region); none if the strategy lacks it."""
    if not any(country.iso3 == iso3 for country in strategy.countries):
        return ()
    return strategy.goals_for_country(iso3)


def known_goal(strategy: Strategy, number: int) -> int:
    """``number`` when the strategy has that goal; a goal filter naming none is a 400 naming the value and
    the goals there are (an empty answer would read as "nothing for this goal")."""
    numbers = [goal.number for goal in strategy.goals]
    if number not in numbers:
        listed = ", ".join(str(n) for n in numbers)
        raise FieldError("goal", f"unknown goal {number}; use one of the strategy's goals: {listed}")
    return number


def region_iso3(strategy: Strategy, region_id: str) -> frozenset[str]:
    """ISO3 codes of the countries of a focus region (its id, or its name in any case); a region filter
    naming none is a 400 naming the value and the valid ids
    (:func:`gbvs.forecasting.regions.unknown_region`), on a page in its language."""
    try:
        region = strategy.region(region_id)
    except NotFoundError:
        raise unknown_region(region_id, [known.id for known in strategy.regions], UNKNOWN_REGION) from None
    return frozenset(country.iso3 for country in strategy.countries_in_region(region.id))
