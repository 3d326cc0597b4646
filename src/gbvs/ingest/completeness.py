"""Refusing an unpinned source file that was cut short at a line boundary.

A pinned file is proved complete by its checksum. A file without one (a newer release preferred when
present) passes the strict reader even when cut at a line break, so two more checks apply to it:

- it must hold rows for the last year its version claims (``FileRef.covers``, e.g. 2024 for UCDP 25.1),
  and none after it (a newer release saved under this version's name would carry the wrong version);
- a table whose releases accumulate (``TableSchema.accumulates``) must not fall well below the rows of
  the same source's table in the current store. When a real release is smaller,
  ``gbvs ingest --accept-fewer-rows SOURCE`` accepts it, and the table's provenance note records it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from gbvs.errors import NONE, Said, SchemaMismatchError, Term, said
from gbvs.ingest.report import Reporter
from gbvs.sources.base import Located, Source, TableSchema
from gbvs.sources.fetch import PINNED
from gbvs.store import TableProvenance

SHRINK_TOLERANCE = 0.02
"""A loss of rows up to this share of the stored table is warned about; a larger one is refused."""
ACCEPT_OPTION = "--accept-fewer-rows"


def check_complete(
    source: Source,
    schema: TableSchema,
    frame: pd.DataFrame,
    files: Sequence[Located],
    previous: TableProvenance | None,
    *,
    accept_fewer: bool,
    reporter: Reporter,
) -> str | None:
    """Refuse ``frame`` if its unpinned file looks cut short; the provenance note of an accepted loss."""
    unpinned = [file for file in files if file.checksum_status != PINNED]
    if not unpinned:
        return None
    check_claimed_vintage(schema, frame, unpinned)
    if previous is None or previous.source_id != source.id or not schema.accumulates:
        return None
    return check_row_count(source, schema, len(frame), previous, unpinned, accept_fewer, reporter)


def check_claimed_vintage(schema: TableSchema, frame: pd.DataFrame, files: Sequence[Located]) -> None:
    """Refuse a table without rows for the last year its file's version claims to cover, or with rows
    after it (a newer release under this version's name, whose figures would carry the wrong version)."""
    vintage = schema.vintage(frame) if schema.vintage else None
    for file in files:
        claimed = file.ref.covers
        if claimed is None:
            continue
        latest = int(vintage[:4]) if vintage is not None else None
        if latest is not None and latest > claimed:
            raise SchemaMismatchError(
                said(
                    "%(file)s: table %(table)s holds rows for %(latest)s, after %(claimed)s, the last year "
                    "%(name)s version %(version)s covers: it is a newer release saved under this version's "
                    "name, and its figures would be shown as version %(version)s. Either %(fix)s, or, to use "
                    "the new release, give it its own FileRef (file name, version, covers) in the source's "
                    "plugin in src/gbvs/sources/ (`gbvs sources` lists the files each source reads)",
                    file=file.label,
                    table=repr(schema.name),
                    latest=latest,
                    claimed=claimed,
                    name=file.ref.name,
                    version=file.ref.version,
                    fix=_replace_hint(file),
                )
            )
        if latest is None or latest < claimed:
            raise SchemaMismatchError(
                said(
                    "%(file)s: table %(table)s holds no rows for %(claimed)s, the last year %(name)s version "
                    "%(version)s covers (its latest year is %(latest)s); the file is cut short or is an "
                    "older "
                    "release under this name: %(fix)s",
                    file=file.label,
                    table=repr(schema.name),
                    claimed=claimed,
                    name=file.ref.name,
                    version=file.ref.version,
                    latest=vintage or Term(NONE),
                    fix=_replace_hint(file),
                )
            )


def check_row_count(
    source: Source,
    schema: TableSchema,
    rows: int,
    previous: TableProvenance,
    files: Sequence[Located],
    accept_fewer: bool,
    reporter: Reporter,
) -> str | None:
    """Refuse (or, when accepted, note) a table well below the stored one's rows; warn on a small loss."""
    stored = previous.n_rows
    if stored is None or rows >= stored:
        return None
    lost = stored - rows
    labels = "; ".join(file.label for file in files)
    if accept_fewer:
        return (
            f"Accepted with {rows} rows, {lost} fewer than the previous store's {stored} ({ACCEPT_OPTION})."
        )
    loss = {
        "file": labels,
        "table": repr(schema.name),
        "rows": rows,
        "lost": lost,
        "stored": stored,
        "version": previous.version,
        "vintage": previous.vintage,
    }
    if lost <= stored * SHRINK_TOLERANCE:
        reporter.warn(
            said(
                "%(file)s: table %(table)s would have %(rows)s rows, %(lost)s fewer than the %(stored)s rows "
                "of the current store (version %(version)s, vintage %(vintage)s); check that the file is "
                "complete",
                **loss,
            )
        )
        return None
    raise SchemaMismatchError(
        said(
            "%(file)s: table %(table)s would have %(rows)s rows, %(lost)s fewer than the %(stored)s rows of "
            "the current store (version %(version)s, vintage %(vintage)s); a new release should not lose "
            "rows, so the file looks cut short: %(fix)s. If the release really is smaller, run `gbvs ingest "
            "%(option)s %(source)s` (the table's provenance note records it)",
            **loss,
            fix=_replace_hint(files[0]),
            option=ACCEPT_OPTION,
            source=source.id,
        )
    )


def _replace_hint(file: Located) -> Said:
    """Where to get the file whole again (a value of an error's words, in the reader's language)."""
    published = Said.of(said(" from %(url)s", url=file.ref.url)) if file.ref.url else ""
    return Said.of(said("replace it with the published file%(published)s", published=published))
