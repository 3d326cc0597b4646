"""Downloads as a policy officer opens them (docs/exports.md): named what and when, a name outside
ASCII intact, and an Excel file that says how many rows it has, which figure is exact, and why it is empty."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from starlette.requests import Request

from gbvs.web.audit import classify
from gbvs.web.downloads import content_disposition

DOWNLOADS = [
    ("/api/v1/watchlist?format=csv", "attachment", "gbvs-watchlist", "csv"),
    ("/api/v1/watchlist?format=xlsx", "attachment", "gbvs-watchlist", "xlsx"),
    ("/api/v1/watchlist?format=geojson", "attachment", "gbvs-watchlist", "geojson"),
    ("/api/v1/risk-rankings?format=xlsx", "attachment", "gbvs-risk-ranking", "xlsx"),
    ("/api/v1/forecasts?format=geojson", "attachment", "gbvs-forecasts", "geojson"),
    ("/api/v1/sources?format=csv", "attachment", "gbvs-sources", "csv"),
    ("/api/v1/countries/SYR/conflict-history?format=csv", "attachment", "SYR-conflict", "csv"),
    ("/api/v1/indicators/brd_best/values?year=2015&format=geojson", "attachment", "brd_best-2015", "geojson"),
    ("/landen/MLI/brief.pdf?lang=nl", "inline", "gbvs-landenbrief-MLI", "nl.pdf"),
]


@pytest.mark.parametrize(("path", "disposition", "what", "extension"), DOWNLOADS)
def test_every_download_is_named_what_and_when(
    client: Any, path: str, disposition: str, what: str, extension: str
) -> None:
    """Two downloads of the watchlist a week apart no longer land under one name; a GeoJSON layer is
    a file to save for QGIS, not a page of JSON in the browser."""
    before = date.today().isoformat()
    response = client.get(path)
    days = {before, date.today().isoformat()}  # a test run across midnight
    assert response.status_code == 200, response.text
    header = response.headers["content-disposition"]
    assert any(header == f'{disposition}; filename="{what}-{day}.{extension}"' for day in days), header


def test_a_file_name_outside_ascii_survives_in_utf8_and_has_an_ascii_fallback() -> None:
    name = "gbvs-Côte d'Ivoire-Curaçao-2026-12-06.csv"
    header = content_disposition(name)
    fallback = re.search(r'filename="([^"]*)"', header)
    encoded = re.search(r"filename\*=UTF-8''(\S+)$", header)
    assert fallback and encoded, header
    assert fallback.group(1) == "gbvs-Cote_d_Ivoire-Curacao-2026-12-06.csv"
    assert unquote(encoded.group(1), encoding="utf-8") == name


def _about(response: Any) -> tuple[Any, dict[str, Any]]:
    assert response.status_code == 200, response.text
    data, about = load_workbook(io.BytesIO(response.content)).worksheets
    return data, {r[0].value: r[1].value for r in about.iter_rows(min_row=2)}


def test_an_excel_export_says_how_many_rows_and_which_figure_is_exact(client: Any) -> None:
    """The page shows 0.9651 as 97%; the file holds 0.9651 and says that it is the unrounded one."""
    data, about = _about(client.get("/api/v1/risk-rankings?format=xlsx&lang=en"))
    assert about["rows"] == data.max_row - 1 > 0
    assert about["numbers"].startswith("Unrounded") and "round" in about["numbers"]
    assert "explanation" not in about
    _, dutch = _about(client.get("/api/v1/risk-rankings?format=xlsx&lang=nl"))
    assert dutch["getallen"].startswith("Niet afgerond") and "0,9651" in dutch["getallen"]


def test_an_empty_excel_export_has_the_headers_the_provenance_and_a_note(client: Any) -> None:
    data, about = _about(client.get("/api/v1/risk-rankings?format=xlsx&q=atlantis&lang=nl"))
    assert data.max_row == 1 and data["A1"].value == "rank"
    assert about["aantal rijen"] == 0 and about["toelichting"].startswith(
        "Geen enkele rij past bij deze selectie"
    )
    assert about["modelversie"] == "lgbm-test-1"


def _request(path: str, query: str) -> Request:
    scope = {"type": "http", "method": "GET", "path": path, "query_string": query.encode(), "headers": []}
    return Request(scope)


@pytest.mark.parametrize(
    ("path", "query", "kind"),
    [
        ("/api/v1/watchlist", "format=xlsx", "xlsx"),
        ("/api/v1/risk-rankings", "q=mali&format=xlsx", "xlsx"),
        ("/landen/SYR/brief.pdf", "lang=nl", "pdf"),
        ("/api/v1/countries/SYR/brief", "", "pdf"),
        ("/api/v1/watchlist", "format=csv", "csv"),
    ],
)
def test_every_download_is_audited_as_an_export(path: str, query: str, kind: str) -> None:
    """An Excel file or a country brief taken away in remote mode was logged as a read or a search."""
    action, detail = classify(_request(path, query))
    assert (action, detail["format"]) == ("web.export", kind)


def test_a_page_is_still_a_read() -> None:
    assert classify(_request("/landen/SYR", ""))[0] == "web.read"


def test_every_page_that_offers_a_csv_offers_it_as_excel_too(client: Any, crawler: Any) -> None:
    """A CSV opened by double-click in a Dutch Excel is one column of text (docs/exports.md): a page
    offering a table for people offers it as an Excel file beside the CSV."""
    seen = crawler.crawl(client, "nl")
    missing = {
        f"{link} (on {page})"
        for page, html in seen.pages.items()
        for link in crawler.internal_links(f"http://testserver{page}", html)
        if "format=csv" in link
        and link.replace("format=csv", "format=xlsx") not in html.replace("&amp;", "&")
    }
    assert not missing, "\n".join(sorted(missing))


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/countries/SYR/conflict-history",
        "/api/v1/countries/MLI/panels",
        "/api/v1/countries/SYR/displacement",
        "/api/v1/indicators/brd_best/values?year=2015",
        "/api/v1/displacement/ranking?horizon=1",
        "/api/v1/sources",
    ],
)
def test_the_excel_file_holds_the_rows_of_the_csv_and_their_provenance(client: Any, path: str) -> None:
    glue = "&" if "?" in path else "?"
    data, about = _about(client.get(f"{path}{glue}format=xlsx"))
    table = client.get(f"{path}{glue}format=csv").text
    header, *rows = list(csv.reader(io.StringIO(table)))
    assert [c.value for c in data[1]] == header and data.max_row - 1 == len(rows) == about["aantal rijen"]
    assert about.get("herkomst") or about.get("bron") or about.get("modelversie"), about


def test_an_empty_geojson_layer_still_names_its_run(client: Any) -> None:
    """Each feature of the risk ranking carries its run; a layer without features carried nothing."""
    body = client.get("/api/v1/risk-rankings?format=geojson&q=atlantis").json()
    assert body["features"] == [] and body["run"]["model_version"] == "lgbm-test-1"


def test_the_security_doc_says_which_csv_the_api_writes_and_the_api_does_so(client: Any) -> None:
    """docs/security.md said every CSV GBVS writes is reachable with the API's format=csv, while
    /api/v1/signals?format=csv answers 400: signals go to CSV with `gbvs signals export` only."""
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
    paragraph = " ".join(doc.split("**Exports opened in a spreadsheet.**")[1].split("\n\n")[0].split())
    offered = re.search(
        r"`format=csv` on the resources that offer it, such as `(/api/v1/[\w/-]+)`", paragraph
    )
    refused = re.search(
        r"the only CSV of signals, since the API's `(/api/v1/[\w/-]+)` .* refuses `format=csv`", paragraph
    )
    assert offered and refused, paragraph
    assert "`gbvs signals export --format csv`, the only CSV of signals" in paragraph
    answer = client.get(f"{offered.group(1)}?format=csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv"), answer.text
    assert client.get(f"{refused.group(1)}?format=csv").status_code == 400
