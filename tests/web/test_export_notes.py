"""What a download says about itself (docs/exports.md): dated by the Dutch calendar whatever the server's
time zone, its provenance named in the reader's language, and an empty file that says which filter left
no row, in CSV as in Excel."""

from __future__ import annotations

import csv
import io
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from gbvs.config import Settings
from gbvs.web.app import create_app

WINTER_NIGHT = datetime(2026, 12, 7, 23, 5, tzinfo=UTC)  # 00:05 on 8 December in The Hague (CET)
SUMMER_NIGHT = datetime(2026, 7, 7, 22, 5, tzinfo=UTC)  # 00:05 on 8 July (CEST)


@pytest.fixture
def utc_server() -> Iterator[None]:
    """The process keeps UTC, as many servers do, so its own date is still the day before."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def _client_at(settings: Settings, moment: datetime) -> TestClient:
    return TestClient(create_app(settings, clock=lambda: moment))


def _sheet(response: Any) -> tuple[Any, dict[str, Any]]:
    assert response.status_code == 200, response.text
    data, about = load_workbook(io.BytesIO(response.content)).worksheets
    return data, {row[0].value: row[1].value for row in about.iter_rows(min_row=2)}


@pytest.mark.parametrize(("moment", "day"), [(WINTER_NIGHT, "2026-12-08"), (SUMMER_NIGHT, "2026-07-08")])
@pytest.mark.usefixtures("utc_server")
def test_a_download_after_midnight_in_the_hague_carries_the_dutch_date(
    web_settings: Settings, moment: datetime, day: str
) -> None:
    with _client_at(web_settings, moment) as client:
        for path, what in [
            ("/api/v1/forecasts?format=csv", "gbvs-forecasts"),
            ("/api/v1/risk-rankings?format=xlsx", "gbvs-risk-ranking"),
        ]:
            response = client.get(path)
            extension = path.rsplit("=", 1)[1]
            assert (
                response.headers["content-disposition"] == f'attachment; filename="{what}-{day}.{extension}"'
            )
        _, about = _sheet(client.get("/api/v1/risk-rankings?format=xlsx"))
        assert about["gedownload op"] == day
        brief = client.get("/landen/MLI/brief.pdf")
        assert f"gbvs-landenbrief-MLI-{day}.nl.pdf" in brief.headers["content-disposition"]


def test_the_cache_does_not_keep_yesterdays_file_name(web_settings: Settings) -> None:
    """A file cached at 23:30 in The Hague was still served under that day's name after midnight there
    when the cache's day was the server's (UTC): it must turn with the Dutch day."""
    moment = [datetime(2026, 12, 7, 22, 30, tzinfo=UTC)]
    with TestClient(create_app(web_settings, clock=lambda: moment[0])) as client:
        first = client.get("/api/v1/watchlist?format=csv").headers["content-disposition"]
        moment[0] = WINTER_NIGHT
        second = client.get("/api/v1/watchlist?format=csv").headers["content-disposition"]
    assert "2026-12-07" in first and "2026-12-08" in second


def test_the_provenance_sheet_speaks_the_readers_language(client: Any) -> None:
    """The field names were English keys (model_version, rows) also on a Dutch sheet."""
    data, dutch = _sheet(client.get("/api/v1/risk-rankings?format=xlsx&region=sahel"))
    assert [
        c.value
        for c in load_workbook(
            io.BytesIO(client.get("/api/v1/risk-rankings?format=xlsx").content)
        ).worksheets[1][1]
    ] == ["veld", "waarde"]
    assert dutch["modelversie"] == "lgbm-test-1" and dutch["trainingsgrens"] == 2023
    assert dutch["aantal rijen"] == data.max_row - 1 and dutch["filter region"] == "sahel"
    assert not {"model_version", "training_cutoff", "rows", "numbers", "source"} & set(dutch)
    _, english = _sheet(client.get("/api/v1/risk-rankings?format=xlsx&lang=en"))
    assert english["model version"] == "lgbm-test-1" and english["training cutoff"] == 2023
    assert english["rows"] > 0 and "downloaded on" in english


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/watchlist",
        "/api/v1/forecasts?country=SYR",
        "/api/v1/countries/SYR/conflict-history",
        "/api/v1/countries/SYR/forecast-history",
        "/api/v1/country-comparisons?countries=SYR,MLI",
        "/api/v1/displacement/ranking?horizon=1",
        "/api/v1/indicators/brd_best/values?year=2015",
        "/api/v1/sources",
    ],
)
def test_every_provenance_field_has_a_dutch_name(client: Any, path: str) -> None:
    """One table of labels (gbvs.web.api.exportnotes) names every field any export writes."""
    glue = "&" if "?" in path else "?"
    _, about = _sheet(client.get(f"{path}{glue}format=xlsx"))
    raw = {"source", "rows", "numbers", "country", "field", "value"}
    keys = [name for name in about if "_" in name.split(" ")[0] or name in raw]  # "bron ucdp_brd" is named
    assert not keys, keys


def test_an_empty_csv_has_its_provenance_and_names_the_filter_that_left_no_row(client: Any) -> None:
    """Headers alone looked like a broken download."""
    text = client.get("/api/v1/risk-rankings?format=csv&q=atlantis").text
    header, *comments = text.splitlines()
    assert header.startswith("rank,") and comments and all(line.startswith("# ") for line in comments)
    assert "# modelversie: lgbm-test-1" in comments
    assert "# toelichting: Geen enkele rij past bij deze selectie (q=atlantis);" in "\n".join(comments)
    english = client.get("/api/v1/risk-rankings?format=csv&q=atlantis&lang=en").text
    assert "# explanation: No rows match this selection (q=atlantis);" in english
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/risk-rankings?format=csv&q=mali").text)))
    assert rows and not any(value.startswith("#") for row in rows for value in row.values())


def test_an_empty_excel_file_names_the_filter_that_left_no_row(client: Any) -> None:
    data, about = _sheet(client.get("/api/v1/risk-rankings?format=xlsx&q=atlantis"))
    assert data.max_row == 1 and about["aantal rijen"] == 0
    assert about["toelichting"].startswith("Geen enkele rij past bij deze selectie (q=atlantis)")
    assert about["modelversie"] == "lgbm-test-1"


def test_a_filter_in_an_empty_csvs_notes_cannot_become_a_formula(client: Any) -> None:
    """A spreadsheet splits a note line at its commas: no piece of it may start a formula."""
    text = client.get('/api/v1/risk-rankings?format=csv&q=x,=HYPERLINK("http://evil")').text
    pieces = [piece for line in text.splitlines()[1:] for piece in line.replace(";", ",").split(",")]
    assert not [piece for piece in pieces if piece.startswith(("=", "+", "-", "@"))], pieces
    assert '"' not in "".join(text.splitlines()[1:])
