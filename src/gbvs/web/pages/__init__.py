"""Server-rendered pages: one module per page type, each with its own router."""

from __future__ import annotations

from fastapi import APIRouter

from gbvs.web.pages import accessibility, countries, sources

ROUTERS: tuple[APIRouter, ...] = (sources.router, countries.router, accessibility.router)
