"""Voortgang / Progress: periods, the results chain per goal, indicator detail, drafts with comments.

The draft page also carries the workflow for contributors who cannot use the CLI (remote mode): a
ministry's contribution, a comment and the workflow step the reader may take, each a POST with its
CSRF token (:func:`gbvs.web.csrf.checked_form`) through the services of :mod:`gbvs.reports.workflow`,
which authorize and audit; field errors re-render the page (422) with what was typed, nothing stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from gbvs.config import Settings
from gbvs.db.report_models import DraftStatus
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import GBVSError, InputError, NotFoundError
from gbvs.reports import records, service, views, workflow
from gbvs.reports.core.charts import line_chart
from gbvs.reports.errata import errata
from gbvs.reports.release_owners import RELEASE_KIND_NAMES, may_release, owners_of
from gbvs.reports.render import footnote_text, freeze_lines, labels, number, text_of
from gbvs.security import Permission, can
from gbvs.web import csrf
from gbvs.web.api.reports import _session
from gbvs.web.auth import require
from gbvs.web.deps import AppSettings
from gbvs.web.pages.common import page_router
from gbvs.web.pages.report_forms import (
    FieldProblem,
    comment_form,
    contribution_form,
    correction_entry,
    correction_form,
    early_form,
    release_form,
    step_form,
    supersede_form,
)
from gbvs.web.render import render_form_page, render_page
from gbvs.web.sourcetexts import source_names_in

router = page_router(Permission.reports_read)
PeriodLabel = Path(pattern=r"^\d{4}-\d{4}$")
DraftId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
CheckedForm = Annotated[csrf.Form, Depends(csrf.checked_form)]
WRITERS = [Depends(require(Permission.reports_write))]
APPROVERS = [Depends(require(Permission.reports_approve))]
IndicatorKey = Path(max_length=80)
Errors = Mapping[str, str | FieldProblem | GBVSError]
"""A form's errors by field: a page's own message, one with its values, or the service's refusal."""
DRAFTS = "/voortgang/concepten"
TOETS = "/voortgang/{period}/openbaarheidstoets"


@router.get("/voortgang", response_class=HTMLResponse)
def progress_page(request: Request) -> HTMLResponse:
    """Period overview and the results chain (indicators and actions) per goal."""
    principal = request.state.principal
    with _session(request) as session:
        periods = views.period_rows(session, principal)
        indicators = [records.indicator_dict(r) for r in records.current_indicators(session, principal)]
        actions = [records.action_dict(r) for r in records.current_actions(session, principal)]
        drafts = [
            {"id": d.id, "status": d.status.value, "created_by": d.created_by}
            for d in workflow.drafts(session, principal)
        ]
    goals = sorted({i["goal"] for i in indicators} | {a["goal"] for a in actions})
    context = {
        "periods": periods,
        "indicators": indicators,
        "actions": actions,
        "goals": goals,
        "drafts": drafts,
        "draft_status_names": workflow.DRAFT_STATUS_NAMES,
        "period_status_names": records.PERIOD_STATUS_NAMES,
        "action_status_names": records.ACTION_STATUS_NAMES,
    }
    return render_page(request, "progress.html", context)


@router.get("/voortgang/{period}", response_class=HTMLResponse)
def period_page(request: Request, settings: AppSettings, period: str = PeriodLabel) -> HTMLResponse:
    """One period's report: every indicator's value against baseline and target; for a coordinator of a
    frozen period, the form to replace its report (a correction, with the reason)."""
    return _period_response(request, settings, period)


@router.post("/voortgang/{period}/vervangen", response_model=None, dependencies=APPROVERS)
def supersede(
    request: Request, settings: AppSettings, form: CheckedForm, period: str = PeriodLabel
) -> Response:
    """Freeze the period again, replacing its published report, as `gbvs report freeze --supersede
    --reason`; before the period's end the new report is also early, with the same reason (as `--early`)."""
    reason, errors = supersede_form(form)
    if errors:
        return _period_response(request, settings, period, errors, {"reason": reason}, status_code=422)
    principal = request.state.principal
    try:
        with _session(request) as session:
            early = records.not_ended(records.period(session, principal, period))
            service.freeze_period(
                settings, session, principal, period, supersede_reason=reason,
                early_reason=reason if early else None,
            )  # fmt: skip
    except InputError as refusal:
        typed = {"reason": reason}
        return _period_response(request, settings, period, {"supersede": refusal}, typed, status_code=400)
    return RedirectResponse(f"/voortgang/{period}", status_code=303)


def _period_response(
    request: Request,
    settings: Settings,
    period: str,
    errors: Errors | None = None,
    entered: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    principal = request.state.principal
    with _session(request) as session:
        built, frozen = views.report_for(settings, session, principal, period)
        row = records.period(session, principal, period)
        corrected = views.corrected_since(session, principal, built, frozen)
    context = {
        "period": period,
        "frozen": frozen,
        "content_hash": built.content_hash,
        "rows": views.indicators_of(built),
        "counts": built.outputs["counts"],
        "num": lambda value: number(value, request.state.lang),
        "errata": errata(built.snapshot) if frozen else [],
        "corrected": _named_corrections(corrected, request.state.lang),
        "freeze_lines": freeze_lines(built.outputs, request.state.lang) if frozen else [],
        "may_supersede": frozen and can(principal, Permission.reports_approve),
        "may_release": can(principal, Permission.reports_approve),
        "ends_on": row.ends_on.isoformat(),
        "early": records.not_ended(row),
    }
    return _form_page(request, "progress_period.html", context, errors, entered, status_code)


def _named_corrections(corrected: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The values corrected since the report was frozen (:func:`views.corrected_since`), each with its
    indicator's name in ``lang`` as the report names it."""
    return [{**c, "name": c["name"].get(lang) or c["name"]["nl"]} for c in corrected]


def _form_page(
    request: Request,
    template: str,
    context: Mapping[str, object],
    errors: Errors | None,
    entered: dict[str, str] | None,
    status_code: int,
) -> HTMLResponse:
    """A page with forms: ``context`` with the field errors, what was typed and the CSRF token."""
    full = {
        **context,
        "errors": errors or {},
        "values": entered or {},
    }
    return render_form_page(request, template, full, status_code=status_code)


def _source_names(request: Request) -> Callable[[str, str], str]:
    """Sources' stored (English) titles and notes in the page's language (``gbvs.web.sourcetexts``)."""
    return source_names_in(request.app.state.web.catalogs)


@router.get("/voortgang/{period}/indicatoren/{key}", response_class=HTMLResponse)
def indicator_page(
    request: Request, settings: AppSettings, period: str = PeriodLabel, key: str = IndicatorKey
) -> HTMLResponse:
    """One indicator: definition, chart with its data table, footnotes; for a reported indicator, the
    form to correct a value to those who may enter its values."""
    return _indicator_response(request, settings, period, key)


@router.post("/voortgang/{period}/indicatoren/{key}/correcties", response_model=None, dependencies=WRITERS)
def correct_value(
    request: Request,
    settings: AppSettings,
    form: CheckedForm,
    period: str = PeriodLabel,
    key: str = IndicatorKey,
) -> Response:
    """A correction of a reported value with the reason, as `gbvs report value-add --corrects --reason`
    (the service checks who may and that the value corrected is the one in force)."""
    principal = request.state.principal
    with _session(request) as session:
        in_force = {str(v.id): v.period for v in records.correctable_values(session, principal, key)}
    entered, errors = correction_form(form, set(in_force))
    typed = {f"correction_{name}": value for name, value in entered.items()}
    if errors:
        return _indicator_response(request, settings, period, key, errors, typed, status_code=422)
    try:
        with _session(request) as session:
            entry = correction_entry(key, in_force[entered["corrects"]], entered)
            records.add_reported_value(session, principal, entry)
    except InputError as refusal:
        return _indicator_response(
            request, settings, period, key, {"correction": refusal}, typed, status_code=400
        )
    return RedirectResponse(f"/voortgang/{period}/indicatoren/{key}#correctie", status_code=303)


def _indicator_response(
    request: Request,
    settings: Settings,
    period: str,
    key: str,
    errors: Errors | None = None,
    entered: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    lang: str = request.state.lang
    principal = request.state.principal
    with _session(request) as session:
        built, frozen = views.report_for(settings, session, principal, period)
        ind = views.indicator_detail(built, key)
        record = ind["record"]
        corrects = record["method"] == "reported" and records.may_change_owned(
            principal, record["owner_organisation"]
        )
        in_force = records.correctable_values(session, principal, key) if corrects else []
        corrected = [
            c for c in views.corrected_since(session, principal, built, frozen) if c["indicator"] == key
        ]
    faults = errata(built.snapshot) if frozen else []
    words = labels(lang)
    name = record["name_en"] if lang == "en" and record["name_en"] else record["name"]
    chart = line_chart(
        f"chart-{key}",
        ind["points"],
        title=name,
        description=words["chart_desc"],
        baseline=ind["assessment"]["baseline"],
        target=record.get("target_value"),
        labels={"baseline": words["baseline"], "target": words["target"]},
        number=lambda value: number(value, lang),
    )
    context = {
        "period": period,
        "ind": ind,
        "name": name,
        "chart": Markup(chart),
        "notes": [footnote_text(n, lang, _source_names(request)) for n in ind["footnotes"]],
        "num": lambda value: number(value, lang),
        "note": lambda value: text_of(value, lang),
        "errata": [e for e in faults if e.indicator in (key, None)],  # None: the whole report
        "corrected": _named_corrections(corrected, lang),
        "frozen": frozen,
        "in_force": in_force,
        "tlp_levels": workflow.TLP_LEVELS,
    }
    return _form_page(request, "progress_indicator.html", context, errors, entered, status_code)


@router.get(DRAFTS + "/{draft_id}", response_class=HTMLResponse)
def draft_page(request: Request, draft_id: DraftId) -> HTMLResponse:
    """A draft with every contribution version, comment and step, and the forms the reader may use."""
    return _draft_response(request, draft_id)


@router.post(DRAFTS + "/{draft_id}/bijdragen", response_model=None, dependencies=WRITERS)
def add_contribution(request: Request, draft_id: DraftId, form: CheckedForm) -> Response:
    """A ministry's text for one goal (a new version of its earlier text)."""
    entered, errors = contribution_form(form)
    if errors:
        return _draft_response(request, draft_id, errors, entered, status_code=422)
    try:
        with _session(request) as session:
            workflow.contribute(
                session,
                request.state.principal,
                draft_id,
                int(entered["goal"]),
                entered["text"],
                entered["tlp"],
            )
    except InputError as refusal:
        return _draft_response(request, draft_id, {"contribution": refusal}, entered, status_code=400)
    return RedirectResponse(f"{DRAFTS}/{draft_id}#bijdragen", status_code=303)


@router.post(DRAFTS + "/{draft_id}/opmerkingen", response_model=None, dependencies=WRITERS)
def add_comment(request: Request, draft_id: DraftId, form: CheckedForm) -> Response:
    """A comment on the draft, optionally on one goal."""
    entered, errors = comment_form(form)
    prefixed = {f"comment_{key}": value for key, value in entered.items()}
    if errors:
        return _draft_response(request, draft_id, errors, prefixed, status_code=422)
    goal = int(entered["goal"]) if entered["goal"] else None
    try:
        with _session(request) as session:
            workflow.comment(
                session,
                request.state.principal,
                draft_id,
                entered["text"],
                goal,
                entered["tlp"] or None,
                on_text=int(entered["on_text"]) if entered["on_text"] else None,
            )
    except (InputError, NotFoundError) as refusal:  # not found: a text one may not read
        return _draft_response(request, draft_id, {"comment": refusal}, prefixed, status_code=400)
    return RedirectResponse(f"{DRAFTS}/{draft_id}#opmerkingen", status_code=303)


@router.post(DRAFTS + "/{draft_id}/status", response_model=None, dependencies=WRITERS)
def move_draft(request: Request, settings: AppSettings, draft_id: DraftId, form: CheckedForm) -> Response:
    """One workflow step, as `gbvs report draft move`: the service checks the step's own permission
    (approving and publishing: the coordinator); publishing freezes the period."""
    early, errors = early_form(form)
    typed = {"note": form.get("note", [""])[0], "early_reason": early or ""}
    if errors:
        return _draft_response(request, draft_id, errors, typed, status_code=422)
    try:
        to, note = step_form(form)
        with _session(request) as session:
            why = early if early is not None else note  # early: the reason the report prints
            service.move_draft(
                settings, session, request.state.principal, draft_id, to, why, early=early is not None
            )
    except InputError as refusal:
        return _draft_response(request, draft_id, {"move": refusal}, typed, status_code=400)
    return RedirectResponse(f"{DRAFTS}/{draft_id}#werkstroom", status_code=303)


def _draft_response(
    request: Request,
    draft_id: int,
    errors: Errors | None = None,
    entered: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    principal = request.state.principal
    with _session(request) as session:
        found = workflow.view(session, principal, draft_id)
    view = found.as_dict()
    status = DraftStatus(view["status"])
    context = {
        "draft": view,
        "period": found.period,
        "publishes_early": found.period is not None and records.not_ended(found.period),
        "writable": workflow.editable(status) and can(principal, Permission.reports_write),
        "organisation": principal.organisation_code,
        "steps": [to.value for to in workflow.next_steps(principal, status)],
        "goals": range(1, 14),
        "tlp_levels": workflow.TLP_LEVELS,
        "draft_status_names": workflow.DRAFT_STATUS_NAMES,
    }
    return _form_page(request, "progress_draft.html", context, errors, entered, status_code)


@router.get(TOETS, response_class=HTMLResponse, dependencies=APPROVERS)
def toets_page(request: Request, settings: AppSettings, period: str = PeriodLabel) -> HTMLResponse:
    """The openbaarheidstoets (coordinator): what the period's public report leaves out and why, as
    `gbvs report openbaarheidstoets`, and a form to release each item of the reader's organisation."""
    return _toets_response(request, settings, period)


@router.post(TOETS + "/vrijgeven", response_model=None, dependencies=APPROVERS)
def release_item(
    request: Request, settings: AppSettings, form: CheckedForm, period: str = PeriodLabel
) -> Response:
    """Release a left-out item for publication with the reason, as `gbvs report release` (the service
    checks that the item is the reader's organisation's and that they can see it)."""
    entered, errors = release_form(form)
    if errors:
        return _toets_response(request, settings, period, errors, entered, status_code=422)
    try:
        with _session(request) as session:
            records.release(
                session, request.state.principal, entered["kind"], entered["id"], entered["reason"]
            )
    except (InputError, NotFoundError) as refusal:  # not found: an item one may not see
        return _toets_response(request, settings, period, {"release": refusal}, entered, status_code=400)
    return RedirectResponse(TOETS.format(period=period), status_code=303)


def _toets_response(
    request: Request,
    settings: Settings,
    period: str,
    errors: Errors | None = None,
    entered: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    principal = request.state.principal
    with _session(request) as session:
        rows = service.public_toets(settings, session, principal, period)
        released = records.released(session, principal)
        owners = owners_of(session, principal, [(row["kind"], row["id"]) for row in rows])
        indicators = {r.key: r for r in records.current_indicators(session, principal)}
    for row in rows:
        ref = (row["kind"], row["id"])
        row["released"] = ref in released
        row["releasable"] = ref in owners and not row["released"] and may_release(principal, owners[ref])
        row["release_owner"] = owners.get(ref)
        if (indicator := indicators.get(row["indicator_key"])) is not None:
            english = request.state.lang == "en" and indicator.name_en
            row["indicator_name"] = indicator.name_en if english else indicator.name
    context = {
        "period": period,
        "rows": rows,
        "kind_names": RELEASE_KIND_NAMES,
    }
    return _form_page(request, "progress_toets.html", context, errors, entered, status_code)
