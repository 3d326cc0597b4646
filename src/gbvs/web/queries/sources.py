"""The datasets in the store, with version, vintage, licence, citation, checksum and staleness."""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel

from gbvs.web.store import Backend, StoreGateway

PROVENANCE_TABLE = "_gbvs_tables"
STALE_AFTER_YEARS = 2


class Source(BaseModel):
    """One store table and where it came from."""

    table_name: str
    source_id: str | None
    title: str | None
    version: str | None
    vintage: str | None
    ingested_at: str | None
    sha256: str | None
    licence: str | None
    citation: str | None
    url: str | None
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


def _read_provenance(con: Backend) -> list[dict[str, str | None]]:
    fields = [name for name in Source.model_fields if name != "stale"]
    table = con.table(PROVENANCE_TABLE)
    present = [name for name in fields if name in table.columns]
    rows = table.select(present).order_by(["source_id", "table_name"]).to_pyarrow().to_pylist()
    return [{name: _text(row.get(name)) for name in fields} for row in rows]


def _text(value: object) -> str | None:
    return None if value is None else str(value)
