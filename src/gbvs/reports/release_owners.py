"""Whose an item is that a coordinator releases for publication (:func:`gbvs.reports.records.release`).

An owner releases their own items only: a signal of their organisation they can see, a reported
value of an indicator their organisation owns (whoever entered it), a contribution their
organisation wrote, a threat scenario their organisation owns (its creator's, which manages it and
invites its panel: an invited organisation scores it but does not publish it). A scenario made by an
account without an organisation (the OS owner's seeded threats) is released by such an account.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.db.assessment_models import Scenario
from gbvs.db.audit import authorize_audited
from gbvs.db.models import Organisation
from gbvs.db.report_models import ReportContribution, ReportedValue, ResultIndicator
from gbvs.db.services.assessments import owning_organisation
from gbvs.db.signal_models import Signal
from gbvs.db.signal_queries import visible_to
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import InputError, NotFoundError, Term, said
from gbvs.languages import N_
from gbvs.reports.workflow import readable_by
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal

RELEASE_KIND_NAMES: dict[str, str] = {
    "signal": N_("signal"),
    "reported_value": N_("reported value"),
    "contribution": N_("contribution"),
    "scenario": N_("threat scenario"),
}
"""What can be released, as ``gbvs report release --kind`` names it, and as the pages name it (message
ids)."""
RELEASE_KINDS = tuple(RELEASE_KIND_NAMES)


def may_release(principal: Principal, owner: str | None) -> bool:
    """Whether ``principal``'s organisation releases an item ``owner`` owns (:func:`owner_of`; None: a
    scenario made by an account without an organisation, released by such an account); the OS owner
    of the data folder releases what they can see. The permission (``reports:approve``) is checked apart."""
    return owner == principal.organisation_code or principal.is_os_owner


def owner_of(session: Session, principal: Principal, kind: str, item_id: str) -> str | None:
    """The organisation that owns ``kind`` ``item_id`` (None: a scenario made by an account without one).

    NotFoundError when there is no such item or ``principal`` may not see it (the same message, so
    a refusal does not tell that a hidden item exists).
    """
    authorize_audited(session, principal, Permission.reports_approve, "reports.release", kind, item_id[:64])
    return _owner(session, principal, kind, item_id)


def owners_of(
    session: Session, principal: Principal, refs: list[tuple[str, str]]
) -> dict[tuple[str, str], str | None]:
    """:func:`owner_of` for each ``(kind, id)`` of ``refs`` that ``principal`` can see (one audited
    check: the openbaarheidstoets page asks it for every row it lists)."""
    authorize_audited(session, principal, Permission.reports_approve, "reports.release_owners", "report")
    found = {}
    for kind, item_id in refs:
        try:
            found[(kind, item_id)] = _owner(session, principal, kind, item_id)
        except (InputError, NotFoundError):
            continue
    return found


def _owner(session: Session, principal: Principal, kind: str, item_id: str) -> str | None:
    if kind not in RELEASE_KINDS:
        raise InputError(
            said(
                "--kind %(kind)s is unknown; use one of: %(choices)s",
                kind=repr(kind[:30]),
                choices=", ".join(RELEASE_KINDS),
            )
        )
    number = int(item_id) if item_id.isdigit() and 1 <= int(item_id) <= MAX_ROW_ID else None
    if number is None:
        raise InputError(
            said(
                "--id %(id)s is not a %(kind)s number; use e.g. --id 12",
                id=repr(item_id[:30]),
                kind=Term(kind.replace("_", " ")),
            )
        )
    query = {
        "signal": select(Organisation.code)
        .join(Signal, Signal.owner_organisation_id == Organisation.id)
        .where(Signal.id == number, visible_to(principal)),
        "reported_value": select(ResultIndicator.owner_organisation)
        .join(ReportedValue, ReportedValue.indicator_key == ResultIndicator.key)
        .where(ReportedValue.id == number)
        .order_by(ResultIndicator.version.desc()),
        "contribution": select(ReportContribution.organisation).where(
            ReportContribution.id == number, readable_by(principal)
        ),
        "scenario": select(Scenario.id).where(Scenario.id == number),
    }[kind]
    found = session.execute(query).first()
    if found is None:
        raise NotFoundError(
            said(
                "no %(kind)s %(number)s that you can see; check the number",
                kind=Term(kind.replace("_", " ")),
                number=number,
            )
        )
    return owning_organisation(session, number) if kind == "scenario" else str(found[0])
