"""The whole analysis of a set of scored scenarios under one method, as one value for the edges.

:func:`analyse` takes each scenario's final sheets (the analysts' current scores of its last closed
round) and returns the consensus (median and range per criterion and likelihood), the impact per
interest and in total and the rank under every weight set, both sensitivity analyses and the risk
diagram's points. Pure: the records come from :mod:`gbvs.db.services.assessments`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gbvs.assessments.diagram import DiagramPoint, diagram_points
from gbvs.assessments.model import Method, ScenarioKind
from gbvs.assessments.scoring import Consensus, Impact, Sheet, consensus, impact, ranks_per_weight_set
from gbvs.assessments.sensitivity import (
    DEFAULT_ITERATIONS,
    Stability,
    one_class_stability,
    resample_stability,
)


@dataclass(frozen=True)
class ScoredScenario:
    """A scenario's final sheets, as the analysis needs them (``number`` labels it in the diagram)."""

    number: int
    key: str
    label: str
    threat: int | None
    kind: ScenarioKind
    sheets: Sequence[Sheet]
    consensus: Consensus | None = None
    """The sheets' consensus when the caller has computed it already (the database service checks
    each round's sheets against the method that way); :func:`analyse` computes it otherwise."""


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's outcome: consensus, impact and rank per weight set."""

    key: str
    label: str
    threat: int | None
    analysts: int
    consensus: Consensus
    impacts: Mapping[str, Impact]
    ranks: Mapping[str, int]


@dataclass(frozen=True)
class Results:
    """Everything the results page, API and CLI show (per weight set where it depends on one)."""

    method: Method
    scenarios: tuple[ScenarioResult, ...]
    resampled: Mapping[str, Mapping[str, Stability]]
    one_class: Mapping[str, Mapping[str, Stability]]
    points: Mapping[str, Sequence[DiagramPoint]]
    iterations: int
    seed: int


def analyse(
    method: Method, scenarios: Sequence[ScoredScenario], iterations: int = DEFAULT_ITERATIONS, seed: int = 0
) -> Results:
    """Consensus, impacts, ranks, sensitivity and diagram points of ``scenarios`` (each with sheets)."""
    unscored = [scenario.key for scenario in scenarios if not scenario.sheets]
    if unscored:
        raise ValueError(
            f"scenarios without scores cannot be analysed: {unscored}; close a scored round first"
        )
    agreed = {
        s.key: s.consensus if s.consensus is not None else consensus(method, s.kind, s.sheets)
        for s in scenarios
    }
    medians = {key: result.medians() for key, result in agreed.items()}
    ranks = ranks_per_weight_set(method, medians)
    sheets = {s.key: (s.kind, s.sheets) for s in scenarios}
    rows = [(s.number, s.key, s.label, s.threat, s.kind, s.sheets) for s in scenarios]
    return Results(
        method=method,
        scenarios=tuple(
            ScenarioResult(
                s.key,
                s.label,
                s.threat,
                len(s.sheets),
                agreed[s.key],
                {ws.id: impact(method, ws, medians[s.key]) for ws in method.weight_sets},
                {ws.id: ranks[ws.id][s.key] for ws in method.weight_sets},
            )
            for s in scenarios
        ),
        resampled={
            ws.id: resample_stability(method, ws, sheets, iterations, seed) for ws in method.weight_sets
        },
        one_class={ws.id: one_class_stability(method, ws, medians) for ws in method.weight_sets},
        points={ws.id: diagram_points(method, ws, rows) for ws in method.weight_sets},
        iterations=iterations,
        seed=seed,
    )
