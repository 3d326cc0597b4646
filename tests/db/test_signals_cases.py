"""Joint interpretation: assessments side by side, dissent kept, versions never overwritten."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from gbvs.db.schemas import OrganisationCreate
from gbvs.db.services import cases, organisations
from gbvs.db.services import signals as service
from gbvs.errors import InputError, NotFoundError
from gbvs.security import Principal, Role
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind


@pytest.fixture
def people(session: Session, admin: Principal, make_user: Callable[..., Principal]) -> dict[str, Principal]:
    organisations.create_organisation(
        session, admin, OrganisationCreate(code="AIVD", name_nl="AIVD", name_en="AIVD")
    )
    session.commit()
    return {
        "bz": make_user("bz.analyst", Role.analyst, "BZ"),
        "def": make_user("def.analyst", Role.analyst, "DEF"),
        "aivd": make_user("aivd.analyst", Role.analyst, "AIVD"),
    }


def _signal(session: Session, author: Principal, tlp: Tlp, distribution: Distribution) -> int:
    draft = SignalDraft(
        title=f"Cyber operation seen by {author.organisation_code}",
        kind=SignalKind.cyber_operation,
        observed_on=None,
        reported_on=date(2024, 5, 1),
        owner_organisation=str(author.organisation_code),
        tlp=tlp,
        distribution=distribution,
        actor_countries=("RUS",),
    )
    return service.create_signal(session, author, draft)


def test_assessments_stand_side_by_side_and_keep_dissent(
    session: Session, people: dict[str, Principal]
) -> None:
    shared = _signal(session, people["bz"], Tlp.green, Distribution.all_organisations)
    secret = _signal(session, people["aivd"], Tlp.amber_strict, Distribution.organisation)
    case_id = cases.create_case(
        session,
        people["bz"],
        title="Campagne tegen ministeries",
        signal_ids=[shared],
        tlp=Tlp.green,
        distribution=Distribution.all_organisations,
    )
    cases.assess(
        session,
        people["bz"],
        case_id=case_id,
        judgement="Statelijke actor",
        likelihood="likely",
        confidence="moderate",
        suspected_actor="APT28",
        sponsor_state="RUS",
    )
    cases.assess(
        session,
        people["def"],
        case_id=case_id,
        judgement="Criminele groep",
        likelihood="unlikely",
        confidence="low",
    )
    cases.assess(
        session,
        people["bz"],
        case_id=case_id,
        judgement="Statelijke actor, nu bevestigd",
        likelihood="zeer waarschijnlijk",
        confidence="high",
        suspected_actor="APT28",
        sponsor_state="RUS",
    )
    session.commit()
    view = cases.get_case(session, people["def"], case_id)
    by_org = {item.organisation: item for item in view.assessments}
    assert set(by_org) == {"BZ", "DEF"}, "each organisation's current view, dissent kept"
    assert by_org["BZ"].version == 2 and by_org["BZ"].likelihood == "very-likely"
    assert by_org["BZ"].likelihood_range == "80-95%"
    assert by_org["DEF"].likelihood == "unlikely"
    history = cases.assessment_history(session, people["def"], case_id=case_id)
    assert [item.judgement for item in history if item.organisation == "BZ"] == [
        "Statelijke actor",
        "Statelijke actor, nu bevestigd",
    ], "the first version is kept"
    assert [item.id for item in view.signals] == [shared]
    with pytest.raises(NotFoundError):
        cases.add_signals(session, people["bz"], case_id, [secret])


def test_joint_position_names_who_agreed(session: Session, people: dict[str, Principal]) -> None:
    shared = _signal(session, people["bz"], Tlp.green, Distribution.all_organisations)
    case_id = cases.create_case(
        session,
        people["bz"],
        title="Gezamenlijk",
        signal_ids=[shared],
        tlp=Tlp.green,
        distribution=Distribution.all_organisations,
    )
    joint = {"judgement": "Gezamenlijk oordeel", "likelihood": "likely", "confidence": "moderate"}
    with pytest.raises(InputError, match="DEF recorded no assessment of case"):
        cases.assess(session, people["bz"], case_id=case_id, joint_position_of=["BZ", "DEF"], **joint)
    cases.assess(
        session, people["def"], case_id=case_id, judgement="Eens", likelihood="likely", confidence="low"
    )
    with pytest.raises(InputError, match="a joint position is recorded on a case, not on a single signal"):
        cases.assess(session, people["bz"], signal_id=shared, joint_position_of=["BZ"], **joint)
    cases.assess(
        session, people["bz"], case_id=case_id, joint_position_of=["BZ", "DEF", "def", "BZ"], **joint
    )
    session.commit()
    view = cases.get_case(session, people["aivd"], case_id)
    assert view.joint_position is not None and view.joint_position.agreed_by == ("BZ", "DEF")
    with pytest.raises(InputError, match="organisation that owns the case"):
        cases.assess(
            session,
            people["def"],
            case_id=case_id,
            judgement="x",
            likelihood="likely",
            confidence="low",
            joint_position_of=["DEF"],
        )


def test_a_case_outside_need_to_know_is_not_found(session: Session, people: dict[str, Principal]) -> None:
    own = _signal(session, people["aivd"], Tlp.amber_strict, Distribution.organisation)
    case_id = cases.create_case(
        session,
        people["aivd"],
        title="Intern",
        signal_ids=[own],
        tlp=Tlp.amber_strict,
        distribution=Distribution.organisation,
    )
    session.commit()
    with pytest.raises(NotFoundError, match="not shared with you"):
        cases.get_case(session, people["bz"], case_id)
    with pytest.raises(NotFoundError):
        cases.assess(
            session, people["bz"], case_id=case_id, judgement="x", likelihood="likely", confidence="low"
        )


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"likelihood": "misschien"}, "unknown likelihood"),
        ({"confidence": "total"}, "unknown confidence"),
        ({"judgement": " "}, "needs a judgement"),
        ({"sponsor_state": "XYZ"}, "'XYZ' is no country known to GBVS; give an ISO3 code"),
        ({"sponsor_state": "Atlantis"}, "'Atlantis' is no country known"),
    ],
)
def test_bad_assessments_are_refused(
    session: Session, people: dict[str, Principal], changes: dict[str, str], problem: str
) -> None:
    signal_id = _signal(session, people["bz"], Tlp.green, Distribution.all_organisations)
    fields = {"judgement": "oordeel", "likelihood": "likely", "confidence": "low"} | changes
    with pytest.raises(InputError, match=problem):
        cases.assess(session, people["def"], signal_id=signal_id, **fields)


def test_adding_a_hidden_member_again_is_not_found_as_any_hidden_signal(
    session: Session, people: dict[str, Principal], make_user: Callable[..., Principal], admin: Principal
) -> None:
    """A colleague of the case's owner could tell a signal hidden from them was in the case: adding it
    again passed in silence (it was skipped as present), adding any other hidden signal said "not found"."""
    bz, colleague = people["bz"], make_user("bz.colleague", Role.analyst, "BZ")
    service.create_sharing_group(session, admin, "liaison", ["AIVD", "BZ"])  # AIVD may address bz.analyst
    red = SignalDraft(
        title="Named for bz.analyst only",
        kind=SignalKind.cyber_operation,
        observed_on=None,
        reported_on=date(2024, 5, 1),
        owner_organisation="AIVD",
        tlp=Tlp.red,
        distribution=Distribution.organisation,
        red_recipients=("bz.analyst",),
    )
    hidden = service.create_signal(session, people["aivd"], red)
    other = service.create_signal(session, people["aivd"], red)
    case_id = cases.create_case(
        session, bz, title="BZ", signal_ids=[hidden], tlp=Tlp.amber, distribution=Distribution.organisation
    )
    session.commit()
    for signal_id in (other, hidden):
        with pytest.raises(NotFoundError, match=f"signal {signal_id} does not exist or is not shared"):
            cases.add_signals(session, colleague, case_id, [signal_id])
        session.rollback()


def test_a_sponsor_state_is_stored_as_the_iso3_code_of_a_typed_name(
    session: Session, people: dict[str, Principal]
) -> None:
    """An analyst types "Rusland" (as on the signal form): stored as RUS, so it matches the signals'
    actor countries, never as free text."""
    signal_id = _signal(session, people["bz"], Tlp.green, Distribution.all_organisations)
    cases.assess(
        session,
        people["def"],
        signal_id=signal_id,
        judgement="oordeel",
        likelihood="likely",
        confidence="low",
        sponsor_state="Rusland",
    )
    (view,) = cases.signal_assessments(session, people["def"], signal_id)
    assert view.sponsor_state == "RUS"
