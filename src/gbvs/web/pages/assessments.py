"""Dreigingsbeoordeling / Threat assessment: scenario list, scenario with round status and scoring
form, and the results with the risk diagram and the sensitivity table.

Three routers, one per permission (read, score, manage), so each route is guarded by the
authorization layer before it runs; every POST checks its CSRF token (:func:`gbvs.web.csrf.checked_form`).
What a reader sees of a round comes from :func:`gbvs.db.services.assessments.round_view` (blind while
open). Nothing here is cached.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from gbvs.assessments import (
    DEFAULT_METHOD,
    LIKELIHOOD,
    Method,
    available_methods,
    load_method,
    subject_msgid,
    unconfirmed,
)
from gbvs.assessments.diagram import DiagramPoint, risk_diagram_svg, threat_colour
from gbvs.assessments.model import Scale, WeightSet
from gbvs.db.assessment_models import COORDINATORS_SCORE, LINK_KIND_NAMES, LinkKind
from gbvs.db.services import assessments as service
from gbvs.db.session import session_scope
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import GBVSError, InputError, NotFoundError, StateConflictError, Term, said
from gbvs.numbers import dutch_moment
from gbvs.security import Permission, Principal, can
from gbvs.web import csrf
from gbvs.web.pages.common import page_router
from gbvs.web.render import N_, render_form_page, render_page
from gbvs.web.signalaccess import check_schema, writes

read_router = page_router(Permission.assessments_read)
score_router = page_router(Permission.assessments_score)
manage_router = page_router(Permission.assessments_manage)
ROUTERS = (read_router, score_router, manage_router)

BASE = "/dreigingen"
CheckedForm = Annotated[csrf.Form, Depends(csrf.checked_form)]
ScenarioId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


def _principal(request: Request) -> Principal:
    principal: Principal = request.state.principal
    return principal


def _factory(request: Request) -> Any:
    check_schema(request.app.state.web)
    return request.app.state.web.session_factory()


@read_router.get(BASE, response_class=HTMLResponse)
def scenarios_page(request: Request) -> HTMLResponse:
    """Every scenario with its threat, method and round status."""
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        scenarios = service.list_scenarios(session, _principal(request))
    context = {"scenarios": scenarios, "methods": available_methods(), "colour": threat_colour}
    return render_page(request, "assessments.html", context)


@read_router.get(f"{BASE}/resultaten", response_class=HTMLResponse)
def results_page(
    request: Request,
    methode: str = Query(default=DEFAULT_METHOD, max_length=64, pattern=r"^[a-z][a-z0-9_]*$"),
    gewichten: str | None = Query(default=None, max_length=64, pattern=r"^[a-z][a-z0-9_]*$"),
) -> HTMLResponse:
    """Ranks per weight set, rank stability and the risk diagram with its data table."""
    method = load_method(methode)
    weight_set = _weight_set(method, gewichten)
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        view = service.results(session, _principal(request), method.id)
    diagram, points = None, []
    if view.results is not None:
        points = [
            _in_language(point, view, request.state.lang) for point in view.results.points[weight_set.id]
        ]
        diagram = Markup(_diagram(method, points, request.state.lang))
    context = {
        "method": method,
        "weight_set": weight_set,
        "view": view,
        "outcome": view.results,
        "diagram": diagram,
        "points": points,
        "titles": {
            str(s.id): s.title_en if request.state.lang == "en" and s.title_en else s.title
            for s in view.scenarios
        },
        "unconfirmed": unconfirmed(method),
        "weights_not_in_method": gewichten if gewichten and gewichten != weight_set.id else None,
        "methods": [(method_id, load_method(method_id).name) for method_id in available_methods()],
        "colour": threat_colour,
        "subject": subject_msgid,
        "threats": {str(s.id): s.threats for s in view.scenarios},
    }
    return render_page(request, "assessment_results.html", context)


def _weight_set(method: Method, wanted: str | None) -> WeightSet:
    """The weight set asked for, or the method's first when none is asked or the method lacks it (the
    form sends both choices, so switching the method keeps the other method's weight set)."""
    return next((ws for ws in method.weight_sets if ws.id == wanted), method.weight_sets[0])


def _in_language(point: DiagramPoint, view: service.ResultsView, lang: str) -> DiagramPoint:
    """The point labelled with its scenario's English title on English pages (when it has one)."""
    scenario = next(s for s in view.scenarios if str(s.id) == point.key)
    return replace(point, label=scenario.title_en) if lang == "en" and scenario.title_en else point


def _diagram(method: Method, points: Any, lang: str) -> str:
    dutch = lang == "nl"
    note = (
        (
            " Klassen en waarden zijn onbevestigd (te controleren)."
            if dutch
            else " Classes and values are unconfirmed (needs review)."
        )
        if method.scales_unconfirmed()
        else ""
    )
    return risk_diagram_svg(
        points,
        title=("Risicodiagram: " if dutch else "Risk diagram: ") + method.name.text("nl" if dutch else "en"),
        description=(
            "Impact tegen waarschijnlijkheid per scenario; de lijnen tonen de spreiding van de analisten."
            if dutch
            else "Impact against likelihood per scenario; the lines show the analysts' spread."
        )
        + note
        + f" {method.label()}.",
        axis_labels=("waarschijnlijkheid", "impact") if dutch else ("likelihood", "impact"),
        likelihood_ticks={c.value: c.code for c in method.likelihood_scales[0].classes},
        impact_ticks={c.value: c.code for c in method.impact_scale.classes},
    )


@read_router.get(BASE + "/{scenario_id}", response_class=HTMLResponse)
def scenario_page(
    request: Request, scenario_id: ScenarioId, ronde: int | None = Query(None, ge=1, le=1000)
) -> HTMLResponse:
    """A scenario: text, links, the round (blind while open), the scoring form, dissent."""
    return _scenario_response(request, scenario_id, ronde)


def _scenario_response(
    request: Request,
    scenario_id: int,
    number: int | None = None,
    errors: Mapping[str, str | GBVSError] | None = None,
    entered: dict[str, str] | None = None,
    status_code: int = 200,
    typed: dict[str, dict[str, Any]] | None = None,
) -> HTMLResponse:
    """The scenario page; ``entered`` refills the scores form, ``typed`` the edit or dissent form
    (by form name) after a refusal."""
    principal = _principal(request)
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        scenario = service.get_scenario(session, principal, scenario_id)
        round_view = service.round_view(session, principal, scenario_id, number) if scenario.rounds else None
        manages = scenario.managed_by(principal)
        off_panel = service.scorers_off_panel(session, principal, scenario_id) if manages else []
        not_scored = service.not_scored_to_chase(session, principal, scenario, number)
    method = load_method(scenario.method_id)
    likelihood_scale = method.likelihood_scale(scenario.kind)  # type: ignore[arg-type]
    lang = request.state.lang
    likelihood_label = (
        "Waarschijnlijkheid" if lang == "nl" else "Likelihood"
    ) + f" ({likelihood_scale.name.text(lang)})"
    rows: list[tuple[str, str, Scale, bool]] = [
        (LIKELIHOOD, likelihood_label, likelihood_scale, likelihood_scale.needs_review)
    ]
    rows += [
        (
            c.id,
            f"{c.id} {c.name.text(lang)}",
            method.impact_scale,
            c.needs_review or method.impact_scale.needs_review,
        )
        for c in method.criteria
    ]
    own = round_view.own if round_view else None
    values = entered if entered is not None else _own_values(own)
    context = {
        "scenario": scenario,
        "round": round_view,
        "method": method,
        "rows": rows,
        "can_score": can(principal, Permission.assessments_score) and principal.user_id is not None,
        "scores_in_round": round_view is not None
        and service.scores_in_round(principal.role, round_view.round.coordinators_score),
        "coordinators_score": COORDINATORS_SCORE,
        "on_panel": scenario.on_panel(principal.organisation_code),
        "can_manage": manages,
        "off_panel": off_panel,
        "not_scored": not_scored,
        "now": _now(request),
        "last_round": scenario.rounds[-1].number if scenario.rounds else None,
        "stored_account": principal.user_id is not None,
        "errors": errors or {},
        "values": values,
        "typed": typed or {},
        "likelihood_key": LIKELIHOOD,
        "subject": subject_msgid,
        "link_names": LINK_KIND_NAMES,
        "evidence_kinds": [k.value for k in LinkKind if k not in (LinkKind.threat, LinkKind.goal)],
        "saved": request.query_params.get("opgeslagen") == "1",
    }
    return render_form_page(request, "scenario.html", context, status_code=status_code)


def _own_values(own: service.SheetView | None) -> dict[str, str]:
    if own is None:
        return {}
    values = {f"class_{LIKELIHOOD}": own.likelihood, f"why_{LIKELIHOOD}": own.likelihood_justification}
    for criterion, (code, why) in own.scores.items():
        values[f"class_{criterion}"], values[f"why_{criterion}"] = code, why
    return values


@score_router.post(BASE + "/{scenario_id}/scores", response_model=None)
def submit_scores(request: Request, scenario_id: ScenarioId, form: CheckedForm) -> Response:
    """Save the analyst's scores (a new version); field errors re-show the form with what was typed."""
    entered = {key: values[0] for key, values in form.items() if key not in (csrf.FIELD, "round")}
    number = _round_of_form(form)
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        method = load_method(service.get_scenario(session, _principal(request), scenario_id).method_id)
    errors: Mapping[str, str | GBVSError] = _field_errors(method, entered)
    if not errors:
        scores = {c: (entered[f"class_{c}"], entered[f"why_{c}"]) for c in method.criterion_ids()}
        likelihood = (entered[f"class_{LIKELIHOOD}"], entered[f"why_{LIKELIHOOD}"])
        try:
            with session_scope(_factory(request), for_writing=writes(request)) as session:
                service.submit_scores(
                    session, _principal(request), scenario_id, likelihood, scores, number, _now(request)
                )
        except StateConflictError as conflict:  # the round closed, or its deadline passed, meanwhile
            return _scenario_response(request, scenario_id, None, {"round": conflict}, entered, 409)
        except (InputError, NotFoundError) as refusal:
            errors = {"form": refusal}
    if errors:
        return _scenario_response(request, scenario_id, None, errors, entered, status_code=400)
    return RedirectResponse(f"{BASE}/{scenario_id}?opgeslagen=1", status_code=303)


def _round_of_form(form: csrf.Form) -> int | None:
    """The round the scoring form was filled in for (the page sends it), so scores typed while the round
    closed are refused as such rather than saved in another round."""
    value = form.get("round", [""])[0]
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ROW_ID else None


def _field_errors(method: Method, entered: dict[str, str]) -> dict[str, str]:
    errors = {}
    for key in (LIKELIHOOD, *method.criterion_ids()):
        if not entered.get(f"class_{key}", "").strip():
            errors[f"class_{key}"] = N_("Choose a class.")
        if not entered.get(f"why_{key}", "").strip():
            errors[f"why_{key}"] = N_("Write a short justification.")
        elif len(entered[f"why_{key}"]) > service.JUSTIFICATION_MAX:
            errors[f"why_{key}"] = N_("The justification is too long (at most 2000 characters).")
    return errors


@score_router.post(BASE + "/{scenario_id}/afwijkend", response_model=None)
def record_dissent(request: Request, scenario_id: ScenarioId, form: CheckedForm) -> Response:
    """Record dissent (kept and shown with the scenario everywhere)."""
    text = form.get("dissent", [""])[0]
    criterion = form.get("criterion", [""])[0] or None
    try:
        with session_scope(_factory(request), for_writing=writes(request)) as session:
            service.record_dissent(session, _principal(request), scenario_id, text, criterion)
    except InputError as refusal:
        typed = {"dissent": {"dissent": text, "criterion": criterion or ""}}
        return _scenario_response(
            request, scenario_id, None, {"dissent": refusal}, status_code=400, typed=typed
        )
    return RedirectResponse(f"{BASE}/{scenario_id}#dissent", status_code=303)


@manage_router.post(BASE + "/{scenario_id}/bewerken", response_model=None)
def edit_scenario(request: Request, scenario_id: ScenarioId, form: CheckedForm) -> Response:
    """Save an edit of a draft scenario as a new version (coordinator); refused once scoring started."""
    try:
        change = scenario_edit(form)
        with session_scope(_factory(request), for_writing=writes(request)) as session:
            service.edit_scenario(session, _principal(request), scenario_id, change)
    except (InputError, NotFoundError) as refusal:
        typed = {"edit": {key: values if key == "remove" else values[0] for key, values in form.items()}}
        return _scenario_response(request, scenario_id, None, {"edit": refusal}, status_code=400, typed=typed)
    return RedirectResponse(f"{BASE}/{scenario_id}", status_code=303)


def scenario_edit(form: csrf.Form) -> service.ScenarioEdit:
    """The edit a scenario form asks for (texts as typed, numbers and links checked)."""

    def text(name: str) -> str | None:
        return form[name][0].replace("\r\n", "\n") if name in form else None

    removed = [_link(value) for value in form.get("remove", [])]
    kind, value = (form.get("evidence_kind", [""])[0], form.get("evidence_value", [""])[0].strip())
    added = [(_link(f"{kind}={value}")[0], value, form.get("evidence_note", [""])[0])] if value else []
    return service.ScenarioEdit(
        title=text("title"),
        title_en=text("title_en"),
        description=text("description"),
        description_en=text("description_en"),
        time_horizon=text("time_horizon"),
        assumptions=text("assumptions"),
        threats=_numbers(text("threats"), "threats"),
        goals=_numbers(text("goals"), "goals"),
        add_evidence=added,
        remove_evidence=removed,
    )


def _numbers(value: str | None, name: str) -> tuple[int, ...] | None:
    if value is None:
        return None
    parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    if not all(part.isdigit() and len(part) < 4 for part in parts):
        raise InputError(
            said(
                "%(field)s '%(value)s' are not numbers separated by commas, e.g. 1, 3",
                field=Term(name),
                value=value[:40],
            )
        )
    return tuple(int(part) for part in parts)


def _link(item: str) -> tuple[LinkKind, str]:
    kind, _, value = item.partition("=")
    try:
        return LinkKind(kind), value
    except ValueError:
        raise InputError(
            said(
                "evidence kind '%(kind)s' is unknown; use one of: %(known)s",
                kind=kind[:20],
                known=", ".join(LinkKind),
            )
        ) from None


def _unknown_action(action: str, known: tuple[str, ...]) -> InputError:
    """A form's ``action`` (a hidden field) that is none of ``known``: only a hand-made request sends it."""
    return InputError(
        said(
            "form action %(action)s is unknown; use one of: %(known)s",
            action=repr(action[:20]),
            known=", ".join(known),
        )
    )


@manage_router.post(BASE + "/{scenario_id}/panel", response_model=None)
def change_panel(request: Request, scenario_id: ScenarioId, form: CheckedForm) -> Response:
    """Invite an organisation to the scenario's panel or take one off it (the scenario's coordinator)."""
    action = form.get("action", [""])[0]
    organisation = form.get("organisation", [""])[0].strip()
    try:
        with session_scope(_factory(request), for_writing=writes(request)) as session:
            if action == "add":
                service.add_panel_member(session, _principal(request), scenario_id, organisation)
            elif action == "remove":
                service.remove_panel_member(session, _principal(request), scenario_id, organisation)
            else:
                raise _unknown_action(action, ("add", "remove"))
    except (InputError, NotFoundError) as refusal:
        typed = {"panel": {"organisation": organisation}}
        return _scenario_response(
            request, scenario_id, None, {"panel": refusal}, status_code=400, typed=typed
        )
    return RedirectResponse(f"{BASE}/{scenario_id}#panel-h", status_code=303)


@manage_router.post(BASE + "/{scenario_id}/ronde", response_model=None)
def change_round(request: Request, scenario_id: ScenarioId, form: CheckedForm) -> Response:
    """Open the next round, close the open one, set its deadline, or reopen the last one (coordinator)."""
    action = form.get("action", [""])[0]
    principal, now = _principal(request), _now(request)
    typed = {"round": {key: values[0] for key, values in form.items() if key != csrf.FIELD}}
    try:
        deadline = _deadline_of_form(form)
        with session_scope(_factory(request), for_writing=writes(request)) as session:
            if action == "open":
                coordinators_score = form.get("coordinators_score", [""])[0] == "1"
                service.open_round(session, principal, scenario_id, coordinators_score, deadline, now)
            elif action == "close":
                service.close_round(session, principal, scenario_id)
            elif action == "deadline":
                service.set_deadline(session, principal, scenario_id, deadline, _round_of_form(form), now)
            elif action == "reopen":
                reason, number = form.get("reason", [""])[0], _round_of_form(form)
                service.reopen_round(session, principal, scenario_id, reason, number, deadline, now)
            else:
                raise _unknown_action(action, ("open", "close", "deadline", "reopen"))
    except InputError as refusal:
        status = 409 if isinstance(refusal, StateConflictError) else 400
        return _scenario_response(
            request, scenario_id, None, {"round": refusal}, status_code=status, typed=typed
        )
    return RedirectResponse(f"{BASE}/{scenario_id}#rounds-h", status_code=303)


def _deadline_of_form(form: csrf.Form) -> datetime | None:
    """The deadline typed in a round form (Dutch time, as the page's datetime field sends it); empty: none."""
    value = form.get("deadline", [""])[0].strip()
    if not value:
        return None
    try:
        return dutch_moment(value)
    except ValueError:
        raise InputError(
            said(
                "the deadline '%(value)s' is not a date and time; give one as YYYY-MM-DD HH:MM, e.g. "
                "2026-12-14 17:00 (Dutch time)",
                value=value[:40],
            )
        ) from None


def _now(request: Request) -> datetime:
    """What time it is by the app's clock (tests fix it: :func:`gbvs.web.app.create_app`)."""
    now: datetime = request.app.state.web.clock()
    return now
