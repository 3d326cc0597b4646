"""The API says no to what it does not understand: an unknown query parameter is a 400 naming it and the
parameters the endpoint accepts (``GET /reports/{period}/indicators?goal=5`` answered every goal, so a
reader believed she had filtered); and the filters a reader expects from the pages are there."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.db.migrate import upgrade
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.reports import records
from gbvs.security import Principal
from gbvs.web.app import all_routes, create_app
from gbvs.web.middleware import API_PREFIX

PROBLEM = "application/problem+json"
PERIOD = "2018-2019"


def _invalid(response: Any) -> dict[str, str]:
    """The 400 problem's ``invalidParams`` as name -> reason."""
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PROBLEM
    return {item["name"]: item["reason"] for item in response.json()["invalidParams"]}


def _api_reads(app: Any) -> list[APIRoute]:
    return [r for r in all_routes(app.routes) if r.path.startswith(API_PREFIX) and "GET" in r.methods]


def test_an_unknown_parameter_is_refused_naming_it_and_the_accepted_ones(client: TestClient) -> None:
    response = client.get("/api/v1/countries?goal=5")
    invalid = _invalid(response)
    assert list(invalid) == ["goal"]
    assert "accepts: lang, page, pageSize" in invalid["goal"]
    assert "'goal'" in response.json()["detail"] and "pageSize" in response.json()["detail"]


def test_each_unknown_parameter_is_named_once(client: TestClient) -> None:
    response = client.get("/api/v1/sources?page=1&regio=sahel&Format=csv&regio=x")
    assert list(_invalid(response)) == ["regio", "Format"]


def test_every_api_read_refuses_an_unknown_parameter(client: TestClient) -> None:
    reads = _api_reads(client.app)
    assert len(reads) > 50, "every read of the API is checked"
    for route in reads:
        path = re.sub(r"\{[^}]+\}", "1", route.path)
        invalid = _invalid(client.get(f"{path}?notAFilter=1"))
        assert list(invalid) == ["notAFilter"], route.path


def test_a_write_refuses_an_unknown_parameter_too(client: TestClient) -> None:
    response = client.post("/api/v1/signals?dryRun=true", json={})
    assert list(_invalid(response)) == ["dryRun"]


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/countries?page=1&pageSize=2&lang=en",
        "/api/v1/countries?page_size=2",  # the deprecated name, not in the document
        "/api/v1/sources?format=csv&lang=nl",
        "/api/v1/risk-rankings?target=incidence&horizon=1&region=&view=all&q=&sort=risk&format=csv",
        "/api/v1/indicators/conflict/values?year=2020&region=sahel&format=geojson",
    ],
)
def test_the_documented_parameters_are_accepted_and_one_more_is_not(client: TestClient, query: str) -> None:
    """Paging, format, lang, the deprecated page_size and what the pages' own download links send."""
    response = client.get(query)
    assert response.status_code == 200, response.text
    assert list(_invalid(client.get(f"{query}&pageNumber=2"))) == ["pageNumber"]


def test_the_document_says_unknown_parameters_are_refused_and_lists_lang(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            assert names.count("lang") == 1, f"{method} {path}: {names}"
            assert "unknown" in operation["responses"]["400"]["description"], f"{method} {path}"


# --- filters the pages have -------------------------------------------------------------------------


@pytest.fixture
def report_client(web_settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    """Loopback mode over the small store, with period 2018-2019 and the results chain seeded."""
    settings = load_settings(data_dir=web_settings.data_dir, database_url=f"sqlite:///{tmp_path / 'ops.db'}")
    engine = make_engine(settings)
    upgrade(engine)
    owner = Principal.os_owner("tester")
    with session_scope(make_session_factory(engine)) as session:
        records.period(session, owner, PERIOD, create=True)
        records.seed_results_chain(session, owner)
    engine.dispose()
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_report_indicators_filter_by_goal(report_client: TestClient) -> None:
    path = f"/api/v1/reports/{PERIOD}/indicators"
    every = report_client.get(f"{path}?pageSize=200").json()
    assert len({row["goal"] for row in every["data"]}) == 13, "the check can fail: all goals are there"
    five = report_client.get(f"{path}?goal=5&pageSize=200").json()
    assert five["data"] and {row["goal"] for row in five["data"]} == {5}
    assert five["total"] == sum(1 for row in every["data"] if row["goal"] == 5)
    assert "goal=5" in five["_links"]["next" if five["_links"]["next"] else "first"]
    csv = report_client.get(f"{path}?goal=5&format=csv").text.splitlines()
    assert len(csv) == 1 + five["total"] and all(",5," in line for line in csv[1:])


def test_an_unknown_goal_is_a_400_naming_the_goals(report_client: TestClient) -> None:
    invalid = _invalid(report_client.get(f"/api/v1/reports/{PERIOD}/indicators?goal=14"))
    assert "unknown goal 14" in invalid["goal"] and "1, 2, 3" in invalid["goal"] and "13" in invalid["goal"]


def test_forecasts_filter_by_region_and_horizon(client: TestClient) -> None:
    every = client.get("/api/v1/forecasts?pageSize=100").json()["data"]
    assert {row["iso3"] for row in every} > {"MLI"}, "the check can fail: more than the Sahel"
    sahel = client.get("/api/v1/forecasts?region=sahel&pageSize=100").json()["data"]
    assert sahel and {row["iso3"] for row in sahel} == {"MLI"}
    two = client.get("/api/v1/forecasts?horizon=2&pageSize=100").json()["data"]
    assert two and {row["horizon"] for row in two} == {2} and len(two) < len(every)
    invalid = _invalid(client.get("/api/v1/forecasts?region=atlantis"))
    assert "sahel" in invalid["region"]


@pytest.fixture
def register_client(web_settings: Settings, signals_database: str) -> Iterator[TestClient]:
    """Loopback mode over the small public register (six signals reported in 2023)."""
    settings = load_settings(data_dir=web_settings.data_dir, database_url=signals_database)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_signal_statistics_take_the_filters_of_the_list(register_client: TestClient) -> None:
    """The statistics page filters by period, goal, threat...; the API counted every signal."""
    path = "/api/v1/signals/statistics?by=kind"

    def total(query: str) -> int:
        response = register_client.get(path + query)
        assert response.status_code == 200, response.text
        return sum(row["count"] for row in response.json())

    every = total("")
    assert every > 0
    late = total("&reportedFrom=2023-05-01")
    listed = register_client.get("/api/v1/signals?reportedFrom=2023-05-01").json()["total"]
    assert 0 < late == listed < every
    assert total("&threat=5") < every
    assert total("&goal=8") == every and total("&goal=9") == 0


def test_a_country_filter_naming_no_country_is_a_400_naming_the_value(client: TestClient) -> None:
    """`/forecasts?country=ZZZ` answered 404, as if the list were missing, while the command line says
    exit 4 (wrong input): a filter value is no address. The path `/countries/XXA` stays a 404."""
    invalid = _invalid(client.get("/api/v1/forecasts?country=ZZZ"))
    assert "'ZZZ'" in invalid["country"] and "SYR" in invalid["country"]
    assert client.get("/api/v1/forecasts?country=mli&pageSize=100").json()["data"]  # any case, as before
    assert client.get("/api/v1/countries/XXA").status_code == 404
    assert client.get("/api/v1/countries/ZZZ").status_code == 404


def test_a_signal_filter_naming_no_country_is_a_400_too(register_client: TestClient) -> None:
    """The signals list answered an unknown country with an empty list, which reads as "no signals"."""
    invalid = _invalid(register_client.get("/api/v1/signals?country=ZZZ"))
    assert "'ZZZ'" in invalid["country"]
    assert _invalid(register_client.get("/api/v1/signals/statistics?by=kind&country=ZZZ"))["country"]
    assert register_client.get("/api/v1/signals?country=pse").status_code == 200  # a state without GW code


def test_the_openapi_document_refuses_an_unknown_parameter_like_every_other_operation(
    client: TestClient,
) -> None:
    """FastAPI's own route of the document answered ``?versoin=2`` with the document, as if understood."""
    invalid = _invalid(client.get("/api/v1/openapi.json?versoin=2"))
    assert list(invalid) == ["versoin"] and "openapi.json accepts: lang (" in invalid["versoin"]
    for query in ("", "?lang=en"):
        response = client.get(f"/api/v1/openapi.json{query}")
        assert response.status_code == 200 and response.json()["openapi"].startswith("3.")
