"""Drijvers / Driver monitor: a map and a ranked table per driver indicator, by year and focus region."""

from __future__ import annotations

from fastapi import Query, Request
from fastapi.responses import HTMLResponse

from gbvs import numbers
from gbvs.drivers import Indicator
from gbvs.drivers.families import family_label
from gbvs.security import Permission
from gbvs.textmatch import contains
from gbvs.web.deps import Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.queries.drivers import (
    WELL_COVERED_SHARE,
    available_indicators,
    default_year,
    get_indicator,
    indicator_coverage,
    indicator_values,
    missing_countries,
)
from gbvs.web.queries.maps import country_paths
from gbvs.web.queries.sources import indicator_provenance, origin_sources
from gbvs.web.queries.strategy import current_strategy, region_iso3
from gbvs.web.render import render_page
from gbvs.web.shading import N_CLASSES, SKEW_RATIO, bin_label, classify, log_scaled, shades_for
from gbvs.web.sourcetexts import Gettext
from gbvs.web.tables import Column, Sort, Table, table_view
from gbvs.web.worldmap import render_map

router = page_router(Permission.data_read)
RANKING_TABLE = Table(
    Column("rank", lambda v: v.rank),
    Column("name", lambda v: v.name),
    Column("value", lambda v: v.value, descending_first=True),
    default=Sort("rank"),
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
    q: str = Query(default="", max_length=100),
    sort: str = Query(default="", max_length=40),
) -> HTMLResponse:
    """The driver monitor for one indicator and year (defaults: first indicator, the latest well-covered
    year, :func:`~gbvs.web.queries.drivers.default_year`); it says how many countries have a value.

    A year without values says so (and shows no map) instead of quietly showing another year.
    The ranking table is filtered by ``q`` (country name or ISO3) and sorted by ``sort`` (``rank``,
    ``name`` or ``value``; ``-`` in front: descending); the map keeps every country.
    """
    order = RANKING_TABLE.parse(sort)
    indicators = available_indicators(store)
    chosen = get_indicator(store, indicator or _default(indicators).column)
    coverage = indicator_coverage(store, chosen.column)
    years = [row.year for row in coverage]
    shown_year = year if year is not None else default_year(coverage)
    strategy = current_strategy()
    members = region_iso3(strategy, region) if region else None
    has_year = shown_year in years
    values = indicator_values(store, chosen, shown_year, lang, members) if has_year and shown_year else []
    t = request.app.state.web.catalogs[lang].gettext
    number = numbers.formatter(lang, chosen.decimals)
    bins = classify([v.value for v in values])
    classes_note = _classes_note(t, log_scaled([v.value for v in values]))
    map_svg = render_map(
        country_paths(store, lang),
        shades_for({v.iso3: v.value for v in values}, bins, number, t("%(value)s (map class %(range)s)")),
        t("Map: %(indicator)s in %(year)s") % {"indicator": getattr(chosen.label, lang), "year": shown_year},
        classes_note,
        t("no data"),
        focus=members,
        outside=t("outside the focus region"),
    )
    context = {
        "indicators": indicators,
        "chosen": chosen,
        "years": years,
        "year": shown_year,
        "year_missing": shown_year is not None and not has_year,
        "coverage": next((row for row in coverage if row.year == shown_year), None),
        "latest_year": years[0] if years else None,
        "well_covered_percent": round(WELL_COVERED_SHARE * 100),
        "regions": strategy.regions,
        "region": region,
        "values": RANKING_TABLE.apply([v for v in values if contains(q, v.name, v.iso3)], order),
        "n_values": len(values),
        "missing": missing_countries(store, chosen, shown_year, lang, members)
        if has_year and shown_year
        else [],
        "q": q,
        "table": table_view(RANKING_TABLE, order, "/drijvers", request.query_params),
        "bins": [(b, bin_label(b, number)) for b in bins],
        "map_svg": map_svg,
        "classes_note": classes_note,
        "driver": next((d for d in strategy.drivers if d.id == chosen.driver), None),
        "driver_label": family_label(chosen.driver, lang),
        "driver_groups": _by_driver(indicators, lang),
        "siblings": [i for i in indicators if i.driver == chosen.driver and i.column != chosen.column],
        "indicator_sources": origin_sources(store, chosen.source_table),
        "indicator_derived_by": indicator_provenance(store, chosen).derived_by,
    }
    return render_page(request, "drivers.html", context)


def _classes_note(t: Gettext, log_scale: bool) -> str:
    """How the map's classes are made (mapclassify's natural breaks), said under the map."""
    note = t(
        "Countries are shaded in at most %(n)s classes found by natural breaks (Fisher-Jenks, with "
        "mapclassify): the values within a class lie as close together as possible. Zero is a class of its "
        "own. The classes are found anew for each indicator and year, so a colour means something else in "
        "another year; the ranked table below lists every value."
    ) % {"n": N_CLASSES}
    if not log_scale:
        return note
    skewed = t(
        "This year the values are strongly skewed (the largest is over %(ratio)s times the median), so the "
        "classes are found on a logarithmic scale: otherwise the few largest values would fill the upper "
        "classes and nearly every other country would fall in one."
    ) % {"ratio": f"{SKEW_RATIO:g}"}
    return f"{note} {skewed}"


def _by_driver(indicators: tuple[Indicator, ...], lang: str) -> list[tuple[str, list[Indicator]]]:
    """The indicators grouped by the driver they measure (in mapping order), each with its short name."""
    groups: dict[str, list[Indicator]] = {}
    for item in indicators:
        groups.setdefault(item.driver, []).append(item)
    return [(family_label(driver, lang), items) for driver, items in groups.items()]


def _default(indicators: tuple[Indicator, ...]) -> Indicator:
    """The first indicator of a strategy driver (conflict history is on the country pages)."""
    return next((i for i in indicators if i.driver != "conflict_history"), indicators[0])
