"""What a user types as a country: codes and names in Dutch or English (issue 12, fix 10)."""

from __future__ import annotations

import pytest

from gbvs import countries
from gbvs.countries import gwcode_typed, iso3_typed
from gbvs.errors import NotFoundError


@pytest.mark.parametrize(
    ("typed", "iso3", "gwcode"),
    [
        ("SYR", "SYR", 652),
        ("syr", "SYR", 652),
        ("652", "SYR", 652),
        ("Syria", "SYR", 652),
        ("Syrië", "SYR", 652),
        ("  syrie ", "SYR", 652),  # accents and case ignored
        ("Verenigde Staten", "USA", 2),
        ("Duitsland", "DEU", 260),  # unified Germany keeps the Federal Republic's code
        ("Jemen", "YEM", 678),
        ("Russian Federation", "RUS", 365),  # country_converter's pattern, not a CLDR name
        ("Zuid-Soedan", "SSD", 626),
    ],
)
def test_codes_and_names_give_the_same_country(typed: str, iso3: str, gwcode: int) -> None:
    assert iso3_typed(typed) == iso3
    assert gwcode_typed(typed) == gwcode


def test_an_iso3_code_without_a_gleditsch_ward_code_is_kept() -> None:
    assert iso3_typed("PSE") == "PSE"
    assert iso3_typed("Palestinian Territories") == "PSE"
    with pytest.raises(NotFoundError, match=r"PSE .* has no Gleditsch-Ward code"):
        gwcode_typed("PSE")


@pytest.mark.parametrize("typed", ["Narnia", "Syr1a", "xx"])
def test_an_unknown_country_names_the_value_and_the_fix(typed: str) -> None:
    with pytest.raises(NotFoundError) as raised:
        iso3_typed(typed)
    assert repr(typed) in str(raised.value)
    assert "give e.g. SYR, 652, Syria or Syrië" in str(raised.value)


@pytest.mark.parametrize(
    ("code", "lang", "expected"),
    [
        ("NLD", "nl", "Nederland"),  # a country: its CLDR name, as everywhere else
        ("CYN", "nl", "Noord-Cyprus"),  # Natural Earth outlines without an ISO3 code
        ("KAS", "nl", "Siachengletsjer"),
        ("KAS", "en", "Siachen Glacier"),
        ("SOL", "nl", "Somaliland"),
        ("ZZZ", "nl", None),  # neither knows it: the map keeps the outline's own name
    ],
)
def test_a_map_outline_is_named_in_the_page_language(code: str, lang: str, expected: str | None) -> None:
    assert countries.outline_name(code, lang) == expected
