"""``gbvs strategy ...`` in-process: text in nl/en, JSON that round-trips, clear not-found errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gbvs.config import Settings
from gbvs.strategy import Strategy
from gbvs.strategy.model import Driver, Goal, Region, Threat

Run = Callable[..., Any]


def _json(run_cli: Run, *args: str) -> Any:
    result = run_cli("strategy", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_goals_json_lists_thirteen_goals(settings: Settings, run_cli: Run, shipped: Strategy) -> None:
    data = _json(run_cli, "goals")
    assert data["strategy_id"] == "gbvs-2018-2022"
    assert [g["number"] for g in data["goals"]] == list(range(1, 14))
    assert tuple(Goal.model_validate(g) for g in data["goals"]) == shipped.goals


def test_goals_of_one_pillar(settings: Settings, run_cli: Run) -> None:
    data = _json(run_cli, "goals", "--pillar", "voorkomen")
    assert [g["number"] for g in data["goals"]] == [1, 2, 3, 4]
    text = run_cli("strategy", "goals", "--pillar", "versterken", "--lang", "en")
    assert text.exit_code == 0
    assert text.stdout.splitlines() == [
        "11. [Strengthen] Strengthening the international legal order",
        "12. [Strengthen] Strengthening international security cooperation",
        "13. [Strengthen] Robust and balanced integrated border management and control",
    ]


def test_threat_3_in_english_is_foreign_interference(settings: Settings, run_cli: Run) -> None:
    result = run_cli("strategy", "threat", "3", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first == "Threat 3 (§3.3): Unwanted foreign interference and subversion"
    assert "The Netherlands is increasingly faced with unwanted foreign interference." in result.stdout
    assert "Addressed by: goals 5, 6, 8, 11, 12" in result.stdout
    assert "inmenging" not in result.stdout


def test_language_defaults_to_the_setting(
    settings: Settings, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("strategy", "threat", "3").stdout.startswith("Dreiging 3 (§3.3): Ongewenste buitenlandse")
    monkeypatch.setenv("GBVS_LANGUAGE", "en")
    assert run_cli("strategy", "threat", "3").stdout.startswith("Threat 3 (§3.3): Unwanted foreign")


def test_unsupported_language_is_refused(settings: Settings, run_cli: Run) -> None:
    result = run_cli("strategy", "show", "--lang", "fr")
    assert result.exit_code == 2  # a usage error, as the README says (issue 12, fix 10)
    assert "'fr' is geen van 'nl', 'en'" in result.stderr and "--lang" in result.stderr


def test_goal_detail_in_dutch(settings: Settings, run_cli: Run) -> None:
    result = run_cli("strategy", "goal", "2", "--lang", "nl")
    assert result.exit_code == 0
    assert result.stdout.startswith("Doel 2: Wegnemen voedingsbodem voor terrorisme\nPijler: Voorkomen (4.1)")
    flat = " ".join(result.stdout.split())
    assert "Noordoost-Nigeria (NGA/GW 475)" in flat
    assert "grens tussen Tunesië en Libië (TUN/GW 616, LBY/GW 620)" in flat


def test_unknown_goal_and_pillar_are_not_found(settings: Settings, run_cli: Run) -> None:
    goal = run_cli("strategy", "goal", "14")
    assert goal.exit_code == 5
    assert "goal 14 does not exist" in goal.stderr
    assert "valid values: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13" in goal.stderr
    pillar = run_cli("strategy", "goals", "--pillar", "preventie")
    assert pillar.exit_code == 5
    assert "valid values: voorkomen, verdedigen, versterken" in pillar.stderr
    threat = run_cli("strategy", "threat", "7")
    assert threat.exit_code == 5
    unknown = run_cli("strategy", "show", "--strategy", "gbvs-2030")
    assert unknown.exit_code == 5
    assert "wordt niet meegeleverd; beschikbaar: gbvs-2018-2022" in unknown.stderr


def test_show_json_round_trips_to_the_strategy(settings: Settings, run_cli: Run, shipped: Strategy) -> None:
    data = _json(run_cli, "show")
    assert Strategy.model_validate(data) == shipped


def test_show_text_lists_pillars_goals_threats_drivers(settings: Settings, run_cli: Run) -> None:
    lines = run_cli("strategy", "show", "--lang", "en").stdout.splitlines()
    assert lines[0] == "Integrated International Security Strategy 2018-2022"
    assert "  4.2 Defend" in lines
    assert "    13. Robust and balanced integrated border management and control" in lines
    assert "  3.6 Threat of chemical, biological, radiological and nuclear (CBRN) means" in lines
    assert "  - Position of women (early-warning indicator) [position_of_women] → goals 1" in lines


def test_show_text_says_how_the_reporting_interval_is_read(settings: Settings, run_cli: Run) -> None:
    """Chapter 5's "tweejaarlijks" with GBVS's reading under the reporting line (strategy.yaml's note)."""
    dutch = " ".join(run_cli("strategy", "show").stdout.split())
    assert "rapportage: elke 2 jaar aan de Tweede Kamer" in dutch and "halfjaarlijks" in dutch
    assert "GBVS reads once every two years" in " ".join(
        run_cli("strategy", "show", "--lang", "en").stdout.split()
    )


def test_goal_and_threat_json_round_trip(settings: Settings, run_cli: Run, shipped: Strategy) -> None:
    assert Goal.model_validate(_json(run_cli, "goal", "8")["goal"]) == shipped.goal(8)
    threat = _json(run_cli, "threat", "3")
    assert Threat.model_validate(threat["threat"]) == shipped.threat(3)
    assert threat["goals"] == [5, 6, 8, 11, 12]


def test_drivers_json_links_each_driver_to_its_goals(
    settings: Settings, run_cli: Run, shipped: Strategy
) -> None:
    items = _json(run_cli, "drivers")["drivers"]
    assert len(items) == 8
    for item in items:
        driver = Driver.model_validate(item["driver"])
        assert driver == shipped.driver(driver.id)
        assert item["goals"] == [g.number for g in shipped.goals_for_driver(driver.id)]
        assert item["goals"]


def test_regions_json_has_members_with_gwcodes(settings: Settings, run_cli: Run, shipped: Strategy) -> None:
    items = {item["region"]["id"]: item for item in _json(run_cli, "regions")["regions"]}
    assert Region.model_validate(items["sahel"]["region"]) == shipped.region("sahel")
    sahel = {(c["iso3"], c["gwcode"]) for c in items["sahel"]["countries"]}
    assert ("MLI", 432) in sahel
    assert len(items["ring_around_europe"]["countries"]) == len(
        shipped.countries_in_region("ring_around_europe")
    )
    text = run_cli("strategy", "regions", "--lang", "en").stdout
    assert "Western Balkans [western_balkans]" in text
    assert "Mali (MLI/432)" in text
    assert "Mauritania* (MRT/435)" in text


def test_list_and_help(settings: Settings, run_cli: Run) -> None:
    assert _json(run_cli, "list") == {"strategies": ["gbvs-2018-2022"]}
    commands = (
        "show",
        "goal",
        "goals",
        "threat",
        "threats",
        "drivers",
        "regions",
        "instruments",
        "frameworks",
    )
    for command in (*commands, "check", "list"):
        result = run_cli("strategy", command, "--help")
        assert result.exit_code == 0, command
        assert "--format" in result.stdout


def test_goals_filters(settings: Settings, run_cli: Run) -> None:
    def numbers(*args: str) -> list[int]:
        return [g["number"] for g in _json(run_cli, "goals", *args)["goals"]]

    assert numbers("--country", "MLI") == [1, 11]
    assert numbers("--country", "432") == [1, 11]
    assert numbers("--driver", "climate_change", "--threat", "5") == [9, 12]
    assert numbers("--instrument", "sanctions") == [11]
    assert numbers("--pillar", "verdedigen", "--threat", "1") == [7, 10]
    unknown = run_cli("strategy", "goals", "--country", "ATA")
    assert unknown.exit_code == 5
    assert "country 'ATA' does not exist" in unknown.stderr


def test_threats_instruments_frameworks_lists(settings: Settings, run_cli: Run, shipped: Strategy) -> None:
    threats = _json(run_cli, "threats")["threats"]
    assert [Threat.model_validate(t["threat"]) for t in threats] == list(shipped.threats)
    assert threats[4]["goals"] == [9, 12]
    instruments = {i["instrument"]["id"]: i["goals"] for i in _json(run_cli, "instruments")["instruments"]}
    assert instruments["export_control"] == [4]
    frameworks = {f["framework"]["id"]: f["goals"] for f in _json(run_cli, "frameworks")["frameworks"]}
    assert frameworks["defensienota"] == [5, 11]
    text = run_cli("strategy", "threats", "--lang", "en").stdout
    assert "3.5 Threats to vital economic processes [vital_economic_processes] → goals 9, 12" in text


def test_check_a_folder(settings: Settings, run_cli: Run, strategy_copy: Path) -> None:
    ok = run_cli("strategy", "check", str(strategy_copy))
    assert ok.exit_code == 0
    assert ok.stdout.strip() == (
        "in orde: gbvs-2018-2022: 3 pijlers, 13 doelen, 6 dreigingen, 8 drijvers, 8 regio's"
    )
    english = run_cli("strategy", "check", str(strategy_copy), "--lang", "en")
    assert (
        english.stdout.strip() == "ok: gbvs-2018-2022: 3 pillars, 13 goals, 6 threats, 8 drivers, 8 regions"
    )
    goals = strategy_copy / "goals.yaml"
    goals.write_text(
        goals.read_text(encoding="utf-8").replace("see_also: [4]", "see_also: [6]"), encoding="utf-8"
    )
    bad = run_cli("strategy", "check", str(strategy_copy))
    assert bad.exit_code == 4
    assert (
        f"{goals}: onderdeel goals[5].see_also: waarde 6: doel 6: verwijst naar iets dat niet bestaat"
        in bad.stderr
    )


# issue 12, fix 10: ids in any case, pillar names in both languages, countries as in the web
def test_pillars_are_found_by_id_or_name_in_either_language(settings: Settings, run_cli: Run) -> None:
    by_id = _json(run_cli, "goals", "--pillar", "voorkomen")["goals"]
    assert by_id
    for spelling in ("prevent", "Prevent", "VOORKOMEN", "Voorkomen"):
        assert _json(run_cli, "goals", "--pillar", spelling)["goals"] == by_id, spelling


def test_regions_drivers_and_countries_in_any_case(settings: Settings, run_cli: Run) -> None:
    sahel = _json(run_cli, "goals", "--country", "MLI")["goals"]
    assert sahel and _json(run_cli, "goals", "--country", "mli")["goals"] == sahel
    assert _json(run_cli, "goals", "--country", "432")["goals"] == sahel
    driver = _json(run_cli, "goals", "--driver", "climate_change")["goals"]
    assert _json(run_cli, "goals", "--driver", "Climate_Change")["goals"] == driver


def test_countries_by_their_name_in_either_language(settings: Settings, run_cli: Run) -> None:
    sahel = _json(run_cli, "goals", "--country", "MLI")["goals"]
    for spelling in ("Mali", "mali", " MALI "):
        assert _json(run_cli, "goals", "--country", spelling)["goals"] == sahel, spelling
    syria = _json(run_cli, "goals", "--country", "SYR")["goals"]
    assert syria and _json(run_cli, "goals", "--country", "Syrië")["goals"] == syria
    assert _json(run_cli, "goals", "--country", "syrie")["goals"] == syria
    unknown = run_cli("strategy", "goals", "--country", "Narnia")
    assert unknown.exit_code == 4  # a wrong value in an option, as the API's 400
    assert (
        "'Narnia' is geen ISO3-code, Gleditsch-Ward-code of Nederlandse of Engelse landnaam" in unknown.stderr
    )
    assert "Syrië" in unknown.stderr  # the fix names an example in both languages


def test_trends_and_vital_interests_in_both_languages(settings: Settings, run_cli: Run) -> None:
    trends = run_cli("strategy", "trends")
    assert trends.exit_code == 0, trends.stderr
    assert trends.stdout.startswith("Trends (hoofdstuk 2)") and "2.1 Multi-orde wereld" in trends.stdout
    assert "2.1 Multi-order world" in run_cli("strategy", "trends", "--lang", "en").stdout
    data = _json(run_cli, "trends")
    assert len(data["trends"]) == 4
    around_europe = next(t for t in data["trends"] if t["trend"]["id"] == "instability_around_europe")
    assert "climate_change" in around_europe["drivers"] and around_europe["goals"]
    interests = run_cli("strategy", "interests")
    assert interests.exit_code == 0 and "territoriale veiligheid [territorial_security]" in interests.stdout
    assert "Geraakt door dreigingen" in interests.stdout
    assert len(_json(run_cli, "interests")["vital_interests"]) == 6
