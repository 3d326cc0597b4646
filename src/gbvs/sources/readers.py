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
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from gbvs.errors import ParseError, SchemaMismatchError, Term, said
from gbvs.sources.base import Located, TableSchema
from gbvs.sources.schema import cast_frame

OTHER_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
RESTORE = Term("restore the original file (see `gbvs sources` for its URL and checksum)")
"""The fix for a source file that is not as published (a catalogue term: a message shows it translated)."""


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
        raise ParseError(said("%(file)s: the file is empty; %(fix)s", file=label, fix=RESTORE))
    if final_newline and not text.endswith(("\n", "\r")):
        raise ParseError(
            said(
                "%(file)s: the file ends in the middle of a row (no final line break), so it is truncated; "
                "%(fix)s",
                file=label,
                fix=RESTORE,
            )
        )
    first = _first_record(text, delimiter)
    if len(first) == 1:  # re-saved with another delimiter: say so, not that a later row is ragged
        _check_header(first, required, delimiter, label)
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
            said(
                "%(file)s: expected a zip archive holding %(member)s, but it is not a valid zip file "
                "(%(problem)s); %(fix)s",
                file=path,
                member=repr(member),
                problem=exc,
                fix=RESTORE,
            )
        ) from exc


def _zip_member(archive: zipfile.ZipFile, pattern: str, path: Path) -> str:
    names = [name for name in archive.namelist() if fnmatch.fnmatch(Path(name).name, pattern)]
    if not names:
        raise ParseError(
            said(
                "%(file)s: expected a file matching %(pattern)s inside the zip, found: %(found)s; %(fix)s",
                file=path,
                pattern=repr(pattern),
                found=", ".join(archive.namelist()) or "nothing",
                fix=RESTORE,
            )
        )
    return sorted(names)[0]


def decode_utf8(data: bytes, label: str) -> str:
    """Decode UTF-8 (with or without BOM); refuse re-encoded files, naming the byte offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        snippet = data[max(exc.start - 20, 0) : exc.start + 20]
        raise ParseError(
            said(
                "%(file)s: expected UTF-8 text, found byte 0x%(byte)s at offset %(offset)s (near %(near)s); "
                "the file was probably re-encoded (e.g. to Latin-1 or UTF-16) by another program; %(fix)s",
                file=label,
                byte=f"{data[exc.start]:02x}",
                offset=exc.start,
                near=repr(snippet),
                fix=RESTORE,
            )
        ) from exc


def _reader(text: str, delimiter: str) -> Any:
    source = io.StringIO(text, newline="")
    if delimiter == "\t":
        return csv.reader(source, delimiter=delimiter, strict=True, quoting=csv.QUOTE_NONE)
    return csv.reader(source, delimiter=delimiter, strict=True)


def _first_record(text: str, delimiter: str) -> list[str]:
    """The header's names; none when even the first record cannot be read (:func:`_rows` says why)."""
    try:
        return [name.strip() for name in next(_reader(text, delimiter), [])]
    except csv.Error:
        return []


def _rows(text: str, delimiter: str, label: str, pad_short_rows: bool) -> list[list[str]]:
    reader = _reader(text, delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if rows and pad_short_rows and 0 < len(row) < len(rows[0]):
                row = row + [""] * (len(rows[0]) - len(row))
            if rows and len(row) != len(rows[0]) and row:
                raise ParseError(
                    said(
                        "%(file)s: line %(line)s has %(fields)s fields but the header has %(header)s; the "
                        "file is truncated or its quoting is broken; %(fix)s",
                        file=label,
                        line=reader.line_num,
                        fields=len(row),
                        header=len(rows[0]),
                        fix=RESTORE,
                    )
                )
            if row:
                rows.append(row)
    except csv.Error as exc:
        raise ParseError(
            said(
                "%(file)s: cannot be read as delimited text near line %(line)s (%(problem)s); %(fix)s",
                file=label,
                line=reader.line_num,
                problem=exc,
                fix=RESTORE,
            )
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
                said(
                    "%(file)s: expected %(expected)s-separated columns (%(columns)s, ...) but the header is "
                    "one column %(header)s: the file is %(found)s-separated, probably re-saved by a "
                    "spreadsheet program; %(fix)s",
                    file=label,
                    expected=Term(OTHER_DELIMITERS[delimiter]),
                    columns=", ".join(required[:5]),
                    header=repr(header[0][:80]),
                    found=Term(other),
                    fix=RESTORE,
                )
            )
    found = ", ".join(header[:12]) + (" ..." if len(header) > 12 else "")
    raise SchemaMismatchError(
        said(
            "%(file)s: expected column(s) %(missing)s but they are missing; found: %(found)s; the producer "
            "may have changed the format, or %(fix)s",
            file=label,
            missing=", ".join(missing),
            found=found,
            fix=RESTORE,
        )
    )


def read_parquet(path: Path) -> pd.DataFrame:
    """Read a Parquet file; refuse a damaged one clearly."""
    try:
        return pq.read_table(path).to_pandas()
    except Exception as exc:  # pyarrow raises several types for damaged files
        raise ParseError(
            said(
                "%(file)s: cannot be read as Parquet (%(problem)s); the file is damaged or truncated; "
                "%(fix)s",
                file=path,
                problem=exc,
                fix=RESTORE,
            )
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
        raise ParseError(
            said(
                "%(file)s: cannot be read as CSV (%(problem)s); %(fix)s",
                file=located.label,
                problem=exc,
                fix=RESTORE,
            )
        ) from exc
    return table.to_pandas()
