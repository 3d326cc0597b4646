"""``GET /api/v1``: the index document, linking every collection of the API (so a client can start here)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import BaseModel

from gbvs.security import Permission
from gbvs.web.api.common import api_router
from gbvs.web.middleware import API_PREFIX, API_VERSION

router = api_router(Permission.strategy_read, "index")


class ApiLink(BaseModel):
    """A link to one collection of the API."""

    href: str
    title: str


class ApiIndex(BaseModel):
    """The entry point of the API: its version, its description and a link to every collection."""

    name: str
    version: str
    openapi: str
    links: dict[str, ApiLink]


@router.get("", response_model=ApiIndex, summary="API index")
def read_index(request: Request) -> ApiIndex:
    """Links to every collection (a GET path without parameters) and to the OpenAPI document."""
    links = {}
    for path, operations in request.app.openapi().get("paths", {}).items():
        if _is_collection(path, operations):  # the document's paths are relative to its server, /api/v1
            name = path.removeprefix(API_PREFIX).strip("/")
            links[name] = ApiLink(href=f"{API_PREFIX}/{name}", title=operations["get"].get("summary") or name)
    return ApiIndex(
        name="GBVS API",
        version=API_VERSION,
        openapi=f"{API_PREFIX}/openapi.json",
        links=dict(sorted(links.items())),
    )


def _is_collection(path: str, operations: dict[str, Any]) -> bool:
    """A GET path a client can follow as it is: no path parameter and no required query parameter."""
    name = path.removeprefix(API_PREFIX).strip("/")
    if "get" not in operations or not name or "{" in name or name == "openapi.json":
        return False
    return not any(
        p.get("required") for p in operations["get"].get("parameters", []) if p.get("in") == "query"
    )
