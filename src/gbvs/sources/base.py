"""The source plugin contract: what every dataset GBVS ingests declares about itself.

A :class:`Source` is a frozen record (Datasette-style plugin, declared once in
:mod:`gbvs.sources.registry`): where its file(s) come from (:class:`FileRef`, mirror path,
official URL, pinned checksum), its licence and citation, the typed tables it yields
(:class:`TableSchema`) and a ``parse`` function from located files to pandas frames.
Nothing here does I/O; :mod:`gbvs.sources.fetch` locates files and :mod:`gbvs.ingest` runs plugins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

ColumnType = Literal["int", "float", "str", "date", "bool"]
Origin = Literal["mirror", "cache", "download", "package", "derived"]
CountryCodes = Literal["gw", "ucdp"]
"""A column of Gleditsch-Ward codes, checked against :mod:`gbvs.countries` at ingest in the row's year:
``gw`` the Gleditsch-Ward list, ``ucdp`` as UCDP uses it (``ucdp_years`` in ``gleditsch_ward.yaml``)."""


@dataclass(frozen=True)
class Column:
    """One declared column: type, and optional range or allowed values checked at ingest."""

    name: str
    type: ColumnType
    nullable: bool = True
    min: float | None = None
    max: float | None = None
    allowed: frozenset[object] | None = None
    optional: bool = False
    codes: CountryCodes | None = None
    """Country codes checked at ingest; a text column may list several, comma-separated ("645, 652")."""


@dataclass(frozen=True)
class TableSchema:
    """A typed table a source yields: declared columns, primary key, minimum size, vintage rule.

    Columns not declared are kept as text. ``vintage`` returns the last period the table covers.
    ``from_input`` names the source input the table is read from (for its checksum), when several.
    ``year_column`` gives the year in which a row's Gleditsch-Ward codes must name states.
    ``accumulates``: a new release holds at least the rows of the last one, so an unpinned file that
    yields well below the rows of the store's table is refused as cut short (not for monthly files).
    """

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    min_rows: int = 1
    vintage: Callable[[pd.DataFrame], str | None] | None = None
    keep_undeclared: bool = True
    from_input: str | None = None
    year_column: str = "year"
    accumulates: bool = True

    def column(self, name: str) -> Column | None:
        """The declared column called ``name``, if any."""
        return next((col for col in self.columns if col.name == name), None)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the declared columns that must be present (all but the optional ones)."""
        return tuple(col.name for col in self.columns if not col.optional)


@dataclass(frozen=True)
class FileRef:
    """One concrete version of a source file: its mirror location, official URL and checksum.

    ``sha256`` is pinned for exactly this file as it sits in the mirror (``mirror_path``);
    ``download_sha256`` for the file downloaded from ``url`` (``download_path``, often a zip), when
    the producer publishes one or the bytes are known to be identical. ``None`` means the computed
    checksum is recorded instead. ``member`` names the file inside a zip.
    ``package`` reads the file from an installed Python package (``(package, resource)``).
    ``build`` assembles the file from an API instead of downloading ``url`` as is: it receives the
    injected ``httpx.Client`` and the path to write (e.g. the WDI route for Gapminder).
    """

    folder: str
    name: str
    version: str
    sha256: str | None = None
    url: str | None = None
    member: str | None = None
    package: tuple[str, str] | None = None
    note: str = ""
    build: Callable[[Any, Path], None] | None = None
    download_sha256: str | None = None
    covers: int | None = None
    """The last year this version claims to cover (its vintage year, e.g. 2024 for UCDP 25.1).

    An unpinned file (no checksum proves it complete) without rows for that year is refused as cut short.
    """
    cites: str = ""
    """The reference to exactly this version (e.g. its codebook or DOI), added to the source's citation.

    A version is written only here and in ``version``; ``Source.citation`` holds what is true of
    every version, so the citation shown with a table always names the version that was read.
    """

    @property
    def mirror_path(self) -> str:
        """Path relative to the mirror folder."""
        return f"{self.folder}/{self.name}"

    @property
    def download_path(self) -> str:
        """Path of the downloaded file relative to the cache: the URL's file name (built files: the name)."""
        if self.build is not None or self.url is None:
            return self.mirror_path
        return f"{self.folder}/{self.url.rsplit('/', 1)[-1]}"

    @property
    def downloadable(self) -> bool:
        """Whether the file can be fetched (from ``url`` as is, or built from an API)."""
        return self.url is not None

    def expected_sha256(self, relative: str) -> str | None:
        """The checksum to verify a file found at ``relative``: the mirror file's, or the download's."""
        return self.sha256 if relative == self.mirror_path else self.download_sha256


@dataclass(frozen=True)
class SourceInput:
    """One input file of a source, with its alternatives in order of preference."""

    key: str
    options: tuple[FileRef, ...]


@dataclass(frozen=True)
class Located:
    """A file found on disk for a :class:`FileRef`, with how it got there and its checksum."""

    ref: FileRef
    path: Path
    origin: Origin
    sha256: str
    checksum_status: str
    fetched_at: datetime | None = None

    @property
    def label(self) -> str:
        """How error messages name this file."""
        return str(self.path)


@dataclass(frozen=True)
class ParseContext:
    """What a parser receives: the located input files and read access to tables already stored."""

    files: Mapping[str, Located]
    stored_table: Callable[[str], pd.DataFrame]

    def file(self, key: str) -> Located:
        """The located file for input ``key``."""
        return self.files[key]


ParseFn = Callable[[ParseContext], dict[str, pd.DataFrame]]


@dataclass(frozen=True)
class Source:
    """A dataset plugin: provenance, inputs, parser and the schemas of the tables it yields."""

    id: str
    title: str
    description: str
    producer: str
    licence: str
    citation: str
    homepage: str
    inputs: tuple[SourceInput, ...]
    tables: tuple[TableSchema, ...]
    parse: ParseFn
    needs: tuple[str, ...] = ()
    required: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)

    def citation_for(self, refs: Iterable[FileRef]) -> str:
        """The citation of the files ``refs`` of this source: its own, then each version's ``cites``."""
        parts = [self.citation, *(ref.cites for ref in refs)]
        return "; ".join(dict.fromkeys(part.strip().rstrip(".") for part in parts if part.strip())) + "."

    def schema(self, table: str) -> TableSchema:
        """The declared schema of ``table``."""
        return next(schema for schema in self.tables if schema.name == table)

    @property
    def table_names(self) -> tuple[str, ...]:
        """Names of the store tables this source writes."""
        return tuple(schema.name for schema in self.tables)


def max_year(column: str) -> Callable[[pd.DataFrame], str | None]:
    """Vintage rule: the largest value of a year column."""

    def vintage(frame: pd.DataFrame) -> str | None:
        values = frame[column].dropna()
        return str(int(values.max())) if len(values) else None

    return vintage


def max_date(column: str) -> Callable[[pd.DataFrame], str | None]:
    """Vintage rule: the latest date in a date column (ISO format)."""

    def vintage(frame: pd.DataFrame) -> str | None:
        values = pd.to_datetime(frame[column]).dropna()
        return values.max().date().isoformat() if len(values) else None

    return vintage
