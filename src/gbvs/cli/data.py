"""``gbvs ingest`` (build the analytical store) and ``gbvs sources`` (what is in it, from where)."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from gbvs.cli.identity import AsUser, audited_run, require
from gbvs.cli.options import LangOption, resolve_lang
from gbvs.cli.output import FormatOption, OutputFormat, clean, echo, print_json
from gbvs.cli.texts import said_in, translator
from gbvs.config import Settings, load_settings
from gbvs.errors import Figure, StoreNotBuiltError, Words, said
from gbvs.ingest import IngestResult, ingest
from gbvs.languages import N_
from gbvs.security.permissions import Permission
from gbvs.sources.base import Source
from gbvs.sources.fetch import Advance
from gbvs.sources.registry import SOURCES
from gbvs.store import INTERRUPTS, Store, TableProvenance
from gbvs.strategy.model import Lang

OnlyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--only",
        metavar="SOURCE",
        help="Re-ingest only this source id (repeatable); other tables are kept. See `gbvs sources`.",
    ),
]
AcceptFewerOption = Annotated[
    list[str] | None,
    typer.Option(
        "--accept-fewer-rows",
        metavar="SOURCE",
        help=(
            "Accept a release of this source id (repeatable) with fewer rows than its table in the current "
            "store, when the producer really shrank it; recorded in the table's provenance note."
        ),
    ),
]


class RichReporter:
    """Shows ingest progress with rich on stderr, in ``lang``: one bar for the steps, one per download."""

    def __init__(self, console: Console, lang: Lang) -> None:
        self.console = console
        self.lang = lang
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(), console=console, transient=False,
        )  # fmt: skip
        self._steps: TaskID | None = None

    def __enter__(self) -> RichReporter:
        self.progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.progress.stop()

    def start(self, total_steps: int) -> None:
        """Create the step bar."""
        self._steps = self.progress.add_task(self._said(said("ingest")), total=total_steps)

    def step(self, label: str) -> None:
        """Show which step runs."""
        if self._steps is not None:
            self.progress.update(self._steps, description=self._said(said("ingest: %(step)s", step=label)))

    def finished(self, label: str, detail: Words) -> None:
        """Log the step's result and advance the bar."""
        self.progress.console.print(f"[green]✓[/green] {escape(label)}: {self._said(detail)}")
        if self._steps is not None:
            self.progress.advance(self._steps)

    def warn(self, message: Words) -> None:
        """Log a warning."""
        self.progress.console.print(f"[yellow]![/yellow] {self._said(message)}")

    def download(self, url: str, total: int | None) -> Advance:
        """Add a byte-progress bar for a download."""
        name = url.rsplit("/", 1)[-1]
        task = self.progress.add_task(self._said(said("download %(file)s", file=name)), total=total)
        return lambda received: self.progress.advance(task, received)

    def _said(self, words: Words) -> str:
        """``words`` in the reader's language, as plain text (rich markup in a file name is not obeyed)."""
        return escape(clean(said_in(words, self.lang)))


@contextmanager
def _sigint_seen() -> Iterator[Callable[[], bool]]:
    """Note whether Ctrl-C arrived: DuckDB may turn it into a plain ``RuntimeError("Query interrupted")``."""
    seen: list[bool] = []
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum: int, frame: FrameType | None) -> None:
        seen.append(True)
        signal.default_int_handler(signum, frame)

    signal.signal(signal.SIGINT, handler)
    try:
        yield lambda: bool(seen)
    finally:
        signal.signal(signal.SIGINT, previous)


def ingest_command(
    only: OnlyOption = None,
    accept_fewer_rows: AcceptFewerOption = None,
    output_format: FormatOption = OutputFormat.text,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Build the analytical store from the mirror (GBVS_MIRROR) or downloads (atomic swap).

    Progress goes to stderr; `--format json` prints the provenance of every table written.
    Needs data:ingest (admins, or the OS owner of the data folder).
    """
    settings = load_settings()
    chosen = resolve_lang(lang)
    console = Console(stderr=True)
    with (
        audited_run(settings, Permission.data_ingest, "data.ingest", "store", as_user) as detail,
        _sigint_seen() as seen,
    ):
        try:
            with RichReporter(console, chosen) as reporter:
                result = ingest(
                    settings, only=only or (), reporter=reporter, accept_fewer_rows=accept_fewer_rows or ()
                )
        except BaseException as exc:
            if not (isinstance(exc, INTERRUPTS) or seen()):
                raise
            console.print(said_in(said("interrupted: the previous store is unchanged"), chosen))
            raise typer.Exit(130) from None
        detail.update(
            tables=len(result.tables), skipped=list(result.skipped), seconds=round(result.seconds, 1)
        )
    if output_format is OutputFormat.json:
        print_json(_result_json(result))
        return
    echo(said_in(built(result), chosen))
    if result.skipped:
        echo(said_in(said("skipped: %(sources)s", sources=", ".join(result.skipped)), chosen))


def built(result: IngestResult) -> Words:
    """The line ``gbvs ingest`` ends with: the store, its tables and how long it took."""
    return said(
        "store %(store)s: %(tables)s tables in %(seconds)s s",
        store=result.store_path,
        tables=len(result.tables),
        seconds=Figure.of(result.seconds, 1),
    )


def _result_json(result: IngestResult) -> dict[str, Any]:
    return {
        "store": str(result.store_path),
        "seconds": round(result.seconds, 2),
        "skipped": result.skipped,
        "tables": [record.as_dict() for record in result.tables],
    }


def source_rows(settings: Settings) -> list[dict[str, Any]]:
    """One row per registered source table (and derived table), with provenance when ingested."""
    records = _stored_records(settings)
    rows = [
        _row(source, table, records.pop(table, None)) for source in SOURCES for table in source.table_names
    ]
    rows += [record.as_dict() | {"status": "ingested"} for record in records.values()]
    return rows


def _stored_records(settings: Settings) -> dict[str, TableProvenance]:
    try:
        with Store(settings.resolved_store_path) as store:
            return {record.table_name: record for record in store.provenance()}
    except StoreNotBuiltError:
        return {}


def _row(source: Source, table: str, record: TableProvenance | None) -> dict[str, Any]:
    if record is not None:
        return record.as_dict() | {"status": "ingested"}
    options = [ref for source_input in source.inputs[:1] for ref in source_input.options]
    return {
        "table_name": table,
        "source_id": source.id,
        "title": source.title,
        "version": " | ".join(ref.version for ref in options[:2]) + (" | ..." if len(options) > 2 else "")
        or "derived",
        "vintage": None,
        "sha256": next((ref.sha256 for ref in options if ref.sha256), None),
        "licence": source.licence,
        "citation": source.citation_for(options[:2]),
        "url": next((ref.url for ref in options if ref.url), source.homepage),
        "status": "not ingested",
    }


SOURCE_COLUMNS = ("Source", "Table", "Version", "Vintage", "Licence", "sha256", "Status")
"""The column headers of ``gbvs sources`` (message ids but the hash's name; JSON keeps the field names)."""
SOURCE_WORDS = {"ingested": N_("ingested"), "not ingested": N_("not ingested"), "derived": N_("derived")}
"""Status and version codes ``gbvs sources`` shows in words (message ids; JSON keeps the codes)."""


def sources_command(
    as_user: AsUser = None, output_format: FormatOption = OutputFormat.text, lang: LangOption = None
) -> None:
    """List every source table with version, vintage, licence, checksum and citation."""
    settings = load_settings()
    require(settings, Permission.data_read, "data.read", "store", as_user)
    rows = source_rows(settings)
    if output_format is OutputFormat.json:
        print_json(rows)
        return
    _ = translator(resolve_lang(lang))
    console = Console()  # the terminal's width (COLUMNS; 80 when not a terminal): Rich wraps the cells
    table = Table()
    for heading in SOURCE_COLUMNS:
        table.add_column(_(heading), overflow="fold")  # ids are folded, never cut with "…"
    for row in rows:
        sha, version = row.get("sha256") or "-", row["version"]
        version = _(SOURCE_WORDS[version]) if version in SOURCE_WORDS else version
        table.add_row(
            row["source_id"], row["table_name"], version, row.get("vintage") or "-",
            row["licence"], sha if ";" in sha else sha[:12], _(SOURCE_WORDS[row["status"]]),
        )  # fmt: skip
    console.print(table)
    console.print(_("Citations:"))
    for source_id, citation in dict.fromkeys((row["source_id"], row["citation"]) for row in rows):
        console.print(f"  {source_id}: {citation}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``gbvs ingest`` and ``gbvs sources``."""
    app.command("ingest")(ingest_command)
    app.command("sources")(sources_command)
