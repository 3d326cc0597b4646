"""The pure rules: transitions, decisions, overdue follow-ups, alert references and the gap figures."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from gbvs.actions import gap
from gbvs.actions.workflow import (
    ALLOWED,
    MAX_NUMBER,
    Choice,
    FollowUp,
    OriginKind,
    Status,
    check_decision,
    check_follow_up_date,
    check_transition,
    decision_in_force,
    overdue_days,
    parse_alert_reference,
    parse_number,
    parse_status,
)
from gbvs.errors import FieldError, InputError
from gbvs.forecasting.watchlist import Alert, AlertKind

JUMP = Alert(AlertKind.jump, change=0.2)


def test_the_workflow_goes_forward_one_step_and_back_one() -> None:
    check_transition(Status.open, Status.options, has_options=True)
    check_transition(Status.decided, Status.closed, has_options=True)
    check_transition(Status.follow_up, Status.decided, has_options=True)  # the decision stays in force
    with pytest.raises(InputError, match="cannot move to 'closed'; allowed: options"):
        check_transition(Status.open, Status.closed, has_options=True)
    with pytest.raises(InputError, match="add at least one option"):
        check_transition(Status.open, Status.options, has_options=False)
    with pytest.raises(InputError, match="only recording a decision"):
        check_transition(Status.options, Status.decided, has_options=True)
    with pytest.raises(InputError, match="withdraws the decision: give the reason"):
        check_transition(Status.decided, Status.options, has_options=True, reason="  ")
    with pytest.raises(InputError, match="reopens a closed case: give the reason"):
        check_transition(Status.closed, Status.follow_up, has_options=True)
    check_transition(Status.decided, Status.options, has_options=True, reason="the EU took it over")


def test_only_the_latest_decision_of_a_decided_case_is_in_force() -> None:
    assert decision_in_force(Status.decided, ["first", "second"]) == "second"
    assert decision_in_force("closed", ["first"]) == "first"
    assert decision_in_force(Status.options, ["first", "second"]) is None
    assert decision_in_force(Status.open, ["first"]) is None
    assert decision_in_force(Status.follow_up, []) is None
    assert all(Status.open not in targets for status, targets in ALLOWED.items() if status != Status.options)


def test_a_decision_names_its_option_or_its_reasons() -> None:
    check_decision(Choice.act, 3, "talks first, then aid")
    with pytest.raises(InputError, match="a decision to act needs its reasoning"):
        check_decision(Choice.act, 3, "")
    check_decision(Choice.no_action, None, "the risk is covered by the EU mission")
    with pytest.raises(InputError, match="names the option"):
        check_decision(Choice.act, None, "")
    with pytest.raises(InputError, match="needs its reasoning"):
        check_decision(Choice.no_action, None, "no")


def test_a_follow_up_falls_between_the_decision_and_ten_years_ahead() -> None:
    decided, today = date(2026, 3, 1), date(2026, 12, 6)
    check_follow_up_date(date(2026, 3, 1), decided, today)
    check_follow_up_date(date(2036, 12, 6), decided, today)
    for wrong in (date(1, 1, 1), date(2026, 2, 28), date(2036, 12, 7)):
        with pytest.raises(InputError, match="outside 2026-03-01 \\(the decision\\) to 2036-12-06"):
            check_follow_up_date(wrong, decided, today)
    check_follow_up_date(date(2034, 2, 28), date(2024, 2, 29), date(2024, 2, 29))  # a leap day


def test_overdue_follow_ups() -> None:
    today = date(2026, 12, 2)
    items = [FollowUp(date(2026, 11, 20)), FollowUp(date(2026, 11, 1), done_on=date(2026, 11, 2))]
    assert overdue_days(items, today) == 12
    assert overdue_days([FollowUp(date(2026, 12, 2))], today) is None


def test_readers_name_the_allowed_values() -> None:
    assert parse_status("follow-up") is Status.follow_up
    with pytest.raises(InputError, match="use one of: open, options"):
        parse_status("done")
    assert parse_alert_reference("forecast-new:652") == ("forecast-new", 652)
    with pytest.raises(InputError, match="RUN_ID:GWCODE"):
        parse_alert_reference("652")


def _alert(gwcode: int, day: int, regions: tuple[str, ...] = ("sahel",)) -> gap.AlertEvent:
    raised = datetime(2026, 1, day, tzinfo=UTC)
    return gap.AlertEvent("run-1", raised, gwcode, None, regions, 0.6, 0.4, (JUMP,), 2027, None)


def test_the_gap_counts_answered_and_unanswered_alerts_per_region() -> None:
    answered, ignored = _alert(432, 1), _alert(652, 1, ("middle_east",))
    case = gap.CaseFacts(
        7, OriginKind.alert, answered.reference, datetime(2026, 1, 3, tzinfo=UTC), frozenset({432}),
        datetime(2026, 1, 11, tzinfo=UTC),
    )  # fmt: skip
    rows = gap.gap_rows([answered, ignored], [case], {(432, 2027): True})
    assert [(r.case_id, r.days_to_case, r.days_to_decision, r.observed) for r in rows] == [
        (7, 2.0, 10.0, True),
        (None, None, None, None),
    ]
    regions = {r.region: r for r in gap.by_region(rows)}
    assert (regions["sahel"].answered, regions["sahel"].median_days_to_decision) == (1, 10.0)
    assert regions["middle_east"].unanswered == 1
    assert (regions[gap.ALL].alerts, regions[gap.ALL].decided, regions[gap.ALL].observed) == (2, 1, 1)
    assert regions[gap.ALL].outcomes_known == 1
    unknown = {r.region: r for r in gap.by_region(gap.gap_rows([answered, ignored], [case]))}
    assert (unknown[gap.ALL].observed, unknown[gap.ALL].outcomes_known) == (None, 0)  # not "0 had conflict"
    false = {r.region: r for r in gap.by_region(gap.gap_rows([answered], [case], {(432, 2027): False}))}
    assert (false[gap.ALL].observed, false[gap.ALL].outcomes_known) == (0, 1)


def test_a_country_case_answers_an_alert_only_while_its_run_is_the_latest() -> None:
    alert = gap.AlertEvent(
        "run-1", datetime(2026, 1, 1, tzinfo=UTC), 432, None, (), 0.6, 0.4, (JUMP,), 2027,
        next_run_at=datetime(2026, 2, 1, tzinfo=UTC),
    )  # fmt: skip
    inside = gap.CaseFacts(
        1, OriginKind.country, "MLI", datetime(2026, 1, 5, tzinfo=UTC), frozenset({432}), None
    )
    later = gap.CaseFacts(
        2, OriginKind.country, "MLI", datetime(2026, 3, 1, tzinfo=UTC), frozenset({432}), None
    )
    assert gap.answering_case(alert, [later]) is None
    assert gap.answering_case(alert, [later, inside]) == inside


def test_a_reference_number_is_ascii_and_fits_a_row_id() -> None:
    from gbvs.db.types import MAX_ROW_ID

    assert MAX_NUMBER == MAX_ROW_ID  # the core's copy of the database's bound
    assert parse_number("12", "scenario") == 12
    for bad in ("²", "0", "-1", str(MAX_ROW_ID + 1), "9" * 5000, "", "1.5"):
        with pytest.raises(FieldError, match="is not a number from 1 to 2147483647") as refused:
            parse_number(bad, "scenario")
        assert refused.value.field == "originRef"
    with pytest.raises(FieldError, match="Gleditsch-Ward code"):
        parse_alert_reference("forecast-new:²")


def test_a_case_without_an_owning_organisation_is_worked_on_by_accounts_without_one_and_admins() -> None:
    """A case opened by an account without an organisation could be changed only by its opener, so an
    analyst's case could never be decided (analysts do not decide) but by the OS owner."""
    from gbvs.actions.service import works_on
    from gbvs.security import Principal, Role

    def account(name: str, role: Role, organisation: int | None = None) -> Principal:
        return Principal(username=name, role=role, user_id=1, organisation_id=organisation)

    assert works_on(account("noorg", Role.analyst), None, "noorg")  # the opener
    assert works_on(account("coco", Role.coordinator), None, "noorg")  # a coordinator without one
    assert works_on(account("root", Role.admin, 1), None, "noorg")  # admins act for everyone
    assert not works_on(account("bzco", Role.coordinator, 1), None, "noorg")  # BZ's is not its own
    assert not works_on(account("root", Role.admin, 1), 2, "defana")  # an organisation's case stays its own
    assert works_on(account("defco", Role.coordinator, 2), 2, "defana")
