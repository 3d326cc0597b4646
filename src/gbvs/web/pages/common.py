"""Helpers shared by the page modules."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from gbvs.security import Permission
from gbvs.web.auth import require


def page_router(permission: Permission) -> APIRouter:
    """A router for HTML pages: hidden from the OpenAPI document, guarded by :func:`require`."""
    return APIRouter(
        include_in_schema=False, dependencies=[Depends(require(permission))], redirect_slashes=False
    )
