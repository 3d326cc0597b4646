"""The country brief (issue 12): one A4 page as PDF, from the country page, the API and the CLI alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from fastapi.testclient import TestClient

from gbvs.config import Settings

A4_POINTS = (595, 842)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF (and a check that every page is A4)."""
    document = pypdfium2.PdfDocument(data)
    try:
        texts = []
        for page in document:
            assert tuple(round(v) for v in page.get_size()) == A4_POINTS
            texts.append(page.get_textpage().get_text_range())
        return texts
    finally:
        document.close()


def test_the_brief_is_one_page_with_forecasts_cases_and_provenance(client: TestClient) -> None:
    page = client.get("/landen/MLI/brief.pdf?lang=nl")
    assert page.status_code == 200 and page.headers["content-type"] == "application/pdf"
    assert 'filename="gbvs-landenbrief-MLI-' in page.headers["content-disposition"]  # and the day
    [text] = pdf_pages(page.content)
    for expected in (
        "Landenbrief",
        "Mali MLI",  # the Dutch name, and the English one below it
        "gewapend conflict",
        "61%",  # the latest run's incidence forecast for 2024, with its range over the seeds
        "(58%–65%)",
        "lgbm-test-1",
        "trainingsgrens 2023",
        "Verklaring",
        "Conflictgeschiedenis",
        "Mali: risico op gewapend conflict stijgt",  # the open case on Mali in the test database
        "UCDP/PRIO Armed Conflict Dataset (versie 25.1, peildatum 2023)",
        "Gemaakt op",
    ):
        assert expected in text, expected
    assert "Latest forecasts" not in text and "Open early-action cases" not in text


def test_the_brief_in_english_and_from_the_api_is_the_same_service(client: TestClient) -> None:
    english = client.get("/api/v1/countries/SYR/brief?lang=en")
    assert english.status_code == 200 and english.headers["content-type"] == "application/pdf"
    [text] = pdf_pages(english.content)
    assert "Country brief" in text and "Syria SYR" in text and "Syrië" in text
    assert "DemSpaces" in text and "opening" in text  # DemSpaces v14 beside our opening forecast
    assert "Made on" in text and "Gemaakt op" not in text
    assert "No open early-action case on this country is visible to you." in text
    flat = " ".join(text.split())  # the explanation against the median country, as on the country page
    assert "Compared with the median country, the risk is pushed up by" in flat
    assert "Difference from the median country: conflict history +0.70" in flat


def test_the_country_page_links_its_brief(client: TestClient) -> None:
    html = client.get("/landen/SYR?lang=nl").text
    assert 'href="/landen/SYR/brief.pdf?lang=nl"' in html and "Landenbrief (PDF)" in html


def test_an_unknown_country_is_named_with_the_fix(client: TestClient) -> None:
    answer = client.get("/api/v1/countries/QQQ/brief")
    assert answer.status_code == 404
    assert "'QQQ'" in answer.json()["detail"] and "ISO3" in answer.json()["detail"]
    page = client.get("/landen/FRA/brief.pdf?lang=nl")  # a real country that is not in the small store
    assert page.status_code == 404 and "FRA" in page.text and "gbvs ingest" in page.text
    assert "de lijst: /landen, " in page.text  # a reader's list first (it named only the API's)


def test_the_cli_writes_the_same_brief(
    web_settings: Settings, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GBVS_DATA_DIR", str(web_settings.data_dir))
    target = tmp_path / "syr.pdf"
    made = run_cli("brief", "syr", "--lang", "en", "-o", str(target))
    assert made.exit_code == 0, made.stderr
    [text] = pdf_pages(target.read_bytes())
    assert "Country brief" in text and "Syria SYR" in text and "lgbm-test-1" in text
    monkeypatch.chdir(tmp_path)
    dutch = run_cli("brief", "432")  # a Gleditsch-Ward code; Dutch by default
    assert dutch.exit_code == 0, dutch.stderr
    [text] = pdf_pages((tmp_path / "gbvs-landenbrief-MLI.nl.pdf").read_bytes())
    assert "Landenbrief" in text and "Mali: risico op gewapend conflict stijgt" in text
    wrong = run_cli("brief", "XYZW")
    assert wrong.exit_code == 5 and "'XYZW'" in wrong.stderr and "SYR" in wrong.stderr
