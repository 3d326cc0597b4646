"""The need-to-know matrix of the signals register, shared by the database, web and CLI tests.

Readers of every role in several organisations (and one in none), two sharing groups, and a signal
(and a case) for every marking and distribution by two authors. ``expected`` is the pure rule
(:func:`gbvs.signals.access.may_read`) the SQL must agree with on every route.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.db.models import Organisation
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import cases, organisations, users
from gbvs.db.services import signals as service
from gbvs.db.services.principals import load_principal
from gbvs.db.signal_models import SharingGroup
from gbvs.db.signal_queries import SignalFilter
from gbvs.security import Principal, Role
from gbvs.signals.access import Audience, Reader, may_read
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind

ORGANISATIONS = {
    "BZ": "Foreign Affairs",
    "DEF": "Defence",
    "AIVD": "General Intelligence and Security Service",
}
GROUPS = {"coordination": ("BZ", "DEF"), "cyber": ("AIVD",), "liaison": ("AIVD", "BZ", "DEF")}
"""No signal is shared with "liaison": it lets the authors address each other on TLP:RED."""
READERS: dict[str, tuple[Role, str | None]] = {
    "bz.analyst": (Role.analyst, "BZ"),
    "bz.coordinator": (Role.coordinator, "BZ"),
    "def.viewer": (Role.viewer, "DEF"),
    "aivd.analyst": (Role.analyst, "AIVD"),
    "nobody": (Role.analyst, None),
}
AUTHORS = ("bz.analyst", "aivd.analyst")
Marking = tuple[Tlp, Distribution, str | None, tuple[str, ...]]
MARKINGS: list[Marking] = [
    (Tlp.clear, Distribution.public, None, ()),
    (Tlp.green, Distribution.all_organisations, None, ()),
    (Tlp.green, Distribution.sharing_group, "coordination", ()),
    (Tlp.amber, Distribution.sharing_group, "cyber", ()),
    (Tlp.amber, Distribution.organisation, None, ()),
    (Tlp.amber_strict, Distribution.organisation, None, ()),
    (Tlp.red, Distribution.organisation, None, ("def.viewer",)),
    (Tlp.red, Distribution.organisation, None, ("bz.analyst", "aivd.analyst")),
]
THREAT = 3
SEARCH_WORDS = ("haven", "drone", "smokkel")
"""Words the search tests give generated signals."""


def build_world(session: Session, admin: Principal) -> dict[str, Principal]:
    """The organisations, sharing groups and readers (plus ``admin``), created by ``admin``."""
    present = set(session.scalars(select(Organisation.code)))
    for code, name in ORGANISATIONS.items():
        if code not in present:
            organisations.create_organisation(
                session, admin, OrganisationCreate(code=code, name_nl=name, name_en=name)
            )
    session.commit()
    for name, members in GROUPS.items():
        service.create_sharing_group(session, admin, name, members)
    world = {}
    for username, (role, organisation) in READERS.items():
        data = UserCreate(
            username=username, display_name=username.title(), organisation_code=organisation, role=role
        )
        users.create_user(session, admin, data)
        session.commit()
        world[username] = load_principal(session, username)
    world[admin.username] = admin
    return world


def draft(author: Principal, marking: Marking, n: int) -> SignalDraft:
    """Signal ``n`` of ``author`` under ``marking`` (threat 3, target NLD)."""
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
        threats=(THREAT,),
        target_countries=("NLD",),
    )


def worded(made: SignalDraft, words: tuple[str, ...]) -> SignalDraft:
    """``made`` with ``words`` in its title and description."""
    return replace(made, title=f"{made.title} {' '.join(words)}", description=f"over {' '.join(words)}")


def audience(author: Principal, marking: Marking) -> Audience:
    """Who may read what ``author`` marked so, in the pure rule's terms."""
    tlp, distribution, group, recipients = marking
    return Audience(
        str(author.organisation_code), author.username, tlp, distribution, group, frozenset(recipients)
    )


def usable(author: Principal, marking: Marking) -> bool:
    """Whether ``author`` may give ``marking``: one shares only with a group one's organisation is in."""
    group = marking[2]
    return group is None or author.organisation_code in GROUPS[group]


def seed_signals(session: Session, world: dict[str, Principal]) -> dict[int, Audience]:
    """A signal for every author and marking; their audiences by id. A marking the author may not
    give now (a group their organisation is not in) is stored as an older release stored it."""
    audiences: dict[int, Audience] = {}
    for n, (name, marking) in enumerate(itertools.product(AUTHORS, MARKINGS)):
        author = world[name]
        made = draft(author, marking, n)
        if usable(author, marking):
            signal_id = service.create_signal(session, author, made)
        else:
            signal_id = stored_as_before(session, author, made)
        audiences[signal_id] = audience(author, marking)
    session.commit()
    return audiences


def stored_as_before(session: Session, author: Principal, made: SignalDraft) -> int:
    group = session.scalar(select(SharingGroup.id).where(SharingGroup.name == made.sharing_group))
    assert author.organisation_id is not None and group is not None
    owner, by = author.organisation_id, author.user_id
    (signal_id,) = service.store_drafts(session, [made], owner_id=owner, author_id=by, group_id=group)
    return signal_id


def seed_cases(session: Session, world: dict[str, Principal]) -> dict[int, Audience]:
    """A case of bz.analyst for every marking they may give, each holding every signal they may see."""
    author = world["bz.analyst"]
    audiences: dict[int, Audience] = {}
    members = [item.id for item in service.list_signals(session, author, SignalFilter(), page_size=500).items]
    for marking in filter(lambda marking: usable(author, marking), MARKINGS):
        tlp, distribution, group, recipients = marking
        case_id = cases.create_case(
            session,
            author,
            title=f"case {tlp.label} {distribution.value}",
            signal_ids=members,
            tlp=tlp,
            distribution=distribution,
            sharing_group=group,
            recipients=recipients,
        )
        audiences[case_id] = audience(author, marking)
    session.commit()
    return audiences


def reader_of(principal: Principal) -> Reader:
    """The pure rule's view of a principal."""
    groups = frozenset(name for name, members in GROUPS.items() if principal.organisation_code in members)
    return Reader(principal.username, principal.organisation_code, groups)


def expected(principal: Principal, audiences: dict[int, Audience]) -> set[int]:
    """The ids ``principal`` may read by the pure rule."""
    return {key for key, seen_by in audiences.items() if may_read(reader_of(principal), seen_by)}
