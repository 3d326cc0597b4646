"""Threat assessment records: draft scenarios, blind Delphi rounds, revisions, dissent, results, audit.

Runs on SQLite and PostgreSQL (the ``session`` fixture).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gbvs.assessments import load_method
from gbvs.db.assessment_models import LinkKind, ScenarioType, ScoreEntry, ScoreSheet, ScoringRound
from gbvs.db.models import AuditLog, Outcome
from gbvs.db.services import assessments as svc
from gbvs.errors import InputError, NotFoundError, PermissionDeniedError
from gbvs.security import Principal, Role

MakeUser = Callable[..., Principal]
NRB = load_method("nrb_2009")


def _scores(default: str = "A", **classes: str) -> dict[str, tuple[str, str]]:
    scores = {criterion: (default, f"reason for {criterion}") for criterion in NRB.criterion_ids()}
    scores.update(
        {key.removeprefix("c").replace("_", "."): (code, "because") for key, code in classes.items()}
    )
    return scores


@pytest.fixture
def team(make_user: MakeUser) -> dict[str, Principal]:
    return {
        "coco": make_user("coco", Role.coordinator),
        "ann": make_user("ann", Role.analyst),
        "bob": make_user("bob", Role.analyst, "DEF"),
        "cas": make_user("cas", Role.analyst),
        "vic": make_user("vic", Role.viewer),
    }


def test_the_six_threats_are_seeded_as_unscored_drafts_once(
    session: Session, team: dict[str, Principal]
) -> None:
    created = svc.seed_drafts(session, team["coco"])
    session.commit()
    assert len(created) == 6
    assert svc.seed_drafts(session, team["coco"]) == []  # idempotent
    scenarios = svc.list_scenarios(session, team["vic"])
    assert [s.threats for s in scenarios] == [(1,), (2,), (3,), (4,), (5,), (6,)]
    first = scenarios[0]
    assert first.title == "Concept: Terroristische aanslagen" and first.status == "draft"
    assert "§3.1" in first.description and first.kind == "threat"
    assert {link.value for link in first.links if link.kind == "goal"} >= {"1", "2"}
    assert session.scalar(select(func.count()).select_from(ScoreSheet)) == 0  # no invented scores


def test_round_one_is_blind_then_revealed_with_spread(session: Session, team: dict[str, Principal]) -> None:
    [scenario_id, *_] = svc.seed_drafts(session, team["coco"])
    svc.add_panel_member(session, team["coco"], scenario_id, "DEF")  # bob's
    assert svc.open_round(session, team["coco"], scenario_id) == 1
    svc.submit_scores(session, team["ann"], scenario_id, ("B", "weak signs"), _scores(c2_1="A"))
    svc.submit_scores(session, team["bob"], scenario_id, ("D", "intent shown"), _scores(c2_1="C"))
    svc.submit_scores(session, team["cas"], scenario_id, ("C", "possible"), _scores(c2_1="E"))
    session.commit()

    for reader in ("ann", "coco", "vic"):
        view = svc.round_view(session, team[reader], scenario_id)
        assert view.sheets == () and view.spread is None and not view.revealed
        assert view.round.submitted == ("ann", "bob", "cas")
    own = svc.round_view(session, team["ann"], scenario_id).own
    assert own is not None and own.analyst == "ann" and own.likelihood == "B"
    assert svc.round_view(session, team["coco"], scenario_id).own is None
    assert {sheet.analyst for _, sheet in svc.sheet_history(session, team["ann"], scenario_id)} == {"ann"}
    assert svc.results(session, team["ann"], iterations=10).results is None  # open rounds never count

    svc.close_round(session, team["coco"], scenario_id)
    session.commit()
    view = svc.round_view(session, team["ann"], scenario_id)
    assert view.revealed and [sheet.analyst for sheet in view.sheets] == ["ann", "bob", "cas"]
    assert view.spread is not None
    assert (
        view.spread.impact["2.1"].median,
        view.spread.impact["2.1"].low,
        view.spread.impact["2.1"].high,
    ) == (3, 1, 5)
    assert (view.spread.likelihood.median, view.spread.likelihood.low, view.spread.likelihood.high) == (
        3,
        2,
        4,
    )


def test_round_two_revisions_are_new_versions_and_the_final_is_their_median(
    session: Session, team: dict[str, Principal]
) -> None:
    [first, second, *_] = svc.seed_drafts(session, team["coco"])
    for scenario_id in (first, second):
        svc.add_panel_member(session, team["coco"], scenario_id, "DEF")
        svc.open_round(session, team["coco"], scenario_id)
    for analyst, code in (("ann", "A"), ("bob", "C"), ("cas", "E")):
        svc.submit_scores(session, team[analyst], first, ("C", "x"), _scores(c2_1=code))
        svc.submit_scores(session, team[analyst], second, ("B", "x"), _scores())
    for scenario_id in (first, second):
        svc.close_round(session, team["coco"], scenario_id)
    assert svc.open_round(session, team["coco"], first) == 2
    with pytest.raises(InputError, match=r"round 2 of scenario .* is still open"):
        svc.open_round(session, team["coco"], first)
    for analyst, code in (("ann", "C"), ("bob", "C"), ("cas", "D")):
        svc.submit_scores(session, team[analyst], first, ("D", "revised"), _scores(c2_1=code))
    assert svc.submit_scores(session, team["cas"], first, ("D", "again"), _scores(c2_1="E")) == 2
    svc.close_round(session, team["coco"], first)
    session.commit()

    view = svc.round_view(session, team["vic"], first)
    assert view.round.number == 2 and view.spread is not None
    assert (view.spread.impact["2.1"].median, view.spread.impact["2.1"].high) == (3, 5)  # C, C, E
    history = svc.sheet_history(session, team["vic"], first)
    assert len(history) == 7 and [n for n, s in history if s.analyst == "cas"] == [1, 2, 2]
    round_one = svc.round_view(session, team["vic"], first, number=1)
    assert round_one.spread is not None and round_one.spread.impact["2.1"].low == 1

    outcome = svc.results(session, team["vic"], iterations=50)
    assert outcome.results is not None and len(outcome.not_scored) == 4
    by_key = {row.key: row for row in outcome.results.scenarios}
    # first: 2.1 median C (3), the other nine A (1); equal criteria: (3 + 9) / 10 = 1.2; second: all A = 1.0
    assert by_key[str(first)].impacts["equal_criteria"].total == pytest.approx(1.2)
    assert by_key[str(first)].ranks == {"equal_criteria": 1, "equal_interests": 1}
    assert by_key[str(second)].ranks["equal_criteria"] == 2
    assert set(outcome.results.resampled["equal_criteria"]) == {str(first), str(second)}


def test_dissent_is_kept_and_shown_with_the_scenario(session: Session, team: dict[str, Principal]) -> None:
    [scenario_id, *_] = svc.seed_drafts(session, team["coco"])
    svc.add_panel_member(session, team["coco"], scenario_id, "DEF")
    svc.open_round(session, team["coco"], scenario_id)
    svc.submit_scores(session, team["bob"], scenario_id, ("D", "intent shown"), _scores(c2_1="C"))
    svc.record_dissent(session, team["bob"], scenario_id, "Fatalities are underrated.", criterion="2.1")
    session.commit()
    [own] = svc.get_scenario(session, team["bob"], scenario_id).dissent
    assert (own.analyst, own.criterion, own.round_number) == ("bob", "2.1", 1)
    for reader in ("vic", "ann", "coco"):  # its text could tell bob's scores before the round reveals them
        assert svc.get_scenario(session, team[reader], scenario_id).dissent == (), reader
        assert svc.round_view(session, team[reader], scenario_id).dissent == (), reader
    assert svc.round_view(session, team["bob"], scenario_id).dissent == (own,)

    svc.close_round(session, team["coco"], scenario_id)
    session.commit()
    assert svc.get_scenario(session, team["vic"], scenario_id).dissent == (own,)
    assert svc.round_view(session, team["ann"], scenario_id).dissent == (own,)
    with pytest.raises(InputError, match=r"criterion '9\.9' is not in method 'nrb_2009'"):
        svc.record_dissent(session, team["bob"], scenario_id, "x", criterion="9.9")


def test_who_may_do_what_and_refusals_are_audited(session: Session, team: dict[str, Principal]) -> None:
    [scenario_id, *_] = svc.seed_drafts(session, team["coco"])
    session.commit()  # a refusal rolls back pending work
    with pytest.raises(PermissionDeniedError, match="assessments:manage"):
        svc.open_round(session, team["ann"], scenario_id)
    svc.open_round(session, team["coco"], scenario_id)
    session.commit()
    with pytest.raises(PermissionDeniedError, match="assessments:score"):
        svc.submit_scores(session, team["vic"], scenario_id, ("A", "x"), _scores())
    with pytest.raises(PermissionDeniedError, match="assessments:manage"):
        svc.create_scenario(session, team["ann"], svc.ScenarioInput(title="x", kind=ScenarioType.hazard))
    svc.submit_scores(session, team["ann"], scenario_id, ("A", "x"), _scores())
    session.commit()
    actions = {
        action: count
        for action, count in session.execute(select(AuditLog.action, func.count()).group_by(AuditLog.action))
    }
    assert actions["assessments.score"] == 2 and actions["assessments.open_round"] == 2
    denied = session.scalars(select(AuditLog.actor).where(AuditLog.outcome == Outcome.denied)).all()
    assert sorted(denied) == ["ann", "ann", "vic"]
    scored = session.scalars(select(AuditLog).where(AuditLog.action == "assessments.score")).all()
    assert all("2.1" not in str(entry.detail) for entry in scored)  # the audit log does not leak scores


def test_bad_scores_and_bad_links_are_refused_with_the_fix(
    session: Session, team: dict[str, Principal]
) -> None:
    [scenario_id, *_] = svc.seed_drafts(session, team["coco"])
    with pytest.raises(InputError, match="has no open round; a coordinator opens one"):
        svc.submit_scores(session, team["ann"], scenario_id, ("A", "x"), _scores())
    svc.open_round(session, team["coco"], scenario_id)
    with pytest.raises(InputError, match=r"criterion 2\.1: class 'F' is not on scale"):
        svc.submit_scores(session, team["ann"], scenario_id, ("A", "x"), _scores(c2_1="F"))
    with pytest.raises(InputError, match="likelihood: the justification is empty"):
        svc.submit_scores(session, team["ann"], scenario_id, ("A", " "), _scores())
    with pytest.raises(InputError, match="has no scores yet"):
        svc.close_round(session, team["coco"], scenario_id)
    with pytest.raises(NotFoundError, match="signal 999 does not exist or is not shared with you"):
        svc.add_evidence(session, team["coco"], scenario_id, LinkKind.signal, "999")
    with pytest.raises(InputError, match="not a stored account"):
        svc.submit_scores(session, Principal.local_user(), scenario_id, ("A", "x"), _scores())
    svc.add_evidence(session, team["coco"], scenario_id, LinkKind.document, "NCTV DTN 2018", "threat level")
    svc.add_evidence(session, team["coco"], scenario_id, LinkKind.indicator, "vdem_polyarchy")
    session.commit()
    kinds = {link.kind for link in svc.get_scenario(session, team["vic"], scenario_id).links}
    assert {"document", "indicator", "threat", "goal"} <= kinds


def test_a_signal_is_linked_only_when_the_coordinator_may_see_it(
    session: Session, team: dict[str, Principal]
) -> None:
    from datetime import date

    from gbvs.db.services import signals
    from gbvs.signals.markings import Distribution, Tlp
    from gbvs.signals.model import SignalDraft, SignalKind

    def signal(author: Principal, distribution: Distribution) -> int:
        draft = SignalDraft(
            title="Interference seen",
            kind=SignalKind.foreign_interference,
            observed_on=None,
            reported_on=date(2024, 5, 1),
            owner_organisation=str(author.organisation_code),
            tlp=Tlp.amber,
            distribution=distribution,
        )
        return signals.create_signal(session, author, draft)

    shared = signal(team["ann"], Distribution.all_organisations)  # BZ, shared with every organisation
    private = signal(team["bob"], Distribution.organisation)  # DEF only; coco is BZ
    [scenario_id, *_] = svc.seed_drafts(session, team["coco"])
    svc.add_evidence(session, team["coco"], scenario_id, LinkKind.signal, str(shared), "seen in 2024")
    with pytest.raises(NotFoundError, match=f"signal {private} does not exist or is not shared with you"):
        svc.add_evidence(session, team["coco"], scenario_id, LinkKind.signal, str(private))
    links = svc.get_scenario(session, team["vic"], scenario_id).links
    assert ("signal", str(shared), "seen in 2024") in [(link.kind, link.value, link.note) for link in links]


def test_a_linked_signal_is_shown_only_to_whom_may_see_it(session: Session, make_user: MakeUser) -> None:
    """A coordinator of DEF links a DEF-only signal; BZ's readers see neither its id nor the note."""
    from datetime import date

    from gbvs.db.services import signals
    from gbvs.signals.markings import Distribution, Tlp
    from gbvs.signals.model import SignalDraft, SignalKind

    defence = make_user("def.coord", Role.coordinator, "DEF")
    foreign = make_user("bz.coord", Role.coordinator, "BZ")
    draft = SignalDraft(
        title="Interference seen",
        kind=SignalKind.foreign_interference,
        observed_on=None,
        reported_on=date(2024, 5, 1),
        owner_organisation="DEF",
        tlp=Tlp.amber,
        distribution=Distribution.organisation,
    )
    private = str(signals.create_signal(session, defence, draft))
    [scenario_id, *_] = svc.seed_drafts(session, defence)
    svc.add_evidence(session, defence, scenario_id, LinkKind.signal, private, "bron: DEF-rapport 12")
    session.commit()

    def signal_links(reader: Principal) -> list[tuple[str, str]]:
        links = svc.get_scenario(session, reader, scenario_id).links
        return [(link.value, link.note) for link in links if link.kind == "signal"]

    assert signal_links(defence) == [(private, "bron: DEF-rapport 12")]
    assert signal_links(foreign) == []
    history = svc.scenario_history(session, foreign, scenario_id)
    assert "DEF-rapport" not in str([version.snapshot for version in history])
    listed = svc.list_scenarios(session, foreign)[0]
    assert all(link.kind != "signal" for link in listed.links)
    unlink = svc.ScenarioEdit(remove_evidence=((LinkKind.signal, private),))
    with pytest.raises(PermissionDeniedError, match="only for their own organisation, not for 'DEF'"):
        svc.edit_scenario(session, foreign, scenario_id, unlink)  # DEF's scenario: DEF's coordinators
    admin = make_user("bz.admin", Role.admin, "BZ")  # manages every scenario, reads signals by need-to-know
    with pytest.raises(NotFoundError, match=f"has no signal link '{private}'"):
        svc.edit_scenario(session, admin, scenario_id, unlink)


def _closed_round(session: Session, team: dict[str, Principal], scenario_id: int) -> None:
    svc.open_round(session, team["coco"], scenario_id)
    svc.submit_scores(session, team["ann"], scenario_id, ("C", "x"), _scores(c2_1="C"))
    svc.close_round(session, team["coco"], scenario_id)


def test_the_results_name_the_round_they_come_from(session: Session, team: dict[str, Principal]) -> None:
    [scenario_id, *_] = svc.seed_drafts(session, team["coco"])
    _closed_round(session, team, scenario_id)
    session.commit()
    view = svc.results(session, team["vic"], iterations=10)
    summary = view.rounds[str(scenario_id)]
    assert (summary.number, summary.closed_by, summary.submitted) == (1, "coco", ("ann",))
    assert summary.method_version == NRB.version and summary.closed_at is not None


def test_a_round_scored_under_another_method_version_is_not_computed_with_todays_values(
    session: Session, team: dict[str, Principal]
) -> None:
    """The class codes of an older method version may mean other values: shown apart, never recomputed."""
    [old, current, *_] = svc.seed_drafts(session, team["coco"])
    for scenario_id in (old, current):
        _closed_round(session, team, scenario_id)
    round_ = session.scalars(select(ScoringRound).where(ScoringRound.scenario_id == old)).one()
    round_.method_version = "2009.0-older"
    session.commit()

    view = svc.results(session, team["vic"], iterations=10)
    assert view.results is not None and [row.key for row in view.results.scenarios] == [str(current)]
    assert [(s.id, rd.method_version) for s, rd in view.other_version] == [(old, "2009.0-older")]
    shown = svc.round_view(session, team["vic"], old)
    assert shown.method_changed and shown.spread is None and [s.analyst for s in shown.sheets] == ["ann"]
    assert not svc.round_view(session, team["vic"], current).method_changed


def test_a_method_file_changed_under_the_same_version_is_named_not_a_crash(
    session: Session, team: dict[str, Principal]
) -> None:
    [scenario_id, *_] = svc.seed_drafts(session, team["coco"])
    _closed_round(session, team, scenario_id)
    entry = session.scalars(select(ScoreEntry).where(ScoreEntry.criterion == "2.1")).one()
    entry.criterion = "9.9"  # as if the method file had renamed criterion 2.1 without a new version
    session.commit()
    for read in (
        lambda: svc.results(session, team["vic"], iterations=10),
        lambda: svc.round_view(session, team["vic"], scenario_id),
    ):
        with pytest.raises(InputError, match=r"round 1 of scenario \d+ was scored under method 'nrb_2009'"):
            read()


def test_a_scenario_is_managed_by_its_organisation_and_its_reasons_read_by_its_panel(
    session: Session, make_user: MakeUser
) -> None:
    """DEF made and scored it: BZ's coordinator may not run its rounds, BZ's analysts may not score it,
    and BZ's readers see the codes without DEF's justifications and dissent, until DEF invites BZ."""
    owner = make_user("def.coord", Role.coordinator, "DEF")
    analyst = make_user("def.analyst", Role.analyst, "DEF")
    other = make_user("bz.coord", Role.coordinator, "BZ")
    reader = make_user("bz.viewer", Role.viewer, "BZ")
    [scenario_id, *_] = svc.seed_drafts(session, owner)
    session.commit()  # a refusal rolls back what is pending, as each request is its own transaction
    with pytest.raises(PermissionDeniedError, match="only for their own organisation, not for 'DEF'"):
        svc.open_round(session, other, scenario_id)
    svc.open_round(session, owner, scenario_id)
    svc.submit_scores(session, analyst, scenario_id, ("C", "bron: MIVD-rapport"), _scores(c2_1="B"))
    svc.record_dissent(session, analyst, scenario_id, "onderschat volgens MIVD-bron")
    session.commit()
    with pytest.raises(PermissionDeniedError):
        svc.close_round(session, other, scenario_id)
    svc.close_round(session, owner, scenario_id)
    session.commit()

    seen = svc.round_view(session, reader, scenario_id)
    [sheet] = seen.sheets
    assert (
        sheet.scores["2.1"] == ("B", "") and sheet.likelihood == "C" and sheet.likelihood_justification == ""
    )
    assert seen.reasons_withheld and seen.spread is not None  # the figures stay, the texts do not
    [dissent] = svc.get_scenario(session, reader, scenario_id).dissent
    assert dissent.withheld and dissent.text == "" and dissent.analyst == "def.analyst"
    assert "MIVD" not in str(svc.sheet_history(session, reader, scenario_id))
    assert "MIVD" in str(svc.round_view(session, owner, scenario_id).sheets)  # DEF reads its own panel's

    bz_analyst = make_user("bz.analyst", Role.analyst, "BZ")
    svc.open_round(session, owner, scenario_id)
    session.commit()
    with pytest.raises(PermissionDeniedError, match=r"not on the panel of scenario \d+ .*: DEF; .*"):
        svc.submit_scores(session, bz_analyst, scenario_id, ("D", "eigen inschatting"), _scores())
    with pytest.raises(PermissionDeniedError, match="a coordinator of DEF or an admin can add BZ"):
        svc.record_dissent(session, bz_analyst, scenario_id, "ik doe ook mee")
    assert "MIVD" not in str(svc.round_view(session, reader, scenario_id, number=1).sheets)
    with pytest.raises(PermissionDeniedError, match="not for 'DEF'"):
        svc.add_panel_member(session, other, scenario_id, "BZ")  # BZ cannot invite itself
    svc.add_panel_member(session, owner, scenario_id, "BZ")
    session.commit()
    assert "MIVD" in str(svc.round_view(session, reader, scenario_id, number=1).sheets)  # BZ is on the panel
    svc.submit_scores(session, bz_analyst, scenario_id, ("D", "eigen inschatting"), _scores())


def test_the_coordinator_invites_and_removes_panel_members_audited(
    session: Session, team: dict[str, Principal]
) -> None:
    [scenario_id, *_] = svc.seed_drafts(session, team["coco"])
    session.commit()
    assert [(m.organisation, m.owner) for m in svc.get_scenario(session, team["vic"], scenario_id).panel] == [
        ("BZ", True)
    ]
    with pytest.raises(InputError, match=f"BZ owns scenario {scenario_id} and is always on its panel"):
        svc.add_panel_member(session, team["coco"], scenario_id, "bz")
    with pytest.raises(NotFoundError, match=r"organisation 'NOPE' does not exist \(known: BZ, DEF\)"):
        svc.add_panel_member(session, team["coco"], scenario_id, "NOPE")
    with pytest.raises(PermissionDeniedError, match="assessments:manage"):
        svc.add_panel_member(session, team["ann"], scenario_id, "DEF")
    assert svc.add_panel_member(session, team["coco"], scenario_id, "def") == "DEF"
    with pytest.raises(InputError, match="DEF is already on the panel"):
        svc.add_panel_member(session, team["coco"], scenario_id, "DEF")
    session.commit()
    panel = svc.get_scenario(session, team["vic"], scenario_id).panel  # every reader sees the panel
    assert [(m.organisation, m.owner, m.added_by) for m in panel] == [
        ("BZ", True, "coco"),
        ("DEF", False, "coco"),
    ]
    assert svc.remove_panel_member(session, team["coco"], scenario_id, "DEF") == "DEF"
    with pytest.raises(NotFoundError, match=r"'DEF' is not on the panel of scenario .* \(invited: none\)"):
        svc.remove_panel_member(session, team["coco"], scenario_id, "DEF")
    with pytest.raises(InputError, match=r"BZ owns scenario .* cannot leave its panel"):
        svc.remove_panel_member(session, team["coco"], scenario_id, "BZ")
    session.commit()
    entries = session.execute(
        select(AuditLog.action, AuditLog.outcome, AuditLog.detail)
        .where(AuditLog.action.like("assessments.panel%"))
        .order_by(AuditLog.id)
    ).all()
    assert [(action, outcome, detail.get("organisation")) for action, outcome, detail in entries] == [
        ("assessments.panel_add", Outcome.denied, None),
        ("assessments.panel_add", Outcome.success, "DEF"),
        ("assessments.panel_remove", Outcome.success, "DEF"),
    ]


def test_a_member_with_a_sheet_in_the_open_round_stays_until_it_closes(
    session: Session, team: dict[str, Principal]
) -> None:
    """Removing DEF while bob's sheet is in the open round is refused; once the round is closed DEF
    leaves: bob's closed sheet stays (history), but bob scores no more and DEF reads no justifications."""
    reader = team["vic"]
    [scenario_id, *_] = svc.seed_drafts(session, team["coco"])
    svc.add_panel_member(session, team["coco"], scenario_id, "DEF")
    svc.open_round(session, team["coco"], scenario_id)
    svc.submit_scores(session, team["ann"], scenario_id, ("B", "BZ-bron"), _scores())
    svc.submit_scores(session, team["bob"], scenario_id, ("D", "DEF-bron"), _scores(c2_1="C"))
    session.commit()
    with pytest.raises(
        InputError, match=r"DEF cannot leave the panel .* round 1 is open with its analysts' "
    ):
        svc.remove_panel_member(session, team["coco"], scenario_id, "DEF")
    svc.close_round(session, team["coco"], scenario_id)
    svc.remove_panel_member(session, team["coco"], scenario_id, "DEF")
    session.commit()

    assert [s.analyst for s in svc.round_view(session, reader, scenario_id).sheets] == ["ann", "bob"]
    bob_sees = svc.round_view(session, team["bob"], scenario_id)
    assert bob_sees.reasons_withheld and "BZ-bron" not in str(bob_sees.sheets)
    assert "DEF-bron" in str(bob_sees.sheets)  # his own justification stays his to read
    svc.open_round(session, team["coco"], scenario_id)
    session.commit()
    with pytest.raises(PermissionDeniedError, match="is not on the panel"):
        svc.submit_scores(session, team["bob"], scenario_id, ("D", "x"), _scores())


def test_listing_scenarios_takes_the_same_number_of_queries_for_any_number(
    session: Session, team: dict[str, Principal]
) -> None:
    """The list asks for every scenario's owner, panel and dissent at once, not per scenario."""
    from sqlalchemy import event

    def statements(count: int) -> int:
        while len(svc.list_scenarios(session, team["vic"])) < count:
            scenario_id = svc.create_scenario(
                session, team["coco"], svc.ScenarioInput(title="s", kind=ScenarioType.hazard)
            )
            svc.add_panel_member(session, team["coco"], scenario_id, "DEF")
            svc.open_round(session, team["coco"], scenario_id)
            svc.submit_scores(session, team["bob"], scenario_id, ("A", "x"), _scores())
            svc.record_dissent(session, team["bob"], scenario_id, "te laag")
            svc.close_round(session, team["coco"], scenario_id)
            svc.add_evidence(session, team["coco"], scenario_id, LinkKind.document, "DTN 60")
        session.commit()
        seen: list[str] = []

        def count_statement(*args: object) -> None:
            seen.append(str(args[2]))

        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", count_statement)
        try:
            assert len(svc.list_scenarios(session, team["vic"])) == count
        finally:
            event.remove(engine, "before_cursor_execute", count_statement)
        return len(seen)

    assert statements(2) == statements(7)


def test_a_scenario_without_an_owning_organisation_is_no_coordinators_own(
    session: Session, make_user: MakeUser
) -> None:
    """The six threats seeded by the OS owner belong to no organisation: a coordinator of one may not
    put their organisation on its panel (and so read its texts) nor run its rounds; an admin may."""
    [scenario_id, *_] = svc.seed_drafts(session, Principal.os_owner("beheer"))
    session.commit()
    polco = make_user("pol.coord", Role.coordinator, "DEF")
    with pytest.raises(
        PermissionDeniedError, match="only for their own organisation, not for 'no organisation'"
    ):
        svc.add_panel_member(session, polco, scenario_id, "DEF")
    with pytest.raises(PermissionDeniedError, match="not for 'no organisation'"):
        svc.open_round(session, polco, scenario_id)
    assert [m.organisation for m in svc.get_scenario(session, polco, scenario_id).panel] == [None]
    admin = make_user("root.admin", Role.admin, "BZ")
    assert svc.add_panel_member(session, admin, scenario_id, "DEF") == "DEF"
    svc.open_round(session, admin, scenario_id)
    session.commit()
