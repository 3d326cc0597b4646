"""Aandachtslijst / Watchlist: the risk ranking filtered by region, target and horizon, with an onset view.

Filters and sorting are query parameters handled on the server, so the page works without JavaScript
(a filter changes nothing until its button is pressed, WCAG 3.2.2).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse

from gbvs.errors import NoForecastRunError
from gbvs.security import Permission
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.queries.forecasts import country_forecasts
from gbvs.web.queries.ranking import RankingSort, RankingView, ranking, ranking_choices
from gbvs.web.queries.strategy import current_strategy, region_iso3
from gbvs.web.render import render_page

router = page_router(Permission.forecast_read)
PATH = "/aandachtslijst"
DEFAULT_TARGET = "incidence"
"""The target the page opens on, when the latest run holds it (else the first target it holds)."""


@router.get(PATH, response_class=HTMLResponse)
@cached
def watchlist_page(
    request: Request,
    store: Store,
    forecasts: Forecasts,
    lang: Language,
    target: str | None = Query(default=None, max_length=60),
    horizon: int | None = Query(default=None, ge=1, le=10),
    region: str | None = Query(default=None, max_length=100),
    view: RankingView = RankingView.all,
    q: str = Query(default="", max_length=100),
    sort: RankingSort = RankingSort.risk,
) -> HTMLResponse:
    """The ranking of the latest run for one target and horizon (by default armed conflict, or the
    first target the run holds, one year ahead or the nearest horizon it holds); ``view=onset``: the
    countries without armed conflict in the origin year."""
    try:
        everything = country_forecasts(forecasts, store, lang)
    except NoForecastRunError as exc:
        return render_page(request, "watchlist.html", {"rows": None, "missing": exc})
    choices = ranking_choices(everything)
    target = target or (DEFAULT_TARGET if DEFAULT_TARGET in choices else next(iter(choices), DEFAULT_TARGET))
    horizon = horizon or (choices[target][0] if target in choices else 1)
    members = region_iso3(current_strategy(), region) if region else None
    rows = ranking(forecasts, store, lang, target, horizon, members, view, q, sort)  # checks the choice
    chosen = {"target": target, "horizon": horizon, "region": region or "", "view": view.value, "q": q}
    context: dict[str, Any] = {
        "rows": rows,
        "targets": list(choices),
        "horizons": choices[target],
        "regions": current_strategy().regions,
        "chosen": chosen,
        "sort": sort.value,
        "sort_urls": {s.value: _url(PATH, {**chosen, "sort": s.value}) for s in RankingSort},
        "export_query": urlencode({k: v for k, v in {**chosen, "sort": sort.value}.items() if v}),
        "run": rows[0].forecast.run if rows else (everything[0].run if everything else None),
    }
    return render_page(request, "watchlist.html", context)


def _url(path: str, params: dict[str, Any]) -> str:
    return f"{path}?{urlencode({k: v for k, v in params.items() if v not in ('', None)})}"
