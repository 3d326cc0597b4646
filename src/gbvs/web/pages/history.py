"""The country page's forecast history: what each run forecast for the country, and what happened.

No route of its own: :func:`country_section` adds the section to ``/landen/{iso3}``; the API resource
is ``/api/v1/countries/{iso3}/forecast-history`` (both read :func:`gbvs.web.queries.history.country_history`).
"""

from __future__ import annotations

from typing import Any

from gbvs.errors import NoForecastRunError
from gbvs.web.api.countries import provenance_text
from gbvs.web.deps import Forecasts
from gbvs.web.queries.countries import Country
from gbvs.web.queries.history import OUTCOME_TABLES, PAGE_TARGETS, country_history
from gbvs.web.queries.sources import list_sources
from gbvs.web.store import StoreGateway


def country_section(store: StoreGateway, forecasts: Forecasts, country: Country) -> dict[str, Any]:
    """The live and backtest forecasts of the conflict targets with their outcomes and scores."""
    try:
        found = country_history(forecasts, store, country, provenance_text(store, OUTCOME_TABLES))
    except NoForecastRunError:
        return {"forecast_history": None}
    sources = {s.table_name: s for s in list_sources(store)}
    scores = [s for s in found.scores if s.target in PAGE_TARGETS]
    groups = [
        {
            "score": score,
            "forecasts": [
                f
                for f in found.forecasts
                if (f.source, f.target, f.horizon) == (score.source, score.target, score.horizon)
            ],
        }
        for score in scores
    ]
    return {
        "forecast_history": {
            "history": found,
            "groups": groups,
            "sources": [sources[n] for n in OUTCOME_TABLES if n in sources],
        }
    }
