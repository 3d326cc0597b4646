"""Producing report files and freezing periods: what the CLI, the API and the pages call.

:func:`produce` builds (or, for a frozen period, takes the stored snapshot) and writes HTML, PDF
and DOCX into a folder; :func:`freeze_period` keeps a snapshot; :func:`verify_period` checks a frozen
snapshot against its stored hash and rebuilds it from its recorded inputs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from gbvs.config import Settings
from gbvs.db.audit import authorize_audited
from gbvs.errors import InputError, NotFoundError, StateConflictError, said
from gbvs.languages import LANGUAGES
from gbvs.reports import records
from gbvs.reports.build import (
    Built,
    as_frozen,
    build,
    from_inputs,
    gather,
    is_intact,
    openbaarheidstoets,
    rebuild,
)
from gbvs.reports.docx_render import render_docx
from gbvs.reports.errata import Postscript
from gbvs.reports.postscript import postscript
from gbvs.reports.render import (
    GoalNames,
    SourceNames,
    goal_as_stored,
    render_html,
    render_pdf,
    source_as_stored,
)
from gbvs.reports.sources import DATA_CACHE
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal

FORMATS = ("html", "pdf", "docx")


@dataclass
class Produced:
    """What :func:`produce` wrote, the content hash, and the seconds each step took."""

    content_hash: str
    files: list[Path] = field(default_factory=list)
    frozen: bool = False
    left_out: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def check_choices(values: Iterable[str], allowed: tuple[str, ...], option: str) -> list[str]:
    """``values`` when each is in ``allowed``; else InputError naming the value and the choices."""
    chosen = list(dict.fromkeys(values))
    for value in chosen:
        if value not in allowed:
            raise InputError(
                said(
                    "%(option)s %(value)s is not supported; choose from: %(choices)s",
                    option=option,
                    value=repr(value),
                    choices=", ".join(allowed),
                )
            )
    return chosen


def current(
    settings: Settings,
    session: Session,
    principal: Principal,
    label: str,
    *,
    create: bool = True,
    cached: bool = False,
) -> tuple[Built, bool]:
    """The period's frozen snapshot (as stored) or, while open, a fresh build.

    ``create=False`` (the API and pages: a GET changes nothing) refuses an unknown period and
    seeds no results chain: a period without indicators shows none until ``gbvs report seed`` (or a
    build from the command line) adds them. ``cached=True`` reuses the store, forecasts and poll data
    while their files are unchanged (:data:`gbvs.reports.sources.DATA_CACHE`); the records are read
    anew on every build.
    """
    row = records.period(session, principal, label, create=create)
    frozen = records.latest_snapshot(session, principal, row)
    if frozen is not None:
        return as_frozen(label, frozen.inputs, frozen.outputs, frozen.content_hash), True
    if create and not records.current_indicators(session, principal):
        records.seed_results_chain(session, principal)
    data = DATA_CACHE.get(settings) if cached else None
    return build(settings, session, principal, label, data=data), False


def write_files(
    built: Built,
    folder: Path,
    formats: list[str],
    languages: list[str],
    *,
    frozen: bool,
    templates: Path | None = None,
    timings: dict[str, float] | None = None,
    goal_names: GoalNames = goal_as_stored,
    source_names: SourceNames = source_as_stored,
    postscript: Postscript | None = None,
) -> list[Path]:
    """Write the report in every format and language into ``folder``; the paths written. ``postscript``:
    the errata said beside a frozen report, a separate part of every file (the report stays as frozen)."""
    written: list[Path] = []
    clock = timings if timings is not None else {}
    stem = f"gbvs-voortgang-{built.period}"
    pages = {}
    for lang in languages:  # every language's page before any file: an adjusted template's mistake
        started = time.perf_counter()  # in one language leaves no report in the other
        pages[lang] = render_html(
            built.outputs,
            built.content_hash,
            lang,
            frozen=frozen,
            templates=templates,
            goal_names=goal_names,
            source_names=source_names,
            postscript=postscript,
        )
        clock[f"html-{lang}"] = time.perf_counter() - started
    folder.mkdir(parents=True, exist_ok=True)
    for lang, html in pages.items():
        for fmt in formats:
            started = time.perf_counter()
            path = folder / f"{stem}.{lang}.{fmt}"
            if fmt == "html":
                path.write_text(html, encoding="utf-8")
            elif fmt == "pdf":
                path.write_bytes(render_pdf(html))
            else:
                path.write_bytes(
                    render_docx(
                        built.outputs,
                        built.content_hash,
                        lang,
                        goal_names,
                        source_names,
                        frozen=frozen,
                        postscript=postscript,
                    )
                )
            clock[f"{fmt}-{lang}"] = clock.get(f"{fmt}-{lang}", 0.0) + time.perf_counter() - started
            written.append(path)
    return written


def produce(
    settings: Settings,
    session: Session,
    principal: Principal,
    label: str,
    folder: Path,
    *,
    formats: list[str],
    languages: list[str],
    templates: Path | None = None,
    goal_names: GoalNames = goal_as_stored,
    source_names: SourceNames = source_as_stored,
) -> Produced:
    """Build period ``label`` and write its files; the snapshot of a frozen period is used as is, with
    the errata recorded since it was frozen as a separate part (:mod:`gbvs.reports.postscript`)."""
    formats = check_choices(formats, FORMATS, "--formats")
    languages = check_choices(languages, LANGUAGES, "--lang")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    built, frozen = current(settings, session, principal, label)
    said_beside = postscript(session, principal, built, frozen)
    timings["build"] = time.perf_counter() - started
    files = write_files(
        built,
        folder,
        formats,
        languages,
        frozen=frozen,
        templates=templates,
        timings=timings,
        goal_names=goal_names,
        source_names=source_names,
        postscript=said_beside,
    )
    return Produced(built.content_hash, files, frozen, len(built.left_out), timings)


def public_toets(
    settings: Settings, session: Session, principal: Principal, label: str, **kw: Any
) -> list[dict[str, Any]]:
    """The openbaarheidstoets of period ``label``: the items left out and why (coordinator only).

    Looking changes nothing: a period written wrongly is an InputError, an unknown one a NotFoundError
    naming it and how to create it (never created and said to leave nothing out)."""
    authorize_audited(
        session, principal, Permission.reports_approve, "reports.openbaarheidstoets", "report", label
    )
    records.parse_period(label)
    records.period(session, principal, label)
    return openbaarheidstoets(build(settings, session, principal, label, **kw).left_out)


def freeze_period(
    settings: Settings,
    session: Session,
    principal: Principal,
    label: str,
    *,
    supersede_reason: str | None = None,
    early_reason: str | None = None,
    **kw: Any,
) -> Built:
    """Build period ``label`` from the current records and data and freeze it (the coordinator).

    A frozen period is frozen again only with ``supersede_reason`` (the new snapshot records the hash it
    replaces and why); a period that has not ended only with ``early_reason``. Both are kept in the
    snapshot's inputs, so they are part of its hash, and the report shows them.
    """
    row = records.period(session, principal, label, create=True)
    check_can_freeze(session, principal, row, supersede_reason, early_reason)
    if not records.current_indicators(session, principal):
        records.seed_results_chain(session, principal)
    inputs, left_out = gather(settings, session, principal, label, **kw)
    info: dict[str, Any] = {}
    latest = records.latest_snapshot(session, principal, row)
    if supersede_reason is not None and latest is not None:
        info["supersedes"] = {"content_hash": latest.content_hash, "reason": supersede_reason.strip()}
    if early_reason is not None:
        info["early"] = {"reason": early_reason.strip(), "frozen_on": date.today().isoformat()}
    if info:
        inputs = {**inputs, "freeze": info}
    built = from_inputs(label, inputs, left_out)
    records.freeze(session, principal, row, built.snapshot, built.content_hash)
    return built


def check_can_freeze(
    session: Session,
    principal: Principal,
    row: Any,
    supersede_reason: str | None,
    early_reason: str | None,
) -> None:
    """InputError for an empty reason; StateConflictError when period ``row`` may not be frozen now."""
    authorize_audited(
        session, principal, Permission.reports_approve, "reports.freeze", "reporting_period", row.label
    )
    for option, reason in (("--supersede", supersede_reason), ("--early", early_reason)):
        if reason is not None and not reason.strip():
            raise InputError(
                said("%(option)s needs --reason: it is shown in the report, so say why", option=option)
            )
    refusal = records.freeze_refusal(
        session, principal, row, supersede=supersede_reason is not None, early=early_reason is not None
    )
    if refusal is not None:
        raise StateConflictError(refusal)


@dataclass(frozen=True)
class Verification:
    """A frozen snapshot checked twice: is it as stored (``intact``), and does this version of GBVS
    compute the same outputs from its inputs (``identical``)? ``supersedes``: the hash it replaced."""

    period: str
    stored: str
    rebuilt: str
    intact: bool
    snapshot_id: int = 0
    created_by: str = ""
    created_on: str = ""
    supersedes: str | None = None
    reason: str | None = None
    current: bool = True

    @property
    def identical(self) -> bool:
        """Whether the rebuild gives the stored hash."""
        return self.stored == self.rebuilt


def verify_period(session: Session, principal: Principal, label: str) -> list[Verification]:
    """Check every frozen snapshot of ``label``, oldest first (the last is the report as published): its
    stored inputs and outputs against its stored hash, and a rebuild from its recorded inputs with this
    version's code against that hash."""
    row = records.period(session, principal, label)
    frozen = records.snapshots(session, principal, row)
    if not frozen:
        raise NotFoundError(
            said(
                "period %(period)s has no frozen snapshot; `gbvs report freeze --period %(label)s`",
                period=repr(label),
                label=label,
            )
        )
    checked = []
    for number, snapshot in enumerate(frozen, start=1):
        supersedes = (snapshot.inputs.get("freeze") or {}).get("supersedes") or {}
        checked.append(
            Verification(
                label,
                snapshot.content_hash,
                rebuild(snapshot.inputs, label).content_hash,
                is_intact(snapshot.inputs, snapshot.outputs, snapshot.content_hash),
                snapshot.id,
                snapshot.created_by,
                f"{snapshot.created_at:%Y-%m-%d}",
                supersedes.get("content_hash"),
                supersedes.get("reason"),
                current=number == len(frozen),
            )
        )
    return checked


def snapshot_json(built: Built) -> str:
    """The snapshot's public content as JSON (the outputs and the hash; never the left-out items)."""
    return json.dumps({"content_hash": built.content_hash, **built.outputs}, ensure_ascii=False, indent=2)


def move_draft(
    settings: Settings,
    session: Session,
    principal: Principal,
    draft_id: int,
    to: Any,
    note: str = "",
    *,
    early: bool = False,
    **kw: Any,
) -> Any:
    """Move a draft one step; publishing freezes the period and links the snapshot to the draft.

    Publishing a period that is already frozen is refused (a correction is `gbvs report freeze
    --supersede`); publishing before the period's end needs ``early`` with the reason in ``note``."""
    from gbvs.db.report_models import DraftStatus, ReportingPeriod
    from gbvs.reports import workflow

    early_reason = note if early else None
    if DraftStatus(to) is DraftStatus.published:  # refused before the step, so nothing is half done
        target = session.get(ReportingPeriod, workflow.get_draft(session, principal, draft_id).period_id)
        check_can_freeze(session, principal, target, None, early_reason)
    draft = workflow.move(session, principal, draft_id, DraftStatus(to), note)
    if draft.status is DraftStatus.published:
        period = session.get(ReportingPeriod, draft.period_id)
        assert period is not None
        freeze_period(settings, session, principal, period.label, early_reason=early_reason, **kw)
        frozen = records.latest_snapshot(session, principal, period)
        draft.snapshot_id = frozen.id if frozen else None
        session.flush()
    return draft
