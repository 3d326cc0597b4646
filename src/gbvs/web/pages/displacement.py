"""Ontheemding / Displacement (issue 17): the goal-13 ranking page and the country page's section."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse

from gbvs import numbers
from gbvs.countries import in_sentence
from gbvs.errors import NoForecastRunError
from gbvs.forecasting.displacement.views import LEFT_OUT
from gbvs.panels.displacement import NETHERLANDS
from gbvs.security import Permission
from gbvs.store.tables import TableName
from gbvs.textmatch import contains
from gbvs.web import charts
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.queries.countries import Country
from gbvs.web.queries.displacement import (
    BASELINE_NAMES,
    CAVEAT,
    DISPLACEMENT_TARGET_NAMES,
    baseline_forecasts,
    baselines_missing,
    country_backtest,
    displacement_forecasts,
    displacement_history,
    has_displacement,
    latest_displacement_run,
    published_choices,
    published_validation,
    ranking_view,
)
from gbvs.web.queries.sources import list_sources
from gbvs.web.render import render_page
from gbvs.web.store import StoreGateway
from gbvs.web.tables import Column, Sort, Table, table_view

router = page_router(Permission.forecast_read)
Gettext = Callable[[str], str]
PATH = "/ontheemding"
UNHCR_TABLES = (
    TableName.unhcr_population,
    TableName.unhcr_flows,
    TableName.unhcr_idmc,
    TableName.unhcr_asylum_applications,
)
"""The UNHCR tables behind the displacement figures shown (IDMC's IDPs included)."""
SHOWN = 50  # rows on the page; the CSV export has every origin
RANKING_TABLE = Table(
    Column("rank", lambda r: r.rank),
    Column("name", lambda r: r.name),
    Column("median", lambda r: r.q50, descending_first=True),
    Column("width", lambda r: r.width90, descending_first=True),
    Column("last", lambda r: r.last_value, descending_first=True),
    Column("change", lambda r: r.change, descending_first=True),
    Column("displacement", lambda r: r.new_displacement_q50, descending_first=True),
    Column("risk", lambda r: r.p_conflict, descending_first=True),
    default=Sort("rank"),
)


def _sources(store: StoreGateway) -> list[Any]:
    found = {s.table_name: s for s in list_sources(store)}
    return [found[n] for n in UNHCR_TABLES if n in found]


@router.get(PATH, response_class=HTMLResponse)
@cached
def displacement_page(
    request: Request,
    store: Store,
    forecasts: Forecasts,
    lang: Language,
    horizon: int = Query(default=1, ge=1, le=2, description="Years ahead: 1 or 2"),
    q: str = Query(default="", max_length=100),
    sort: str = Query(default="", max_length=40),
) -> HTMLResponse:
    """Goal 13: origins ranked by forecast asylum applications in the Netherlands.

    ``q`` keeps the origins whose name or ISO3 contains it; ``sort`` orders by ``rank``, ``name``,
    ``median``, ``width`` (of the 90% interval), ``last``, ``change``, ``displacement`` or ``risk``
    (``-`` in front: descending); the first 50 rows of that order are shown.
    """
    order = RANKING_TABLE.parse(sort)
    context: dict[str, Any] = {
        "horizon": horizon,
        "caveat": CAVEAT,
        "left_out": LEFT_OUT,
        "sources": _sources(store),
        "target_names": DISPLACEMENT_TARGET_NAMES,
        "baseline_names": BASELINE_NAMES,
        "q": q,
        "shown": SHOWN,
        "table": table_view(RANKING_TABLE, order, PATH, request.query_params),
    }
    try:
        view = ranking_view(forecasts, store, lang, horizon, request.app.state.web.catalogs[lang].gettext)
    except NoForecastRunError as exc:
        context["missing"] = exc
    else:
        kept = [row for row in view.rows if contains(q, row.name, row.iso3)]
        context["view"] = view
        context["rows"] = RANKING_TABLE.apply(kept, order)
    return render_page(request, "displacement.html", context)


def go_by_section(forecasts: Forecasts, country: Country, backtest: Any, t: Gettext) -> dict[str, Any]:
    """The baselines' forecasts to go by beside the country's (where the backtest found one better), or,
    where it did but the run keeps none, the sentence saying so."""
    shown = [b for b in baseline_forecasts(forecasts, country.gwcode, backtest) if b.go_by]
    wanted = backtest is not None and any(target.better_baseline for target in backtest.targets)
    return {"baselines": shown, "baselines_missing": baselines_missing(forecasts, t) if wanted else None}


def country_section(
    store: StoreGateway, forecasts: Forecasts, country: Country, t: Gettext, lang: str
) -> dict[str, Any]:
    """The country page's displacement section: history, forecasts with intervals, share reaching NL."""
    if not has_displacement(store):
        return {"displacement": None}
    history = displacement_history(store, country.gwcode)
    section: dict[str, Any] = {
        "history": history,
        "sources": _sources(store),
        "caveat": CAVEAT,
        "target_names": DISPLACEMENT_TARGET_NAMES,
        "baseline_names": BASELINE_NAMES,
        "home": country.iso3 == NETHERLANDS,  # no share of its own displaced "in the Netherlands"
        "chart": charts.line_chart(
            [
                charts.Series(t("Displaced abroad"), [(r.year, r.displaced_abroad) for r in history]),
                charts.Series(
                    t("New displacement across borders"), [(r.year, r.new_outflows) for r in history]
                ),
                charts.Series(t("Internally displaced"), [(r.year, r.idps) for r in history]),
            ],
            t("Forced displacement from %(country)s per year") % {"country": in_sentence(country.iso3, lang)},
            t("Line chart; the table below lists the same values."),
            y_axis=charts.Axis(t("People"), numbers.formatter(lang, 0)),
            x_axis=charts.Axis(t("Year"), lambda value: f"{value:.0f}", integer=True),
        ),
    }
    try:
        items = displacement_forecasts(forecasts, country.gwcode)
    except NoForecastRunError as exc:
        return {"displacement": {**section, "forecasts": [], "missing": exc}}
    section["forecasts"] = items
    section["run"] = items[0].run if items else latest_displacement_run(forecasts)
    section["backtest"] = country_backtest(forecasts, items, t, lang)
    section["selection"] = published_choices(forecasts, None, t, lang)
    section["validation"] = published_validation(forecasts, t, lang)
    section.update(go_by_section(forecasts, country, section["backtest"], t))
    asylum = sorted((f for f in items if f.target == "asylum_nl"), key=lambda f: f.horizon)
    if asylum:
        section["forecast_chart"] = charts.interval_chart(
            [charts.Interval(f.forecast_period, f.q50, f.q05, f.q95) for f in asylum],
            t("Forecast asylum applications in the Netherlands from %(country)s: median with 5–95%% range")
            % {"country": country.name},
            t("Dots: median forecast per year; whiskers: the range the model gives 90% probability."),
            y_axis=charts.Axis(
                t("Asylum applications"),
                numbers.formatter(lang, 0),
                range=(0.0, max(max(f.q95 for f in asylum), 1.0)),
            ),
            x_axis=charts.Axis(t("Year"), lambda value: f"{value:.0f}", integer=True),
        )
    return {"displacement": section}
