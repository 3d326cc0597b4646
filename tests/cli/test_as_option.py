"""``--as`` means one thing on every command that acts for a user, reads included. Before, write
commands took it and read commands (``gbvs actions alerts --as cora``) answered "Onbekende optie: --as",
though they act for a user just the same (the permission checked, the read audited). Every command now
takes :data:`gbvs.cli.identity.AsUser`, or is listed in :data:`gbvs.cli.identity.WITHOUT_AS` and says why
it takes no ``--as``. Walks every command of the real Typer app, as ``test_command_locks.py`` does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import typer.main
from typer._click.core import Command, Context, Parameter

from gbvs.cli.commands import register
from gbvs.cli.helptexts import leaf_commands, typer_command
from gbvs.cli.identity import WITHOUT_AS, principal_from_claim
from gbvs.cli.main import app
from gbvs.config import Settings

Run = Callable[..., Any]
HELP = (
    "The named user whose API token is in GBVS_TOKEN (refused without it). "
    "Without both: act as the OS owner of the data folder."
)


def _commands() -> dict[str, Command]:
    """Every command of ``gbvs`` by its words (``actions alerts``)."""
    register(app)
    return leaf_commands(typer_command(app))


def _as_option(command: Command) -> Parameter | None:
    return next((p for p in command.params if p.param_type_name == "option" and "--as" in p.opts), None)


def test_every_command_takes_as_or_says_why_not() -> None:
    commands = _commands()
    missing = sorted(
        words for words, c in commands.items() if _as_option(c) is None and words not in WITHOUT_AS
    )
    assert not missing, (
        f"give these `as_user: AsUser = None` (or list them in WITHOUT_AS, with why): {missing}"
    )
    listed = sorted(words for words in WITHOUT_AS if words in commands and _as_option(commands[words]))
    assert not listed, f"these take --as, but WITHOUT_AS says they act for no user: {listed}"
    assert not sorted(set(WITHOUT_AS) - set(commands)), "listed in WITHOUT_AS, but no such command"


def test_every_as_option_is_the_same_option() -> None:
    for words, command in _commands().items():
        option = _as_option(command)
        if option is None:
            continue
        shown = (
            option.name,
            option.opts,
            option.secondary_opts,
            option.envvar,
            getattr(option, "help", None),
        )
        assert shown == ("as_user", ["--as"], [], "GBVS_USER", HELP), f"gbvs {words}: {shown}"


@pytest.mark.parametrize(
    "words",
    [
        ("actions", "alerts"),
        ("sources",),
        ("watchlist",),
        ("drivers",),
        ("displacement", "ranking"),
        ("forecast",),
    ],
)
def test_a_read_command_takes_as_with_its_meaning(
    settings: Settings, run_cli: Run, words: tuple[str, ...]
) -> None:
    """``--as`` on its own proves nothing: refused with the fix (exit 8) before anything is read or run,
    as on the write commands, instead of "Onbekende optie"."""
    refused = run_cli(*words, "--as", "cora")
    assert refused.exit_code == 8, refused.stderr
    assert "--as cora (of GBVS_USER) noemt een gebruiker, maar bewijst niets" in refused.stderr
    assert "GBVS_TOKEN" in refused.stderr and "Onbekende optie" not in refused.stderr


def test_a_command_for_no_user_says_why_it_takes_no_as(settings: Settings, run_cli: Run) -> None:
    dutch = run_cli("users", "roles", "--as", "cora")
    assert dutch.exit_code == 2
    assert (
        "`gbvs users roles` neemt geen --as: het toont alleen wat met GBVS wordt meegeleverd" in dutch.stderr
    ), dutch.stderr
    english = run_cli("db", "backup", "--as", "cora", "--lang", "en")
    assert english.exit_code == 2
    assert "`gbvs db backup` takes no --as: it acts only as the OS owner of the data folder" in english.stderr


@contextmanager
def _running(words: str) -> Iterator[None]:
    """The click contexts of ``gbvs <words>`` while it runs (what the identity checks look up)."""
    register(app)
    command: Command = typer.main.get_command(app)
    contexts = [Context(command, info_name="gbvs")]
    for word in words.split():
        command = command.commands[word]  # type: ignore[attr-defined]
        contexts.append(Context(command, info_name=word, parent=contexts[-1]))
    with contexts[0], contexts[-1]:
        yield


def test_a_command_listed_without_as_may_not_ask_who_acts(settings: Settings) -> None:
    """A command in WITHOUT_AS that starts acting for a user fails at once, naming the fix."""
    with (
        pytest.raises(RuntimeError, match=r"`gbvs users roles` acts for a user.*WITHOUT_AS"),
        _running("users roles"),
    ):
        principal_from_claim(None, settings, None)
    with _running("users whoami"):
        assert principal_from_claim(None, settings, None).is_os_owner
