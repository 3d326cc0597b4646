"""How a warning turned out: read from the country-year panel of the store, unknown until it is there."""

from __future__ import annotations

from pathlib import Path

from gbvs.actions.outcomes import observed_at

from .conftest import storebuilder


def test_outcomes_come_from_the_panel_and_stay_unknown_beyond_it(tmp_path: Path) -> None:
    store = storebuilder.build_store(tmp_path / "store.duckdb")
    incidence = observed_at(store, "incidence")
    assert incidence[(432, 2023)] is True and incidence[(210, 2023)] is False
    assert (432, 2024) not in incidence  # the forecast year of the test runs: not observed yet
    assert observed_at(store, "battle_deaths") == {}  # a count target has no yes/no outcome
    assert observed_at(tmp_path / "missing.duckdb", "incidence") == {}
