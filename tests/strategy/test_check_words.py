"""``gbvs strategy check`` lists a broken folder's problems in the reader's language: Dutch by default,
English with ``--lang en``; each names the file, the entry, the value found and the fix (exit 4)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gbvs.config import Settings
from gbvs.errors import StrategyError

Edit = Callable[[str, str, str], Path]
Run = Callable[..., Any]


def _refused(run_cli: Run, folder: Path, *args: str) -> str:
    result = run_cli("strategy", "check", str(folder), *args)
    assert result.exit_code == StrategyError.exit_code, result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    return str(result.stderr)


def test_a_dangling_reference_in_dutch_and_english(
    settings: Settings, run_cli: Run, strategy_copy: Path, edit: Edit
) -> None:
    goals = edit("goals.yaml", "    threats: [3]\n", "    threats: [9]\n")  # goal 8
    dutch = _refused(run_cli, strategy_copy)
    assert dutch.startswith(
        f"fout: de strategiegegevens in {strategy_copy} zijn ongeldig (1 probleem/problemen):"
    )
    assert (
        f"\n  - {goals}: onderdeel goals[7].threats: waarde 9: doel 8: verwijst naar iets dat niet bestaat; "
        "oplossing: gebruik een van 1, 2, 3, 4, 5, 6 (vastgelegd in threats.yaml)"
    ) in dutch
    english = _refused(run_cli, strategy_copy, "--lang", "en")
    assert english.startswith(f"error: the strategy data in {strategy_copy} is invalid (1 problem(s)):")
    assert (
        "entry goals[7].threats: value 9: goal 8: refers to something that does not exist; "
        "fix: use one of 1, 2, 3, 4, 5, 6 (defined in threats.yaml)"
    ) in english


def test_a_wrong_gleditsch_ward_code_in_dutch(
    settings: Settings, run_cli: Run, strategy_copy: Path, edit: Edit
) -> None:
    edit("countries.yaml", "iso3: YEM}", "iso3: YEM, gwcode: 680}")
    dutch = _refused(run_cli, strategy_copy)
    assert (
        "countries.yaml: onderdeel countries[7].gwcode: waarde 680: is niet de Gleditsch-Ward-code van YEM "
        "in "
        "2022 (gbvs.countries heeft 678); oplossing: laat gwcode weg (die volgt uit de ISO3-code) of "
        "gebruik 678"
    ) in dutch


@pytest.mark.parametrize(
    ("file", "old", "new", "dutch"),
    [
        pytest.param(
            "goals.yaml",
            "    pillar: versterken\n",
            "    pilar: versterken\n",
            "onderdeel goals[10].pillar: waarde (ontbreekt): verplicht; deze waarde ontbreekt; "
            "oplossing: voeg het veld 'pillar' toe",
            id="missing-field",
        ),
        pytest.param(
            "goals.yaml",
            "    pillar: versterken\n",
            "    pilar: versterken\n",
            "onderdeel goals[10].pilar: waarde 'versterken': onbekend veld; dit veld hoort hier niet; "
            "oplossing: verwijder 'pilar' of verbeter de spelling",
            id="unknown-field",
        ),
        pytest.param(
            "strategy.yaml",
            "    end: 2022\n",
            "    end: twenty\n",
            "onderdeel strategy.period.end: waarde 'twenty': verwacht een geheel getal, deze tekst is geen "
            "geheel getal; oplossing: geef een geheel getal",
            id="not-a-number",
        ),
        pytest.param(
            "trends.yaml",
            "trends:",
            "trend:",
            "trends.yaml: onderdeel (hoogste niveau): waarde ['trend']: verwacht één sleutel 'trends'; "
            "oplossing: zet alles onder één sleutel 'trends:' op het hoogste niveau",
            id="top-level",
        ),
    ],
)
def test_a_broken_field_in_dutch(
    settings: Settings,
    run_cli: Run,
    strategy_copy: Path,
    edit: Edit,
    file: str,
    old: str,
    new: str,
    dutch: str,
) -> None:
    edit(file, old, new)
    said = _refused(run_cli, strategy_copy)
    assert dutch in said, said


def test_a_period_that_ends_before_it_starts_in_dutch(
    settings: Settings, run_cli: Run, strategy_copy: Path, edit: Edit
) -> None:
    edit("strategy.yaml", "    end: 2022\n", "    end: 2017\n")
    said = _refused(run_cli, strategy_copy)
    assert "de periode eindigt (2017) voordat ze begint (2018)" in said, said
    assert "period ends (2017) before it starts (2018)" in _refused(run_cli, strategy_copy, "--lang", "en")


def test_a_missing_file_and_a_yaml_error_in_dutch(
    settings: Settings, run_cli: Run, strategy_copy: Path, edit: Edit
) -> None:
    (strategy_copy / "frameworks.yaml").unlink()
    edit("drivers.yaml", "drivers:", "drivers:\n  - id: [unclosed")
    said = _refused(run_cli, strategy_copy)
    assert (
        "frameworks.yaml: onderdeel (bestand): waarde (ontbreekt): het bestand ontbreekt; oplossing: zet "
        "frameworks.yaml terug (sleutel 'frameworks:')"
    ) in said
    assert (
        "drivers.yaml: onderdeel regel " in said
        and ": fout in de YAML-opbouw; oplossing: verbeter de YAML" in said
    )
