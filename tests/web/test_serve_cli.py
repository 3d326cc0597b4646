"""``gbvs serve``: refuses a non-loopback address unless remote access is allowed."""

from __future__ import annotations

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
