"""Broken strategy files are refused with a message naming file, entry, value and fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gbvs.config import Settings
from gbvs.errors import StrategyError
from gbvs.strategy import load_strategy_from

Edit = Callable[[str, str, str], Path]


def _refusal(folder: Path) -> str:
    with pytest.raises(StrategyError) as caught:
        load_strategy_from(folder)
    return str(caught.value)


def test_dangling_goal_cross_reference(strategy_copy: Path, edit: Edit) -> None:
    path = edit("goals.yaml", "    threats: [3]\n", "    threats: [9]\n")  # goal 8
    message = _refusal(strategy_copy)
    assert str(path) in message
    assert "entry goals[7].threats" in message
    assert "value 9" in message
    assert "goal 8" in message
    assert "fix: use one of 1, 2, 3, 4, 5, 6 (defined in threats.yaml)" in message


def test_dangling_see_also_and_driver(strategy_copy: Path, edit: Edit) -> None:
    edit("goals.yaml", "see_also: [2, 7, 10]", "see_also: [2, 7, 14]")
    edit(
        "goals.yaml", "drivers: [climate_change, resource_scarcity]", "drivers: [climate, resource_scarcity]"
    )
    message = _refusal(strategy_copy)
    assert "entry goals[0].see_also: value 14" in message
    assert "entry goals[8].drivers: value 'climate'" in message
    assert "(2 problem(s))" in message


def test_unknown_iso3_code(strategy_copy: Path, edit: Edit) -> None:
    path = edit("countries.yaml", "iso3: MLI}", "iso3: MLX}")
    message = _refusal(strategy_copy)
    assert f"{path}: entry countries[19].iso3: value 'MLX'" in message
    assert "fix: use the country's ISO3 code" in message
    # the regions and goals that named MLI now dangle too, each reported
    assert "regions.yaml: entry regions[2].members: value 'MLI'" in message
    assert "goals.yaml: entry goals[10].places[1].country: value 'MLI'" in message


def test_wrong_gleditsch_ward_code(strategy_copy: Path, edit: Edit) -> None:
    edit("countries.yaml", "iso3: YEM}", "iso3: YEM, gwcode: 680}")
    message = _refusal(strategy_copy)
    assert "countries.yaml: entry countries[7].gwcode: value 680" in message
    assert "fix: leave gwcode out (it is derived from the ISO3 code) or use 678" in message


def test_country_that_is_no_state_in_the_period(strategy_copy: Path, edit: Edit) -> None:
    edit("strategy.yaml", "start: 2018", "start: 2005")
    edit("strategy.yaml", "end: 2022", "end: 2008")
    message = _refusal(strategy_copy)
    assert "countries.yaml: entry countries[29].iso3: value 'SSD'" in message  # South Sudan: 2011
    assert "countries.yaml: entry countries[37].iso3: value 'SRB'" in message  # 345, then 340 in 2006


def test_empty_text(strategy_copy: Path, edit: Edit) -> None:
    path = edit("threats.yaml", "      en: Cyber threats\n", '      en: "   "\n')
    message = _refusal(strategy_copy)
    assert f"{path}: entry threats[1].title.en: value '   ': text is empty" in message
    assert "fix: write the text" in message


def test_yaml_syntax_error(strategy_copy: Path, edit: Edit) -> None:
    path = edit("pillars.yaml", "  - id: verdedigen\n    number:", "  - id: verdedigen\n   number:")
    message = _refusal(strategy_copy)
    assert str(path) in message
    assert "YAML syntax error" in message
    assert "entry line " in message
    assert "fix: correct the YAML there" in message


def test_missing_field_and_unknown_field(strategy_copy: Path, edit: Edit) -> None:
    edit("goals.yaml", "    pillar: versterken\n", "    pilar: versterken\n")
    message = _refusal(strategy_copy)
    assert "entry goals[10].pillar: value (absent): Field required; fix: add the field 'pillar'" in message
    assert "entry goals[10].pilar" in message
    assert "fix: remove 'pilar' or correct its spelling" in message


def test_goal_numbering_gap(strategy_copy: Path, edit: Edit) -> None:
    edit("goals.yaml", "  - number: 13\n", "  - number: 14\n")
    message = _refusal(strategy_copy)
    assert "goals.yaml: entry goals[*].number" in message
    assert "missing: [13]" in message
    assert "fix: renumber them consecutively from 1" in message


def test_goal_in_unknown_pillar(strategy_copy: Path, edit: Edit) -> None:
    edit("goals.yaml", "    pillar: versterken\n", "    pillar: versterk\n")
    message = _refusal(strategy_copy)
    assert "entry goals[10].pillar: value 'versterk'" in message
    assert "use one of voorkomen, verdedigen, versterken" in message


def test_threat_with_unknown_vital_interest(strategy_copy: Path, edit: Edit) -> None:
    edit("threats.yaml", "vital_interests: [economic_security]", "vital_interests: [economy]")
    message = _refusal(strategy_copy)
    assert "threats.yaml: entry threats[4].vital_interests: value 'economy'" in message
    assert "defined in vital_interests.yaml" in message


def test_region_with_unknown_part(strategy_copy: Path, edit: Edit) -> None:
    edit("regions.yaml", "parts: [north_africa,", "parts: [maghreb,")
    message = _refusal(strategy_copy)
    assert "regions.yaml: entry regions[6].parts: value 'maghreb'" in message


def test_missing_and_stray_files(strategy_copy: Path) -> None:
    (strategy_copy / "frameworks.yaml").rename(strategy_copy / "framework.yaml")
    message = _refusal(strategy_copy)
    assert "frameworks.yaml: entry (file): value (absent): the file is missing" in message
    assert "framework.yaml: entry (file)" in message
    assert "is not a strategy section file" in message


def test_wrong_top_level_key(strategy_copy: Path, edit: Edit) -> None:
    edit("trends.yaml", "\ntrends:\n", "\ntrend:\n")
    message = _refusal(strategy_copy)
    assert "trends.yaml: entry (top level): value ['trend']" in message
    assert "fix: put everything under one top-level key 'trends:'" in message


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(StrategyError) as caught:
        load_strategy_from(tmp_path / "nowhere")
    assert "does not exist; give a folder holding strategy.yaml" in str(caught.value)


def test_an_intact_copy_loads(strategy_copy: Path) -> None:
    assert load_strategy_from(strategy_copy).id == "gbvs-2018-2022"


def test_an_impossible_date_is_a_problem_not_a_traceback(
    strategy_copy: Path, edit: Edit, settings: Settings, run_cli: Callable[..., Any]
) -> None:
    """YAML reads ``2017-13-45`` as a date and PyYAML raises a bare ValueError (no month 13): ``gbvs
    strategy check`` ended in a traceback instead of naming the file and the fix."""
    path = edit("strategy.yaml", "    end: 2022\n", "    end: 2022\n  adopted_on: 2017-13-45\n")
    result = run_cli("strategy", "check", str(strategy_copy))
    assert result.exit_code == StrategyError.exit_code, result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr and "month must be in 1..12" in result.stderr
    assert (
        "oplossing: schrijf een datum als JJJJ-MM-DD, of zet de waarde tussen aanhalingstekens"
        in result.stderr
    )
