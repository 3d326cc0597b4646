"""Issue 11's accuracy goals and how a backtest is judged against them.

A goal is met or not on its figure (the main model's score, the mean over the seeds). Where the report
also has the figure's 95% interval from resampling countries and forecast years
(:mod:`gbvs.forecasting.uncertainty`), the goal says whether the interval lies wholly on one side of the
line (``sampling``: "met" or "missed") or straddles it ("undecided": more test years would be needed to
tell). For a goal against a baseline the
interval is that of the difference main model − baseline on the same rows.

A goal also says what its verdict rests on most (``rests_on``): of the figures scored without one
country, the one nearest the other side of the line (or furthest over it), and likewise without one
forecast year. A goal whose verdict turns when one country or one year is left out rests on that country
or year, whatever its interval says.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from gbvs.countries import name_of_gwcode
from gbvs.forecasting.backtest import MAIN_MODEL
from gbvs.forecasting.domain import SPACE_DIRECTIONS
from gbvs.forecasting.metrics import COVERAGE_BANDS
from gbvs.forecasting.uncertainty import RESAMPLED, Interval, LeftOut

Bound = float | str | tuple[float, float]
_TARGET = re.compile(r"(>=|<=) (\d+(?:\.\d+)?)")
_TARGET_AGAINST_MODEL = re.compile(r"(<|<=|>=) (\w+) \((\d+(?:\.\d+)?)\)")
_TARGET_RANGE = re.compile(r"in (\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class GoalSpec:
    """One goal of the issues (issue 11): the main model's ``metric`` for ``target`` at ``horizon`` on
    ``subset``, compared by ``op`` with a number, a baseline's figure on the same rows (``bound`` names
    the model), or a range (``op`` "within", ``bound`` = (low, high))."""

    target: str
    horizon: int
    subset: str
    metric: str
    op: str
    bound: Bound

    @property
    def label(self) -> str:
        """The goal as the report names it, e.g. ``"incidence h1, onset subset: ap"``."""
        rows = "onset subset" if self.subset == "onset" else "all rows"
        against = f" vs {self.bound}" if isinstance(self.bound, str) else ""
        return f"{self.target} h{self.horizon}, {rows}: {self.metric}{against}"


@dataclass(frozen=True)
class SpaceGoal:
    """A goal for democratic closing (``direction`` "down") or opening ("up"), the six spaces pooled, on
    the country-years DemSpaces v14 also forecast."""

    direction: str
    metric: str
    op: str
    bound: float

    @property
    def label(self) -> str:
        """E.g. ``"closing (pooled 6 spaces): ap"``."""
        return f"{SPACE_DIRECTIONS[self.direction]} (pooled 6 spaces): {self.metric}"


GOALS: tuple[GoalSpec, ...] = (
    GoalSpec("incidence", 1, "all", "ap", ">=", 0.92),
    GoalSpec("incidence", 1, "all", "brier", "<=", 0.039),
    GoalSpec("incidence", 1, "onset", "ap", ">=", 0.30),
    GoalSpec("incidence", 1, "onset", "roc_auc", ">=", 0.90),
    GoalSpec("incidence", 2, "all", "ap", ">=", 0.868),
    GoalSpec("incidence", 3, "all", "ap", ">=", 0.838),
    GoalSpec("battle_deaths", 1, "all", "crps", "<", "persistence"),
    GoalSpec("battle_deaths", 1, "all", "crps", "<", "conflictology"),
    GoalSpec("battle_deaths", 1, "all", "msle", "<", "persistence"),
    GoalSpec("battle_deaths", 1, "all", "pit50", "within", COVERAGE_BANDS[0.5]),
    GoalSpec("battle_deaths", 1, "all", "pit90", "within", COVERAGE_BANDS[0.9]),
)
"""Issue 11's goals for the conflict targets (points 3 and 4), judged on the mean over the seeds."""

SPACE_GOALS: tuple[SpaceGoal, ...] = (
    SpaceGoal("down", "ap", ">=", 0.62),
    SpaceGoal("down", "roc_auc", ">=", 0.90),
    SpaceGoal("up", "ap", ">=", 0.57),
    SpaceGoal("up", "roc_auc", ">=", 0.89),
)
"""Issue 11's goals for democratic closing (down) and opening (up), pooled over the six spaces (point 2)."""

HISTORY_BASELINE = "history_logit"
"""The baseline the issue's reference figures come from: a logistic regression on conflict history."""
COMPARISONS: tuple[GoalSpec, ...] = tuple(
    GoalSpec(spec.target, spec.horizon, spec.subset, spec.metric, spec.op, HISTORY_BASELINE)
    for spec in GOALS
    if isinstance(spec.bound, float) and spec.target == "incidence"
)
"""Each threshold goal of the conflict classifiers (point 3) as a paired comparison with the
conflict-history baseline on the same rows: does the model add anything to what conflict history alone
foresees, beyond what the test years can tell? Judged as a goal against a baseline is."""
COMPARISON_NOTE = (
    "Does the model add anything to what conflict history alone foresees? Each threshold goal of the "
    "conflict forecasts is compared on the same rows with a logistic regression on conflict history alone, "
    "with the 95% interval of the difference drawn as the goals' intervals are; met where the whole "
    "interval lies on the model's better side."
)
"""What the comparisons are, for the report, the page and the model card."""

SAMPLING_VERDICTS = ("met", "missed", "undecided")
"""Where a goal's 95% interval lies: wholly on the met side, wholly on the other, or across the line."""

# What readers see of the verdicts and intervals, the same words on /modelprestaties and in the model
# card (English message ids; locale/*/LC_MESSAGES/uncertainty.po translates them).
SAMPLING_NAMES: dict[str, str] = {
    "met": "met, also at both ends of the interval",
    "missed": "missed, also at both ends of the interval",
    "undecided": "undecided: the interval crosses the line",
}
"""Each of :data:`SAMPLING_VERDICTS` in words."""
DIFFERENCE = "difference %(interval)s"
"""The interval of a goal against a baseline, which is that of the difference to it."""
INTERVAL_EXPLANATIONS: dict[bool, str] = {
    True: "How sure is a figure? The %(level)s interval comes from scoring the backtest again on "
    "%(resamples)s samples that draw the countries and, separately, the forecast years with replacement; a "
    "country-year counts as often as its country and its year were drawn together. For a goal against a "
    "baseline it is the interval of the difference with that baseline on the same rows. Where the interval "
    "crosses the goal's line, the test cannot tell whether the model meets the goal. The interval shows how "
    "much the figure owes to the countries and years that happened to be in the test, not a trend beyond "
    "the test years.",
    False: "How sure is a figure? The %(level)s interval comes from scoring the backtest again on "
    "%(resamples)s samples of the countries, drawn with replacement, each with all its years. For a goal "
    "against a baseline it is the interval of the difference with that baseline on the same rows. Where the "
    "interval crosses the goal's line, the test years cannot tell whether the model meets the goal. The "
    "interval shows which countries happened to be in the test, not how the future will differ from the "
    "test years.",
}
"""How a report's intervals were drawn, by whether the forecast years were drawn too (reports before
that drew the countries only)."""


LEAVE_OUT_VERDICTS: dict[tuple[bool, bool], str] = {
    (True, True): "still met",
    (True, False): "no longer met",
    (False, False): "still missed",
    (False, True): "met without it",
}
"""A goal's verdict without one country or year, by (met with it, met without it)."""
LEFT_OUT_WORDS: dict[str, str] = {
    "country": "without %(name)s",
    "origin": "without the forecasts made in %(year)s",
}
"""What was left out, by :data:`~gbvs.forecasting.uncertainty.RESAMPLED` factor."""
REST_EXPLANATION = (
    "What does a verdict rest on? Each figure is scored again without each country, and without the "
    "forecasts made in each year, one at a time; the table gives the country and the year that bring the "
    "figure nearest to the other side of the goal's line (for a missed goal: nearest to meeting it). Where "
    "the verdict turns, the goal rests on that one country or year."
)
"""How ``rests_on`` is chosen, for the page and the model card."""


def left_out_words(rest: dict[str, Any], lang: str = "en", words: str | None = None) -> str:
    """What a ``rests_on`` entry left out, in words ("without Ethiopia", "without the forecasts made
    in 2022"); ``words``: the template of :data:`~gbvs.forecasting.goals.LEFT_OUT_WORDS` in ``lang``."""
    template = words or LEFT_OUT_WORDS[str(rest["left_out"])]
    unit = int(rest["unit"])
    name = (name_of_gwcode(unit, lang) or str(unit)) if rest["left_out"] == "country" else str(unit)
    return template % {"name": name, "year": unit}


BLOCK_EXPLANATION = (
    "A democratic space's outcome window spans %(years)s years, so an opening or closing in one year is the "
    "outcome of forecasts made in %(years)s different years; for the spaces the forecast years are drawn in "
    "runs of %(years)s consecutive years, so that those forecasts are drawn together."
)
"""Said where a report's ``interval_method`` has ``space_origin_block`` (reports before it drew each year
on its own)."""


def figure_digits(value: float) -> int:
    """Decimals a backtest figure is shown with: three, four below 0.1 (a Brier score of 0.0387 against a
    goal of 0.039 would otherwise read 0.039)."""
    return 4 if abs(value) < 0.1 else 3


def drew_years(interval_method: dict[str, Any]) -> bool:
    """Whether a report's intervals drew the forecast years too (its ``interval_method``)."""
    resampled = interval_method.get("resampled", "country")
    return isinstance(resampled, list) and "origin" in resampled


def goal_rows(
    scores: pd.DataFrame,
    demspaces: pd.DataFrame,
    intervals: dict[str, Interval] | None = None,
    left_out: dict[str, list[LeftOut]] | None = None,
) -> list[dict[str, Any]]:
    """Each goal of the issue with the main model's figure and whether it is met (goals whose target is
    not in this backtest are left out); with ``intervals`` (by goal label) also the figure's interval
    and where it lies, with ``left_out`` (by goal label) what its verdict rests on most."""
    found, without = intervals or {}, left_out or {}
    rows = [
        row
        for spec in GOALS
        if (row := _conflict_goal(scores, spec, found.get(spec.label), without.get(spec.label)))
    ]
    if not demspaces.empty:
        for goal in SPACE_GOALS:
            hit = demspaces[(demspaces["model"] == MAIN_MODEL) & (demspaces["direction"] == goal.direction)]
            if len(hit):
                value = float(hit[f"{goal.metric}_mean"].iloc[0])
                shown = f"{goal.op} {goal.bound}"
                judged = Judged(goal.op, goal.bound, found.get(goal.label), without.get(goal.label))
                rows.append(_goal(goal.label, value, shown, judged))
    return rows


def comparison_rows(
    scores: pd.DataFrame,
    intervals: dict[str, Interval] | None = None,
    left_out: dict[str, list[LeftOut]] | None = None,
) -> list[dict[str, Any]]:
    """Each of :data:`COMPARISONS` as a goal row (:func:`goal_rows`), where both models were scored."""
    found, without = intervals or {}, left_out or {}
    return [
        row
        for spec in COMPARISONS
        if (row := _conflict_goal(scores, spec, found.get(spec.label), without.get(spec.label)))
    ]


def rests_on(
    left_out: list[LeftOut], op: str, line: float | tuple[float, float], met: bool, of: str = "value"
) -> list[dict[str, Any]]:
    """Per factor (a country, a forecast year) the leave-one-out figure that brings a goal nearest to
    the other side of its ``op line`` (for a met goal the least margin, for a missed one the most), with
    whether it meets the goal: ``{"left_out", "unit", "value", "value_of", "met"}`` (``value_of``
    "difference" where the figure is the difference to a baseline, judged against 0)."""
    found = []
    for factor in RESAMPLED:
        candidates = [one for one in left_out if one.factor == factor and not math.isnan(one.value)]
        if not candidates:
            continue
        pick = min if met else max
        chosen = pick(candidates, key=lambda one: margin(one.value, op, line))
        found.append(
            {
                "left_out": factor,
                "unit": chosen.cluster,
                "value": chosen.value,
                "value_of": of,
                "met": meets(chosen.value, op, line),
            }
        )
    return found


def margin(value: float, op: str, bound: float | tuple[float, float]) -> float:
    """How far ``value`` lies on the met side of ``op bound`` (negative: on the missed side)."""
    if isinstance(bound, tuple):
        return min(value - bound[0], bound[1] - value)
    return value - bound if op == ">=" else bound - value


def figure(scores: pd.DataFrame, model: str, spec: GoalSpec) -> float | None:
    """``model``'s figure for the goal's target, horizon, subset and metric (None if not scored)."""
    hit = scores[
        (scores["model"] == model)
        & (scores["target"] == spec.target)
        & (scores["horizon"] == spec.horizon)
        & (scores["subset"] == spec.subset)
    ]
    column = f"{spec.metric}_mean"
    if hit.empty or column not in hit.columns:
        return None
    return float(hit[column].iloc[0])


@dataclass(frozen=True)
class Judged:
    """How a goal's figure is judged: ``op bound``, and from a full backtest the figure's interval and
    its leave-one-out figures; for a goal against a baseline (``difference``) the interval and the
    leave-one-out figures are of the difference, judged against 0."""

    op: str
    bound: float | tuple[float, float]
    interval: Interval | None = None
    left_out: list[LeftOut] | None = None
    difference: bool = False


def _conflict_goal(
    scores: pd.DataFrame, spec: GoalSpec, interval: Interval | None, left_out: list[LeftOut] | None
) -> dict[str, Any] | None:
    value = figure(scores, MAIN_MODEL, spec)
    if value is None:
        return None
    if isinstance(spec.bound, tuple):
        low, high = spec.bound
        return _goal(
            spec.label, value, f"in {low:g}-{high:g}", Judged(spec.op, spec.bound, interval, left_out)
        )
    if isinstance(spec.bound, str):
        baseline = figure(scores, spec.bound, spec)
        if baseline is None:
            return None
        shown = f"{spec.op} {spec.bound} ({baseline:.4g})"
        row = _goal(spec.label, value, shown, Judged(spec.op, baseline, interval, left_out, difference=True))
        return row | {"baseline": spec.bound, "baseline_value": baseline, "difference": value - baseline}
    return _goal(
        spec.label, value, f"{spec.op} {spec.bound:g}", Judged(spec.op, spec.bound, interval, left_out)
    )


def _goal(label: str, value: float, shown: str, judged: Judged) -> dict[str, Any]:
    met = bool(meets(value, judged.op, judged.bound))
    row: dict[str, Any] = {"goal": label, "value": value, "target": shown, "met": met}
    line: float | tuple[float, float] = 0.0 if judged.difference else judged.bound
    if judged.interval is not None:
        row |= {
            "interval_of": "difference" if judged.difference else "value",
            "low": judged.interval.low,
            "high": judged.interval.high,
            "sampling": sampling_verdict(judged.interval, judged.op, line),
        }
    if judged.left_out:
        of = "difference" if judged.difference else "value"
        row["rests_on"] = rests_on(judged.left_out, judged.op, line, met, of)
    return row


def meets(value: float, op: str, bound: float | tuple[float, float]) -> bool:
    """Whether ``value`` meets the goal ``op bound`` (NaN never does)."""
    if math.isnan(value):
        return False
    if isinstance(bound, tuple):
        return bound[0] <= value <= bound[1]
    return {">=": value >= bound, "<=": value <= bound, "<": value < bound}[op]


def sampling_verdict(interval: Interval, op: str, bound: float | tuple[float, float]) -> str:
    """ "met" if every value in ``interval`` meets ``op bound``, "missed" if none does, else "undecided"."""
    if math.isnan(interval.low) or math.isnan(interval.high):
        return "undecided"
    ends = (meets(interval.low, op, bound), meets(interval.high, op, bound))
    if isinstance(bound, tuple):
        if all(ends):
            return "met"
        return "missed" if interval.high < bound[0] or interval.low > bound[1] else "undecided"
    return "met" if all(ends) else "missed" if not any(ends) else "undecided"


def goal_target(target: str, number: Callable[[float], str]) -> str:
    """A goal's stored threshold (``">= 0.9"``, ``"< persistence (385.9)"``, ``">= history_logit
    (0.8494)"``, ``"in 0.45-0.55"``, as :func:`_conflict_goal` writes them) with proper signs and the
    reader's notation of numbers (``number``); a baseline's figure is shown, its name is in the goal."""
    text = target.strip()
    if found := _TARGET.fullmatch(text):
        return f"{'≥' if found.group(1) == '>=' else '≤'} {number(float(found.group(2)))}"
    if found := _TARGET_AGAINST_MODEL.fullmatch(text):
        sign = {"<": "<", "<=": "≤", ">=": "≥"}[found.group(1)]
        return f"{sign} {number(float(found.group(3)))}"
    if found := _TARGET_RANGE.fullmatch(text):
        return f"{number(float(found.group(1)))}–{number(float(found.group(2)))}"
    return target
