"""Options several analyst commands share, spelled and checked one way (issue 12, fix 10).

- ``--lang nl|en`` (any case; default: ``GBVS_LANGUAGE``, else Dutch). A wrong value is a usage
  error (exit 2), as for every choice.
- ``--country SYR``, ``--country 652`` or ``--country Syrië``: through
  :func:`gbvs.countries.gwcode_typed`; commands that record ISO3 codes (signals, early-action cases)
  ask :func:`country_iso3`. A value no country answers to is wrong input (exit 4), as the API's 400.
- Ids of the strategy (regions, pillars) in any case and by their name in either language:
  through the strategy's own look-ups; an unknown ``--region`` is wrong input (exit 4, the API's 400)
  listing the focus regions by name and id (:func:`region_id`).
- Row ids (a case, a draft, a token) and pages: bounded as the database and the services bound them
  (:data:`gbvs.db.types.MAX_ROW_ID`, :mod:`gbvs.db.paging`), so 10**20 is a usage error, not a crash.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer

from gbvs.cli.helptexts import help_with
from gbvs.cli.texts import Gettext
from gbvs.config import load_settings
from gbvs.db.paging import MAX_PAGE, MAX_PAGE_SIZE
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import GBVSError, InputError, NotFoundError
from gbvs.strategy.model import Lang


class Language(StrEnum):
    """The languages of text output."""

    nl = "nl"
    en = "en"


LangOption = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        "-l",
        case_sensitive=False,
        help="Language of text output: nl or en (default: GBVS_LANGUAGE, else nl).",
    ),
]

COUNTRY_HELP = "The country: ISO3 code (SYR), Gleditsch-Ward code (652) or name (Syria, Syrië)."

CountryOption = Annotated[
    str | None,
    typer.Option("--country", "-c", help=COUNTRY_HELP),
]


PageOption = Annotated[int, typer.Option("--page", min=1, max=MAX_PAGE, help="Page number, from 1.")]
PageSizeOption = Annotated[
    int,
    typer.Option(
        "--page-size",
        min=1,
        max=MAX_PAGE_SIZE,
        help=help_with("Rows per page (1-%(most)s).", most=MAX_PAGE_SIZE),
    ),
]


def row_id(help_text: str) -> Any:
    """A command argument naming a stored row by its id: 1 to :data:`MAX_ROW_ID`."""
    return typer.Argument(min=1, max=MAX_ROW_ID, help=help_text)


def row_id_option(name: str, help_text: str) -> Any:
    """An option naming stored rows by their ids: 1 to :data:`MAX_ROW_ID`."""
    return typer.Option(name, min=1, max=MAX_ROW_ID, help=help_text)


def resolve_lang(value: Language | str | None) -> Lang:
    """The language chosen with ``--lang``, else the configured one (Dutch by default)."""
    chosen = str(value) if value is not None else load_settings().language
    return "en" if chosen.lower() == "en" else "nl"


LANG_FLAGS = ("--lang", "-l", "--language")
"""The spellings of the language option (``--language``: the codebook's old one)."""


def requested_language(args: list[str]) -> Lang:
    """The language the command line ``args`` ask for, read before Typer parses them: ``--help`` and a
    failure are worded in it, also where the command has no ``--lang`` or the help is asked first
    (``gbvs watchlist --help --lang en``). ``--lang en``, ``--lang=en`` and ``-l en`` count, and the first
    of a list (``report build --lang en,nl``); without it the configured language (``GBVS_LANGUAGE``),
    Dutch when the settings cannot be read (their error is then shown in Dutch)."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        value = _lang_value(arg, args[index + 1 : index + 2])
        if value is not None:
            return "en" if value.split(",")[0].strip().lower() == "en" else "nl"
    try:
        return resolve_lang(None)
    except GBVSError:
        return "nl"


def without_language(args: list[str]) -> list[str]:
    """``args`` without the language option (read by :func:`requested_language`): for ``--help``,
    which a group or a command without ``--lang`` would otherwise refuse (``gbvs db --help --lang en``)."""
    kept: list[str] = []
    skip = False
    for index, arg in enumerate(args):
        if arg == "--":
            return kept + args[index:]
        if skip:
            skip = False
        elif _lang_value(arg, args[index + 1 : index + 2]) is None:
            kept.append(arg)
        else:
            skip = arg in LANG_FLAGS
    return kept


def _lang_value(arg: str, following: list[str]) -> str | None:
    """The language ``arg`` gives (``--lang=en``, ``-len``), or the ``following`` word (``--lang en``);
    None when ``arg`` is no language option."""
    flag, equals, value = arg.partition("=")
    if flag in LANG_FLAGS:
        return value if equals else "".join(following)
    if arg.startswith("-l") and not arg.startswith("--"):
        return arg[2:]
    return None


def country_code(value: str) -> int:
    """The Gleditsch-Ward code of ``--country`` (a code or a name); :func:`wrong_country` otherwise."""
    from gbvs.countries import gwcode_typed

    try:
        return gwcode_typed(value)
    except NotFoundError as exc:
        raise wrong_country(exc) from None


def wrong_country(found: NotFoundError) -> InputError:
    """A ``--country`` no country answers to is wrong input (exit 4, as the API's 400 for a country
    filter or field it cannot read), with the look-up's message naming the value and the fix."""
    return InputError(found.words or str(found))


def region_id(value: str, lang: Lang) -> str:
    """The focus region ``value`` names (id in any case, or its Dutch or English name). One it names
    none of is wrong input (exit 4, as the API's 400 for ``?region=``), naming the focus regions by name
    in ``lang`` and by id."""
    from gbvs.cli.texts import translator
    from gbvs.strategy import load_strategy
    from gbvs.web.queries.strategy import UNKNOWN_REGION

    strategy = load_strategy()
    try:
        return strategy.region(value).id
    except NotFoundError:
        choices = ", ".join(f"{r.name.text(lang)} ({r.id})" for r in strategy.regions)
        message = translator(lang)(UNKNOWN_REGION) % {"region": value, "choices": choices}
        raise InputError(message) from None


def country_iso3(value: str) -> str:
    """The ISO3 code of ``--country`` (a code or a name); :func:`wrong_country` otherwise."""
    from gbvs.countries import iso3_typed

    try:
        return iso3_typed(value)
    except NotFoundError as exc:
        raise wrong_country(exc) from None


def parse_day(value: str, option: str, _: Gettext) -> date:
    """The date of option ``option`` (YYYY-MM-DD); InputError in the language of ``_`` naming the option,
    the value and the form."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        message = _("%(option)s %(value)s is not a date; write it as YYYY-MM-DD")
        raise InputError(message % {"option": option, "value": repr(value)}) from None
