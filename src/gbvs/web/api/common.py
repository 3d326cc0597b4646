"""API conventions shared by every resource: paging, CSV/GeoJSON output, problem responses."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from gbvs.security import Permission
from gbvs.web.auth import require
from gbvs.web.middleware import API_PREFIX

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


class Problem(BaseModel):
    """An error (RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid parameters", "content": PROBLEM_CONTENT},
    404: {"description": "Not found", "content": PROBLEM_CONTENT},
    503: {"description": "No data yet: run `gbvs ingest`", "content": PROBLEM_CONTENT},
}


class ListFormat(StrEnum):
    """Output format of a collection."""

    json = "json"
    csv = "csv"


class PageLinks(BaseModel):
    """Navigation links of a page of results."""

    self: str
    first: str
    last: str
    prev: str | None = None
    next: str | None = None


class Page(BaseModel, Generic[T]):
    """One page of a collection."""

    data: list[T]
    page: int
    page_size: int
    total: int
    links: PageLinks = Field(serialization_alias="_links")


PageNumber = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")]


def api_router(permission: Permission, tag: str) -> APIRouter:
    """A router for one resource: every route goes through :func:`gbvs.web.auth.require`."""
    return APIRouter(
        prefix=API_PREFIX,
        tags=[tag],
        dependencies=[Depends(require(permission))],
        responses=ERROR_RESPONSES,
        redirect_slashes=False,
    )


def paginate(request: Request, response: Response, items: Sequence[T], page: int, page_size: int) -> Page[T]:
    """Slice ``items`` and add ``_links`` plus a ``Link`` header."""
    last = max(1, -(-len(items) // page_size))
    links = PageLinks(
        self=_page_url(request, page, page_size),
        first=_page_url(request, 1, page_size),
        last=_page_url(request, last, page_size),
        prev=_page_url(request, page - 1, page_size) if 1 < page <= last + 1 else None,
        next=_page_url(request, page + 1, page_size) if page < last else None,
    )
    response.headers["Link"] = ", ".join(
        f'<{url}>; rel="{rel}"' for rel, url in links.model_dump().items() if url and rel != "self"
    )
    start = (page - 1) * page_size
    return Page[T](
        data=list(items[start : start + page_size]),
        page=page,
        page_size=page_size,
        total=len(items),
        links=links,
    )


def _page_url(request: Request, page: int, page_size: int) -> str:
    params = {**request.query_params, "page": str(page), "page_size": str(page_size)}
    return f"{request.url.path}?{urlencode(params)}"


def csv_response(rows: Iterable[dict[str, Any]], columns: Sequence[str], filename: str) -> Response:
    """Rows as a UTF-8 CSV download (with BOM-free header line)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def csv_responses(description: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entry documenting the CSV alternative of a resource."""
    return {200: {"description": description, "content": {"text/csv": {"schema": {"type": "string"}}}}}
