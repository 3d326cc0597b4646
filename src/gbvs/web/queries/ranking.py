"""The risk ranking behind the watchlist page: filters, the onset view and server-side sorting.

The onset view answers the analyst's real question: among the countries at peace now (no state-based
armed conflict in the forecast's origin year), where is the risk of a *new* conflict highest? The
plain ranking is mostly today's wars at 98-99%, which tells nobody anything new.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from gbvs.errors import InputError
from gbvs.store import reads_panel
from gbvs.textmatch import fold
from gbvs.web.queries.forecasts import CountryForecast, ForecastCache, country_forecasts
from gbvs.web.store import StoreGateway


class RankingView(StrEnum):
    """Which countries the ranking holds."""

    all = "all"
    onset = "onset"  # only countries without conflict in the origin year


class RankingSort(StrEnum):
    """Server-side sort orders of the ranking table."""

    risk = "risk"  # highest probability first
    name = "name"  # country name A-Z
    spread = "spread"  # widest range over the model's seeds first (the least certain forecasts)


class RankedForecast(BaseModel):
    """One country in the ranking: its forecast and whether it is at peace in the origin year."""

    rank: int
    forecast: CountryForecast
    conflict_now: int | None


def ranking(
    cache: ForecastCache,
    store: StoreGateway,
    lang: str,
    target: str,
    horizon: int,
    members: frozenset[str] | None = None,
    view: RankingView = RankingView.all,
    query: str = "",
    sort: RankingSort = RankingSort.risk,
) -> list[RankedForecast]:
    """The latest forecasts of one target and horizon, filtered and sorted (rank = by risk).

    A target or horizon the latest run gives no probabilities for is an :class:`InputError` naming
    those it does: an empty ranking would read as "no country at risk".
    """
    everything = country_forecasts(cache, store, lang)
    check_choice(ranking_choices(everything), target, horizon)
    items = [f for f in everything if f.target == target and f.horizon == horizon and f.p is not None]
    origin = items[0].origin if items else None
    status = (
        store.cached(
            ("conflict_by_country", origin), lambda con: reads_panel.conflict_by_country(con, year=origin)
        )
        if origin
        else {}
    )
    items = [f for f in items if _kept(f, members, view, query, status)]
    items.sort(key=lambda f: -(f.p or 0.0))
    ranked = [
        RankedForecast(rank=i + 1, forecast=f, conflict_now=status.get(f.gwcode)) for i, f in enumerate(items)
    ]
    return sorted(ranked, key=SORT_KEYS[sort])


def ranking_choices(items: list[CountryForecast]) -> dict[str, list[int]]:
    """The targets a run gives probabilities for (a count such as battle deaths is not ranked), each
    with its horizons, in order."""
    held: dict[str, set[int]] = {}
    for item in items:
        if item.p is not None:
            held.setdefault(item.target, set()).add(item.horizon)
    return {target: sorted(held[target]) for target in sorted(held)}


def check_choice(choices: dict[str, list[int]], target: str, horizon: int) -> None:
    """Refuse a target or horizon the run holds no probabilities for, naming the ones it does."""
    if target not in choices:
        raise InputError(
            f"target {target!r} has no probabilities in the latest forecast run; "
            f"use one of: {', '.join(choices)}"
        )
    if horizon not in choices[target]:
        held = ", ".join(str(h) for h in choices[target])
        raise InputError(
            f"horizon {horizon} is not in the latest forecast run for target {target!r}; use one of: {held}"
        )


def _kept(
    item: CountryForecast,
    members: frozenset[str] | None,
    view: RankingView,
    query: str,
    status: dict[int, int],
) -> bool:
    if members is not None and item.iso3 not in members:
        return False
    if view is RankingView.onset and status.get(item.gwcode, 1) != 0:
        return False
    wanted = query.strip().casefold()
    return not wanted or wanted in item.name.casefold() or wanted == item.iso3.casefold()


SORT_KEYS: dict[RankingSort, Callable[[RankedForecast], Any]] = {
    RankingSort.risk: lambda r: r.rank,
    RankingSort.name: lambda r: fold(r.forecast.name),  # Côte d'Ivoire before Czechia
    RankingSort.spread: lambda r: -((r.forecast.p_high or 0.0) - (r.forecast.p_low or 0.0)),
}
