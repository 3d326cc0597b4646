"""A round's deadline and its reopening: scores after the deadline are a state conflict naming it and
who extends it (the round stays open), only a coordinator of the owning organisation sets deadlines and
reopens, a reopening needs a reason and keeps the sheets, and a round a frozen report cites stays closed.
The clock is passed in, never read from the wall. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.assessments import load_method
from gbvs.db.models import AuditLog, Outcome
from gbvs.db.report_models import PeriodStatus, ReportingPeriod, ReportSnapshot
from gbvs.db.services import assessments as svc
from gbvs.errors import InputError, Moment, PermissionDeniedError, StateConflictError
from gbvs.security import Principal, Role

MakeUser = Callable[..., Principal]
CRITERIA = load_method("nrb_2009").criterion_ids()
NOW = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 12, 14, 16, 0, tzinfo=UTC)


def _scores(code: str = "B") -> dict[str, tuple[str, str]]:
    return {criterion: (code, f"reason for {criterion}") for criterion in CRITERIA}


def _next_request(session: Session) -> None:
    session.commit()
    session.expire_all()


@pytest.fixture
def team(make_user: MakeUser) -> dict[str, Principal]:
    return {
        "coco": make_user("coco", Role.coordinator),
        "ann": make_user("ann", Role.analyst),
        "bob": make_user("bob", Role.analyst),
        "dirk": make_user("dirk", Role.analyst, "DEF"),
        "decoco": make_user("decoco", Role.coordinator, "DEF"),
    }


@pytest.fixture
def scenario(session: Session, team: dict[str, Principal]) -> int:
    """A scenario made by BZ's coordinator: BZ owns it and is its panel."""
    scenario_id = svc.create_scenario(
        session, team["coco"], svc.ScenarioInput(title="Cyberaanval", kind=svc.ScenarioType.threat)
    )
    session.commit()
    return scenario_id


def _closed_round(session: Session, team: dict[str, Principal], scenario: int) -> None:
    svc.open_round(session, team["coco"], scenario, now=NOW)
    svc.submit_scores(session, team["ann"], scenario, ("C", "kans"), _scores(), now=NOW)
    _next_request(session)
    svc.close_round(session, team["coco"], scenario)
    _next_request(session)


def test_a_score_after_the_deadline_is_a_conflict_naming_it_and_who_extends_it(
    session: Session, team: dict[str, Principal], scenario: int
) -> None:
    svc.open_round(session, team["coco"], scenario, deadline=DEADLINE, now=NOW)
    _next_request(session)
    assert svc.get_scenario(session, team["ann"], scenario).rounds[0].deadline == DEADLINE
    before = DEADLINE - timedelta(minutes=1)
    assert svc.submit_scores(session, team["ann"], scenario, ("C", "kans"), _scores(), now=before) == 1
    _next_request(session)
    with pytest.raises(StateConflictError) as late:
        svc.submit_scores(session, team["bob"], scenario, ("C", "kans"), _scores(), now=DEADLINE)
    message = str(late.value)
    assert f"until its deadline {Moment.of(DEADLINE)}" in message
    assert "a coordinator of BZ or an admin can extend" in message
    assert f"gbvs assessments deadline {scenario} --deadline" in message
    session.rollback()
    summary = svc.get_scenario(session, team["ann"], scenario).rounds[0]
    assert summary.status == "open" and summary.submitted == ("ann",)  # it did not close itself
    later = DEADLINE + timedelta(days=2)
    assert svc.set_deadline(session, team["coco"], scenario, later, now=DEADLINE) == 1
    _next_request(session)
    assert svc.submit_scores(session, team["bob"], scenario, ("D", "kans"), _scores(), now=DEADLINE) == 1


def test_a_deadline_that_has_passed_or_has_no_zone_is_refused(
    session: Session, team: dict[str, Principal], scenario: int
) -> None:
    with pytest.raises(InputError, match="has passed"):
        svc.open_round(session, team["coco"], scenario, deadline=NOW - timedelta(hours=1), now=NOW)
    session.rollback()
    with pytest.raises(InputError, match="has no time zone"):
        svc.open_round(session, team["coco"], scenario, deadline=datetime(2026, 12, 14, 17), now=NOW)
    session.rollback()
    assert svc.get_scenario(session, team["coco"], scenario).rounds == ()


def test_changing_the_deadline_is_audited_with_the_old_and_the_new_one(
    session: Session, team: dict[str, Principal], scenario: int
) -> None:
    svc.open_round(session, team["coco"], scenario, deadline=DEADLINE, now=NOW)
    svc.set_deadline(session, team["coco"], scenario, None, now=NOW)
    _next_request(session)
    assert svc.get_scenario(session, team["ann"], scenario).rounds[0].deadline is None
    [entry] = session.scalars(select(AuditLog).where(AuditLog.action == "assessments.deadline")).all()
    assert entry.actor == "coco" and entry.outcome is Outcome.success
    detail = (entry.detail["round"], entry.detail["from"], entry.detail["to"])
    assert detail == (1, str(Moment.of(DEADLINE)), None)


def test_only_a_coordinator_of_the_owning_organisation_sets_the_deadline_or_reopens(
    session: Session, team: dict[str, Principal], scenario: int
) -> None:
    svc.open_round(session, team["coco"], scenario, now=NOW)
    _next_request(session)
    for who in ("decoco", "ann"):
        with pytest.raises(PermissionDeniedError):
            svc.set_deadline(session, team[who], scenario, DEADLINE, now=NOW)
    svc.submit_scores(session, team["ann"], scenario, ("C", "kans"), _scores(), now=NOW)
    _next_request(session)
    svc.close_round(session, team["coco"], scenario)
    _next_request(session)
    for who in ("decoco", "ann"):
        with pytest.raises(PermissionDeniedError):
            svc.reopen_round(session, team[who], scenario, "te vroeg gesloten", now=NOW)
        with pytest.raises(PermissionDeniedError):
            svc.not_scored(session, team[who], scenario)
    assert svc.get_scenario(session, team["coco"], scenario).rounds[0].status == "closed"
    denied = session.scalars(select(AuditLog.action).where(AuditLog.outcome == Outcome.denied)).all()
    assert denied.count("assessments.reopen_round") == 2 and denied.count("assessments.deadline") == 2


def test_a_reopened_round_keeps_its_scores_and_says_who_reopened_it_when_and_why(
    session: Session, team: dict[str, Principal], scenario: int
) -> None:
    _closed_round(session, team, scenario)
    closed = svc.get_scenario(session, team["coco"], scenario).rounds[0]
    with pytest.raises(InputError, match="reason is empty"):
        svc.reopen_round(session, team["coco"], scenario, "  ", now=NOW)
    session.rollback()
    later = NOW + timedelta(days=1)
    why = "Bob was ziek; zijn scores ontbreken"
    assert svc.reopen_round(session, team["coco"], scenario, why, deadline=DEADLINE, now=later) == 1
    _next_request(session)
    summary = svc.round_view(session, team["bob"], scenario).round
    assert summary.status == "open" and summary.submitted == ("ann",) and summary.deadline == DEADLINE
    [reopening] = summary.reopenings
    assert (reopening.reopened_by, reopening.reopened_at, reopening.reason) == ("coco", later, why)
    assert (reopening.closed_by, reopening.closed_at) == ("coco", closed.closed_at)
    assert svc.round_view(session, team["bob"], scenario).sheets == ()  # blind again
    svc.submit_scores(session, team["bob"], scenario, ("D", "kans"), _scores("C"), now=later)
    _next_request(session)
    svc.close_round(session, team["coco"], scenario)
    _next_request(session)
    view = svc.round_view(session, team["ann"], scenario)
    assert [s.analyst for s in view.sheets] == ["ann", "bob"] and view.round.reopened
    results = svc.results(session, team["ann"], iterations=1)
    assert results.rounds[str(scenario)].reopened
    [entry] = session.scalars(select(AuditLog).where(AuditLog.action == "assessments.reopen_round")).all()
    assert entry.detail["reason"] == why and entry.detail["closed_at"] == str(Moment.of(closed.closed_at))


def test_only_the_last_closed_round_reopens(
    session: Session, team: dict[str, Principal], scenario: int
) -> None:
    svc.open_round(session, team["coco"], scenario, now=NOW)
    _next_request(session)
    with pytest.raises(StateConflictError, match="is open; only a closed round can be reopened"):
        svc.reopen_round(session, team["coco"], scenario, "waarom", now=NOW)
    session.rollback()
    svc.submit_scores(session, team["ann"], scenario, ("C", "kans"), _scores(), now=NOW)
    _next_request(session)
    svc.close_round(session, team["coco"], scenario)
    svc.open_round(session, team["coco"], scenario, now=NOW)
    _next_request(session)
    with pytest.raises(StateConflictError, match="is followed by round 2; only the last round"):
        svc.reopen_round(session, team["coco"], scenario, "waarom", number=1, now=NOW)


def test_a_round_whose_results_a_frozen_report_cites_is_not_reopened(
    session: Session, team: dict[str, Principal], scenario: int
) -> None:
    _closed_round(session, team, scenario)
    period = ReportingPeriod(
        label="2026-2027",
        starts_on=datetime(2026, 1, 1).date(),
        ends_on=datetime(2027, 12, 31).date(),
        status=PeriodStatus.closed,
    )
    session.add(period)
    session.flush()
    session.add(
        ReportSnapshot(
            period_id=period.id,
            content_hash="sha256:x",
            inputs={"risk_diagram": {"points": [{"key": str(scenario)}]}},
            outputs={},
            created_by="coco",
        )
    )
    _next_request(session)
    with pytest.raises(StateConflictError) as refused:
        svc.reopen_round(session, team["coco"], scenario, "een analist vergat iets", now=NOW)
    assert "frozen report of 2026-2027" in str(refused.value)
    assert f"Open round 2 instead (`gbvs assessments open-round {scenario}`)" in str(refused.value)
    session.rollback()
    assert svc.get_scenario(session, team["coco"], scenario).rounds[0].status == "closed"


def test_the_coordinator_sees_who_on_the_panel_has_not_scored_yet(
    session: Session, team: dict[str, Principal], scenario: int
) -> None:
    svc.open_round(session, team["coco"], scenario, deadline=DEADLINE, now=NOW)
    _next_request(session)
    assert svc.not_scored(session, team["coco"], scenario) == ("ann", "bob")  # not coco, not DEF's dirk
    svc.submit_scores(session, team["ann"], scenario, ("C", "kans"), _scores(), now=NOW)
    svc.add_panel_member(session, team["coco"], scenario, "DEF")
    _next_request(session)
    assert svc.not_scored(session, team["coco"], scenario) == ("bob", "dirk")


def test_who_has_not_scored_is_told_to_who_manages_the_scenario_while_the_round_is_open(
    session: Session, team: dict[str, Principal], scenario: int
) -> None:
    """The rule the round page, `gbvs assessments show`/`round` and the API's round share: the list for
    who manages the scenario while its round is open; None (not told) for the others and a closed round."""
    view = svc.get_scenario(session, team["coco"], scenario)
    assert svc.not_scored_to_chase(session, team["coco"], view) is None  # no round yet
    svc.open_round(session, team["coco"], scenario, deadline=DEADLINE, now=NOW)
    svc.submit_scores(session, team["ann"], scenario, ("C", "kans"), _scores(), now=NOW)
    _next_request(session)
    for who, told in (("coco", ("bob",)), ("ann", None), ("decoco", None)):
        view = svc.get_scenario(session, team[who], scenario)
        assert svc.not_scored_to_chase(session, team[who], view) == told, who
        assert svc.not_scored_to_chase(session, team[who], view, 1) == told, who
    svc.submit_scores(session, team["bob"], scenario, ("C", "kans"), _scores(), now=NOW)
    _next_request(session)
    view = svc.get_scenario(session, team["coco"], scenario)
    assert svc.not_scored_to_chase(session, team["coco"], view) == ()  # everyone scored: told so
    svc.close_round(session, team["coco"], scenario)
    _next_request(session)
    view = svc.get_scenario(session, team["coco"], scenario)
    assert svc.not_scored_to_chase(session, team["coco"], view) is None  # closed: nobody to chase
