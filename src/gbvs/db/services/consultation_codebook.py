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
from gbvs.errors import InputError, Term, said
from gbvs.opinion.revisions import ThemeState, merged_links
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
    meaning_changed: bool = True
    """For a rewording: whether it changes what the theme means (its codings are asked again), the safe
    default; False for an editorial one (spelling, clarity), after which its codings stay valid."""


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
    meaning_changed: bool | None = None
    """For a rewording: True when it changed the meaning (re-code), False when editorial."""


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
            said(
                "%(user)s is not a named account; revising a codebook needs one, so that its history "
                "names who did it (see `gbvs users create`)",
                user=principal.named(),
            )
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
            meaning_changed=change.meaning_changed if change.kind is CodebookChangeKind.reword else None,
        )
    )
    session.flush()
    detail: dict[str, Any] = {"version": version, "kind": change.kind.value, "theme": change.code}
    detail |= {"into": change.into}
    if change.kind is CodebookChangeKind.reword:
        detail["meaning_changed"] = change.meaning_changed
    record(session, principal, "consultations.codebook", "consultation", consultation.id, detail)
    return version


def _check_revisable(consultation: Consultation, change: CodebookRevision) -> None:
    if consultation.phase is not ConsultationPhase.coding:
        raise InputError(
            said(
                "consultation '%(slug)s' is in its %(phase)s phase; its codebook is revised only while it "
                "is coded (a revision may ask for re-coding)",
                slug=consultation.slug,
                phase=Term(consultation.phase.value),
            )
        )
    reason = change.reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise InputError(
            said(
                "a codebook revision needs a reason of 1-%(most)s characters; its history tells the "
                "auditor why the codebook changed",
                most=REASON_MAX,
            )
        )


def _in_use(consultation: Consultation, code: str | None, what: str) -> ConsultationTheme:
    found = next((t for t in consultation.themes if t.code == code), None)
    if found is None:
        raise InputError(
            said(
                "%(what)s '%(code)s' is not in the codebook of '%(slug)s'; choose a theme in use",
                what=Term(what),
                code=code or "",
                slug=consultation.slug,
            )
        )
    if found.retired_in is not None:
        raise InputError(
            said(
                "%(what)s '%(code)s' of '%(slug)s' was retired in codebook version %(version)s; choose a "
                "theme in use",
                what=Term(what),
                code=found.code,
                slug=consultation.slug,
                version=found.retired_in,
            )
        )
    return found


def _labels(change: CodebookRevision) -> dict[str, str]:
    labels = {"nl": (change.label_nl or "").strip(), "en": (change.label_en or "").strip()}
    if any(len(label) > LABEL_MAX for label in labels.values()):
        raise InputError(said("a theme's label has at most %(most)s characters", most=LABEL_MAX))
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
        return before, _reword(theme, change, version)
    _no_children(consultation, theme)
    if change.kind is CodebookChangeKind.merge:
        target = _in_use(consultation, change.into, "merge target")
        if target.code == theme.code:
            raise InputError(
                said("theme '%(code)s' cannot be merged into itself; name another theme", code=theme.code)
            )
        target.defined_in = max(target.defined_in, theme.defined_in)
        theme.merged_into = target.code
        theme.retired_in = version
        return before | {"links": theme.links, "into_links": target.links}, _merge_links(theme, target)
    theme.retired_in = version
    return before, {"retired_in": version, "merged_into": theme.merged_into}


def _reword(theme: ConsultationTheme, change: CodebookRevision, version: int) -> dict[str, Any]:
    """New labels; a change of meaning makes the theme's definition hold from ``version`` (its earlier
    codings no longer count for it), an editorial one keeps its codings valid."""
    labels = _labels(change)
    if not labels["nl"] and not labels["en"]:
        raise InputError(said("a rewording needs a new Dutch label, a new English label or both"))
    theme.label_nl, theme.label_en = labels["nl"] or theme.label_nl, labels["en"] or theme.label_en
    if change.meaning_changed:
        theme.defined_in = version
    after = {"nl": theme.label_nl, "en": theme.label_en, "defined_in": theme.defined_in}
    return after | {"meaning_changed": change.meaning_changed}


def _merge_links(theme: ConsultationTheme, target: ConsultationTheme) -> dict[str, Any]:
    """Give ``target`` the union of both themes' strategy links; what the history keeps of the merge."""
    union, sources = merged_links(target.code, target.links or {}, theme.code, theme.links or {})
    target.links = union  # a new dict, so that the JSON column is written
    return {
        "retired_in": theme.retired_in,
        "merged_into": target.code,
        "links": union,
        "links_from": sources,
    }


def _no_children(consultation: Consultation, theme: ConsultationTheme) -> None:
    children = [t.code for t in themes_in_use(consultation) if t.parent_code == theme.code]
    if children:
        raise InputError(
            said(
                "theme '%(code)s' has the themes %(children)s in use below it; merge or retire those first",
                code=theme.code,
                children=str(children),
            )
        )


def _add(
    consultation: Consultation, change: CodebookRevision, version: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    code = change.code.strip()
    if not code or len(code) > CODE_MAX or any(c.isspace() for c in code):
        raise InputError(
            said(
                "a new theme's code '%(code)s' must be 1-%(most)s characters without spaces",
                code=change.code,
                most=CODE_MAX,
            )
        )
    if any(t.code == code for t in consultation.themes):
        raise InputError(
            said(
                "theme code '%(code)s' is taken in the codebook of '%(slug)s' (retired codes stay taken, so "
                "that earlier codings keep their meaning); choose another code",
                code=code,
                slug=consultation.slug,
            )
        )
    labels = _labels(change)
    if not labels["nl"] or not labels["en"]:
        raise InputError(said("new theme '%(code)s' needs a Dutch label and an English label", code=code))
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
            r.meaning_changed,
        )
        for r in rows
    ]
