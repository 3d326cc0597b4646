"""Signalen / Signals: the register's pages, under the same need-to-know as the API.

- ``/signalen``: list with a search box and filters (a plain GET form: works without JavaScript),
  paginated on the server;
- ``/signalen/{id}``: one signal with each organisation's current assessment;
- ``/signalen/nieuw``: the new-signal form (CSRF token as on the login form; each error beside its
  field, linked with ``aria-describedby``);
- ``/signalen/statistieken``: counts per threat, kind, country and quarter as SVG charts with tables;
- ``/zaken`` and ``/zaken/{id}``: cases, with the organisations' assessments side by side;
- writes (CSRF token, errors by their field and listed at the top, the same services as the CLI):
  an assessment and a new marking on a signal's page (a marking is confirmed on a page that says who
  may read the signal before and after), a new case (``/zaken/nieuw``), signals and goals of a case,
  an organisation's assessment of a case and (its owner's) joint position, offering only the
  organisations that recorded their own assessment.

A signal or case outside the reader's need-to-know answers 404, as in the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gbvs.countries import iso3_typed
from gbvs.db.paging import MAX_PAGE
from gbvs.db.services import cases as case_service
from gbvs.db.services import signals as service
from gbvs.db.services.cases import strategy_goals
from gbvs.db.signal_queries import SIGNAL_ORDER_KEYS, SignalFilter, SignalOrder
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import FieldChecks, FieldError, InputError, NotFoundError, each_field_error, said
from gbvs.security import Permission
from gbvs.security.authz import can
from gbvs.signals import assessment, vocabularies
from gbvs.signals.assessment import AssessmentInput
from gbvs.signals.form import FIELDS, errors_by_field, parse_signal
from gbvs.signals.markings import Classification, Distribution, Tlp, parse_classification, parse_tlp
from gbvs.signals.model import KIND_NAMES, SignalKind, kind_name
from gbvs.web import charts, csrf
from gbvs.web.api.signals import signal_filter
from gbvs.web.auth import require
from gbvs.web.pages.common import page_router
from gbvs.web.pages.formfields import errors_by_their_field, field_of, many, one, parsed
from gbvs.web.queries.strategy import current_strategy
from gbvs.web.render import N_, render_form_page, render_page
from gbvs.web.signalaccess import Db, Reader, technique_names, vocabulary
from gbvs.web.signalviews import signal_detail
from gbvs.web.tables import Column, Sort, Table, table_view

router = page_router(Permission.signals_read)
PAGE_SIZE = 25
STATISTICS: tuple[tuple[str, str, str], ...] = (  # (grouped by, title, the table's first column)
    ("threat", N_("Signals per threat"), N_("Threat")),
    ("kind", N_("Signals per kind"), N_("Kind")),
    ("country", N_("Signals per country"), N_("Country")),
    ("quarter", N_("Signals per quarter"), N_("Quarter")),
)
DISTRIBUTION_NAMES: dict[str, str] = {
    Distribution.organisation: N_("Own organisation"),
    Distribution.sharing_group: N_("Sharing group"),
    Distribution.all_organisations: N_("All GBVS organisations"),
    Distribution.public: N_("Public"),
}
CLASSIFICATION_NAMES: dict[str, str] = {
    Classification.ongerubriceerd: N_("Unclassified"),
    Classification.departementaal_vertrouwelijk: N_("Departmental confidential"),
}
Text = Annotated[str, Query(max_length=200)]
# sorted in the authorized query (gbvs.db.signal_queries.visible_signals), never on the page's rows
SIGNAL_TABLE = Table(
    *(Column(key, descending_first=key == "reported") for key in SIGNAL_ORDER_KEYS),
    default=Sort("reported", descending=True),
)


def page_filter(
    q: Text = "",
    kind: Text = "",
    threat: Text = "",
    goal: Text = "",
    country: Text = "",
    technique: Text = "",
    organisation: Text = "",
    tlp: Text = "",
    reportedFrom: Text = "",
    reportedTo: Text = "",
    suspectedActor: Text = "",
    sponsorState: Text = "",
) -> SignalFilter:
    """The filters of the list and statistics pages: a plain GET form sends every field, empty ones
    as ``""``, which mean "any" (the API's typed parameters would refuse them)."""
    try:
        return signal_filter(
            q=q,
            kind=SignalKind(kind) if kind else None,
            threat=_number(threat, "threat"),
            goal=_number(goal, "goal"),
            country=_country(country),
            technique=technique.strip() or None,
            tag=None,
            organisation=organisation.strip() or None,
            tlp=parse_tlp(tlp) if tlp else None,
            reportedFrom=_day(reportedFrom, "reported from"),
            reportedTo=_day(reportedTo, "reported until"),
            suspectedActor=suspectedActor.strip() or None,
            sponsorState=_country(sponsorState),
        )
    except ValueError as wrong:
        raise InputError(f"{wrong}; correct the filter and search again") from None


def _number(value: str, name: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit() or not 1 <= int(value) <= 100:
        raise InputError(f"{name} {value!r} is not a number of the strategy (1-100)")
    return int(value)


def _country(value: str) -> str | None:
    """The ISO3 code of the country typed as a code or a name in Dutch or English."""
    if not value.strip():
        return None
    try:
        return iso3_typed(value)
    except NotFoundError as unknown:
        raise InputError(f"{unknown}; correct the country and search again") from None


def _day(value: str, name: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{name} {value!r} is not a date; write it as YYYY-MM-DD") from None


Filters = Annotated[SignalFilter, Depends(page_filter)]
CheckedForm = Annotated[csrf.Form, Depends(csrf.checked_form)]


def _common() -> dict[str, Any]:
    strategy = current_strategy()
    return {
        "kind_names": KIND_NAMES,
        "distribution_names": DISTRIBUTION_NAMES,
        "classification_names": CLASSIFICATION_NAMES,
        "tlp_levels": [(level.value, level.label) for level in Tlp],
        "threats": strategy.threats,
        "goals": strategy.goals,
    }


@router.get("/signalen", response_class=HTMLResponse)
def signals_page(
    request: Request,
    db: Db,
    principal: Reader,
    wanted: Filters,
    page: int = Query(default=1, ge=1, le=MAX_PAGE),
    sort: str = Query(default="", max_length=40),
) -> HTMLResponse:
    """The signals shared with the reader, newest first, with search and filters.

    ``sort`` orders by ``number``, ``title``, ``kind``, ``reported``, ``organisation`` or ``marking``
    (``-`` in front: descending) inside the need-to-know query, so it can reveal nothing more.
    """
    order = SIGNAL_TABLE.parse(sort)
    found = service.list_signals(
        db, principal, wanted, page=page, page_size=PAGE_SIZE, order=SignalOrder(order.key, order.descending)
    )
    params = {
        key: value for key, value in request.query_params.items() if key not in ("page", "lang") and value
    }
    last = max(1, -(-found.total // PAGE_SIZE))
    context = {
        **_common(),
        "found": found,
        "wanted": wanted,
        "may_write": _may_write(principal),
        "last_page": last,
        "table": table_view(SIGNAL_TABLE, order, "/signalen", request.query_params),
        "prev_url": f"/signalen?{urlencode(params | {'page': page - 1})}" if page > 1 else None,
        "next_url": f"/signalen?{urlencode(params | {'page': page + 1})}" if page < last else None,
    }
    return render_page(request, "signals.html", context)


@router.get("/signalen/nieuw", response_class=HTMLResponse)
def new_signal_page(request: Request, db: Db, principal: Reader) -> HTMLResponse:
    """The form for a new signal of the reader's organisation."""
    return _form(request, db, principal, {}, {})


@router.post(
    "/signalen/nieuw", response_model=None, dependencies=[Depends(require(Permission.signals_write))]
)
def create_signal(request: Request, form: CheckedForm, db: Db, principal: Reader) -> Response:
    """Check the form on the server; on success go to the new signal, else show each error by its field."""
    owner = principal.organisation_code
    if owner is None:
        orphan = said(
            "You belong to no organisation; an administrator must set yours before you can add signals."
        )
        return _form(request, db, principal, form, {"title": InputError(orphan)}, status_code=400)
    parsed = parse_signal(form, owner=owner, today=date.today(), known=vocabulary(request))
    if parsed.draft is None:
        return _form(request, db, principal, form, errors_by_field(parsed.errors), status_code=400)
    try:
        signal_id = service.create_signal(db, principal, parsed.draft)
    except (InputError, NotFoundError) as problem:  # e.g. a sharing group not one's own, a recipient
        field = "sharingGroup" if "sharing group" in str(problem) else "recipients"
        field = problem.field if isinstance(problem, FieldError) else field
        return _form(request, db, principal, form, {field: problem}, status_code=400)
    return RedirectResponse(f"/signalen/{signal_id}", status_code=303)


def _form(
    request: Request,
    db: Any,
    principal: Any,
    values: dict[str, list[str]],
    errors: Mapping[str, object],
    status_code: int = 200,
) -> HTMLResponse:
    shown = {name: ", ".join(values.get(name, [])) for name in FIELDS}
    context = {
        **_common(),
        "values": shown,
        "errors": errors,
        "order": [name for name in FIELDS if name in errors],
        "groups": service.sharing_group_names(db, principal),
        "reliability_terms": vocabularies.reliability_terms(),
        "credibility_terms": vocabularies.credibility_terms(),
        "owner": principal.organisation_code,
        "may_write": _may_write(principal),
    }
    return render_form_page(request, "signal_new.html", context, status_code=status_code)


@router.get("/signalen/statistieken", response_class=HTMLResponse)
def statistics_page(request: Request, db: Db, principal: Reader, wanted: Filters) -> HTMLResponse:
    """Counts of the signals the reader may see, as charts with their data tables."""
    t = request.app.state.web.catalogs[request.state.lang].gettext
    strategy = current_strategy()
    threat_names = {str(threat.number): threat.title for threat in strategy.threats}
    panels = []
    for by, title, heading in STATISTICS:
        counts = service.signal_statistics(db, principal, wanted, by)
        rows = [(_label(by, key, t, threat_names, request.state.lang), count) for key, count in counts]
        chart = charts.count_chart(
            rows[:40], t(title), t("Bars show the number of signals; the table below lists every value.")
        )
        panels.append({"by": by, "title": title, "heading": heading, "rows": rows, "chart": chart})
    return render_page(request, "signal_stats.html", {**_common(), "panels": panels, "wanted": wanted})


def _label(by: str, key: str, t: Any, threat_names: dict[str, Any], lang: str) -> str:
    if by == "kind":
        return kind_name(key, lang)
    if by == "threat" and key in threat_names:
        title = threat_names[key]
        return f"{key}. {getattr(title, lang, title)}"
    return key


ASSESSMENT_FIELDS = assessment.FIELDS
MARKING_FIELDS = ("tlp", "distribution", "sharingGroup", "recipients", "classification", "reason")
CASE_FIELDS = (
    "title",
    "description",
    "signals",
    "tlp",
    "distribution",
    "sharingGroup",
    "recipients",
    "goals",
)


def checked_id(number: int, what: str) -> int:
    if not 1 <= number <= MAX_ROW_ID:
        raise InputError(f"{what} number {number} is out of range")
    return number


def _may_write(principal: Any) -> bool:
    return principal.organisation_code is not None and can(principal, Permission.signals_write)


@router.get("/signalen/{signal_id}", response_class=HTMLResponse)
def signal_page(request: Request, db: Db, principal: Reader, signal_id: int) -> HTMLResponse:
    """One signal with its assessments (404 outside the reader's need-to-know)."""
    return _signal_page(request, db, principal, checked_id(signal_id, "signal"))


def _signal_page(
    request: Request,
    db: Any,
    principal: Any,
    signal_id: int,
    *,
    form: str = "",
    values: Mapping[str, list[str]] | None = None,
    errors: Mapping[str, object] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    row = service.get_signal(db, principal, signal_id)
    detail = signal_detail(row, case_service.signal_assessments(db, principal, signal_id))
    likelihoods = {term.value: term for term in vocabularies.likelihood_terms()}
    confidences = {term.value: term for term in vocabularies.confidence_terms()}
    errors = errors or {}
    fields = ASSESSMENT_FIELDS if form == "assessment" else MARKING_FIELDS
    context = {
        **_common(),
        "signal": detail,
        "likelihoods": likelihoods,
        "confidences": confidences,
        "technique_names": technique_names(request),
        "tag_labels": {tag: vocabularies.tag_label(tag) for tag in detail.tags},
        "may_write": _may_write(principal),
        "is_owner": principal.organisation_code == detail.owner,
        "groups": service.sharing_group_names(db, principal) if _may_write(principal) else [],
        "form": form,
        "values": {name: one(values or {}, name) for name in ASSESSMENT_FIELDS + MARKING_FIELDS},
        "errors": errors,
        "order": [name for name in fields if name in errors],
    }
    return render_form_page(request, "signal.html", context, status_code=status_code)


@router.post(
    "/signalen/{signal_id}/duiding",
    response_model=None,
    dependencies=[Depends(require(Permission.signals_write))],
)
def assess_signal(request: Request, form: CheckedForm, db: Db, principal: Reader, signal_id: int) -> Response:
    """Record the reader's organisation's assessment (service ``assess``, as ``gbvs signals assess``)."""
    checked_id(signal_id, "signal")
    try:
        case_service.record_assessment(db, principal, AssessmentInput.from_form(form), signal_id=signal_id)
    except NotFoundError:
        raise
    except InputError as problem:
        db.rollback()
        errors = errors_by_their_field(problem, ASSESSMENT_FIELDS, "judgement")
        return _signal_page(
            request, db, principal, signal_id, form="assessment", values=form, errors=errors, status_code=400
        )
    return RedirectResponse(f"/signalen/{signal_id}#duidingen", status_code=303)


def _marking_change(form: Mapping[str, list[str]]) -> service.MarkingChange:
    """The marking change the form asks for; each wrong value a FieldError naming its field, all at once."""
    checks = FieldChecks()
    tlp = checks.read(lambda: parsed("tlp", parse_tlp, one(form, "tlp")))
    distribution_text = one(form, "distribution").strip()
    distribution = checks.read(lambda: _distribution(distribution_text) if distribution_text else None)
    classification_text = one(form, "classification").strip()
    classification = checks.read(
        lambda: (
            parsed("classification", parse_classification, classification_text)
            if classification_text
            else None
        )
    )
    checks.done()
    assert tlp is not None
    return service.MarkingChange(
        tlp=tlp,
        distribution=distribution,
        sharing_group=one(form, "sharingGroup").strip() or None,
        recipients=tuple(many(form, "recipients")),
        classification=classification,
        reason=one(form, "reason"),
    )


def _distribution(text: str) -> Distribution:
    try:
        return Distribution(text)
    except ValueError:
        choices = ", ".join(item.value for item in Distribution)
        raise FieldError("distribution", f"unknown distribution {text!r}; use one of {choices}") from None


@router.post(
    "/signalen/{signal_id}/markering",
    response_model=None,
    dependencies=[Depends(require(Permission.signals_write))],
)
def mark_signal(request: Request, form: CheckedForm, db: Db, principal: Reader, signal_id: int) -> Response:
    """A new marking: first a page that says what changes for whom, then (``confirm``) the change
    (service ``change_marking``, as ``gbvs signals mark``; refusals are audited there)."""
    checked_id(signal_id, "signal")
    row = service.get_signal(db, principal, signal_id)  # 404 before anything else
    try:
        change = _marking_change(form)
    except InputError as problem:
        errors = errors_by_their_field(problem, MARKING_FIELDS, "tlp")
        return _signal_page(
            request, db, principal, signal_id, form="marking", values=form, errors=errors, status_code=400
        )
    if one(form, "confirm") != "yes":
        return _marking_preview(request, row, change, form)
    try:
        service.change_marking(db, principal, signal_id, change)
    except NotFoundError as problem:
        if "sharing group" not in str(problem) and "recipient" not in str(problem):
            raise
        errors = {field_of(problem, MARKING_FIELDS, "tlp"): problem}
        return _signal_page(
            request, db, principal, signal_id, form="marking", values=form, errors=errors, status_code=400
        )
    except InputError as problem:
        errors = {field_of(problem, MARKING_FIELDS, "tlp"): problem}
        return _signal_page(
            request, db, principal, signal_id, form="marking", values=form, errors=errors, status_code=400
        )
    db.commit()
    if not service.is_visible(db, principal, signal_id):
        return RedirectResponse("/signalen", status_code=303)
    return RedirectResponse(f"/signalen/{signal_id}", status_code=303)


def _marking_preview(
    request: Request, row: Any, change: service.MarkingChange, form: Mapping[str, list[str]]
) -> HTMLResponse:
    """What the new marking changes, and for whom, before it is made."""
    old = {
        "tlp": row.tlp,
        "distribution": row.distribution,
        "group": row.sharing_group.name if row.sharing_group else None,
        "classification": row.classification,
        "recipients": [recipient.user.username for recipient in row.recipients],
    }
    distribution = change.distribution or row.distribution
    group = change.sharing_group or (old["group"] if distribution is Distribution.sharing_group else None)
    new = {
        "tlp": change.tlp,
        "distribution": distribution,
        "group": group,
        "classification": change.classification or row.classification,
        "recipients": list(change.recipients),
    }
    context = {
        **_common(),
        "signal_id": row.id,
        "title": row.title,
        "owner": row.owner.code,
        "old": old,
        "new": new,
        "lowers": change.tlp.rank < row.tlp.rank,
        "fields": {name: one(form, name) for name in MARKING_FIELDS},
    }
    return render_form_page(request, "signal_marking.html", context)


@router.get("/zaken", response_class=HTMLResponse)
def cases_page(
    request: Request,
    db: Db,
    principal: Reader,
    page: int = Query(default=1, ge=1, le=MAX_PAGE),
    goal: Text = "",
) -> HTMLResponse:
    """The cases shared with the reader (of one strategy goal, when ``goal`` names one)."""
    wanted = strategy_goals([goal], field="goal")[0] if goal.strip() else None
    items, total = case_service.list_cases(db, principal, page=page, page_size=PAGE_SIZE, goal=wanted)
    last = max(1, -(-total // PAGE_SIZE))
    kept = f"&goal={wanted}" if wanted else ""
    context = {
        **_common(),
        "cases": items,
        "total": total,
        "page": page,
        "goal": wanted,
        "may_write": _may_write(principal),
        "prev_url": f"/zaken?page={page - 1}{kept}" if page > 1 else None,
        "next_url": f"/zaken?page={page + 1}{kept}" if page < last else None,
    }
    return render_page(request, "cases.html", context)


@router.get("/zaken/nieuw", response_class=HTMLResponse)
def new_case_page(request: Request, db: Db, principal: Reader, signaal: int | None = None) -> HTMLResponse:
    """The form for a new case of the reader's organisation (``signaal``: a signal to start it with)."""
    return _case_form(request, db, principal, {"signals": [str(signaal)] if signaal else []}, {})


@router.post("/zaken/nieuw", response_model=None, dependencies=[Depends(require(Permission.signals_write))])
def create_case(request: Request, form: CheckedForm, db: Db, principal: Reader) -> Response:
    """A new case (service ``create_case``, as ``gbvs cases create``); errors by their field."""
    checks = FieldChecks()  # every field read before one refusal names them all
    checks.read(lambda: case_service.check_case_title(one(form, "title")))
    tlp = checks.read(lambda: parsed("tlp", parse_tlp, one(form, "tlp") or "amber"))
    distribution = checks.read(
        lambda: parsed("distribution", Distribution, one(form, "distribution") or "organisation")
    )
    signal_ids = checks.read(lambda: _numbers(form, "signals"))
    checks.read(lambda: case_service.strategy_goals(form.get("goals", [])))
    try:
        checks.done()
        assert tlp is not None and distribution is not None and signal_ids is not None
        case_id = case_service.create_case(
            db,
            principal,
            title=one(form, "title"),
            signal_ids=signal_ids,
            tlp=tlp,
            distribution=distribution,
            description=one(form, "description"),
            sharing_group=one(form, "sharingGroup").strip() or None,
            recipients=tuple(many(form, "recipients")),
            goals=form.get("goals", []),
        )
    except (InputError, NotFoundError) as problem:
        db.rollback()
        default = "signals" if isinstance(problem, NotFoundError) else "title"
        errors = errors_by_their_field(problem, CASE_FIELDS, default)
        return _case_form(request, db, principal, form, errors, status_code=400)
    return RedirectResponse(f"/zaken/{case_id}", status_code=303)


def _numbers(form: Mapping[str, list[str]], field: str) -> list[int]:
    """The signal numbers typed (comma-separated); not a number is a FieldError naming it."""
    numbers = []
    for part in many(form, field):
        if not part.isdigit() or not 1 <= int(part) <= MAX_ROW_ID:
            raise FieldError(
                field, said("'%(part)s' is not a signal number; give numbers such as 42, 43", part=part[:20])
            )
        numbers.append(int(part))
    if not numbers:
        raise FieldError(field, said("a case groups signals: give at least one signal number"))
    return numbers


def _case_form(
    request: Request,
    db: Any,
    principal: Any,
    values: Mapping[str, list[str]],
    errors: Mapping[str, object],
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        **_common(),
        "values": {name: one(values, name) for name in CASE_FIELDS},
        "chosen_goals": set(values.get("goals", [])),
        "errors": errors,
        "order": [name for name in CASE_FIELDS if name in errors],
        "groups": service.sharing_group_names(db, principal),
        "owner": principal.organisation_code,
        "may_write": _may_write(principal),
    }
    return render_form_page(request, "case_new.html", context, status_code=status_code)


@router.post(
    "/zaken/{case_id}/signalen",
    response_model=None,
    dependencies=[Depends(require(Permission.signals_write))],
)
def add_case_signals(
    request: Request, form: CheckedForm, db: Db, principal: Reader, case_id: int
) -> Response:
    """Add signals the reader may see to a case of their organisation (service ``add_signals``)."""
    checked_id(case_id, "case")
    case_service.get_case(db, principal, case_id)  # 404 before anything else
    try:
        case_service.add_signals(db, principal, case_id, _numbers(form, "signals"))
    except (InputError, NotFoundError) as problem:
        db.rollback()
        return _case_page(
            request, db, principal, case_id, form="signals", values=form, errors={"signals": problem},
            status_code=400,
        )  # fmt: skip
    return RedirectResponse(f"/zaken/{case_id}", status_code=303)


@router.post(
    "/zaken/{case_id}/doelen", response_model=None, dependencies=[Depends(require(Permission.signals_write))]
)
def set_case_goals(request: Request, form: CheckedForm, db: Db, principal: Reader, case_id: int) -> Response:
    """Set the strategy goals of a case of the reader's organisation (service ``set_goals``)."""
    checked_id(case_id, "case")
    try:
        case_service.set_goals(db, principal, case_id, form.get("goals", []))
    except FieldError as problem:
        db.rollback()
        return _case_page(
            request, db, principal, case_id, form="goals", values=form, errors={"goals": problem},
            status_code=400,
        )  # fmt: skip
    return RedirectResponse(f"/zaken/{case_id}", status_code=303)


CASE_JUDGEMENT_FIELDS = (*ASSESSMENT_FIELDS, case_service.AGREED_FIELD)


@router.post(
    "/zaken/{case_id}/duiding", response_model=None, dependencies=[Depends(require(Permission.signals_write))]
)
def assess_case(request: Request, form: CheckedForm, db: Db, principal: Reader, case_id: int) -> Response:
    """Record the reader's organisation's assessment of a case (service ``assess``, as ``gbvs cases
    assess``); 404 when the case is not shared with the reader, and nothing is written."""
    return _judge_case(request, form, db, principal, checked_id(case_id, "case"), joint=False)


@router.post(
    "/zaken/{case_id}/standpunt",
    response_model=None,
    dependencies=[Depends(require(Permission.signals_write))],
)
def agree_case(request: Request, form: CheckedForm, db: Db, principal: Reader, case_id: int) -> Response:
    """Record the joint position of a case of the reader's organisation, naming the organisations that
    agreed (service ``assess``, as ``gbvs cases agree``): only those that recorded their own."""
    return _judge_case(request, form, db, principal, checked_id(case_id, "case"), joint=True)


def _judge_case(
    request: Request, form: Mapping[str, list[str]], db: Any, principal: Any, case_id: int, *, joint: bool
) -> Response:
    agreed = [code.strip() for code in form.get("agreedBy", []) if code.strip()] if joint else []
    given = AssessmentInput.from_form(form)
    try:
        if joint and not agreed:  # else the service would record the organisation's own assessment
            problems = (*case_service.assessment_problems(given), case_service.nobody_agreed())
            raise each_field_error(problems)
        case_service.record_assessment(db, principal, given, case_id=case_id, joint_position_of=tuple(agreed))
    except NotFoundError:
        raise
    except InputError as problem:
        db.rollback()
        errors = errors_by_their_field(problem, CASE_JUDGEMENT_FIELDS, "agreedBy" if joint else "judgement")
        which = "joint" if joint else "assessment"
        return _case_page(
            request, db, principal, case_id, form=which, values=form, errors=errors, status_code=400
        )
    anchor = "standpunt-vastleggen" if joint else "geschiedenis"
    return RedirectResponse(f"/zaken/{case_id}#{anchor}", status_code=303)


@router.get("/zaken/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, db: Db, principal: Reader, case_id: int) -> HTMLResponse:
    """A case: the organisations' assessments side by side, dissent visible, the joint position, the
    history of every assessment, and the forms to record an assessment (and, for its owner, the joint
    position)."""
    return _case_page(request, db, principal, checked_id(case_id, "case"))


def _case_page(
    request: Request,
    db: Any,
    principal: Any,
    case_id: int,
    *,
    form: str = "",
    values: Mapping[str, list[str]] | None = None,
    errors: Mapping[str, object] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    case = case_service.get_case(db, principal, case_id)
    history = case_service.assessment_history(db, principal, case_id=case_id)
    current = [*case.assessments, *([case.joint_position] if case.joint_position else [])]
    likelihoods = {term.value: term for term in vocabularies.likelihood_terms()}
    confidences = {term.value: term for term in vocabularies.confidence_terms()}
    dissent = len({view.likelihood for view in case.assessments}) > 1
    errors = errors or {}
    fields = CASE_JUDGEMENT_FIELDS if form in ("assessment", "joint") else ("signals", "goals")
    context = {
        **_common(),
        "case": case,
        "dissent": dissent,
        "likelihoods": likelihoods,
        "confidences": confidences,
        "history": history,
        "current_ids": {view.id for view in current},
        "agreeable": agreeable_organisations(case),
        "chosen_agreed": {code.strip().upper() for code in (values or {}).get("agreedBy", [])},
        "may_write": _may_write(principal),
        "may_change": _may_write(principal) and principal.organisation_code == case.owner,
        "form": form,
        "values": {name: one(values or {}, name) for name in ("signals", *ASSESSMENT_FIELDS)},
        "chosen_goals": set((values or {}).get("goals", [str(goal) for goal in case.goals])),
        "errors": errors,
        "order": [name for name in fields if name in errors],
    }
    return render_form_page(request, "case.html", context, status_code=status_code)


def agreeable_organisations(case: case_service.CaseView) -> list[str]:
    """The organisations a joint position of ``case`` may name (the service refuses others): its
    owner, and those that recorded their own assessment of it."""
    return [case.owner, *sorted({view.organisation for view in case.assessments} - {case.owner})]
