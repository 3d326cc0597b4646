"""V-Dem ``country_text_id`` -> Gleditsch-Ward code, with the known exceptions (issue 11)."""

from __future__ import annotations

import pytest

from gbvs.countries.crosswalks import vdem_gwcode
from gbvs.errors import NotFoundError


@pytest.mark.parametrize(
    ("text_id", "year", "gwcode"),
    [
        ("DEU", 1985, 260),  # the Federal Republic, continued by unified Germany
        ("DEU", 1991, 260),
        ("DDR", 1985, 265),  # the GDR has no ISO3 code of a current country
        ("YEM", 1989, 678),  # V-Dem's Yemen is North Yemen before 1990: 678 throughout, never 680
        ("YEM", 1990, 678),
        ("YMD", 1989, 680),  # South Yemen
        ("VNM", 1970, 816),
        ("VDR", 1970, 817),  # South Vietnam
        ("SRB", 2005, 345),  # Yugoslavia / Serbia and Montenegro
        ("SRB", 2006, 340),
        ("SDN", 2010, 625),
        ("SDN", 2012, 625),
        ("SSD", 2011, 626),
        ("CZE", 1992, 315),
        ("CZE", 1993, 316),
    ],
)
def test_vdem_units_get_the_gleditsch_ward_code_of_their_year(text_id: str, year: int, gwcode: int) -> None:
    assert vdem_gwcode(text_id, year) == gwcode


@pytest.mark.parametrize("text_id", ["PSE", "PSG", "SML", "ZZB", "HKG"])
def test_territories_have_no_gleditsch_ward_code(text_id: str) -> None:
    # Palestine/West Bank and Gaza, Somaliland, Zanzibar, Hong Kong: part of another state or none in GW
    assert vdem_gwcode(text_id, 2015) is None


def test_south_sudan_before_independence_has_no_code() -> None:
    assert vdem_gwcode("SSD", 2010) is None


def test_an_unknown_text_id_is_refused_with_the_fix() -> None:
    with pytest.raises(NotFoundError, match=r"'XYZ'.*ISO3"):
        vdem_gwcode("XYZ", 2000)
