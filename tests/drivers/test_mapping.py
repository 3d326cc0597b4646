"""The shipped driver mapping: valid, complete over the drivers, consistent with the panel columns."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gbvs.drivers import drivers_without_indicators
from gbvs.drivers.mapping import DRIVER_IDS, load_mapping, parse_mapping
from gbvs.drivers.units import UNIT_NAMES, unit_name
from gbvs.errors import InputError

PREFIXES = {"vdem": "vdem_", "polity5": "polity_", "epr_country_year": "epr_", "gapminder": "gm_"}
STRATEGY_DRIVERS = Path(__file__).resolve().parents[2] / "src/gbvs/strategy/data/gbvs-2018-2022/drivers.yaml"


def test_every_driver_has_at_least_one_indicator() -> None:
    assert drivers_without_indicators() == []
    assert {item.driver for item in load_mapping()} == set(DRIVER_IDS)


def test_column_prefix_names_the_source() -> None:
    for item in load_mapping():
        prefix = PREFIXES.get(item.source_table)
        if prefix is not None:
            derived = item.column == "polity_factional"
            assert derived or item.column == prefix + item.source_column, item.column


def test_driver_ids_are_those_of_the_strategy() -> None:
    if not STRATEGY_DRIVERS.is_file():
        pytest.skip("strategy drivers file not present")
    ids = {entry["id"] for entry in yaml.safe_load(STRATEGY_DRIVERS.read_text(encoding="utf-8"))["drivers"]}
    assert set(DRIVER_IDS) - {"conflict_history"} == ids


ENTRY = """
  - column: {column}
    driver: {driver}
    direction: {direction}
    source_table: vdem
    source_column: x
    unit: u
    label: {{nl: a, en: b}}
    description: {{nl: a, en: b}}
"""


def test_bad_direction_is_refused_with_the_entry_named() -> None:
    text = "indicators:" + ENTRY.format(column="vdem_x", driver="polarisation", direction=2)
    with pytest.raises(InputError, match=r"indicators\.0\.direction"):
        parse_mapping(text)


def test_unknown_driver_is_refused() -> None:
    text = "indicators:" + ENTRY.format(column="vdem_x", driver="weather", direction=1)
    with pytest.raises(InputError, match="driver"):
        parse_mapping(text)


def test_duplicate_columns_are_refused() -> None:
    entry = ENTRY.format(column="vdem_x", driver="polarisation", direction=1)
    with pytest.raises(InputError, match="vdem_x"):
        parse_mapping("indicators:" + entry + entry)


def test_every_unit_of_the_mapping_is_named_in_dutch_and_english() -> None:
    """The pages and the progress report show units through gbvs.drivers.units (never the stored English
    in a Dutch text)."""
    units = {item.unit for item in load_mapping()}
    assert not sorted(units - set(UNIT_NAMES)), "add these units to gbvs/drivers/units.py"
    assert unit_name("% per year", "nl") == "% per jaar" and unit_name("% per year", "en") == "% per year"


def test_population_shares_show_enough_decimals_for_small_groups() -> None:
    """Serbia's excluded share of 0.004 must not be shown as 0.00 (driver review)."""
    shares = [item for item in load_mapping() if item.unit == "share of population 0-1"]
    assert shares and all(item.decimals >= 3 for item in shares)


def test_indices_published_with_three_decimals_are_shown_with_three() -> None:
    """V-Dem publishes its indices to three decimals (Sudan 2023 vertical accountability 0.175): the
    country page showed "0,18" beside the driver monitor's "0,175" (driver review)."""
    vdem = [item for item in load_mapping() if item.source_table in ("vdem", "vdem_v14")]
    assert len(vdem) == 8 and all(item.decimals == 3 for item in vdem)
    ratio = next(item for item in load_mapping() if item.unit == "ratio (1 = equal)")
    assert ratio.decimals == 3  # Gapminder's girls-to-boys ratio (0.89308): 0,89 hid 0,893 vs 0,887
    # WDI's gender parity index of gross enrolment ratios, not a head count of girls per boy
    assert "gross enrolment" in ratio.description.en and "bruto-inschrijving" in ratio.description.nl


def test_every_disaster_count_says_a_year_without_a_disaster_counts_zero() -> None:
    """EM-DAT (via Gapminder) files a year without a recorded disaster as 0, not as missing: each of its
    counts says so, not only the drought count."""
    counts = [item for item in load_mapping() if item.source_column.endswith("_affected_annual_number")]
    assert len(counts) == 3
    for item in counts:
        assert "telt als 0" in item.description.nl and "counts 0" in item.description.en, item.column


STALE_YEARS = 5
"""A Gapminder series ending this many years or more before the last year of the panel (2023) is stale."""


@pytest.mark.integration
def test_a_stale_gapminder_series_says_its_last_year(mirror: Path) -> None:
    """Four of the seven indicators of the position of women end between 2005 and 2015 in the mirror
    (age at first marriage, maternal mortality, teen fertility, women's schooling): the monitor showed
    them without saying that no later year exists. Each series that stopped says its last year."""
    import pandas as pd

    columns = [item.source_column for item in load_mapping() if item.source_table == "gapminder"]
    wide = pd.read_parquet(
        mirror / "gapminder" / "systema_globalis_selected_wide.parquet", columns=["time", *columns]
    )
    stale = []
    for item in load_mapping():
        if item.source_table != "gapminder":
            continue
        last = int(wide.loc[wide[item.source_column].notna(), "time"].max())
        if last <= 2023 - STALE_YEARS:
            stale.append(item.column)
            assert f"tot en met {last}" in item.description.nl, item.column
            assert f"runs to {last} in this copy" in item.description.en, item.column
    assert len(stale) == 4
