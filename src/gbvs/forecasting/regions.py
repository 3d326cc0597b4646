"""Regions for evaluation and the watchlist, read from the strategy (``gbvs.strategy``), never copied here.

A region's members are the Gleditsch-Ward codes the strategy gives its countries in the strategy
period (from :mod:`gbvs.countries`). Membership never comes out empty silently: a focus region
the strategy lacks, or one without countries, is an error naming it.
"""

from __future__ import annotations

from gbvs.errors import NotFoundError, StrategyError
from gbvs.strategy import Strategy, load_strategy

FOCUS_REGIONS: tuple[str, ...] = (
    "north_africa",
    "middle_east",
    "sahel",
    "horn_of_africa",
    "eastern_europe_caucasus",
    "western_balkans",
    "ring_around_europe",
    "caribbean",
)


def region_members(strategy: Strategy | None = None) -> dict[str, frozenset[int]]:
    """gwcodes of each focus region (default: the current strategy); StrategyError for an empty one."""
    strategy = strategy if strategy is not None else load_strategy()
    return {region: _members(strategy, region) for region in FOCUS_REGIONS}


def _members(strategy: Strategy, region: str) -> frozenset[int]:
    codes = frozenset(country.gwcode for country in strategy.countries_in_region(region))
    if not codes:
        raise StrategyError(
            f"focus region {region!r} of strategy {strategy.id} has no countries; "
            "list its members in regions.yaml"
        )
    return codes


def check_region(region: str, members: dict[str, frozenset[int]]) -> frozenset[int]:
    """The members of ``region``; NotFoundError naming the known ids otherwise."""
    if region not in members:
        raise NotFoundError(f"region {region!r} does not exist; known focus regions: {', '.join(members)}")
    return members[region]
