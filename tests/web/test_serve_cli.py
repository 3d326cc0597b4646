"""``gbvs serve``: refuses a non-loopback address unless remote access is allowed."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from gbvs.cli.texts import said_in
from gbvs.cli.web import check_listen_address, serve_warnings
from gbvs.config import load_settings
from gbvs.errors import ConfigError
from gbvs.languages import Lang


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
        english = run_cli("serve", "--port", str(port), "--workers", "1", "--lang", "en")
    assert result.exit_code == 3, result.stderr
    assert f"fout: poort {port} op 127.0.0.1 is in gebruik (adres is al in gebruik)" in result.stderr
    assert f"--port {port + 1}" in result.stderr and "GBVS luistert" not in result.stdout
    assert english.exit_code == 3 and f"port {port} on 127.0.0.1 is in use (Address already in use)" in (
        english.stderr
    )


def test_serve_says_where_it_serves_in_the_readers_language(
    run_cli: Callable[..., Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    served: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: _answer_one_knock(served, options))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dutch = run_cli("serve", "--port", str(port), "--workers", "1")
    assert dutch.exit_code == 0, dutch.stderr
    assert dutch.stdout == (
        "GBVS wordt geladen… (dit kan een minuut duren; het adres volgt zodra de server antwoordt)\n"
        f"GBVS luistert op http://127.0.0.1:{port}/ (Ctrl+C stopt)\n"
    )
    assert dutch.stderr.startswith("waarschuwing: database "), dutch.stderr  # not migrated yet
    monkeypatch.setenv("GBVS_LANGUAGE", "en")
    english = run_cli("serve", "--port", str(port), "--workers", "1")
    assert english.stdout == (
        "GBVS is loading… (this can take a minute; the address follows once the server answers)\n"
        f"GBVS serving on http://127.0.0.1:{port}/ (Ctrl+C stops)\n"
    )
    assert english.stderr.startswith("warning: database ") and "answer 503" in english.stderr
    assert [options["port"] for options in served] == [port, port]


def _answer_one_knock(served: list[dict[str, Any]], options: dict[str, Any]) -> None:
    """uvicorn.run's stand-in: listen on the port until one connection (serve's knock) came, then stop."""
    served.append(options)
    with socket.create_server((options["host"], options["port"])) as listener:
        listener.settimeout(20)
        connection, _ = listener.accept()
        connection.close()


def test_serve_that_stops_before_listening_never_claims_to_listen(
    run_cli: Callable[..., Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_cli("serve", "--port", str(port), "--workers", "1")
    assert result.stdout.startswith("GBVS wordt geladen…") and "GBVS luistert" not in result.stdout


def test_serve_says_it_listens_only_once_the_port_accepts_connections(
    settings: Any, web_data_dir: Path, web_server: ModuleType
) -> None:
    """The walk: "GBVS luistert op ..." came a minute before the port took connections (2 workers)."""
    port = web_server.free_port()
    command = [str(Path(sys.executable).with_name("gbvs")), "serve", "--port", str(port)]
    environment = {**os.environ, "GBVS_DATA_DIR": str(web_data_dir), "GBVS_LANGUAGE": "nl"}
    with subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as server:
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=lambda: [lines.put(line) for line in server.stdout or ()], daemon=True
        ).start()
        try:
            said = [lines.get(timeout=300)]
            while not said[-1].startswith("GBVS luistert op"):
                said.append(lines.get(timeout=300))
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                pass  # refused before the fix: the line came before the workers listened
        finally:
            server.terminate()
            server.wait(timeout=60)
    assert said[0].startswith("GBVS wordt geladen…"), said
    assert said[-1] == f"GBVS luistert op http://127.0.0.1:{port}/ (Ctrl+C stopt)\n"


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
    assert "elke netwerkinterface" in result.stderr and "GBVS_ALLOWED_HOSTS" in result.stderr
    assert "--host 127.0.0.1" in result.stderr and "GBVS luistert" not in result.stdout


def test_unsafe_remote_settings_are_warned_about_with_the_fix(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _remote(monkeypatch)
    warnings = _said(load_settings(), "127.0.0.1", "en")
    assert any("GBVS_ALLOWED_HOSTS is empty" in w and "gbvs.example.nl" in w for w in warnings)
    assert any("GBVS_TRUSTED_PROXIES is empty" in w and "plain http" in w for w in warnings)
    dutch = _said(load_settings(), "127.0.0.1", "nl")
    assert any("GBVS_TRUSTED_PROXIES is leeg" in w and "onversleuteld http" in w for w in dutch)
    _remote(monkeypatch, GBVS_ALLOWED_HOSTS="gbvs.example.nl", GBVS_TRUSTED_PROXIES="127.0.0.1")
    assert not [w for w in _said(load_settings(), "127.0.0.1", "en") if "GBVS_" in w]
    everywhere = _said(load_settings(), "0.0.0.0", "en")
    assert any("every network interface" in w and "bypass" in w for w in everywhere)


def _said(settings: Any, host: str, lang: Lang) -> list[str]:
    return [said_in(words, lang) for words in serve_warnings(settings, host)]


def test_a_database_that_is_not_migrated_is_named_when_serving(settings: Any) -> None:
    assert any("run `gbvs db upgrade`" in w for w in _said(settings, "127.0.0.1", "en"))
    assert any("voer `gbvs db upgrade` uit. Tot dan" in w for w in _said(settings, "127.0.0.1", "nl"))
    assert not settings.data_dir.joinpath("gbvs.sqlite3").exists(), "checking must not create the database"


def test_serve_prints_its_warnings_before_it_starts(
    run_cli: Callable[..., Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _remote(monkeypatch)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run_cli("serve", "--port", str(busy.getsockname()[1]), "--workers", "1")
    assert result.exit_code == 3 and "is in gebruik" in result.stderr
    assert "waarschuwing: GBVS_ALLOWED_HOSTS is leeg" in result.stderr
