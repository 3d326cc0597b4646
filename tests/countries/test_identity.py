"""Country identity: ISO3 <-> Gleditsch-Ward codes by year, names, crosswalks (gbvs.countries)."""

from __future__ import annotations

import pytest

from gbvs import countries
from gbvs.countries import gwcode_of
from gbvs.countries.crosswalks import cow_to_gw, polity_to_gw, recode
from gbvs.errors import NotFoundError


@pytest.mark.parametrize(
    ("iso3", "year", "gwcode"),
    [
        pytest.param("YEM", None, 678, id="yemen-not-south-yemen-680"),
        pytest.param("YEM", 1980, 678, id="yemen-arab-republic"),
        pytest.param("VNM", None, 816, id="vietnam-not-south-vietnam-817"),
        pytest.param("CZE", 1980, 315, id="czechoslovakia"),
        pytest.param("CZE", 1993, 316, id="czechia"),
        pytest.param("DEU", 1930, 255, id="germany-before-1945"),
        pytest.param("DEU", 2020, 260, id="germany-continues-260"),
        pytest.param("SRB", 2000, 345, id="yugoslavia"),
        pytest.param("SRB", 2006, 340, id="serbia"),
        pytest.param("SDN", 2000, 625, id="sudan"),
        pytest.param("SSD", 2011, 626, id="south-sudan"),
        pytest.param("mli", None, 432, id="case-insensitive"),
    ],
)
def test_gleditsch_ward_code_by_year(iso3: str, year: int | None, gwcode: int) -> None:
    assert countries.gwcode(iso3, year) == gwcode


def test_iso3_of_a_gleditsch_ward_code() -> None:
    assert countries.iso3_of(678) == "YEM"
    assert countries.iso3_of(680) is None  # South Yemen has no ISO3 of a current country
    assert countries.iso3_of(315, 1990) == "CZE" and countries.iso3_of(315, 2000) is None
    assert countries.iso3_of(265) is None  # the GDR


def test_unknown_codes_are_errors_naming_them() -> None:
    with pytest.raises(NotFoundError, match=r"'MLX'.*use the country's ISO3 code"):
        countries.gwcode("MLX")
    with pytest.raises(NotFoundError, match=r"SSD \(South Sudan\) has no Gleditsch-Ward code in 2005"):
        countries.gwcode("SSD", 2005)
    with pytest.raises(NotFoundError, match="no Gleditsch-Ward code"):
        countries.gwcode("PSE")  # Palestine: known, but no GW state


def test_names_come_from_cldr_in_both_languages() -> None:
    assert (countries.name("YEM", "nl"), countries.name("YEM", "en")) == ("Jemen", "Yemen")
    assert countries.name("GBR", "nl") == "Verenigd Koninkrijk"  # ISO2 cell holds a pattern ^GB$|^UK$
    assert countries.name("XKX", "nl") == "Kosovo"
    assert countries.name_of_gwcode(678, "nl") == "Jemen"
    assert countries.name_of_gwcode(680) is None


@pytest.mark.parametrize(
    ("iso3", "lang", "shown"),
    [
        ("COD", "en", "DR Congo"),  # CLDR: "Congo - Kinshasa"
        ("COG", "en", "Republic of the Congo"),
        ("COG", "nl", "Congo-Brazzaville"),  # CLDR's Dutch name is the one Dutch texts use
        ("BIH", "en", "Bosnia and Herzegovina"),  # CLDR: "Bosnia & Herzegovina"
        ("MMR", "nl", "Myanmar"),  # CLDR: "Myanmar (Birma)"
    ],
)
def test_names_are_those_policy_texts_use_where_cldr_abbreviates(iso3: str, lang: str, shown: str) -> None:
    assert countries.name(iso3, lang) == shown


def test_one_current_code_per_country_and_no_code_twice() -> None:
    pairs = countries.iso3_to_gwcode()
    assert len(set(pairs.values())) == len(pairs)
    assert 678 in countries.continent_members()["Asia"]


def test_crosswalks_recode_within_their_years() -> None:
    assert recode(polity_to_gw(), 679, 1995) == 678 and recode(polity_to_gw(), 679, 1980) == 679
    assert recode(cow_to_gw(), 345, 2006) == 340 and recode(cow_to_gw(), 345, 2005) == 345


# issue 12, fix 10: what a user types for a country, in the CLI as in the web
@pytest.mark.parametrize("typed", ["SYR", "syr", " Syr ", "652", 652])
def test_gwcode_of_reads_iso3_in_any_case_or_a_gw_code(typed: str | int) -> None:
    assert gwcode_of(typed) == 652


def test_gwcode_of_names_the_fix_for_a_malformed_or_unknown_code() -> None:
    with pytest.raises(
        NotFoundError, match=r"neither an ISO3 code nor a Gleditsch-Ward code; give e\.g\. SYR"
    ):
        gwcode_of("Syria")
    with pytest.raises(NotFoundError, match=r"'xyz' is not an ISO 3166-1 alpha-3 code"):
        gwcode_of("xyz")
