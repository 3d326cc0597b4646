"""Wrong input on the command line: the exit code of :mod:`gbvs.errors` the API's status matches, and a
message naming the thing, the value and the fix, in the language of ``--lang``."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from typing import Any

import pytest

from gbvs.cli.main import run as run_main
from gbvs.config import Settings
from gbvs.errors import InputError

Run = Callable[..., Any]


@pytest.mark.parametrize("command", [("watchlist",), ("demspaces",)])
def test_an_unknown_region_is_wrong_input_naming_the_regions_by_name_and_id(
    settings: Settings, run_cli: Run, command: tuple[str, ...]
) -> None:
    """The API answers 400 for ``?region=atlantis``; the CLI said "not found" (exit 5) with ids only."""
    dutch = run_cli(*command, "--region", "atlantis")
    assert dutch.exit_code == InputError.exit_code, dutch.stderr
    assert "Er is geen focusregio ‘atlantis’" in dutch.stderr
    assert "Sahel (sahel)" in dutch.stderr and "Noord-Afrika (north_africa)" in dutch.stderr
    english = run_cli(*command, "--region", "atlantis", "--lang", "en")
    assert english.exit_code == InputError.exit_code
    assert "There is no focus region ‘atlantis’" in english.stderr
    assert "North Africa (north_africa)" in english.stderr


@pytest.mark.parametrize("command", ["verify", "openbaarheidstoets"])
def test_a_malformed_period_is_wrong_input_as_in_the_api(
    settings: Settings, run_cli: Run, command: str
) -> None:
    """``/api/v1/reports/1999`` answers 400 (the form of a period); ``gbvs report verify --period 1999``
    said there was no such period (exit 5), which ``gbvs report build`` (exit 4) did not."""
    assert run_cli("db", "upgrade").exit_code == 0
    wrong = run_cli("report", command, "--period", "1999")
    assert wrong.exit_code == InputError.exit_code, wrong.stderr
    assert wrong.stderr.startswith("fout: Periode '1999' is geen reeks jaren") and "JJJJ-JJJJ" in wrong.stderr
    english = run_cli("report", command, "--period", "1999", "--lang", "en")
    assert english.exit_code == InputError.exit_code
    assert english.stderr.startswith("error: period '1999'") and "YYYY-YYYY" in english.stderr
    missing = run_cli("report", command, "--period", "2030-2031")
    assert missing.exit_code == 5
    assert missing.stderr.startswith("fout: Er is geen rapportageperiode '2030-2031'"), missing.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("strategy", "goals"),
        ("signals", "list"),
        ("actions", "open", "--from", "country", "--ref", "MLI", "--title", "x"),
    ],
)
def test_an_unknown_country_option_is_wrong_input(
    settings: Settings, run_cli: Run, command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--country Narnia`` is a wrong value in an option, as the API answers 400 for a country filter or
    body field it cannot read; the CLI said "not found" (exit 5). The message is in the configured
    language (``GBVS_LANGUAGE``; these commands have no ``--lang``), as on a page."""
    assert run_cli("db", "upgrade").exit_code == 0
    wrong = run_cli(*command, "--country", "Narnia")
    assert wrong.exit_code == InputError.exit_code, wrong.stderr
    assert wrong.stderr.startswith(
        "fout: Land 'Narnia' is geen ISO3-code, Gleditsch-Ward-code of Nederlandse"
    )
    assert "geef bijvoorbeeld SYR, 652, Syrië of Syria" in wrong.stderr
    monkeypatch.setenv("GBVS_LANGUAGE", "en")
    english = run_cli(*command, "--country", "Narnia")
    assert english.exit_code == InputError.exit_code
    assert "error: country 'Narnia' is no ISO3 code, Gleditsch-Ward code or country name" in english.stderr
    assert "give e.g. SYR, 652, Syria or Syrië" in english.stderr


def test_the_region_of_a_new_case_is_named_as_everywhere_in_the_cli(settings: Settings, run_cli: Run) -> None:
    """``gbvs actions open --region`` took the id only and listed the ids; now a name in either language
    is read, and a wrong one lists the regions by name and id, as ``gbvs watchlist --region`` does."""
    assert run_cli("db", "upgrade").exit_code == 0
    case = ("actions", "open", "--from", "country", "--ref", "MLI", "--title", "x")
    wrong = run_cli(*case, "--region", "atlantis")
    assert wrong.exit_code == InputError.exit_code and "Sahel (sahel)" in wrong.stderr, wrong.stderr
    assert run_cli(*case, "--region", "Hoorn van Afrika", "-f", "json").exit_code == 0
    shown = run_cli("actions", "show", "1", "-f", "json").stdout
    assert '"region": "horn_of_africa"' in shown


@pytest.mark.parametrize("command", ["show", "history"])
def test_a_case_not_found_is_named_in_words_with_the_fix(
    settings: Settings, run_cli: Run, command: str
) -> None:
    """``gbvs actions show 99`` said "action_case 99 does not exist or is not shared with you" (the audit
    log's object type, no fix), where ``gbvs actions option 99`` names the case and how to list them."""
    assert run_cli("db", "upgrade").exit_code == 0
    missing = run_cli("actions", command, "99")
    assert missing.exit_code == 5
    assert missing.stderr == (
        "fout: Dossier 99 bestaat niet of is niet met u gedeeld; `gbvs actions list` "
        "toont de dossiers die u mag lezen\n"
    )
    english = run_cli("actions", command, "99", "--lang", "en")
    assert english.exit_code == 5
    assert english.stderr == (
        "error: early-action case 99 does not exist or is not shared with you; `gbvs actions list` shows "
        "the cases you may read\n"
    )


class _ClosedPipe(io.StringIO):
    """A stream whose reader went away (``gbvs ... 2>&1 | head -1``): every write fails."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize(
    ("args", "code"), [(["watchlist", "--by", "foo"], 2), (["watchlist", "--region", "atlantis"], 4)]
)
def test_a_failure_keeps_its_exit_code_when_its_reader_went_away(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int
) -> None:
    """`gbvs watchlist --by foo 2>&1 | head -1` exited 0: the closed pipe while the usage error was shown
    counted as a reader that stopped early (which is exit 0 only for output, not for a failure)."""
    monkeypatch.setattr(sys, "stderr", _ClosedPipe())
    monkeypatch.setattr(sys, "argv", ["gbvs", *args])
    mask = os.umask(0o022)  # run() makes new files private; give the other tests the mask back
    try:
        with pytest.raises(SystemExit) as ended:
            run_main()
    finally:
        os.umask(mask)
    assert ended.value.code == code
