"""``gbvs orgs``, ``gbvs users``, ``gbvs audit``: accounts and the audit log from the command line.

Commands act as the OS owner of the data folder, or as the named user whose API
token is in ``GBVS_TOKEN`` (:mod:`gbvs.cli.identity`), and go through the same
services and authorization checks as the web app, so they are audited the same
way. The very first admin is made by the OS owner with
``gbvs users create-admin NAME``, which only works while no admin exists.
"""

from __future__ import annotations

import getpass
import shlex
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel

from gbvs.cli.identity import AsUser, acting, database_session, os_owner
from gbvs.cli.options import LangOption, resolve_lang, row_id
from gbvs.cli.output import (
    FormatOption,
    OutputFormat,
    clean,
    echo,
    named_code,
    path_kind,
    print_json,
    shown,
    write_output,
)
from gbvs.cli.texts import Gettext, said_in, translator
from gbvs.config import load_settings
from gbvs.db.chain import Checkpoint
from gbvs.db.models import ORGANISATION_KIND_NAMES, OrganisationKind, Outcome
from gbvs.db.schemas import AuditEntry, OrganisationChange, OrganisationCreate, UserCreate, parse_input
from gbvs.db.services import audit_log, organisations, tokens, users
from gbvs.errors import AuditChainBrokenError, InputError, said
from gbvs.numbers import decimal, moment
from gbvs.security.permissions import (
    GRANTS,
    ROLE_NAMES,
    ROLE_ORDER,
    SCOPE_NAMES,
    Permission,
    Role,
    Scope,
    parse_role,
)
from gbvs.web.throttle import Budget

orgs_app = typer.Typer(help="Organisations taking part (ministries, services, police, think tanks).")
users_app = typer.Typer(help="Users, roles and API tokens.")
tokens_app = typer.Typer(help="API tokens for the REST API (shown once, stored hashed).")
audit_app = typer.Typer(help="The append-only audit log.")


COLUMN_NAMES = {
    "code": "Code",
    "kind": "Kind",
    "name_nl": "Dutch name",
    "name_en": "English name",
    "username": "Username",
    "display_name": "Name",
    "organisation_code": "Organisation",
    "role": "Role",
    "active": "Active",
    "id": "Number",
    "name": "Name",
    "public_part": "Public part",
    "created_at": "Created",
    "expires_at": "Expires",
    "last_used_at": "Last used",
    "revoked_at": "Revoked",
    "at": "When",
    "actor": "By",
    "action": "Action",
    "object_type": "Object",
    "object_id": "Object id",
    "outcome": "Outcome",
    "budget": "Budget",
}
"""The column headers of the text tables (message ids; JSON keeps the field names)."""
NAMED_COLUMNS: dict[str, dict[str, str]] = {"kind": ORGANISATION_KIND_NAMES, "role": ROLE_NAMES}
"""Columns holding a code, shown by its name in the language with the code one types (JSON keeps the code)."""
TIME_COLUMNS = frozenset({"created_at", "expires_at", "last_used_at", "revoked_at", "at"})
"""Columns holding a time stamp, written the way of the language ("6 december 2026 21:05")."""


def _words(lang: LangOption) -> Gettext:
    """The ``gettext`` of ``--lang`` (default: GBVS_LANGUAGE, else Dutch)."""
    return translator(resolve_lang(lang))


def _emit(
    rows: Sequence[BaseModel],
    output_format: OutputFormat,
    columns: Sequence[str],
    lang: LangOption,
    empty: str = "",
) -> None:
    """``rows`` as JSON, or as a table with headers in ``--lang``; ``empty`` (a message id) says what no
    rows mean and what to do."""
    data = [row.model_dump(mode="json") for row in rows]
    if output_format is OutputFormat.json:
        print_json(data)
        return
    _, language = _words(lang), resolve_lang(lang)
    if not data:
        echo(_(empty))
        return
    heads = {c: _(COLUMN_NAMES[c]) for c in columns}
    cells = [{c: _cell(row[c], c, _, language) for c in columns} for row in data]
    widths = {c: max(len(heads[c]), *(len(r[c]) for r in cells)) for c in columns}
    echo("  ".join(heads[c].ljust(widths[c]) for c in columns).rstrip())
    for row in cells:
        echo("  ".join(row[c].ljust(widths[c]) for c in columns).rstrip())


def _cell(value: Any, column: str, _: Gettext, lang: str) -> str:
    """One table cell: yes/no in words, a time the way of the language, else the value made safe."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if column in TIME_COLUMNS and value:
        return moment(value, lang)
    names = NAMED_COLUMNS.get(column, {})
    if value in names:
        return named_code(_(names[value]), value)
    return clean(value)


def _parse(parser: Callable[[str], Any], value: str) -> Any:
    try:
        return parser(value)
    except ValueError as exc:
        raise InputError(str(exc)) from exc


# --- organisations ------------------------------------------------------------------------------

ORG_COLUMNS = ("code", "kind", "name_nl", "name_en")
NO_ORGANISATIONS = (
    "no organisations yet; `gbvs orgs seed` adds the shipped list of ministries, services, police and "
    "think tanks, `gbvs orgs create CODE --name-nl NAME --name-en NAME` another one"
)
ALL_SEEDED = "every organisation of the shipped list is there already; `gbvs orgs list` shows them"
KEPT_ORGANISATION = (
    "kept organisation %(code)s as it is stored; it differs from the shipped list (%(differences)s)"
)
KEPT_DIFFERENCE = "%(field)s: %(stored)s, shipped: %(shipped)s"
TAKE_SHIPPED = (
    "`gbvs orgs seed` never changes an organisation that exists; to take the shipped values: %(commands)s"
)


@orgs_app.command("list")
def list_orgs(
    as_user: AsUser = None, output_format: FormatOption = OutputFormat.text, lang: LangOption = None
) -> None:
    """List organisations."""
    with acting(as_user) as (session, principal):
        rows = organisations.list_organisations(session, principal)
    _emit(rows, output_format, ORG_COLUMNS, lang, NO_ORGANISATIONS)


@orgs_app.command("create")
def create_org(
    code: str = typer.Argument(..., help="Short upper-case code, e.g. NCTV."),
    name_nl: str = typer.Option(..., "--name-nl", help="Dutch name."),
    name_en: str = typer.Option(..., "--name-en", help="English name."),
    kind: OrganisationKind = typer.Option(OrganisationKind.other, "--kind", help="Sort of organisation."),
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Add an organisation (needs orgs:manage; audited)."""
    fields = {"code": code, "name_nl": name_nl, "name_en": name_en, "kind": kind}
    data = parse_input(OrganisationCreate, "organisation", **fields)
    with acting(as_user) as (session, principal):
        row = organisations.create_organisation(session, principal, data)
    _emit([row], output_format, ORG_COLUMNS, lang)


@orgs_app.command("update")
def update_org(
    code: str = typer.Argument(..., help="Code of the organisation to change, e.g. BZ."),
    name_nl: str | None = typer.Option(None, "--name-nl", help="New Dutch name."),
    name_en: str | None = typer.Option(None, "--name-en", help="New English name."),
    kind: OrganisationKind | None = typer.Option(None, "--kind", help="New sort of organisation."),
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Change an organisation's names or kind; its code stays (needs orgs:manage; audited)."""
    change = parse_input(OrganisationChange, "organisation", name_nl=name_nl, name_en=name_en, kind=kind)
    with acting(as_user) as (session, principal):
        row = organisations.update_organisation(session, principal, code, change)
    _emit([row], output_format, ORG_COLUMNS, lang)


@orgs_app.command("seed")
def seed_orgs(
    as_user: AsUser = None, output_format: FormatOption = OutputFormat.text, lang: LangOption = None
) -> None:
    """Add the shipped list of ministries, services, police and think tanks that are missing."""
    with acting(as_user) as (session, principal):
        outcome = organisations.seed_default_organisations(session, principal)
    _emit(outcome.added, output_format, ORG_COLUMNS, lang, ALL_SEEDED)
    _say_kept(outcome.kept, lang)


def _say_kept(kept: Sequence[organisations.KeptOrganisation], lang: LangOption) -> None:
    """On stderr (stdout stays the table or JSON of the added ones): each existing organisation that
    ``seed`` left as it is although it differs from the shipped list, how, and the command that changes it."""
    if not kept:
        return
    _, language = _words(lang), resolve_lang(lang)
    for organisation in kept:
        differences = "; ".join(
            _(KEPT_DIFFERENCE)
            % {
                "field": _(COLUMN_NAMES[field]),
                "stored": _shown_value(getattr(organisation.stored, field), field, _, language),
                "shipped": _shown_value(getattr(organisation.shipped, field), field, _, language),
            }
            for field in organisation.differences
        )
        echo(
            _(KEPT_ORGANISATION) % {"code": clean(organisation.stored.code), "differences": differences},
            err=True,
        )
    commands = "; ".join(_update_command(organisation) for organisation in kept)
    echo(_(TAKE_SHIPPED) % {"commands": commands}, err=True)


def _update_command(organisation: organisations.KeptOrganisation) -> str:
    """The `gbvs orgs update` line that gives ``organisation`` the shipped values it lacks."""
    options = {"kind": "--kind", "name_nl": "--name-nl", "name_en": "--name-en"}
    parts = [
        f"{options[field]} {shlex.quote(str(getattr(organisation.shipped, field)))}"
        for field in organisation.differences
    ]
    return clean(f"`gbvs orgs update {organisation.stored.code} {' '.join(parts)}`")


def _shown_value(value: Any, column: str, _: Gettext, lang: str) -> str:
    """A kind by its name with its code, a name in quotes (so a name's own spaces show)."""
    return _cell(value, column, _, lang) if column in NAMED_COLUMNS else f"‘{clean(value)}’"


# --- users --------------------------------------------------------------------------------------

USER_COLUMNS = ("username", "display_name", "organisation_code", "role", "active")
NO_USERS = 'no users you may see; `gbvs users create NAME --name "FULL NAME" --org CODE` adds one'
NO_USERS_OF_ORG = (
    "no users of this organisation that you may see; `gbvs orgs list` shows the organisation codes, "
    "`gbvs users list` every user you may see"
)


@users_app.command("list")
def list_users(
    organisation: str | None = typer.Option(None, "--org", help="Only users of this organisation code."),
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """List users and their roles (needs users:read)."""
    with acting(as_user) as (session, principal):
        rows = users.list_users(session, principal, organisation)
    _emit(rows, output_format, USER_COLUMNS, lang, NO_USERS_OF_ORG if organisation else NO_USERS)


@users_app.command("create")
def create_user(
    username: str = typer.Argument(..., help="Lower-case login name, e.g. j.jansen."),
    display_name: str = typer.Option(..., "--name", help="Full name shown in the interface."),
    organisation: str | None = typer.Option(None, "--org", help="Organisation code, e.g. BZ."),
    role: str = typer.Option("viewer", "--role", help="viewer, analyst, coordinator or admin."),
    password: bool = typer.Option(False, "--password", help="Ask for a password (for remote web login)."),
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Add a user (needs users:manage; coordinators: own organisation only; audited)."""
    parsed_role = _parse(parse_role, role)
    fields = {"username": username, "display_name": display_name, "organisation_code": organisation}
    data = parse_input(UserCreate, "user", **fields, role=parsed_role)
    with acting(as_user) as (session, principal):
        secret = _ask_password(data.username, _words(lang)) if password else None
        row = users.create_user(session, principal, data, secret)
    _emit([row], output_format, USER_COLUMNS, lang)


@users_app.command("create-admin")
def create_admin(
    username: str = typer.Argument(..., help="Login name of the first admin."),
    display_name: str | None = typer.Option(None, "--name", help="Full name (default: the username)."),
    organisation: str | None = typer.Option(None, "--org", help="Organisation code (must exist)."),
    password: bool = typer.Option(False, "--password", help="Ask for a password (for remote web login)."),
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Create the very first admin (by the OS owner of the data folder); closed once an admin exists."""
    settings = load_settings()
    owner = os_owner(settings)
    name = display_name or username
    fields = {"username": username, "display_name": name, "organisation_code": organisation}
    data = parse_input(UserCreate, "user", **fields, role=Role.admin)
    secret = _ask_password(data.username, _words(lang)) if password else None
    with database_session(settings) as session:
        row = users.bootstrap_admin(
            session, data.username, data.display_name, data.organisation_code, secret, actor=owner.username
        )
    _emit([row], output_format, USER_COLUMNS, lang)


@users_app.command("set-role")
def set_role(
    username: str = typer.Argument(..., help="Whose role to change."),
    role: str = typer.Argument(..., help="viewer, analyst, coordinator or admin."),
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Change a user's role (audited with old and new role)."""
    parsed_role = _parse(parse_role, role)
    with acting(as_user) as (session, principal):
        row = users.set_role(session, principal, username, parsed_role)
    _emit([row], output_format, USER_COLUMNS, lang)


@users_app.command("set-org")
def set_org(
    username: str = typer.Argument(..., help="Whose organisation to change."),
    organisation: str | None = typer.Argument(
        None, help="Organisation code, e.g. BZ (see `gbvs orgs list`)."
    ),
    none: bool = typer.Option(False, "--none", help="Take the user out of every organisation."),
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Move a user to another organisation, or to none with --none (audited; ends their web sessions)."""
    if (organisation is None) == (not none):
        message = _words(lang)("give an organisation code (e.g. %(example)s) or --none, not both")
        raise InputError(message % {"example": f"`gbvs users set-org {username} BZ`"})
    with acting(as_user) as (session, principal):
        row = users.set_organisation(session, principal, username, organisation)
    _emit([row], output_format, USER_COLUMNS, lang)


@users_app.command("deactivate")
def deactivate(
    username: str = typer.Argument(..., help="Who may no longer act or log in."),
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Deactivate a user (kept for the audit trail, never deleted): ends their web sessions and revokes
    their API tokens."""
    with acting(as_user) as (session, principal):
        row = users.set_active(session, principal, username, False)
    _emit([row], output_format, USER_COLUMNS, lang)


@users_app.command("activate")
def activate(
    username: str = typer.Argument(..., help="Who may act again."),
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Reactivate a deactivated user (their old sessions and API tokens stay dead; they make new ones)."""
    with acting(as_user) as (session, principal):
        row = users.set_active(session, principal, username, True)
    _emit([row], output_format, USER_COLUMNS, lang)


@users_app.command("set-password")
def set_password(
    username: str = typer.Argument(..., help="Whose password (your own, or others' with users:manage)."),
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Set a password for remote web login (asked twice, stored as a scrypt hash).

    Your own password: the current one is asked first, once the account has one.
    """
    _ = _words(lang)
    with acting(as_user) as (session, principal):
        users.set_password(
            session,
            principal,
            username,
            lambda: _ask_password(username, _),
            lambda: _ask_current(username, _),
        )
    echo(_("password of %(user)s set") % {"user": repr(username)})


PERMISSION_WIDTH = max(len(permission.value) for permission in Permission) + 2
"""The permission column of ``users roles`` and ``whoami``: the longest name and two spaces."""


@users_app.command("roles")
def show_roles(output_format: FormatOption = OutputFormat.text, lang: LangOption = None) -> None:
    """Show the permission table: which role may do what (own = own organisation only)."""
    table = {role.value: {p.value: scope.value for p, scope in GRANTS[role].items()} for role in ROLE_ORDER}
    if output_format is OutputFormat.json:
        print_json(table)
        return
    _ = _words(lang)
    names, codes = [_(ROLE_NAMES[role]) for role in ROLE_ORDER], [f"({role.value})" for role in ROLE_ORDER]
    widths = [max(len(name), len(code)) + 2 for name, code in zip(names, codes, strict=True)]
    # the roles by name, and under each the code one types (`gbvs users set-role USER ROLE`)
    for first, heads in ((_("Permission"), names), ("", codes)):
        echo(
            first.ljust(PERMISSION_WIDTH)
            + "".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip()
        )
    for permission in Permission:
        cells = (_scope(GRANTS[role].get(permission), _) for role in ROLE_ORDER)
        echo(
            permission.value.ljust(PERMISSION_WIDTH)
            + "".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
        )


def _scope(scope: Scope | None, _: Gettext) -> str:
    """A grant's scope in words ("all", "own"), ``-`` where the role lacks the permission."""
    return "-" if scope is None else _(SCOPE_NAMES[scope])


@users_app.command("whoami")
def whoami(
    as_user: AsUser = None, output_format: FormatOption = OutputFormat.text, lang: LangOption = None
) -> None:
    """Show who you act as, with your role, organisation and permissions."""
    with acting(as_user) as (_session, principal):
        grants = {p.value: scope.value for p, scope in GRANTS[principal.role].items()}
    data = {
        "username": principal.username,
        "os_owner": principal.is_os_owner,
        "role": principal.role.value,
        "organisation_code": principal.organisation_code,
        "permissions": grants,
    }
    if output_format is OutputFormat.json:
        print_json(data)
        return
    _ = _words(lang)
    echo(said_in(principal.in_words(), resolve_lang(lang)))
    for permission, scope in GRANTS[principal.role].items():
        echo(f"  {permission.value:<{PERMISSION_WIDTH}}{_scope(scope, _)}")


NO_PASSWORD = "no password was given (the input ended); run the command in a terminal"


def _ask_current(username: str, _: Gettext) -> str:
    try:
        return getpass.getpass(_("current password of %(user)s: ") % {"user": username})
    except EOFError:
        raise InputError(_(NO_PASSWORD)) from None


def _ask_password(username: str, _: Gettext) -> str:
    try:
        first = getpass.getpass(_("password for %(user)s: ") % {"user": username})
        repeated = getpass.getpass(_("repeat: "))
    except EOFError:
        raise InputError(_(NO_PASSWORD)) from None
    if first != repeated:
        raise InputError(_("the two passwords differ; run the command again"))
    return first


# --- tokens -------------------------------------------------------------------------------------

TOKEN_COLUMNS = ("id", "name", "public_part", "created_at", "expires_at", "last_used_at", "revoked_at")
NO_TOKENS = "no API tokens; `gbvs users tokens create NAME` makes one"


@tokens_app.command("create")
def create_token(
    name: str = typer.Argument(..., help="Where the token is used, e.g. 'dashboard'."),
    username: str | None = typer.Option(None, "--user", help="For another user (needs users:manage)."),
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Make an API token; the secret is printed once and cannot be shown again."""
    lifetime = load_settings().token_lifetime
    with acting(as_user) as (session, principal):
        secret, row = tokens.create_token(session, principal, name, username, lifetime)
    _show_secret(secret, row, output_format, lang)


@tokens_app.command("list")
def list_tokens(
    username: str | None = typer.Option(None, "--user", help="Another user's tokens (needs users:manage)."),
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """List API tokens (never the secrets), with when each expires."""
    lifetime = load_settings().token_lifetime
    with acting(as_user) as (session, principal):
        rows = tokens.list_tokens(session, principal, username, lifetime)
    _emit(rows, output_format, TOKEN_COLUMNS, lang, NO_TOKENS)


@tokens_app.command("rotate")
def rotate_token(
    token_id: Annotated[int, row_id("Token id from `gbvs users tokens list`.")],
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Replace an API token (also an expired one) by a new one of the same name; the old one stops at once."""
    lifetime = load_settings().token_lifetime
    with acting(as_user) as (session, principal):
        secret, row = tokens.rotate_token(session, principal, token_id, lifetime)
    _show_secret(secret, row, output_format, lang)


@tokens_app.command("revoke")
def revoke_token(
    token_id: Annotated[int, row_id("Token id from `gbvs users tokens list`.")],
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Revoke an API token for good."""
    lifetime = load_settings().token_lifetime
    with acting(as_user) as (session, principal):
        row = tokens.revoke_token(session, principal, token_id, lifetime)
    _emit([row], output_format, TOKEN_COLUMNS, lang)


def _show_secret(secret: str, row: BaseModel, output_format: OutputFormat, lang: LangOption) -> None:
    """Print a new token's secret (once) with its metadata, in the language asked for."""
    shown = row.model_dump(mode="json")
    if output_format is OutputFormat.json:
        print_json({"token": secret, **shown})
        return
    _ = _words(lang)
    valid = _("valid until %(day)s") % {"day": moment(shown["expires_at"], resolve_lang(lang))}
    echo(f"token {shown['id']} ({clean(shown['name'])}), {valid}: {secret}")
    echo(_("store it now: only its hash is kept"))


# --- audit --------------------------------------------------------------------------------------


NO_AUDIT_ENTRIES = "no audit entries match; leave out --actor, --action, --outcome or --since to see more"


@audit_app.command("list")
def list_audit(
    limit: int = typer.Option(50, "--limit", min=1, max=audit_log.MAX_LIMIT, help="How many entries."),
    actor: str | None = typer.Option(None, "--actor", help="Only entries by this user."),
    action: str | None = typer.Option(None, "--action", help="Only this action, e.g. users.set_role."),
    outcome: Outcome | None = typer.Option(None, "--outcome", help="success, denied or failed."),
    since: datetime | None = typer.Option(None, "--since", help="Only entries at or after (UTC if no zone)."),
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Show the newest audit entries (needs audit:read; reading is itself recorded)."""
    from datetime import UTC

    since_utc = since.replace(tzinfo=UTC) if since is not None and since.tzinfo is None else since
    with acting(as_user) as (session, principal):
        rows = audit_log.read_audit_log(session, principal, limit, actor, action, outcome, since_utc)
    if output_format is OutputFormat.json or not any(BUDGET in row.detail for row in rows):
        _emit(rows, output_format, AUDIT_COLUMNS, lang, NO_AUDIT_ENTRIES)
        return
    _ = _words(lang)
    lines = [_AuditLine(**row.model_dump(), budget=_budget_words(row.detail.get(BUDGET), _)) for row in rows]
    _emit(lines, output_format, (*AUDIT_COLUMNS, BUDGET), lang, NO_AUDIT_ENTRIES)


AUDIT_COLUMNS = ("id", "at", "actor", "action", "object_type", "object_id", "outcome")
BUDGET = "budget"
"""The detail of a throttled login naming the budget that held it back (:class:`gbvs.web.throttle.Budget`);
the text output shows it as a column when an entry has one (JSON keeps every detail)."""
BUDGET_WORDS = {
    Budget.network: "per username and network",
    Budget.account: "per account, from new networks",
    Budget.busy: "database busy",
}


class _AuditLine(AuditEntry):
    """An audit entry as a line of ``gbvs audit list``, with the budget of a throttled login in words."""

    budget: str = ""


def _budget_words(value: Any, _: Gettext) -> str:
    """The budget ``value`` in words (an unknown one as it is stored; none: empty)."""
    if value in BUDGET_WORDS:
        return _(BUDGET_WORDS[Budget(value)])
    return "" if value is None else str(value)


@audit_app.command("verify")
def verify_audit(
    checkpoint: Path | None = typer.Option(
        None, "--checkpoint", help="Also compare with a checkpoint file from `gbvs audit checkpoint`."
    ),
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Check the audit log's hash chain; name the first broken link (exit 7 when broken)."""
    anchor = _read_checkpoint(checkpoint) if checkpoint is not None else None
    with acting(as_user) as (session, principal):
        report = audit_log.verify_audit_chain(session, principal, anchor)
    problem = report.problem
    if output_format is OutputFormat.json:
        print_json(
            {
                "intact": problem is None,
                "entries": report.count,
                "last_seq": report.last.seq,
                "last_hash": report.last.entry_hash,
                "problem": None if problem is None else {**asdict(problem), "kind": problem.kind.value},
            }
        )
    elif problem is None:
        _ = _words(lang)
        count = decimal(report.count, resolve_lang(lang), 0)
        intact = _("audit chain intact: %(n)s entries, head seq %(seq)s") % {
            "n": count,
            "seq": report.last.seq,
        }
        against = _("; matches checkpoint seq %(seq)s") % {"seq": anchor.seq} if anchor is not None else ""
        echo(intact + against)
    if problem is not None:
        raise AuditChainBrokenError(
            f"audit chain broken: {problem.describe()}; the entries before seq {problem.seq} are intact. "
            "Restore the database from a backup and compare, or keep this database as evidence"
        )


@audit_app.command("checkpoint")
def checkpoint_audit(
    output: Path = typer.Option(..., "--output", "-o", help="File to write (kept outside the database)."),
    as_user: AsUser = None,
) -> None:
    """Export the chain head (seq, hash, time, count) to a file, to detect a later rewrite of the chain."""
    if path_kind(output, "checkpoint file") != "missing":
        raise InputError(f"checkpoint file {shown(output)} exists; keep it, and name a new file")
    if path_kind(output.parent, "folder of the checkpoint file") != "folder":
        raise InputError(f"folder {shown(output.parent)} of the checkpoint file does not exist; create it")
    with acting(as_user) as (session, principal):
        anchor = audit_log.take_checkpoint(session, principal)
    write_output(output, anchor.to_json())
    echo(f"checkpoint of audit seq {anchor.seq} ({anchor.entry_hash[:16]}...) written to {output}")
    echo("keep it outside this machine (or sign it); `gbvs audit verify --checkpoint FILE` checks against it")


def _read_checkpoint(path: Path) -> Checkpoint:
    try:
        return Checkpoint.from_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(
            said(
                "checkpoint file %(file)s cannot be used: %(reason)s; give a file written by "
                "`gbvs audit checkpoint --output FILE`",
                file=repr(str(path)),
                reason=reason,
            )
        ) from exc


def register(app: typer.Typer) -> None:
    """Add ``gbvs orgs``, ``gbvs users`` (with ``tokens``) and ``gbvs audit``."""
    users_app.add_typer(tokens_app, name="tokens")
    app.add_typer(orgs_app, name="orgs")
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
