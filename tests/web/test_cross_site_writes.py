"""Loopback mode has no login: a page of another web site must not change GBVS data through the API.

A page on any site can make the browser send a POST to http://127.0.0.1:8000 without a CORS preflight
when the body has no Content-Type (``fetch`` with a Blob). Before, only FastAPI's strict Content-Type
default (from FastAPI 0.132, while pyproject allowed 0.110) kept such a body from being read as JSON
and stored as the local user. Now every state-changing API call in loopback mode is refused when the
browser says it comes from another site (``Origin``, ``Sec-Fetch-Site``), whatever FastAPI does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

WRITE = "/api/v1/signals"
BODY = b'{"title": "planted by another site"}'


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://localhost:3000"},  # another program's page on this computer
        {"Origin": "null"},  # a sandboxed frame or a file:// page
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_a_change_from_another_site_is_refused_in_loopback_mode(
    client: TestClient, headers: dict[str, str]
) -> None:
    for method, path in (("POST", WRITE), ("POST", "/api/v1/actions"), ("PATCH", "/api/v1/actions/1")):
        refused = client.request(method, path, content=BODY, headers=headers)
        assert refused.status_code == 403, (method, path, refused.text)
        detail = refused.json()["detail"]
        assert "another web site" in detail and "Origin" in detail, detail
    own = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}
    for headers in (own, {"Content-Type": "application/json"}):  # a browser on GBVS's page; curl
        answer = client.post(WRITE, content=BODY, headers=headers)
        assert answer.status_code != 403 or "another web site" not in answer.text, answer.text


def test_the_fastapi_floor_has_strict_content_types() -> None:
    """FastAPI reads a body without Content-Type as JSON before 0.132: the floor must not allow that."""
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'"fastapi>=(\d+)\.(\d+)', pyproject)
    assert found and (int(found[1]), int(found[2])) >= (0, 132), found and found[0]
