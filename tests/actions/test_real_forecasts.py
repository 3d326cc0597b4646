"""End to end with the real forecasting service: two runs of `gbvs forecast`'s code on a generated
store, a case opened from an alert of the real watchlist, a third run that must not touch it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from gbvs.actions import service as actions
from gbvs.actions.alerts import alert_history
from gbvs.actions.workflow import OriginKind
from gbvs.config import Settings
from gbvs.forecasting import queries
from gbvs.forecasting import service as forecasting
from gbvs.forecasting.watchlist import load_rules
from gbvs.security import Principal
from gbvs.store.forecasts import ForecastsReader

from .conftest import TESTS, _load

generated = _load(TESTS / "forecasting" / "conftest.py", "actions_tests_forecasting_fixtures")


def test_a_case_from_a_real_watchlist_alert_survives_the_next_run(
    settings: Settings, session: Session, admin: Principal, reopen: Callable[[], ForecastsReader]
) -> None:
    generated.write_store(settings.resolved_store_path, generated.generated_country_year())
    rules_file = Path(settings.data_dir) / "watchlist.yaml"
    rules_file.write_text(
        yaml.safe_dump({"rules": {"jump": 0.0}})
    )  # every change alerts: seeds differ a little
    first = forecasting.forecast(settings, targets=["incidence"], seed=0)
    second = forecasting.forecast(settings, targets=["incidence"], seed=1)
    rules = load_rules(settings.data_dir)
    with reopen() as forecasts:
        board = queries.watchlist(forecasts, rules=rules)
        alerts = alert_history(forecasts, rules)
        top = board.entries[0]
        assert top.alerts and {a.run_id for a in alerts} == {second.run_id}
        case_id = actions.open_case(
            session, admin, forecasts=forecasts, rules=rules, origin=OriginKind.alert,
            reference=f"{second.run_id}:{top.unit_key}", title="top of the watchlist",
        )  # fmt: skip
        session.commit()
    frozen = actions.get_case(session, admin, case_id).warning
    assert frozen["run"]["run_id"] == second.run_id != first.run_id
    assert frozen["alert"]["p"] == top.p and frozen["countries"][0]["drivers"]
    forecasting.forecast(settings, targets=["incidence"], seed=2)
    session.expire_all()
    assert actions.get_case(session, admin, case_id).warning == frozen
    with reopen() as forecasts:
        report = actions.gap_report(session, admin, forecasts, rules)
    assert report.runs == 3
    answered = [row for row in report.rows if row.case_id == case_id]
    assert len(answered) == 1 and answered[0].alert.run_id == second.run_id
