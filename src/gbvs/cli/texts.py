"""The words of the analyst commands in Dutch or English, from the same catalogues as the pages.

The CLI is an edge like the web: it reads the web's gettext catalogues (``messages.po`` and the
areas' files, e.g. ``analyst2.po``), so a label reads the same on a page and in a terminal.
"""

from __future__ import annotations

import gettext
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from gbvs.cli.output import echo
from gbvs.errors import GBVSError, Words, in_words
from gbvs.logwords import LOGGER, WarningsInWords
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


@contextmanager
def answering_in(lang: Lang) -> Iterator[None]:
    """An error raised inside that carries its words (:func:`gbvs.errors.said`) says them in ``lang``,
    as a page would: the command line's ``error: ...`` reads in the reader's language."""
    try:
        yield
    except GBVSError as error:
        if error.words is not None:
            error.args = (said_in(error.words, lang),)
        raise


def said_in(words: Words, lang: Lang) -> str:
    """An error's :func:`gbvs.errors.said` words in ``lang``, as a page says them: the catalogue's message,
    each moment in Dutch time with its zone (:func:`gbvs.numbers.moment`), as the commands' other times."""
    return in_words(words, translator(lang), lang)


def error_in(error: BaseException, lang: Lang) -> str:
    """What ``error`` says in ``lang``: its words (:func:`said_in`), or its English text when it has none."""
    words = getattr(error, "words", None)
    return str(error) if words is None else said_in(words, lang)


@contextmanager
def logs_in(lang: Lang) -> Iterator[None]:
    """While inside, the ``gbvs`` log's warnings go to stderr in ``lang`` (where said in words)."""
    logger = logging.getLogger(LOGGER)
    handler = WarningsInWords(lambda words: said_in(words, lang), lambda text: echo(text, err=True))
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
