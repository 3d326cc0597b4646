"""Interface languages: Dutch by default, English on request, messages from gettext catalogues.

The catalogues themselves are read by :mod:`gbvs.catalogues` (the CLI and the report use them too).
"""

from __future__ import annotations

from gbvs.catalogues import LOCALE_DIR as LOCALE_DIR
from gbvs.catalogues import Catalogs as Catalogs
from gbvs.catalogues import catalog_files as catalog_files
from gbvs.catalogues import load_catalogs as load_catalogs
from gbvs.catalogues import read_catalog as read_catalog
from gbvs.languages import LANGUAGES

DEFAULT_LANGUAGE = LANGUAGES[0]
COOKIE_NAME = "gbvs_lang"
LANGUAGE_PARAMETER = "lang"
"""The query parameter naming the interface language, read on every request (pages and API alike)."""


def pick_language(query_value: str | None, cookie_value: str | None, default: str) -> str:
    """The language of a request: ``?lang=`` wins over the cookie, which wins over the setting."""
    for candidate in (query_value, cookie_value, default):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


PROBLEM_DEFAULT_LANGUAGE = "en"
"""The language of an API error (problem+json) when the request asks for none: English, as before
content negotiation, since the scripts that call the API (and their tests) read its English words;
``Accept-Language: nl`` or ``?lang=nl`` asks for Dutch. A browser sends its own Accept-Language."""


def accepted_language(header: str | None) -> str | None:
    """The interface language an ``Accept-Language`` header prefers most (RFC 9110, section 12.5.4), or
    None when it names none of :data:`LANGUAGES`: ranges by their q-value (1 unless given, ties in the
    header's order), each matched on its primary subtag (``nl-BE`` is Dutch); ``q=0`` refuses a range,
    and ``*`` or a malformed q-value names no language."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "").split(",")):
        tag, _, parameters = item.partition(";")
        quality = _quality(parameters)
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def problem_language(query_value: str | None, accept_language: str | None) -> str:
    """The language of an error answered as problem+json: ``?lang=`` wins (the API accepts it on every
    operation), then the ``Accept-Language`` header, else :data:`PROBLEM_DEFAULT_LANGUAGE` (not the
    site's cookie or GBVS_LANGUAGE: a script that did not ask keeps the English it always got)."""
    if query_value is not None and query_value in LANGUAGES:
        return query_value
    return accepted_language(accept_language) or PROBLEM_DEFAULT_LANGUAGE


def api_language(
    query_value: str | None, accept_language: str | None, cookie_value: str | None, default: str
) -> str:
    """The language of the words (labels, names) of an API answer: ``?lang=`` wins, then the
    ``Accept-Language`` header (HTTP's and the API Design Rules' content negotiation), then the site's
    cookie and ``GBVS_LANGUAGE`` as for a page, so a script that sends neither gets what it always got."""
    if query_value is not None and query_value in LANGUAGES:
        return query_value
    return accepted_language(accept_language) or pick_language(None, cookie_value, default)


def _quality(parameters: str) -> float:
    """The q-value of a language range's parameters (``q=0.8``): 1 when absent, 0 when malformed."""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                return 0.0
            return quality if 0 <= quality <= 1 else 0.0
    return 1.0
