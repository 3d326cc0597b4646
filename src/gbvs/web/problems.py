"""One exception handler for the whole app: problem+json for the API, a friendly page for people.

The handler decides by path (``/api/...``) and, elsewhere, by the Accept header (Datasette-style).
Problem documents follow RFC 9457 (``type``, ``title``, ``status``, ``detail``, ``instance``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from gbvs.db.session import DatabaseBusyError
from gbvs.errors import (
    FieldError,
    GBVSError,
    InputError,
    NoForecastRunError,
    NotFoundError,
    PermissionDeniedError,
    Refusal,
    SchemaOutdatedError,
    StateConflictError,
    StoreError,
    StoreNotBuiltError,
    UnusableSharingGroupError,
    Words,
    error_text,
    field_errors,
    in_words,
    said,
    shown,
)
from gbvs.web import validation
from gbvs.web.auth import AuthenticationRequiredError
from gbvs.web.i18n import LANGUAGE_PARAMETER, PROBLEM_DEFAULT_LANGUAGE, problem_language
from gbvs.web.middleware import API_PREFIX
from gbvs.web.render import N_, render_page

log = logging.getLogger(__name__)
PROBLEM_TYPE = "application/problem+json"

# Most specific first: the first matching class decides the status.
STATUS_BY_ERROR: tuple[tuple[type[GBVSError], int], ...] = (
    (DatabaseBusyError, 503),  # another connection's lock outlasted the wait: try again (Retry-After)
    (AuthenticationRequiredError, 401),
    (PermissionDeniedError, 403),
    (NoForecastRunError, 503),  # the data is not made yet: the message names the command
    (UnusableSharingGroupError, 400),  # a value in the form or body, not the address
    (NotFoundError, 404),
    (StoreNotBuiltError, 503),
    (StoreError, 503),
    (SchemaOutdatedError, 503),  # the operational database is missing or not migrated: the message says how
    (StateConflictError, 409),  # valid, but the record's state forbids it (a workflow step out of turn)
    (InputError, 400),
)
TITLES: dict[int, str] = {
    400: N_("Bad request"),
    401: N_("Authentication required"),
    403: N_("Forbidden"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    406: N_("Not acceptable"),
    409: N_("Conflict"),
    413: N_("Content too large"),
    500: N_("Internal server error"),
    503: N_("Service unavailable"),
}

EXPLANATIONS: dict[int, str] = {
    400: N_("The request could not be handled as it was made; the detail below says what to change."),
    401: N_("Log in to see this page."),
    404: N_("There is nothing at this address, or it is not shared with you."),
    503: N_("The data this page needs is not there yet; the detail below names the command that makes it."),
}
"""What each status means for a reader, in the interface language (the detail stays the message of the
service, which is English: the page marks it as such)."""

REFUSALS: dict[Refusal, tuple[str, str]] = {
    Refusal.role: (
        N_("Your role does not allow this"),
        N_("Your role does not allow this; the detail below says who can grant it."),
    ),
    Refusal.organisation: (
        N_("This belongs to another organisation"),
        N_("Only the organisation it belongs to may do this; the detail below says whom to ask."),
    ),
    Refusal.panel: (
        N_("Your organisation is not on this scenario's panel"),
        N_("Only the analysts of a scenario's panel score it; the detail below says who can invite yours."),
    ),
    Refusal.other: (
        N_("Forbidden"),
        N_("This is not allowed as it was asked; the detail below says why and what to do."),
    ),
}
"""The heading and explanation of a refusal page, by the ground the authorization layer refused on
(:class:`gbvs.errors.Refusal`): a reader refused for her organisation is not told her role is wrong."""
UNEXPECTED = said("an unexpected error occurred; the server log has the details")
BUSY = N_("The database is busy with other changes; nothing was changed. Try again in a moment.")
BUSY_RETRY_AFTER_SECONDS = 2
"""What a 503 for a busy database asks the client to wait (``Retry-After``)."""
NO_PAGE = N_("There is no page at %(path)s; check the address (without a slash at the end).")
NO_METHOD = N_("Method %(method)s is not allowed at %(path)s; the methods allowed there: %(allowed)s.")
SERVICE_LANGUAGE = PROBLEM_DEFAULT_LANGUAGE
"""The language of a service's own message (``str(error)``): English; its words may say it in another."""


def status_for(error: GBVSError) -> int:
    """The HTTP status for a GBVS error."""
    for error_class, status in STATUS_BY_ERROR:
        if isinstance(error, error_class):
            return status
    return 500


def wants_problem_json(request: Request) -> bool:
    """API paths always get problem+json; other paths only when the client does not accept HTML."""
    if request.url.path.startswith(API_PREFIX):
        return True
    accept = request.headers.get("accept", "")
    return "json" in accept and "text/html" not in accept


def problem_response(
    request: Request,
    status: int,
    detail: str,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    message: Words | None = None,
    refusal: Refusal = Refusal.other,
    store_missing: bool = False,
) -> Response:
    """A problem+json or HTML error response, whichever the caller wants.

    ``message`` (the error's words: a catalogue message and its values) replaces ``detail`` on the HTML
    page, in the reader's language; otherwise the page shows ``detail`` marked as English. problem+json
    is in the language the request asks for (:func:`problem_json`). ``store_missing`` heads the page
    "No data yet" with the command that builds the store (other 503s, a busy database or one not
    migrated, say what they are).
    """
    if wants_problem_json(request):
        return problem_json(request, status, detail, headers, extra, message, refusal)
    title = TITLES.get(status, "Error")
    heading, explanation = REFUSALS[refusal] if status == 403 else (title, EXPLANATIONS.get(status))
    context: dict[str, Any] = {
        "status": status,
        "title": heading,
        "detail": detail,
        "no_store": store_missing,
        "explanation": explanation,
        "message": message,
    }
    response = render_page(request, "error.html", context, status_code=status)
    response.headers.update(headers or {})
    return response


def asked_language(request: Request) -> str:
    """The language a problem+json answer to ``request`` is in (:func:`gbvs.web.i18n.problem_language`)."""
    return problem_language(
        request.query_params.get(LANGUAGE_PARAMETER), request.headers.get("accept-language")
    )


def problem_gettext(request: Request) -> Callable[[str], str]:
    """The catalogue of :func:`asked_language`, for the texts of a problem besides its detail."""
    gettext: Callable[[str], str] = request.app.state.web.catalogs[asked_language(request)].gettext
    return gettext


def problem_json(
    request: Request,
    status: int,
    detail: str,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    message: Words | None = None,
    refusal: Refusal = Refusal.other,
) -> JSONResponse:
    """A problem+json response in the language the request asks for (``?lang=``, else Accept-Language,
    else English: :func:`gbvs.web.i18n.problem_language`).

    The ``title`` is always in that language (a 403's names its ground, :data:`REFUSALS`, and ``refusal``
    names it for a program). The ``detail`` is too when the error has words (``message``); an error
    without them keeps its English text, as the HTML page does. Rather than call such an answer Dutch, or
    English, as a whole: ``Content-Language`` lists every language the answer's texts are in, the asked
    one first (``nl, en``), and ``detailLanguage`` says which one ``detail`` is in, so a client that shows
    the detail to its reader can tell without parsing a header (which cannot say which member is in
    which language).
    """
    lang = asked_language(request)
    gettext = request.app.state.web.catalogs[lang].gettext
    translated = message is not None and lang != SERVICE_LANGUAGE
    detail_language = lang if translated else SERVICE_LANGUAGE
    title = REFUSALS[refusal][0] if status == 403 else TITLES.get(status, "Error")
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": gettext(title),
        "status": status,
        "detail": in_words(message, gettext, lang) if message is not None and translated else detail,
        "detailLanguage": detail_language,
        "instance": request.url.path,
    }
    if status == 403:
        body["refusal"] = refusal.value
    body.update(extra or {})
    languages = dict.fromkeys((lang, detail_language))  # the asked one first, each once
    answer_headers = {
        **(headers or {}),
        "Content-Language": ", ".join(languages),
        "Vary": "Accept-Language",
    }
    return JSONResponse(body, status_code=status, headers=answer_headers, media_type=PROBLEM_TYPE)


async def handle_gbvs_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GBVSError)
    status = status_for(exc)
    if isinstance(exc, FieldError):  # named fields: the API Design Rules' invalidParams, one each
        gettext = problem_gettext(request)
        invalid = [{"name": error.field, "reason": error_text(error, gettext)} for error in field_errors(exc)]
        return problem_response(
            request, status, str(exc), extra={"invalidParams": invalid}, message=exc.words
        )
    if isinstance(exc, DatabaseBusyError):
        log.warning("database busy on %s: %s", request.url.path, exc)
        return problem_response(
            request,
            status,
            str(exc),
            headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
            message=(BUSY, {}),
        )
    if status == 500 and request.app.state.web.settings.allow_remote:
        # the database's own words (its address, table names) are for the server log, not the client,
        # who may not even have authenticated yet; loopback mode's one user also runs the server
        log.error("server error on %s: %s", request.url.path, exc)
        return unexpected_response(request)
    refusal = exc.refusal if isinstance(exc, PermissionDeniedError) else Refusal.other
    missing = isinstance(exc, StoreNotBuiltError)  # the page's "not built yet" box, not for a busy database
    return problem_response(
        request, status, str(exc), message=exc.words, refusal=refusal, store_missing=missing
    )


async def handle_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = str(exc.detail)
    message = None
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no page or resource at {request.url.path!r}; check the address (no trailing slash)"
        message = (NO_PAGE, {"path": request.url.path})
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        detail = f"method {request.method} is not allowed on {request.url.path!r}; allowed: {allowed}"
        message = (NO_METHOD, {"method": request.method, "path": request.url.path, "allowed": allowed})
    headers = dict(exc.headers or {})
    return problem_response(request, exc.status_code, detail, headers=headers, message=message)


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    """A 400 naming each refused parameter; its reasons (``invalidParams``) and detail in the asked
    language where :mod:`gbvs.web.validation` has their words, else pydantic's English."""
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    clauses, words = validation.problems(errors)
    detail = "invalid request: " + "; ".join(clauses)
    gettext = problem_gettext(request)
    invalid = [
        {"name": validation.parameter_name(error), "reason": str(shown(validation.reason(error), gettext))}
        for error in errors
    ]
    # invalid_params: the strings of API 1.0, deprecated (src/gbvs/web/CHANGELOG.md), English
    extra = {"invalidParams": invalid, "invalid_params": [str(clause) for clause in clauses]}
    return problem_response(request, 400, detail, extra=extra, message=words)


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    return unexpected_response(request)


def unexpected_response(request: Request) -> Response:
    """A 500 that tells the client nothing of the server's insides (the log has them), in its language."""
    return problem_response(request, 500, UNEXPECTED[0], message=UNEXPECTED)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(GBVSError, handle_gbvs_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(Exception, handle_unexpected)
