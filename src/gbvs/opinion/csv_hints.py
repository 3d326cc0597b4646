"""What to tell a user whose CSV file was not read as they meant."""

from __future__ import annotations

from collections.abc import Sequence


def semicolon_hint(header: Sequence[str]) -> str:
    """The fix when a CSV's header was read as one column holding semicolons (a Dutch Excel export)."""
    if len(header) == 1 and ";" in header[0]:
        return (
            f"; its header {header[0]!r:.80} is separated by semicolons: save the file as CSV with commas "
            "(in Excel: 'CSV UTF-8 (comma delimited)')"
        )
    return ""
