"""What to tell a user whose CSV file was not read as they meant."""

from __future__ import annotations

from collections.abc import Sequence

from gbvs.errors import InputError, Said, Term, said

EXCEL_CSV = Term("in Excel: 'CSV UTF-8 (comma delimited)'")
"""How to save a CSV file from Excel the way GBVS reads it."""
ZIP_SIGNATURE = b"PK\x03\x04"
"""The first bytes of a ZIP archive, which an Excel workbook (.xlsx, .docx, .ods) is."""


def semicolon_hint(header: Sequence[str]) -> str:
    """The fix when a CSV's header was read as one column holding semicolons (a Dutch Excel export), to
    end an error's words (``%(hint)s``); empty when it was not."""
    if len(header) == 1 and ";" in header[0]:
        hint = said(
            "; its header %(header)s is separated by semicolons: save the file as CSV with commas "
            "(%(excel)s)",
            header=f"{header[0]!r:.80}",
            excel=EXCEL_CSV,
        )
        return Said(InputError(hint))
    return ""


def utf8_text(data: bytes, what: str) -> str:
    """``data`` decoded as UTF-8; otherwise an error naming the first line that is not, and the fix."""
    if data.startswith(ZIP_SIGNATURE):
        raise InputError(
            said(
                "%(what)s is a ZIP archive, such as an Excel workbook (.xlsx), not a text file; save it as "
                "CSV (%(excel)s)",
                what=what,
                excel=EXCEL_CSV,
            )
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            said(
                "%(what)s is not UTF-8: line %(line)s holds the byte 0x%(byte)s (saved as Windows-1252 or "
                "Latin-1?); save it as UTF-8 (%(excel)s)",
                what=what,
                line=line,
                byte=f"{data[exc.start]:02x}",
                excel=EXCEL_CSV,
            )
        ) from None
