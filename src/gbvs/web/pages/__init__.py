"""Server-rendered pages: one module per page type, each with its own router."""

from __future__ import annotations

from fastapi import APIRouter

from gbvs.web.pages import accessibility, countries, drivers, sources, strategy

ROUTERS: tuple[APIRouter, ...] = (
    strategy.router,
    countries.router,
    drivers.router,
    sources.router,
    accessibility.router,
)
