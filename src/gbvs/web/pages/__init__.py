"""Server-rendered pages: one module per page type, each with its own router."""

from __future__ import annotations

from fastapi import APIRouter

from gbvs.web.pages import (
    accessibility,
    countries,
    drivers,
    login,
    overview,
    performance,
    sources,
    strategy,
    watchlist,
)

ROUTERS: tuple[APIRouter, ...] = (
    overview.router,
    strategy.router,
    countries.router,
    drivers.router,
    performance.router,
    sources.router,
    accessibility.router,
    login.router,
    watchlist.router,  # analyst (issue 12)
)
