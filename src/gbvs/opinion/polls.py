"""Analysis of a read poll: weighted shares per question (overall, by group or by wave) and trends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

import numpy as np
import numpy.typing as npt
import pandas as pd

from gbvs.errors import InputError, NotFoundError, Words, said
from gbvs.opinion.estimates import (
    DIFFERENCE_METHOD,
    HOLM,
    MODEL_BASED_NOTE,
    Difference,
    Estimate,
    IntervalBasis,
    SampleKind,
    SuppressedGroup,
    basis_for,
    difference,
    holm,
    proportions,
)
from gbvs.opinion.questionnaire import Comparability, PollDefinition, Question, WaveWording
from gbvs.opinion.reader import PollData
from gbvs.opinion.weighting import Margin, RakeResult, Trim, WeightReport, rake, weight_report

WAVE = "wave"
RAKED = "_raked_weight"


DESIGN_IGNORED = (
    "weights only: strata and clusters are not used (the poll definition names none), so the intervals "
    "ignore them and are likely too narrow for a clustered sample"
)
INTERVAL_METHOD = (
    "Korn-Graubard 95% interval: Clopper-Pearson on the effective sample size from the Taylor-linearised "
    "variance (samplics)"
)


@dataclass(frozen=True)
class Provenance:
    """Where a result's figures come from and how they were computed."""

    citation: str
    licence: str
    fieldwork: str
    file: str
    sha256: str | None
    weight: str
    outside_base: tuple[str, ...]
    interval_method: str
    design: str


UNWEIGHTED = "none (every respondent 1)"
NO_ANSWER = "(no answer)"
"""Outside the base of every question: respondents who gave no answer at all (a message id, as
:data:`UNWEIGHTED`, :data:`INTERVAL_METHOD` and :data:`DESIGN_IGNORED`)."""


def _base_weight(definition: PollDefinition) -> str:
    """The definition's weight column, or that there is none."""
    return UNWEIGHTED if definition.weight is None else definition.weight


def provenance(data: PollData, question: Question) -> Provenance:
    """The source, fieldwork, weight variable, codes outside the base and the interval method."""
    definition = data.definition
    return Provenance(
        citation=definition.citation,
        licence=definition.licence,
        fieldwork=definition.fieldwork,
        file=data.path.name,
        sha256=definition.sha256,
        weight=data.weighting or _base_weight(definition),
        outside_base=(*question.missing, NO_ANSWER),
        interval_method=INTERVAL_METHOD,
        design=DESIGN_IGNORED,
    )


@dataclass(frozen=True)
class QuestionResult:
    """A question's weighted shares with the weights' report and the interval basis."""

    poll: str
    question: Question
    by: str | None
    estimates: tuple[Estimate, ...]
    suppressed: tuple[SuppressedGroup, ...]
    weights: WeightReport
    sample_kind: SampleKind
    basis: IntervalBasis
    note: str
    base: int
    provenance: Provenance
    wordings: Mapping[str, WaveWording] = field(default_factory=dict)
    """Per wave (by its label, as in ``estimates``) what it asked; empty unless broken down by wave."""


def _wordings(data: PollData, question: Question, by: str | None) -> dict[str, WaveWording]:
    """What each wave in the file asked, by the wave's label (the group its estimates carry)."""
    definition = data.definition
    if by != WAVE or definition.wave is None:
        return {}
    codes = sorted(set(data.frame[definition.wave]) - {""})
    return {definition.wave_labels.get(code, code): question.wave_wording(code) for code in codes}


def _grouping(data: PollData, by: str | None) -> pd.Series | None:
    definition = data.definition
    if by is None:
        return None
    if by == WAVE:
        if definition.wave is None:
            raise InputError(
                said(
                    "poll %(poll)s has one wave, so no breakdown by wave; ask for no breakdown or one of "
                    "%(choices)s",
                    poll=repr(definition.id),
                    choices=sorted(definition.groups),
                )
            )
        column = data.frame[definition.wave]
        return column.map(lambda code: definition.wave_labels.get(code, code))
    if by not in definition.groups:
        raise NotFoundError(
            said(
                "poll %(poll)s has no breakdown %(by)s; use one of %(choices)s or 'wave'",
                poll=repr(definition.id),
                by=repr(by),
                choices=sorted(definition.groups),
            )
        )
    return data.frame[by]


def estimate_question(
    data: PollData,
    question_id: str,
    *,
    by: str | None = None,
    weights: npt.ArrayLike | None = None,
    confidence: float = 0.95,
) -> QuestionResult:
    """Weighted shares of every answer to ``question_id`` (per ``by`` group or wave)."""
    definition = data.definition
    question = definition.question(question_id)
    answers = data.frame[question.column]
    w = (
        data.weights()
        if weights is None
        else pd.Series(np.asarray(weights, dtype=float), index=data.frame.index)
    )
    groups = _grouping(data, by)
    keep = ~answers.isin([*question.missing, ""])
    if groups is not None:
        keep &= groups != ""
    if keep.sum() < 2:
        raise InputError(
            said(
                "poll %(poll)s, question %(question)s: fewer than two answers in the base",
                poll=repr(definition.id),
                question=repr(question_id),
            )
        )
    shares = proportions(
        answers[keep].tolist(),
        w[keep].tolist(),
        kind=definition.sample_kind,
        groups=None if groups is None else groups[keep].tolist(),
        categories=[code for code in question.answers if code not in question.missing],
        confidence=confidence,
    )
    basis = basis_for(definition.sample_kind)
    note = MODEL_BASED_NOTE if basis is IntervalBasis.model else ""
    return QuestionResult(
        definition.id,
        question,
        by,
        shares.estimates,
        shares.suppressed,
        weight_report(w[keep]),
        definition.sample_kind,
        basis,
        note,
        int(keep.sum()),
        provenance(data, question),
        _wordings(data, question, by),
    )


def share(result: QuestionResult, category: str, group: str = "all") -> Estimate:
    """The estimate of answer ``category`` in ``group``."""
    for estimate in result.estimates:
        if estimate.category == category and estimate.group == group:
            return estimate
    raise InputError(
        said(
            "question %(question)s has no answer %(answer)s in group %(group)s",
            question=repr(result.question.id),
            answer=repr(category),
            group=repr(group),
        )
    )


def trend(result: QuestionResult, category: str) -> tuple[Estimate, ...]:
    """One answer's share per wave (or group), in the order of the group names."""
    return tuple(sorted((e for e in result.estimates if e.category == category), key=lambda e: e.group))


@dataclass(frozen=True)
class TrendPoint:
    """One wave's estimate with what the wave asked and whether that is comparable."""

    estimate: Estimate
    wording: WaveWording

    @property
    def comparable(self) -> Comparability:
        """The wave's comparability status."""
        return self.wording.status


@dataclass(frozen=True)
class Change:
    """From one wave to the next. ``difference`` is ``None`` when either wave is not comparable: the
    gap between them is then no change in opinion, and ``reason_nl``/``reason_en`` say why."""

    earlier: TrendPoint
    later: TrendPoint
    difference: Difference | None
    status: Comparability
    reason_nl: str
    reason_en: str

    def reason(self, language: str) -> str:
        """Why this change is not (or not known to be) comparable, in ``language``."""
        return self.reason_en if language == "en" else self.reason_nl


@dataclass(frozen=True)
class Trend:
    """One answer's share per wave and the changes between consecutive waves.

    ``comparisons`` changes were tested (those between comparable waves, and those whose comparability
    is unknown); their significance is after ``adjustment`` (Holm) over all of them.
    """

    points: tuple[TrendPoint, ...]
    changes: tuple[Change, ...]
    comparisons: int
    adjustment: str = HOLM
    difference_method: str = DIFFERENCE_METHOD


def _status(earlier: TrendPoint, later: TrendPoint) -> tuple[Comparability, str, str]:
    for wanted in (Comparability.not_comparable, Comparability.unknown):
        for point in (later, earlier):
            if point.comparable is wanted:
                group = point.estimate.group
                return wanted, f"{group}: {point.wording.reason_nl}", f"{group}: {point.wording.reason_en}"
    return Comparability.comparable, "", ""


def changes(points: Sequence[TrendPoint], confidence: float = 0.95) -> tuple[tuple[Change, ...], int]:
    """Changes between consecutive waves: Newcombe intervals, significance after Holm over the changes
    tested; a pair with a non-comparable wave is not tested. Returns the changes and how many were tested."""
    pairs = [(earlier, later, _status(earlier, later)) for earlier, later in pairwise(points)]
    tested = [
        difference(later.estimate, earlier.estimate, confidence)
        for earlier, later, (status, _, _) in pairs
        if status is not Comparability.not_comparable
    ]
    adjusted = iter(holm(tested, confidence))
    found = tuple(
        Change(
            earlier,
            later,
            None if status is Comparability.not_comparable else next(adjusted),
            status,
            reason_nl,
            reason_en,
        )
        for earlier, later, (status, reason_nl, reason_en) in pairs
    )
    return found, len(tested)


def wave_trend(result: QuestionResult, category: str, confidence: float = 0.95) -> Trend:
    """One answer's share per wave with each wave's comparability, and the changes between waves."""
    points = tuple(
        TrendPoint(e, result.wordings.get(e.group) or WaveWording(e.group)) for e in trend(result, category)
    )
    found, tested = changes(points, confidence)
    return Trend(points, found, tested)


@dataclass(frozen=True)
class Raked:
    """A poll raked to population margins: its new data, how raking ended, who was left out."""

    data: PollData
    result: RakeResult
    dropped: int


def _not_converged(result: RakeResult, variables: Sequence[str], trim: Trim | None) -> Words:
    values = {
        "variables": list(variables),
        "iterations": result.iterations,
        "error": f"{result.max_margin_error:.4f}",
        "low": f"{result.weights.min():.3f}",
        "high": f"{result.weights.max():.3f}",
    }
    if trim is None:
        return said(
            "raking on %(variables)s did not converge after %(iterations)s iterations: the largest margin "
            "error is %(error)s (weights %(low)s-%(high)s × mean); no estimate is given with these weights: "
            "rake on fewer variables or merge sparse categories",
            **values,
        )
    return said(
        "raking on %(variables)s did not converge within the trim bounds %(lower)s-%(upper)s × mean after "
        "%(iterations)s iterations: the largest margin error is %(error)s (weights %(low)s-%(high)s × "
        "mean); no estimate is given with these weights: widen the trim bounds (e.g. 0.3 and 3) or rake on "
        "fewer variables",
        **values,
        lower=trim.lower,
        upper=trim.upper,
    )


def raked_weighting(
    definition: PollDefinition, source: str, variables: Sequence[str], trim: Trim | None, dropped: int
) -> str:
    """The provenance of raked weights: base weight, the margins' source, the variables, trimming and
    the respondents left out."""
    bounds = "" if trim is None else f", trimmed to {trim.lower:g}-{trim.upper:g} × mean"
    return (
        f"{_base_weight(definition)} raked to {source} on {', '.join(variables)}{bounds}; "
        f"{dropped} respondents without a category in the margins left out"
    )


def rake_poll(
    data: PollData,
    margins: Mapping[str, Mapping[object, float]],
    variables: Sequence[str],
    trim: Trim | None = None,
    *,
    source: str,
) -> Raked:
    """Rake the poll's (base) weights to ``margins`` (from ``source``: its citation, with vintage) on
    ``variables``; respondents with a category the margins lack (e.g. "DK/Ref") are left out and
    counted in ``dropped``. Raking that does not converge (margins or trim bounds not met) is refused:
    its weights match neither. The raked data's provenance names the base weight, ``source`` and
    ``variables``."""
    absent = [v for v in variables if v not in margins or v not in data.frame.columns]
    if absent:
        raise InputError(
            said(
                "cannot rake on %(absent)s: each needs a column in the poll and a margin (%(margins)s)",
                absent=absent,
                margins=sorted(margins),
            )
        )
    keep = np.ones(len(data.frame), dtype=bool)
    for variable in variables:
        keep &= data.frame[variable].isin(list(margins[variable])).to_numpy()
    frame = data.frame[keep].reset_index(drop=True)
    result = rake(
        [Margin(v, frame[v].tolist(), margins[v]) for v in variables],
        data.weights()[keep].to_numpy(),
        trim=trim,
    )
    if not result.converged:
        raise InputError(_not_converged(result, variables, trim))
    frame[RAKED] = result.weights
    dropped = int((~keep).sum())
    weighting = raked_weighting(data.definition, source, variables, trim, dropped)
    definition = replace(data.definition, weight=RAKED)
    return Raked(PollData(definition, frame, data.path, weighting), result, dropped)
