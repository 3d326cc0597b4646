"""Signals filtered by suspected actor and sponsor state (list, statistics, exports): the current
assessments of signals the reader may see name them; an unknown value is refused, naming it and the
valid ones, and an actor named only where the reader may not look is unknown to them."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

import signal_matrix as matrix
from gbvs.db.services import cases
from gbvs.db.services import signals as service
from gbvs.db.signal_queries import SignalFilter
from gbvs.errors import InputError
from gbvs.security import Principal
from gbvs.signals.markings import Distribution, Tlp

SHARED = (Tlp.green, Distribution.all_organisations, None, ())
BZ_ONLY = (Tlp.amber, Distribution.organisation, None, ())


@pytest.fixture
def world(session: Session, admin: Principal) -> dict[str, Principal]:
    principals: dict[str, Principal] = matrix.build_world(session, admin)
    return principals


def _assessed(
    session: Session, author: Principal, marking: matrix.Marking, n: int, **attribution: str
) -> int:
    signal_id = service.create_signal(session, author, matrix.draft(author, marking, n))
    cases.assess(
        session,
        author,
        signal_id=signal_id,
        judgement="seen",
        likelihood="likely",
        confidence="low",
        **attribution,
    )
    session.commit()
    return signal_id


def _ids(session: Session, reader: Principal, wanted: SignalFilter) -> set[int]:
    return {item.id for item in service.list_signals(session, reader, wanted, page_size=100).items}


def test_signals_are_found_by_suspected_actor_and_sponsor_state(
    session: Session, world: dict[str, Principal]
) -> None:
    bz, viewer = world["bz.analyst"], world["def.viewer"]
    apt28 = _assessed(session, bz, SHARED, 1, suspected_actor="APT28", sponsor_state="RUS")
    apt41 = _assessed(session, bz, SHARED, 2, suspected_actor="APT41", sponsor_state="CHN")
    changed = _assessed(session, bz, SHARED, 3, suspected_actor="APT28")
    cases.assess(
        session,
        bz,
        signal_id=changed,
        judgement="no",
        likelihood="unlikely",
        confidence="low",
        suspected_actor="Sandworm",
    )
    session.commit()
    assert _ids(session, viewer, SignalFilter(suspected_actor="apt28")) == {apt28}, "only current assessments"
    assert _ids(session, viewer, SignalFilter(sponsor_state="CHN")) == {apt41}
    counts = service.signal_statistics(session, viewer, SignalFilter(suspected_actor="APT41"), "kind")
    assert sum(count for _, count in counts) == 1
    exported = service.export_drafts(session, viewer, SignalFilter(sponsor_state="RUS"), "csv")
    assert [draft.title for draft in exported.drafts] == ["signal 1 TLP:GREEN all_organisations"]


def test_an_actor_country_counts_as_sponsor_state(session: Session, world: dict[str, Principal]) -> None:
    bz = world["bz.analyst"]
    draft = matrix.draft(bz, SHARED, 4)
    signal_id = service.create_signal(
        session, bz, type(draft)(**(draft.__dict__ | {"actor_countries": ("IRN",)}))
    )
    session.commit()
    assert _ids(session, world["def.viewer"], SignalFilter(sponsor_state="IRN")) == {signal_id}


def test_an_unknown_actor_or_sponsor_state_is_refused_naming_it_and_the_valid_ones(
    session: Session, world: dict[str, Principal]
) -> None:
    bz, viewer = world["bz.analyst"], world["def.viewer"]
    _assessed(session, bz, SHARED, 1, suspected_actor="APT28")
    _assessed(session, bz, BZ_ONLY, 2, suspected_actor="Turla")
    with pytest.raises(InputError) as refused:
        service.list_signals(session, viewer, SignalFilter(suspected_actor="Turla"))
    assert "suspected actor 'Turla'" in str(refused.value) and "named: APT28 (" in str(refused.value)
    assert _ids(session, bz, SignalFilter(suspected_actor="turla")) != set(), "BZ sees its own assessment"
    with pytest.raises(InputError, match="sponsor state 'XXX' is no ISO3 code"):
        service.signal_statistics(session, viewer, SignalFilter(sponsor_state="XXX"), "kind")
    with pytest.raises(InputError, match="suspected actor 'Nobody'"):
        service.export_stix(session, viewer, SignalFilter(suspected_actor="Nobody"))
