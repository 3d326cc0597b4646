"""Toegankelijkheidsverklaring / accessibility statement."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from gbvs.security import Permission
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.render import render_page

router = page_router(Permission.data_read)


@router.get("/toegankelijkheid", response_class=HTMLResponse)
@cached
def accessibility_page(request: Request) -> HTMLResponse:
    """What was tested, how, and what is known not to work yet."""
    return render_page(request, "accessibility.html", {})
