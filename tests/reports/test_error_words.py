"""The progress report's errors in the reader's language: Dutch by default on the command line, English
with ``--lang en``; a rule's words inside another message (a value outside its unit) are Dutch too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gbvs.catalogues import load_catalogs
from gbvs.config import Settings
from gbvs.errors import InputError, in_words
from gbvs.reports.core.reported import period_problem, value_problem

Run = Callable[..., Any]


def test_an_unknown_release_kind_is_said_in_dutch_on_the_command_line(
    settings: Settings, run_cli: Run
) -> None:
    args = ("report", "release", "--kind", "nope", "--id", "1", "--reason", "x")
    dutch = run_cli(*args)
    assert dutch.exit_code == InputError.exit_code, dutch.stderr
    assert dutch.stderr == (
        "fout: --kind 'nope' wordt niet ondersteund. "
        "Kies uit: signal, reported_value, contribution, scenario.\n"
    )
    english = run_cli(*args, "--lang", "en")
    assert english.stderr == (
        "error: --kind 'nope' is not supported; choose from: signal, reported_value, contribution, scenario\n"
    )


def test_the_rules_of_a_reported_value_are_words_with_their_kind_of_unit_translated() -> None:
    dutch = load_catalogs()["nl"].gettext
    outside = value_problem(120, "procent gereed")
    assert outside is not None
    assert (
        outside[0] % outside[1]
        == "value 120 is outside the unit 'procent gereed': it must be a percentage from 0 to 100"
    )
    assert in_words(outside, dutch) == (
        "waarde 120 valt buiten de eenheid 'procent gereed': "
        "het moet een percentage van 0 tot en met 100 zijn"
    )
    negative = value_problem(-1, "programma's")
    assert negative is not None and "een aantal van ten minste 0" in in_words(negative, dutch)
    year = period_problem("19", 2026)
    assert year is not None and in_words(year, dutch).startswith("'19' is geen jaar")
    assert value_problem(50, "procent") is None and period_problem("2019", 2026) is None
