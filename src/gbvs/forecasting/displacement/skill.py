"""The displacement backtest's skill beside the forecasts (pure): the main model against each baseline.

A displacement backtest (``gbvs displacement backtest``) keeps its scores in the forecasts file as a
run of kind ``backtest`` (:func:`gbvs.forecasting.displacement.service.store_backtest`), as the
conflict backtest does; :func:`from_document` reads that document back into, per target and horizon,
the main model's CRPS beside each baseline's, with the rows, forecast years and model version, so the
ranking, the country section, the API and the CLI can say where the forecasts lose.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from gbvs.forecasting.displacement.backtest import MAIN_MODEL

BASELINES: tuple[str, ...] = ("last_value", "last_value_spread", "trend", "history")
"""The baselines the main model is compared with, in the report's order."""
BASELINE_NAMES: dict[str, str] = {
    "last_value": "last year's value",
    "last_value_spread": "last year's value times past changes",
    "trend": "the short trend",
    "history": "LightGBM on displacement history alone",
}


@dataclass(frozen=True)
class Comparison:
    """The main model's CRPS against one baseline's on the same rows (``change``: model / baseline - 1,
    negative where the model is better)."""

    baseline: str
    baseline_crps: float
    change: float

    @property
    def better(self) -> bool:
        """Whether the model's CRPS is lower than the baseline's."""
        return self.change < 0


@dataclass(frozen=True)
class TargetSkill:
    """The main model's backtest scores for one target and horizon, and its comparisons."""

    target: str
    horizon: int
    n: int
    crps: float
    coverage50: float | None
    coverage90: float | None
    comparisons: tuple[Comparison, ...]

    @property
    def worst_loss(self) -> Comparison | None:
        """The baseline the model loses to by the most (None: it beats every baseline)."""
        losses = [c for c in self.comparisons if not c.better]
        return max(losses, key=lambda c: c.change) if losses else None


@dataclass(frozen=True)
class BacktestSkill:
    """A stored displacement backtest: forecast years, seeds, model version and the skill per target."""

    first: int
    last: int
    seeds: int
    quick: bool
    model_version: str
    targets: tuple[TargetSkill, ...]

    def for_horizon(self, horizon: int) -> list[TargetSkill]:
        """The targets' skill at one horizon."""
        return [t for t in self.targets if t.horizon == horizon]


def _number(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def target_skill(scores: list[dict[str, Any]], model: str = MAIN_MODEL) -> list[TargetSkill]:
    """Per target and horizon of ``scores`` (the backtest's score table as records): ``model`` against
    every baseline scored on the same target and horizon."""
    found: list[TargetSkill] = []
    keys = dict.fromkeys((str(r["target"]), int(r["horizon"])) for r in scores)
    for target, horizon in keys:
        rows = {str(r["model"]): r for r in scores if r["target"] == target and int(r["horizon"]) == horizon}
        main = rows.get(model)
        if main is None or not main.get("crps"):
            continue
        comparisons = tuple(
            Comparison(name, float(rows[name]["crps"]), float(main["crps"]) / float(rows[name]["crps"]) - 1)
            for name in BASELINES
            if name in rows and rows[name].get("crps")
        )
        found.append(
            TargetSkill(
                target=target,
                horizon=horizon,
                n=int(main["n"]),
                crps=float(main["crps"]),
                coverage50=_number(main.get("coverage50")),
                coverage90=_number(main.get("coverage90")),
                comparisons=comparisons,
            )
        )
    return found


def from_document(document: dict[str, Any]) -> BacktestSkill:
    """The skill of a stored backtest document (``scores``, ``facts`` and ``quick``, as written by
    :func:`gbvs.forecasting.displacement.service.store_backtest`)."""
    facts = document["facts"]
    return BacktestSkill(
        first=int(facts["first"]),
        last=int(facts["last"]),
        seeds=int(facts["seeds"]),
        quick=bool(document.get("quick", False)),
        model_version=str(facts["model_version"]),
        targets=tuple(target_skill(list(document["scores"]))),
    )


TARGET_NAMES: dict[str, str] = {
    "asylum_nl": "asylum applications in the Netherlands",
    "new_displacement": "new displacement across borders",
}


def _percent(change: float) -> str:
    return f"{abs(change):.0%} {'better' if change < 0 else 'worse'}"


def describe(skill: TargetSkill, first: int, last: int) -> list[str]:
    """Plain English for the command line: the CRPS against each baseline, and a sentence when the
    model loses to one (the one it loses to by the most)."""
    name = TARGET_NAMES.get(skill.target, skill.target)
    against = "; ".join(
        f"{BASELINE_NAMES.get(c.baseline, c.baseline)} {c.baseline_crps:,.1f} ({_percent(c.change)})"
        for c in skill.comparisons
    )
    lines = [
        f"{name}, {skill.horizon} year(s) ahead ({skill.n:,} rows): CRPS {skill.crps:,.1f} against {against}"
    ]
    loss = skill.worst_loss
    if loss is not None:
        baseline = BASELINE_NAMES.get(loss.baseline, loss.baseline)
        lines.append(
            f"Over {first}-{last} these forecasts were worse than {baseline} "
            f"(CRPS {skill.crps:,.1f} against {loss.baseline_crps:,.1f}, {_percent(loss.change)})."
        )
    return lines
