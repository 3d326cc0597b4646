"""Strict readers for source files: delimited text, Parquet, and files inside zip archives.

The delimited reader is deliberately strict, because the failures it catches are the ones that
happen to real data: a file re-encoded (not UTF-8), re-saved with another delimiter, cut off
mid-row, or with ragged rows. Each error names the file, what was expected and what was found.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from gbvs.errors import ParseError, SchemaMismatchError
from gbvs.sources.base import Located, TableSchema
from gbvs.sources.schema import cast_frame

OTHER_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
RESTORE = "restore the original file (see `gbvs sources` for its URL and checksum)"


def read_delimited(
    path: Path,
    *,
    required: Sequence[str],
    delimiter: str = ",",
    member: str | None = None,
    pad_short_rows: bool = False,
    final_newline: bool = True,
) -> pd.DataFrame:
    """Read a delimited UTF-8 file (or zip member) into a frame of text columns, strictly.

    ``pad_short_rows`` accepts rows with fewer fields than the header (trailing empty fields
    dropped, as in country_converter's TSV); rows with more fields are always refused.
    ``final_newline=False`` accepts a file whose last row has no line break, for files published
    that way whose pinned checksum proves them complete (the CFR tracker copy).
    """
    label = f"{path}" + (f" (member {member})" if member else "")
    text = decode_utf8(read_bytes(path, member), label)
    if not text.strip():
        raise ParseError(f"{label}: the file is empty; {RESTORE}")
    if final_newline and not text.endswith(("\n", "\r")):
        raise ParseError(
            f"{label}: the file ends in the middle of a row (no final line break), so it is truncated; "
            f"{RESTORE}"
        )
    rows = _rows(text, delimiter, label, pad_short_rows)
    header = [name.strip() for name in rows[0]]
    _check_header(header, required, delimiter, label)
    return pd.DataFrame(rows[1:], columns=header, dtype="string")


def read_bytes(path: Path, member: str | None = None) -> bytes:
    """The file's bytes, or those of the zip member matching ``member`` (a glob)."""
    if member is None:
        return path.read_bytes()
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read(_zip_member(archive, member, path))
    except zipfile.BadZipFile as exc:
        raise ParseError(
            f"{path}: expected a zip archive holding {member!r}, but it is not a valid zip file ({exc}); "
            f"{RESTORE}"
        ) from exc


def _zip_member(archive: zipfile.ZipFile, pattern: str, path: Path) -> str:
    names = [name for name in archive.namelist() if fnmatch.fnmatch(Path(name).name, pattern)]
    if not names:
        raise ParseError(
            f"{path}: expected a file matching {pattern!r} inside the zip, found: "
            f"{', '.join(archive.namelist()) or 'nothing'}; {RESTORE}"
        )
    return sorted(names)[0]


def decode_utf8(data: bytes, label: str) -> str:
    """Decode UTF-8 (with or without BOM); refuse re-encoded files, naming the byte offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        snippet = data[max(exc.start - 20, 0) : exc.start + 20]
        raise ParseError(
            f"{label}: expected UTF-8 text, found byte 0x{data[exc.start]:02x} at offset {exc.start} "
            f"(near {snippet!r}); the file was probably re-encoded (e.g. to Latin-1 or UTF-16) by another "
            f"program; {RESTORE}"
        ) from exc


def _rows(text: str, delimiter: str, label: str, pad_short_rows: bool) -> list[list[str]]:
    source = io.StringIO(text, newline="")
    if delimiter == "\t":
        reader = csv.reader(source, delimiter=delimiter, strict=True, quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(source, delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if rows and pad_short_rows and 0 < len(row) < len(rows[0]):
                row = row + [""] * (len(rows[0]) - len(row))
            if rows and len(row) != len(rows[0]) and row:
                raise ParseError(
                    f"{label}: line {reader.line_num} has {len(row)} fields but the header has "
                    f"{len(rows[0])}; "
                    f"the file is truncated or its quoting is broken; {RESTORE}"
                )
            if row:
                rows.append(row)
    except csv.Error as exc:
        raise ParseError(
            f"{label}: cannot be read as delimited text near line {reader.line_num} ({exc}); {RESTORE}"
        ) from exc
    return rows


def _check_header(header: list[str], required: Sequence[str], delimiter: str, label: str) -> None:
    present = {h.lower() for h in header}
    missing = [name for name in required if name.lower() not in present]
    if not missing:
        return
    if len(header) == 1:
        other = next(
            (name for sep, name in OTHER_DELIMITERS.items() if sep != delimiter and sep in header[0]), None
        )
        if other:
            raise ParseError(
                f"{label}: expected {OTHER_DELIMITERS[delimiter]}-separated columns "
                f"({', '.join(required[:5])}, ...) "
                f"but the header is one column {header[0][:80]!r}: the file is {other}-separated, probably "
                f"re-saved by a spreadsheet program; {RESTORE}"
            )
    found = ", ".join(header[:12]) + (" ..." if len(header) > 12 else "")
    raise SchemaMismatchError(
        f"{label}: expected column(s) {', '.join(missing)} but they are missing; found: {found}; the "
        f"producer may have changed the format, or {RESTORE}"
    )


def read_parquet(path: Path) -> pd.DataFrame:
    """Read a Parquet file; refuse a damaged one clearly."""
    try:
        return pq.read_table(path).to_pandas()
    except Exception as exc:  # pyarrow raises several types for damaged files
        raise ParseError(
            f"{path}: cannot be read as Parquet ({exc}); the file is damaged or truncated; {RESTORE}"
        ) from exc


def load_table(
    located: Located,
    schema: TableSchema,
    *,
    delimiter: str = ",",
    pad_short_rows: bool = False,
    final_newline: bool = True,
) -> pd.DataFrame:
    """Read a located file (CSV/TSV, zip member or Parquet) and cast it to ``schema``'s types."""
    path = located.path
    member = zip_member_of(located)
    if path.suffix == ".parquet":
        frame = read_parquet(path)
    else:
        frame = read_delimited(
            path,
            required=schema.required,
            delimiter=delimiter,
            member=member,
            pad_short_rows=pad_short_rows,
            final_newline=final_newline,
        )
    return cast_frame(frame, schema, located.label)


def zip_member_of(located: Located) -> str | None:
    """The zip member to read from ``located`` (None: read the file itself).

    A file named ``.zip`` is always read as an archive, so one that is not a zip is refused as such
    (instead of being parsed as text); a file with another name is read as an archive only if it is one
    (a mirror copy may be the unzipped member of the download).
    """
    if located.path.suffix.lower() == ".zip":
        return located.ref.member or "*"
    return located.ref.member if zipfile.is_zipfile(located.path) else None


def read_columns(located: Located, wanted: Sequence[str], *, required: Sequence[str]) -> pd.DataFrame:
    """Read only ``wanted`` columns (as text) of a large CSV (or zip member) with pyarrow."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    data = read_bytes(located.path, zip_member_of(located))
    header_line = decode_utf8(data[: data.find(b"\n")], located.label)
    header = next(csv.reader([header_line]))
    _check_header(header, required, ",", located.label)
    present = [name for name in wanted if name in header]
    options = pacsv.ConvertOptions(include_columns=present, column_types=dict.fromkeys(present, pa.string()))
    try:
        table = pacsv.read_csv(io.BytesIO(data), convert_options=options)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise ParseError(f"{located.label}: cannot be read as CSV ({exc}); {RESTORE}") from exc
    return table.to_pandas()
