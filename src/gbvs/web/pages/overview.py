"""Overzicht / Overview: today's watchlist, the risk map, data vintage and model version, alerts."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from gbvs.errors import NoForecastRunError
from gbvs.numbers import percent
from gbvs.security import Permission
from gbvs.store.tables import TableName
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.queries.forecasts import (
    LEVEL_NAMES,
    WatchlistRow,
    WatchlistView,
    watchlist_view,
)
from gbvs.web.queries.maps import country_paths
from gbvs.web.queries.sources import list_sources
from gbvs.web.render import render_page
from gbvs.web.store import StoreGateway
from gbvs.web.worldmap import Shade, render_map

router = page_router(Permission.forecast_read)
TOP = 10
LEVEL_ORDER = ("very_high", "high", "elevated", "moderate", "low")


@router.get("/", response_class=HTMLResponse)
@cached
def overview_page(request: Request, store: Store, forecasts: Forecasts, lang: Language) -> HTMLResponse:
    """The overview page; without a forecast run it still shows the data and says how to make one."""
    sources = list_sources(store)
    try:
        view: WatchlistView | None = watchlist_view(
            forecasts, store, lang, request.app.state.web.catalogs[lang]
        )
        missing: NoForecastRunError | None = None
    except NoForecastRunError as exc:
        view, missing = None, exc
    t = request.app.state.web.catalogs[lang].gettext
    context = {
        "view": view,
        "missing": missing,
        "sources": sources,
        "level_names": LEVEL_NAMES,
        "level_order": LEVEL_ORDER,
        "top": view.rows[:TOP] if view else [],
        "changes": _biggest_changes(view),
        "alerts": [row for row in view.rows if row.alerts] if view else [],
        "risk_map": _risk_map(store, view, t, lang) if view else None,
        "conflict_sources": [
            s for s in sources if s.table_name in (TableName.ucdp_acd, TableName.panel_country_year)
        ],
    }
    return render_page(request, "overview.html", context)


def _biggest_changes(view: WatchlistView | None) -> list[WatchlistRow]:
    if view is None:
        return []
    changed = [row for row in view.rows if row.change is not None and row.change != 0]
    return sorted(changed, key=lambda row: -abs(row.change or 0))[:TOP]


def _risk_map(store: StoreGateway, view: WatchlistView, t: Callable[[str], str], lang: str) -> Markup:
    shades = {
        row.iso3: Shade(f"risk-{row.level}", f"{percent(row.p, lang)} ({t(LEVEL_NAMES[row.level])})")
        for row in view.rows
    }
    return render_map(
        country_paths(store, lang),
        shades,
        t("Map: forecast probability of armed conflict by country"),
        t(
            "Countries coloured by risk level; the watchlist table lists every country "
            "with its level in words."
        ),
        t("no forecast"),
    )
