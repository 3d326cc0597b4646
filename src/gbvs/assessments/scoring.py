"""The scoring maths: analysts' class scores -> medians and ranges -> impact per interest and in
total under a weight set -> ranks. Pure functions over plain values.

- A :class:`Sheet` is one analyst's scores for one scenario: a class code per criterion and one
  likelihood class.
- :func:`consensus` turns the sheets of a scenario into the median class value per criterion
  (and for likelihood) with the range (lowest and highest analyst) kept.
- :func:`impact` is the weighted sum (NRB 2009, W2009-NL §5.4.2): with weights normalised to sum 1,
  ``total = sum(w_c * v_c)``; the score of an interest is the part of the total its criteria
  contribute, so the interests add up to the total.
- :func:`ranks` ranks scenarios by total impact, highest first; ties share the better rank (1, 2, 2, 4).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median

from gbvs.assessments.model import LIKELIHOOD, Method, Scale, ScenarioKind, WeightSet
from gbvs.errors import NONE, InputError, Term, Words, said

TIE_TOLERANCE = 1e-9


class SheetError(InputError, ValueError):
    """A sheet that does not fit its method: a criterion or class missing, unknown or invalid (a
    ValueError of the scoring maths, and wrong input with its words for the one who scored)."""


@dataclass(frozen=True)
class Sheet:
    """One analyst's scores for one scenario (class codes)."""

    analyst: str
    likelihood: str
    impact: Mapping[str, str]


@dataclass(frozen=True)
class Spread:
    """The median of the analysts' class values and their range."""

    median: float
    low: float
    high: float
    count: int

    @property
    def width(self) -> float:
        """high - low: 0 when the analysts agree."""
        return self.high - self.low


@dataclass(frozen=True)
class Consensus:
    """A scenario's final values: a spread per criterion and for likelihood."""

    impact: Mapping[str, Spread]
    likelihood: Spread

    def medians(self) -> dict[str, float]:
        """The median value per criterion."""
        return {criterion: spread.median for criterion, spread in self.impact.items()}


@dataclass(frozen=True)
class Impact:
    """Impact under one weight set: the contribution of each interest and the total."""

    weight_set: str
    per_interest: Mapping[str, float]
    total: float


def spread(values: Sequence[float]) -> Spread:
    """Median, lowest and highest of ``values`` (at least one)."""
    if not values:
        raise ValueError("no scores to combine; at least one analyst must have scored")
    return Spread(float(median(values)), float(min(values)), float(max(values)), len(values))


def sheet_values(method: Method, kind: ScenarioKind, sheet: Sheet) -> tuple[dict[str, float], float]:
    """The class values of one sheet: per criterion, and the likelihood."""
    check_sheet(method, kind, sheet)
    scale = method.impact_scale
    values = {criterion: scale.code_of(sheet.impact[criterion]).value for criterion in method.criterion_ids()}
    return values, method.likelihood_scale(kind).code_of(sheet.likelihood).value


def check_sheet(method: Method, kind: ScenarioKind, sheet: Sheet) -> None:
    """Raise :class:`SheetError` naming the first criterion or class that is missing, unknown or invalid."""
    criteria = set(method.criterion_ids())
    missing = sorted(criteria - set(sheet.impact))
    unknown = sorted(set(sheet.impact) - criteria)
    if missing or unknown:
        raise SheetError(_criteria_refusal(method, sheet.analyst, missing, unknown))
    for criterion in method.criterion_ids():
        _check_class(method.impact_scale, sheet.impact[criterion], criterion)
    _check_class(method.likelihood_scale(kind), sheet.likelihood, LIKELIHOOD)


def _criteria_refusal(method: Method, analyst: str, missing: list[str], unknown: list[str]) -> Words:
    """The criteria a sheet lacks and those it has that the method does not; a part with none is left out."""
    values = {
        "analyst": analyst,
        "missing": _listed(missing),
        "unknown": _listed(unknown),
        "criteria": _listed(sorted(method.criterion_ids())),
        "method": method.id,
    }
    if not unknown:
        return said(
            "scores of '%(analyst)s': missing criteria %(missing)s; score exactly the criteria %(criteria)s "
            "of method '%(method)s'",
            **values,
        )
    if not missing:
        return said(
            "scores of '%(analyst)s': unknown criteria %(unknown)s; score exactly the criteria %(criteria)s "
            "of method '%(method)s'",
            **values,
        )
    return said(
        "scores of '%(analyst)s': missing criteria %(missing)s, unknown criteria %(unknown)s; "
        "score exactly the criteria %(criteria)s of method '%(method)s'",
        **values,
    )


def _listed(codes: Sequence[str]) -> str:
    """Codes as a reader writes them ("1.1, 1.2"), or "none" (translated on a page), never a Python list."""
    return ", ".join(codes) or Term(NONE)


def _check_class(scale: Scale, code: str, criterion: str) -> None:
    if code in scale.codes():
        return
    values = {"code": code, "scale": scale.id, "codes": _listed(scale.codes())}
    if criterion == LIKELIHOOD:
        raise SheetError(
            said("likelihood: class '%(code)s' is not on scale '%(scale)s'; use one of %(codes)s", **values)
        )
    raise SheetError(
        said(
            "criterion %(criterion)s: class '%(code)s' is not on scale '%(scale)s'; use one of %(codes)s",
            criterion=criterion,
            **values,
        )
    )


def consensus(method: Method, kind: ScenarioKind, sheets: Sequence[Sheet]) -> Consensus:
    """Median and range per criterion and for likelihood over the analysts' sheets."""
    values = [sheet_values(method, kind, sheet) for sheet in sheets]
    impact = {
        criterion: spread([criteria[criterion] for criteria, _ in values])
        for criterion in method.criterion_ids()
    }
    return Consensus(impact, spread([likelihood for _, likelihood in values]))


def impact(method: Method, weight_set: WeightSet, values: Mapping[str, float]) -> Impact:
    """The weighted sum of criterion ``values`` under ``weight_set``, split by interest."""
    weights = weight_set.normalised()
    per_interest = {interest.id: 0.0 for interest in method.interests}
    for criterion in method.criteria:
        per_interest[criterion.interest] += weights[criterion.id] * values[criterion.id]
    return Impact(weight_set.id, per_interest, sum(per_interest.values()))


def ranks(totals: Mapping[str, float]) -> dict[str, int]:
    """Rank per key, highest total first; ties (within TIE_TOLERANCE) share the better rank."""
    ascending = sorted(totals.values())
    return {
        key: 1 + len(ascending) - bisect_right(ascending, total + TIE_TOLERANCE)
        for key, total in totals.items()
    }


def ranks_per_weight_set(
    method: Method, medians: Mapping[str, Mapping[str, float]]
) -> dict[str, dict[str, int]]:
    """Weight set id -> scenario -> rank, from each scenario's median criterion values."""
    return {
        weight_set.id: ranks(
            {key: impact(method, weight_set, values).total for key, values in medians.items()}
        )
        for weight_set in method.weight_sets
    }
