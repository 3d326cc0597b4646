"""The ingest pipeline: for each source, locate -> verify checksum -> parse -> schema check -> write,
then the derived tables (``gbvs.panels.registry.DERIVED_TABLES``) in order, then provenance, then an
atomic swap of the new store file over the old one. Any error leaves the previous store untouched.

An unpinned file that looks cut short (no rows for the year its version claims, or well below the rows
of the stored table) is refused (:mod:`gbvs.ingest.completeness`); ``accept_fewer_rows`` names the
sources whose smaller release is accepted, with a note in the table's provenance.

``only`` re-ingests some sources (and the sources that depend on them) and copies every other
table unchanged from the previous store; derived tables are always rebuilt. An optional source that
is unavailable now (e.g. the Candidate GED offline) keeps the tables of the previous store, if any.

Testing hook: ``GBVS_INGEST_PAUSE_SECONDS`` makes the pipeline sleep after every step, so a test
can kill it mid-way and check that the previous store survived.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import httpx

from gbvs.config import Settings
from gbvs.errors import Commas, Said, SourceMissingError, StoreNotBuiltError, Words, said
from gbvs.ingest.completeness import check_complete
from gbvs.ingest.derived import build_derived
from gbvs.ingest.mirror import unread_files, unread_warning
from gbvs.ingest.records import files_of, source_records
from gbvs.ingest.report import Reporter, SilentReporter
from gbvs.panels.registry import DERIVED_TABLES
from gbvs.sources.base import Located, ParseContext, Source
from gbvs.sources.fetch import Fetcher
from gbvs.sources.registry import SOURCES, get_source
from gbvs.sources.schema import check_frame, to_arrow
from gbvs.store import Store, StoreWriter, TableProvenance

PAUSE_ENV = "GBVS_INGEST_PAUSE_SECONDS"


@dataclass
class IngestResult:
    """What an ingest produced."""

    store_path: Path
    tables: list[TableProvenance]
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0


def ingest(
    settings: Settings,
    *,
    only: Sequence[str] = (),
    client: httpx.Client | None = None,
    reporter: Reporter | None = None,
    accept_fewer_rows: Sequence[str] = (),
) -> IngestResult:
    """Build a new analytical store from the sources and swap it in atomically."""
    started = time.perf_counter()
    reporter = reporter or SilentReporter()
    settings.ensure_data_dir()
    target = settings.resolved_store_path
    selected = select_sources(only)
    accepted = {get_source(source_id).id for source_id in accept_fewer_rows}
    previous = _previous_records(target, required=bool(only))
    fetcher = Fetcher(settings.mirror, settings.cache_dir, settings.allow_download, client, reporter.download)
    now = datetime.now(UTC)
    reporter.start(len(SOURCES) + len(DERIVED_TABLES))
    _warn_unread_mirror_files(settings.mirror, reporter)
    result = IngestResult(target, [])
    with StoreWriter(target) as writer:
        for source in SOURCES:
            reporter.step(source.id)
            if source.id in selected:
                checks = Completeness(previous, source.id in accepted)
                result.tables += _run_source(source, fetcher, writer, now, reporter, result, checks)
                if source.id in result.skipped:  # an optional source now unavailable keeps its last version
                    result.tables += _copy_source(source, writer, target, previous, reporter)
            else:
                result.tables += _copy_source(source, writer, target, previous, reporter)
            _pause()
        for derived in DERIVED_TABLES:
            reporter.step(derived.name)
            record = build_derived(derived, writer, now, reporter)
            result.tables += [record] if record else []
            _pause()
        writer.write_provenance(result.tables)
        writer.commit()
    result.seconds = time.perf_counter() - started
    return result


def _warn_unread_mirror_files(mirror: Path | None, reporter: Reporter) -> None:
    """Name every dataset file of the mirror no source reads (a newer release is not ingested)."""
    if mirror is None:
        return
    for relative in unread_files(mirror, SOURCES):
        reporter.warn(unread_warning(mirror, relative))


def select_sources(only: Sequence[str]) -> set[str]:
    """The source ids to (re-)ingest: all, or ``only`` plus every source that needs their tables."""
    if not only:
        return {source.id for source in SOURCES}
    selected = {get_source(source_id).id for source_id in only}
    for source in SOURCES:  # registry order puts dependencies first
        produced = {table for chosen in selected for table in get_source(chosen).table_names}
        if set(source.needs) & produced:
            selected.add(source.id)
    return selected


def _previous_records(target: Path, *, required: bool) -> dict[str, TableProvenance]:
    if not target.is_file() and not required:
        return {}
    if not target.is_file():
        raise StoreNotBuiltError(
            said(
                "--only needs an existing store to copy the other tables from, but %(store)s does not exist; "
                "run `gbvs ingest` without --only first",
                store=repr(str(target)),
            )
        )
    try:
        with Store(target) as store:
            return {record.table_name: record for record in store.provenance()}
    except Exception:  # a damaged previous store is rebuilt, unless --only must copy from it
        if required:
            raise
        return {}


@dataclass(frozen=True)
class Completeness:
    """What the completeness checks of one source compare with: the current store, and the user's consent."""

    previous: dict[str, TableProvenance]
    accept_fewer: bool


def _run_source(
    source: Source,
    fetcher: Fetcher,
    writer: StoreWriter,
    now: datetime,
    reporter: Reporter,
    result: IngestResult,
    checks: Completeness,
) -> list[TableProvenance]:
    try:
        files = {source_input.key: fetcher.locate(source.id, source_input) for source_input in source.inputs}
    except SourceMissingError:
        if source.required:
            raise
        reporter.finished(source.id, optional_missing(source))
        result.skipped.append(source.id)
        return []
    missing = [name for name in source.needs if not writer.has_table(name)]
    if missing:
        reporter.warn(
            said(
                "skipped %(source)s: it needs table(s) %(missing)s, which are not in the store",
                source=source.id,
                missing=", ".join(missing),
            )
        )
        result.skipped.append(source.id)
        return []
    frames = source.parse(ParseContext(files, writer.read_frame))
    where = _where(source, files)
    notes: dict[str, str] = {}
    for schema in source.tables:
        frame = frames[schema.name]
        check_frame(frame, schema, where)
        note = check_complete(
            source,
            schema,
            frame,
            files_of(schema, files),
            checks.previous.get(schema.name),
            accept_fewer=checks.accept_fewer,
            reporter=reporter,
        )
        notes.update({schema.name: note} if note else {})
        writer.write_table(schema.name, to_arrow(frame, schema))
    records = [
        _noted(record, notes.get(record.table_name)) for record in source_records(source, files, frames, now)
    ]
    written = Commas(Said.of(written_summary(record)) for record in records)
    reporter.finished(source.id, said("wrote %(tables)s", tables=written))
    return records


def _noted(record: TableProvenance, note: str | None) -> TableProvenance:
    """``record`` with ``note`` added to its provenance note."""
    return record if note is None else replace(record, note=" ".join(filter(None, (record.note, note))))


def optional_missing(source: Source) -> Words:
    """One line for an optional source whose files are absent (not the list of every path tried)."""
    first = source.inputs[0].options[0].mirror_path if source.inputs else source.id
    return said(
        "skipped: optional source not available (e.g. %(file)s; `gbvs sources` lists its files)", file=first
    )


def written_summary(record: TableProvenance) -> Words:
    """How the progress log names a table written: rows, and the data's vintage when it has one."""
    if record.vintage:
        return said(
            "%(table)s %(rows)s rows, vintage %(vintage)s",
            table=record.table_name,
            rows=record.n_rows,
            vintage=record.vintage,
        )
    return said("%(table)s %(rows)s rows", table=record.table_name, rows=record.n_rows)


def _where(source: Source, files: dict[str, Located]) -> str:
    if not files:
        return f"table derived by source {source.id!r}"
    return "; ".join(located.label for located in files.values())


def _copy_source(
    source: Source,
    writer: StoreWriter,
    target: Path,
    previous: dict[str, TableProvenance],
    reporter: Reporter,
) -> list[TableProvenance]:
    kept = [name for name in source.table_names if name in previous]
    if kept:
        writer.copy_from(target, kept)
        reporter.finished(source.id, said("kept %(tables)s from the previous store", tables=", ".join(kept)))
    return [previous[name] for name in kept]


def _pause() -> None:
    seconds = os.environ.get(PAUSE_ENV)
    if seconds:
        time.sleep(float(seconds))
