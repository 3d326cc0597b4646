"""The datasets in the store, with version, vintage, licence, citation, checksum and staleness."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel

from gbvs.web.store import Backend, StoreGateway

STALE_AFTER_YEARS = 2


class Source(BaseModel):
    """One store table and where it came from (the store's provenance record plus staleness)."""

    table_name: str
    source_id: str
    title: str
    version: str
    vintage: str | None
    ingested_at: str
    sha256: str | None
    licence: str
    citation: str
    url: str | None
    file: str | None = None
    origin: str | None = None
    checksum_status: str | None = None
    n_rows: int | None = None
    note: str | None = None
    stale: bool


def is_stale(vintage: str | None, today: date) -> bool:
    """A vintage whose (first) year is more than STALE_AFTER_YEARS before this year is stale."""
    match = re.search(r"(19|20)\d{2}", vintage or "")
    return match is not None and today.year - int(match.group(0)) > STALE_AFTER_YEARS


def list_sources(store: StoreGateway, today: date | None = None) -> list[Source]:
    """Every table recorded in the store's provenance table, ordered by source and table."""
    rows = store.cached(("sources",), _read_provenance)
    day = today or date.today()
    return [Source(**row, stale=is_stale(row.get("vintage"), day)) for row in rows]


def _read_provenance(store: Backend) -> list[dict[str, Any]]:
    fields = [name for name in Source.model_fields if name != "stale"]
    rows = []
    for record in store.provenance():
        row = {name: getattr(record, name, None) for name in fields}
        row["ingested_at"] = str(row["ingested_at"])
        rows.append(row)
    return sorted(rows, key=lambda row: (row["source_id"], row["table_name"]))
