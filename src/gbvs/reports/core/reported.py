"""The rules a reported value must meet (pure): one checks a value when it is entered and when a report
is computed, so a row stored by an older version that breaks them is left out with a footnote.

- the value is a finite number, within the bounds its indicator's unit allows: a percentage 0-100, a
  share 0-1, anything else (programmes, persons, days, milestones) a count of at least 0;
- the period is a year (``YYYY``: reported indicators are yearly), from 1946 to this year.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from gbvs.errors import Term, Words, said

YEAR = re.compile(r"^\d{4}$")
FIRST_YEAR = 1946
PERCENT_WORDS = ("procent", "percent", "%")
SHARE_WORDS = ("aandeel", "fractie", "share", "fraction")


@dataclass(frozen=True)
class Bounds:
    """The values a unit allows: ``low`` to ``high`` (None: no upper bound), and what the unit is."""

    low: float
    high: float | None
    kind: str

    def allows(self, value: float) -> bool:
        """Whether ``value`` lies within the bounds."""
        return self.low <= value and (self.high is None or value <= self.high)


def bounds_of(unit: str) -> Bounds:
    """The bounds of ``unit`` (the indicator's unit as stored, e.g. ``"procent gereed"``)."""
    lowered = unit.lower()
    if any(word in lowered for word in PERCENT_WORDS):
        return Bounds(0, 100, "percentage")
    if any(word in lowered for word in SHARE_WORDS):
        return Bounds(0, 1, "share")
    return Bounds(0, None, "count")


def value_problem(value: object, unit: str) -> Words | None:
    """What is wrong with ``value`` for an indicator measured in ``unit``, in words (None: nothing)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return said("value %(value)s is not a number", value=repr(value))
    if not math.isfinite(value):
        return said("value %(value)s is not a finite number", value=repr(value))
    bounds = bounds_of(unit)
    if bounds.allows(float(value)):
        return None
    values = {"value": f"{value:g}", "unit": repr(unit), "kind": Term(bounds.kind), "low": f"{bounds.low:g}"}
    if bounds.high is None:
        return said(
            "value %(value)s is outside the unit %(unit)s: it must be a %(kind)s of at least %(low)s",
            **values,
        )
    return said(
        "value %(value)s is outside the unit %(unit)s: it must be a %(kind)s from %(low)s to %(high)s",
        **values,
        high=f"{bounds.high:g}",
    )


def period_problem(period: object, this_year: int) -> Words | None:
    """What is wrong with ``period`` as the year a reported value is for, in words (None: nothing)."""
    if not isinstance(period, str) or not YEAR.match(period):
        return said(
            "%(period)s is not a year; reported indicators are yearly: write it as YYYY, e.g. 2019",
            period=repr(period),
        )
    if not FIRST_YEAR <= int(period) <= this_year:
        return said(
            "%(period)s is not a year from %(first)s to %(last)s",
            period=repr(period),
            first=FIRST_YEAR,
            last=this_year,
        )
    return None
