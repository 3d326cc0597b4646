"""Early-action cases on SQLite and PostgreSQL: opened from a real alert of a stored forecast run,
frozen against later runs, through the workflow, versioned, audited and counted in the gap."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gbvs.actions import service
from gbvs.actions.alerts import alert_history, run_alerts
from gbvs.actions.gap import RESPONSE_WEEKS
from gbvs.actions.workflow import Audience, Choice, OriginKind, Status
from gbvs.config import Settings
from gbvs.db.action_models import ActionCase, ActionCaseVersion, ActionDecision
from gbvs.db.models import AuditLog
from gbvs.db.testing import append_only_lifted
from gbvs.errors import FieldError, InputError, NotFoundError, PermissionDeniedError
from gbvs.forecasting.watchlist import AlertRules
from gbvs.reports.core.builtin import ALERTS_ACTED_ON, RESPONSES
from gbvs.reports.core.indicators import Context
from gbvs.reports.process_reads import alert_responses
from gbvs.security import Principal, Role
from gbvs.store.forecasts import ForecastsReader, StoredRun, forecasts_path, writing_forecasts

from .conftest import forecastbuilder, third_run

MALI = "forecast-new:432"  # 0.35 -> 0.61 between the two runs: crosses 50% and jumps 26 points


def _open(
    session: Session, who: Principal, forecasts: ForecastsReader, rules: AlertRules, **extra: object
) -> int:
    values: dict[str, object] = {
        "origin": OriginKind.alert, "reference": MALI, "title": "Mali: risk up", "goals": [1],
    } | extra  # fmt: skip
    case_id = service.open_case(session, who, forecasts=forecasts, rules=rules, **values)  # type: ignore[arg-type]
    session.commit()
    return case_id


def test_a_case_from_a_real_alert_freezes_the_forecast(
    session: Session,
    admin: Principal,
    forecasts: ForecastsReader,
    reopen: Callable[[], ForecastsReader],
    rules: AlertRules,
    two_runs: Settings,
) -> None:
    case_id = _open(session, admin, forecasts, rules)
    before = service.get_case(session, admin, case_id)
    run, alert = before.warning["run"], before.warning["alert"]
    assert (run["run_id"], run["model_version"], run["training_cutoff"]) == (
        "forecast-new",
        "lgbm-test-1",
        2023,
    )
    assert run["data_vintage"] == "UCDP ACD 25.1 (2023)"
    assert alert["previous"] == pytest.approx(0.35) and alert["p"] == pytest.approx(0.61)
    mali = before.warning["countries"][0]
    assert mali["gwcode"] == 432 and mali["drivers"][0]["family"] == "conflict_history"
    assert before.summary.countries == ("MLI",) and before.summary.region == "sahel" and before.goals == (1,)

    forecasts.close()
    third_run(two_runs)
    session.expire_all()
    with reopen() as later:
        after = service.get_case(session, admin, case_id)
        assert after.warning == before.warning  # the later run changed nothing
        newer = service.open_case(
            session,
            admin,
            forecasts=later,
            rules=rules,
            origin=OriginKind.country,
            reference="MLI",
            title="Mali again",
        )
        assert service.get_case(session, admin, newer).warning["run"]["model_version"] == "lgbm-test-2"


def test_the_frozen_warning_cannot_be_rewritten(
    session: Session, admin: Principal, forecasts: ForecastsReader, rules: AlertRules
) -> None:
    case = session.get(ActionCase, _open(session, admin, forecasts, rules))
    assert case is not None
    case.warning = {"run": None}
    with pytest.raises(InputError, match=r"warning of early-action case \d+ is frozen"):
        session.flush()


def test_the_workflow_versions_and_audits_every_change(
    session: Session,
    admin: Principal,
    make_user: Callable[..., Principal],
    forecasts: ForecastsReader,
    rules: AlertRules,
) -> None:
    analyst, coordinator = make_user("ana", Role.analyst), make_user("cor", Role.coordinator)
    case_id = _open(session, analyst, forecasts, rules)
    talks = service.add_option(session, analyst, case_id, instrument="diplomacy", description="EU démarche")
    service.add_option(session, analyst, case_id, instrument="sanctions", description="targeted sanctions")
    service.move(session, analyst, case_id, Status.options)
    session.commit()  # a refusal rolls back pending work (gbvs.db.audit.authorize_audited)
    with pytest.raises(PermissionDeniedError, match="actions:decide"):
        service.decide(session, analyst, case_id, choice=Choice.act, option_id=talks)
    service.decide(session, coordinator, case_id, choice=Choice.act, option_id=talks, reasoning="first talk")
    with pytest.raises(InputError, match=r"is outside .* \(the decision\)"):
        service.add_follow_up(session, analyst, case_id, due_on=date.today() - timedelta(days=3))
    with append_only_lifted(session.connection(), "action_decision"):  # as the owner can
        session.execute(update(ActionDecision).values(decided_at=datetime.now(UTC) - timedelta(days=10)))
    session.expire_all()  # decided ten days ago: a follow-up three days ago can be overdue
    due = date.today() - timedelta(days=3)
    service.add_follow_up(session, analyst, case_id, due_on=due, note="report back from the embassy")
    service.move(session, analyst, case_id, Status.follow_up)
    session.commit()

    view = service.get_case(session, analyst, case_id)
    assert view.summary.status == "follow_up" and view.summary.overdue_days == 3
    assert view.follow_ups[0].overdue and view.decisions[0].decided_by == "cor"
    with pytest.raises(InputError, match="records its outcome"):
        service.move(session, analyst, case_id, Status.closed)
    service.complete_follow_up(session, analyst, case_id, view.follow_ups[0].id)
    service.move(session, analyst, case_id, Status.closed, outcome="talks held; risk reassessed")
    session.commit()

    history = service.case_history(session, analyst, case_id)
    assert [v.change for v in history] == [
        "opened", "option_added", "option_added", "status_options", "decided",
        "follow_up_added", "status_follow_up", "follow_up_done", "status_closed",
    ]  # fmt: skip
    assert [v.version for v in history] == list(range(1, 10))
    assert history[-1].snapshot["outcome"] == "talks held; risk reassessed"
    actions = session.scalars(select(AuditLog.action).where(AuditLog.object_type == "action_case")).all()
    assert actions.count("actions.decide") == 1  # the analyst's refused attempt
    assert "actions.decided" in actions and "actions.status_closed" in actions
    denied = session.scalars(
        select(AuditLog).where(AuditLog.outcome == "denied", AuditLog.actor == "ana")
    ).all()
    assert [d.action for d in denied] == ["actions.decide"]
    assert [c.id for c in service.list_cases(session, analyst, status=Status.closed)] == [case_id]


def test_a_reasoned_decision_not_to_act(
    session: Session, admin: Principal, forecasts: ForecastsReader, rules: AlertRules
) -> None:
    case_id = _open(session, admin, forecasts, rules)
    service.add_option(session, admin, case_id, instrument="development", description="extra aid")
    service.move(session, admin, case_id, Status.options)
    with pytest.raises(InputError, match="needs its reasoning"):
        service.decide(session, admin, case_id, choice=Choice.no_action)
    service.decide(
        session, admin, case_id, choice=Choice.no_action, reasoning="covered by the EU mission EUCAP"
    )
    decision = service.get_case(session, admin, case_id).decisions[0]
    assert (decision.choice, decision.option_id) == ("no_action", None)


def test_bad_input_is_refused_and_nothing_is_stored(
    session: Session,
    admin: Principal,
    make_user: Callable[..., Principal],
    forecasts: ForecastsReader,
    rules: AlertRules,
) -> None:
    with pytest.raises(NotFoundError, match="raised no watchlist alert for SYR"):
        _open(session, admin, forecasts, rules, reference="forecast-old:652")  # the first run has no alerts
    with pytest.raises(FieldError, match=r"originRef: .*ISO3"):
        _open(session, admin, forecasts, rules, origin=OriginKind.country, reference="XYZ")
    with pytest.raises(NotFoundError, match="scenario 4 does not exist"):
        _open(session, admin, forecasts, rules, origin=OriginKind.scenario, reference="4")
    with pytest.raises(PermissionDeniedError, match="actions:write"):
        _open(session, make_user("vic", Role.viewer), forecasts, rules)
    session.rollback()
    assert session.scalars(select(ActionCase)).all() == []
    case_id = _open(session, admin, forecasts, rules)
    with pytest.raises(FieldError, match="instrument"):  # a wrong value of the request, named by its field
        service.add_option(session, admin, case_id, instrument="charm", description="x")
    with pytest.raises(InputError, match="cannot move to 'decided'"):
        service.move(session, admin, case_id, Status.decided)


def test_a_signal_case_origin_respects_need_to_know(
    session: Session,
    admin: Principal,
    make_user: Callable[..., Principal],
    forecasts: ForecastsReader,
    rules: AlertRules,
) -> None:
    from gbvs.db.services.cases import create_case
    from gbvs.signals.markings import Distribution, Tlp

    bz = make_user("bea", Role.analyst, "BZ")
    signal_case = create_case(
        session,
        bz,
        title="Wagner in Mali",
        signal_ids=[],
        tlp=Tlp.amber,
        distribution=Distribution.organisation,
    )
    session.commit()
    case_id = _open(session, bz, forecasts, rules, origin=OriginKind.signal_case, reference=str(signal_case),
                    countries=["MLI"])  # fmt: skip
    assert service.get_case(session, bz, case_id).summary.origin_ref == str(signal_case)
    defence = make_user("dirk", Role.analyst, "DEF")
    with pytest.raises(NotFoundError, match="not shared with you"):
        _open(session, defence, forecasts, rules, origin=OriginKind.signal_case, reference=str(signal_case))


def test_the_gap_shows_answered_and_unanswered_alerts(
    session: Session, admin: Principal, forecasts: ForecastsReader, rules: AlertRules
) -> None:
    case_id = _open(session, admin, forecasts, rules)
    service.add_option(session, admin, case_id, instrument="diplomacy", description="talks")
    service.move(session, admin, case_id, Status.options)
    service.decide(session, admin, case_id, choice=Choice.no_action, reasoning="monitored by the embassy")
    session.commit()
    report = service.gap_report(session, admin, forecasts, rules)
    rows = {r.alert.gwcode: r for r in report.rows}
    assert set(rows) == {652, 432} and report.runs == 2  # the alerts of forecast-new
    assert rows[432].case_id == case_id and rows[432].days_to_decision is not None
    assert rows[652].case_id is None
    overall = report.regions[-1]
    assert (overall.region, overall.alerts, overall.answered, overall.unanswered) == ("all", 2, 1, 1)
    sahel = next(r for r in report.regions if r.region == "sahel")
    assert (sahel.alerts, sahel.decided) == (1, 1)


def test_a_case_can_be_opened_from_a_threat_assessment_scenario(
    session: Session, admin: Principal, forecasts: ForecastsReader, rules: AlertRules
) -> None:
    from gbvs.db.services import assessments

    scenario_id = assessments.seed_drafts(session, admin)[0]
    session.commit()
    case_id = _open(
        session, admin, forecasts, rules, origin=OriginKind.scenario, reference=str(scenario_id),
        countries=["NLD"],
    )  # fmt: skip
    case = service.get_case(session, admin, case_id)
    assert (case.summary.origin_kind, case.summary.origin_ref) == ("scenario", str(scenario_id))


def test_a_case_from_a_signal_case_takes_its_group_only_if_the_opener_is_in_it(
    session: Session,
    admin: Principal,
    make_user: Callable[..., Principal],
    forecasts: ForecastsReader,
    rules: AlertRules,
) -> None:
    """The default audience of a case from a signal case is that case's sharing group when the
    opener's organisation is in it, else the opener's organisation: a signal case shared (before one
    shared only with one's own groups) with a group its owner is not in must not refuse its owner, nor
    tell them the group's name."""
    from gbvs.db.services.cases import create_case
    from gbvs.db.services.signals import create_sharing_group
    from gbvs.db.signal_models import SignalCase
    from gbvs.signals.markings import Distribution, Tlp

    bz, defence = make_user("bea", Role.analyst, "BZ"), make_user("dirk", Role.analyst, "DEF")
    create_sharing_group(session, admin, "kern", ["BZ", "DEF"])
    elsewhere = create_sharing_group(session, admin, "alleen-def", ["DEF"])
    shared = create_case(
        session, bz, title="Gedeeld", signal_ids=[], tlp=Tlp.amber,
        distribution=Distribution.sharing_group, sharing_group="kern",
    )  # fmt: skip
    older = create_case(
        session, bz, title="Ouder", signal_ids=[], tlp=Tlp.amber,
        distribution=Distribution.sharing_group, sharing_group="kern",
    )  # fmt: skip
    session.get_one(SignalCase, older).sharing_group_id = elsewhere  # as an older release allowed
    session.commit()

    def audience_of(who: Principal, signal_case: int) -> tuple[str, str | None]:
        case_id = _open(session, who, forecasts, rules, origin=OriginKind.signal_case,
                        reference=str(signal_case), countries=["MLI"])  # fmt: skip
        view = service.get_case(session, who, case_id)
        return view.audience, view.sharing_group

    assert audience_of(defence, shared) == ("sharing_group", "kern")
    assert audience_of(bz, older) == ("organisation", None)
    with pytest.raises(NotFoundError) as refused:
        _open(session, defence, forecasts, rules, origin=OriginKind.signal_case, reference=str(shared),
              audience=Audience.sharing_group, sharing_group="binnen")  # fmt: skip
    assert "yours: alleen-def, kern" in str(refused.value)


def test_a_withdrawn_decision_is_not_restored_nor_counted(
    session: Session,
    admin: Principal,
    make_user: Callable[..., Principal],
    forecasts: ForecastsReader,
    rules: AlertRules,
    two_runs: Settings,
) -> None:
    analyst, coordinator = make_user("ana", Role.analyst), make_user("cor", Role.coordinator)
    case_id = _open(session, analyst, forecasts, rules)
    talks = service.add_option(session, analyst, case_id, instrument="diplomacy", description="talks")
    service.move(session, analyst, case_id, Status.options)
    service.decide(session, coordinator, case_id, choice=Choice.act, option_id=talks, reasoning="talks first")
    session.commit()

    def mali() -> tuple[int, float | None]:
        report = service.gap_report(session, analyst, forecasts, rules)
        row = next(r for r in report.rows if r.alert.gwcode == 432)
        # the report to parliament counts the same decision (its aggregate over every organisation)
        published = alert_responses(two_runs, session, analyst)
        days = [r["days_to_decision"] for r in published if r["kind"] == "alert" and r["gwcode"] == 432]
        assert days == [row.days_to_decision]
        return report.regions[-1].decided, row.days_to_decision

    assert mali()[0] == 1
    with pytest.raises(InputError, match="withdraws the decision: give the reason"):
        service.move(session, analyst, case_id, Status.options)
    service.move(session, analyst, case_id, Status.options, reason="the EU took the lead in Bamako")
    service.add_option(session, analyst, case_id, instrument="sanctions", description="targeted sanctions")
    with pytest.raises(InputError, match="only recording a decision"):  # 409: no decide permission needed
        service.move(session, analyst, case_id, Status.decided)
    assert mali() == (0, None)
    service.move(session, analyst, case_id, Status.open)
    session.commit()
    assert mali() == (0, None)  # back to 'open': still no decision in force
    view = service.get_case(session, analyst, case_id)
    assert view.summary.status == "open" and [d.in_force for d in view.decisions] == [False]
    history = service.case_history(session, analyst, case_id)
    withdrawn = next(v for v in history if v.change == "status_options" and v.snapshot.get("reason"))
    assert withdrawn.snapshot["reason"] == "the EU took the lead in Bamako"

    service.move(session, analyst, case_id, Status.options)
    service.decide(
        session, coordinator, case_id, choice=Choice.no_action, reasoning="the EU mission covers it"
    )
    session.commit()
    decided, days = mali()
    view = service.get_case(session, analyst, case_id)
    assert decided == 1 and [d.in_force for d in view.decisions] == [False, True]
    raised = next(
        r for r in service.gap_report(session, analyst, forecasts, rules).rows if r.alert.gwcode == 432
    )
    assert days == pytest.approx(
        (view.decisions[1].decided_at - raised.alert.raised_at).total_seconds() / 86_400, abs=0.1
    )


def test_a_run_for_another_target_does_not_stand_between_two_watched_runs(
    session: Session,
    admin: Principal,
    forecasts: ForecastsReader,
    reopen: Callable[[], ForecastsReader],
    rules: AlertRules,
    two_runs: Settings,
) -> None:
    before = {(a.run_id, a.gwcode) for a in alert_history(forecasts, rules)}
    assert before == {("forecast-new", 652), ("forecast-new", 432)}
    forecasts.close()
    rows = [
        forecastbuilder._forecast_row("forecast-war", code, "war", 1, 0.3) for code in (652, 432, 369, 210)
    ]
    run = StoredRun(
        "forecast-war", "forecast", datetime(2026, 3, 1), "country-year", "lgbm", "lgbm-test-1",
        2023, "UCDP ACD 25.1 (2023)", 0, "{}",
    )  # fmt: skip
    with writing_forecasts(forecasts_path(two_runs)) as writer:  # `gbvs forecast -t war` in between
        writer.add_run(run)
        writer.add_forecasts("forecast-war", pd.DataFrame(rows).drop(columns="run_id"))
    with reopen() as later:
        assert {(a.run_id, a.gwcode) for a in alert_history(later, rules)} == before
        assert [a.gwcode for a in run_alerts(later, "forecast-new", rules)] == [652, 432]
        assert run_alerts(later, "forecast-war", rules) == []
        report = service.gap_report(session, admin, later, rules)
        assert report.runs == 2 and len(report.rows) == 2  # the war run is not an incidence run
    published = alert_responses(two_runs, session, admin)  # the report to parliament, likewise
    assert {(r["run_id"], r["gwcode"]) for r in published if r["kind"] == "alert"} == before
    assert [r["run_id"] for r in published if r["kind"] == "run"] == ["forecast-old", "forecast-new"]


def test_the_gap_and_the_report_count_a_timely_decision_alike(
    session: Session,
    admin: Principal,
    make_user: Callable[..., Principal],
    forecasts: ForecastsReader,
    rules: AlertRules,
    two_runs: Settings,
) -> None:
    """The gap (page, API, CLI) says how many alerts got a decision within the progress report's eight
    weeks, and the report's indicator counts the same alerts."""
    analyst, coordinator = make_user("ana", Role.analyst), make_user("cor", Role.coordinator)
    case_id = _open(session, analyst, forecasts, rules)
    talks = service.add_option(session, analyst, case_id, instrument="diplomacy", description="talks")
    service.move(session, analyst, case_id, Status.options)
    service.decide(session, coordinator, case_id, choice=Choice.act, option_id=talks, reasoning="talks first")
    raised = datetime(2026, 6, 1, tzinfo=UTC)  # forecast-new, which raised the Mali alert
    ctx = Context(2026, 2026)

    def counted(days: int) -> tuple[int, int, float | None]:
        with append_only_lifted(session.connection(), "action_decision"):  # as the owner can
            session.execute(update(ActionDecision).values(decided_at=raised + timedelta(days=days)))
        session.commit()
        everyone = service.gap_report(session, analyst, forecasts, rules).regions[-1]
        rows = ALERTS_ACTED_ON.extract({RESPONSES: alert_responses(two_runs, session, admin)}, ctx)
        return everyone.decided, everyone.decided_in_time, ALERTS_ACTED_ON.compute(rows, ctx)[0].value

    assert counted(7 * RESPONSE_WEEKS) == (1, 1, 1.0)
    assert counted(7 * RESPONSE_WEEKS + 4) == (1, 0, 0.0)  # decided, but not within eight weeks


def test_the_decision_log_is_append_only(
    session: Session,
    make_user: Callable[..., Principal],
    forecasts: ForecastsReader,
    rules: AlertRules,
) -> None:
    """A decision and a version are kept as written: a correction is a new entry (withdraw with a
    reason, decide again), never an edit or a deletion of the old one."""
    analyst, coordinator = make_user("ana", Role.analyst), make_user("cor", Role.coordinator)
    case_id = _open(session, analyst, forecasts, rules)
    talks = service.add_option(session, analyst, case_id, instrument="diplomacy", description="talks")
    service.move(session, analyst, case_id, Status.options)
    decision_id = service.decide(
        session, coordinator, case_id, choice=Choice.act, option_id=talks, reasoning="talks first"
    )
    session.commit()
    edits: list[tuple[type[Any], int, Callable[[Any], None]]] = [
        (ActionDecision, decision_id, lambda d: setattr(d, "reasoning", "sanctions first")),
        (ActionDecision, decision_id, session.delete),
        (ActionCaseVersion, 1, lambda v: setattr(v, "changed_by", "someone else")),
        (ActionCaseVersion, 1, session.delete),
    ]
    for model, row_id, edit in edits:
        edit(session.get(model, row_id))
        with pytest.raises(InputError, match="append-only"):
            session.flush()
        session.rollback()
    assert session.get(ActionDecision, decision_id).reasoning == "talks first"  # type: ignore[union-attr]
    assert [v.version for v in service.case_history(session, analyst, case_id)] == [1, 2, 3, 4]
