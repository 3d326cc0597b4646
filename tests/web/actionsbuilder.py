"""Migrate the data folder's SQLite database and record one early-action case through the service
(tests only): opened from the alert of the small forecasts file, with options, a decision and an
overdue follow-up, so every early-action page has content."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import update

from gbvs.actions import service
from gbvs.actions.workflow import Choice, OriginKind, Status
from gbvs.config import Settings
from gbvs.db.action_models import ActionDecision
from gbvs.db.migrate import upgrade
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.db.testing import append_only_lifted
from gbvs.forecasting.watchlist import load_rules
from gbvs.security import Principal
from gbvs.store.forecasts import forecasts_path, open_forecasts


def build_actions(settings: Settings) -> None:
    """One case on the alert forecast-new:432 (Mali), decided, with a follow-up that is overdue."""
    engine = make_engine(settings)
    upgrade(engine)
    owner = Principal.os_owner("tester")
    with (
        open_forecasts(forecasts_path(settings)) as forecasts,
        session_scope(make_session_factory(engine)) as s,
    ):
        case = service.open_case(
            s, owner, forecasts=forecasts, rules=load_rules(), origin=OriginKind.alert,
            reference="forecast-new:432", title="Mali: risico op gewapend conflict stijgt", goals=[1, 2],
        )  # fmt: skip
        option = service.add_option(s, owner, case, instrument="diplomacy", description="EU-demarche")
        service.add_option(
            s, owner, case, instrument="development", description="Extra steun voor bemiddeling"
        )
        service.move(s, owner, case, Status.options)
        service.decide(s, owner, case, choice=Choice.act, option_id=option, reasoning="Eerst diplomatie")
        # decided in December 2025, so that the follow-up of January 2026 can be overdue
        with append_only_lifted(s.connection(), "action_decision"):  # as the owner, around the guard
            s.execute(update(ActionDecision).values(decided_at=datetime(2025, 12, 1, tzinfo=UTC)))
        s.expire_all()
        service.add_follow_up(
            s, owner, case, due_on=date(2026, 1, 15), note="Terugkoppeling van de ambassade"
        )
    engine.dispose()
