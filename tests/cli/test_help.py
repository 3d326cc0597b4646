"""``--help`` speaks the reader's language: every command's and option's help text comes from the
catalogues (``cli.po``), Dutch by default and English with ``--lang en``, so a new command or option
without a Dutch help text fails here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from typer._click.core import Command, Context

from gbvs.catalogues import LOCALE_DIR, read_catalog
from gbvs.cli.commands import HELP_ORDER, register
from gbvs.cli.helptexts import message_of, paragraphs, speak, typer_command
from gbvs.cli.main import app
from gbvs.config import Settings
from gbvs.languages import Lang

Run = Callable[..., Any]


def _commands(command: Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Command]]:
    """Every command and group below ``command``, with the words that call it."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def _texts(command: Command) -> list[str]:
    """The English help paragraphs of ``command`` and its options, as the catalogue's message ids."""
    texts = [command.help or "", command.short_help or ""]
    texts += [getattr(param, "help", None) or "" for param in command.get_params(Context(command))]
    return [message_of(paragraph) for text in texts for paragraph in paragraphs(text)]


def _every_command() -> list[tuple[tuple[str, ...], Command]]:
    register(app)
    return list(_commands(typer_command(app)))


def _catalogue(lang: str) -> dict[str, str]:
    return {str(m.id): str(m.string) for m in read_catalog(LOCALE_DIR, lang) if isinstance(m.id, str)}


def _shown(output: str) -> str:
    """Help as words: without the boxes Typer draws and the line breaks of its columns."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def test_every_option_says_what_it_is_for() -> None:
    """An option without help shows a bare flag in --help (``--distribution`` of ``signals create``
    said nothing of who may then read the signal); each option says what it does."""
    bare = sorted(
        f"gbvs {' '.join(path)} {param.opts[0]}"
        for path, command in _every_command()
        for param in command.get_params(Context(command))
        if getattr(param, "param_type_name", "") == "option" and not getattr(param, "help", None)
    )
    assert not bare, f"give these options a help text (and add it to cli.po): {bare}"


def test_every_help_text_has_a_dutch_translation_and_an_english_entry() -> None:
    dutch, english = _catalogue("nl"), _catalogue("en")
    texts = {text: path for path, command in _every_command() for text in _texts(command)}
    assert len(texts) > 400
    missing = sorted(f"gbvs {' '.join(path)}: {text}" for text, path in texts.items() if not dutch.get(text))
    assert not missing, f"add these help texts to locale/nl/LC_MESSAGES/cli.po: {missing}"
    untranslated = sorted(text for text in texts if dutch[text] == text)
    assert not untranslated, f"these help texts are English in the Dutch catalogue: {untranslated}"
    assert not sorted(text for text in texts if text not in english), "add them to locale/en/.../cli.po"


def _help(path: tuple[str, ...], root: Command, command: Command, capsys: pytest.CaptureFixture[str]) -> str:
    """What ``gbvs PATH --help`` shows (Typer prints it), as words."""
    context = Context(root, info_name="gbvs")
    node = root
    for name in path:
        node = node.commands[name]  # type: ignore[attr-defined]
        context = Context(node, info_name=name, parent=context)
    capsys.readouterr()
    command.get_help(context)
    return _shown(capsys.readouterr().out)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_commands_help_is_shown_in_the_language_asked_for(
    settings: Settings, capsys: pytest.CaptureFixture[str], lang: Lang
) -> None:
    """The help of every command and group shows its description in ``lang`` and none of its texts
    (description, options) in the other language."""
    words = _catalogue(lang)
    other = _catalogue("en" if lang == "nl" else "nl")
    register(app)
    root, english = typer_command(app), typer_command(app)
    speak(root, lang)
    problems = []
    for (path, command), (_path, untouched) in zip(_commands(root), _commands(english), strict=True):
        texts = _texts(untouched)
        shown = _help(path, root, command, capsys)
        if texts and " ".join(words[texts[0]].split()) not in shown:
            problems.append(f"gbvs {' '.join(path)} --help does not show {words[texts[0]]!r}")
        problems += [
            f"gbvs {' '.join(path)} --help shows the other language: {other[text]!r}"
            for text in texts
            if other[text] != words[text] and " ".join(other[text].split()) in shown
        ]
    assert len(list(_commands(root))) > 100
    assert not problems, "\n".join(problems)


def test_help_is_asked_in_english_also_of_a_group_without_lang(settings: Settings, run_cli: Run) -> None:
    """``--lang`` is read before Typer renders help, also where the command has no such option."""
    english = run_cli("db", "--help", "--lang", "en")
    assert english.exit_code == 0, english.stderr
    assert "The operational database" in _shown(english.stdout)
    assert "De operationele database" in _shown(run_cli("db", "--help").stdout)


def test_dutch_help_uses_dutch_headings_and_typer_words(settings: Settings, run_cli: Run) -> None:
    dutch = _shown(run_cli("watchlist", "--help").stdout)
    assert "Opties" in dutch and "[standaard: risk]" in dutch and "Toon deze hulptekst en stop." in dutch
    assert "Options" not in dutch and "[default:" not in dutch
    english = _shown(run_cli("watchlist", "--help", "--lang", "en").stdout)
    assert "Options" in english and "[default: risk]" in english and "Show this message and exit." in english
    assert "Argumenten" in _shown(run_cli("brief", "--help").stdout)
    assert "Opdrachten" in _shown(run_cli("--help").stdout)


def test_the_language_is_read_from_the_setting_when_the_line_names_none(
    settings: Settings, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GBVS_LANGUAGE", "en")
    assert "Countries ranked by risk" in _shown(run_cli("watchlist", "--help").stdout)
    assert "Landen gerangschikt" in _shown(run_cli("watchlist", "--help", "-l", "nl").stdout)


def test_the_top_level_help_starts_with_the_main_job(settings: Settings, run_cli: Run) -> None:
    """``gbvs --help`` lists ingest → backtest → forecast → serve first (it listed config first and the
    main job in the middle), says how to start, and names every top-level command in its order."""
    shown = _shown(run_cli("--help").stdout)
    listed = shown[shown.index("Opdrachten") :]
    places = [listed.index(f" {name} ") for name in HELP_ORDER]
    assert places == sorted(places)
    assert listed.split()[1] == "ingest"
    assert "Om te beginnen: `gbvs ingest` bouwt de analytische opslag" in shown
    register(app)
    assert set(HELP_ORDER) == set(typer_command(app).commands)  # type: ignore[attr-defined]


def test_the_dutch_help_says_tokens_are_kept_as_a_hash(settings: Settings, run_cli: Run) -> None:
    """The words "stored hashed" read "versleuteld bewaard" (encrypted), as if a token could be
    decrypted again; only its SHA-256 hash is kept (docs/security.md), as `tokens create` says."""
    shown = " ".join(run_cli("users", "tokens", "--help").stdout.split("╭")[0].split())
    assert "alleen als hash bewaard" in shown and "versleuteld" not in shown, shown
