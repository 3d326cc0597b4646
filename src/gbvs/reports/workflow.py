"""The report's workflow: draft → contributions and comments per ministry → review → approved → published.

Each step is authorized and audited and kept as a :class:`~gbvs.db.report_models.ReportTransition`;
contributions are versioned per goal and organisation, so who wrote or changed which text stays
visible. Publishing freezes the period (:func:`gbvs.reports.service.freeze_period`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import Session

from gbvs.db.audit import authorize_audited, record
from gbvs.db.report_models import (
    DraftStatus,
    ReportComment,
    ReportContribution,
    ReportDraft,
    ReportingPeriod,
    ReportTransition,
)
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import InputError, NotFoundError, Term, Terms, said
from gbvs.languages import N_
from gbvs.security.authz import can
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal
from gbvs.signals.markings import Tlp

STEPS: dict[tuple[DraftStatus, DraftStatus], Permission] = {
    (DraftStatus.draft, DraftStatus.review): Permission.reports_write,
    (DraftStatus.review, DraftStatus.draft): Permission.reports_write,
    (DraftStatus.review, DraftStatus.approved): Permission.reports_approve,
    (DraftStatus.approved, DraftStatus.review): Permission.reports_approve,
    (DraftStatus.approved, DraftStatus.published): Permission.reports_approve,
}
"""The allowed steps and the permission each needs (approving and publishing: the coordinator)."""
EDITABLE = (DraftStatus.draft, DraftStatus.review)
DRAFT_STATUS_NAMES: dict[str, str] = {
    DraftStatus.draft: N_("draft"),
    DraftStatus.review: N_("review"),
    DraftStatus.approved: N_("approved"),
    DraftStatus.published: N_("published"),
}
"""A draft's status as the pages and the command line name it (message ids; JSON keeps the codes)."""
TLP_LEVELS = tuple(level.value for level in Tlp)
OPEN_TLP = (Tlp.clear.value, Tlp.green.value)
"""Markings every reader of the report workflow may see; the rest is need-to-know (:func:`readable_by`)."""
COMMENT_TLP = Tlp.green.value
"""A comment's marking unless its author chooses another: every reader of the workflow, never published."""
DraftText = type[ReportContribution] | type[ReportComment]
"""A text written on a draft under a marking: a ministry's contribution or a comment."""


def readable_by(principal: Principal, text: DraftText = ReportContribution) -> ColumnElement[bool]:
    """The contributions (or, with ``text=ReportComment``, comments) ``principal`` may read, as SQL.

    TLP:CLEAR and GREEN: everyone with ``reports:read``. AMBER and AMBER+STRICT: the author's
    organisation (for a comment on a ministry's text: that ministry). RED: its author. The
    coordinators who approve the report (``reports:approve``) read every text, since they decide what
    goes in it and what is released for publication.
    """
    if can(principal, Permission.reports_approve):
        return true()
    clauses: list[ColumnElement[bool]] = [text.tlp.in_(OPEN_TLP), text.author == principal.username]
    if principal.organisation_code:
        ministry = ReportComment.audience if text is ReportComment else ReportContribution.organisation
        clauses.append(and_(text.tlp != Tlp.red.value, ministry == principal.organisation_code))
    return or_(*clauses)


def next_steps(principal: Principal, status: DraftStatus) -> list[DraftStatus]:
    """The statuses a draft in ``status`` can move to that ``principal`` holds the permission for."""
    return [to for (start, to), needed in STEPS.items() if start is status and can(principal, needed)]


def editable(status: DraftStatus) -> bool:
    """Whether texts (contributions, comments) can still be added in ``status``."""
    return status in EDITABLE


def _organisation(principal: Principal) -> str:
    if not principal.organisation_code:
        raise InputError(
            said(
                "%(user)s belongs to no organisation; contributions are made per ministry",
                user=principal.username,
            )
        )
    return principal.organisation_code


def get_draft(session: Session, principal: Principal, draft_id: int) -> ReportDraft:
    """Draft ``draft_id`` (NotFoundError naming the id)."""
    authorize_audited(session, principal, Permission.reports_read, "reports.draft", "report_draft", draft_id)
    draft = session.get(ReportDraft, draft_id) if 1 <= draft_id <= MAX_ROW_ID else None
    if draft is None:
        raise NotFoundError(
            said("no report draft %(draft)s; `gbvs report draft list` shows the drafts", draft=draft_id)
        )
    return draft


def drafts(session: Session, principal: Principal) -> list[ReportDraft]:
    """All drafts, newest first."""
    authorize_audited(session, principal, Permission.reports_read, "reports.drafts", "report_draft")
    return list(session.scalars(select(ReportDraft).order_by(ReportDraft.id.desc())))


def create_draft(session: Session, principal: Principal, period: ReportingPeriod) -> ReportDraft:
    """Start a draft of ``period``'s report."""
    authorize_audited(session, principal, Permission.reports_write, "reports.draft.create", "report_draft")
    draft = ReportDraft(period_id=period.id, status=DraftStatus.draft, created_by=principal.username)
    session.add(draft)
    session.flush()
    session.add(
        ReportTransition(draft_id=draft.id, from_status="", to_status="draft", actor=principal.username)
    )
    record(session, principal, "reports.draft.create", "report_draft", draft.id, {"period": period.label})
    return draft


def contribute(
    session: Session, principal: Principal, draft_id: int, goal: int, text: str, tlp: str = "clear"
) -> ReportContribution:
    """A ministry's text for ``goal`` (a new version of its earlier text, if any)."""
    draft = get_draft(session, principal, draft_id)
    org = _organisation(principal)
    authorize_audited(
        session, principal, Permission.reports_write, "reports.contribute", "report_draft", draft_id
    )
    _editable(draft)
    if not 1 <= goal <= 13 or not text.strip():
        raise InputError(said("a contribution needs --goal 1-13 and a non-empty --text"))
    _check_tlp(tlp)
    same = (
        ReportContribution.draft_id == draft_id,
        ReportContribution.goal == goal,
        ReportContribution.organisation == org,
    )
    version = (session.scalar(select(func.max(ReportContribution.version)).where(*same)) or 0) + 1
    row = ReportContribution(
        draft_id=draft_id,
        goal=goal,
        organisation=org,
        version=version,
        text=text.strip(),
        author=principal.username,
        tlp=tlp,
    )
    session.add(row)
    session.flush()
    record(
        session, principal, "reports.contribute", "report_draft", draft_id, {"goal": goal, "version": version}
    )
    return row


def comment(
    session: Session,
    principal: Principal,
    draft_id: int,
    text: str,
    goal: int | None = None,
    tlp: str | None = None,
    on_text: int | None = None,
) -> ReportComment:
    """A comment on a draft, on one goal or on one ministry's text (``on_text``, a contribution's id).

    Read under its marking (:func:`readable_by`): without one, GREEN, or on a text that text's marking.
    A comment on a text is marked at least as the text, and its AMBER readers are the text's ministry,
    so a coordinator can answer a ministry's AMBER text to that ministry alone.
    """
    draft = get_draft(session, principal, draft_id)
    authorize_audited(
        session, principal, Permission.reports_write, "reports.comment", "report_draft", draft_id
    )
    _editable(draft)
    if not text.strip():
        raise InputError(said("a comment needs a non-empty --text"))
    readable = readable_by(principal)
    answered = None if on_text is None else _commented_text(session, draft_id, on_text, readable)
    tlp = tlp or (_at_least_green(answered.tlp) if answered else COMMENT_TLP)
    _check_tlp(tlp)
    if answered is not None and Tlp(tlp).rank < Tlp(answered.tlp).rank:
        raise InputError(
            said(
                "text %(text)s is TLP:%(tlp)s; a comment on it is marked at least so (leave the marking "
                "out to take the text's)",
                text=answered.id,
                tlp=answered.tlp.upper(),
            )
        )
    own = principal.organisation_code or "-"
    row = ReportComment(
        draft_id=draft_id,
        goal=answered.goal if answered else goal,
        contribution_id=answered.id if answered else None,
        organisation=own,
        audience=answered.organisation if answered else own,
        author=principal.username,
        text=text.strip(),
        tlp=tlp,
    )
    session.add(row)
    session.flush()
    detail = {"goal": row.goal, "tlp": tlp, "on_text": on_text}
    record(session, principal, "reports.comment", "report_draft", draft_id, detail)
    return row


def _commented_text(
    session: Session, draft_id: int, text_id: int, readable: ColumnElement[bool]
) -> ReportContribution:
    """Contribution ``text_id`` of the draft, if ``readable`` admits it (else "not found", alike)."""
    query = select(ReportContribution).where(
        ReportContribution.id == text_id, ReportContribution.draft_id == draft_id, readable
    )
    found = session.scalar(query) if 1 <= text_id <= MAX_ROW_ID else None
    if found is None:
        raise NotFoundError(
            said(
                "report draft %(draft)s has no text %(text)s that you can read; "
                "`gbvs report draft show %(draft)s` lists them",
                draft=draft_id,
                text=text_id,
            )
        )
    return found


def _at_least_green(tlp: str) -> str:
    return COMMENT_TLP if tlp == Tlp.clear.value else tlp


def _check_tlp(tlp: str) -> None:
    if tlp not in TLP_LEVELS:
        raise InputError(
            said("TLP '%(tlp)s' is unknown; use one of: %(known)s", tlp=tlp[:20], known=", ".join(TLP_LEVELS))
        )


def _editable(draft: ReportDraft) -> None:
    if draft.status not in EDITABLE:
        raise InputError(
            said(
                "report draft %(draft)s is %(status)s; texts change only in draft or review",
                draft=draft.id,
                status=Term(DRAFT_STATUS_NAMES[draft.status]),
            )
        )


def move(
    session: Session, principal: Principal, draft_id: int, to: DraftStatus, note: str = ""
) -> ReportDraft:
    """Move a draft one step (see :data:`STEPS`); the step is kept and audited."""
    draft = get_draft(session, principal, draft_id)
    step = (draft.status, to)
    if step not in STEPS:
        allowed = Terms(DRAFT_STATUS_NAMES[t] for f, t in STEPS if f is draft.status)
        raise InputError(
            said(
                "report draft %(draft)s is %(status)s; it can move to: %(allowed)s",
                draft=draft_id,
                status=Term(DRAFT_STATUS_NAMES[draft.status]),
                allowed=allowed,
            )
        )
    authorize_audited(session, principal, STEPS[step], "reports.draft.move", "report_draft", draft_id)
    session.add(
        ReportTransition(
            draft_id=draft_id,
            from_status=draft.status.value,
            to_status=to.value,
            actor=principal.username,
            note=note,
        )
    )
    draft.status = to
    session.flush()
    record(
        session,
        principal,
        "reports.draft.move",
        "report_draft",
        draft_id,
        {"from": step[0].value, "to": to.value},
    )
    return draft


def current_contributions(session: Session, principal: Principal, period_id: int) -> list[ReportContribution]:
    """The newest version of each organisation's text per goal in the newest draft of a period, where
    ``principal`` may read it (:func:`readable_by`); a text whose newest version they may not read is
    left out, never replaced by an older version they may read."""
    authorize_audited(session, principal, Permission.reports_read, "reports.contributions", "report_draft")
    draft_id = session.scalar(select(func.max(ReportDraft.id)).where(ReportDraft.period_id == period_id))
    if draft_id is None:
        return []
    same = (ReportContribution.goal, ReportContribution.organisation)
    newest = (
        select(*same, func.max(ReportContribution.version).label("version"))
        .where(ReportContribution.draft_id == draft_id)
        .group_by(*same)
        .subquery()
    )
    rows = session.scalars(
        select(ReportContribution)
        .join(
            newest,
            (ReportContribution.goal == newest.c.goal)
            & (ReportContribution.organisation == newest.c.organisation)
            & (ReportContribution.version == newest.c.version),
        )
        .where(ReportContribution.draft_id == draft_id, readable_by(principal))
        .order_by(*same)
    )
    return list(rows)


@dataclass(frozen=True)
class DraftView:
    """A draft with its contributions (every version), comments and steps, as far as one may read them."""

    draft: ReportDraft
    contributions: list[ReportContribution]
    comments: list[ReportComment]
    transitions: list[ReportTransition]
    period: ReportingPeriod | None = None
    """The period the draft reports on (its end decides whether publishing now is early)."""

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for JSON output)."""

        def rows(items: list[Any], names: tuple[str, ...]) -> list[dict[str, Any]]:
            return [
                {n: str(getattr(i, n)) if n == "created_at" else getattr(i, n) for n in names} for i in items
            ]

        return {
            "id": self.draft.id,
            "status": self.draft.status.value,
            "created_by": self.draft.created_by,
            "contributions": rows(
                self.contributions,
                ("id", "goal", "organisation", "version", "text", "author", "tlp", "created_at"),
            ),
            "comments": rows(
                self.comments,
                ("id", "goal", "contribution_id", "organisation", "author", "text", "tlp", "created_at"),
            ),
            "transitions": rows(
                self.transitions, ("from_status", "to_status", "actor", "note", "created_at")
            ),
        }


def view(session: Session, principal: Principal, draft_id: int) -> DraftView:
    """Draft ``draft_id`` with everything written on it that ``principal`` may read (:func:`readable_by`)."""
    draft = get_draft(session, principal, draft_id)

    def of(model: Any, *only: ColumnElement[bool]) -> list[Any]:
        query = select(model).where(model.draft_id == draft_id, *only).order_by(model.id)
        return list(session.scalars(query))

    contributions = of(ReportContribution, readable_by(principal))
    comments = of(ReportComment, readable_by(principal, ReportComment))
    period = session.get(ReportingPeriod, draft.period_id)
    return DraftView(draft, contributions, comments, of(ReportTransition), period)
