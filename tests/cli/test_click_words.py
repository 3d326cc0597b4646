"""Click's and Typer's own refusals of a value, in the reader's language with the value and the fix: a
choice that is not one of the choices, a missing choice (the choices listed), a date that is no date, a
number that is no number; Dutch by default, English with ``--lang en``, exit code 2. Each runs the real
command line, so a changed message of click, Typer or pydantic (which the table in
:mod:`gbvs.cli.usage` matches) fails here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gbvs.cli.texts import translator
from gbvs.cli.usage import reworded
from gbvs.config import Settings

Run = Callable[..., Any]


def _failure(result: Any) -> str:
    assert result.exit_code == 2, result.stderr
    return result.stderr.split("\n\n", 1)[-1].strip()


def test_a_value_that_is_not_one_of_the_choices_is_told_in_dutch(settings: Settings, run_cli: Run) -> None:
    assert _failure(run_cli("signals", "import", "bogus")) == (
        "fout: Ongeldige waarde voor 'source': 'bogus' is geen van 'cfr', 'euvsdisinfo'; "
        "geef een van deze waarden."
    )
    assert _failure(run_cli("signals", "import", "bogus", "--lang", "en")) == (
        "error: Invalid value for 'source': 'bogus' is not one of 'cfr', 'euvsdisinfo'; "
        "give one of these values."
    )


def test_a_missing_choice_lists_the_choices_in_dutch(settings: Settings, run_cli: Run) -> None:
    assert _failure(run_cli("signals", "import")).splitlines() == [
        "fout: Argument 'source' ontbreekt. Kies uit:",
        "  cfr,",
        "  euvsdisinfo",
    ]
    assert _failure(run_cli("signals", "import", "--lang", "en")).splitlines()[0] == (
        "error: Missing argument 'source'. Choose from:"
    )


def test_a_date_that_is_no_date_is_told_in_dutch_with_the_value_and_how_to_write_it(
    settings: Settings, run_cli: Run
) -> None:
    assert _failure(run_cli("audit", "list", "--since", "2026-13-01")) == (
        "fout: Ongeldige waarde '2026-13-01' voor '--since': geen geldige datum of tijd: het maandnummer "
        "ligt niet tussen 1 en 12; schrijf een datum als JJJJ-MM-DD (2026-03-31), met een tijd als "
        "JJJJ-MM-DDTUU:MM (2026-03-31T14:30)"
    )
    assert _failure(run_cli("audit", "list", "--since", "2026/01/01", "--lang", "en")) == (
        "error: Invalid value '2026/01/01' for '--since': not a valid date or time: year, month and day "
        "are separated by a dash (-); write a date as YYYY-MM-DD (2026-03-31), with a time as "
        "YYYY-MM-DDTHH:MM (2026-03-31T14:30)"
    )


def test_a_number_that_is_no_number_is_told_in_dutch_with_the_value(settings: Settings, run_cli: Run) -> None:
    given = ("report", "value-add", "x", "--period", "2019", "--value", "abc", "--measured-on", "2019-01-01")
    assert _failure(run_cli(*given, "--evidence", "e")) == (
        "fout: Ongeldige waarde 'abc' voor '--value': verwacht een getal, deze tekst is geen getal; "
        "schrijf een getal met een punt voor de decimalen, zoals 0.5"
    )
    english = _failure(run_cli(*given, "--evidence", "e", "--lang", "en"))
    assert english == (
        "error: Invalid value 'abc' for '--value': Input should be a valid number, unable to parse string "
        "as a number; write a number with a point before its decimals, such as 0.5"
    )
    missing = ("report", "value-add", "x", "--period", "2019", "--value", "1", "--measured-on", "2019-01-01")
    assert _failure(run_cli(*missing)) == "fout: Optie '--evidence' ontbreekt."


def test_a_date_outside_the_formats_of_an_option_is_told_in_dutch() -> None:
    text = "Invalid value for '--on': '31-12-2026' does not match the formats '%Y-%m-%d'."
    assert reworded(text, translator("nl")) == (
        "Ongeldige waarde voor '--on': '31-12-2026' past in geen van de vormen '%Y-%m-%d'; schrijf de "
        "datum in een van die vormen (%Y jaar, %m maand, %d dag)."
    )


def _styled(prefix: str) -> list[str]:
    """The styles Typer's ``--help`` highlighter gives a usage line starting with ``prefix``."""
    from rich.text import Text
    from typer import rich_utils

    line = rich_utils.highlighter(Text(f"{prefix} gbvs signals [OPTIES]"))
    return [str(span.style) for span in line.spans if span.start == 0]


def test_the_dutch_usage_prefix_keeps_typers_colour(settings: Settings, run_cli: Run) -> None:
    run_cli("signals", "--help")
    assert "usage" in _styled("Gebruik:")
    run_cli("signals", "--help", "--lang", "en")
    assert "usage" in _styled("Usage:")
