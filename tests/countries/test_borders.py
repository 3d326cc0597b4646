"""Which Gleditsch-Ward state-years hold a present-day country's territory (gbvs.countries.todays_borders)."""

from __future__ import annotations

import pytest

from gbvs import countries
from gbvs.countries.crosswalks import gapminder_to_gw, gapminder_years


@pytest.mark.parametrize(
    ("gwcode", "year", "todays"),
    [
        (260, 1970, False),  # West Germany
        (260, 1990, False),  # unified on 3 October: not all year
        (260, 1991, True),
        (678, 1986, False),  # North Yemen
        (816, 1963, False),  # North Vietnam
        (816, 1977, True),
        (365, 1987, False),  # the USSR
        (625, 1997, False),  # Sudan with South Sudan
        (625, 2012, True),
        (850, 1970, True),  # Indonesia between Western New Guinea (1963) and East Timor (1975)
        (850, 1990, False),
        (345, 1980, False),  # Yugoslavia: no present-day country carries 345
        (315, 1980, False),  # Czechoslovakia
        (316, 2000, True),
        (652, 1950, True),  # Syria: no change declared
    ],
)
def test_state_years_with_todays_borders(gwcode: int, year: int, todays: bool) -> None:
    assert countries.has_todays_borders(gwcode, year) is todays


def test_every_gapminder_historical_entity_has_its_years() -> None:
    assert set(gapminder_years()) == set(gapminder_to_gw())
    assert gapminder_years()["ussr"] == (0, 1991) and gapminder_years()["scg"] == (1992, 2006)


def test_figures_per_person_ignore_a_difference_of_a_few_percent_of_the_people() -> None:
    """East Timor was under 1% of Indonesia's people: Indonesia's Gapminder figures of 1990 stand; its
    located battle deaths of 1990 (East Timor's fighting counted in Timor-Leste) do not."""
    per_person = {
        (s.gwcode, year)
        for s in countries.todays_borders(per_person=True)
        for year in (1990,)
        if s.covers(year)
    }
    assert (850, 1990) in per_person and not countries.has_todays_borders(850, 1990)
    assert (625, 1990) not in per_person, "South Sudan is no small part of Sudan"
