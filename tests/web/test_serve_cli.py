"""``gbvs serve``: refuses a non-loopback address unless remote access is allowed."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest

from gbvs.cli.web import check_listen_address, serve_warnings
from gbvs.config import load_settings
from gbvs.errors import ConfigError


def test_serve_refuses_a_public_address(run_cli: Callable[..., Any], settings: Any) -> None:
    result = run_cli("serve", "--host", "0.0.0.0", "--port", "8765")
    assert result.exit_code == 3
    assert "0.0.0.0" in result.stderr and "GBVS_ALLOW_REMOTE" in result.stderr


def test_remote_listening_needs_allow_remote(settings: Any) -> None:
    with pytest.raises(ConfigError, match="loopback"):
        check_listen_address(settings, "192.0.2.10")
    check_listen_address(settings, "127.0.0.1")
    check_listen_address(load_settings(data_dir=settings.data_dir, allow_remote=True), "192.0.2.10")


def test_serve_has_help(run_cli: Callable[..., Any]) -> None:
    result = run_cli("serve", "--help")
    assert result.exit_code == 0 and "--host" in result.stdout and "--port" in result.stdout


def test_serve_on_a_busy_port_says_so_before_claiming_to_serve(
    run_cli: Callable[..., Any], settings: Any
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--workers", "1")
    assert result.exit_code == 3, result.stderr
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr and "--port" in result.stderr
    assert "serving" not in result.stdout


def _remote(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    """Remote mode with only the given GBVS_ALLOWED_HOSTS / GBVS_TRUSTED_PROXIES (the fixture sets hosts)."""
    monkeypatch.setenv("GBVS_ALLOW_REMOTE", "true")
    for name in ("GBVS_ALLOWED_HOSTS", "GBVS_TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_remote_mode_on_every_interface_without_allowed_hosts_is_refused(
    run_cli: Callable[..., Any], settings: Any, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    _remote(monkeypatch)
    result = run_cli("serve", "--host", host, "--port", "8765", "--workers", "1")
    assert result.exit_code == 3, result.stderr
    assert "every network interface" in result.stderr and "GBVS_ALLOWED_HOSTS" in result.stderr
    assert "--host 127.0.0.1" in result.stderr and "serving" not in result.stdout


def test_unsafe_remote_settings_are_warned_about_with_the_fix(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _remote(monkeypatch)
    warnings = serve_warnings(load_settings(), "127.0.0.1")
    assert any("GBVS_ALLOWED_HOSTS is empty" in w and "gbvs.example.nl" in w for w in warnings)
    assert any("GBVS_TRUSTED_PROXIES is empty" in w and "plain http" in w for w in warnings)
    _remote(monkeypatch, GBVS_ALLOWED_HOSTS="gbvs.example.nl", GBVS_TRUSTED_PROXIES="127.0.0.1")
    assert not [w for w in serve_warnings(load_settings(), "127.0.0.1") if "GBVS_" in w]
    everywhere = serve_warnings(load_settings(), "0.0.0.0")
    assert any("every network interface" in w and "bypass" in w for w in everywhere)


def test_a_database_that_is_not_migrated_is_named_when_serving(settings: Any) -> None:
    assert any("run `gbvs db upgrade`" in w for w in serve_warnings(settings, "127.0.0.1"))
    assert not settings.data_dir.joinpath("gbvs.sqlite3").exists(), "checking must not create the database"


def test_serve_prints_its_warnings_before_it_starts(
    run_cli: Callable[..., Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _remote(monkeypatch)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run_cli("serve", "--port", str(busy.getsockname()[1]), "--workers", "1")
    assert result.exit_code == 3 and "is in use" in result.stderr
    assert "warning: GBVS_ALLOWED_HOSTS is empty" in result.stderr
