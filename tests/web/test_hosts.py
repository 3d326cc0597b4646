"""The web app answers only to the names of this installation (DNS rebinding; ``gbvs.web.hosts``)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.errors import ConfigError
from gbvs.web.app import create_app
from gbvs.web.hosts import host_name


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("127.0.0.1:8000", "127.0.0.1"),
        ("LOCALHOST", "localhost"),
        ("[::1]:8000", "::1"),
        ("[::1]", "::1"),
        ("evil.example:80", "evil.example"),
        ("", None),
        ("[::1", None),
        ("[::1]x", None),
        ("host:port", None),
        ("a:1:2", None),
    ],
)
def test_host_name_reads_the_header_as_a_browser_writes_it(header: str, name: str | None) -> None:
    assert host_name(header) == name


def _get(settings: Settings, host: str, path: str = "/strategie") -> tuple[int, str, str]:
    with TestClient(create_app(settings), base_url=f"http://{host}") as client:
        response = client.get(path)
    return response.status_code, response.headers["content-type"], response.text


def test_loopback_mode_refuses_a_page_that_rebinds_its_name_to_127_0_0_1(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GBVS_ALLOWED_HOSTS")
    loopback = load_settings()
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000"):
        assert _get(loopback, host)[0] == 200, host
    status, kind, text = _get(loopback, "attacker.example:8000")
    assert status == 400 and kind.startswith("text/plain")
    assert "host 'attacker.example'" in text and "GBVS_ALLOWED_HOSTS" in text and "127.0.0.1" in text
    status, kind, text = _get(loopback, "attacker.example", "/api/v1/countries")
    assert status == 400 and kind == "application/problem+json" and "GBVS_ALLOWED_HOSTS" in text


def test_named_hosts_are_answered_besides_the_loopback_names(settings: Settings) -> None:
    named = load_settings(allowed_hosts="GBVS.intern.example, [::1]")
    assert named.host_names == {"gbvs.intern.example", "::1", "127.0.0.1", "localhost"}
    assert _get(named, "gbvs.intern.example")[0] == 200
    assert _get(named, "other.example")[0] == 400


def test_remote_mode_answers_any_name_unless_told_which(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GBVS_ALLOWED_HOSTS")
    assert load_settings(allow_remote=True).host_names is None
    only = load_settings(allow_remote=True, allowed_hosts="gbvs.example.nl")
    assert only.host_names == {"gbvs.example.nl"}, "no loopback names behind a proxy"
    client = TestClient(create_app(only), base_url="https://other.example")  # refused before any database
    assert client.get("/aanmelden").status_code == 400


def test_a_malformed_allowed_host_is_named_with_the_fix(settings: Settings) -> None:
    with pytest.raises(ConfigError, match=re.escape("'https://gbvs.example.nl' is not a host name")):
        load_settings(allowed_hosts="https://gbvs.example.nl")
    with pytest.raises(ConfigError, match=re.escape("'gbvs.example.nl:8443' is not a host name")):
        load_settings(allowed_hosts="gbvs.example.nl:8443")  # a port would never match a Host's name
    assert load_settings(allowed_hosts="[fe80::1]").host_names == {"fe80::1", "127.0.0.1", "localhost", "::1"}
