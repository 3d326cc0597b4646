"""The REST API over a small store: every resource, the conventions, and the error paths."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gbvs.config import load_settings
from gbvs.web.app import create_app
from gbvs.web.middleware import API_VERSION

from .conftest import storebuilder

PROBLEM = "application/problem+json"


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_openapi_is_published_without_authentication(client: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert spec["servers"][0]["url"] == "/api/v1"  # paths are relative to the versioned base
    paths = set(spec["paths"])
    for path in ("/goals", "/countries", "/sources", "/indicators"):
        assert path in paths
    assert not any(path.endswith("/") for path in paths)
    assert "/landen" not in paths  # pages are not part of the API document


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sources",
        "/api/v1/countries",
        "/api/v1/countries/SYR",
        "/api/v1/indicators",
        "/api/v1/openapi.json",
    ],
)
def test_every_response_has_api_version_and_security_headers(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["API-Version"] == API_VERSION
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_sources_carry_provenance_and_flag_stale_vintages(client: Any) -> None:
    body = client.get("/api/v1/sources").json()
    by_table = {row["table_name"]: row for row in body["data"]}
    assert by_table["ucdp_acd"]["version"] == "25.1"
    assert len(by_table["ucdp_acd"]["sha256"]) == 64
    assert by_table["polity5"]["stale"] is True
    assert by_table["country_codes"]["stale"] is False  # no vintage: nothing to call stale


def test_collections_are_paged_with_links(client: Any) -> None:
    response = client.get("/api/v1/countries?page=2&pageSize=1")
    body = response.json()
    assert body["total"] == 4 and body["page"] == 2 and body["pageSize"] == 1 and len(body["data"]) == 1
    assert body["_links"]["prev"].endswith("page=1&pageSize=1")
    assert body["_links"]["next"].endswith("page=3&pageSize=1")
    assert 'rel="next"' in response.headers["Link"]


def test_the_old_page_size_key_still_works_until_it_is_removed(client: Any) -> None:
    old = client.get("/api/v1/countries?page=2&page_size=1")
    body = old.json()
    assert body["pageSize"] == 1 and body["page_size"] == 1 and len(body["data"]) == 1
    assert old.headers["Deprecation"] == "@1796169600"  # RFC 9745: since 2026-12-02 (API 1.1.0)
    links = old.headers.get_list("Link")
    assert any('rel="deprecation"' in link and "/api/v1/openapi.json" in link for link in links)
    assert any('rel="next"' in link for link in ",".join(links).split(",")), links
    assert "Deprecation" not in client.get("/api/v1/countries?page=2&pageSize=1").headers
    assert body["_links"]["next"].endswith("page=3&pageSize=1")  # links use the new name
    assert client.get("/api/v1/countries?pageSize=1&page_size=1").json()["pageSize"] == 1
    problem = _problem(client.get("/api/v1/countries?pageSize=2&page_size=1"), 400)
    assert "pageSize=2" in problem["detail"] and "page_size=1" in problem["detail"]


def test_deprecations_are_marked_in_the_openapi_document(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert schemas["CountryPage"]["properties"]["page_size"]["deprecated"] is True
    assert schemas["Problem"]["properties"]["invalid_params"]["deprecated"] is True
    page_size = next(p for p in spec["paths"]["/countries"]["get"]["parameters"] if p["name"] == "pageSize")
    assert "page_size" in page_size["description"] and "1.2.0" in page_size["description"]


def test_a_page_past_the_end_is_empty_not_an_error(client: Any) -> None:
    body = client.get("/api/v1/countries?page=99").json()
    assert body["data"] == [] and body["total"] == 4


def test_country_names_follow_the_language(client: Any) -> None:
    assert client.get("/api/v1/countries/SYR").json()["name"] == "Syrië"
    assert client.get("/api/v1/countries/syr?lang=en").json()["name"] == "Syria"


def test_conflict_history_as_json_and_csv(client: Any) -> None:
    body = client.get("/api/v1/countries/SYR/conflict-history?pageSize=100").json()
    years = {row["year"]: row for row in body["data"]}
    assert years[2011]["conflict"] == 1 and years[2010]["conflict"] == 0
    response = client.get("/api/v1/countries/SYR/conflict-history?format=csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[0]["year"] == "1990" and len(rows) == 34
    assert {row["provenance"] for row in rows} == {rows[0]["provenance"]}
    assert "ucdp_acd=" in rows[0]["provenance"] and "vintage" in rows[0]["provenance"]


def test_country_panel_has_driver_columns(client: Any) -> None:
    body = client.get("/api/v1/countries/MLI/panels").json()
    assert {"gwcode", "year", "conflict", "vdem_v2x_pubcorr"} <= set(body["data"][0])
    table = client.get("/api/v1/countries/MLI/panels?format=csv").text
    rows = list(csv.DictReader(io.StringIO(table)))
    assert rows and all("vintage" in row["provenance"] for row in rows)


def test_indicator_values_are_ranked_and_exported(client: Any) -> None:
    body = client.get("/api/v1/indicators/brd_best/values?year=2015").json()
    assert [row["rank"] for row in body["data"]] == [1, 1, 1, 4]  # three at 1,000 deaths share rank 1
    assert body["data"][-1]["iso3"] == "NLD"
    geo = client.get("/api/v1/indicators/brd_best/values?year=2015&format=geojson")
    assert geo.headers["content-type"] == "application/geo+json"
    features = geo.json()["features"]
    assert {f["properties"]["iso3"] for f in features} == {"SYR", "MLI", "UKR", "NLD"}
    assert geo.json()["provenance"][0]["table_name"] == "ucdp_brd"
    table = client.get("/api/v1/indicators/brd_best/values?year=2015&format=csv").text
    rows = list(csv.DictReader(io.StringIO(table)))
    assert table.splitlines()[0].startswith(
        "iso3,gwcode,name,year,value,rank,ranked_by,unit,countries_with_data,states_in_panel,source,"
        "source_version,data_vintage,derived_by,indicator,"
    )
    source = geo.json()["provenance"][0]
    assert {row["source_version"] for row in rows} == {source["version"]}  # provenance on every row
    assert {row["data_vintage"] for row in rows} == {source["vintage"]}


@pytest.mark.parametrize(
    ("path", "status", "needle"),
    [
        ("/api/v1/countries/XYZ", 404, "XYZ"),
        (
            "/api/v1/countries/PSE",
            404,
            "Palestinian Territories (PSE) is not an independent state in the Gleditsch-Ward list",
        ),
        ("/api/v1/countries/TOOLONG", 400, "iso3"),
        ("/api/v1/countries?page=0", 400, "page"),
        ("/api/v1/countries?pageSize=100000", 400, "pageSize"),
        ("/api/v1/countries?page_size=100000", 400, "page_size"),
        ("/api/v1/sources?format=xml", 400, "format"),
        ("/api/v1/indicators/no_such_column/values", 404, "no_such_column"),
        ("/api/v1/no-such-resource", 404, "no-such-resource"),
    ],
)
def test_errors_are_problem_json_naming_the_value(client: Any, path: str, status: int, needle: str) -> None:
    body = _problem(client.get(path), status)
    assert needle in body["detail"]


def test_validation_errors_list_the_invalid_params(client: Any) -> None:
    body = _problem(client.get("/api/v1/countries?page=0&pageSize=x"), 400)
    names = {param["name"]: param["reason"] for param in body["invalidParams"]}
    assert set(names) == {"page", "pageSize"}
    assert "'x'" in names["pageSize"] and "greater than or equal to 1" in names["page"]


def test_every_response_in_the_document_declares_its_headers_and_problems(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                where = f"{method} {path} {status}"
                if status.startswith("2"):
                    assert "API-Version" in response["headers"], where
                else:
                    assert list(response["content"]) == ["application/problem+json"], where
            assert "422" not in operation["responses"]
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_trailing_slash_is_404_not_a_redirect(client: Any) -> None:
    response = client.get("/api/v1/countries/", follow_redirects=False)
    _problem(response, 404)


def test_unsupported_method_is_405_with_allow(client: Any) -> None:
    response = client.delete("/api/v1/countries")
    _problem(response, 405)
    assert response.headers["Allow"] == "GET"


def test_missing_store_is_503_with_the_fix(empty_client: Any) -> None:
    body = _problem(empty_client.get("/api/v1/sources"), 503)
    assert "gbvs ingest" in body["detail"]


@pytest.mark.filterwarnings(
    "ignore::DeprecationWarning:sqlalchemy.*"
)  # db services use Session.flush(objects)
def test_remote_mode_needs_a_valid_api_token(web_settings: Any, tmp_path: Path) -> None:
    from gbvs.config import load_settings
    from gbvs.db.migrate import upgrade
    from gbvs.db.services import tokens, users
    from gbvs.db.services.principals import load_principal
    from gbvs.db.session import make_engine, make_session_factory, session_scope
    from gbvs.web.app import create_app

    remote = load_settings(
        data_dir=web_settings.data_dir, store_path=web_settings.store_path, allow_remote=True
    )
    engine = make_engine(remote)
    upgrade(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        users.bootstrap_admin(session, "ada", "Ada", None, None)
    with session_scope(factory) as session:
        secret, _ = tokens.create_token(session, load_principal(session, "ada"), "web test")
    engine.dispose()
    with TestClient(create_app(remote)) as client:
        body = _problem(client.get("/api/v1/sources"), 401)
        assert "Bearer" in body["detail"]
        _problem(client.get("/api/v1/sources", headers={"Authorization": "Bearer gbvs_nonsense"}), 401)
        assert client.get("/api/v1/openapi.json").status_code == 200
        ok = client.get("/api/v1/sources", headers={"Authorization": f"Bearer {secret}"})
        assert ok.status_code == 200, ok.text
        page = client.get("/bronnen", headers={"Authorization": f"Bearer {secret}"})
        assert page.status_code == 200
        # the response cache sits after the authorization dependency: cached answers are not leaked
        _problem(client.get("/api/v1/sources"), 401)
        assert client.get("/bronnen").status_code == 401


def test_forecasts_carry_model_provenance(client: Any) -> None:
    body = client.get("/api/v1/forecasts?target=incidence&country=SYR").json()
    assert body["total"] == 3
    first = body["data"][0]
    assert first["iso3"] == "SYR" and first["level"] == "very_high"
    assert first["run"]["model_version"] == "lgbm-test-1" and first["run"]["training_cutoff"] == 2023
    assert first["families"]["conflict_history"] == 1.8


def test_forecasts_export_as_csv_and_geojson(client: Any) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/forecasts?format=csv").text)))
    assert len(rows) == 19 and rows[0]["model_version"] == "lgbm-test-1"
    geo = client.get("/api/v1/forecasts?format=geojson&target=war").json()
    assert len(geo["features"]) == 4 and geo["features"][0]["properties"]["target"] == "war"


def test_watchlist_ranks_by_risk_and_reports_changes(client: Any) -> None:
    body = client.get("/api/v1/watchlist").json()
    assert [row["iso3"] for row in body["data"]][:2] == ["SYR", "MLI"]
    mali = next(row for row in body["data"] if row["iso3"] == "MLI")
    assert mali["change"] == pytest.approx(0.26) and mali["alerts"]
    assert body["latest_run"]["run_id"] == "forecast-new" and body["previous_run"]["run_id"] == "forecast-old"
    table = client.get("/api/v1/watchlist?format=csv").text.splitlines()
    assert table[0].startswith("rank,iso3") and len(table) == 5


def test_watchlist_of_an_unknown_region_is_an_error_naming_it(client: Any) -> None:
    response = client.get("/api/v1/watchlist?region=atlantis")
    assert response.status_code == 400
    assert "atlantis" in response.json()["detail"]


def test_backtest_metrics(client: Any) -> None:
    body = client.get("/api/v1/backtest-metrics").json()
    assert body["run"]["run_id"] == "backtest-1"
    assert body["goals"][0]["met"] is True
    assert body["reliability_spaces"]["closing"]["lgbm"]["count"] == [700, 61]


def test_missing_forecasts_is_503_naming_the_command(no_forecast_client: Any) -> None:
    for path in ("/api/v1/forecasts", "/api/v1/watchlist", "/api/v1/backtest-metrics"):
        body = _problem(no_forecast_client.get(path), 503)
        assert "gbvs forecast" in body["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/goals",
        "/api/v1/goals/1",
        "/api/v1/threats",
        "/api/v1/threats/1",
        "/api/v1/pillars",
        "/api/v1/drivers",
        "/api/v1/drivers/climate_change",
        "/api/v1/regions",
        "/api/v1/regions/sahel",
        "/api/v1/trends",  # analyst (issue 12, fix 14)
        "/api/v1/trends/multi_order_world",
        "/api/v1/vital-interests",
        "/api/v1/vital-interests/territorial_security",
    ],
)
def test_strategy_resources(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text


def test_goals_are_the_thirteen_of_the_strategy_in_both_languages(client: Any) -> None:
    body = client.get("/api/v1/goals").json()
    assert body["total"] == 13
    assert body["data"][0]["title"]["nl"] and body["data"][0]["title"]["en"]
    assert client.get("/api/v1/goals?pillar=voorkomen").json()["total"] < 13


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/goals/99", 404),
        ("/api/v1/threats/99", 404),
        ("/api/v1/drivers/nonsense", 404),
        ("/api/v1/regions/atlantis", 404),
        ("/api/v1/goals?pillar=nonsense", 404),
        ("/api/v1/trends/nonsense", 404),
        ("/api/v1/vital-interests/nonsense", 404),
    ],
)
def test_unknown_strategy_records_are_404(client: Any, path: str, status: int) -> None:
    _problem(client.get(path), status)


def test_country_panel_has_the_wide_panels_driver_indicators_with_their_provenance(
    settings: Any, tmp_path: Path
) -> None:
    """The V-Dem v14 driver indicators live in the wide panel; the API lists them beside the panel's own
    columns, with V-Dem's provenance, and leaves the wide panel's other columns out."""
    store = storebuilder.build_store(tmp_path / "store.duckdb", wide=True)
    with TestClient(create_app(load_settings(data_dir=settings.data_dir, store_path=store))) as client:
        body = client.get("/api/v1/countries/SYR/panels?pageSize=100").json()
        table = client.get("/api/v1/countries/SYR/panels?format=csv").text
    rows = {row["year"]: row for row in body["data"]}
    assert (rows[2022]["vdem14_v2cacamps"], rows[2022]["vdem14_v2x_gender"]) == pytest.approx((3.025, 0.295))
    assert "vdem14_v2x_polyarchy" not in rows[2022] and rows[2022]["conflict"] == 1
    provenance = {item["column"]: item for item in body["provenance"]}
    assert list(provenance) == list(rows[2022])  # every column, in the rows' order
    for column in ("vdem14_v2cacamps", "vdem14_v2x_gender"):
        item = provenance[column]
        assert (item["source"], item["source_version"], item["data_vintage"], item["tables"]) == (
            "V-Dem country-year v14 (indicators)",
            "14",
            "2023",
            ["vdem_v14"],
        )
        assert item["licence"] == "CC BY-SA 4.0 (V-Dem data)" and item["derived_by"] is None
    first = next(csv.DictReader(io.StringIO(table)))
    assert (
        "vdem14_v2cacamps" in first
        and "vdem_v14=V-Dem country-year v14 (indicators) 14" in first["provenance"]
    )


def test_a_page_without_a_store_says_there_is_no_data_yet_and_names_the_command(empty_client: Any) -> None:
    page = empty_client.get("/bronnen")
    assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Nog geen gegevens</h1>" in page.text and "gbvs ingest" in page.text
