"""Drijvers / Driver monitor: a map and a ranked table per driver indicator, by year and focus region."""

from __future__ import annotations

from fastapi import Query, Request
from fastapi.responses import HTMLResponse

from gbvs.drivers import Indicator
from gbvs.security import Permission
from gbvs.web.deps import Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.queries.drivers import available_indicators, get_indicator, indicator_values, indicator_years
from gbvs.web.queries.maps import country_paths
from gbvs.web.queries.sources import list_sources
from gbvs.web.queries.strategy import current_strategy, region_iso3
from gbvs.web.render import N_, render_page
from gbvs.web.shading import quantile_bins, shades_for
from gbvs.web.worldmap import render_map

router = page_router(Permission.data_read)
BIN_LABELS = (
    N_("lowest fifth"),
    N_("second fifth"),
    N_("middle fifth"),
    N_("fourth fifth"),
    N_("highest fifth"),
)


@router.get("/drijvers", response_class=HTMLResponse)
@cached
def drivers_page(
    request: Request,
    store: Store,
    lang: Language,
    indicator: str | None = Query(default=None, max_length=100),
    year: int | None = Query(default=None, ge=1800, le=2100),
    region: str | None = Query(default=None, max_length=100),
) -> HTMLResponse:
    """The driver monitor for one indicator and year (defaults: first indicator, latest year)."""
    indicators = available_indicators(store)
    chosen = get_indicator(store, indicator or _default(indicators).column)
    years = indicator_years(store, chosen.column)
    shown_year = year if year in years else (years[0] if years else None)
    strategy = current_strategy()
    members = region_iso3(strategy, region) if region else None
    values = indicator_values(store, chosen, shown_year, lang, members) if shown_year else []
    t = request.app.state.web.catalogs[lang].gettext
    bins = quantile_bins([v.value for v in values], [t(label) for label in BIN_LABELS])
    map_svg = render_map(
        country_paths(store),
        shades_for({v.iso3: v.value for v in values}, bins),
        t("Map: %(indicator)s in %(year)s") % {"indicator": getattr(chosen.label, lang), "year": shown_year},
        t("Countries shaded by fifths of the indicator's values; the ranked table below lists every value."),
        t("no data"),
    )
    context = {
        "indicators": indicators,
        "chosen": chosen,
        "years": years,
        "year": shown_year,
        "regions": strategy.regions,
        "region": region,
        "values": values,
        "bins": bins,
        "map_svg": map_svg,
        "indicator_sources": [s for s in list_sources(store) if s.table_name == chosen.source_table],
    }
    return render_page(request, "drivers.html", context)


def _default(indicators: tuple[Indicator, ...]) -> Indicator:
    """The first indicator of a strategy driver (conflict history is on the country pages)."""
    return next((i for i in indicators if i.driver != "conflict_history"), indicators[0])
