"""The sharing groups one may share with: those one's organisation belongs to (as in MISP).

Signals, signal cases and early-action cases can be shared with a named group of organisations.
Only a member may choose a group: sharing with a group one is not in would let an author widen an
audience they cannot see, and naming the groups one is not in would tell who works with whom.
The callers authorize; these functions only read.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from gbvs.db.models import User
from gbvs.db.signal_models import SharingGroup, SharingGroupMember
from gbvs.errors import NONE, FieldError, Term, UnusableSharingGroupError, Words, said
from gbvs.security.principal import Principal


def member_group_ids(principal: Principal) -> Select[Any]:
    """The ids of the sharing groups ``principal``'s organisation is in (none without one)."""
    return select(SharingGroupMember.sharing_group_id).where(
        SharingGroupMember.organisation_id == principal.organisation_id
    )


def usable_names(session: Session, principal: Principal) -> list[str]:
    """The names of the groups ``principal`` may share with, sorted (the choice on a form)."""
    query = select(SharingGroup.name).where(SharingGroup.id.in_(member_group_ids(principal)))
    return list(session.scalars(query.order_by(SharingGroup.name)))


def usable_group_id(
    session: Session, principal: Principal, name: str | None, keep: int | None = None
) -> int | None:
    """The id of group ``name`` if ``principal`` may share with it; ``None`` for no group.

    ``keep`` is the group a record is shared with already: it stays usable for that record (shared
    before this rule, perhaps with a group its owner is not in), so its owner can still restrict its
    marking. A group that does not exist and one the organisation is not in get the same answer.
    """
    if name is None:
        return None
    usable: ColumnElement[bool] = SharingGroup.id.in_(member_group_ids(principal))
    if keep is not None:
        usable = or_(usable, SharingGroup.id == keep)
    found = session.scalar(select(SharingGroup.id).where(SharingGroup.name == name, usable))
    if found is None:
        raise UnusableSharingGroupError(
            said(
                "sharing group '%(group)s' does not exist or your organisation is not in it (yours: "
                "%(yours)s); choose one of yours, or ask an admin to add your organisation to the group",
                group=name,
                yours=", ".join(usable_names(session, principal)) or Term(NONE),
            )
        )
    return found


def addressable_user_ids(session: Session, principal: Principal, names: Sequence[str]) -> list[int]:
    """The ids of the accounts ``names`` (TLP:RED recipients) if ``principal`` may address them.

    One addresses the active accounts of one's own organisation and of the organisations in a
    sharing group with it (and oneself). A name that is no account and an account outside that
    circle get the same answer, so writing a signal cannot probe which accounts exist; the answer
    suggests the close matches among the accounts one may address, to fix a typo.
    """
    addressable = _addressable(session, principal)
    ids = []
    for name in names:
        found = addressable.get(name.strip().lower())
        if found is None:
            raise FieldError("recipients", _unaddressable(name, addressable))
        ids.append(found)
    return ids


def _addressable(session: Session, principal: Principal) -> dict[str, int]:
    """The accounts ``principal`` may name as TLP:RED recipients, username to id."""
    circle = select(SharingGroupMember.organisation_id).where(
        SharingGroupMember.sharing_group_id.in_(member_group_ids(principal))
    )
    own = [User.organisation_id == principal.organisation_id] if principal.organisation_id else []
    query = select(User.username, User.id).where(
        User.active, or_(User.id == principal.user_id, *own, User.organisation_id.in_(circle))
    )
    return {username: user_id for username, user_id in session.execute(query)}


def _unaddressable(name: str, addressable: dict[str, int]) -> Words:
    close = difflib.get_close_matches(name.strip().lower(), list(addressable), n=3)
    if close:
        return said(
            "recipient '%(name)s' is no account you can address (did you mean %(close)s?): a TLP:RED "
            "signal goes to named people of your organisation and of the organisations that share a group "
            "with it; check the name, or ask an admin to put the recipient's organisation in a group with "
            "yours",
            name=name[:70],
            close=", ".join(close),
        )
    return said(
        "recipient '%(name)s' is no account you can address: a TLP:RED signal goes to named people of "
        "your organisation and of the organisations that share a group with it; check the name, or ask an "
        "admin to put the recipient's organisation in a group with yours",
        name=name[:70],
    )
