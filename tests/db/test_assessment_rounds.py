"""Who scores a round and when: coordinators only where the round says so, a closed round is a state
conflict naming when it closed, and each refusal says on what ground. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from gbvs.assessments import load_method
from gbvs.db.services import assessments as svc
from gbvs.errors import Moment, PermissionDeniedError, Refusal, StateConflictError
from gbvs.security import Principal, Role

MakeUser = Callable[..., Principal]
CRITERIA = load_method("nrb_2009").criterion_ids()


def _scores() -> dict[str, tuple[str, str]]:
    return {criterion: ("B", f"reason for {criterion}") for criterion in CRITERIA}


def _next_request(session: Session) -> None:
    """Commit, and read afresh what the next request reads (each request has a session of its own)."""
    session.commit()
    session.expire_all()


@pytest.fixture
def team(make_user: MakeUser) -> dict[str, Principal]:
    return {
        "coco": make_user("coco", Role.coordinator),
        "ann": make_user("ann", Role.analyst),
        "dirk": make_user("dirk", Role.analyst, "DEF"),
    }


@pytest.fixture
def scenario(session: Session, team: dict[str, Principal]) -> int:
    """The first seeded scenario, made by BZ's coordinator: BZ is its panel."""
    [first, *_] = svc.seed_drafts(session, team["coco"])
    session.commit()
    return first


def test_a_round_is_scored_by_analysts_only_unless_opened_with_coordinators(
    session: Session, team: dict[str, Principal], scenario: int
) -> None:
    svc.open_round(session, team["coco"], scenario)
    _next_request(session)
    assert svc.get_scenario(session, team["ann"], scenario).rounds[-1].coordinators_score is False
    with pytest.raises(PermissionDeniedError, match="is scored by analysts only") as refused:
        svc.submit_scores(session, team["coco"], scenario, ("C", "kans"), _scores())
    assert refused.value.refusal is Refusal.role
    assert "--coordinators-score" in str(refused.value)
    assert svc.submit_scores(session, team["ann"], scenario, ("C", "kans"), _scores()) == 1
    _next_request(session)
    svc.close_round(session, team["coco"], scenario)
    svc.open_round(session, team["coco"], scenario, coordinators_score=True)
    _next_request(session)
    assert svc.submit_scores(session, team["coco"], scenario, ("D", "kans"), _scores()) == 1
    _next_request(session)
    view = svc.round_view(session, team["ann"], scenario)
    assert view.round.coordinators_score is True and view.round.submitted == ("coco",)


def test_scores_for_a_closed_round_are_a_conflict_that_says_when_it_closed(
    session: Session, team: dict[str, Principal], scenario: int
) -> None:
    svc.open_round(session, team["coco"], scenario)
    svc.submit_scores(session, team["ann"], scenario, ("C", "kans"), _scores())
    _next_request(session)
    svc.close_round(session, team["coco"], scenario)
    _next_request(session)
    closed_at = svc.get_scenario(session, team["ann"], scenario).rounds[0].closed_at
    with pytest.raises(StateConflictError) as conflict:
        svc.submit_scores(session, team["ann"], scenario, ("C", "kans"), _scores(), 1)
    message = str(conflict.value)
    assert f"round 1 of scenario {scenario} closed on {Moment.of(closed_at)} (by coco)" in message
    assert "+00:00" in message and "to open round 2" in message
    with pytest.raises(StateConflictError, match="to open round 2"):  # the page's form without a number
        svc.submit_scores(session, team["ann"], scenario, ("C", "kans"), _scores())
    with pytest.raises(StateConflictError, match="closed on"):
        svc.close_round(session, team["coco"], scenario, 1)
    svc.open_round(session, team["coco"], scenario)
    _next_request(session)
    with pytest.raises(StateConflictError, match="round 2 is open now: send your scores to round 2"):
        svc.submit_scores(session, team["ann"], scenario, ("C", "kans"), _scores(), 1)
    assert svc.submit_scores(session, team["ann"], scenario, ("C", "kans"), _scores(), 2) == 1


def test_a_refusal_for_the_panel_says_so_not_the_role(
    session: Session, team: dict[str, Principal], scenario: int
) -> None:
    svc.open_round(session, team["coco"], scenario)
    _next_request(session)
    with pytest.raises(PermissionDeniedError, match="is not on the panel") as refused:
        svc.submit_scores(session, team["dirk"], scenario, ("C", "kans"), _scores())
    assert refused.value.refusal is Refusal.panel
