"""Which Gleditsch-Ward codes name a state, in which years (gbvs.countries.gw_state_problem)."""

from __future__ import annotations

import pytest

from gbvs.countries import gw_state_problem


@pytest.mark.parametrize(
    ("code", "year"),
    [
        pytest.param(652, 2023, id="syria"),
        pytest.param(652, None, id="any-year"),
        pytest.param(751, 1948, id="hyderabad-historical-state"),
        pytest.param(265, 1980, id="gdr"),
        pytest.param(396, 2010, id="abkhazia"),
        pytest.param(345, 2000, id="yugoslavia"),
        pytest.param(340, 2010, id="serbia"),
        pytest.param(626, 2011, id="south-sudan"),
    ],
)
def test_states_of_the_gleditsch_ward_list_are_accepted(code: int, year: int | None) -> None:
    assert gw_state_problem(code, year) is None


def test_a_code_no_state_carries_is_named() -> None:
    assert gw_state_problem(653, 2023) == (
        "653 is not a Gleditsch-Ward state code (gbvs.countries knows no state with it)"
    )


@pytest.mark.parametrize(
    ("code", "year", "problem"),
    [
        pytest.param(
            626, 2005, "626 (South Sudan) is not a Gleditsch-Ward state in 2005 (it is one from 2011)"
        ),
        pytest.param(
            265,
            1995,
            "265 (German Democratic Republic) is not a Gleditsch-Ward state in 1995 (it is one in 1949-1990)",
        ),
        pytest.param(
            315,
            1995,
            "315 (Czechia) is not a Gleditsch-Ward state in 1995 (it is one until 1992); CZE is 316 in 1995",
        ),
    ],
)
def test_a_code_outside_its_years_says_when_it_is_a_state(code: int, year: int, problem: str) -> None:
    assert gw_state_problem(code, year) == problem


def test_ucdp_coding_accepts_ucdp_s_own_uses_only() -> None:
    assert gw_state_problem(345, 2015) is not None  # Serbia is 340 from 2006 in the Gleditsch-Ward list
    assert gw_state_problem(345, 2015, "ucdp") is None  # UCDP keeps 345 (ACD gwno_a_2nd)
    assert gw_state_problem(680, 1965, "ucdp") is None  # ACD: the Aden conflict's location
    assert gw_state_problem(653, 2015, "ucdp") is not None
