"""Materialising the derived tables (panels) declared in ``gbvs.panels.registry``."""

from __future__ import annotations

from datetime import datetime

from gbvs import __version__
from gbvs.errors import said
from gbvs.ingest.report import Reporter
from gbvs.panels.registry import DerivedTable
from gbvs.store import StoreWriter, TableProvenance


def build_derived(
    derived: DerivedTable, writer: StoreWriter, now: datetime, reporter: Reporter
) -> TableProvenance | None:
    """Build one derived table in the new store; None (with a warning) if an input table is absent."""
    missing = [name for name in derived.depends_on if not writer.has_table(name)]
    if missing:
        reporter.warn(
            said(
                "skipped derived table %(table)s: input table(s) %(missing)s not in the store",
                table=derived.name,
                missing=", ".join(missing),
            )
        )
        return None
    rows = writer.materialise(derived.name, derived.build(writer.ibis_backend()))
    reporter.finished(derived.name, said("%(rows)s rows", rows=rows))
    inputs = [*derived.depends_on, *(name for name in derived.uses_when_present if writer.has_table(name))]
    return TableProvenance(
        table_name=derived.name,
        source_id="gbvs.panels",
        title=derived.description,
        version=f"gbvs {__version__}",
        vintage=_vintage(writer, derived.name),
        ingested_at=now,
        sha256=None,
        licence="derived; the licences of its inputs apply: " + ", ".join(inputs),
        citation="Computed by GBVS from " + ", ".join(inputs) + "; cite those sources.",
        url=None,
        origin="derived",
        n_rows=rows,
    )


def _vintage(writer: StoreWriter, name: str) -> str | None:
    columns = {row[0] for row in writer.con.execute(f'DESCRIBE "{name}"').fetchall()}
    if "date" in columns:
        return _max(writer, name, '"date"')
    if {"year", "month"} <= columns:
        latest = _max(writer, name, '"year" * 100 + "month"')
        return None if latest is None else f"{latest[:4]}-{latest[4:]}"
    return _max(writer, name, '"year"') if "year" in columns else None


def _max(writer: StoreWriter, name: str, expression: str) -> str | None:
    row = writer.con.execute(f'SELECT max({expression}) FROM "{name}"').fetchone()
    return None if row is None or row[0] is None else str(row[0])
