"""Driver indicators by country and year: the data behind the driver monitor and its map layers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from gbvs.drivers import Indicator, load_mapping
from gbvs.errors import NotFoundError
from gbvs.store import reads_panel
from gbvs.store.reads_panel import PanelRow
from gbvs.web.queries.countries import list_countries
from gbvs.web.queries.sources import indicator_provenance
from gbvs.web.store import StoreGateway

WELL_COVERED_SHARE = 0.5
"""The driver monitor opens on the latest *well-covered* year: the newest year in which at least this
share of the best year's countries have a value (Polity5's 2019-2020 hold only the United States)."""


class IndicatorValue(BaseModel):
    """One country's value of an indicator in one year, with its rank: 1 = the most risk
    (``ranked_by`` "risk") or the highest value ("value"); equal values share a rank (1, 2, 2, 4)."""

    iso3: str
    gwcode: int
    name: str
    year: int
    value: float
    rank: int
    ranked_by: Literal["risk", "value"]
    unit: str
    countries_with_data: int
    """States with a value of the indicator in ``year`` (all regions)."""
    states_in_panel: int
    """States in the country-year panel in ``year``."""
    source: str
    source_version: str | None
    data_vintage: str | None
    derived_by: str | None = None
    """``GBVS <version> (<table>)`` when GBVS computes the value from the source (EPR's shares of
    excluded groups, conflict flags), None for the source's own value."""


class YearCoverage(BaseModel):
    """How many states have a value of an indicator in a year, of the states in the panel then."""

    year: int
    countries: int
    states: int


def available_indicators(store: StoreGateway) -> tuple[Indicator, ...]:
    """The mapped indicators that are columns of the panel in this store."""
    columns = store.cached(("panel_columns",), reads_panel.panel_columns)
    return tuple(item for item in load_mapping() if item.column in columns)


def get_indicator(store: StoreGateway, column: str) -> Indicator:
    """An available indicator by its panel column, or NotFoundError listing the valid ones."""
    for item in available_indicators(store):
        if item.column == column:
            return item
    valid = ", ".join(item.column for item in available_indicators(store)) or "(none)"
    raise NotFoundError(f"no driver indicator {column!r} in the store; use one of: {valid}")


def indicator_coverage(store: StoreGateway, column: str) -> list[YearCoverage]:
    """Years in which the indicator has at least one value, newest first, with their coverage."""
    rows = store.cached(
        ("indicator_coverage", column), lambda con: reads_panel.indicator_coverage(con, column=column)
    )
    return [YearCoverage(year=year, countries=n, states=total) for year, n, total in rows]


def indicator_years(store: StoreGateway, column: str) -> list[int]:
    """Years in which the indicator has at least one value, newest first."""
    return [row.year for row in indicator_coverage(store, column)]


def default_year(coverage: list[YearCoverage]) -> int | None:
    """The newest year in which at least :data:`WELL_COVERED_SHARE` of the best year's countries have a
    value (None without values)."""
    if not coverage:
        return None
    best = max(row.countries for row in coverage)
    return next(row.year for row in coverage if row.countries >= WELL_COVERED_SHARE * best)


def competition_ranks(keys: list[float]) -> list[int]:
    """Ranks of ``keys`` sorted ascending, equal keys sharing the rank (1, 2, 2, 4)."""
    ranks: list[int] = []
    for index, key in enumerate(keys):
        ranks.append(ranks[-1] if index and key == keys[index - 1] else index + 1)
    return ranks


def indicator_values(
    store: StoreGateway, indicator: Indicator, year: int, lang: str, iso3: frozenset[str] | None = None
) -> list[IndicatorValue]:
    """Every country's value in ``year``, ranked from most to least risk (``direction``) or, for an
    indicator ranked by value, from the highest value; equal values share a rank."""
    raw = store.cached(
        ("indicator_values", indicator.column, year),
        lambda con: reads_panel.indicator_values(con, column=indicator.column, year=year),
    )
    countries = {c.gwcode: c for c in list_countries(store, lang)}
    pairs = [
        (countries[g], v) for g, v in raw if g in countries and (iso3 is None or countries[g].iso3 in iso3)
    ]
    sign = -1 if indicator.ranked_by == "value" else -indicator.direction
    pairs.sort(key=lambda pair: (sign * pair[1], pair[0].name))
    ranks = competition_ranks([sign * v for _, v in pairs])
    covered = next((row for row in indicator_coverage(store, indicator.column) if row.year == year), None)
    provenance = indicator_provenance(store, indicator)
    shared = {
        "ranked_by": indicator.ranked_by,
        "unit": indicator.unit,
        "countries_with_data": covered.countries if covered else 0,
        "states_in_panel": covered.states if covered else 0,
        "source": provenance.source,
        "source_version": provenance.source_version,
        "data_vintage": provenance.data_vintage,
        "derived_by": provenance.derived_by,
    }
    return [
        IndicatorValue(
            iso3=c.iso3,
            gwcode=c.gwcode,
            name=c.name,
            year=year,
            value=v,
            rank=rank,
            **shared,
        )
        for (c, v), rank in zip(pairs, ranks, strict=True)
    ]


def missing_countries(
    store: StoreGateway, indicator: Indicator, year: int, lang: str, iso3: frozenset[str] | None = None
) -> list[str]:
    """Names of the states in the panel in ``year`` without a value of ``indicator`` (in the focus region
    ``iso3``), alphabetical: the ranking says who is missing, not only how many."""
    gwcodes = store.cached(
        ("indicator_missing", indicator.column, year),
        lambda con: reads_panel.indicator_missing(con, column=indicator.column, year=year),
    )
    without = set(gwcodes)
    return [
        c.name
        for c in list_countries(store, lang)  # sorted by name as a reader sorts
        if c.gwcode in without and (iso3 is None or c.iso3 in iso3)
    ]


def indicator_series(store: StoreGateway, gwcode: int, columns: tuple[str, ...]) -> list[PanelRow]:
    """Year-by-year values of ``columns`` for one country."""
    return store.cached(
        ("series", gwcode, columns),
        lambda con: reads_panel.country_series(con, gwcode=gwcode, columns=columns),
    )
