"""Helpers shared by the page modules."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from gbvs.security import Permission
from gbvs.web.auth import principal_if_any, require


def page_router(permission: Permission) -> APIRouter:
    """A router for HTML pages: hidden from the OpenAPI document, guarded by :func:`require`."""
    return APIRouter(
        include_in_schema=False, dependencies=[Depends(require(permission))], redirect_slashes=False
    )


def public_page_router() -> APIRouter:
    """A router for an HTML page anyone may read, also before login in remote mode (the help page): it
    must show nothing from the stores or the database, only texts, links and the configured contact."""
    return APIRouter(
        include_in_schema=False, dependencies=[Depends(principal_if_any)], redirect_slashes=False
    )
