"""File names of downloads: what and when, in a ``Content-Disposition`` every browser reads right.

Every download GBVS offers (CSV, Excel, GeoJSON, the PDF country brief) is named
``{what}-{YYYY-MM-DD}.{extension}``, the date being the day it was downloaded, so two downloads of the
watchlist a week apart do not both land as ``gbvs-watchlist.csv`` in the reader's Downloads folder.
The day is the Dutch one (Europe/Amsterdam), whatever the server's time zone: a file taken at 00:30 in
The Hague on 8 December is of 8 December, also on a server that keeps UTC (where it is still the 7th).
The web app passes its clock (:func:`gbvs.web.app.create_app`), so tests fix the moment.
The header carries the name twice (RFC 6266): ``filename`` in ASCII for old clients and
``filename*`` in UTF-8 for a name with Côte d'Ivoire or Curaçao in it. docs/exports.md lists them all.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

_ASCII_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
"""The time zone of the readers: the day of a download is the day on their calendar."""
Clock = Callable[[], datetime]
"""What time it is now, as an aware datetime (the web app's is :func:`utc_now`; tests pass a fixed one)."""


def utc_now() -> datetime:
    """The current moment, in UTC."""
    return datetime.now(UTC)


def dutch_day(clock: Clock = utc_now) -> date:
    """The date in the Netherlands at ``clock``'s moment (23:30 UTC on 7 December is 8 December there).

    >>> dutch_day(lambda: datetime(2026, 12, 7, 23, 30, tzinfo=UTC))
    datetime.date(2026, 12, 8)
    """
    return clock().astimezone(DUTCH_TIME).date()


def download_name(filename: str, day: date | None = None) -> str:
    """``filename`` with the day of the download before its extension(s).

    >>> download_name("gbvs-watchlist.csv", date(2026, 12, 6))
    'gbvs-watchlist-2026-12-06.csv'
    >>> download_name("gbvs-landenbrief-SYR.nl.pdf", date(2026, 12, 6))
    'gbvs-landenbrief-SYR-2026-12-06.nl.pdf'
    """
    what, dot, extensions = filename.partition(".")
    return f"{what}-{(day or dutch_day()).isoformat()}{dot}{extensions}"


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """The ``Content-Disposition`` value for ``name``: an ASCII ``filename`` and a UTF-8 ``filename*``.

    >>> content_disposition("Curaçao.csv")
    'attachment; filename="Curacao.csv"; filename*=UTF-8\\'\\'Cura%C3%A7ao.csv'
    """
    fallback = _ascii(name)
    if fallback == name:
        return f'{disposition}; filename="{name}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_headers(
    filename: str, disposition: str = "attachment", day: date | None = None
) -> dict[str, str]:
    """Response headers naming a download made on ``day`` (default: today in the Netherlands):
    ``filename`` (what) with that date."""
    return {"Content-Disposition": content_disposition(download_name(filename, day), disposition)}


def _ascii(name: str) -> str:
    """``name`` with accents dropped and anything else outside ``[A-Za-z0-9._-]`` as ``_``."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return "".join(char if char in _ASCII_SAFE else "_" for char in plain)
