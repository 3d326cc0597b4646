"""The provenance record kept for every store table (``_gbvs_tables``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime

from gbvs.store.tables import TableName

PROVENANCE_TABLE = TableName.provenance


@dataclass(frozen=True)
class TableProvenance:
    """Where one store table came from: source, version, vintage, checksum, licence and citation."""

    table_name: str
    source_id: str
    title: str
    version: str
    vintage: str | None
    ingested_at: datetime
    sha256: str | None
    licence: str
    citation: str
    url: str | None
    file: str | None = None
    origin: str | None = None
    checksum_status: str | None = None
    fetched_at: datetime | None = None
    n_rows: int | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, object]:
        """Plain dict (for JSON output)."""
        return asdict(self)


PROVENANCE_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (
        field.name,
        "TIMESTAMPTZ"
        if "datetime" in str(field.type)
        else ("BIGINT" if "int" in str(field.type) else "VARCHAR"),
    )
    for field in fields(TableProvenance)
)
