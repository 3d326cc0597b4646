"""Landen / Countries: the country list and the country profile."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from gbvs.security import Permission
from gbvs.web import charts
from gbvs.web.deps import Language, Store
from gbvs.web.pages.common import page_router
from gbvs.web.queries.countries import conflict_history, get_country, list_countries
from gbvs.web.queries.sources import list_sources
from gbvs.web.render import render_page

router = page_router(Permission.data_read)


@router.get("/landen", response_class=HTMLResponse)
def countries_page(request: Request, store: Store, lang: Language) -> HTMLResponse:
    """All countries, linked to their profiles."""
    return render_page(request, "countries.html", {"countries": list_countries(store, lang)})


@router.get("/landen/{iso3}", response_class=HTMLResponse)
def country_page(request: Request, store: Store, lang: Language, iso3: str) -> HTMLResponse:
    """The country profile."""
    country = get_country(store, iso3, lang)
    history = conflict_history(store, country.gwcode)
    t = request.app.state.web.catalogs[lang].gettext
    deaths_chart = charts.bar_chart(
        charts.Series(t("Battle deaths"), [(row.year, row.brd_best) for row in history]),
        t("Battle-related deaths per year (best estimate), %(country)s") % {"country": country.name},
        t("Bar chart; the table below lists the same values."),
    )
    ucdp = [s for s in list_sources(store) if s.table_name in ("ucdp_acd", "ucdp_brd")]
    context = {"country": country, "history": history, "deaths_chart": deaths_chart, "history_sources": ucdp}
    return render_page(request, "country.html", context)
