"""The REST API ``/api/v1``: one module per resource, each with its own router."""

from __future__ import annotations

from fastapi import APIRouter

from gbvs.web.api import countries, forecasts, index, indicators, ranking, sources, strategy

ROUTERS: tuple[APIRouter, ...] = (
    strategy.router,
    countries.router,
    forecasts.router,
    indicators.router,
    sources.router,
    index.router,  # analyst (issue 12): the index document at /api/v1
    ranking.router,  # analyst (issue 12): the watchlist page's ranking
)
