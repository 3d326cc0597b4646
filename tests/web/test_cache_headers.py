"""Caching and transport headers (issue 8, finding 10).

Before: logged-in pages, API answers and exports came without ``Cache-Control: no-store`` (a shared
or later browser user could read them from the cache), and remote mode sent no HSTS.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")
PROTECTED = (
    "/bronnen",
    "/strategie",
    "/strategie/trends",  # analyst (issue 12, fix 14)
    "/strategie/belangen",
    "/api/v1/trends",
    "/api/v1/vital-interests/territorial_security",
    "/api/v1/sources",
    "/api/v1/sources?format=csv",
    "/api/v1/forecasts?format=geojson",
    "/api/v1/countries/SYR/conflict-history?format=csv",
    "/vergelijken?landen=SYR,MLI",  # analyst (issue 12): countries side by side
    "/api/v1/country-comparisons?countries=SYR,MLI&format=xlsx",
)


@pytest.mark.parametrize("path", PROTECTED)
def test_remote_answers_are_not_stored_and_demand_https(remote_site: Any, path: str) -> None:
    headers = {"Authorization": f"Bearer {remote_site.token()}"}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        response = client.get(path, headers=headers)
        refused = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert refused.status_code == 401 and refused.headers["cache-control"] == "no-store"


def test_static_files_may_be_cached(remote_site: Any) -> None:
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        response = client.get("/static/gbvs.css")
    assert response.status_code == 200 and "no-store" not in response.headers.get("cache-control", "")


def test_loopback_mode_sends_no_hsts_but_keeps_no_store(client: TestClient) -> None:
    response = client.get("/api/v1/sources?format=csv")
    assert response.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in response.headers


def test_remote_mode_sends_the_language_cookie_over_https_only(remote_site: Any, client: TestClient) -> None:
    """Every cookie of remote mode carries Secure (the language choice was sent without it, so a browser
    would also send it over plain HTTP); loopback mode, served over plain HTTP, keeps it without."""
    headers = {"Authorization": f"Bearer {remote_site.token()}"}
    with TestClient(remote_site.app(), base_url="https://testserver") as remote:
        cookie = remote.get("/bronnen?lang=en", headers=headers).headers["set-cookie"]
    assert cookie.startswith("gbvs_lang=en") and "Secure" in cookie and "HttpOnly" in cookie
    assert "Secure" not in client.get("/bronnen?lang=en").headers["set-cookie"]
