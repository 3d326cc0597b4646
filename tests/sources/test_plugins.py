"""The source registry contract and the producers' own transformation rules."""

from __future__ import annotations

import pandas as pd
import pytest

from gbvs.errors import NotFoundError
from gbvs.sources.codes import carry_forward, derive_gw_states
from gbvs.sources.gapminder import INDICATORS, VINTAGE_MIN_INDICATORS, observed_vintage
from gbvs.sources.naturalearth import add_codes
from gbvs.sources.polity import drop_duplicate_years
from gbvs.sources.registry import SOURCES, get_source, source_ids, table_owner
from gbvs.sources.ucdp import explode_locations
from gbvs.sources.vdem import gw_from_cow

CONTRACT_TABLES = {
    "ucdp_acd", "ucdp_brd", "ucdp_nonstate", "ucdp_ged", "ucdp_ged_candidate", "vdem", "polity5", "epr",
    "gapminder", "gapminder_concepts", "country_codes", "gw_states", "ne_admin0", "demspaces_forecasts",
    "demspaces_cutpoints",
}  # fmt: skip


def test_registry_covers_the_store_contract_once() -> None:
    names = [table for source in SOURCES for table in source.table_names]
    assert len(names) == len(set(names))
    assert set(names) >= CONTRACT_TABLES
    assert len(source_ids()) == len(set(source_ids()))


@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.id)
def test_every_source_declares_provenance_and_checks(source: object) -> None:
    from gbvs.sources.base import Source

    assert isinstance(source, Source)
    assert source.title and source.description and source.licence and source.citation and source.homepage
    assert source.inputs or source.needs
    for schema in source.tables:
        assert schema.columns and (schema.key or schema.name == "ne_admin0")
        assert all(col.name == col.name.lower() for col in schema.columns)
    for needed in source.needs:
        assert source_ids().index(table_owner(needed).id) < source_ids().index(source.id)


def test_unknown_source_lists_the_valid_ids() -> None:
    with pytest.raises(NotFoundError, match=r"unknown source 'acled'.*ucdp_acd, ucdp_brd"):
        get_source("acled")


def test_acd_locations_are_exploded() -> None:
    acd = pd.DataFrame({"conflict_id": [1, 2], "year": [2020, 2020], "gwno_loc": ["645, 652", "652"]})
    out = explode_locations(acd)
    assert out.values.tolist() == [[1, 2020, 645], [1, 2020, 652], [2, 2020, 652]]


def test_polity_duplicates_keep_the_end_of_year_row() -> None:
    frame = pd.DataFrame({"ccode": [345, 345, 2], "year": [1991, 1991, 1991], "polity2": [-5, -7, 10]})
    kept, dropped = drop_duplicate_years(frame)
    assert dropped == 1 and kept.polity2.tolist() == [-7, 10]


def test_vdem_cow_codes_become_gleditsch_ward() -> None:
    cow = pd.Series([255, 255, 345, 345, 679, 652])
    year = pd.Series([1989, 1990, 2005, 2006, 1991, 2000])
    assert gw_from_cow(cow, year).tolist() == [255, 260, 345, 340, 678, 652]


def test_natural_earth_minus_99_joins_on_the_eh_code() -> None:
    frame = pd.DataFrame(
        {
            "ISO_A3": ["-99", "-99", "SYR", "YEM"],
            "ISO_A3_EH": ["FRA", "-99", "SYR", "YEM"],
            "ADM0_A3": ["FRA", "KOS", "SYR", "YEM"],
        }
    )
    out = add_codes(frame)
    assert out.iso3.tolist() == ["FRA", "XKX", "SYR", "YEM"]
    assert out.gwcode.tolist() == [220, 347, 652, 678]  # Yemen: 678, not country_converter's 680


def test_gw_states_are_derived_from_coverage_and_carried_forward() -> None:
    epr = pd.DataFrame({"gwid": [652], "statename": ["Syria"], "from": [2019], "to": [2020]})
    vdem = pd.DataFrame(
        {"gwcode": [652, 210], "year": [2021, 2021], "country_name": ["Syria", "Netherlands"]}
    )
    acd = pd.DataFrame({"year": [2023, 2023], "gwno_a": ["652, 678", "750, 770"], "gwno_b": [None, None]})
    states = derive_gw_states(epr, vdem, acd)
    syria = states[states.gwcode == 652].set_index("year")
    assert syria.loc[2019, "evidence"] == "epr" and syria.loc[2021, "evidence"] == "vdem"
    assert syria.loc[2022, "evidence"] == "carried_forward" and "ucdp_acd" in syria.loc[2023, "evidence"]
    assert set(states[states.year == 2023].gwcode) == {652, 210, 678, 750, 770}
    assert states[states.gwcode == 210].iso3.iloc[0] == "NLD"
    yemen = states[states.gwcode == 678].iloc[0]
    assert (yemen.iso3, yemen.country_name) == ("YEM", "Yemen")  # from gbvs.countries, not 680


def test_carry_forward_without_full_coverage_changes_nothing() -> None:
    stacked = pd.DataFrame({"gwcode": [2], "year": [2000], "name": ["USA"], "evidence": ["ucdp_acd"]})
    assert carry_forward(stacked, ("epr",)).equals(stacked)


def test_gapminder_vintage_ignores_projection_only_years() -> None:
    years = [2020, 2021, 2030]
    frame = pd.DataFrame({"geo": ["syr"] * 3, "time": years})
    for index, name in enumerate(INDICATORS):
        frame[name] = [1.0, 1.0 if index < VINTAGE_MIN_INDICATORS else None, 1.0 if index < 3 else None]
    assert observed_vintage(frame) == "2021"
