"""What the report reads from the threat assessment and early action: counts, never contents.

- the scenarios whose scoring round closed, with the year it closed (no scores, no texts);
- every watchlist alert with the days until a decision answered it (early action's gap report).

Both reads are authorized and audited. Counts of internal records are published; what the records say
is not. The alerts are counted over every organisation's cases (:data:`REPORT_SCOPE`), so the report is
the same whoever builds or reads it.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gbvs.actions import gap
from gbvs.actions.alerts import alerts_of, watched_runs
from gbvs.actions.service import case_facts
from gbvs.config import Settings
from gbvs.db.action_models import ActionCase
from gbvs.db.assessment_models import ScoringRound
from gbvs.db.audit import authorize_audited, record
from gbvs.forecasting.watchlist import AlertRules, load_rules
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


REPORT_SCOPE = "all_organisations"
"""Whose early-action cases the report counts: every organisation's, as an aggregate (a count per year,
no case, country of a case or decision shown), whoever builds or reads the report. The report to
parliament is public by design and frozen by the coordinator; a count under the reader's need-to-know
would make the figure depend on who froze it, and differences between readers would hint at cases."""


def alert_responses(settings: Settings, session: Session, principal: Principal) -> list[dict[str, Any]]:
    """The rows of the report's alerts indicator, the same for every reader (:data:`REPORT_SCOPE`).

    - ``kind: alert``: one per watchlist alert: run, country, the year it was raised, days to a decision
      in any organisation's case (None: not decided), as early action's gap report counts them;
    - ``kind: run``: each forecast run's id, model version, training cutoff, data vintage and day;
    - ``kind: rules``: the alert rules, whether shipped or from ``<data_dir>/watchlist.yaml``, and the
      SHA-256 of that file.

    Empty when no forecast run of the watchlist's target and horizon is stored (a run of other targets
    only is left out, as in the gap report: :func:`gbvs.actions.alerts.watched_runs`). Authorized by the
    permission to read reports (the aggregate is part of the public report) and kept in the audit log
    with the scope.
    """
    action = "reports.alerts_answered"
    authorize_audited(session, principal, Permission.reports_read, action, "alert")
    path = forecasts_path(settings)
    if not path.is_file():
        return []
    rules = load_rules(settings.data_dir)
    with open_forecasts(path) as forecasts:
        watched = watched_runs(forecasts, rules)
    if not watched:
        return []
    runs = [run for run, _ in watched]
    alerts = alerts_of(watched, rules)
    answered = gap.gap_rows(alerts, _all_case_facts(session))
    record(session, principal, action, "alert", None, {"alerts": len(answered), "scope": REPORT_SCOPE})
    return [
        *(
            {
                "kind": "alert",
                "run_id": row.alert.run_id,
                "gwcode": row.alert.gwcode,
                "year": row.alert.raised_at.year,
                "days_to_decision": row.days_to_decision,
            }
            for row in answered
        ),
        *(
            {
                "kind": "run",
                "run_id": run.run_id,
                "year": int(run.created_at[:4]),
                "created_on": run.created_at[:10],
                "model_version": run.model_version,
                "training_cutoff": run.training_cutoff,
                "data_vintage": run.data_vintage,
            }
            for run in runs
        ),
        _rules_row(settings, rules),
    ]


def _rules_row(settings: Settings, rules: AlertRules) -> dict[str, Any]:
    """The alert rules the report's alerts came from, where they were read and that file's SHA-256."""
    override = settings.data_dir / "watchlist.yaml"
    shipped = resources.files("gbvs.forecasting").joinpath("watchlist.yaml")
    text = override.read_bytes() if override.is_file() else shipped.read_bytes()
    return {
        "kind": "rules",
        "year": None,
        "source": "data_dir" if override.is_file() else "shipped",
        "sha256": hashlib.sha256(text).hexdigest(),
        "target": rules.target,
        "horizon": rules.horizon,
        "threshold": rules.threshold,
        "jump": rules.jump,
        "watch_from": rules.watch_from,
    }


def _all_case_facts(session: Session) -> list[gap.CaseFacts]:
    """What the gap needs of every organisation's early-action case (:data:`REPORT_SCOPE`): the facts
    :func:`gbvs.actions.service.case_facts` gives the gap report, without the reader's need-to-know
    filter. Only counts leave this module."""
    rows = session.scalars(
        select(ActionCase).options(selectinload(ActionCase.countries), selectinload(ActionCase.decisions))
    ).all()
    return [case_facts(row) for row in rows]
