"""Need-to-know of early-action cases, as SQL (no session, no I/O).

A case is read by its opener, by its owning organisation, and by its distribution: the member
organisations of its sharing group, or every reader (``all_organisations``). A case opened from a
signal case is read, on top of that, only by those who may read that signal case
(:func:`gbvs.db.signal_queries.case_visible_to`), so its markings stay in force and a later
change of them is followed. Every list, read, write and count of cases takes this clause.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, or_

from gbvs.db.action_models import ActionCase
from gbvs.db.sharing import member_group_ids
from gbvs.db.signal_models import SignalCase
from gbvs.db.signal_queries import case_visible_to
from gbvs.security.principal import Principal


def action_case_visible_to(principal: Principal) -> ColumnElement[bool]:
    """The early-action cases ``principal`` may read."""
    return and_(_audience(principal), _origin_visible(principal))


def _audience(principal: Principal) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = [
        ActionCase.opened_by == principal.username[:64],
        ActionCase.distribution == "all_organisations",
    ]
    if principal.organisation_id is not None:
        groups = member_group_ids(principal)
        clauses += [
            ActionCase.owner_organisation_id == principal.organisation_id,
            and_(ActionCase.distribution == "sharing_group", ActionCase.sharing_group_id.in_(groups)),
        ]
    return or_(*clauses, false())


def _origin_visible(principal: Principal) -> ColumnElement[bool]:
    shared = exists().where(SignalCase.id == ActionCase.signal_case_id, case_visible_to(principal))
    return or_(ActionCase.signal_case_id.is_(None), shared)
