"""``gbvs config``: show the settings in force and where each comes from."""

from __future__ import annotations

import typer

from gbvs.cli.output import FormatOption, OutputFormat, echo, print_json
from gbvs.config import Settings, load_settings


def _settings_rows(settings: Settings) -> list[dict[str, str]]:
    values = {
        "data_dir": str(settings.data_dir),
        "mirror": str(settings.mirror) if settings.mirror else "",
        "allow_download": str(settings.allow_download).lower(),
        "database_url": _redact(settings.resolved_database_url),
        "store_path": str(settings.resolved_store_path),
        "language": settings.language,
        "web_host": settings.web_host,
        "web_port": str(settings.web_port),
        "allow_remote": str(settings.allow_remote).lower(),
    }
    fields = Settings.model_fields
    return [
        {"name": name, "env": f"GBVS_{name.upper()}", "value": value, "help": fields[name].description or ""}
        for name, value in values.items()
    ]


def _redact(url: str) -> str:
    """Hide a password in a database URL."""
    if "://" not in url or "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url


def show_config(output_format: FormatOption = OutputFormat.text) -> None:
    """Show the settings in force (password in the database URL hidden)."""
    rows = _settings_rows(load_settings())
    if output_format is OutputFormat.json:
        print_json(rows)
        return
    for row in rows:
        echo(f"{row['env']:<22} {row['value']}")
        echo(f"{'':<22} {row['help']}")


def register(app: typer.Typer) -> None:
    """Add ``gbvs config``."""
    app.command("config")(show_config)
