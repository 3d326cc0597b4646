"""Server-rendered pages: one module per page type, each with its own router."""

from __future__ import annotations

from fastapi import APIRouter

from gbvs.web.pages import (
    accessibility,
    actions,
    assessments,
    comparison,
    countries,
    drivers,
    help,
    login,
    opinion,
    overview,
    performance,
    reports,
    sources,
    stiximport,
    strategy,
    watchlist,
)
from gbvs.web.pages import signals as signal_pages  # signals register (issue 10)

ROUTERS: tuple[APIRouter, ...] = (
    overview.router,
    strategy.router,
    countries.router,
    drivers.router,
    performance.router,
    sources.router,
    reports.router,  # progress report (issue #14)
    accessibility.router,
    help.router,  # help, glossary and whom to ask (a first-time user)
    login.router,
    stiximport.router,  # before the signals pages: /signalen/stix-bundel is no signal number
    signal_pages.router,  # signals register (issue 10)
    *assessments.ROUTERS,  # threat assessment (issue 13)
    *actions.ROUTERS,  # early action
    opinion.router,  # public opinion (issue 15)
    opinion.coding_router,
    opinion.codebook_router,
    watchlist.router,  # analyst (issue 12)
    comparison.router,  # analyst (issue 12): countries side by side
)
