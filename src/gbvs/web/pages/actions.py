"""Vroege actie / Early action: the board of cases, a case, the form to open one, the response gap.

Reading needs ``actions:read``; the forms need ``actions:write`` (the decision ``actions:decide``),
each checked by the route and again by the service. Every POST carries the CSRF token
(:func:`gbvs.web.csrf.checked_form`) and answers with a redirect to the case (303). A refused form
(wrong input, or a step the case's state forbids) comes back as the same page with the message
above the form and what was typed still in it (400 or 409); nothing is stored. The decision, option
and follow-up forms and the form to open a case show every wrong field's message at its field, with
an error summary above the form linking to each (:data:`FORM_FIELDS`, :data:`NEW_CASE_FIELDS`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gbvs.actions import gap, service, warning
from gbvs.actions.names import AUDIENCE_NAMES, CHANGE_NAMES, ORIGIN_NAMES, STATUS_NAMES
from gbvs.actions.workflow import (
    DUE_FIELD,
    OPTION_FIELD,
    ORDER,
    REASONING_FIELD,
    Choice,
    check_reasoning,
    parse_audience,
    parse_number,
    parse_origin,
    parse_status,
)
from gbvs.db.types import MAX_ROW_ID
from gbvs.drivers.families import family_labels
from gbvs.errors import (
    FieldChecks,
    FieldError,
    InputError,
    NoForecastRunError,
    NotFoundError,
    Term,
    UnusableSharingGroupError,
    field_errors,
    said,
)
from gbvs.security import Permission
from gbvs.strategy import load_strategy
from gbvs.web import csrf, notices
from gbvs.web.actioncharts import gap_chart
from gbvs.web.deps import Language
from gbvs.web.pages.common import page_router
from gbvs.web.problems import status_for
from gbvs.web.queries.actions import (
    action_session,
    forecasts_reader,
    outcomes_of,
    principal_of,
    rules_of,
    rules_provenance,
)
from gbvs.web.queries.displacement import CAVEAT, DISPLACEMENT_TARGET_NAMES
from gbvs.web.queries.forecasts import alert_worder
from gbvs.web.render import render_form_page

BASE = "/vroege-actie"
reading = page_router(Permission.actions_read)
writing = page_router(Permission.actions_write)
deciding = page_router(Permission.actions_decide)
CheckedForm = Annotated[csrf.Form, Depends(csrf.checked_form)]
Gettext = Callable[[str], str]


def _page(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    names = {
        "status_names_actions": STATUS_NAMES,
        "origin_names": ORIGIN_NAMES,
        "audience_names": AUDIENCE_NAMES,
        "change_names": CHANGE_NAMES,
    }
    context = {"refused": {}, "typed": {}, "field_errors": {}, **names, **context}
    return render_form_page(request, template, context, status_code=status_code)


def _region_names() -> dict[str, Any]:
    """The strategy's focus regions by id: their names in both languages (the ``tr`` filter picks one)."""
    return {r.id: r.name for r in load_strategy().regions}


def _field(form: csrf.Form, name: str, default: str = "") -> str:
    return form.get(name, [default])[0].strip()


def _number(value: str, name: str) -> int:
    """A number chosen from a list (the field ``name``; the decision's option: :data:`OPTION_FIELD`)."""
    field = OPTION_FIELD if name == "option" else name
    return parse_number(value, said("%(name)s (choose one from the list)", name=Term(name)), field)


def _to_case(case_id: int) -> RedirectResponse:
    return RedirectResponse(f"{BASE}/{case_id}", status_code=303)


def _typed(form: csrf.Form) -> dict[str, Any]:
    """What the user typed, to fill the form in again (checkbox groups keep every value)."""
    return {name: values if name == "goal" else values[0] for name, values in form.items() if values}


FORM_FIELDS = {
    "decision": {OPTION_FIELD: "option", REASONING_FIELD: "reasoning"},
    "options": {"instrument": "instrument", "description": "option-description"},
    "follow_up": {DUE_FIELD: "due_on", "note": "note"},
}
"""The case page's forms whose refusals are shown at their fields: each refused field (as the service
and the API name it) and the form's field (its ``id`` on the page)."""


def _case_form(
    request: Request, case_id: int, form: csrf.Form, name: str, act: Callable[[], Any]
) -> Response:
    """Run one of the case page's forms (``name``) and show the case again (or where ``act`` sends the
    user: the response it returns); a refusal shows the case again with what was typed still in it and
    the message above that form, or (a form of :data:`FORM_FIELDS`) each field's message at its field
    and an error summary above the form linking to them."""
    try:
        after = act()
    except (InputError, UnusableSharingGroupError) as refusal:
        context = _case_context(request, case_id, request.state.lang)
        context |= {"refused": {name: refusal}, "typed": {name: _typed(form)}}
        context["field_errors"] = {name: _at_fields(refusal, FORM_FIELDS.get(name, {}))}
        return _page(request, "actions_case.html", context, status_code=status_for(refusal))
    return after if isinstance(after, Response) else _to_case(case_id)


def _at_fields(refusal: Exception, fields: Mapping[str, str]) -> dict[str, FieldError]:
    """A refusal's errors by the form field each is about, in the form's order; empty when one of them
    is about no field of the form (the message above the form then says it)."""
    errors = field_errors(refusal) if isinstance(refusal, FieldError) else ()
    if not errors or any(error.field not in fields for error in errors):
        return {}
    found = {fields[error.field]: error for error in errors}
    return {field: found[field] for field in fields.values() if field in found}


HIDDEN = "verborgen"
"""The board's query parameter naming a case whose new audience no longer includes the user, signed
for that user (:mod:`gbvs.web.notices`): a link anyone can type makes the board state nothing."""


def _hidden_case(request: Request) -> int | None:
    """The case the board says the user no longer sees (``?verborgen=12.<mac>``, as :func:`share` sent
    it); None if absent, unsigned, signed for another user or no case number."""
    value = notices.verified(request, HIDDEN, request.query_params.get(HIDDEN, "")) or ""
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_ROW_ID else None


@reading.get(BASE, response_class=HTMLResponse)
def board_page(request: Request) -> HTMLResponse:
    """Open cases by status (columns), closed ones below, overdue follow-ups flagged."""
    with action_session(request) as session:
        cases = service.list_cases(session, principal_of(request))
    columns = [(status.value, [c for c in cases if c.status == status.value]) for status in ORDER]
    context = {
        "columns": columns, "count": len(cases), "hidden_case": _hidden_case(request),
        "region_names": _region_names(),
    }  # fmt: skip
    return _page(request, "actions_board.html", context)


@reading.get(f"{BASE}/respons", response_class=HTMLResponse)
def gap_page(request: Request, lang: Language) -> HTMLResponse:
    """The warning-response gap: alerts without a case, time to decision per region (chart and table)."""
    t: Gettext = request.app.state.web.catalogs[lang].gettext
    with forecasts_reader(request) as forecasts, action_session(request) as session:
        rules = rules_of(request)
        try:
            report = service.gap_report(
                session, principal_of(request), forecasts, rules, outcomes=outcomes_of(request, rules)
            )
        except NoForecastRunError as missing:
            return _page(request, "actions_gap.html", {"report": None, "missing": missing})
    names = _region_names()
    fixed = {gap.ALL: t("All alerts"), gap.OUTSIDE: t("Outside the focus regions")}
    language: Literal["nl", "en"] = "en" if lang == "en" else "nl"
    labels = {r.region: fixed.get(r.region) or names[r.region].text(language) for r in report.regions}
    chart = gap_chart(
        [(labels[r.region], r.decided, r.answered - r.decided, r.unanswered) for r in report.regions],
        t("Alerts per region: decided, case without decision, no case"),
        t("Stacked bars per region; the table below lists the same numbers."),
        (t("decided"), t("case, no decision yet"), t("no case")),
    )
    context = {
        "report": report, "labels": labels, "chart": chart, "missing": None,
        "rules_used": rules_provenance(request), "response_weeks": gap.RESPONSE_WEEKS,
        "worded": alert_worder(request.app.state.web.catalogs[lang], lang),
    }  # fmt: skip
    return _page(request, "actions_gap.html", context)


@reading.get(f"{BASE}/{{case_id:int}}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, lang: Language) -> HTMLResponse:
    """One case: the frozen warning, options, decision, follow-ups, outcome and its versions."""
    return _page(request, "actions_case.html", _case_context(request, case_id, lang))


def _case_context(request: Request, case_id: int, lang: str) -> dict[str, Any]:
    with action_session(request) as session:
        principal = principal_of(request)
        view = service.get_case(session, principal, case_id)
        versions = service.case_history(session, principal, case_id)
        groups = service.sharing_group_names(session, principal) if view.summary.may_change else []
    with forecasts_reader(request) as forecasts:
        newer = warning.newer_run(forecasts, view.warning, rules_of(request))
    strategy = load_strategy()
    return {
        "case": view,
        "may_change": view.summary.may_change,  # the forms: the rule of service.may_change
        "may_decide": view.summary.may_decide,
        "groups": groups,
        "versions": versions,
        "newer_run": newer,
        "instruments": strategy.instruments,
        "instrument_names": {i.id: i.name for i in strategy.instruments},
        "goal_titles": {g.number: g.title for g in strategy.goals},
        "statuses": [s.value for s in ORDER],
        "family_names": family_labels(lang),
        "region_names": _region_names(),
        "displacement_target_names": DISPLACEMENT_TARGET_NAMES,
        "displacement_caveat": CAVEAT,
    }


@writing.get(f"{BASE}/nieuw", response_class=HTMLResponse)
def new_case_page(request: Request, bron: str = "country", ref: str = "") -> HTMLResponse:
    """The form to open a case, filled in from the alert or country it answers."""
    origin = parse_origin(bron)
    return _new_case_form(request, {"origin": origin.value, "ref": ref[:120], "goal": ["1"]})


NEW_CASE_FIELDS = {
    "originKind": "origin", "originRef": "ref", "title": "title", "description": "description",
    "goal": "goals", "goals": "goals", "region": "region", "audience": "audience",
    "sharingGroup": "sharing_group",
}  # fmt: skip
"""The fields of the form to open a case: each as the service and the API name it, and its id on the page."""


def _new_case_form(
    request: Request, typed: dict[str, Any], refusal: InputError | NotFoundError | None = None
) -> HTMLResponse:
    strategy = load_strategy()
    with action_session(request) as session:
        groups = service.sharing_group_names(session, principal_of(request))
    context = {
        "goals": strategy.goals, "regions": strategy.regions, "groups": groups,
        "title_max": service.TITLE_MAX, "typed": typed, "refused": {"open": refusal} if refusal else {},
        "errors": _new_case_errors(refusal) if refusal else {},
    }  # fmt: skip
    status_code = (
        200 if refusal is None else 400 if isinstance(refusal, NotFoundError) else status_for(refusal)
    )
    return _page(request, "actions_new.html", context, status_code=status_code)


def _new_case_errors(refusal: Exception) -> dict[str, Exception]:
    """A refused new case's errors by the form field each is about: a sharing group no one may use, or
    a reference to nothing (an alert, country or case) at its field."""
    if isinstance(refusal, UnusableSharingGroupError):
        return {"sharing_group": refusal}
    if isinstance(refusal, NoForecastRunError):  # about no field: the message above the form says it
        return {}
    if isinstance(refusal, NotFoundError):
        return {"ref": refusal}
    return dict(_at_fields(refusal, NEW_CASE_FIELDS))


@writing.post(BASE, response_model=None)
def open_case(request: Request, form: CheckedForm) -> Response:
    """Open the case; the warning it answers is frozen into it. A refusal shows the form again."""
    try:
        case_id = _open(request, form)
    except (InputError, NotFoundError) as refusal:  # not found: an alert, country or case referred to
        return _new_case_form(request, _typed(form), refusal)
    return _to_case(case_id)


def _open(request: Request, form: csrf.Form) -> int:
    """Open the case the form asks for. Its choices (origin, goals, audience) are read first, each
    wrong one kept so that one refusal names them all; the service then checks the rest."""
    checks = FieldChecks()
    origin = checks.read(lambda: parse_origin(_field(form, "origin")))
    goals = checks.read(lambda: [_number(value, "goal") for value in form.get("goal", [])])
    typed_audience = _field(form, "audience")
    audience = checks.read(lambda: parse_audience(typed_audience)) if typed_audience else None
    checks.done()
    assert origin is not None and goals is not None  # else checks.done() refused
    with forecasts_reader(request) as forecasts, action_session(request) as session:
        return service.open_case(
            session, principal_of(request), forecasts=forecasts, rules=rules_of(request),
            origin=origin, reference=_field(form, "ref"),
            title=_field(form, "title"), goals=goals, region=_field(form, "region") or None,
            description=_field(form, "description"), audience=audience,
            sharing_group=_field(form, "sharing_group") or None,
        )  # fmt: skip


@writing.post(f"{BASE}/{{case_id:int}}/opties", response_model=None)
def add_option(request: Request, case_id: int, form: CheckedForm) -> Response:
    """Add an option with an instrument of the strategy."""

    def act() -> None:
        with action_session(request) as session:
            service.add_option(
                session, principal_of(request), case_id,
                instrument=_field(form, "instrument"), description=_field(form, "description"),
            )  # fmt: skip

    return _case_form(request, case_id, form, "options", act)


@writing.post(f"{BASE}/{{case_id:int}}/status", response_model=None)
def move(request: Request, case_id: int, form: CheckedForm) -> Response:
    """Move the case in the workflow (closing records the outcome)."""

    def act() -> None:
        status = parse_status(_field(form, "status"))
        with action_session(request) as session:
            service.move(
                session, principal_of(request), case_id, status,
                outcome=_field(form, "outcome"), reason=_field(form, "reason"),
            )  # fmt: skip

    return _case_form(request, case_id, form, "status", act)


@writing.post(f"{BASE}/{{case_id:int}}/lezers", response_model=None)
def share(request: Request, case_id: int, form: CheckedForm) -> Response:
    """Change who may read the case (its organisation or opener only; the service checks). Where the
    new audience leaves the user out, the case is not shown again: the board says so."""

    def act() -> RedirectResponse | None:
        audience = parse_audience(_field(form, "audience"))
        group = _field(form, "sharing_group") or None
        with action_session(request) as session:
            readable = service.share(session, principal_of(request), case_id, audience, group)
        if readable:
            return None
        return RedirectResponse(f"{BASE}?{HIDDEN}={notices.signed(request, HIDDEN, str(case_id))}", 303)

    return _case_form(request, case_id, form, "audience", act)


@deciding.post(f"{BASE}/{{case_id:int}}/besluit", response_model=None)
def decide(request: Request, case_id: int, form: CheckedForm) -> Response:
    """Record the decision: an option, or not to act with reasons."""

    def act() -> None:
        option, reasoning = _field(form, "option"), _field(form, "reasoning")
        choice = Choice.no_action if option in ("", "none") else Choice.act
        checks = FieldChecks()
        option_id = None if choice is Choice.no_action else checks.read(lambda: _number(option, "option"))
        if checks.problems:  # no option number: the service is not asked, so the reasons are checked here
            checks.read(lambda: check_reasoning(choice, reasoning))
            checks.done()
        with action_session(request) as session:
            service.decide(
                session, principal_of(request), case_id, choice=choice, option_id=option_id,
                reasoning=reasoning,
            )  # fmt: skip

    return _case_form(request, case_id, form, "decision", act)


@writing.post(f"{BASE}/{{case_id:int}}/vervolg", response_model=None)
def follow_up(request: Request, case_id: int, form: CheckedForm) -> Response:
    """Plan a follow-up date."""

    def act() -> None:
        value = _field(form, "due_on")
        try:
            due = date.fromisoformat(value)
        except ValueError:
            wrong = said("follow-up date '%(value)s' is not a date; write it as YYYY-MM-DD", value=value[:40])
            raise FieldError(DUE_FIELD, wrong) from None
        with action_session(request) as session:
            service.add_follow_up(
                session, principal_of(request), case_id, due_on=due, note=_field(form, "note")
            )

    return _case_form(request, case_id, form, "follow_up", act)


@writing.post(f"{BASE}/{{case_id:int}}/vervolg/{{follow_up_id:int}}/gedaan", response_model=None)
def follow_up_done(request: Request, case_id: int, follow_up_id: int, form: CheckedForm) -> Response:
    """Mark a follow-up as done."""

    def act() -> None:
        with action_session(request) as session:
            service.complete_follow_up(session, principal_of(request), case_id, follow_up_id)

    return _case_form(request, case_id, form, "follow_up", act)


ROUTERS = (reading, writing, deciding)
