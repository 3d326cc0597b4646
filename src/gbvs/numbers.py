"""Numbers as the interface shows them: Babel in the reader's locale ("1.945" in Dutch, "1,945" in English).

Every number on a page, in a chart or in a map legend, in the text output of a command and in the
Markdown the commands write (codebook, model card) goes through here, so nothing mixes formats. Small
probabilities read "<1%" rather than a misleading "0%". No web or I/O dependency: every layer may
import it (the web, the CLI, the panels' codebook).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, format_timedelta, get_timezone
from babel.numbers import format_decimal, format_percent, format_scientific

from gbvs.languages import babel_locale

NumberFormat = Callable[[float], str]

SHOWN_TIME_ZONE = "Europe/Amsterdam"
"""The zone of every time a page or command shows (stored in UTC): the readers' own, winter and summer."""


def decimal(value: float, lang: str, digits: int | None = None) -> str:
    """``value`` with ``digits`` decimals (None: as many as its size needs, at most three, no trailing 0)."""
    places = auto_digits(value) if digits is None else digits
    filler = "#" if digits is None else "0"
    pattern = "#,##0" + ("." + filler * places if places else "")
    return str(format_decimal(value, format=pattern, locale=babel_locale(lang)))


def exact(value: float, lang: str, places: int = 4) -> str:
    """``value`` as written, up to ``places`` decimals and without trailing zeros (a goal's threshold)."""
    return str(format_decimal(value, format="#,##0." + "#" * places, locale=babel_locale(lang)))


STORED_DIGITS = 15
"""Significant digits a stored double holds for certain (DBL_DIG): the 16th and 17th are arithmetic's
noise (0.1 + 0.2 is 0.30000000000000004)."""


def without_noise(value: float) -> float:
    """``value`` rounded to the :data:`STORED_DIGITS` significant digits it holds, so its shortest
    ``repr`` is the figure without float noise (0.9600000000000001 becomes 0.96): how the CSV and Excel
    exports write a number. The figure does not change beyond the noise (at most 5e-16 of it).

    >>> without_noise(0.9600000000000001), without_noise(0.30000000000000004), without_noise(1 / 3)
    (0.96, 0.3, 0.333333333333333)
    """
    return float(f"{value:.{STORED_DIGITS}g}")


def figures_without_noise(value: Any) -> Any:
    """``value`` (JSON-like: dicts, lists, tuples, scalars) with every float :func:`without_noise`, so a
    JSON answer writes the figures its CSV and Excel exports write.

    >>> figures_without_noise({"p": 0.8200000000000001, "rows": [1, 0.1 + 0.2, None, True]})
    {'p': 0.82, 'rows': [1, 0.3, None, True]}
    """
    if isinstance(value, float):
        return without_noise(value)
    if isinstance(value, dict):
        return {key: figures_without_noise(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [figures_without_noise(item) for item in value]
    return value


def auto_digits(value: float) -> int:
    """Decimals that keep two or three significant figures: 0 from 100 up, 1 from 10, 2 from 1, else 3."""
    size = abs(value)
    if size == 0 or size >= 100 or float(value).is_integer():
        return 0
    if size >= 10:
        return 1
    return 2 if size >= 1 else 3


def percent(value: float, lang: str, digits: int = 0) -> str:
    """A probability as a percentage; above zero but below the smallest shown step it reads "<1%"."""
    step = 10.0**-digits / 100
    if 0 < value < step / 2:
        return "<" + _percent(step, lang, digits)
    if 1 - step / 2 < value < 1:
        return ">" + _percent(1 - step, lang, digits)
    return _percent(value, lang, digits)


def _percent(value: float, lang: str, digits: int) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return str(format_percent(value, format=pattern, locale=babel_locale(lang)))


def scientific(value: float, lang: str, digits: int = 1) -> str:
    """A very small or large value in scientific notation ("1,2E-5" in Dutch, "1.2E-5" in English)."""
    pattern = "0" + ("." + "0" * digits if digits else "") + "E0"
    return str(format_scientific(value, format=pattern, locale=babel_locale(lang)))


def signed(value: float, lang: str, digits: int = 2) -> str:
    """A signed decimal ("+0,42", "−0,17"): the sign is always shown, the minus is a real minus sign."""
    text = decimal(abs(value), lang, digits)
    if math.isclose(value, 0.0, abs_tol=0.5 * 10.0**-digits):
        return text
    return ("+" if value > 0 else "\u2212") + text


def formatter(lang: str, digits: int | None = None) -> NumberFormat:
    """A one-argument number formatter for charts and legends."""
    return lambda value: decimal(value, lang, digits)


def percent_formatter(lang: str, digits: int = 0) -> NumberFormat:
    """A one-argument percentage formatter for charts (probabilities 0..1)."""
    return lambda value: percent(value, lang, digits)


def day(value: str | date | None, lang: str) -> str:
    """A stored time stamp as a plain date in the locale ("1 juni 2026"); text that is no date is kept."""
    if value is None or value == "":
        return "–"
    if not isinstance(value, str):
        return str(format_date(value, format="long", locale=babel_locale(lang)))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return str(format_date(moment, format="long", locale=babel_locale(lang)))


def moment(value: str | datetime | None, lang: str) -> str:
    """A stored time stamp as a date and time in Dutch time, with the zone the Dutch way, in the locale
    ("2 december 2026 11:05 CET", "2 July 2026 12:05 CEST"), without seconds: every page and the text
    output of the commands show times so (the API keeps ISO 8601 with the offset). A stamp without zone
    is taken as UTC (as the database stores them); the laptop's own zone plays no part."""
    if value is None or value == "":
        return "–"
    try:
        stamp = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except ValueError:
        return str(value)
    zone = get_timezone(SHOWN_TIME_ZONE)
    local = (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).astimezone(zone)
    locale = babel_locale(lang)
    shown_time = format_time(local, "HH:mm z", tzinfo=zone, locale=locale)
    return f"{format_date(local, format='long', locale=locale)} {shown_time}"


def dutch_moment(text: str) -> datetime:
    """A moment typed by a reader: ``YYYY-MM-DD HH:MM`` (or with a ``T``) in Dutch time, or ISO 8601 with
    its offset; as an aware datetime in UTC. ValueError when ``text`` is neither."""
    stamp = datetime.fromisoformat(text.strip())
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=ZoneInfo(SHOWN_TIME_ZONE))
    return stamp.astimezone(UTC)


def time_left(until: datetime | None, now: datetime, lang: str) -> str:
    """How long until ``until`` from ``now``, in words of the locale ("over 2 dagen", "in 3 hours"), or
    how long ago it passed ("5 minuten geleden"); "–" without a moment."""
    if until is None:
        return "–"
    aware = until if until.tzinfo else until.replace(tzinfo=UTC)
    return str(
        format_timedelta(
            aware - now, granularity="minute", threshold=1.5, add_direction=True, locale=babel_locale(lang)
        )
    )
