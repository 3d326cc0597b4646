"""Rendering HTML pages: one Jinja2 environment, translated with the request's catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from gbvs import numbers
from gbvs.errors import Foreign, shown
from gbvs.security import Permission
from gbvs.security.authz import can
from gbvs.web import csrf, sessions
from gbvs.web.i18n import LANGUAGES


def N_(message: str) -> str:
    """Mark ``message`` for extraction into the catalogues; it is translated where it is shown."""
    return message


NAVIGATION: tuple[tuple[str, str], ...] = (
    ("/", N_("Overview")),
    ("/strategie", N_("Strategy")),
    ("/aandachtslijst", N_("Watchlist")),  # analyst (issue 12)
    ("/landen", N_("Countries")),
    ("/drijvers", N_("Driver monitor")),
    ("/ontheemding", N_("Displacement")),  # forced displacement (issue 17)
    ("/modelprestaties", N_("Model performance")),
    ("/vroege-actie", N_("Early action")),
    ("/bronnen", N_("Sources")),
    ("/signalen", N_("Signals")),  # signals register (issue 10)
    ("/dreigingen", N_("Threat assessment")),  # threat assessment (issue 13)
    ("/voortgang", N_("Progress report")),  # progress report (issue #14)
    ("/publieksopinie", N_("Public opinion")),  # issue 15
)


@pass_context
def _gettext(context: Context, message: str, **values: Any) -> str:
    """The message in the request's language with ``values`` filled in; a value that is already HTML
    (``Markup``, e.g. a data vintage with its links) stays HTML and the rest is escaped."""
    text: str = context["t"].gettext(message)
    if any(isinstance(value, Markup) for value in values.values()):
        return Markup.escape(text) % values
    return text % values if values else text


@pass_context
def _ngettext(context: Context, singular: str, plural: str, count: int, **values: Any) -> str:
    """The singular or plural form for ``count`` ("1 voorspelling", "3 voorspellingen"); ``%(n)s`` is
    ``count`` unless ``values`` gives it (e.g. formatted: "1.234")."""
    text: str = context["t"].ngettext(singular, plural, count)
    return text % {"n": count, **values}


@pass_context
def _number(context: Context, value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return numbers.decimal(value, context["lang"], digits)


@pass_context
def _percent(context: Context, value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return numbers.percent(value, context["lang"], digits)


@pass_context
def _signed(context: Context, value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    return numbers.signed(value, context["lang"], digits)


@pass_context
def _explain(context: Context, item: Any, change: bool = False) -> str:
    """What sets a forecast apart in words (``change``: also what moved since the previous run); a
    plain dict of family contributions names its main drivers (see gbvs.web.queries.forecasts)."""
    from gbvs.web.queries.forecasts import explain, explanation_text

    if isinstance(item, dict):
        return explain(item, context["t"].gettext, context["lang"])
    return explanation_text(item, context["t"].gettext, context["lang"], change=change)


@pass_context
def _case_alerts(context: Context, alert: Mapping[str, Any]) -> Any:
    """The alerts of a case's frozen warning in the interface language (gbvs.web.labels.case_alerts)."""
    from gbvs.web.labels import case_alerts

    t = context["t"]
    return case_alerts(alert, t.gettext, lambda value: _percent(context, value), t.ngettext)


@pass_context
def _day(context: Context, value: Any) -> str:
    return numbers.day(value, context["lang"])


@pass_context
def _in_sentence(context: Context, country: Any) -> str:
    """A country's name inside a sentence in the page's language ("of the Netherlands")."""
    from gbvs.countries import in_sentence

    return in_sentence(country.iso3, context["lang"])


@pass_context
def _country_name(context: Context, code: str | int | None) -> str:
    """A country's name in the page's language from its ISO3 or Gleditsch-Ward code; the code itself
    when no country carries it."""
    from gbvs.countries import name
    from gbvs.countries.names import name_of_gwcode
    from gbvs.errors import NotFoundError

    if code is None:
        return "–"
    if isinstance(code, int):
        return name_of_gwcode(code, context["lang"]) or str(code)
    try:
        return name(code, context["lang"])
    except NotFoundError:
        return code


@pass_context
def _country_link(context: Context, iso3: str | None, fragment: str = "") -> Markup:
    """A country's name linked to its page (``/landen/ISO3``, with ``#fragment`` if given) when the store
    has that page; its name alone otherwise, so a signal's or case's country outside the store does not
    lead to a 404."""
    from gbvs.web.queries.countries import country_pages

    name = _country_name(context, iso3)
    if not iso3 or iso3 not in country_pages(context["request"].app.state.web.store, context["lang"]):
        return Markup.escape(name)
    anchor = f"#{fragment}" if fragment else ""
    return Markup('<a href="/landen/{}{}">{}</a>').format(iso3, anchor, name)


def _period(item: Any) -> str:
    """The years a forecast (target, horizon, forecast period) is for: "2024", or a democratic space's
    window "2024–2025"."""
    from gbvs.forecasting.domain import TARGETS

    known = TARGETS.get(item.target)
    return known.period_text(item.forecast_period, item.horizon) if known else str(item.forecast_period)


@pass_context
def _moment(context: Context, value: Any) -> str:
    return numbers.moment(value, context["lang"])


@pass_context
def _time_left(context: Context, value: Any, now: Any) -> str:
    """``{{ deadline|time_left(now) }}``: how long until it ("over 2 dagen"), or how long ago it passed."""
    return numbers.time_left(value, now, context["lang"])


@pass_context
def _source_text(context: Context, text: str | None) -> Markup:
    """A stored provenance text (title, licence, citation) translated, else marked as English."""
    from gbvs.web.sourcetexts import source_text

    shown = source_text(text, context["t"].gettext)
    if shown.lang and shown.lang != context["lang"]:
        return Markup('<span lang="{}">{}</span>{}').format(shown.lang, shown.text, shown.suffix)
    return Markup.escape(shown.text + shown.suffix)


@pass_context
def _english(context: Context, text: str | None) -> Markup:
    """A message of a service (English, e.g. what to run) marked as English on a page in another language."""
    if not text:
        return Markup("")
    if context["lang"] == "en":
        return Markup.escape(text)
    return Markup('<span lang="en">{}</span>').format(text)


@pass_context
def _said(context: Context, error: object) -> Markup:
    """What a service said (an error it raised, or its :func:`gbvs.errors.said` words) in the page's
    language: the catalogue's words with the values filled in (a :class:`gbvs.errors.Term` translated
    too); an error without words keeps its English text, marked as English on a page in another language."""
    words = error if isinstance(error, tuple) else getattr(error, "words", None)
    if words is None:
        return _english(context, str(error))
    message, values = words
    gettext = context["t"].gettext
    lang = context["lang"]
    return Markup.escape(gettext(message)) % {
        name: _term(value, gettext, lang) for name, value in values.items()
    }


def _term(value: object, gettext: Any, lang: str) -> object:
    """A value of an error's words as the page shows it: a moment in Dutch time with its zone, as the
    page's other times; a term (or several) translated (:func:`gbvs.errors.shown`); a driver's English
    message (:class:`gbvs.errors.Foreign`) marked as English on a page in another language."""
    if isinstance(value, Foreign) and lang != "en":
        return Markup('<span lang="en">{}</span>').format(value)
    return shown(value, gettext, lang)


def _first_upper(text: str) -> str:
    """A name kept in lower case for sentences, as a heading or row label ("Conflict history");
    unlike Jinja's ``capitalize`` the rest stays as it is ("DemSpaces")."""
    return text[:1].upper() + text[1:]


@pass_context
def _vintage(context: Context, vintage: str | None) -> Markup:
    """A forecast run's data vintage, readable and linked to the sources page (gbvs.web.vintages)."""
    from gbvs.web.vintages import vintage_html

    return vintage_html(vintage, context["t"].gettext, context["lang"])


@pass_context
def _target(context: Context, target: str) -> str:
    """A forecast target in words (``closing_associational`` -> "closing: associational space")."""
    from gbvs.web.labels import target_name
    from gbvs.web.queries.forecasts import TARGET_NAMES

    return target_name(target, TARGET_NAMES, context["t"].gettext)


@pass_context
def _unit(context: Context, unit: str) -> str:
    """A driver indicator's unit in the interface language (see gbvs.drivers.units)."""
    from gbvs.drivers.units import unit_name

    return unit_name(unit, context["lang"])


@pass_context
def _bilingual(context: Context, value: Any) -> str:
    """Pick the request's language from a {'nl': ..., 'en': ...} text (or an object with .nl/.en)."""
    lang = context["lang"]
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("nl") or "")
    return str(getattr(value, lang, None) or getattr(value, "nl", value))


def create_environment() -> Environment:
    """The template environment (autoescaping on, translations per request via ``t``)."""
    env = Environment(
        loader=PackageLoader("gbvs.web", "templates"),
        autoescape=select_autoescape(["html", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["_"] = _gettext
    env.globals["ngettext"] = _ngettext
    env.filters["num"] = _number
    env.filters["pct"] = _percent
    env.filters["signed"] = _signed
    env.filters["target"] = _target
    env.filters["day"] = _day
    env.filters["moment"] = _moment
    env.filters["time_left"] = _time_left
    env.filters["period"] = _period
    env.filters["in_sentence"] = _in_sentence
    env.filters["country_name"] = _country_name
    env.filters["country_link"] = _country_link
    env.filters["srctext"] = _source_text
    env.filters["english"] = _english
    env.filters["said"] = _said
    env.filters["vintage"] = _vintage
    env.filters["first_upper"] = _first_upper
    env.filters["unit"] = _unit
    env.filters["tr"] = _bilingual
    env.filters["explain"] = _explain
    env.filters["case_alerts"] = _case_alerts
    return env


def language_url(request: Request, language: str) -> str:
    """The current URL with ``lang`` set to ``language`` (the language switch)."""
    params = {key: value for key, value in request.query_params.items() if key != "lang"}
    params["lang"] = language
    return f"{request.url.path}?{urlencode(params)}"


def _session_csrf_token(request: Request) -> str:
    """The CSRF token of the logout form: tied to the session cookie ('' without one)."""
    session_cookie = request.cookies.get(sessions.COOKIE_NAME)
    if not session_cookie:
        return ""
    return csrf.token_for(sessions.session_key(request.app.state.web.settings.data_dir), session_cookie)


def _may(request: Request, permission: str) -> bool:
    """Whether the request's principal holds ``permission`` (e.g. ``"actions:write"``): a page offers a
    link to a form only to whom the form would not refuse. No principal (an error before login): no."""
    principal = getattr(request.state, "principal", None)
    return principal is not None and can(principal, Permission(permission))


def render_page(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render ``template`` in the request's language inside the common layout."""
    web = request.app.state.web
    lang: str = request.state.lang
    full_context = {
        "request": request,
        "lang": lang,
        "t": web.catalogs[lang],
        "navigation": NAVIGATION,
        "current_path": request.url.path,
        "switch_urls": {code: language_url(request, code) for code in LANGUAGES if code != lang},
        "csrf_token": _session_csrf_token(request),
        "may": lambda permission: _may(request, permission),
        **context,
    }
    html = web.templates.get_template(template).render(full_context)
    return HTMLResponse(html, status_code=status_code)


def render_form_page(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """:func:`render_page` for a page with forms: ``form_token`` is this browser session's CSRF token
    (a pre-login nonce when there is no session, sent in its cookie with the page)."""
    full = {**context, "form_token": csrf.request_token(request)}
    response = render_page(request, template, full, status_code=status_code)
    csrf.set_nonce_cookie(request, response)
    return response
