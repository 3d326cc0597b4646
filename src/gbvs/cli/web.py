"""``gbvs serve``: start the web application (pages and ``/api/v1``) on this machine."""

from __future__ import annotations

import socket
from typing import Annotated

import typer

from gbvs.cli.output import echo
from gbvs.config import LOOPBACK_HOSTS, Settings, load_settings
from gbvs.errors import ConfigError


def check_listen_address(settings: Settings, host: str) -> None:
    """Refuse a non-loopback address unless ``allow_remote`` is set (the message says how)."""
    if host not in LOOPBACK_HOSTS and not settings.allow_remote:
        raise ConfigError(
            f"host {host!r} is not a loopback address; GBVS serves only this machine by default. Use "
            "--host 127.0.0.1, or set GBVS_ALLOW_REMOTE=true behind a TLS proxy (API tokens then required)"
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
                f"port {port} on {host} is in use ({exc.strerror or exc}): another GBVS or program serves "
                f"there. Stop it, or choose a free port with --port {port + 1 if port < 65535 else 8000} "
                "(or GBVS_WEB_PORT)"
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
) -> None:
    """Serve the GBVS pages and the REST API /api/v1 from the local analytical store."""
    import uvicorn

    from gbvs.web.app import create_app

    settings = load_settings()
    chosen_host = host or settings.web_host
    check_listen_address(settings, chosen_host)
    chosen_port = port or settings.web_port
    check_port_free(chosen_host, chosen_port)
    echo(f"GBVS serving on http://{_url_host(chosen_host)}:{chosen_port}/ (Ctrl+C stops)")
    options = {"host": chosen_host, "port": chosen_port, **uvicorn_options(settings)}
    if workers == 1:
        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
        return
    # Several processes: each builds its own app from the same GBVS_* environment.
    app_factory = "gbvs.web.app:create_app_from_environment"
    uvicorn.run(app_factory, factory=True, workers=workers, **options)  # type: ignore[arg-type]


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
