"""Toegankelijkheidsverklaring / accessibility statement, after the Dutch government's model statement."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from gbvs.security import Permission
from gbvs.web.accessibility import STATUS_ORDER, load_criteria, load_results, statement
from gbvs.web.api.document import contact
from gbvs.web.deps import AppSettings
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.render import render_page

router = page_router(Permission.data_read)


@router.get("/toegankelijkheid", response_class=HTMLResponse)
@cached
def accessibility_page(request: Request, settings: AppSettings) -> HTMLResponse:
    """Status per WCAG criterion, how it was checked and when, known problems, and whom to contact."""
    context = {
        "statement": statement(load_criteria(), load_results()),
        "statuses": STATUS_ORDER,
        "contact": contact(settings),
    }
    return render_page(request, "accessibility.html", context)
