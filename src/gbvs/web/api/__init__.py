"""The REST API ``/api/v1``: one module per resource, each with its own router."""

from __future__ import annotations

from fastapi import APIRouter

from gbvs.web.api import (  # signals register: case judgements, STIX import
    actions,
    casejudgements,
    comparisons,
    countries,
    forecasts,
    history,
    index,
    indicators,
    opinion,
    ranking,
    reports,
    scenarios,
    sources,
    stiximport,
    strategy,
)
from gbvs.web.api import signals as signals_api  # signals register (issue 10)

ROUTERS: tuple[APIRouter, ...] = (
    strategy.router,
    countries.router,
    forecasts.router,
    indicators.router,
    sources.router,
    signals_api.router,  # signals register (issue 10)
    casejudgements.router,  # signals register: assessments and joint positions of cases
    stiximport.router,  # signals register: STIX 2.1 bundles imported
    scenarios.router,  # threat assessment (issue 13)
    actions.router,  # early action (issue 13)
    reports.router,  # progress report (issue #14)
    opinion.router,  # public opinion and consultations (issue 15)
    index.router,  # analyst (issue 12): the index document at /api/v1
    ranking.router,  # analyst (issue 12): the watchlist page's ranking
    history.router,  # analyst (issue 12): a country's forecast history
    comparisons.router,  # analyst (issue 12): countries side by side
)
