"""Who runs a command line (issue 8, finding 3): identities are proven, never claimed.

Two ways to act (docs/security.md, "Identity on the command line"):

- **Local mode** (nothing set): the command acts as the OS user who owns the data folder,
  recorded as ``os:<name>``. They hold every file of the installation, so they act with the
  admin role and outrank named accounts. Anyone else is refused, with the fix.
- **A named GBVS user**: ``GBVS_TOKEN`` holds one of their API tokens, verified against the
  database. ``--as NAME`` (or ``GBVS_USER``) only says whom the token must belong to; on its
  own it is refused, because a name is a claim, not a proof.
"""

from __future__ import annotations

import logging
import os
import pwd
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from gbvs.cli.locks import read_only_declaration, running_command, takes_write_lock
from gbvs.config import Settings, load_settings
from gbvs.db.audit import authorize_audited, record
from gbvs.db.migrate import ensure_current
from gbvs.db.services.principals import principal_from_token
from gbvs.db.session import ReadOnly, make_engine, make_session_factory, session_scope
from gbvs.errors import PermissionDeniedError, Said, Words, said
from gbvs.languages import N_
from gbvs.logwords import LOGGER
from gbvs.security.authz import authorize
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal

TOKEN_ENV = "GBVS_TOKEN"
USER_ENV = "GBVS_USER"

AsUser = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar=USER_ENV,
        help="The named user whose API token is in GBVS_TOKEN (refused without it). "
        "Without both: act as the OS owner of the data folder.",
    ),
]
"""``--as NAME``: the one option, with one help text, of every command that acts for a user (reads
included); the commands without it are in :data:`WITHOUT_AS`, with the reason ``--as`` tells."""

OWNER_ONLY = N_(
    "it acts only as the OS owner of the data folder, who holds every record of the installation; run it "
    "as that OS user, without --as and without GBVS_TOKEN"
)
FOR_NOBODY = N_(
    "it shows only what ships with GBVS or the settings of this installation, the same for every user; "
    "drop --as"
)
WEB_SERVER = N_("it starts the web server, where every user signs in for themselves; drop --as")
NO_DATABASE = N_("it writes a migration script for developers and acts for no user; drop --as")
SCHEMA_ONLY = N_("it only compares the database's schema with this version of GBVS, for no user; drop --as")
PUBLIC_FILES = N_(
    "it reads only public data (the mirror, a shipped file or a file you name) and acts for no user; "
    "drop --as"
)

WITHOUT_AS: dict[str, str] = {
    "config": FOR_NOBODY,
    "serve": WEB_SERVER,
    "db check": SCHEMA_ONLY,
    "db backup": OWNER_ONLY,
    "db revision": NO_DATABASE,
    "users create-admin": OWNER_ONLY,
    "users roles": FOR_NOBODY,
    **{
        f"strategy {name}": FOR_NOBODY
        for name in [
            "show",
            "goal",
            "goals",
            "threat",
            "drivers",
            "regions",
            "threats",
            "instruments",
            "frameworks",
            "trends",
            "interests",
            "check",
            "list",
        ]
    },
    "assessments methods": FOR_NOBODY,
    "assessments method": FOR_NOBODY,
    **{
        f"opinion {name}": PUBLIC_FILES
        for name in ["polls", "estimate", "trend", "published", "margins", "weights", "codebook"]
    },
}
"""The commands that act for no named user, and why ``--as`` is refused there (a message id, said after
"takes no --as"); every other command takes :data:`AsUser`. ``tests/cli/test_as_option.py`` walks every
command for this rule; a command listed here that asks who acts fails at once
(:func:`principal_from_claim`)."""


def token_from_environment() -> str | None:
    """The API token the command line should act with, if any."""
    return os.environ.get(TOKEN_ENV, "").strip() or None


def claimed_user(as_user: str | None) -> str | None:
    """The name given with ``--as`` or ``GBVS_USER`` (None when neither)."""
    return (as_user or os.environ.get(USER_ENV) or "").strip().lower() or None


def os_owner(settings: Settings) -> Principal:
    """The local-mode principal, after checking this OS user owns the data folder."""
    me = os.geteuid()
    owner = _owner_uid(settings.data_dir)
    if owner is not None and owner != me:
        raise PermissionDeniedError(
            said(
                "the data folder %(folder)s belongs to OS user %(owner)s, not to %(me)s; run gbvs as its "
                "owner (e.g. `sudo -u %(owner_name)s gbvs ...`), or act as a named GBVS user by setting "
                "%(token_env)s to one of your API tokens",
                folder=repr(str(settings.data_dir)),
                owner=repr(_name(owner)),
                me=repr(_name(me)),
                owner_name=_name(owner),
                token_env=TOKEN_ENV,
            )
        )
    return Principal.os_owner(_name(me))


def principal_from_claim(session: Session | None, settings: Settings, as_user: str | None) -> Principal:
    """The acting principal: the owner of ``GBVS_TOKEN`` (checked against ``--as``) or the OS owner."""
    _refuse_undeclared()
    token, claimed = token_from_environment(), claimed_user(as_user)
    if token is None:
        if claimed is not None:
            raise PermissionDeniedError(_unproven_claim(claimed))
        return os_owner(settings)
    if session is None:
        raise PermissionDeniedError(
            said(
                "%(token_env)s is set, but this command does not use the database; unset %(token_env)s to "
                "act as the OS owner of the data folder",
                token_env=TOKEN_ENV,
            )
        )
    principal = principal_from_token(session, token, settings.token_lifetime)
    if claimed is not None and claimed != principal.username:
        raise PermissionDeniedError(
            said(
                "%(token_env)s belongs to %(owner)s, not to %(claimed)s (--as / %(user_env)s); set the token "
                "of the user you mean, or drop --as",
                token_env=TOKEN_ENV,
                owner=repr(principal.username),
                claimed=repr(claimed),
                user_env=USER_ENV,
            )
        )
    return principal


@contextmanager
def database_session(
    settings: Settings, for_writing: bool = False, read_only: ReadOnly | None = None
) -> Iterator[Session]:
    """A session on the configured database, after checking the schema is current; ``for_writing``:
    the command changes the database, ``read_only``: the database refuses its writes
    (:func:`gbvs.db.session.session_scope`)."""
    engine = make_engine(settings)
    try:
        ensure_current(engine)
        factory = make_session_factory(engine)
        with session_scope(factory, for_writing=for_writing, read_only=read_only) as session:
            yield session
    finally:
        engine.dispose()


@contextmanager
def acting(as_user: str | None) -> Iterator[tuple[Session, Principal]]:
    """A session plus the proven acting principal (see the module docstring). The running command's
    entry in :data:`gbvs.cli.locks.COMMAND_LOCKS` says whether its session is ``for_writing`` (takes
    the write lock when it begins, for a command that changes the database) or reads (no write lock
    held while it runs; each audit entry of what it read is written apart, at once, and a failure to
    write it fails the command before anything is shown; any other write of a command declared to read
    is refused by the database, naming the command and the fix)."""
    command = running_command()
    for_writing = takes_write_lock(command)
    read_only = None if for_writing or command is None else read_only_declaration(command)
    settings = load_settings()
    if token_from_environment() is None:
        principal = principal_from_claim(None, settings, as_user)  # refuse before touching the database
        with database_session(settings, for_writing, read_only) as session:
            yield session, principal
        return
    with database_session(settings, for_writing, read_only) as session:
        yield session, principal_from_claim(session, settings, as_user)


def require(
    settings: Settings, permission: Permission, action: str, object_type: str, as_user: str | None
) -> Principal:
    """The acting principal of a command outside the account services (``as_user``: its ``--as``),
    once allowed ``permission``.

    Local mode needs no database; a token is verified there, and a refusal is recorded.
    """
    if token_from_environment() is None:
        principal = principal_from_claim(None, settings, as_user)
        authorize(principal, permission)
        return principal
    with database_session(settings) as session:
        principal = principal_from_claim(session, settings, as_user)
        authorize_audited(session, principal, permission, action, object_type)
        return principal


@contextmanager
def audited_run(
    settings: Settings, permission: Permission, action: str, object_type: str, as_user: str | None
) -> Iterator[dict[str, Any]]:
    """:func:`require`, run the block, then keep a ``success`` audit entry with the detail it filled in.

    For the long jobs outside the account services (ingest, backtest, forecast). A job that fails
    raises through and leaves no success entry. In local mode before the database exists (a new data
    folder, before ``gbvs db upgrade``) the job still runs and a note on stderr says it was not recorded.
    """
    principal = require(settings, permission, action, object_type, as_user)
    recordable = token_from_environment() is not None or _database_exists(settings)
    if recordable:
        with database_session(settings):
            pass  # an out-of-date schema is refused before the job runs, not after
    detail: dict[str, Any] = {}
    yield detail
    if not recordable:
        note = said(
            "note: %(action)s not recorded in the audit log: no database yet (run `gbvs db upgrade`)",
            action=action,
        )
        logging.getLogger(LOGGER).warning(Said.of(note))  # in the reader's language (gbvs.logwords)
        return
    with database_session(settings, for_writing=True) as session:
        record(session, principal, action, object_type, detail.pop("object_id", None), detail)


def _database_exists(settings: Settings) -> bool:
    url = settings.resolved_database_url
    if not url.startswith("sqlite"):
        return True
    path = url.split("///", 1)[-1]
    return path not in ("", ":memory:") and Path(path).is_file()


def _refuse_undeclared() -> None:
    """A command declared in :data:`WITHOUT_AS` that asks who acts is a programming error: it must take
    ``--as`` like every command that acts for a user."""
    command = running_command()
    if command in WITHOUT_AS:
        raise RuntimeError(
            f"`gbvs {command}` acts for a user, but gbvs.cli.identity.WITHOUT_AS says it does not; give it "
            "`as_user: AsUser = None` and take it out of WITHOUT_AS"
        )


def _unproven_claim(claimed: str) -> Words:
    return said(
        "--as %(user)s (or %(user_env)s) names a user but proves nothing; set %(token_env)s to an API token "
        "of %(quoted)s (the data folder's owner makes one with `gbvs users tokens create cli --user "
        "%(user)s`), or drop --as to act as the OS owner of the data folder",
        user=claimed,
        user_env=USER_ENV,
        token_env=TOKEN_ENV,
        quoted=repr(claimed),
    )


def _owner_uid(folder: Path) -> int | None:
    """The uid owning ``folder``, or None when it does not exist yet (whoever creates it owns it)."""
    try:
        return folder.stat().st_uid
    except FileNotFoundError:
        return None


def _name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"
