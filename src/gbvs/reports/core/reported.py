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

    def describe(self) -> str:
        """The bounds in words ("a percentage from 0 to 100")."""
        if self.high is None:
            return f"a {self.kind} of at least {self.low:g}"
        return f"a {self.kind} from {self.low:g} to {self.high:g}"


def bounds_of(unit: str) -> Bounds:
    """The bounds of ``unit`` (the indicator's unit as stored, e.g. ``"procent gereed"``)."""
    lowered = unit.lower()
    if any(word in lowered for word in PERCENT_WORDS):
        return Bounds(0, 100, "percentage")
    if any(word in lowered for word in SHARE_WORDS):
        return Bounds(0, 1, "share")
    return Bounds(0, None, "count")


def value_problem(value: object, unit: str) -> str | None:
    """What is wrong with ``value`` for an indicator measured in ``unit`` (None: nothing)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"value {value!r} is not a number"
    if not math.isfinite(value):
        return f"value {value!r} is not a finite number"
    bounds = bounds_of(unit)
    if not bounds.allows(float(value)):
        return f"value {value:g} is outside the unit {unit!r}: it must be {bounds.describe()}"
    return None


def period_problem(period: object, this_year: int) -> str | None:
    """What is wrong with ``period`` as the year a reported value is for (None: nothing)."""
    if not isinstance(period, str) or not YEAR.match(period):
        return f"{period!r} is not a year; reported indicators are yearly: write it as YYYY, e.g. 2019"
    if not FIRST_YEAR <= int(period) <= this_year:
        return f"{period!r} is not a year from {FIRST_YEAR} to {this_year}"
    return None
