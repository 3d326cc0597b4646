"""Provenance records for the tables a source wrote."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import pandas as pd

from gbvs.sources.base import Located, Source, TableSchema
from gbvs.store import TableProvenance


def source_records(
    source: Source, files: Mapping[str, Located], frames: Mapping[str, pd.DataFrame], now: datetime
) -> list[TableProvenance]:
    """One provenance record per table of ``source``."""
    return [
        _record(source, schema, files_of(schema, files), frames[schema.name], now) for schema in source.tables
    ]


def files_of(schema: TableSchema, files: Mapping[str, Located]) -> list[Located]:
    """The located files table ``schema`` is read from."""
    if schema.from_input is not None and schema.from_input in files:
        return [files[schema.from_input]]
    return list(files.values())


def _record(
    source: Source, schema: TableSchema, located: list[Located], frame: pd.DataFrame, now: datetime
) -> TableProvenance:
    return TableProvenance(
        table_name=schema.name,
        source_id=source.id,
        title=_title(source, located),
        version=_joined(file.ref.version for file in located) or f"derived from {', '.join(source.needs)}",
        vintage=schema.vintage(frame) if schema.vintage else None,
        ingested_at=now,
        sha256=_checksums(located),
        licence=source.licence,
        citation=source.citation_for(file.ref for file in located),
        url=_joined(file.ref.url or "" for file in located) or source.homepage,
        file=_joined(str(file.path) for file in located) or None,
        origin=_joined(file.origin for file in located) or "derived",
        checksum_status=_joined(file.checksum_status for file in located) or None,
        fetched_at=next((file.fetched_at for file in located if file.fetched_at), None),
        n_rows=len(frame),
        note=" ".join(source.notes) or None,
    )


def _title(source: Source, located: list[Located]) -> str:
    notes = [file.ref.note for file in located if file.ref.note]
    return source.title + (f" ({'; '.join(notes)})" if notes else "")


def _joined(values: object) -> str:
    unique = list(dict.fromkeys(value for value in values if value))  # type: ignore[attr-defined]
    return "; ".join(unique)


def _checksums(located: list[Located]) -> str | None:
    if len(located) == 1:
        return located[0].sha256
    return "; ".join(f"{file.path.name}={file.sha256}" for file in located) or None
