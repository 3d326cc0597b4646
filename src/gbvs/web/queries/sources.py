"""The datasets in the store, with version, vintage, licence, citation, checksum and staleness."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel

from gbvs import __version__
from gbvs.drivers import Indicator, load_mapping
from gbvs.panels.codebook import declared_tables
from gbvs.panels.provenance import deriving_table, origin_tables
from gbvs.store.tables import TableName
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


class ColumnProvenance(BaseModel):
    """Where a panel column's values come from: the source datasets (joined with "; " where there are
    several) and, when GBVS computes the values from them, the GBVS version that did."""

    column: str
    source: str
    source_version: str | None
    data_vintage: str | None
    licence: str | None
    citation: str | None
    tables: list[str]
    """The store tables of the sources (``/api/v1/sources``)."""
    derived_by: str | None
    """``GBVS <version> (<table>)`` when GBVS computes the values from the sources (a share, a sum, a
    flag), None when they are the source's own values."""


def origin_sources(store: StoreGateway, table: str) -> list[Source]:
    """The recorded sources behind store table ``table``: the table itself, or, for a table GBVS derives,
    the source tables it is derived from (:func:`gbvs.panels.provenance.origin_tables`)."""
    by_table = {source.table_name: source for source in list_sources(store)}
    return [by_table[name] for name in origin_tables(table) if name in by_table]


def column_provenance(
    store: StoreGateway, column: str, source_table: str, deriving: str | None
) -> ColumnProvenance:
    """The provenance of a panel column read from ``source_table``, computed by GBVS in ``deriving``."""
    sources = origin_sources(store, source_table)

    def joined(field: str) -> str | None:
        values = [str(getattr(s, field)) for s in sources if getattr(s, field) not in (None, "")]
        return "; ".join(dict.fromkeys(values)) or None

    return ColumnProvenance(
        column=column,
        source=joined("title") or source_table,
        source_version=joined("version"),
        data_vintage=joined("vintage"),
        licence=joined("licence"),
        citation=joined("citation"),
        tables=[s.table_name for s in sources],
        derived_by=_derived_by(store, deriving),
    )


def indicator_provenance(store: StoreGateway, indicator: Indicator) -> ColumnProvenance:
    """The provenance of a driver indicator's values (the source behind a GBVS-derived table, not it)."""
    return column_provenance(store, indicator.column, indicator.source_table, deriving_table(indicator))


def _derived_by(store: StoreGateway, deriving: str | None) -> str | None:
    if deriving is None:
        return None
    record = next((s for s in list_sources(store) if s.table_name == deriving), None)
    version = record.version if record else f"gbvs {__version__}"
    return f"{version.replace('gbvs', 'GBVS', 1)} ({deriving})"


def panel_provenance(store: StoreGateway, columns: Sequence[str]) -> list[ColumnProvenance]:
    """The provenance of each of ``columns`` of ``panel_country_year`` and of the wide panel's driver
    indicators: a driver indicator's from the driver mapping (V-Dem v14 for ``vdem14_v2cacamps``), a key's
    from the codebook (``gw_states``), any other column's from every input of the panel, as computed by
    GBVS."""
    indicators = {item.column: item for item in load_mapping()}
    declared = {v.name: v.source for v in declared_tables()[TableName.panel_country_year].variables}
    found = []
    for column in columns:
        if column in indicators:
            found.append(indicator_provenance(store, indicators[column]))
        elif column in declared:
            found.append(column_provenance(store, column, declared[column], None))
        else:
            table = TableName.panel_country_year
            found.append(column_provenance(store, column, table, table))
    return found
