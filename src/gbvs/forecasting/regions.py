"""Regions for evaluation and the watchlist, read from the strategy (``gbvs.strategy``), never copied here."""

from __future__ import annotations

from typing import Any

from gbvs.errors import GBVSError, NotFoundError

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


def _strategy() -> Any | None:
    try:
        from gbvs.strategy import load_strategy  # type: ignore[attr-defined,unused-ignore]

        return load_strategy()
    except (ImportError, GBVSError):  # strategy data absent or invalid: regions are reported as absent
        return None


def region_members(strategy: Any | None = None) -> dict[str, frozenset[int]]:
    """gwcodes of each focus region, from the strategy data; empty when the strategy is not installed."""
    strategy = strategy if strategy is not None else _strategy()
    if strategy is None:
        return {}
    members = {}
    for region in FOCUS_REGIONS:
        try:
            codes = strategy.countries_in_region(region)
        except Exception:  # a region the strategy data lacks is reported as absent, not fatal
            continue
        members[region] = frozenset(int(getattr(c, "gwcode", c)) for c in codes)
    return members


def check_region(region: str, members: dict[str, frozenset[int]]) -> frozenset[int]:
    """The members of ``region``; NotFoundError naming the known ids otherwise."""
    if region not in members:
        known = ", ".join(members) or "none (the strategy data is not installed)"
        raise NotFoundError(f"region {region!r} does not exist; known focus regions: {known}")
    return members[region]
