"""The interface languages and the Babel locale each one is written in (one place for both)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["nl", "en"]
"""An interface language, as a type (the values of :data:`LANGUAGES`)."""

LANGUAGES: tuple[Lang, ...] = ("nl", "en")
"""Dutch first: the default of every page, report and brief."""

BABEL_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
"""British English: the spelling of the texts (organisation, labour) and its dates ("5 December 2026")."""


def N_(message: str) -> str:
    """Mark a message for translation outside the web (the web app's catalogues hold it); returns it."""
    return message


def babel_locale(lang: str) -> str:
    """The Babel locale of interface language ``lang`` (numbers, dates, plural rules)."""
    return BABEL_LOCALES.get(lang, BABEL_LOCALES["en"])
