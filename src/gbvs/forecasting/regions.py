"""Regions for evaluation and the watchlist, read from the strategy (``gbvs.strategy``), never copied here.

A region's members are the Gleditsch-Ward codes the strategy gives its countries in the strategy
period (from :mod:`gbvs.countries`). Membership never comes out empty silently: a focus region
the strategy lacks, or one without countries, is an error naming it.
"""

from __future__ import annotations

from gbvs.errors import FieldError, StrategyError
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
    """The members of ``region``; otherwise :func:`unknown_region` (a filter value, not an address)."""
    if region not in members:
        raise unknown_region(region, list(members))
    return members[region]


def unknown_region(region: str, known: list[str], message: str | None = None) -> FieldError:
    """The error for a region filter naming no focus region: a wrong value (HTTP 400 naming the value and
    the valid ids), not a missing resource (404). ``message``: the same as a catalogue message (values
    ``region`` and ``choices``), for a page in the reader's language."""
    choices = ", ".join(known)
    words = (message, {"region": region, "choices": choices}) if message else None
    return FieldError("region", f"unknown focus region {region!r}; use one of: {choices}", words)
