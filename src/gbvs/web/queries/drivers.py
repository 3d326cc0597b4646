"""Driver indicators by country and year: the data behind the driver monitor and its map layers."""

from __future__ import annotations

from pydantic import BaseModel

from gbvs.drivers import Indicator, load_mapping
from gbvs.errors import NotFoundError
from gbvs.store import reads_panel
from gbvs.store.reads_panel import PanelRow
from gbvs.web.queries.countries import list_countries
from gbvs.web.store import StoreGateway


class IndicatorValue(BaseModel):
    """One country's value of an indicator in one year, with its rank (1 = highest risk)."""

    iso3: str
    gwcode: int
    name: str
    year: int
    value: float
    rank: int


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


def indicator_years(store: StoreGateway, column: str) -> list[int]:
    """Years in which the indicator has at least one value, newest first."""
    return store.cached(
        ("indicator_years", column), lambda con: reads_panel.indicator_years(con, column=column)
    )


def indicator_values(
    store: StoreGateway, indicator: Indicator, year: int, lang: str, iso3: frozenset[str] | None = None
) -> list[IndicatorValue]:
    """Every country's value in ``year``, ranked from most to least risk (``direction``)."""
    raw = store.cached(
        ("indicator_values", indicator.column, year),
        lambda con: reads_panel.indicator_values(con, column=indicator.column, year=year),
    )
    countries = {c.gwcode: c for c in list_countries(store, lang)}
    pairs = [
        (countries[g], v) for g, v in raw if g in countries and (iso3 is None or countries[g].iso3 in iso3)
    ]
    pairs.sort(key=lambda pair: -indicator.direction * pair[1])
    return [
        IndicatorValue(iso3=c.iso3, gwcode=c.gwcode, name=c.name, year=year, value=v, rank=index + 1)
        for index, (c, v) in enumerate(pairs)
    ]


def indicator_series(store: StoreGateway, gwcode: int, columns: tuple[str, ...]) -> list[PanelRow]:
    """Year-by-year values of ``columns`` for one country."""
    return store.cached(
        ("series", gwcode, columns),
        lambda con: reads_panel.country_series(con, gwcode=gwcode, columns=columns),
    )
