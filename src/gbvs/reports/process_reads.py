"""What the report reads from the threat assessment and early action: counts, never contents.

- the scenarios whose scoring round closed, with the year it closed (no scores, no texts);
- every watchlist alert with the days until a decision answered it (early action's gap report).

Both reads are authorized and audited (the gap report by its own service). Counts of internal
records are published; what the records say is not.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.actions.service import gap_report
from gbvs.config import Settings
from gbvs.db.assessment_models import ScoringRound
from gbvs.db.audit import authorize_audited, record
from gbvs.errors import NoForecastRunError
from gbvs.forecasting.watchlist import load_rules
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal
from gbvs.store.forecasts import forecasts_path, open_forecasts


def assessed_scenarios(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """One row per closed scoring round: scenario id, round number and the year it closed."""
    authorize_audited(session, principal, Permission.assessments_read, "reports.assessments", "scenario")
    query = (
        select(ScoringRound.scenario_id, ScoringRound.number, ScoringRound.closed_at)
        .where(ScoringRound.closed_at.is_not(None))
        .order_by(ScoringRound.scenario_id, ScoringRound.number)
    )
    rows = [
        {"scenario_id": scenario, "round": number, "year": closed.year}
        for scenario, number, closed in session.execute(query)
        if closed is not None
    ]
    record(session, principal, "reports.assessments", "scenario", None, {"rounds": len(rows)})
    return rows


def alert_responses(settings: Settings, session: Session, principal: Principal) -> list[dict[str, Any]]:
    """One row per watchlist alert: run, country, the year it was raised and days to a decision
    (None: not decided); empty when no forecast run is stored."""
    authorize_audited(session, principal, Permission.actions_read, "reports.actions", "alert")
    path = forecasts_path(settings)
    if not path.is_file():
        return []
    try:
        with open_forecasts(path) as forecasts:
            report = gap_report(session, principal, forecasts, load_rules(settings.data_dir))
    except NoForecastRunError:
        return []
    return [
        {
            "run_id": row.alert.run_id,
            "gwcode": row.alert.gwcode,
            "year": row.alert.raised_at.year,
            "days_to_decision": row.days_to_decision,
        }
        for row in report.rows
    ]
