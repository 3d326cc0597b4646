"""One typed settings object, read from ``GBVS_*`` environment variables or a ``.env`` file.

Build it with :func:`load_settings`; nothing here runs at import time, so tests
and the web app pass their own settings (``create_app(settings)``).
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
import stat
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Literal

from dotenv import dotenv_values
from platformdirs import user_data_dir
from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from gbvs.errors import ConfigError

Language = Literal["nl", "en"]
ALLOWED_DB_SCHEMES = ("sqlite", "postgresql")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
EMPTY_PATH_FIX = {
    "data_dir": "set it to GBVS's data folder, or unset it for the default folder (`gbvs config` shows it)",
    "mirror": "set it to the mirror folder (laid out like ../shared/data), or unset it to download sources",
    "store_path": "set it to the store file's path, or unset it for store.duckdb in the data folder",
}
"""What to do about a path setting that is set but empty."""
DEFAULT_TOKEN_LIFETIME_DAYS = 90
"""How long an API token works after it is made, unless GBVS_TOKEN_LIFETIME_DAYS says otherwise."""


def _default_data_dir() -> Path:
    return Path(user_data_dir("gbvs", appauthor=False))


class Settings(BaseSettings):
    """GBVS configuration. Every field can be set as ``GBVS_<FIELD>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="GBVS_", env_file=".env", extra="ignore", frozen=True)

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Folder for GBVS's own files: database, analytical store, download cache, reports.",
    )
    mirror: Path | None = Field(
        default=None,
        description=(
            "Offline mirror folder laid out like ../shared/data (ucdp/, vdem/, ...). When set, sources "
            "are read from here and nothing is downloaded. Env var: GBVS_MIRROR."
        ),
    )
    allow_download: bool = Field(
        default=True,
        description=(
            "Whether sources missing from the mirror and cache may be downloaded from their official URL."
        ),
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the operational database. Default: a SQLite file gbvs.sqlite3 in data_dir. "
            "Production: postgresql+psycopg://user@host/dbname."
        ),
    )
    migration_database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL used by `gbvs db upgrade` / `downgrade`: the role that owns the tables. "
            "Default: database_url. On PostgreSQL set it to the owner and database_url to the "
            "application role, which then cannot change or disable the audit log's guards."
        ),
    )
    database_app_role: str | None = Field(
        default=None,
        pattern=r"^[a-z_][a-z0-9_]{0,62}$",
        description=(
            "PostgreSQL role of the application (the user in database_url). `gbvs db upgrade` grants it "
            "what it needs and no more: INSERT and SELECT on audit_log, read and write elsewhere."
        ),
    )
    store_path: Path | None = Field(
        default=None,
        description="Path of the DuckDB analytical store. Default: store.duckdb in data_dir.",
    )
    language: Language = Field(default="nl", description="Language of output: nl (default) or en.")
    web_host: str = Field(
        default="127.0.0.1",
        description="Address `gbvs serve` listens on. Loopback by default; anything else needs allow_remote.",
    )
    web_port: int = Field(default=8000, ge=1, le=65535, description="Port `gbvs serve` listens on.")
    allow_remote: bool = Field(
        default=False,
        description="Allow `gbvs serve` to listen on a non-loopback address (put it behind TLS and a login).",
    )
    contact_name: str | None = Field(
        default=None,
        description="Team running this installation: contact in the API document and accessibility page.",
    )
    contact_email: str | None = Field(
        default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="E-mail address of that team."
    )
    contact_url: str | None = Field(
        default=None, pattern=r"^https?://\S+$", description="Web page of that team (http or https URL)."
    )

    trusted_proxies: str = Field(
        default="",
        description=(
            "Comma-separated addresses or networks (e.g. 127.0.0.1,10.0.0.0/8) of reverse proxies whose "
            "X-Forwarded-For / X-Forwarded-Proto headers `gbvs serve` believes. Default: none, so the "
            "client address (login throttle, audit) is always the connection's."
        ),
    )

    token_lifetime_days: int = Field(
        default=DEFAULT_TOKEN_LIFETIME_DAYS,
        ge=1,
        le=3650,
        description=(
            "Days an API token works after it is made; then it is refused as expired and its owner makes "
            "a new one (`gbvs users tokens rotate ID`). Counted from each token's creation, so a shorter "
            "value also ends older tokens at once."
        ),
    )

    allowed_hosts: str = Field(
        default="",
        description=(
            "Comma-separated host names the web app answers to (the request's Host header, e.g. "
            "gbvs.example.nl). Default: in loopback mode 127.0.0.1, localhost and ::1 only, so a web page "
            "that points its own name at 127.0.0.1 (DNS rebinding) cannot read or change GBVS data; with "
            "allow_remote any name (set it to the server's public name). Loopback names are always allowed "
            "in loopback mode."
        ),
    )

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts_are_names(cls, value: str) -> str:
        names = [part.strip().lower().strip("[]") for part in value.split(",") if part.strip()]
        for name in names:
            if not (re.fullmatch(r"[a-z0-9._-]{1,253}", name) or _is_ipv6(name)):
                raise ValueError(
                    f"allowed host {name[:60]!r} is not a host name; list names such as gbvs.example.nl "
                    "separated by commas, without scheme, port or path, or leave it empty"
                )
        return ",".join(names)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        entries = []
        for entry in (part.strip() for part in value.split(",") if part.strip()):
            try:
                network = ipaddress.ip_network(entry, strict=False)
                entries.append(str(network) if "/" in entry else str(network.network_address))
            except ValueError:
                raise ValueError(
                    f"trusted proxy {entry!r} is not an IP address or network; list the proxies' "
                    "addresses separated by commas, e.g. 127.0.0.1,10.0.0.0/8, or leave it empty"
                ) from None
        return ",".join(entries)

    @field_validator("data_dir", "mirror", "store_path", mode="before")
    @classmethod
    def _path_is_not_empty(cls, value: object, info: ValidationInfo) -> object:
        """An empty value (``GBVS_MIRROR=$UNSET``) would be the current folder: refuse it with the fix."""
        if isinstance(value, str) and not value.strip():
            fix = EMPTY_PATH_FIX[info.field_name or ""]
            raise ValueError(f"is set but empty, which would mean the current folder; {fix}")
        return value

    @field_validator("mirror")
    @classmethod
    def _mirror_must_be_a_folder(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        value = value.expanduser()
        if not value.is_dir():
            raise ValueError(
                f"mirror folder {str(value)!r} does not exist or is not a folder; set GBVS_MIRROR to a "
                "folder laid out like ../shared/data, or unset it to download sources"
            )
        return value.resolve()

    @field_validator("database_url", "migration_database_url")
    @classmethod
    def _database_scheme_is_supported(cls, value: str | None) -> str | None:
        if value is None:
            return None
        scheme = value.split(":", 1)[0].split("+", 1)[0]
        if scheme not in ALLOWED_DB_SCHEMES:
            raise ValueError(
                f"database URL scheme {scheme!r} is not supported; use sqlite:///path/to/gbvs.sqlite3 "
                "or postgresql+psycopg://user@host/dbname"
            )
        return value

    @model_validator(mode="after")
    def _app_role_needs_postgresql(self) -> Settings:
        if self.database_app_role and not self.resolved_migration_database_url.startswith("postgresql"):
            raise ValueError(
                f"database_app_role {self.database_app_role!r} applies to PostgreSQL only; unset "
                "GBVS_DATABASE_APP_ROLE, or set GBVS_MIGRATION_DATABASE_URL to the PostgreSQL owner's URL"
            )
        return self

    @model_validator(mode="after")
    def _remote_listening_is_explicit(self) -> Settings:
        if self.web_host not in LOOPBACK_HOSTS and not self.allow_remote:
            raise ValueError(
                f"web_host {self.web_host!r} is not a loopback address; set GBVS_ALLOW_REMOTE=true only "
                "behind a TLS proxy with authentication, or use 127.0.0.1"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in ``data_dir``."""
        return self.database_url or f"sqlite:///{self.data_dir / 'gbvs.sqlite3'}"

    @property
    def resolved_migration_database_url(self) -> str:
        """The URL migrations run with: the table owner (defaults to the application's URL)."""
        return self.migration_database_url or self.resolved_database_url

    @property
    def resolved_store_path(self) -> Path:
        """The DuckDB store path, defaulting to ``data_dir/store.duckdb``."""
        return self.store_path or self.data_dir / "store.duckdb"

    @property
    def host_names(self) -> frozenset[str] | None:
        """The Host names the web app answers to; None: any (remote mode without ``allowed_hosts``)."""
        named = {entry for entry in self.allowed_hosts.split(",") if entry}
        if self.allow_remote:
            return frozenset(named) if named else None
        return frozenset(named | set(LOOPBACK_HOSTS))

    @property
    def trusted_proxy_list(self) -> list[str]:
        """The trusted proxies' addresses and networks (empty: trust no forwarding header)."""
        return [entry for entry in self.trusted_proxies.split(",") if entry]

    @property
    def token_lifetime(self) -> timedelta:
        """How long an API token works after it is made."""
        return timedelta(days=self.token_lifetime_days)

    @property
    def cache_dir(self) -> Path:
        """Where downloaded source files are cached."""
        return self.data_dir / "cache"

    def ensure_data_dir(self) -> Path:
        """Create ``data_dir`` (0700) or tighten a too-open one; refuse clearly if that is impossible."""
        from gbvs.filemodes import secure_data_dir

        try:
            secure_data_dir(self.data_dir)
        except OSError as exc:
            raise ConfigError(
                f"data folder {str(self.data_dir)!r} cannot be created ({exc.strerror}); "
                "set GBVS_DATA_DIR to a writable folder"
            ) from exc
        return self.data_dir


ENV_FILE = Path(".env")
"""Settings file read from the current folder, besides the environment."""


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment (plus ``overrides``); raise ConfigError with the fix."""
    check_env_file(ENV_FILE)
    check_variable_names(os.environ, ENV_FILE)
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(_describe(err) for err in exc.errors())
        raise ConfigError(f"GBVS configuration is invalid: {problems}") from exc


MISSPELLING_CUTOFF = 0.8
"""How like a setting's name (difflib's ratio) another GBVS_ variable must be to count as a misspelling of it;
the variables of the tests and scripts (GBVS_TOKEN, GBVS_TEST_WORKERS, ...) stay well below it."""


def check_variable_names(environ: Mapping[str, str], env_file: Path) -> None:
    """Refuse a GBVS_ variable that is not a setting but nearly one (``GBVS_ALLOWED_HOST``): it would be
    ignored without a word, and the setting meant left at its default."""
    settings = ["GBVS_" + name.upper() for name in Settings.model_fields]
    given = [(name, "") for name in environ]
    if env_file.is_file():
        given += [(name, f" (in {env_file})") for name in dotenv_values(env_file)]
    for name, where in given:
        upper = name.upper()
        if not upper.startswith("GBVS_") or upper in settings:
            continue
        meant = difflib.get_close_matches(upper, settings, n=1, cutoff=MISSPELLING_CUTOFF)
        if meant:
            raise ConfigError(
                f"{name}{where} is not a GBVS setting, so it would have no effect; did you mean {meant[0]}? "
                "Rename it, or unset it (`gbvs config` lists every setting)"
            )


def _is_ipv6(name: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(name), ipaddress.IPv6Address)
    except ValueError:
        return False


def check_env_file(path: Path) -> None:
    """Refuse a settings file that another OS user could have written (its owner and root aside).

    ``.env`` is read from the current folder, and it can switch on remote mode or point GBVS at
    another database: one that someone else can write must not be read.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    if not hasattr(os, "geteuid"):  # no POSIX owners (Windows)
        return
    if info.st_uid not in (os.geteuid(), 0) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise ConfigError(
            f"settings file {path.resolve()} can be changed by other OS users (owner uid {info.st_uid}, "
            f"mode {stat.filemode(info.st_mode)}), so GBVS does not read it; make it yours and "
            f"writable by you only (`chmod go-w {path}`), or run gbvs from another folder"
        )


def _describe(error: object) -> str:
    assert isinstance(error, dict)
    where = ".".join(str(part) for part in error.get("loc", ())) or "settings"
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"GBVS_{where.upper()}: {message}" if where != "settings" else message
