"""Bronnen / Sources: every dataset with version, vintage, licence, citation and checksum."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from gbvs.security import Permission
from gbvs.web.deps import Store
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.queries.sources import STALE_AFTER_YEARS, list_sources
from gbvs.web.render import render_page

router = page_router(Permission.data_read)


@router.get("/bronnen", response_class=HTMLResponse)
@cached
def sources_page(request: Request, store: Store) -> HTMLResponse:
    """The sources page."""
    sources = list_sources(store)
    context = {"sources": sources, "stale_after": STALE_AFTER_YEARS, "n_stale": sum(s.stale for s in sources)}
    return render_page(request, "sources.html", context)
