"""What the services return: plain frozen records, ready for the CLI, the API and the pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from gbvs.actions.gap import GapRow, RegionGap
from gbvs.forecasting.queries import RunInfo
from gbvs.forecasting.watchlist import AlertRules


@dataclass(frozen=True)
class OptionView:
    """An option considered."""

    id: int
    instrument: str
    description: str
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class DecisionView:
    """A decision taken; ``in_force`` for the latest one while the case is decided, in follow-up or
    closed (see :func:`gbvs.actions.workflow.decision_in_force`); the others were withdrawn."""

    id: int
    choice: str
    option_id: int | None
    reasoning: str
    decided_by: str
    decided_at: datetime
    in_force: bool = False


@dataclass(frozen=True)
class FollowUpView:
    """A follow-up date; ``overdue`` when pending past its date."""

    id: int
    due_on: date
    note: str
    done_on: date | None
    done_by: str | None
    overdue: bool


@dataclass(frozen=True)
class CaseSummary:
    """A case on the board."""

    id: int
    title: str
    status: str
    origin_kind: str
    origin_ref: str
    region: str | None
    countries: tuple[str, ...]
    opened_by: str
    opened_at: datetime
    version: int
    overdue_days: int | None
    next_follow_up: date | None
    may_change: bool = False
    """Whether the reader may change the case (:func:`gbvs.actions.service.may_change`)."""
    may_decide: bool = False
    """Whether the reader may record its decision (:func:`gbvs.actions.service.may_decide`)."""


@dataclass(frozen=True)
class CaseView:
    """A case in full: the frozen warning, options, decisions, follow-ups and outcome."""

    summary: CaseSummary
    description: str
    owner: str | None
    audience: str
    sharing_group: str | None
    goals: tuple[int, ...]
    warning: dict[str, Any]
    options: tuple[OptionView, ...]
    decisions: tuple[DecisionView, ...]
    follow_ups: tuple[FollowUpView, ...]
    outcome: str
    updated_at: datetime


@dataclass(frozen=True)
class VersionView:
    """One version of a case."""

    version: int
    status: str
    change: str
    changed_by: str
    changed_at: datetime
    snapshot: dict[str, Any]

    @property
    def why(self) -> str:
        """Why the change was made, from its snapshot: a decision's reasoning, a closure's outcome, or
        the reason given for withdrawing a decision or reopening a case ("" when none was asked)."""
        if self.change == "decided" and self.snapshot.get("decisions"):
            return str(self.snapshot["decisions"][-1].get("reasoning", ""))
        if self.change == "status_closed":
            return str(self.snapshot.get("outcome", ""))
        return str(self.snapshot.get("reason", ""))


@dataclass(frozen=True)
class GapReport:
    """The warning-response gap: every alert with its response, and the figures per region."""

    rows: list[GapRow]
    regions: list[RegionGap]
    runs: int
    first_run_at: str | None
    notes: list[str] = field(default_factory=list)
    run_infos: tuple[RunInfo, ...] = ()
    """The forecast runs compared (those of the watchlist's target and horizon), oldest first."""
    rules: AlertRules | None = None
    """The alert rules the alerts were recomputed with."""
