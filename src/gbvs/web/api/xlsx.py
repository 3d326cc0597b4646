"""Excel exports (``format=xlsx``): rows on a first sheet with numbers as numbers, provenance on a second.

CSV stays RFC 4180 for programs; this is the format for people who open exports in Excel, whatever the
language of their desktop (no decimal-separator or encoding guesswork). Text is stored as text, never as a
formula: openpyxl reads a string that begins with ``=`` as one, and a filter value in a shared export link
(``?country==HYPERLINK(...)``) would otherwise become a live link on the provenance sheet.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import Request, Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from gbvs.numbers import without_noise
from gbvs.web.api.exportnotes import Reader, about_lines, field_label, reader_of
from gbvs.web.downloads import download_headers

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WIDTH = 60


def xlsx_bytes(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[str],
    provenance: Sequence[tuple[str, Any]],
    sheet_titles: tuple[str, str] = ("data", "provenance"),
    reader: Reader = Reader(),
) -> bytes:
    """A workbook: ``columns`` of ``rows`` on the first sheet, (name, value) pairs on the second with what
    the file says about itself (:func:`~gbvs.web.api.exportnotes.about_lines`), in the reader's language."""
    book = Workbook()
    data = book.active
    data.title = sheet_titles[0]
    data.append([_cell(column) for column in columns])
    for row in rows:
        data.append([_cell(row.get(column)) for column in columns])
    count = data.max_row - 1
    data.freeze_panes = "A2"
    _fit_columns(data)
    about = book.create_sheet(sheet_titles[1])
    about.append([field_label("field", reader.t), field_label("value", reader.t)])
    for name, value in about_lines(provenance, count, reader):
        about.append([_cell(name), _cell(value)])  # names too: a filter's name is the caller's text
    _fit_columns(about)
    for sheet in (data, about):
        _text_not_formulas(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    request: Request,
    rows: Iterable[dict[str, Any]],
    columns: Sequence[str],
    filename: str,
    provenance: Sequence[tuple[str, Any]],
) -> Response:
    """The workbook as a download named ``filename`` and the Dutch day, for the reader of ``request``
    (its language, its filters on the provenance sheet)."""
    reader = reader_of(request)
    content = xlsx_bytes(rows, columns, provenance, reader=reader)
    return Response(content, media_type=XLSX_TYPE, headers=download_headers(filename, day=reader.day))


def _cell(value: Any) -> Any:
    """Numbers and text as they are (a float without its noise: :func:`~gbvs.numbers.without_noise`);
    lists joined; anything else as text (Excel has no other types)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters cannot be stored in a sheet
    if isinstance(value, float):
        return without_noise(value)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, list | tuple):
        return _cell("; ".join(str(item) for item in value))
    return _cell(str(value))


def _text_not_formulas(sheet: Any) -> None:
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _fit_columns(sheet: Any) -> None:
    for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        width = max((len(str(value)) for value in column if value is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
