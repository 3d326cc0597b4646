"""``gbvs serve``: start the web application (pages and ``/api/v1``) on this machine."""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Annotated

import typer

from gbvs.cli.options import LangOption, resolve_lang
from gbvs.cli.output import ReaderGone, echo, os_reason
from gbvs.cli.texts import said_in
from gbvs.config import LOOPBACK_HOSTS, Settings, load_settings
from gbvs.errors import ConfigError, GBVSError, Said, Words, said

EVERY_INTERFACE = ("0.0.0.0", "::", "")
"""Listen addresses that accept connections on every network interface."""
READY_POLL_SECONDS = 0.2
"""How often ``gbvs serve`` knocks on its own port while the server processes load."""


def check_listen_address(settings: Settings, host: str) -> None:
    """Refuse a non-loopback address unless ``allow_remote`` is set (the message says how)."""
    if host not in LOOPBACK_HOSTS and not settings.allow_remote:
        raise ConfigError(
            said(
                "host %(host)s is not a loopback address; GBVS serves only this machine by default. Use "
                "--host 127.0.0.1, or set GBVS_ALLOW_REMOTE=true behind a TLS proxy (API tokens then "
                "required)",
                host=repr(host),
            )
        )


def check_remote_exposure(settings: Settings, host: str) -> None:
    """Refuse remote mode on every interface without GBVS_ALLOWED_HOSTS: plain http for any name, anywhere."""
    if settings.allow_remote and host in EVERY_INTERFACE and settings.host_names is None:
        raise ConfigError(
            said(
                "host %(host)s listens on every network interface in remote mode while GBVS_ALLOWED_HOSTS "
                "is empty, so the server answers plain-http requests for any host name from any network. "
                "Listen on the address the TLS proxy connects to (--host 127.0.0.1, or GBVS_WEB_HOST) and "
                "set GBVS_ALLOWED_HOSTS to the server's public name (e.g. gbvs.example.nl); see "
                "docs/operations.md",
                host=repr(host),
            )
        )


def serve_warnings(settings: Settings, host: str) -> list[Words]:
    """What is unsafe or unready about serving with ``settings`` on ``host``, each with its fix (words
    the reader's language says, :func:`gbvs.cli.texts.said_in`)."""
    warnings = [problem] if (problem := _database_problem(settings)) else []
    if not settings.allow_remote:
        return warnings
    if settings.host_names is None:
        warnings.append(
            said(
                "GBVS_ALLOWED_HOSTS is empty, so the server answers requests for any host name; set it to "
                "the server's public name(s), e.g. GBVS_ALLOWED_HOSTS=gbvs.example.nl"
            )
        )
    if not settings.trusted_proxy_list:
        warnings.append(
            said(
                "GBVS_TRUSTED_PROXIES is empty: either clients reach GBVS directly over plain http "
                "(passwords and API tokens then cross the network unencrypted) or every client counts as "
                "the proxy's address in the login throttle and the audit log; put a TLS proxy in front and "
                "list its address, e.g. GBVS_TRUSTED_PROXIES=127.0.0.1"
            )
        )
    if host in EVERY_INTERFACE:
        warnings.append(
            said(
                "host %(host)s listens on every network interface, so clients can bypass the TLS proxy; "
                "listen on the address the proxy connects to (--host 127.0.0.1, or GBVS_WEB_HOST)",
                host=repr(host),
            )
        )
    return warnings


def _database_problem(settings: Settings) -> Words | None:
    """The operational database's problem (not migrated, or written by a newer GBVS), if any."""
    from gbvs.cli.db import database_status

    try:
        words = database_status(settings).problem_words()
    except GBVSError as exc:
        words = exc.words
        if words is None:
            return _until_migrated(str(exc))
    return None if words is None else _until_migrated(Said.of(words))


def _until_migrated(problem: str) -> Words:
    return said(
        "%(problem)s; until then logins and the pages that need the database answer 503", problem=problem
    )


def check_port_free(host: str, port: int) -> None:
    """Refuse a port another program listens on, before claiming to serve (the message says what to do).

    Binds and releases the address the way uvicorn will (``SO_REUSEADDR``), so a port in TIME_WAIT
    after a restart is not refused.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ConfigError(
                said(
                    "port %(port)s on %(host)s is in use (%(reason)s): another GBVS or program serves there. "
                    "Stop it, or choose a free port with --port %(free)s (or GBVS_WEB_PORT)",
                    port=port,
                    host=host,
                    reason=os_reason(exc),
                    free=port + 1 if port < 65535 else 8000,
                )
            ) from None


def serve(
    host: Annotated[
        str | None, typer.Option("--host", help="Address to listen on (default: GBVS_WEB_HOST).")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option("--port", min=1, max=65535, help="Port to listen on (default: GBVS_WEB_PORT)."),
    ] = None,
    workers: Annotated[
        int,
        typer.Option("--workers", min=1, max=16, help="Server processes (more processes use more cores)."),
    ] = 2,
    lang: LangOption = None,
) -> None:
    """Serve the GBVS pages and the REST API /api/v1 from the local analytical store."""
    settings = load_settings()
    chosen_host = host or settings.web_host
    check_listen_address(settings, chosen_host)
    check_remote_exposure(settings, chosen_host)
    chosen_lang = resolve_lang(lang)
    for warning in serve_warnings(settings, chosen_host):
        echo(said_in(said("warning: %(message)s", message=Said.of(warning)), chosen_lang), err=True)
    chosen_port = port or settings.web_port
    check_port_free(chosen_host, chosen_port)
    echo(
        said_in(
            said("GBVS is loading… (this can take a minute; the address follows once the server answers)"),
            chosen_lang,
        )
    )
    import uvicorn  # after the checks: a refusal comes at once, not after loading the web app

    from gbvs.web.app import create_app

    url = f"http://{_url_host(chosen_host)}:{chosen_port}/"
    listening = said_in(said("GBVS serving on %(url)s (Ctrl+C stops)", url=url), chosen_lang)
    stopped = threading.Event()
    watcher = announce_when_listening(chosen_host, chosen_port, listening, stopped)
    options = {"host": chosen_host, "port": chosen_port, **uvicorn_options(settings)}
    try:
        if workers == 1:
            uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
            return
        # Several processes: each builds its own app from the same GBVS_* environment.
        app_factory = "gbvs.web.app:create_app_from_environment"
        uvicorn.run(app_factory, factory=True, workers=workers, **options)  # type: ignore[arg-type]
    finally:
        stopped.set()
        watcher.join(timeout=2)  # a knock that was answered still says so


def announce_when_listening(host: str, port: int, line: str, stopped: threading.Event) -> threading.Thread:
    """Print ``line`` once ``host:port`` accepts connections (checked from a thread beside the server),
    not before: the server processes take a minute to load on a busy machine, and whoever opened the
    address as soon as it was printed got "connection refused". Gives up silently once ``stopped`` is set."""

    def watch() -> None:
        while not stopped.is_set():
            if accepts_connections(host, port):
                with contextlib.suppress(ReaderGone):  # nobody reads stdout any more: nothing to say
                    echo(line)
                return
            stopped.wait(READY_POLL_SECONDS)

    watcher = threading.Thread(target=watch, name="gbvs-serve-ready", daemon=True)
    watcher.start()
    return watcher


def accepts_connections(host: str, port: int) -> bool:
    """Whether a server accepts TCP connections on ``host:port`` (every interface: via loopback)."""
    knock = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    try:
        with socket.create_connection((knock, port), timeout=1):
            return True
    except OSError:
        return False


def uvicorn_options(settings: Settings) -> dict[str, object]:
    """Server options: quiet logs, and forwarding headers believed only from GBVS_TRUSTED_PROXIES.

    uvicorn's own default believes X-Forwarded-For from 127.0.0.1, which let any local client choose
    its address (and so escape the login throttle; issue 8, finding 9).
    """
    proxies = settings.trusted_proxy_list
    return {
        "log_level": "warning",
        "access_log": False,
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or [],
    }


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def register(app: typer.Typer) -> None:
    """Add ``gbvs serve``."""
    app.command("serve")(serve)
