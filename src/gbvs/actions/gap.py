"""The warning-response gap as figures, without I/O: which alerts got a case, and how fast a decision.

An alert (one country in one forecast run) counts as *answered* by a case that was opened from it
(origin ``alert`` with its reference), or by a case opened from the country page for that country
while the alert's run was the latest one (between the run and the next run). The time to decision
is from the run that raised the alert to the decision in force on the answering case (its latest
decision while it is decided, in follow-up or closed; a withdrawn decision does not count).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from gbvs.actions.workflow import OriginKind, alert_reference
from gbvs.forecasting.watchlist import Alert

OUTSIDE = "outside_focus_regions"
ALL = "all"
RESPONSE_WEEKS = 8
"""A decision within this many weeks of the alert is a timely response: the gap's ``decided_in_time``
and the progress report's indicator of goal 1 (:mod:`gbvs.reports.core.builtin`) count the same."""


def in_time(days_to_decision: float | None) -> bool:
    """Whether a decision came within :data:`RESPONSE_WEEKS` of its alert (False: none, or later)."""
    return days_to_decision is not None and days_to_decision <= 7 * RESPONSE_WEEKS


@dataclass(frozen=True)
class AlertEvent:
    """A watchlist alert as the forecast run raised it."""

    run_id: str
    raised_at: datetime
    gwcode: int
    iso3: str | None
    regions: tuple[str, ...]
    p: float
    previous: float | None
    alerts: tuple[Alert, ...]
    """The alerts, structured (kind, threshold or change); the pages, the API and the command line word
    them in the reader's language (``gbvs.web.labels.alert_words``). A case's frozen warning keeps them
    so, beside their English sentences (:func:`gbvs.actions.warning.freeze`)."""
    forecast_period: int
    next_run_at: datetime | None = None

    @property
    def reference(self) -> str:
        """The reference a case opened from this alert carries."""
        return alert_reference(self.run_id, self.gwcode)


@dataclass(frozen=True)
class CaseFacts:
    """What the gap needs to know of a case."""

    id: int
    origin_kind: OriginKind
    origin_ref: str
    opened_at: datetime
    gwcodes: frozenset[int]
    decided_at: datetime | None


@dataclass(frozen=True)
class GapRow:
    """One alert and the response to it (``case_id`` None: nobody opened a case)."""

    alert: AlertEvent
    case_id: int | None
    days_to_case: float | None
    days_to_decision: float | None
    observed: bool | None
    """Whether the forecast period saw armed conflict (None until the outcome is in the store)."""


@dataclass(frozen=True)
class RegionGap:
    """The gap in one region (or ``all``, or outside every focus region)."""

    region: str
    alerts: int
    answered: int
    decided: int
    unanswered: int
    median_days_to_decision: float | None
    observed: int | None
    """Alerts whose forecast period turned out to have armed conflict; None while no alert's outcome
    is known (0 would claim that none had conflict)."""
    outcomes_known: int = 0
    """Alerts whose forecast period is in the panel (the outcome, conflict or not, is known)."""
    decided_in_time: int = 0
    """Alerts decided within :data:`RESPONSE_WEEKS` (the progress report's count)."""


def _days(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else round((end - start).total_seconds() / 86_400, 1)


def answering_case(alert: AlertEvent, cases: Sequence[CaseFacts]) -> CaseFacts | None:
    """The first case that answers ``alert`` (see the module docstring), or None."""
    direct = [c for c in cases if c.origin_kind is OriginKind.alert and c.origin_ref == alert.reference]
    window = [
        c
        for c in cases
        if c.origin_kind is OriginKind.country
        and alert.gwcode in c.gwcodes
        and c.opened_at >= alert.raised_at
        and (alert.next_run_at is None or c.opened_at < alert.next_run_at)
    ]
    found = sorted(direct or window, key=lambda c: (c.opened_at, c.id))
    return found[0] if found else None


def gap_rows(
    alerts: Iterable[AlertEvent],
    cases: Sequence[CaseFacts],
    outcomes: Mapping[tuple[int, int], bool] | None = None,
) -> list[GapRow]:
    """Each alert with its answering case, the days to it and to a decision, and the outcome if known."""
    rows = []
    for alert in alerts:
        case = answering_case(alert, cases)
        observed = (outcomes or {}).get((alert.gwcode, alert.forecast_period))
        rows.append(
            GapRow(
                alert,
                case.id if case else None,
                _days(alert.raised_at, case.opened_at) if case else None,
                _days(alert.raised_at, case.decided_at) if case else None,
                observed,
            )
        )
    return rows


def by_region(rows: Sequence[GapRow]) -> list[RegionGap]:
    """The gap per focus region (an alert counts in each region of its country), then all alerts."""
    groups: dict[str, list[GapRow]] = {}
    for row in rows:
        for region in row.alert.regions or (OUTSIDE,):
            groups.setdefault(region, []).append(row)
    summaries = [_summary(region, members) for region, members in sorted(groups.items())]
    return [*summaries, _summary(ALL, list(rows))]


def _summary(region: str, rows: Sequence[GapRow]) -> RegionGap:
    answered = [r for r in rows if r.case_id is not None]
    known = sum(1 for r in rows if r.observed is not None)
    decided = [r.days_to_decision for r in answered if r.days_to_decision is not None]
    return RegionGap(
        region=region,
        alerts=len(rows),
        answered=len(answered),
        decided=len(decided),
        unanswered=len(rows) - len(answered),
        median_days_to_decision=round(median(decided), 1) if decided else None,
        observed=sum(1 for r in rows if r.observed) if known else None,
        outcomes_known=known,
        decided_in_time=sum(1 for days in decided if in_time(days)),
    )
