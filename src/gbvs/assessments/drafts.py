"""The six threats of chapter 3 as unscored draft scenarios, taken from the strategy data.

Pure: :func:`draft_scenarios` reads a built :class:`~gbvs.strategy.Strategy`; the text is the
strategy's own (summary and quote, with the section), so nothing is invented and no score is shipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from gbvs.assessments.model import ScenarioKind
from gbvs.strategy import Strategy


@dataclass(frozen=True)
class DraftScenario:
    """A scenario to be worked out and scored by analysts (Dutch text first, English beside it)."""

    key: str
    threat: int
    kind: ScenarioKind
    title_nl: str
    title_en: str
    description_nl: str
    description_en: str
    goals: tuple[int, ...]
    source: str


def draft_scenarios(strategy: Strategy) -> tuple[DraftScenario, ...]:
    """One draft per threat of chapter 3 (all malicious: scored on the threat likelihood scale)."""
    return tuple(
        DraftScenario(
            key=f"{strategy.id}:{threat.id}",
            threat=threat.number,
            kind="threat",
            title_nl=f"Concept: {threat.title.nl}",
            title_en=f"Draft: {threat.title.en}",
            description_nl=f"{threat.summary.nl}\n\n“{threat.quote.nl}” ({threat.ref.label()})",
            description_en=f"{threat.summary.en}\n\n“{threat.quote.en}” ({threat.ref.label()})",
            goals=tuple(goal.number for goal in strategy.goals_for_threat(threat.number)),
            source=f"{strategy.id} {threat.ref.label()}",
        )
        for threat in strategy.threats
    )
