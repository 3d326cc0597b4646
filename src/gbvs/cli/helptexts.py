"""``--help`` in the reader's language, from the catalogues (``cli.po``, Dutch and English).

The code keeps one English text per command and option (its docstring, ``help=``); Typer builds the
click commands from them. Before a command line runs, :func:`speak` replaces each text in those
commands by its translation, paragraph by paragraph, with the panel titles and Typer's own words
("[default: ...]"), so no help text is written twice in the code. A paragraph the catalogue lacks
stays English; ``tests/cli/test_help.py`` walks every command's help and fails on one.
"""

from __future__ import annotations

from collections.abc import Iterator

import typer
from typer._click.core import Command, Context, Parameter
from typer.core import TyperArgument, TyperOption

from gbvs.cli.texts import Gettext, translator
from gbvs.cli.usage import USAGE, usage_highlighter, word_usage
from gbvs.languages import N_, Lang

PANELS = {
    TyperArgument: N_("Arguments"),
    TyperOption: N_("Options"),
}
"""The panel titles of ``--help`` (Typer's, as messages of the catalogue)."""

COMMANDS_PANEL = N_("Commands")

TYPER_WORDS = {
    "DEFAULT_STRING": N_("[default: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
    "ENVVAR_STRING": N_("[env var: {}]"),
}
"""Typer's own words in ``--help`` (constants of ``typer.rich_utils`` read when help is shown)."""


_FILLED: dict[str, tuple[str, dict[str, str]]] = {}
"""The texts :func:`help_with` filled in: English text -> its message and values."""


def help_with(message: str, /, **values: object) -> str:
    """A help text with values that are facts kept elsewhere (a limit, a list of ids, another help
    text): ``message`` with ``%(name)s`` placeholders, filled in. The catalogue keeps ``message`` once;
    :func:`translate` fills in its translation, each value translated too when it is a message itself."""
    kept = {name: str(value) for name, value in values.items()}
    text = message % kept
    _FILLED[" ".join(text.split())] = (message, kept)
    return text


def message_of(paragraph: str) -> str:
    """The catalogue's message id of a help paragraph: itself, or the message :func:`help_with` filled."""
    return _FILLED.get(paragraph, (paragraph, {}))[0]


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a help text, each on one line: the catalogue's message ids."""
    return [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]


def translate(text: str, gettext: Gettext) -> str:
    """``text`` with each paragraph in the language of ``gettext``."""
    return "\n\n".join(_translated(paragraph, gettext) for paragraph in paragraphs(text))


def _translated(paragraph: str, gettext: Gettext) -> str:
    message, values = _FILLED.get(paragraph, (paragraph, {}))
    if not values:
        return gettext(message)
    return gettext(message) % {name: gettext(value) for name, value in values.items()}


def speak(command: Command, lang: Lang) -> None:
    """Word the help of ``command`` and every command below it in ``lang``."""
    gettext = translator(lang)
    _word_typer(gettext)
    _translate(command, gettext)


def _word_typer(gettext: Gettext) -> None:
    from typer import rich_utils

    for name, message in TYPER_WORDS.items():
        setattr(rich_utils, name, gettext(message))
    rich_utils.highlighter = usage_highlighter(gettext(USAGE))


def _translate(command: Command, gettext: Gettext) -> None:
    word_usage(command, gettext)
    if command.help:
        command.help = translate(command.help, gettext)
    if command.short_help:
        command.short_help = translate(command.short_help, gettext)
    for param in command.get_params(Context(command)):
        _translate_param(param, gettext)
    for sub in getattr(command, "commands", {}).values():
        sub.rich_help_panel = gettext(getattr(sub, "rich_help_panel", None) or COMMANDS_PANEL)
        _translate(sub, gettext)


def _translate_param(param: Parameter, gettext: Gettext) -> None:
    help_text = getattr(param, "help", None)
    if help_text:
        param.help = translate(help_text, gettext)  # type: ignore[attr-defined]
    panel = getattr(param, "rich_help_panel", None) or next(
        (title for kind, title in PANELS.items() if isinstance(param, kind)), None
    )
    if panel:
        param.rich_help_panel = gettext(panel)  # type: ignore[attr-defined]


def typer_command(app: typer.Typer) -> Command:
    """The click command Typer builds from ``app`` (what ``app(...)`` runs)."""
    return typer.main.get_command(app)


def command_tree(command: Command, words: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Command]]:
    """``command`` and every group and command under it, each with its words (``("users", "tokens")``),
    a group before its own commands; ``command`` itself has no words."""
    yield words, command
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from command_tree(sub, (*words, name))


def leaf_commands(command: Command) -> dict[str, Command]:
    """The commands one runs under ``command`` (not their groups), by their words (``"signals list"``)."""
    return {
        " ".join(words): sub for words, sub in command_tree(command) if not getattr(sub, "commands", None)
    }
