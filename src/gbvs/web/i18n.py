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
