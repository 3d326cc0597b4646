"""Vergelijken / Compare: two to four countries side by side (forecasts, driver indicators, history).

``/vergelijken?landen=SYR,IRQ,MLI``: the countries come as ISO3 codes (any case) or Gleditsch-Ward codes,
comma-separated or as the form's repeated ``landen`` fields, so the page works without JavaScript.
A wrong choice (unknown code, one or five countries, a country twice) is a form error naming the value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from gbvs import numbers
from gbvs.security import Permission
from gbvs.web import charts
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.queries.comparison import (
    MAX_COUNTRIES,
    ComparisonChoiceError,
    CountryComparison,
    DriverRow,
    compare,
    parse_countries,
)
from gbvs.web.queries.countries import ConflictYear, Country, list_countries
from gbvs.web.render import render_page

router = page_router(Permission.forecast_read)
PATH = "/vergelijken"
DEATHS_FROM = 1989  # UCDP battle deaths start in 1989 (the panel has no value before)
Gettext = Callable[[str], str]


@router.get(PATH, response_class=HTMLResponse)
@cached
def comparison_page(
    request: Request,
    store: Store,
    forecasts: Forecasts,
    lang: Language,
    landen: list[str] = Query(default=[]),
) -> HTMLResponse:
    """The form to pick two to four countries and, once picked, their comparison."""
    t: Gettext = request.app.state.web.catalogs[lang].gettext
    everyone = list_countries(store, lang)
    codes = [part.strip() for value in landen for part in value.split(",") if part.strip()]
    context: dict[str, Any] = {"countries": everyone, "picked": _slots(codes, everyone), "error": None}
    if not codes:
        return render_page(request, "compare.html", {**context, "comparison": None})
    try:
        chosen = parse_countries(landen, store, lang)
    except ComparisonChoiceError as problem:
        context.update(comparison=None, error=problem.in_language(t))
        return render_page(request, "compare.html", context, status_code=400)
    comparison = compare(store, forecasts, lang, chosen, t)
    context.update(
        comparison=comparison,
        picked=_slots([c.iso3 for c in chosen], everyone),
        driver_sections=_sections(comparison.drivers),
        deaths_chart=_deaths_chart(comparison, t, lang),
        forecast_chart=_forecast_chart(comparison, t, lang),
        export_query=urlencode({"countries": ",".join(c.iso3 for c in chosen)}),
    )
    return render_page(request, "compare.html", context)


def _slots(codes: list[str], everyone: list[Country]) -> list[str]:
    """The ISO3 code preselected in each of the form's select boxes ('' for an empty box)."""
    by_code = {c.iso3: c.iso3 for c in everyone} | {str(c.gwcode): c.iso3 for c in everyone}
    picked = [by_code.get(code.upper(), "") for code in codes[:MAX_COUNTRIES]]
    return picked + [""] * (MAX_COUNTRIES - len(picked))


def _sections(rows: list[DriverRow]) -> list[tuple[str, list[DriverRow]]]:
    """The driver rows grouped by driver, in the order of the driver mapping."""
    sections: dict[str, list[DriverRow]] = {}
    for row in rows:
        sections.setdefault(row.driver_name, []).append(row)
    return list(sections.items())


def _year_axis(t: Gettext) -> charts.Axis:
    return charts.Axis(t("Year"), lambda value: f"{value:.0f}", integer=True)


def _deaths_chart(comparison: CountryComparison, t: Gettext, lang: str) -> Markup:
    """Battle deaths per year, one line per country, on a log axis (as on the country page)."""
    recent = [row for row in comparison.history if row.year >= DEATHS_FROM]
    series = [
        charts.Series(country.name, [(row.year, _deaths(row.values[index])) for row in recent])
        for index, country in enumerate(comparison.countries)
    ]
    names = ", ".join(c.name for c in comparison.countries)
    return charts.line_chart(
        series,
        t("Battle-related deaths per year (best estimate): %(countries)s") % {"countries": names},
        t("One line per country; the table of conflict history lists the same values."),
        y_axis=charts.Axis(
            t("Battle deaths (number of people, logarithmic axis)"), numbers.formatter(lang, 0), log=True
        ),
        x_axis=_year_axis(t),
        legend=True,
    )


def _deaths(cell: ConflictYear | None) -> float | None:
    return cell.brd_best if cell is not None else None


def _forecast_chart(comparison: CountryComparison, t: Gettext, lang: str) -> Markup | None:
    """The probability of armed conflict per forecast year, one line per country (two or more years)."""
    rows = [row for row in comparison.forecasts if row.target == "incidence"]
    if len(rows) < 2:
        return None
    series = [
        charts.Series(
            country.name,
            [(row.forecast_period, cell.p if (cell := row.values[index]) else None) for row in rows],
        )
        for index, country in enumerate(comparison.countries)
    ]
    return charts.line_chart(
        series,
        t("Forecast probability of armed conflict per year"),
        t("One line per country; the forecast table lists the same values."),
        y_axis=charts.Axis(
            t("Probability of armed conflict (%)"), numbers.percent_formatter(lang), range=(0, 1)
        ),
        x_axis=_year_axis(t),
        legend=True,
    )
