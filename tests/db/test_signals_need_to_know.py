"""Need-to-know in the SQL agrees with the pure rule over every marking, distribution and reader;
a signal outside a reader's need-to-know is "not found" and is never counted."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from gbvs.db.schemas import OrganisationCreate
from gbvs.db.services import organisations
from gbvs.db.services import signals as service
from gbvs.db.signal_queries import SignalFilter
from gbvs.errors import NotFoundError, PermissionDeniedError
from gbvs.security import Principal, Role
from gbvs.signals.access import Audience, Reader, may_read
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind

GROUPS = {"coordination": ("BZ", "DEF"), "cyber": ("AIVD",)}
MARKINGS: list[tuple[Tlp, Distribution, str | None, tuple[str, ...]]] = [
    (Tlp.clear, Distribution.public, None, ()),
    (Tlp.green, Distribution.all_organisations, None, ()),
    (Tlp.green, Distribution.sharing_group, "coordination", ()),
    (Tlp.amber, Distribution.sharing_group, "cyber", ()),
    (Tlp.amber, Distribution.organisation, None, ()),
    (Tlp.amber_strict, Distribution.organisation, None, ()),
    (Tlp.red, Distribution.organisation, None, ("def.viewer",)),
    (Tlp.red, Distribution.organisation, None, ("bz.analyst", "aivd.analyst")),
]


@pytest.fixture
def world(session: Session, admin: Principal, make_user: Callable[..., Principal]) -> dict[str, Principal]:
    aivd = OrganisationCreate(
        code="AIVD", name_nl="AIVD", name_en="General Intelligence and Security Service"
    )
    organisations.create_organisation(session, admin, aivd)
    session.commit()
    for name, members in GROUPS.items():
        service.create_sharing_group(session, admin, name, members)
    session.commit()
    return {
        "bz.analyst": make_user("bz.analyst", Role.analyst, "BZ"),
        "bz.coordinator": make_user("bz.coordinator", Role.coordinator, "BZ"),
        "def.viewer": make_user("def.viewer", Role.viewer, "DEF"),
        "aivd.analyst": make_user("aivd.analyst", Role.analyst, "AIVD"),
        "nobody": make_user("nobody", Role.analyst, None),
        "root": admin,
    }


def _draft(
    author: Principal, marking: tuple[Tlp, Distribution, str | None, tuple[str, ...]], n: int
) -> SignalDraft:
    tlp, distribution, group, recipients = marking
    assert author.organisation_code is not None
    return SignalDraft(
        title=f"signal {n} {tlp.label} {distribution.value}",
        kind=SignalKind.foreign_interference,
        observed_on=None,
        reported_on=date(2024, 1 + n % 12, 1),
        owner_organisation=author.organisation_code,
        tlp=tlp,
        distribution=distribution,
        sharing_group=group,
        red_recipients=recipients,
        threats=(3,),
        target_countries=("NLD",),
    )


def _reader(principal: Principal) -> Reader:
    groups = frozenset(name for name, members in GROUPS.items() if principal.organisation_code in members)
    return Reader(principal.username, principal.organisation_code, groups)


def test_sql_filter_agrees_with_the_rule_for_every_reader(
    session: Session, world: dict[str, Principal]
) -> None:
    audiences: dict[int, Audience] = {}
    authors = (world["bz.analyst"], world["aivd.analyst"])
    for n, (author, marking) in enumerate(itertools.product(authors, MARKINGS)):
        signal_id = service.create_signal(session, author, _draft(author, marking, n))
        tlp, distribution, group, recipients = marking
        audiences[signal_id] = Audience(
            str(author.organisation_code), author.username, tlp, distribution, group, frozenset(recipients)
        )
    session.commit()
    for principal in world.values():
        page = service.list_signals(session, principal, SignalFilter(), page_size=500)
        seen = {item.id for item in page.items}
        expected = {sid for sid, audience in audiences.items() if may_read(_reader(principal), audience)}
        assert seen == expected, principal.username
        assert page.total == len(expected)
        counts = dict(service.signal_statistics(session, principal, SignalFilter(), "threat"))
        assert counts.get("3", 0) == len(expected), f"{principal.username}: counts include hidden signals"
        for hidden in set(audiences) - expected:
            with pytest.raises(NotFoundError, match="does not exist or is not shared with you"):
                service.get_signal(session, principal, hidden)
    admin_sees = service.list_signals(session, world["root"], SignalFilter(), page_size=500)
    assert {item.tlp for item in admin_sees.items} == {"TLP:CLEAR"}, "roles do not widen need-to-know"


def test_search_and_export_respect_need_to_know(session: Session, world: dict[str, Principal]) -> None:
    bz, aivd = world["bz.analyst"], world["aivd.analyst"]
    service.create_signal(session, aivd, _draft(aivd, MARKINGS[5], 1))  # AMBER+STRICT, AIVD only
    service.create_signal(session, bz, _draft(bz, MARKINGS[1], 2))  # GREEN, all organisations
    session.commit()
    assert service.list_signals(session, bz, SignalFilter(text="signal")).total == 1
    assert service.list_signals(session, aivd, SignalFilter(text="signal")).total == 2
    bundle = service.export_stix(session, bz, SignalFilter())
    reports = [obj for obj in bundle["objects"] if obj["type"] == "report"]
    assert len(reports) == 1 and "TLP:GREEN" in reports[0]["name"]


def test_writing_needs_the_permission_and_the_own_organisation(
    session: Session, world: dict[str, Principal]
) -> None:
    viewer = world["def.viewer"]
    with pytest.raises(PermissionDeniedError, match="signals:write"):
        service.create_signal(session, viewer, _draft(viewer, MARKINGS[1], 1))
    bz = world["bz.analyst"]
    other = _draft(world["aivd.analyst"], MARKINGS[1], 2)
    with pytest.raises(Exception, match="owned by the author's organisation"):
        service.create_signal(session, bz, other)


def test_text_search_treats_operators_as_words(session: Session, world: dict[str, Principal]) -> None:
    bz = world["bz.analyst"]
    service.create_signal(session, bz, _draft(bz, MARKINGS[1], 1))
    session.commit()
    for words in ('signal OR "x', "NEAR(", "*", "signal AND NOT"):
        assert service.list_signals(session, bz, SignalFilter(text=words)).total == 0, words
    assert service.list_signals(session, bz, SignalFilter(text="SIGNAL green")).total == 1
