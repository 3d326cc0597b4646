"""The WDI API route for the Gapminder indicators, served by a mock transport."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pandas as pd

from gbvs.sources.base import ParseContext
from gbvs.sources.fetch import COMPUTED, Fetcher
from gbvs.sources.gapminder import INDICATORS, SOURCE
from gbvs.sources.schema import check_frame
from gbvs.sources.wdi import WDI_CODES

COUNTRIES = [
    {"id": "SYR", "iso2Code": "SY", "name": "Syrian Arab Republic", "region": {"value": "Middle East"}},
    {"id": "NLD", "iso2Code": "NL", "name": "Netherlands", "region": {"value": "Europe & Central Asia"}},
    {"id": "WLD", "iso2Code": "1W", "name": "World", "region": {"value": "Aggregates"}},
]


def _values(code: str, page: int) -> list[dict[str, Any]]:
    years = (2019,) if page == 1 else (2020,)
    return [
        {"countryiso3code": iso3, "date": str(year), "value": None if iso3 == "NLD" and year == 2020 else 1.5}
        for iso3 in ("SYR", "NLD", "WLD")
        for year in years
    ]


def _handler(requests: list[str]) -> Any:
    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(str(request.url))
        page = int(request.url.params.get("page", "1"))
        if request.url.path == "/v2/country":
            return httpx.Response(200, json=[{"page": 1, "pages": 1}, COUNTRIES])
        match = re.fullmatch(r"/v2/country/all/indicator/(.+)", request.url.path)
        if match is None:
            return httpx.Response(404)
        return httpx.Response(200, json=[{"page": page, "pages": 2}, _values(match.group(1), page)])

    return handle


def test_gapminder_tables_are_built_from_the_wdi_api(tmp_path: Path) -> None:
    requests: list[str] = []
    client = httpx.Client(transport=httpx.MockTransport(_handler(requests)))
    fetcher = Fetcher(None, tmp_path / "cache", allow_download=True, client=client)
    files = {source_input.key: fetcher.locate("gapminder", source_input) for source_input in SOURCE.inputs}
    assert {located.ref.version for located in files.values()} == {"World Bank WDI API"}
    assert all(located.checksum_status == COMPUTED for located in files.values())
    frames = SOURCE.parse(ParseContext(files, lambda name: None))  # type: ignore[arg-type,return-value]
    for schema in SOURCE.tables:  # the real API returns far more rows than this sample
        check_frame(frames[schema.name], replace(schema, min_rows=1), schema.name)
    wide = frames["gapminder"].set_index(["geo", "time"])
    assert sorted(wide.index.get_level_values("geo").unique()) == ["nld", "syr"]  # aggregate WLD dropped
    assert wide.loc[("syr", 2020), "gdppercapita_us_inflation_adjusted"] == 1.5  # page 2 was read
    assert pd.isna(wide.loc[("syr", 2019), "food_supply_kilocalories_per_person_and_day"])  # not in WDI
    assert set(INDICATORS) <= set(wide.columns)
    concepts = frames["gapminder_concepts"].set_index("concept")
    assert concepts.loc["inflation_annual_percent", "source"] == "World Bank WDI FP.CPI.TOTL.ZG"
    assert len(requests) == 2 * len(WDI_CODES) + 2  # two pages per series, country list twice
