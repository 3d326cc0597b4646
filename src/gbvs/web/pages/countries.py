"""Landen / Countries: the country list and the country profile."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from gbvs import numbers
from gbvs.countries.borders import borders_differ
from gbvs.drivers import Indicator
from gbvs.drivers.families import family_label, family_labels
from gbvs.drivers.units import unit_name
from gbvs.errors import NoForecastRunError
from gbvs.security import Permission
from gbvs.textmatch import contains, fold
from gbvs.web import charts
from gbvs.web.brief import brief_response
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.pages.demspaces import country_section as demspaces_section
from gbvs.web.pages.displacement import country_section as displacement_section
from gbvs.web.pages.history import country_section as history_section
from gbvs.web.queries.countries import (
    HISTORY_TABLES,
    PAGE_COUNTRY_LIST,
    ConflictYear,
    Country,
    conflict_history,
    get_country,
    list_countries,
)
from gbvs.web.queries.drivers import available_indicators, indicator_series
from gbvs.web.queries.forecasts import CountryForecast, country_forecasts, left_out, target_runs
from gbvs.web.queries.sources import (
    ColumnProvenance,
    Source,
    indicator_provenance,
    list_sources,
    origin_sources,
)
from gbvs.web.queries.strategy import current_strategy, goals_for_iso3, region_iso3
from gbvs.web.render import render_page
from gbvs.web.store import StoreGateway
from gbvs.web.tables import Column, Sort, Table, table_view

router = page_router(Permission.data_read)
Gettext = Callable[[str], str]
DRIVERS_FROM = 1990  # driver indicators are shown from this year (the full series is in the API)
LOCATED_FROM = 1989
"""The chart's deaths where the fighting happened start with UCDP GED (PRIO's conflict-level figures
before it are in the table), the year the dyadic series starts."""


COUNTRY_TABLE = Table(
    Column("name", lambda c: c.name),
    Column("iso3", lambda c: c.iso3),
    Column("gwcode", lambda c: c.gwcode),
    default=Sort("name"),
)


@router.get("/landen", response_class=HTMLResponse)
@cached
def countries_page(
    request: Request,
    store: Store,
    lang: Language,
    q: str = Query(default="", max_length=100),
    region: str = Query(default="", max_length=100),
    sort: str = Query(default="", max_length=40),
) -> HTMLResponse:
    """All countries, linked to their profiles, as a table sorted and filtered on the server.

    ``q`` (the search box on every page) narrows the list; a search that names exactly one country
    (its name or ISO3 code) goes straight to its profile. ``region`` keeps a focus region's
    countries; ``sort`` orders by ``name``, ``iso3`` or ``gwcode`` (``-`` in front: descending).
    """
    order = COUNTRY_TABLE.parse(sort)
    strategy = current_strategy()
    members = region_iso3(strategy, region) if region else None
    selected = strategy.region(region) if region else None
    found = [
        c for c in search_countries(list_countries(store, lang), q) if members is None or c.iso3 in members
    ]
    if q.strip() and len(found) == 1:
        return RedirectResponse(f"/landen/{found[0].iso3}", status_code=303)  # type: ignore[return-value]
    context = {
        "countries": COUNTRY_TABLE.apply(found, order),
        "q": q,
        "region": region,
        "regions": strategy.regions,
        "selected": selected,
        "named": strategy.named_in_region(selected.id) if selected else frozenset(),
        "table": table_view(COUNTRY_TABLE, order, "/landen", request.query_params),
    }
    return render_page(request, "countries.html", context)


def search_countries(countries: list[Country], query: str) -> list[Country]:
    """Countries whose name contains ``query`` (case and accents ignored) or whose ISO3 code it is."""
    wanted = fold(query)
    if not wanted:
        return countries
    exact = [c for c in countries if c.iso3.casefold() == wanted or fold(c.name) == wanted]
    return exact or [c for c in countries if contains(query, c.name)]


def _deaths_chart(history: list[ConflictYear], country: Country, t: Gettext, lang: Language) -> Markup:
    """Battle deaths per year as two lines: where the fighting happened (where people died, first)
    and by conflict (the dyadic series the forecasts use), so the page says which is which."""
    return charts.line_chart(
        [
            charts.Series(
                t("Battle deaths where the fighting happened"),
                [(row.year, row.brd_located_best) for row in history if row.year >= LOCATED_FROM],
            ),
            charts.Series(t("Battle deaths by conflict"), [(row.year, row.brd_best) for row in history]),
        ],
        t("Battle-related deaths per year (best estimate), %(country)s") % {"country": country.name},
        t("Two lines; the table below lists the same values."),
        y_axis=charts.Axis(t("Battle deaths (number of people)"), numbers.formatter(lang, 0), integer=True),
        x_axis=_year_axis(t, lang),
        floor_zero=True,
    )


@router.get("/landen/{iso3}", response_class=HTMLResponse)
@cached
def country_page(
    request: Request, store: Store, forecasts: Forecasts, lang: Language, iso3: str
) -> HTMLResponse:
    """The country profile: history, forecast with uncertainty, explanation, drivers, goals."""
    country = get_country(store, iso3, lang, listed_at=PAGE_COUNTRY_LIST)
    t: Gettext = request.app.state.web.catalogs[lang].gettext
    history = conflict_history(store, country.gwcode)
    sources = {s.table_name: s for s in list_sources(store)}
    context: dict[str, Any] = {
        "country": country,
        "history": history,
        "deaths_chart": _deaths_chart(history, country, t, lang),
        "history_sources": [sources[n] for n in HISTORY_TABLES if n in sources],
        "goals": goals_for_iso3(current_strategy(), country.iso3),
        "drivers": _driver_sections(store, country, t, lang),
        "other_territory_years": _other_territory_years(store, country),
        "family_names": family_labels(lang),
        "strategy_drivers": frozenset(d.id for d in current_strategy().drivers),  # linked to their §2.2 text
    }
    last_year = history[-1].year if history else None
    context.update(_forecast_context(forecasts, store, country, lang, t, last_year))
    context.update(displacement_section(store, forecasts, country, t, lang))  # forced displacement (issue 17)
    context.update(demspaces_section(store, forecasts, country, lang))  # DemSpaces v14 beside GBVS (issue 11)
    context.update(history_section(store, forecasts, country))  # forecast against what happened (issue 12)
    context["compare_with"] = [
        c for c in list_countries(store, lang) if c.iso3 != country.iso3
    ]  # /vergelijken
    return render_page(request, "country.html", context)


@router.get("/landen/{iso3}/brief.pdf", response_class=Response)
def country_brief_page(request: Request, lang: Language, iso3: str) -> Response:
    """Landenbrief: the country on one A4 page as a PDF for the morning briefing (as `gbvs brief`)."""
    return brief_response(request, iso3, lang)


def _forecast_context(
    forecasts: Forecasts, store: StoreGateway, country: Country, lang: str, t: Gettext, last_year: int | None
) -> dict[str, Any]:
    try:
        items = country_forecasts(forecasts, store, lang, iso3=country.iso3)
    except NoForecastRunError as exc:
        return {"forecasts": [], "forecast_missing": exc}
    if not items:
        text, commands = left_out(forecasts, country, lang, t, last_year)
        return {"forecasts": [], "left_out": text, "left_out_commands": commands}
    binary = [f for f in items if f.p is not None]
    incidence = sorted((f for f in binary if f.target == "incidence"), key=lambda f: f.horizon)
    chart = charts.interval_chart(
        [_interval(f) for f in incidence],
        t("Forecast probability of armed conflict, %(country)s") % {"country": country.name},
        t("Dots: probability per forecast year; the forecast table lists the same values."),
        y_axis=charts.Axis(
            t("Probability of armed conflict (%)"), numbers.percent_formatter(lang), range=(0, 1)
        ),
        x_axis=_year_axis(t, lang),
    )
    first = incidence[0] if incidence else (binary[0] if binary else None)
    explanation = _explanation_chart(first, t, lang) if first else None
    deaths = sorted(
        (f for f in items if f.target == "battle_deaths" and f.quantiles), key=lambda f: f.horizon
    )
    deaths_chart = _deaths_forecast_chart(deaths, country, t, lang) if deaths else None
    return {
        "forecasts": items,
        "forecast_chart": chart,
        "deaths_forecast_chart": deaths_chart,
        "explained": first,
        "explanation_chart": explanation,
        "chart_run": (incidence[0] if incidence else items[0]).run,
        "target_runs": target_runs(items),
    }


def _year_axis(t: Gettext, lang: str) -> charts.Axis:
    return charts.Axis(t("Year"), lambda value: f"{value:.0f}", integer=True)


def _deaths_forecast_chart(items: list[CountryForecast], country: Country, t: Gettext, lang: str) -> Markup:
    intervals = []
    for item in items:
        q = item.quantiles or {}
        median = q.get("q50", 0.0)
        intervals.append(
            charts.Interval(item.forecast_period, median, q.get("q05", median), q.get("q95", median))
        )
    return charts.interval_chart(
        intervals,
        t("Forecast battle deaths, %(country)s: median with 5–95%% range") % {"country": country.name},
        t(
            "Dots: median forecast per year; whiskers: the range the model gives 90% probability. "
            "The axis is logarithmic, so a median of zero and a range in the thousands are both visible."
        ),
        y_axis=charts.Axis(
            t("Battle deaths (number of people, logarithmic axis)"), numbers.formatter(lang, 0), log=True
        ),
        x_axis=_year_axis(t, lang),
    )


def _interval(item: CountryForecast) -> charts.Interval:
    """A probability with its whiskers: the range over the run's seeds, else the model's 5-95% range."""
    p = item.p or 0.0
    if item.p_low is not None and item.p_high is not None:
        return charts.Interval(item.forecast_period, p, item.p_low, item.p_high)
    quantiles = item.quantiles or {}
    return charts.Interval(item.forecast_period, p, quantiles.get("q05", p), quantiles.get("q95", p))


def _explanation_chart(item: CountryForecast, t: Gettext, lang: str) -> Markup:
    ranked = sorted(item.families.items(), key=lambda kv: -abs(kv[1]))
    return charts.contribution_chart(
        [(family_label(name, lang), value) for name, value in ranked],
        t("What drives the forecast: contribution of each driver family (log-odds)"),
        t("Bars to the right raise the risk, to the left lower it; the table lists the values."),
        value_format=lambda value: numbers.signed(value, lang, 2),
        axis_title=t("Log-odds contribution (0 = model average)"),
    )


def _driver_sections(store: StoreGateway, country: Country, t: Gettext, lang: str) -> list[dict[str, Any]]:
    indicators = [i for i in available_indicators(store) if i.driver != "conflict_history"]
    series = indicator_series(store, country.gwcode, tuple(i.column for i in indicators))
    sections: dict[str, dict[str, Any]] = {}
    for indicator in indicators:
        values = [
            (int(row["year"]), _number(row.get(indicator.column)))
            for row in series
            if row["year"] >= DRIVERS_FROM
        ]
        points = [(x, y) for x, y in values if y is not None]
        if not points:
            continue
        section = sections.setdefault(indicator.driver, {"driver": indicator.driver, "items": []})
        provenance = (origin_sources(store, indicator.source_table), indicator_provenance(store, indicator))
        section["items"].append(_indicator_item(indicator, points, provenance, lang, t))
    for section in sections.values():
        section["table"] = _year_table(section["items"])
    return list(sections.values())


def _other_territory_years(store: StoreGateway, country: Country) -> str | None:
    """The years ("1990–2011") in which the state held another territory than today's country and so has
    no Gapminder figures (:func:`gbvs.countries.todays_borders`), or None: the driver tables would
    otherwise start later without a word (Sudan's from 2012, Serbia's without 2006-2008)."""
    columns = tuple(i.column for i in available_indicators(store) if i.source_table == "gapminder")
    cuts = [cut for cut in borders_differ(material_only=True) if cut.gwcode == country.gwcode]
    if not columns or not cuts:
        return None
    empty = [
        int(row["year"])
        for row in indicator_series(store, country.gwcode, columns)
        if row["year"] >= DRIVERS_FROM
        and any(cut.first <= row["year"] <= cut.last for cut in cuts)
        and all(_number(row.get(column)) is None for column in columns)
    ]
    return ", ".join(_span(first, last) for first, last in _runs(empty)) or None


def _runs(years: list[int]) -> list[tuple[int, int]]:
    """Consecutive years as (first, last) runs: [1990, 1991, 1995] -> [(1990, 1991), (1995, 1995)]."""
    runs: list[tuple[int, int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _year_table(items: list[dict[str, Any]]) -> list[tuple[int, list[float | None]]]:
    """Rows (year, one value per indicator), newest first, for the family's data table."""
    by_year: dict[int, list[float | None]] = {}
    for index, item in enumerate(items):
        for year, value in item["points"]:
            by_year.setdefault(year, [None] * len(items))[index] = value
    return sorted(by_year.items(), reverse=True)


def _indicator_item(
    indicator: Indicator,
    points: list[tuple[int, float]],
    provenance: tuple[list[Source], ColumnProvenance],
    lang: str,
    t: Gettext,
) -> dict[str, Any]:
    label = getattr(indicator.label, lang)
    unit = unit_name(indicator.unit, lang)
    chart = charts.line_chart(
        [charts.Series(label, points)],
        label,
        f"{label}. {t('Unit')}: {unit}.",  # not "(0/1 (no/yes))"
        y_axis=charts.Axis(unit, numbers.formatter(lang)),
        x_axis=_year_axis(t, lang),
    )
    sources, column = provenance
    return {
        "indicator": indicator,
        "points": points,
        "chart": chart,
        "sources": sources,
        "derived_by": column.derived_by,
    }


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if number != number else number
