"""Early-action cases opened from a displacement forecast (issue 17): the forecast is frozen into the
case, a missing run or country is named, and only holders of actions:write may open one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from gbvs.actions import service
from gbvs.actions.workflow import OriginKind
from gbvs.errors import InputError, NotFoundError, PermissionDeniedError
from gbvs.forecasting.watchlist import AlertRules
from gbvs.security import Principal, Role
from gbvs.store.forecasts import ForecastsReader

SYRIA = "displacement-test:652"  # the test run's largest origin: median 15,000 applications at h=1


def _open(session: Session, who: Principal, forecasts: ForecastsReader, rules: AlertRules, ref: str) -> int:
    case_id = service.open_case(
        session, who, forecasts=forecasts, rules=rules, origin=OriginKind.displacement, reference=ref,
        title="Syria: asylum applications", goals=[13],
    )  # fmt: skip
    session.commit()
    return case_id


def test_a_case_from_a_displacement_forecast_freezes_it_with_provenance(
    session: Session, admin: Principal, forecasts: ForecastsReader, rules: AlertRules
) -> None:
    case = service.get_case(session, admin, _open(session, admin, forecasts, rules, SYRIA))
    assert (case.summary.origin_kind, case.summary.origin_ref) == ("displacement", SYRIA)
    assert case.summary.countries == ("SYR",) and case.goals == (13,)
    frozen = case.warning["displacement"]
    assert frozen["gwcode"] == 652
    assert (frozen["run"]["model_version"], frozen["run"]["training_cutoff"]) == ("displacement-test-1", 2023)
    assert frozen["run"]["data_vintage"] == "UNHCR refugees 2025.12.1 (2023)"
    rows = {(f["target"], f["horizon"]): f for f in frozen["forecasts"]}
    assert set(rows) == {("asylum_nl", 1), ("asylum_nl", 2), ("new_displacement", 1), ("new_displacement", 2)}
    assert rows[("asylum_nl", 1)]["q50"] == 15000 and rows[("asylum_nl", 1)]["forecast_period"] == 2024
    assert rows[("asylum_nl", 2)]["q95"] == pytest.approx(2.0 * 16500)
    assert case.warning["run"]["run_id"] == "forecast-new"  # the conflict warning beside it


def test_an_unknown_run_or_country_is_named(
    session: Session, admin: Principal, forecasts: ForecastsReader, rules: AlertRules
) -> None:
    with pytest.raises(NotFoundError, match=r"'displacement-none' has no forecast for SYR"):
        _open(session, admin, forecasts, rules, "displacement-none:652")
    with pytest.raises(NotFoundError, match=r"has no forecast for .*gwcode 999"):
        _open(session, admin, forecasts, rules, "displacement-test:999")
    with pytest.raises(InputError, match="displacement forecast reference 'SYR' is not RUN_ID:GWCODE"):
        _open(session, admin, forecasts, rules, "SYR")


def test_only_holders_of_actions_write_open_one(
    session: Session,
    make_user: Callable[..., Principal],
    forecasts: ForecastsReader,
    rules: AlertRules,
) -> None:
    with pytest.raises(PermissionDeniedError, match="actions:write"):
        _open(session, make_user("vic", Role.viewer), forecasts, rules, SYRIA)
    analyst = make_user("ana", Role.analyst)
    case_id = _open(session, analyst, forecasts, rules, SYRIA)
    assert service.get_case(session, analyst, case_id).warning["displacement"]["gwcode"] == 652
