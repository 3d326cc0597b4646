"""``/api/v1/sources``: every dataset in the store with its provenance."""

from __future__ import annotations

from fastapi import Request, Response

from gbvs.security import Permission
from gbvs.web.api.common import (
    ListFormat,
    Page,
    Paging,
    api_router,
    csv_responses,
    paginate,
    table_response,
)
from gbvs.web.deps import Store
from gbvs.web.pagecache import cached
from gbvs.web.queries.sources import Source, list_sources

router = api_router(Permission.data_read, "sources")


@router.get(
    "/sources",
    response_model=Page[Source],
    summary="Datasets with version, vintage, licence, citation and checksum",
    responses=csv_responses("The sources as CSV"),
)
@cached
def read_sources(
    request: Request,
    response: Response,
    paging: Paging,
    store: Store,
    format: ListFormat = ListFormat.json,
) -> Page[Source] | Response:
    """Every table in the analytical store and where its data came from; ``stale`` flags old vintages."""
    sources = list_sources(store)
    if format is not ListFormat.json:
        rows = (s.model_dump() for s in sources)
        about = [("source", "GBVS sources register: every table of the analytical store")]
        return table_response(request, format, rows, list(Source.model_fields), "gbvs-sources", about)
    return paginate(request, response, sources, paging)
