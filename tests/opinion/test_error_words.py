"""Public opinion's errors in the reader's language: the command line (Dutch by default) says what is wrong
with a poll or a responses file in Dutch, not in English; ``--lang en`` keeps the English words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gbvs.catalogues import load_catalogs
from gbvs.config import Settings
from gbvs.errors import InputError, NotFoundError, error_text
from gbvs.opinion.consultation import parse_responses
from gbvs.opinion.weighting import Trim

Run = Callable[..., Any]
SEMICOLONS = "respondent;respondent_type;consent;question;text\nr1;citizen;ja;1;Meer preventie\n"


def test_an_unknown_poll_is_said_in_dutch_on_the_command_line(settings: Settings, run_cli: Run) -> None:
    dutch = run_cli("opinion", "estimate", "onbekend", "q1")
    assert dutch.exit_code == NotFoundError.exit_code, dutch.stderr
    known = (
        "eb-64.2-nl, eb-trust-parliament-nl, pew-2013-12"  # a list a reader can copy, not Python's ['...']
    )
    assert dutch.stderr.startswith(f"fout: Onbekende peiling 'onbekend'; gebruik een van deze: {known}"), (
        dutch.stderr
    )
    assert dutch.stderr.rstrip().endswith("of geef --file en --definition."), dutch.stderr
    english = run_cli("opinion", "estimate", "onbekend", "q1", "--lang", "en")
    assert english.stderr.startswith(f"error: unknown poll 'onbekend'; use one of: {known}"), english.stderr


def test_a_semicolon_responses_file_is_refused_in_dutch_with_the_fix_in_dutch_excel_words(
    settings: Settings, run_cli: Run, tmp_path: Path
) -> None:
    """The hint at the end of the message (its own words, with Excel's menu item) is Dutch too."""
    responses, info = tmp_path / "reacties.csv", tmp_path / "consultatie.yaml"
    responses.write_text(SEMICOLONS, encoding="utf-8")
    info.write_text("slug: c1\ntitle: C\nquestions: {1: Wat vindt u?}\n", encoding="utf-8")
    args = ("opinion", "consultations", "import", "--info", str(info), "--responses", str(responses))
    dutch = run_cli(*args)
    assert dutch.exit_code == InputError.exit_code, dutch.stderr
    assert dutch.stderr.startswith(
        f"fout: {responses}: Het reactiebestand mist de kolommen ['respondent', "
    ), dutch.stderr
    assert "is gescheiden door puntkomma's: sla het bestand op als CSV met komma's" in dutch.stderr
    assert "(in Excel: 'CSV UTF-8 (door komma's gescheiden)')" in dutch.stderr
    english = run_cli(*args, "--lang", "en")
    assert "is separated by semicolons: save the file as CSV with commas" in english.stderr
    assert "(in Excel: 'CSV UTF-8 (comma delimited)')" in english.stderr


def test_the_english_text_of_a_converted_error_is_as_it_was() -> None:
    """The API's ``detail`` and the log keep the English sentence, word for word."""
    with pytest.raises(InputError) as caught:
        parse_responses(SEMICOLONS)
    assert str(caught.value).startswith(
        "responses file lacks the columns ['respondent', 'respondent_type', 'consent', 'question', 'text']; "
        "it needs ['respondent', 'respondent_type', 'consent', 'question', 'text'] (and may have 'name'); "
        "its header 'respondent;respondent_type;consent;question;text' is separated by semicolons"
    )
    with pytest.raises(InputError) as trim:
        Trim(2, 5)
    assert str(trim.value) == "trim bounds 2..5 are impossible; use 0 <= lower < 1 < upper (e.g. 0.2 and 5)"
    dutch = error_text(trim.value, load_catalogs()["nl"].gettext)
    assert (
        dutch == "Afkapgrenzen 2..5 zijn onmogelijk. Gebruik 0 <= onder < 1 < boven (bijvoorbeeld 0.2 en 5)."
    )
