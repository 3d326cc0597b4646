"""DemSpaces v14 beside GBVS (issue 11 point 5): the country page's section and the overview of every
country, largest difference first.

:func:`country_section` adds the section to ``/landen/{iso3}`` (API: ``/api/v1/countries/{iso3}/demspaces``);
``/democratische-ruimte`` lists where the two models disagree (API: ``/api/v1/demspaces-comparisons``).
Filters are query parameters handled on the server, so the page works without JavaScript.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse

from gbvs.security import Permission
from gbvs.web.api.countries import provenance_text
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.labels import SPACE_NAMES, TRAINED_ON_NAMES
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.queries.countries import Country
from gbvs.web.queries.demspaces import (
    CHANGES,
    DEMSPACES_TABLES,
    DIRECTION_NAMES,
    DISAGREE,
    SOURCE_LABEL,
    SPACES,
    check_choice,
    comparisons,
    has_demspaces,
    latest_pairs,
    past_forecasts,
    past_items,
    skill,
)
from gbvs.web.queries.sources import list_sources
from gbvs.web.queries.strategy import current_strategy, region_iso3
from gbvs.web.render import render_page
from gbvs.web.store import StoreGateway

router = page_router(Permission.forecast_read)
PATH = "/democratische-ruimte"
PAST_SHOWN = 10
"""Forecast years of DemSpaces' record shown on the page (all are in the API)."""


def country_section(store: StoreGateway, forecasts: Forecasts, country: Country, lang: str) -> dict[str, Any]:
    """DemSpaces' latest forecasts beside ours, their record with outcomes and both models' skill."""
    if not has_demspaces(store):
        return {"demspaces": None}
    past = past_forecasts(store, country)
    if past.empty:
        return {"demspaces": None}
    items = past_items(past)
    years = sorted({item.from_year for item in items}, reverse=True)[:PAST_SHOWN]
    sources = {s.table_name: s for s in list_sources(store)}
    return {
        "demspaces": {
            "latest": latest_pairs(past, forecasts, store, country, lang),
            "past": [item for item in items if item.from_year in years],
            "skill": skill(forecasts),
            "source_label": SOURCE_LABEL,
            "space_names": SPACE_NAMES,
            "direction_names": DIRECTION_NAMES,
            "trained_on_names": TRAINED_ON_NAMES,
            "disagree": DISAGREE,
            "sources": [sources[n] for n in DEMSPACES_TABLES if n in sources],
            "provenance": provenance_text(store, DEMSPACES_TABLES),
        }
    }


class Shown(StrEnum):
    """Which pairs the overview lists."""

    disagree = "disagree"  # at least DISAGREE apart (the default)
    all = "all"  # every pair, also those with one side missing


@router.get(PATH, response_class=HTMLResponse)
@cached
def overview_page(
    request: Request,
    store: Store,
    forecasts: Forecasts,
    lang: Language,
    direction: str = Query(default="", max_length=10),
    space: str = Query(default="", max_length=20),
    region: str = Query(default="", max_length=100),
    show: Shown = Shown.disagree,
) -> HTMLResponse:
    """Every country's latest DemSpaces forecasts beside ours, largest difference first."""
    check_choice(direction, CHANGES, "direction")
    check_choice(space, SPACES, "space")
    chosen = {"direction": direction, "space": space, "region": region, "show": show.value}
    context: dict[str, Any] = {
        "chosen": chosen,
        "spaces": SPACES,
        "changes": CHANGES,
        "regions": current_strategy().regions,
        "space_names": SPACE_NAMES,
        "direction_names": DIRECTION_NAMES,
        "trained_on_names": TRAINED_ON_NAMES,
        "disagree": DISAGREE,
    }
    if not has_demspaces(store):
        return render_page(request, "demspaces_overview.html", {**context, "rows": None})
    members = region_iso3(current_strategy(), region) if region else None
    least = DISAGREE if show is Shown.disagree else 0.0
    found = comparisons(
        store, forecasts, lang, direction=direction or None, space=space or None, members=members,
        min_difference=least,
    )  # fmt: skip
    sources = {s.table_name: s for s in list_sources(store)}
    api_query = {"direction": direction, "space": space, "region": region, "minDifference": least or ""}
    context |= {
        "rows": found.rows,
        "run": found.run,
        "skill": skill(forecasts),
        "sources": [sources[n] for n in DEMSPACES_TABLES if n in sources],
        "source_label": SOURCE_LABEL,
        "export_query": urlencode({k: v for k, v in api_query.items() if v not in ("", None)}),
    }
    return render_page(request, "demspaces_overview.html", context)
