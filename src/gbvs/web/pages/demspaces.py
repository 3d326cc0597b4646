"""The country page's DemSpaces section (issue 11 point 5): DemSpaces v14 beside GBVS.

No route of its own: :func:`country_section` adds the section to ``/landen/{iso3}``; the API
resource is ``/api/v1/countries/{iso3}/demspaces``.
"""

from __future__ import annotations

from typing import Any

from gbvs.web.api.countries import provenance_text
from gbvs.web.deps import Forecasts
from gbvs.web.labels import SPACE_NAMES, TRAINED_ON_NAMES
from gbvs.web.queries.countries import Country
from gbvs.web.queries.demspaces import (
    DEMSPACES_TABLES,
    DIRECTION_NAMES,
    SOURCE_LABEL,
    has_demspaces,
    latest_pairs,
    past_forecasts,
    past_items,
    skill,
)
from gbvs.web.queries.sources import list_sources
from gbvs.web.store import StoreGateway

DISAGREE = 0.2
"""Probabilities at least this far apart (20 percentage points) are marked as a disagreement."""
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
