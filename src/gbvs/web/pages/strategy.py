"""Strategie: the three pillars and 13 goals; one page per goal with its evidence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Path, Request
from fastapi.responses import HTMLResponse

from gbvs.drivers import Indicator
from gbvs.errors import NoForecastRunError
from gbvs.security import Permission
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.queries.countries import list_countries
from gbvs.web.queries.drivers import available_indicators
from gbvs.web.queries.evidence import latest_values
from gbvs.web.queries.forecasts import country_forecasts
from gbvs.web.queries.sources import origin_sources
from gbvs.web.queries.strategy import current_strategy, goal_view
from gbvs.web.render import render_page
from gbvs.web.store import StoreGateway

router = page_router(Permission.strategy_read)
EVIDENCE_SHOWN = 6
"""Driver indicators in a goal page's evidence table."""


@router.get("/strategie", response_class=HTMLResponse)
@cached
def strategy_page(request: Request) -> HTMLResponse:
    """Pillars with their goals, and the threats."""
    return render_page(request, "strategy.html", {"strategy": current_strategy()})


# analyst (issue 12, fix 14): the trends of chapter 2 and the vital interests
@router.get("/strategie/trends", response_class=HTMLResponse)
@cached
def trends_page(request: Request) -> HTMLResponse:
    """The four trends of chapter 2, each with its instability drivers and the goals addressing them."""
    strategy = current_strategy()
    rows = [
        {"trend": t, "drivers": strategy.drivers_for_trend(t.id), "goals": strategy.goals_for_trend(t.id)}
        for t in strategy.trends
    ]
    return render_page(request, "strategy_trends.html", {"strategy": strategy, "rows": rows})


@router.get("/strategie/drijvers", response_class=HTMLResponse)
@cached
def drivers_page(request: Request, store: Store) -> HTMLResponse:
    """The instability drivers in the strategy's own words (§2.2), each with the indicators GBVS
    measures it by and the goals addressing it: where a forecast's explanation links its drivers to."""
    strategy = current_strategy()
    held = available_indicators(store)
    rows = [
        {
            "driver": d,
            "indicators": [item for item in held if item.driver == d.id],
            "goals": strategy.goals_for_driver(d.id),
        }
        for d in strategy.drivers
    ]
    return render_page(request, "strategy_drivers.html", {"strategy": strategy, "rows": rows})


@router.get("/strategie/belangen", response_class=HTMLResponse)
@cached
def interests_page(request: Request) -> HTMLResponse:
    """The vital interests, the threats that affect each and the goals against those threats."""
    strategy = current_strategy()
    rows = [
        {
            "interest": v,
            "threats": strategy.threats_for_interest(v.id),
            "goals": strategy.goals_for_interest(v.id),
        }
        for v in strategy.vital_interests
    ]
    return render_page(request, "strategy_interests.html", {"strategy": strategy, "rows": rows})


@router.get("/strategie/doelen/{number}", response_class=HTMLResponse)
@cached
def goal_page(
    request: Request, store: Store, forecasts: Forecasts, lang: Language, number: int = Path(ge=1, le=1000)
) -> HTMLResponse:
    """One goal: threats, drivers, instruments, frameworks, focus countries and the evidence."""
    view = goal_view(current_strategy(), number)
    in_store = {c.iso3: c for c in list_countries(store, lang)}
    focus = [in_store[c.iso3] for c in view.countries if c.iso3 in in_store]
    indicators = _held_indicators(store, view.indicators)
    evidence = latest_values(store, tuple(c.gwcode for c in focus), tuple(i.column for i in indicators))
    context = {
        "view": view,
        "focus": focus,
        "evidence": evidence,
        "evidence_indicators": indicators,
        "evidence_sources": list(
            {s.table_name: s for i in indicators for s in origin_sources(store, i.source_table)}.values()
        ),
        **_focus_forecasts(forecasts, store, lang, {c.iso3 for c in focus}),
    }
    return render_page(request, "goal.html", context)


def _held_indicators(store: StoreGateway, indicators: Sequence[Indicator]) -> list[Indicator]:
    """The first :data:`EVIDENCE_SHOWN` of a goal's indicators that this store holds: each links to its
    map on the driver page, which answers 404 for an indicator the store lacks."""
    held = {item.column for item in available_indicators(store)}
    return [item for item in indicators if item.column in held][:EVIDENCE_SHOWN]


def _focus_forecasts(forecasts: Forecasts, store: StoreGateway, lang: str, iso3: set[str]) -> dict[str, Any]:
    """The conflict forecast one year after the last data year for each focus country, highest first."""
    try:
        items = country_forecasts(forecasts, store, lang, target="incidence")
    except NoForecastRunError as exc:
        return {"focus_forecasts": [], "forecast_missing": exc}
    chosen = [f for f in items if f.iso3 in iso3 and f.horizon == 1]
    return {"focus_forecasts": sorted(chosen, key=lambda f: -(f.p or 0.0))}
