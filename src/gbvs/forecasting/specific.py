"""What is specific to one country's forecast: its driver families against the typical country, and
what changed since the previous run.

Contributions are LightGBM's TreeSHAP values on the log-odds scale, summed per driver family
(:mod:`gbvs.forecasting.explain`). Nearly every country's largest contributions come from the same
families (conflict history, population), so naming them says little. Here each contribution is set
against the *typical country*: the median contribution of that family over all countries with a
forecast for the same target and horizon in the same run. The families whose contribution differs
most from that median are what sets the country apart. With a previous run, the change of the
probability and of each family's contribution since then is given too.

Pure: frames of forecast rows in, dataclasses out, and sentences in the language of the ``gettext``
the caller passes (the messages below are in the web app's catalogues).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from statistics import median
from typing import TypeVar

import pandas as pd

from gbvs.drivers.families import family_label
from gbvs.forecasting.domain import SPACE_DIRECTIONS

TOP = 3
"""Families named per sentence (largest differences or shifts first)."""
UNNAMED = frozenset({"other"})
"""Features outside every driver family (neighbourhood, length of record): in the tables, not named in a
sentence, which speaks of the instability drivers."""
MIN_LOG_ODDS = 0.05
"""Differences and shifts smaller than this (in log-odds; the odds move by about 5%) are not named."""
T = TypeVar("T", "FamilyDifference", "FamilyShift")
Key = tuple[int, str, int]
"""(unit key, target, horizon): one forecast of a run."""


def N_(message: str) -> str:
    """Mark a message for translation (the web app's catalogues hold it)."""
    return message


RELATIVE_BOTH = N_(
    "Compared with the median country, the risk is pushed up by %(up)s and down by %(down)s "
    "(difference in contribution to the log-odds)."
)
RELATIVE_UP = N_(
    "Compared with the median country, the risk is pushed up by %(up)s "
    "(difference in contribution to the log-odds)."
)
RELATIVE_DOWN = N_(
    "Compared with the median country, the risk is pushed down by %(down)s "
    "(difference in contribution to the log-odds)."
)
RELATIVE_BOTH_OPENING = N_(
    "Compared with the median country, the chance of an opening is pushed up by %(up)s and down by %(down)s "
    "(difference in contribution to the log-odds)."
)
RELATIVE_UP_OPENING = N_(
    "Compared with the median country, the chance of an opening is pushed up by %(up)s "
    "(difference in contribution to the log-odds)."
)
RELATIVE_DOWN_OPENING = N_(
    "Compared with the median country, the chance of an opening is pushed down by %(down)s "
    "(difference in contribution to the log-odds)."
)
RELATIVE: dict[bool, tuple[str, str, str]] = {
    False: (RELATIVE_BOTH, RELATIVE_UP, RELATIVE_DOWN),
    True: (RELATIVE_BOTH_OPENING, RELATIVE_UP_OPENING, RELATIVE_DOWN_OPENING),
}
"""The sentences (both ways, up, down) by whether the target is an opening of a democratic space: a
chance the strategy hopes for, not a risk (the pages colour its level as a chance too)."""
OPENING_PREFIX = f"{SPACE_DIRECTIONS['up']}_"
RELATIVE_NONE = N_("No driver family differs from the median country by more than %(min)s in the log-odds.")
CHANGE_P = N_("Since the previous run the probability went from %(before)s to %(after)s; %(shifts)s.")
CHANGE = N_("Since the previous run: %(shifts)s.")
SHIFTS = N_("largest shifts in contribution: %(items)s")
NO_SHIFTS = N_("no driver family moved by more than %(min)s")
NOT_BEFORE = N_("The previous run had no forecast for this country.")
REGROUPED_P = N_(
    "Since the previous run the probability went from %(before)s to %(after)s; its shifts per driver are not "
    "compared, because that run filed the model's features under the drivers differently."
)
REGROUPED = N_(
    "The shifts per driver since the previous run are not compared: that run filed the model's features "
    "under the drivers differently."
)
AND = " and "
MESSAGES: tuple[str, ...] = (
    RELATIVE_BOTH, RELATIVE_UP, RELATIVE_DOWN, RELATIVE_NONE,
    RELATIVE_BOTH_OPENING, RELATIVE_UP_OPENING, RELATIVE_DOWN_OPENING,
    CHANGE_P, CHANGE, SHIFTS, NO_SHIFTS, NOT_BEFORE, REGROUPED_P, REGROUPED, AND,
)  # fmt: skip


@dataclass(frozen=True)
class FamilyDifference:
    """One family's contribution, the median country's, and the difference (all log-odds)."""

    family: str
    contribution: float
    typical: float
    difference: float


@dataclass(frozen=True)
class FamilyShift:
    """One family's contribution in the previous run and now, and the change (log-odds)."""

    family: str
    before: float
    after: float
    change: float


@dataclass(frozen=True)
class CountryExplanation:
    """What sets one forecast apart: every family against the median country (largest difference
    first) and, when the previous run forecast the same unit, target and horizon, the shifts since."""

    unit_key: int
    target: str
    horizon: int
    p: float | None
    differences: tuple[FamilyDifference, ...]
    compared_with_previous: bool = False
    """True when a previous run exists (whether or not it had this forecast)."""
    previous_p: float | None = None
    shifts: tuple[FamilyShift, ...] = ()
    """Empty when there is no previous run, it had no forecast for this unit, target and horizon, or it
    filed the features under the drivers differently (``regrouped``)."""
    regrouped: bool = False
    """True when the previous run filed the features under other driver families: its contributions per
    family are not comparable with this run's (:func:`families_fingerprint`)."""

    @property
    def in_previous(self) -> bool:
        """Whether the previous run forecast this unit, target and horizon."""
        return bool(self.shifts)


@dataclass(frozen=True)
class Wording:
    """How a sentence is written: the language's ``gettext`` and number formats."""

    gettext: Callable[[str], str]
    lang: str
    signed: Callable[[float], str]
    """A log-odds value with its sign ("+1,20")."""
    percent: Callable[[float], str]
    """A probability as a percentage ("92%")."""


def contributions(rows: pd.DataFrame) -> dict[Key, dict[str, float]]:
    """Rows with ``unit_key``, ``target``, ``horizon`` and ``families`` (a dict or its JSON text) ->
    each forecast's contribution per family; rows without contributions are left out."""
    found = {}
    for unit_key, target, horizon, families in zip(
        rows["unit_key"], rows["target"], rows["horizon"], rows["families"], strict=True
    ):
        parsed = _families(families)
        if parsed:
            found[(int(unit_key), str(target), int(horizon))] = parsed
    return found


def _families(value: object) -> dict[str, float]:
    if isinstance(value, Mapping):
        return {str(k): float(v) for k, v in value.items()}
    if isinstance(value, str) and value:
        return {str(k): float(v) for k, v in json.loads(value).items()}
    return {}


def typical_contributions(
    found: Mapping[Key, Mapping[str, float]],
) -> dict[tuple[str, int], dict[str, float]]:
    """The median country: each family's median contribution per (target, horizon) over the units of a
    run (a family a unit lacks counts 0 for it)."""
    groups: dict[tuple[str, int], list[Mapping[str, float]]] = {}
    for (_, target, horizon), families in found.items():
        groups.setdefault((target, horizon), []).append(families)
    return {
        key: {f: median(m.get(f, 0.0) for m in members) for f in sorted(set().union(*members))}
        for key, members in groups.items()
    }


FAMILIES_KEY = "families"
"""Key of :func:`families_fingerprint` in a forecast run's ``config``."""


def families_fingerprint(families: Mapping[str, str]) -> str:
    """A short hash of a feature -> driver family mapping: two runs whose fingerprints differ filed their
    features under the drivers differently, so their contributions per family cannot be compared."""
    text = json.dumps(sorted(families.items()), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def explain_countries(
    current: pd.DataFrame, previous: pd.DataFrame | None = None, *, regrouped: bool = False
) -> dict[Key, CountryExplanation]:
    """Every forecast of ``current`` (one run's rows: unit_key, target, horizon, p, families) set
    against the median country of its target and horizon, and against ``previous`` (the previous
    run's rows, or None when there is none). With ``regrouped`` (the previous run filed the features
    under other families) only the probabilities are compared. Rows without contributions are left out."""
    now = contributions(current)
    typical = typical_contributions(now)
    p_now = _probabilities(current)
    before = None if previous is None else (contributions(previous), _probabilities(previous))
    if before is not None and regrouped:
        before = ({}, before[1])
    return {
        key: CountryExplanation(
            unit_key=key[0],
            target=key[1],
            horizon=key[2],
            p=p_now.get(key),
            differences=_differences(families, typical[(key[1], key[2])]),
            compared_with_previous=before is not None,
            previous_p=before[1].get(key) if before else None,
            shifts=_shifts(families, before[0].get(key)) if before else (),
            regrouped=before is not None and regrouped,
        )
        for key, families in now.items()
    }


def _probabilities(rows: pd.DataFrame) -> dict[Key, float]:
    return {
        (int(unit_key), str(target), int(horizon)): float(p)
        for unit_key, target, horizon, p in zip(
            rows["unit_key"], rows["target"], rows["horizon"], rows["p"], strict=True
        )
        if p is not None and not pd.isna(p)
    }


def _differences(values: Mapping[str, float], medians: Mapping[str, float]) -> tuple[FamilyDifference, ...]:
    found = [
        FamilyDifference(f, values.get(f, 0.0), medians[f], values.get(f, 0.0) - medians[f]) for f in medians
    ]
    return tuple(sorted(found, key=lambda d: (-abs(d.difference), d.family)))


def _shifts(values: Mapping[str, float], old: Mapping[str, float] | None) -> tuple[FamilyShift, ...]:
    if old is None:
        return ()
    families = sorted(set(values) | set(old))
    found = [_shift(f, old.get(f, 0.0), values.get(f, 0.0)) for f in families]
    return tuple(sorted(found, key=lambda s: (-abs(s.change), s.family)))


def _shift(family: str, before: float, after: float) -> FamilyShift:
    return FamilyShift(family, before, after, after - before)


def describe(explanation: CountryExplanation, words: Wording, *, change: bool = True, top: int = TOP) -> str:
    """The explanation in words: how the country differs from the median country and, with
    ``change``, what moved since the previous run (when there is one)."""
    parts = [relative_sentence(explanation, words, top)]
    if change and explanation.compared_with_previous:
        parts.append(change_sentence(explanation, words, top))
    return " ".join(parts)


def relative_sentence(explanation: CountryExplanation, words: Wording, top: int = TOP) -> str:
    """ "Compared with the median country, the risk is pushed up by A (+1,20) and down by B (−0,40) ..."."""
    _ = words.gettext
    named = _named(explanation.differences, lambda d: d.difference, top)
    up = [_item(d.family, d.difference, words) for d in named if d.difference > 0]
    down = [_item(d.family, d.difference, words) for d in named if d.difference < 0]
    both_ways, upward, downward = RELATIVE[explanation.target.startswith(OPENING_PREFIX)]
    if up and down:
        return _(both_ways) % {"up": _join(up, words), "down": _join(down, words)}
    if up:
        return _(upward) % {"up": _join(up, words)}
    if down:
        return _(downward) % {"down": _join(down, words)}
    return _(RELATIVE_NONE) % {"min": words.signed(MIN_LOG_ODDS).lstrip("+")}


def change_sentence(explanation: CountryExplanation, words: Wording, top: int = TOP) -> str:
    """ "Since the previous run the probability went from 80% to 92%; largest shifts in contribution: ..."."""
    _ = words.gettext
    if explanation.regrouped:
        return _regrouped_sentence(explanation, words)
    if not explanation.in_previous:
        return _(NOT_BEFORE)
    moved = _named(explanation.shifts, lambda s: s.change, top)
    minimum = words.signed(MIN_LOG_ODDS).lstrip("+")
    shifts = (
        _(SHIFTS) % {"items": _join([_item(s.family, s.change, words) for s in moved], words)}
        if moved
        else _(NO_SHIFTS) % {"min": minimum}
    )
    if explanation.p is not None and explanation.previous_p is not None:
        return _(CHANGE_P) % {
            "before": words.percent(explanation.previous_p),
            "after": words.percent(explanation.p),
            "shifts": shifts,
        }
    return _(CHANGE) % {"shifts": shifts}


def _regrouped_sentence(explanation: CountryExplanation, words: Wording) -> str:
    _ = words.gettext
    if explanation.p is None or explanation.previous_p is None:
        return _(NOT_BEFORE) if explanation.previous_p is None else _(REGROUPED)
    return _(REGROUPED_P) % {
        "before": words.percent(explanation.previous_p),
        "after": words.percent(explanation.p),
    }


def _named(items: tuple[T, ...], value: Callable[[T], float], top: int) -> list[T]:
    """The ``top`` largest items (already in order) of the driver families, each at least MIN_LOG_ODDS."""
    kept = [item for item in items if item.family not in UNNAMED]
    return [item for item in kept[:top] if abs(value(item)) >= MIN_LOG_ODDS]


def _item(family: str, value: float, words: Wording) -> str:
    return f"{family_label(family, words.lang)} ({words.signed(value)})"


def _join(items: list[str], words: Wording) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + words.gettext(AND) + items[-1]
