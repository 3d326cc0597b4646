"""Click's own words in the reader's language: the usage line and the usage errors (exit code 2).

Typer vendors its own click, which builds these texts with f-strings (no gettext), so they are
translated after the fact, through the same catalogue as the help (``cli.po``): :data:`CLICK_MESSAGES`
keeps each of click's (and Typer's) English messages once, with ``%(name)s`` where click fills in a
value; :func:`reworded` finds the message a text was built from and fills the values into its
translation. Only the command objects of one command line are changed (:func:`word_usage`), so nothing
leaks into other code; a text the table lacks stays English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any, ClassVar

from typer._click.core import Command, Context
from typer._click.exceptions import BadParameter, NoSuchOption, UsageError
from typer._click.formatting import HelpFormatter

from gbvs.cli.texts import Gettext
from gbvs.languages import N_

USAGE = N_("Usage:")
OPTIONS_METAVAR = N_("[OPTIONS]")
COMMAND_METAVAR = N_("COMMAND [ARGS]...")
TRY_HELP = N_("Try '%(command)s %(option)s' for help.")
INVALID_FOR = N_("Invalid value for %(name)s: %(reason)s")
INVALID_VALUE_FOR = N_("Invalid value %(value)s for %(name)s: %(reason)s")
"""Click's message for an option's invalid value, and GBVS's that also names the value given."""

CLICK_MESSAGES = (
    N_("No such option: %(option)s"),
    N_("No such option: %(option)s (Possible options: %(options)s)"),
    N_("No such command %(command)s."),
    N_("No such command %(command)s. Did you mean %(suggestions)s?"),
    N_("Missing command."),
    N_("Missing argument %(name)s."),
    N_("Missing option %(name)s."),
    N_("Missing parameter %(name)s."),
    INVALID_FOR,
    N_("Invalid value: %(reason)s"),
    N_("Got unexpected extra argument(s) (%(arguments)s)"),
    N_("Option %(option)s does not take a value."),
    N_("Option %(option)s requires an argument."),
    N_("Option %(option)s requires %(count)s arguments."),
    N_("Argument %(name)s takes %(count)s values."),
    N_("Value %(value)s is not a valid %(kind)s."),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be a valid number, unable to parse string as a number"),
    N_("Input should be a valid boolean, unable to interpret input"),
    N_("Unable to parse input string as an integer, exceeded maximum size"),
    N_("Input should be greater than or equal to %(limit)s"),
    N_("Input should be less than or equal to %(limit)s"),
    INVALID_VALUE_FOR,
    N_("Missing option %(name)s. %(reason)s"),
    N_("Missing argument %(name)s. %(reason)s"),
    N_("Missing parameter %(name)s. %(reason)s"),
    N_("Choose from:\n\t%(choices)s"),
    N_("Value error, %(reason)s"),
    N_("%(value)s is not one of %(choices)s."),
    N_("%(value)s does not match the formats %(formats)s."),
    N_("Input should be a valid datetime or date, %(reason)s"),
    N_("Input should be a valid date or datetime, %(reason)s"),
    N_("month value is outside expected range of 1-12"),
    N_("day value is outside expected range"),
    N_("hour value is outside expected range of 0-23"),
    N_("minute value is outside expected range of 0-59"),
    N_("input is too short"),
    N_("invalid date separator, expected `-`"),
    N_("unexpected extra characters at the end of the input"),
    N_("invalid character in year"),
    N_("invalid character in month"),
    N_("invalid character in day"),
    N_("invalid character in hour"),
    N_("invalid character in minute"),
    N_("Datetimes provided to dates should have zero time - e.g. be exact dates"),
)
"""The usage errors of click and Typer (and the pydantic reasons Typer passes on), in English as they
build them; the catalogue keeps their translations."""

_WHOLE_NUMBER = N_("write a whole number in digits, such as 10")
NUMBER_FIXES = {
    "int_parsing": _WHOLE_NUMBER,
    "int_from_float": _WHOLE_NUMBER,
    "int_parsing_size": _WHOLE_NUMBER,
    "float_parsing": N_("write a number with a point before its decimals, such as 0.5"),
}
"""What to write instead, after pydantic's reason for a value that is no number (by the error's type):
its reason says only what it expected."""
SHOWN_VALUE = 60
"""The most characters of a refused value the message repeats (a value of 5,000 digits is cut)."""


def _pattern(message: str) -> re.Pattern[str]:
    """A regular expression that matches the texts built from ``message``, a group per value."""
    pieces = re.split(r"%\((\w+)\)s", message)
    parts = [
        re.escape(piece) if index % 2 == 0 else f"(?P<{piece}>.+?)" for index, piece in enumerate(pieces)
    ]
    return re.compile("".join(parts), re.DOTALL)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The messages with their patterns, the most specific (most fixed words) first."""
    fixed = {message: len(re.sub(r"%\(\w+\)s", "", message)) for message in CLICK_MESSAGES}
    ordered = sorted(CLICK_MESSAGES, key=lambda message: -fixed[message])
    return tuple((message, _pattern(message)) for message in ordered)


def reworded(text: str, gettext: Gettext) -> str:
    """``text``, built by click from one of :data:`CLICK_MESSAGES`, in the language of ``gettext`` (a
    value that is itself such a text, the reason of an invalid value, too); else ``text`` unchanged."""
    for message, pattern in _patterns():
        found = pattern.fullmatch(text)
        if found:
            values = {name: reworded(value, gettext) for name, value in found.groupdict().items()}
            return gettext(message) % values
    return text


def word_usage(command: Command, gettext: Gettext) -> None:
    """The usage line of ``command`` ("Usage: gbvs ... [OPTIONS]", in ``--help`` and above a usage
    error) in the language of ``gettext``: its own context class, whose formatter writes the prefix."""
    command.context_class = _context_class(gettext(USAGE))
    if command.options_metavar == OPTIONS_METAVAR:
        command.options_metavar = gettext(OPTIONS_METAVAR)
    if getattr(command, "subcommand_metavar", None) == COMMAND_METAVAR:
        command.subcommand_metavar = gettext(COMMAND_METAVAR)  # type: ignore[attr-defined]


@cache
def usage_highlighter(usage: str) -> Any:
    """Typer's highlighter of ``--help`` (options, types and the usage prefix in colour) that also
    colours the prefix ``usage`` ("Gebruik:"): Typer's knows only "Usage: "."""
    from typer.rich_utils import OptionHighlighter

    class WordedHighlighter(OptionHighlighter):
        highlights: ClassVar[list[str]] = [*OptionHighlighter.highlights, rf"(?P<usage>{re.escape(usage)} )"]

    return WordedHighlighter()


@cache
def _context_class(usage: str) -> type[Context]:
    class WordedFormatter(HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, f"{usage} " if prefix is None else prefix)

    class WordedContext(Context):
        formatter_class = WordedFormatter

    return WordedContext


def usage_error_text(error: UsageError, gettext: Gettext, failure: Callable[[str], str]) -> str:
    """What a usage error shows, in the language of ``gettext``: the usage line and where help is
    (when the error knows its command), then the failure line ``failure`` makes of its message (click
    indents the choices of a missing value with tabs: spaces here, which the failure line keeps)."""
    lines: list[str] = []
    context: Any = error.ctx
    if context is not None:
        lines.append(context.get_usage())
        if context.command.get_help_option(context) is not None:
            values = {"command": context.command_path, "option": context.help_option_names[0]}
            lines.append(gettext(TRY_HELP) % values)
        lines.append("")
    message = reworded(_with_value(error), gettext)
    fix = _number_fix(error)
    if fix is not None:
        message = f"{message}; {gettext(fix)}"
    refusal = _without_as(error)
    if refusal is not None:
        message = f"{message}; " + gettext(TAKES_NO_AS) % {
            "command": refusal[0],
            "reason": gettext(refusal[1]),
        }
    lines.append(failure(message.expandtabs(2)))
    return "\n".join(lines)


TAKES_NO_AS = N_("`%(command)s` takes no --as: %(reason)s")


def _without_as(error: UsageError) -> tuple[str, str] | None:
    """For ``--as`` given to a command that acts for no named user: the command and why (a message of
    :data:`gbvs.cli.identity.WITHOUT_AS`), else None."""
    from gbvs.cli.identity import WITHOUT_AS
    from gbvs.cli.locks import command_words

    if not isinstance(error, NoSuchOption) or error.option_name != "--as" or error.ctx is None:
        return None
    words = command_words(error.ctx)
    reason = WITHOUT_AS.get(words)
    return None if reason is None else (f"gbvs {words}", reason)


def _number_fix(error: UsageError) -> str | None:
    """The fix (a message of :data:`NUMBER_FIXES`) for a value pydantic refused as no number, else None."""
    errors = getattr(error.__cause__, "errors", None)
    if not isinstance(error, BadParameter) or not callable(errors):
        return None
    found = errors()
    return NUMBER_FIXES.get(str(found[0].get("type"))) if found else None


def _with_value(error: UsageError) -> str:
    """Click's message of ``error``, naming the value given when it says only that the value of an
    option is invalid ("Invalid value '2026-13-01' for '--since': ..."): Typer checks a value with
    pydantic, whose reason (the error's cause) keeps the value but does not say it."""
    message = error.format_message()
    value = _given_value(error)
    found = _pattern(INVALID_FOR).fullmatch(message)
    if value is None or found is None or repr(value) in message:
        return message
    return INVALID_VALUE_FOR % {**found.groupdict(), "value": _shortened(value)}


def _shortened(value: object) -> str:
    """``value`` as the message repeats it: quoted, cut after :data:`SHOWN_VALUE` characters."""
    text = repr(value)
    return text if len(text) <= SHOWN_VALUE else f"{text[: SHOWN_VALUE - 4]}...{text[-1]}"


def _given_value(error: UsageError) -> object | None:
    """The value a bad parameter was given, as the pydantic error that refused it keeps it."""
    errors = getattr(error.__cause__, "errors", None)
    if not isinstance(error, BadParameter) or not callable(errors):
        return None
    found = errors()
    return found[0].get("input") if found else None
