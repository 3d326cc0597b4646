"""Progress report: need-to-know on draft texts, and who may release or change another ministry's items.

Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gbvs.db.assessment_models import ScenarioType
from gbvs.db.models import AuditLog
from gbvs.db.report_models import ResultIndicator
from gbvs.db.services import assessments, signals
from gbvs.errors import InputError, NotFoundError, PermissionDeniedError
from gbvs.reports import records, workflow
from gbvs.security import Principal, Role
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind

PERIOD = "2018-2019"


def _signal(author: Principal, tlp: Tlp, distribution: Distribution) -> SignalDraft:
    assert author.organisation_code is not None
    return SignalDraft(
        title=f"Signaal {tlp.value} {distribution.value}",
        kind=SignalKind.disinformation,
        observed_on=None,
        reported_on=date(2019, 3, 1),
        owner_organisation=author.organisation_code,
        tlp=tlp,
        distribution=distribution,
        threats=(3,),
        target_countries=("NLD",),
    )


def _denials(session: Session, username: str, action: str) -> int:
    rows = session.scalars(
        select(AuditLog).where(
            AuditLog.actor == username, AuditLog.action == action, AuditLog.outcome == "denied"
        )
    )
    return len(list(rows))


def test_a_coordinator_releases_only_their_own_organisations_items(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    bz_analyst = make_user("bz.analyst", Role.analyst, "BZ")
    bz_coordinator = make_user("bz.coord", Role.coordinator, "BZ")
    def_coordinator = make_user("def.coord", Role.coordinator, "DEF")
    hidden = signals.create_signal(
        session, bz_analyst, _signal(bz_analyst, Tlp.amber, Distribution.organisation)
    )
    shared = signals.create_signal(
        session, bz_analyst, _signal(bz_analyst, Tlp.green, Distribution.all_organisations)
    )
    session.commit()

    with pytest.raises(NotFoundError, match=f"no signal {hidden} that you can see"):
        records.release(session, def_coordinator, "signal", str(hidden), "DEF wil publiceren")
    with pytest.raises(PermissionDeniedError, match="belongs to 'BZ'"):
        records.release(session, def_coordinator, "signal", str(shared), "DEF wil publiceren")
    assert _denials(session, "def.coord", "reports.release") == 1, "the refusal is in the audit log"
    assert records.released(session, bz_coordinator) == frozenset(), "nothing was released"

    row = records.release(session, bz_coordinator, "signal", str(hidden), "BZ stemt in")
    assert (row.kind, row.item_id, row.organisation) == ("signal", str(hidden), "BZ")
    with pytest.raises(NotFoundError, match="no scenario 999"):
        records.release(session, bz_coordinator, "scenario", "999", "bestaat niet")
    with pytest.raises(InputError, match="not a reported value number"):
        records.release(session, bz_coordinator, "reported_value", "1; drop", "fout nummer")


def test_a_threat_scenario_is_released_only_by_its_own_organisation(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    """A scenario belongs to its creator's organisation (it manages the scenario and its panel), so a
    coordinator of another organisation, even one on the panel, cannot publish it."""
    def_coordinator = make_user("def.coord", Role.coordinator, "DEF")
    bz_coordinator = make_user("bz.coord", Role.coordinator, "BZ")
    scenario = assessments.create_scenario(
        session,
        def_coordinator,
        assessments.ScenarioInput(title="Cyberaanval op het elektriciteitsnet", kind=ScenarioType.threat),
    )
    assessments.add_panel_member(session, def_coordinator, scenario, "BZ")
    session.commit()

    with pytest.raises(PermissionDeniedError, match="belongs to 'DEF'"):
        records.release(session, bz_coordinator, "scenario", str(scenario), "BZ wil publiceren")
    assert _denials(session, "bz.coord", "reports.release") == 1, "the refusal is in the audit log"
    assert records.released(session, def_coordinator) == frozenset(), "nothing was released"

    row = records.release(session, def_coordinator, "scenario", str(scenario), "DEF stemt in")
    assert (row.kind, row.item_id, row.organisation) == ("scenario", str(scenario), "DEF")


@pytest.fixture
def readers(make_user: Callable[..., Principal]) -> tuple[Principal, Principal, Principal, Principal]:
    """A BZ coordinator, a DEF author and colleague, and a BZ viewer (outside DEF)."""
    return (
        make_user("bz.coord", Role.coordinator, "BZ"),
        make_user("def.author", Role.analyst, "DEF"),
        make_user("def.colleague", Role.viewer, "DEF"),
        make_user("bz.viewer", Role.viewer, "BZ"),
    )


def test_draft_texts_are_read_under_their_marking(session: Session, readers: tuple[Principal, ...]) -> None:
    coordinator, author, colleague, outsider = readers
    draft = workflow.create_draft(
        session, coordinator, records.period(session, coordinator, PERIOD, create=True)
    )
    for goal, tlp in [(5, "clear"), (6, "green"), (7, "amber"), (8, "amber+strict"), (9, "red")]:
        workflow.contribute(session, author, draft.id, goal, f"tekst {tlp}", tlp=tlp)
    session.commit()
    period_id = draft.period_id

    def seen(principal: Principal) -> list[str]:
        return [c["tlp"] for c in workflow.view(session, principal, draft.id).as_dict()["contributions"]]

    def current(principal: Principal) -> list[str]:
        return [c.tlp for c in workflow.current_contributions(session, principal, period_id)]

    everything = ["clear", "green", "amber", "amber+strict", "red"]
    assert seen(author) == everything
    assert seen(coordinator) == everything, "the coordinator decides what goes in the report"
    assert seen(colleague) == ["clear", "green", "amber", "amber+strict"], "RED: its author only"
    assert seen(outsider) == ["clear", "green"], "AMBER stays within DEF"
    assert current(outsider) == ["clear", "green"]
    assert current(coordinator) == everything
    workflow.contribute(session, author, draft.id, 5, "herziene tekst, nu vertrouwelijk", tlp="amber")
    assert current(outsider) == ["green"], "goal 5's newest text is AMBER: no older CLEAR version instead"
    assert current(colleague) == ["amber", "green", "amber", "amber+strict"]

    amber = next(c for c in workflow.view(session, author, draft.id).contributions if c.tlp == "amber")
    with pytest.raises(PermissionDeniedError, match="belongs to 'DEF'"):
        records.release(session, coordinator, "contribution", str(amber.id), "BZ wil het publiceren")


def test_comments_are_read_under_their_marking(session: Session, readers: tuple[Principal, ...]) -> None:
    """A comment can quote a restricted text, so it has a marking of its own (GREEN unless chosen)."""
    coordinator, author, colleague, outsider = readers
    draft = workflow.create_draft(
        session, coordinator, records.period(session, coordinator, PERIOD, create=True)
    )
    assert workflow.comment(session, author, draft.id, "zonder keuze").tlp == "green"
    for tlp in ("amber", "amber+strict", "red"):
        workflow.comment(session, author, draft.id, f"citeert {tlp}", tlp=tlp)
    with pytest.raises(InputError, match="TLP 'geheim' is unknown"):
        workflow.comment(session, author, draft.id, "x", tlp="geheim")
    session.commit()

    def seen(principal: Principal) -> list[str]:
        return [c["tlp"] for c in workflow.view(session, principal, draft.id).as_dict()["comments"]]

    assert seen(author) == seen(coordinator) == ["green", "amber", "amber+strict", "red"]
    assert seen(colleague) == ["green", "amber", "amber+strict"], "RED: its author only"
    assert seen(outsider) == ["green"], "AMBER stays within DEF"


def test_a_comment_on_a_text_is_read_by_that_texts_ministry(
    session: Session, readers: tuple[Principal, ...], make_user: Callable[..., Principal]
) -> None:
    """A BZ coordinator answers DEF's AMBER text: the comment takes the text's marking, and its AMBER
    readers are DEF's (not the coordinator's BZ); it is never marked lower than the text."""
    coordinator, author, colleague, outsider = readers
    draft = workflow.create_draft(
        session, coordinator, records.period(session, coordinator, PERIOD, create=True)
    )
    amber = workflow.contribute(session, author, draft.id, 7, "vertrouwelijk", tlp="amber")
    red = workflow.contribute(session, author, draft.id, 8, "alleen de auteur", tlp="red")
    answer = workflow.comment(session, coordinator, draft.id, "Klopt dit cijfer?", on_text=amber.id)
    assert (answer.tlp, answer.audience, answer.goal) == ("amber", "DEF", 7)
    with pytest.raises(InputError, match="a comment on it is marked at least so"):
        workflow.comment(session, coordinator, draft.id, "x", tlp="green", on_text=amber.id)
    bz_analyst = make_user("bz.analyst", Role.analyst, "BZ")
    for hidden in (red.id, red.id + 100):  # a text one may not read, and one that does not exist
        with pytest.raises(NotFoundError, match=f"has no text {hidden} that you can read"):
            workflow.comment(session, bz_analyst, draft.id, "x", on_text=hidden)
    session.commit()

    def seen(principal: Principal) -> list[str]:
        return [c["text"] for c in workflow.view(session, principal, draft.id).as_dict()["comments"]]

    assert seen(colleague) == ["Klopt dit cijfer?"], "DEF reads the answer to its text"
    assert seen(outsider) == [], "BZ's viewer does not: the comment is DEF's AMBER"


def test_a_ministry_changes_only_its_own_indicators_actions_and_values(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    coordinator = make_user("bz.coord", Role.coordinator, "BZ")
    defence = make_user("def.analyst", Role.analyst, "DEF")
    records.seed_results_chain(session, coordinator)
    session.commit()
    value = records.ValueEntry("goal2_pve_programmes", "2019", 4, date(2020, 1, 10), "jaarverslag BZ")

    with pytest.raises(PermissionDeniedError, match="belongs to 'BZ'"):
        records.add_reported_value(session, defence, value)
    with pytest.raises(PermissionDeniedError, match="belongs to 'BZ'"):
        records.change_indicator(session, defence, "goal2_pve_programmes", target_value=99)
    action = records.ActionEntry("bz_action", 3, "Wapenbeheersing", "BZ", date(2019, 1, 1))
    with pytest.raises(PermissionDeniedError, match="belongs to 'BZ'"):
        records.save_action(session, defence, action)
    assert records.reported_values(session, coordinator) == []
    assert records.indicator_history(session, coordinator, "goal2_pve_programmes")[-1].version == 1

    own = records.ValueEntry("goal5_nato_readiness", "2019", 80, date(2020, 1, 10), "jaarverslag DEF")
    first = records.add_reported_value(session, defence, own)
    assert first.organisation == "DEF"
    assert records.add_reported_value(session, coordinator, value).organisation == "BZ"
    for_defence = records.ValueEntry(
        "goal5_nato_readiness",
        "2019",
        81,
        date(2020, 1, 12),
        "BZ-overzicht",
        corrects=first.id,
        reason="telfout",
    )
    entered = records.add_reported_value(session, coordinator, for_defence)
    session.commit()  # a refusal rolls back what is pending
    with pytest.raises(PermissionDeniedError, match="belongs to 'DEF'"):  # DEF's indicator, entered by BZ
        records.release(session, coordinator, "reported_value", str(entered.id), "BZ wil het publiceren")
    os_owner = Principal.os_owner("beheer")  # a single-user installation: nobody else could release it
    released = records.release(session, os_owner, "reported_value", str(entered.id), "gepubliceerd")
    assert released.organisation == "DEF"
    saved = records.save_action(session, coordinator, action)
    taken_over = records.ActionEntry("bz_action", 3, "Wapenbeheersing", "DEF", date(2019, 1, 1))
    with pytest.raises(PermissionDeniedError, match="belongs to 'BZ'"):
        records.save_action(session, defence, taken_over)
    assert saved.version == 1

    session.execute(
        update(ResultIndicator)
        .where(ResultIndicator.key == "goal2_pve_programmes")
        .values(name="Naam van een eerdere versie")
    )
    renamed = records.seed_results_chain(session, defence).renamed  # shipped names: not a ministry's edit
    assert "goal2_pve_programmes" in renamed


def test_a_joint_position_in_a_hidden_case_is_not_counted_for_who_cannot_see_the_case(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    from gbvs.db.services import cases
    from gbvs.reports.signal_reads import joint_rows

    owner = make_user("bz.analyst", Role.analyst, "BZ")
    other = make_user("def.analyst", Role.analyst, "DEF")
    shared = signals.create_signal(session, owner, _signal(owner, Tlp.green, Distribution.all_organisations))
    case_id = cases.create_case(
        session,
        owner,
        title="Alleen BZ",
        signal_ids=[shared],
        tlp=Tlp.amber,
        distribution=Distribution.organisation,
    )
    cases.assess(
        session,
        owner,
        case_id=case_id,
        judgement="gezamenlijk",
        likelihood="likely",
        confidence="moderate",
        joint_position_of=["BZ"],
    )
    session.commit()
    year = date.today().year
    period = (date(year, 1, 1), date(year, 12, 31))
    assert [r["signal_id"] for r in joint_rows(session, owner, *period)] == [shared]
    assert joint_rows(session, other, *period) == [], "DEF sees the signal, not the BZ-only case"
