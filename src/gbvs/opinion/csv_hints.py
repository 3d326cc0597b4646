"""What to tell a user whose CSV file was not read as they meant."""

from __future__ import annotations

from collections.abc import Sequence

from gbvs.errors import InputError

EXCEL_CSV = "in Excel: 'CSV UTF-8 (comma delimited)'"
"""How to save a CSV file from Excel the way GBVS reads it."""


def semicolon_hint(header: Sequence[str]) -> str:
    """The fix when a CSV's header was read as one column holding semicolons (a Dutch Excel export)."""
    if len(header) == 1 and ";" in header[0]:
        return (
            f"; its header {header[0]!r:.80} is separated by semicolons: save the file as CSV with commas "
            f"({EXCEL_CSV})"
        )
    return ""


def utf8_text(data: bytes, what: str) -> str:
    """``data`` decoded as UTF-8; otherwise an error naming the first line that is not, and the fix."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{what} is not UTF-8: line {line} holds the byte 0x{data[exc.start]:02x} (saved as Windows-1252 "
            f"or Latin-1?); save it as UTF-8 ({EXCEL_CSV})"
        ) from None
