"""`gbvs drivers` and `gbvs codebook` before any store exists."""

from __future__ import annotations

import json
from typing import Any

from gbvs.config import Settings
from gbvs.drivers.mapping import load_mapping


def test_drivers_without_store_lists_the_mapping(settings: Settings, run_cli: Any) -> None:
    result = run_cli("drivers", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["store_built"] is False
    assert [row["column"] for row in data["indicators"]] == [i.column for i in load_mapping()]
    assert all(row["coverage"] is None for row in data["indicators"])


def test_country_gaps_need_the_store(settings: Settings, run_cli: Any) -> None:
    result = run_cli("drivers", "--country", "652")
    assert result.exit_code == 6
    assert "gbvs ingest" in result.stderr


def test_codebook_without_store_in_dutch(settings: Settings, run_cli: Any) -> None:
    result = run_cli("codebook", "--lang", "nl")
    assert result.exit_code == 0, result.stderr
    assert "# GBVS-codeboek" in result.stdout
    assert "`onset`" in result.stdout
    assert run_cli("codebook", "--language", "nl").stdout == result.stdout  # the old spelling still works
    assert run_cli("codebook", "--lang", "fr").exit_code == 2  # a usage error


def test_the_text_list_names_the_source_not_gbvs_derived_table(settings: Settings, run_cli: Any) -> None:
    result = run_cli("drivers", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    epr_line = next(line for line in result.stdout.splitlines() if "epr_excluded_share" in line)
    assert epr_line.split()[2] == "epr"  # EPR's own table, not GBVS's epr_country_year
    assert "epr_country_year" not in result.stdout


def test_the_text_list_writes_the_share_missing_as_the_pages_do() -> None:
    """A share missing above zero but under half a percent reads "<1%" (the pages' rule), not "0%"."""
    from gbvs.cli.panels import DriverCountry, driver_lines
    from gbvs.panels.driver_coverage import IndicatorCoverage
    from gbvs.store.coverage import Coverage

    mapping = load_mapping()
    rows = [IndicatorCoverage(item, Coverage(item.column, 1990, 2023, 170, 0.004)) for item in mapping]
    for lang, missing in (("nl", "<1% ontbreekt"), ("en", "<1% missing")):
        lines = driver_lines(rows, DriverCountry(None, None, None, {}), True, lang)
        line = next(line for line in lines if line.startswith(f"  {mapping[0].column} "))
        assert line.endswith(f"1990-2023  170 {'landen' if lang == 'nl' else 'countries'}   {missing}")
