"""Bronnen / Sources: every dataset with version, vintage, licence, citation and checksum."""

from __future__ import annotations

from enum import StrEnum

from fastapi import Query, Request
from fastapi.responses import HTMLResponse

from gbvs.security import Permission
from gbvs.textmatch import contains
from gbvs.web.deps import Store
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.queries.sources import STALE_AFTER_YEARS, list_sources
from gbvs.web.render import render_page
from gbvs.web.tables import Column, Sort, Table, table_view

router = page_router(Permission.data_read)


SOURCE_TABLE = Table(
    Column("table", lambda s: s.table_name),
    Column("dataset", lambda s: s.title or s.source_id),
    Column("version", lambda s: s.version),
    Column("vintage", lambda s: s.vintage),
    Column("status", lambda s: s.stale, descending_first=True),  # stale first on the first click
    Column("licence", lambda s: s.licence),
    Column("ingested", lambda s: s.ingested_at, descending_first=True),
    default=Sort("table"),
)


class Status(StrEnum):
    """The status filter of the sources table (empty: every source)."""

    any = ""
    stale = "stale"
    current = "current"


@router.get("/bronnen", response_class=HTMLResponse)
@cached
def sources_page(
    request: Request,
    store: Store,
    q: str = Query(default="", max_length=100),
    status: Status = Status.any,
    sort: str = Query(default="", max_length=40),
) -> HTMLResponse:
    """The sources page: ``q`` searches table, dataset, licence and citation, ``status`` keeps the stale
    or the current sources, ``sort`` orders by a column (``-`` in front: descending)."""
    order = SOURCE_TABLE.parse(sort)
    sources = list_sources(store)
    shown = [
        s
        for s in sources
        if contains(q, s.table_name, s.title, s.source_id, s.licence, s.citation)
        and (status is Status.any or s.stale == (status is Status.stale))
    ]
    context = {
        "sources": SOURCE_TABLE.apply(shown, order),
        "n_sources": len(sources),
        "stale_after": STALE_AFTER_YEARS,
        "n_stale": sum(s.stale for s in sources),
        "q": q,
        "status": status.value,
        "table": table_view(SOURCE_TABLE, order, "/bronnen", request.query_params),
    }
    return render_page(request, "sources.html", context)
