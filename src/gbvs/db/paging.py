"""The bounds of a page of rows, shared by the services and every edge that asks for a page."""

from __future__ import annotations

from gbvs.errors import Words, said

MAX_PAGE = 100_000
"""The highest page number asked for; beyond it the offset says nothing a filter would not say better."""

MAX_PAGE_SIZE = 500
"""The most rows on one page."""


def page_problem(page: int, page_size: int) -> Words | None:
    """Why ``page`` of ``page_size`` rows cannot be asked for (with the fix, as an error's words), or None
    when it can."""
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        return said("page size %(size)s is out of range; use 1-%(most)s", size=page_size, most=MAX_PAGE_SIZE)
    if not 1 <= page <= MAX_PAGE:
        return said(
            "page %(page)s is out of range; pages count from 1 to %(most)s; narrow the filters instead",
            page=page,
            most=f"{MAX_PAGE:,}",
        )
    return None
