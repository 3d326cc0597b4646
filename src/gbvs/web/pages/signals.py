"""Signalen / Signals: the register's pages, under the same need-to-know as the API.

- ``/signalen``: list with a search box and filters (a plain GET form: works without JavaScript),
  paginated on the server;
- ``/signalen/{id}``: one signal with each organisation's current assessment;
- ``/signalen/nieuw``: the new-signal form (CSRF token as on the login form; each error beside its
  field, linked with ``aria-describedby``);
- ``/signalen/statistieken``: counts per threat, kind, country and quarter as SVG charts with tables;
- ``/zaken`` and ``/zaken/{id}``: cases, with the organisations' assessments side by side.

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
from gbvs.db.signal_queries import SIGNAL_ORDER_KEYS, SignalFilter, SignalOrder
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import FieldError, InputError, NotFoundError, said
from gbvs.security import Permission
from gbvs.signals import vocabularies
from gbvs.signals.form import FIELDS, errors_by_field, parse_signal
from gbvs.signals.markings import Classification, Distribution, Tlp, parse_tlp
from gbvs.signals.model import KIND_NAMES, SignalKind, kind_name
from gbvs.web import charts, csrf
from gbvs.web.api.signals import signal_filter
from gbvs.web.auth import require
from gbvs.web.pages.common import page_router
from gbvs.web.queries.strategy import current_strategy
from gbvs.web.render import N_, render_page
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
        "form_token": csrf.request_token(request),
        "owner": principal.organisation_code,
    }
    response = render_page(request, "signal_new.html", context, status_code=status_code)
    csrf.set_nonce_cookie(request, response)
    return response


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


@router.get("/signalen/{signal_id}", response_class=HTMLResponse)
def signal_page(request: Request, db: Db, principal: Reader, signal_id: int) -> HTMLResponse:
    """One signal with its assessments (404 outside the reader's need-to-know)."""
    if not 1 <= signal_id <= MAX_ROW_ID:
        raise InputError(f"signal number {signal_id} is out of range")
    row = service.get_signal(db, principal, signal_id)
    detail = signal_detail(row, case_service.signal_assessments(db, principal, signal_id))
    likelihoods = {term.value: term for term in vocabularies.likelihood_terms()}
    confidences = {term.value: term for term in vocabularies.confidence_terms()}
    context = {
        **_common(),
        "signal": detail,
        "likelihoods": likelihoods,
        "confidences": confidences,
        "technique_names": technique_names(request),
        "tag_labels": {tag: vocabularies.tag_label(tag) for tag in detail.tags},
    }
    return render_page(request, "signal.html", context)


@router.get("/zaken", response_class=HTMLResponse)
def cases_page(
    request: Request, db: Db, principal: Reader, page: int = Query(default=1, ge=1, le=MAX_PAGE)
) -> HTMLResponse:
    """The cases shared with the reader."""
    items, total = case_service.list_cases(db, principal, page=page, page_size=PAGE_SIZE)
    last = max(1, -(-total // PAGE_SIZE))
    context = {
        "cases": items,
        "total": total,
        "page": page,
        "prev_url": f"/zaken?page={page - 1}" if page > 1 else None,
        "next_url": f"/zaken?page={page + 1}" if page < last else None,
    }
    return render_page(request, "cases.html", context)


@router.get("/zaken/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, db: Db, principal: Reader, case_id: int) -> HTMLResponse:
    """A case: the organisations' assessments side by side, dissent visible, the joint position."""
    if not 1 <= case_id <= MAX_ROW_ID:
        raise InputError(f"case number {case_id} is out of range")
    case = case_service.get_case(db, principal, case_id)
    likelihoods = {term.value: term for term in vocabularies.likelihood_terms()}
    confidences = {term.value: term for term in vocabularies.confidence_terms()}
    dissent = len({view.likelihood for view in case.assessments}) > 1
    context = {
        **_common(),
        "case": case,
        "dissent": dissent,
        "likelihoods": likelihoods,
        "confidences": confidences,
    }
    return render_page(request, "case.html", context)
