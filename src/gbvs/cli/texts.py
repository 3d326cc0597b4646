"""The words of the analyst commands in Dutch or English, from the same catalogues as the pages.

The CLI is an edge like the web: it reads the web's gettext catalogues (``messages.po`` and the
areas' files, e.g. ``analyst2.po``), so a label reads the same on a page and in a terminal.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache

from gbvs.strategy.model import Lang

Gettext = Callable[[str], str]


@cache
def _catalogs() -> dict[str, gettext.GNUTranslations]:
    from gbvs.web.i18n import load_catalogs

    return load_catalogs()


def translator(lang: Lang) -> Gettext:
    """``gettext`` of ``lang``: an English message id in that language."""
    return _catalogs()[lang].gettext


def catalog(lang: Lang) -> gettext.GNUTranslations:
    """The catalogue of ``lang`` (``gettext`` and ``ngettext``, for words that have a plural)."""
    return _catalogs()[lang]
