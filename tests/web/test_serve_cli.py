"""``gbvs serve``: refuses a non-loopback address unless remote access is allowed."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest

from gbvs.cli.web import check_listen_address
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
