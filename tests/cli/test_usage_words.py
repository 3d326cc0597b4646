"""Click's own words speak the reader's language: the usage line ("Gebruik:"), where help is, and the
usage errors (an unknown option, a missing argument, an invalid number, an extra argument), Dutch by
default and English with ``--lang en``; a usage error still exits 2."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from gbvs.catalogues import LOCALE_DIR, read_catalog
from gbvs.cli.texts import translator
from gbvs.cli.usage import CLICK_MESSAGES, USAGE, reworded
from gbvs.config import Settings

Run = Callable[..., Any]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines()]


def test_an_unknown_option_is_told_in_dutch_by_default(settings: Settings, run_cli: Run) -> None:
    result = run_cli("signals", "list", "--bogus")
    assert result.exit_code == 2
    assert _lines(result.stderr) == [
        "Gebruik: gbvs signals list [OPTIES]",
        "Probeer 'gbvs signals list --help' voor hulp.",
        "",
        "fout: Onbekende optie: --bogus",
    ]


def test_an_unknown_option_is_told_in_english_when_asked(settings: Settings, run_cli: Run) -> None:
    result = run_cli("signals", "list", "--bogus", "--lang", "en")
    assert result.exit_code == 2
    assert _lines(result.stderr) == [
        "Usage: gbvs signals list [OPTIONS]",
        "Try 'gbvs signals list --help' for help.",
        "",
        "error: No such option: --bogus",
    ]


def test_the_language_setting_words_a_usage_error(
    settings: Settings, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GBVS_LANGUAGE", "en")
    assert "error: No such option: --bogus" in run_cli("signals", "list", "--bogus").stderr


def test_a_missing_argument_is_told_in_dutch(settings: Settings, run_cli: Run) -> None:
    result = run_cli("cases", "show")
    assert result.exit_code == 2
    assert "fout: Argument 'case_id' ontbreekt." in result.stderr
    assert "Missing" not in result.stderr
    assert "error: Missing argument 'case_id'." in run_cli("cases", "show", "--lang", "en").stderr


def test_an_invalid_integer_is_told_in_dutch_reason_included(settings: Settings, run_cli: Run) -> None:
    result = run_cli("audit", "list", "--limit", "x")
    assert result.exit_code == 2
    assert (
        "fout: Ongeldige waarde 'x' voor '--limit': verwacht een geheel getal, "
        "deze tekst is geen geheel getal" in result.stderr
    )
    english = run_cli("audit", "list", "--limit", "x", "--lang", "en")
    assert english.exit_code == 2
    assert "error: Invalid value 'x' for '--limit': Input should be a valid integer" in english.stderr


def test_a_number_that_is_no_whole_number_or_too_long_says_what_to_write(
    settings: Settings, run_cli: Run
) -> None:
    """pydantic's reason said only what it expected (and a number of 5,000 digits was repeated whole,
    its reason English): now the fix follows, and the value is cut."""
    told = run_cli("audit", "list", "--limit", "1,5").stderr.strip()
    assert told.endswith("geen geheel getal; schrijf een geheel getal in cijfers, zoals 10"), told
    huge = run_cli("audit", "list", "--limit", "9" * 5000)
    assert huge.exit_code == 2
    line = huge.stderr.strip().splitlines()[-1]
    assert line == (
        f"fout: Ongeldige waarde '{'9' * 55}...' voor '--limit': verwacht een geheel getal, dit getal heeft "
        "te veel cijfers; schrijf een geheel getal in cijfers, zoals 10"
    )
    english = run_cli("audit", "list", "--limit", "1e3", "--lang", "en").stderr
    assert (
        "Input should be a valid integer, unable to parse string as an integer; write a whole number"
        in english
    )


def test_an_extra_argument_and_an_unknown_command_are_told_in_dutch(settings: Settings, run_cli: Run) -> None:
    extra = run_cli("signals", "list", "extra")
    assert extra.exit_code == 2
    assert "fout: Onverwachte extra argumenten (extra)" in extra.stderr
    unknown = run_cli("signals", "lst")
    assert unknown.exit_code == 2
    assert "Gebruik: gbvs signals [OPTIES] OPDRACHT [ARGUMENTEN]..." in unknown.stderr
    assert "fout: Onbekende opdracht 'lst'. Bedoelt u 'list'?" in unknown.stderr


def test_help_shows_the_usage_line_in_dutch_and_in_english(settings: Settings, run_cli: Run) -> None:
    dutch = " ".join(run_cli("--help").stdout.split())
    assert "Gebruik: gbvs [OPTIES] OPDRACHT [ARGUMENTEN]..." in dutch
    assert "Usage:" not in dutch
    english = " ".join(run_cli("--help", "--lang", "en").stdout.split())
    assert "Usage: gbvs [OPTIONS] COMMAND [ARGS]..." in english


def test_a_text_click_builds_otherwise_stays_as_it_is() -> None:
    dutch = translator("nl")
    assert reworded("Something click says that the table lacks", dutch) == (
        "Something click says that the table lacks"
    )
    assert reworded("No such option: --x (Possible options: --to, --y)", dutch) == (
        "Onbekende optie: --x (mogelijke opties: --to, --y)"
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_click_message_is_in_the_catalogue_with_its_values(lang: str) -> None:
    words = {str(m.id): str(m.string) for m in read_catalog(LOCALE_DIR, lang) if isinstance(m.id, str)}
    for message in (*CLICK_MESSAGES, USAGE):
        assert words.get(message), f"add {message!r} to locale/{lang}/LC_MESSAGES/cli.po"
        assert set(PLACEHOLDER.findall(message)) == set(PLACEHOLDER.findall(words[message])), message
    if lang == "nl":
        assert all(words[message] != message for message in CLICK_MESSAGES)
