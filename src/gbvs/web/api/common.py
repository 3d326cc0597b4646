"""API conventions shared by every resource: paging, CSV/GeoJSON output, problem responses, and the refusal
of a query parameter the route does not declare."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from gbvs.db.paging import MAX_PAGE, MAX_PAGE_SIZE
from gbvs.errors import InputError, Refusal, said
from gbvs.languages import Lang
from gbvs.numbers import without_noise
from gbvs.safetext import defuse_formula, defused_row
from gbvs.security import Permission
from gbvs.web.api.exportnotes import Reader, about_lines, reader_of
from gbvs.web.api.xlsx import XLSX_TYPE, xlsx_response
from gbvs.web.auth import require
from gbvs.web.downloads import download_headers
from gbvs.web.figurejson import FigureJSONResponse
from gbvs.web.i18n import LANGUAGE_PARAMETER
from gbvs.web.middleware import API_PREFIX
from gbvs.web.queries.countries import Country
from gbvs.web.validation import UNKNOWN_PARAMETER

T = TypeVar("T")
COMMENT_PREFIX = "#"
"""Starts the note lines of an empty CSV (the W3C tabular-data comment prefix; pandas: ``comment="#"``)."""
_SEPARATORS = re.compile(r"([,;\t])")
PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


class InvalidParam(BaseModel):
    """One request parameter that failed validation (the ADR's ``invalidParams`` member)."""

    name: str
    reason: str = Field(
        description=(
            "Why the value was refused, in the language of the answer when its words are in the catalogue "
            "(pydantic's validation reasons are), else in English."
        )
    )


class Problem(BaseModel):
    """An error (RFC 9457, with the ``invalidParams`` extension of the API Design Rules), in the language
    the request asks for: ``lang``, else the ``Accept-Language`` header (``nl`` or ``en``, with q-values),
    else English. ``Content-Language`` lists the languages of its texts, the asked one first."""

    type: str = "about:blank"
    title: str = Field(
        description="What kind of error, in the asked language; a 403's names its ground (see refusal)."
    )
    status: int
    detail: str = Field(
        description=(
            "What went wrong and what to do, in the asked language when the error has catalogue words; "
            "else in English (detailLanguage says which)."
        )
    )
    detailLanguage: Lang = Field(
        description="The language detail is in: the asked one, or en for an error worded only in English."
    )
    instance: str | None = None
    refusal: Refusal | None = Field(
        default=None,
        description=(
            "403 only: the ground of the refusal, for a program to branch on (role: the caller's role "
            "lacks the permission; organisation: the resource belongs to another organisation; panel: "
            "the caller's organisation is not on the threat scenario's panel; other: any other rule)."
        ),
    )
    invalidParams: list[InvalidParam] | None = None
    invalid_params: list[str] | None = Field(
        default=None,
        deprecated=True,
        description="Deprecated since API 1.1.0, removed in 1.2.0: use invalidParams.",
    )


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {
        "description": (
            "Invalid or unknown parameters (each listed in invalidParams; an unknown query parameter's "
            "reason names the parameters the operation accepts)"
        ),
        "content": PROBLEM_CONTENT,
    },
    401: {"description": "Authentication required (remote mode)", "content": PROBLEM_CONTENT},
    403: {
        "description": "Forbidden: refusal names the ground (role, organisation, panel, other)",
        "content": PROBLEM_CONTENT,
    },
    404: {"description": "Not found", "content": PROBLEM_CONTENT},
    500: {"description": "Unexpected error (the server log has the details)", "content": PROBLEM_CONTENT},
    503: {"description": "No data yet: run `gbvs ingest`", "content": PROBLEM_CONTENT},
}


class ListFormat(StrEnum):
    """Output format of a collection: JSON, CSV for programs or Excel for people (docs/exports.md)."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"


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
    pageSize: int
    page_size: int = Field(
        deprecated=True, description="Deprecated since API 1.1.0, removed in 1.2.0: use pageSize."
    )
    total: int
    links: PageLinks = Field(serialization_alias="_links")


@dataclass(frozen=True)
class PageRequest:
    """Which page of a collection the client asked for."""

    page: int
    size: int
    old_size_key: bool = False  # asked with the deprecated ``page_size``: answered with a Deprecation header


PAGE_SIZE_KEY = "pageSize"
OLD_PAGE_SIZE_KEY = "page_size"
# RFC 9745: a request with the old key is answered with the date it was deprecated (API 1.1.0,
# 2026-12-02, a structured-field date) and a link to the OpenAPI document, whose pageSize says what changed.
PAGE_SIZE_DEPRECATED_AT = "@1796169600"
PAGE_SIZE_DEPRECATION_LINK = f'<{API_PREFIX}/openapi.json>; rel="deprecation"; type="application/json"'


PageNumberQuery = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")]
PageSizeQuery = Annotated[
    int,
    Query(
        alias=PAGE_SIZE_KEY,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=(
            "Items per page. Its old name `page_size` is still accepted (deprecated since API 1.1.0, "
            "removed in 1.2.0; see the changelog)."
        ),
    ),
]
# Not in the OpenAPI document: the ADR linter refuses a query key that is not lowerCamelCase, even
# a deprecated one; pageSize's description and src/gbvs/web/CHANGELOG.md document it instead.
OldPageSizeQuery = Annotated[
    int | None, Query(alias=OLD_PAGE_SIZE_KEY, ge=1, le=MAX_PAGE_SIZE, include_in_schema=False)
]


def paging(default_size: int) -> Callable[..., Awaitable[PageRequest]]:
    """A dependency reading ``page`` and ``pageSize`` (and the deprecated ``page_size``).

    A coroutine although it awaits nothing: FastAPI would run a plain function in a worker thread.
    """

    async def page_request(
        request: Request,
        page: PageNumberQuery = 1,
        page_size: PageSizeQuery = default_size,
        old_page_size: OldPageSizeQuery = None,
    ) -> PageRequest:
        if old_page_size is None:
            return PageRequest(page, page_size)
        if PAGE_SIZE_KEY in request.query_params and page_size != old_page_size:
            raise InputError(
                said(
                    "pageSize=%(size)s and page_size=%(old)s disagree; send only pageSize "
                    "(page_size is its deprecated old name)",
                    size=page_size,
                    old=old_page_size,
                )
            )
        return PageRequest(page, old_page_size, old_size_key=True)

    return page_request


Paging = Annotated[PageRequest, Depends(paging(50))]
Paging100 = Annotated[PageRequest, Depends(paging(100))]
Paging200 = Annotated[PageRequest, Depends(paging(200))]


ALWAYS_ACCEPTED = (LANGUAGE_PARAMETER,)
"""Query parameters every request may carry besides its route's own: the interface language, which
:mod:`gbvs.web.middleware` reads for pages and API alike (:func:`gbvs.web.deps.refuse_unknown_language`
checks its value). :mod:`gbvs.web.api.document` declares it on every operation."""


def declared_query_parameters(dependant: Dependant) -> list[Any]:
    """The query parameters (FastAPI's fields) a route declares, its dependencies' (paging, filters) too."""
    found: list[Any] = list(dependant.query_params)
    for sub in dependant.dependencies:
        found += declared_query_parameters(sub)
    return found


async def refuse_unknown_parameters(request: Request) -> None:
    """A query parameter the route does not declare is a 400 naming it and the parameters the route
    accepts: ``?goal=5`` on a resource without that filter answered everything, as if filtered.

    One check for every route of :func:`api_router`, read from the route's own declaration, so a new
    filter is accepted where it is declared and nowhere else. Deprecated names the document leaves out
    (``page_size``) are accepted but not offered.
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = declared_query_parameters(route.dependant)
    known = {field.alias for field in declared}.union(ALWAYS_ACCEPTED)
    unknown = [key for key in dict.fromkeys(request.query_params) if key not in known]
    if not unknown:
        return
    offered = {field.alias for field in declared if field.field_info.include_in_schema}
    accepted = ", ".join(sorted(offered.union(ALWAYS_ACCEPTED), key=str.casefold))
    raise RequestValidationError(
        [
            {
                "type": UNKNOWN_PARAMETER,
                "loc": ("query", key),
                "msg": f"unknown query parameter {key!r}; {route.path} accepts: {accepted}",
                "ctx": {"name": repr(key), "path": route.path, "accepted": accepted},
                "input": request.query_params[key],
            }
            for key in unknown
        ]
    )


def api_router(permission: Permission, tag: str) -> APIRouter:
    """A router for one resource: every route goes through :func:`gbvs.web.auth.require`, then refuses
    the query parameters it does not declare (:func:`refuse_unknown_parameters`)."""
    return APIRouter(
        prefix=API_PREFIX,
        tags=[tag],
        dependencies=[Depends(require(permission)), Depends(refuse_unknown_parameters)],
        responses=ERROR_RESPONSES,
        redirect_slashes=False,
        default_response_class=FigureJSONResponse,
    )


def paginate(request: Request, response: Response, items: Sequence[T], paging: PageRequest) -> Page[T]:
    """Slice ``items`` and add ``_links`` plus a ``Link`` header."""
    start = (paging.page - 1) * paging.size
    return one_page(request, response, items[start : start + paging.size], paging, len(items))


def one_page(
    request: Request, response: Response, items: Sequence[T], paging: PageRequest, total: int
) -> Page[T]:
    """A page the database already cut (``items``) out of ``total``, with ``_links`` and a ``Link`` header."""
    page, size = paging.page, paging.size
    last = max(1, -(-total // size))
    links = PageLinks(
        self=_page_url(request, page, size),
        first=_page_url(request, 1, size),
        last=_page_url(request, last, size),
        prev=_page_url(request, page - 1, size) if 1 < page <= last + 1 else None,
        next=_page_url(request, page + 1, size) if page < last else None,
    )
    response.headers["Link"] = ", ".join(
        f'<{url}>; rel="{rel}"' for rel, url in links.model_dump().items() if url and rel != "self"
    )
    if paging.old_size_key:
        response.headers["Deprecation"] = PAGE_SIZE_DEPRECATED_AT
        response.headers.append("Link", PAGE_SIZE_DEPRECATION_LINK)
    return Page[T](data=list(items), page=page, pageSize=size, page_size=size, total=total, links=links)


def _page_url(request: Request, page: int, size: int) -> str:
    params = {key: value for key, value in request.query_params.items() if key != OLD_PAGE_SIZE_KEY}
    params.update({"page": str(page), PAGE_SIZE_KEY: str(size)})
    return f"{request.url.path}?{urlencode(params)}"


def csv_response(
    request: Request,
    rows: Iterable[dict[str, Any]],
    columns: Sequence[str],
    filename: str,
    provenance: Sequence[tuple[str, Any]] = (),
) -> Response:
    """Rows as a UTF-8 CSV download (:func:`csv_text`) for the reader of ``request``, named ``filename``
    and the Dutch day."""
    reader = reader_of(request)
    headers = download_headers(filename, day=reader.day)
    body = csv_text(rows, columns, reader, provenance)
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


def csv_text(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[str],
    reader: Reader,
    provenance: Sequence[tuple[str, Any]] = (),
) -> str:
    """Rows as CSV (RFC 4180, no BOM: docs/exports.md says why), text that would run as a formula
    defused, a float as its shortest figure without noise (0.96, not 0.9600000000000001). Without rows,
    the header line is followed by ``#`` lines (the CSVW comment prefix) with the
    provenance and which filters left no row, in the reader's language."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(defused_row({key: _figure(value) for key, value in row.items()}))
        count += 1
    if not count:
        write_comments(buffer, about_lines(provenance, count, reader))
    return buffer.getvalue()


def _figure(value: Any) -> Any:
    """A cell's value; a float without its noise (the shortest figure at the precision it is stored)."""
    return without_noise(value) if isinstance(value, float) else value


def write_comments(buffer: io.StringIO, lines: Sequence[tuple[str, Any]]) -> None:
    """``lines`` as CSV comment lines (``# name: value``), one line each. A spreadsheet splits such a line
    at its separators, so every piece is defused as a cell would be, and a double quote (which would open
    a quoted cell) is written as a single one."""
    for name, value in lines:
        text = " ".join(f"{name}: {'' if value is None else value}".split()).replace('"', "'")
        pieces = _SEPARATORS.split(text)
        safe = "".join(piece if _SEPARATORS.fullmatch(piece) else defuse_formula(piece) for piece in pieces)
        buffer.write(f"{COMMENT_PREFIX} {safe}\n")


def table_response(
    request: Request,
    format: str,
    rows: Iterable[dict[str, Any]],
    columns: Sequence[str],
    what: str,
    provenance: Sequence[tuple[str, Any]] = (),
) -> Response:
    """The table as ``format=xlsx`` (``provenance`` and the request's filters on the second sheet) or as
    CSV, named ``what`` and the Dutch day: the same rows and columns in both (docs/exports.md)."""
    if format == ListFormat.xlsx:
        return xlsx_response(request, rows, columns, f"{what}.xlsx", provenance)
    return csv_response(request, rows, columns, f"{what}.csv", provenance)


def country_about(country: Country) -> tuple[str, str]:
    """The ``country`` line of an Excel provenance sheet: name, ISO3 and Gleditsch-Ward code."""
    return ("country", f"{country.name} ({country.iso3}, gwcode {country.gwcode})")


def csv_responses(description: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entry documenting the CSV and Excel alternatives of a resource."""
    text = {"schema": {"type": "string"}}
    excel = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": description, "content": {"text/csv": text, XLSX_TYPE: excel}}}
