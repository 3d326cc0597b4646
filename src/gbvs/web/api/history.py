"""``/api/v1/countries/{iso3}/forecast-history``: every forecast made for a country, and what happened.

Live forecast runs and the latest backtest's out-of-sample forecasts, each with its run's provenance
(model version, training cutoff, data vintage), the outcome where the store holds it, and the scores
(:func:`gbvs.web.queries.history.country_history`, the same query as the country page's section).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import Path, Request, Response

from gbvs.security import Permission
from gbvs.web.api.common import api_router, country_about, csv_response
from gbvs.web.api.countries import provenance_text
from gbvs.web.api.xlsx import XLSX_TYPE, xlsx_response
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.queries.countries import get_country
from gbvs.web.queries.history import (
    HISTORY_COLUMNS,
    OUTCOME_TABLES,
    CountryForecastHistory,
    country_history,
    history_rows,
)

router = api_router(Permission.forecast_read, "forecasts")
Iso3 = Path(pattern=r"^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3 code, e.g. SYR", examples=["SYR"])
EXPORTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON; CSV (format=csv) or Excel with the provenance on a second sheet (format=xlsx)",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


class HistoryFormat(StrEnum):
    """Output format of the forecast history."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@router.get(
    "/countries/{iso3}/forecast-history",
    response_model=CountryForecastHistory,
    summary="Past forecasts for a country and what happened",
    responses=EXPORTS,
)
@cached
def read_forecast_history(
    request: Request,
    forecasts: Forecasts,
    store: Store,
    lang: Language,
    iso3: str = Iso3,
    format: HistoryFormat = HistoryFormat.json,
) -> CountryForecastHistory | Response:
    """Every live forecast and the latest backtest's forecasts for the country, with outcomes and scores."""
    country = get_country(store, iso3, lang)
    history = country_history(forecasts, store, country, provenance_text(store, OUTCOME_TABLES))
    if format is HistoryFormat.json:
        return history
    rows = history_rows(history)
    name = f"{country.iso3}-forecast-history"
    provenance = [
        ("source", "GBVS forecast history"),
        country_about(country),
        ("outcomes", history.outcome_provenance),
        ("outcomes up to and including", history.outcomes_until),
    ]
    if format is HistoryFormat.xlsx:
        return xlsx_response(request, rows, HISTORY_COLUMNS, f"{name}.xlsx", provenance)
    stamp = {"outcome_provenance": history.outcome_provenance}
    columns = [*HISTORY_COLUMNS, "outcome_provenance"]
    return csv_response(request, ({**row, **stamp} for row in rows), columns, f"{name}.csv", provenance)
