"""The driver monitor's default year and ranks (driver review): a well-covered year, shared ranks for ties."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.web.app import create_app
from gbvs.web.queries.drivers import YearCoverage, competition_ranks, default_year


def test_equal_values_share_a_rank() -> None:
    assert competition_ranks([-10.0, -9.0, -9.0, -7.0, -7.0, -7.0, 0.0]) == [1, 2, 2, 4, 4, 4, 7]
    assert competition_ranks([]) == []


def test_the_default_year_is_the_latest_with_half_the_best_coverage() -> None:
    coverage = [YearCoverage(year=y, countries=n, states=170) for y, n in [(2020, 1), (2019, 1), (2018, 162)]]
    assert default_year(coverage) == 2018
    assert default_year([YearCoverage(year=2023, countries=81, states=170), *coverage]) == 2023
    assert default_year([]) is None


@pytest.fixture
def real_client(settings: Settings, ingested_store: Any) -> Iterator[TestClient]:
    app = create_app(load_settings(data_dir=settings.data_dir, store_path=ingested_store.path))
    with TestClient(app, base_url="http://localhost") as client:
        yield client


@pytest.mark.integration
def test_real_polity_opens_on_2018_and_says_its_coverage(real_client: TestClient) -> None:
    html = real_client.get("/drijvers?indicator=polity_factional&lang=en").text
    assert "Factional political competition, 2018" in html
    assert (
        "162 of 174 countries have a value for 2018." in html and "latest year with a value is 2020" in html
    )
    body = real_client.get("/api/v1/indicators/polity_polity2/values?pageSize=200").json()
    rows = {row["iso3"]: row for row in body["data"]}
    assert {row["year"] for row in rows.values()} == {2018} and rows["USA"]["countries_with_data"] == 162
    # ranked by value (risk peaks in the middle); Saudi Arabia and North Korea, both -10, share the rank
    assert rows["SAU"]["ranked_by"] == "value" and rows["SAU"]["rank"] == rows["PRK"]["rank"]
    assert rows["SAU"]["source_version"] == "p5v2018" and rows["SAU"]["unit"] == "score -10..10"


@pytest.mark.integration
def test_real_drought_zeros_share_one_rank(real_client: TestClient) -> None:
    url = "/api/v1/indicators/gm_drought_affected_annual_number/values?year=2023&pageSize=200"
    rows = real_client.get(url).json()["data"]
    zeros = {row["rank"] for row in rows if row["value"] == 0}
    assert len(zeros) == 1 and zeros.pop() == 1 + sum(row["value"] > 0 for row in rows)
