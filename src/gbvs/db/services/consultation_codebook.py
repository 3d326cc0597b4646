"""Revising a consultation's codebook while it is coded: add, reword, merge or retire a theme.

Each revision makes a new codebook version with who, when and why (``consultation_codebook_change``,
and an audit entry). Only the coordinator of the organisation that imported the consultation revises
it (``opinion:codebook``, scope own: its coders are the ones who read the texts), and only in the
coding phase: a revision may ask for re-coding, and coding ends with it. Which codings still count
after a revision is :mod:`gbvs.opinion.revisions`'s rule (docs/opinion.md argues it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gbvs.db.audit import authorize_audited, record
from gbvs.db.opinion_models import (
    CodebookChangeKind,
    Consultation,
    ConsultationCodebookChange,
    ConsultationPhase,
    ConsultationTheme,
)
from gbvs.db.services.consultations import consultation_by_slug
from gbvs.errors import InputError
from gbvs.opinion.revisions import ThemeState
from gbvs.security.authz import owner_to_check
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal

REASON_MAX = 5_000
LABEL_MAX = 300
CODE_MAX = 40


@dataclass(frozen=True)
class CodebookRevision:
    """A change asked for: ``kind`` of theme ``code`` (labels for add and reword, ``into`` for merge)."""

    kind: CodebookChangeKind
    code: str
    reason: str
    label_nl: str | None = None
    label_en: str | None = None
    parent: str | None = None
    into: str | None = None


@dataclass(frozen=True)
class CodebookChangeView:
    """A revision as readers see it."""

    version: int
    kind: str
    theme: str
    into: str | None
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    author: str
    made_at: datetime


def theme_states(consultation: Consultation) -> dict[str, ThemeState]:
    """Every theme of the consultation (retired ones too) with its place in the codebook's history."""
    return {
        t.code: ThemeState(t.code, t.parent_code, t.defined_in, t.retired_in, t.merged_into)
        for t in consultation.themes
    }


def themes_in_use(consultation: Consultation) -> list[ConsultationTheme]:
    """The themes coders may apply now, in codebook order."""
    return [t for t in consultation.themes if t.retired_in is None]


def revise_codebook(session: Session, principal: Principal, slug: str, change: CodebookRevision) -> int:
    """Apply ``change`` as the next codebook version; return that version. Refused outside the coding
    phase, without a reason, or when the change does not fit the codebook (the message says why)."""
    authorize_audited(
        session, principal, Permission.opinion_codebook, "consultations.codebook", "consultation", slug
    )
    consultation = consultation_by_slug(session, slug)
    owner = owner_to_check(None if consultation.owner is None else consultation.owner.code, principal)
    authorize_audited(
        session, principal, Permission.opinion_codebook, "consultations.codebook", "consultation", slug, owner
    )
    if principal.user_id is None:
        raise InputError(
            f"{principal.describe()} is not a named account; revising a codebook needs one, so that its "
            "history names who did it (see `gbvs users create`)"
        )
    _check_revisable(consultation, change)
    version = consultation.codebook_version + 1
    before, after = _apply(consultation, change, version)
    consultation.codebook_version = version
    session.add(
        ConsultationCodebookChange(
            consultation_id=consultation.id,
            version=version,
            kind=change.kind,
            theme_code=change.code,
            into_code=change.into,
            before=before,
            after=after,
            reason=change.reason.strip(),
            author_id=principal.user_id,
        )
    )
    session.flush()
    detail = {"version": version, "kind": change.kind.value, "theme": change.code, "into": change.into}
    record(session, principal, "consultations.codebook", "consultation", consultation.id, detail)
    return version


def _check_revisable(consultation: Consultation, change: CodebookRevision) -> None:
    if consultation.phase is not ConsultationPhase.coding:
        raise InputError(
            f"consultation {consultation.slug!r} is in its {consultation.phase.value} phase; its codebook "
            "is revised only while it is coded (a revision may ask for re-coding)"
        )
    reason = change.reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise InputError(
            f'a codebook revision needs a reason of 1-{REASON_MAX} characters (--reason "why"); its '
            "history tells the auditor why the codebook changed"
        )


def _in_use(consultation: Consultation, code: str | None, what: str) -> ConsultationTheme:
    found = next((t for t in consultation.themes if t.code == code), None)
    if found is None:
        raise InputError(
            f"{what} {code!r} is not in the codebook of {consultation.slug!r}; see "
            f"`gbvs opinion consultations codebook history {consultation.slug}`"
        )
    if found.retired_in is not None:
        merged = f", merged into {found.merged_into!r}" if found.merged_into else ""
        raise InputError(
            f"{what} {code!r} of {consultation.slug!r} was retired in codebook version {found.retired_in}"
            f"{merged}; choose a theme in use"
        )
    return found


def _labels(change: CodebookRevision) -> dict[str, str]:
    labels = {"nl": (change.label_nl or "").strip(), "en": (change.label_en or "").strip()}
    if any(len(label) > LABEL_MAX for label in labels.values()):
        raise InputError(f"a theme's label has at most {LABEL_MAX} characters")
    return labels


def _apply(
    consultation: Consultation, change: CodebookRevision, version: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Change the themes; return what the theme was and what it is (for the history)."""
    if change.kind is CodebookChangeKind.add:
        return _add(consultation, change, version)
    theme = _in_use(consultation, change.code, "theme")
    before = {"nl": theme.label_nl, "en": theme.label_en, "defined_in": theme.defined_in}
    if change.kind is CodebookChangeKind.reword:
        labels = _labels(change)
        if not labels["nl"] and not labels["en"]:
            raise InputError("a rewording needs a new Dutch label (--nl), a new English label (--en) or both")
        theme.label_nl, theme.label_en = labels["nl"] or theme.label_nl, labels["en"] or theme.label_en
        theme.defined_in = version
        return before, {"nl": theme.label_nl, "en": theme.label_en, "defined_in": version}
    _no_children(consultation, theme)
    if change.kind is CodebookChangeKind.merge:
        target = _in_use(consultation, change.into, "merge target")
        if target.code == theme.code:
            raise InputError(f"theme {theme.code!r} cannot be merged into itself; name another theme")
        target.defined_in = max(target.defined_in, theme.defined_in)
        theme.merged_into = target.code
    theme.retired_in = version
    return before, {"retired_in": version, "merged_into": theme.merged_into}


def _no_children(consultation: Consultation, theme: ConsultationTheme) -> None:
    children = [t.code for t in themes_in_use(consultation) if t.parent_code == theme.code]
    if children:
        raise InputError(
            f"theme {theme.code!r} has the themes {children} in use below it; merge or retire those first"
        )


def _add(
    consultation: Consultation, change: CodebookRevision, version: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    code = change.code.strip()
    if not code or len(code) > CODE_MAX or any(c.isspace() for c in code):
        raise InputError(f"a new theme's code {change.code!r} must be 1-{CODE_MAX} characters without spaces")
    if any(t.code == code for t in consultation.themes):
        raise InputError(
            f"theme code {code!r} is taken in the codebook of {consultation.slug!r} (retired codes stay "
            "taken, so that earlier codings keep their meaning); choose another code"
        )
    labels = _labels(change)
    if not labels["nl"] or not labels["en"]:
        raise InputError(f"new theme {code!r} needs a Dutch label (--nl) and an English label (--en)")
    parent = None if change.parent is None else _in_use(consultation, change.parent, "parent theme").code
    position = max((t.position for t in consultation.themes), default=-1) + 1
    consultation.themes.append(
        ConsultationTheme(
            code=code,
            parent_code=parent,
            position=position,
            label_nl=labels["nl"],
            label_en=labels["en"],
            links={"trends": [], "threats": [], "goals": []},
            defined_in=version,
        )
    )
    return {}, {"nl": labels["nl"], "en": labels["en"], "parent": parent, "defined_in": version}


def codebook_changes(session: Session, principal: Principal, slug: str) -> list[CodebookChangeView]:
    """The codebook's revisions, oldest first (version 1 is the imported codebook)."""
    authorize_audited(
        session, principal, Permission.opinion_read, "consultations.codebook_history", "consultation", slug
    )
    consultation = consultation_by_slug(session, slug)
    rows = session.scalars(
        select(ConsultationCodebookChange)
        .where(ConsultationCodebookChange.consultation_id == consultation.id)
        .options(selectinload(ConsultationCodebookChange.author))
        .order_by(ConsultationCodebookChange.version)
    )
    return [
        CodebookChangeView(
            r.version,
            r.kind.value,
            r.theme_code,
            r.into_code,
            dict(r.before),
            dict(r.after),
            r.reason,
            r.author.username,
            r.made_at,
        )
        for r in rows
    ]
