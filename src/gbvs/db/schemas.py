"""What services accept and return: Create and Public schemas, kept apart from the tables.

The web API serialises the ``*Public`` models as they are; the CLI prints them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gbvs.db.models import OrganisationKind, Outcome
from gbvs.errors import InputError
from gbvs.security.permissions import Role
from gbvs.security.principal import ANONYMOUS_USERNAME, LOCAL_USERNAME

USERNAME_PATTERN = r"^[a-z][a-z0-9._-]{1,63}$"
ORG_CODE_PATTERN = r"^[A-Z][A-Z0-9_-]{1,19}$"
T = TypeVar("T", bound=BaseModel)


class OrganisationCreate(BaseModel):
    """A new organisation. ``code`` is short and upper case: BZ, DEF, JENV, AIVD."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    code: str = Field(pattern=ORG_CODE_PATTERN, description="Short upper-case code, e.g. BZ or NCTV.")
    name_nl: str = Field(min_length=2, max_length=200)
    name_en: str = Field(min_length=2, max_length=200)
    kind: OrganisationKind = OrganisationKind.other

    @field_validator("code", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value


class OrganisationChange(BaseModel):
    """New values for an organisation's names or kind (None: keep); its code never changes."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    name_nl: str | None = Field(default=None, min_length=2, max_length=200)
    name_en: str | None = Field(default=None, min_length=2, max_length=200)
    kind: OrganisationKind | None = None


class OrganisationPublic(BaseModel):
    """An organisation as shown to users."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name_nl: str
    name_en: str
    kind: OrganisationKind


class UserCreate(BaseModel):
    """A new user. ``username`` is lower case (letters, digits, . _ -)."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    username: str = Field(pattern=USERNAME_PATTERN, description="Lower case, 2-64 characters.")
    display_name: str = Field(min_length=1, max_length=200)
    organisation_code: str | None = None
    role: Role = Role.viewer

    @field_validator("username", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("username")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value == LOCAL_USERNAME:
            raise ValueError(
                f"{value!r} is the name of the local single-user mode's analyst, and records of that user "
                "would become this account's; choose another name"
            )
        if value == ANONYMOUS_USERNAME:
            raise ValueError(
                f"{value!r} is the actor of unauthenticated requests in the audit log (refused logins, "
                "unknown tokens), and this account's actions would be mixed with theirs; choose another name"
            )
        return value


class UserPublic(BaseModel):
    """A user as shown to people with ``users:read`` (never the password hash)."""

    id: int
    username: str
    display_name: str
    organisation_code: str | None
    role: Role
    active: bool
    created_at: datetime
    has_password: bool


class ApiTokenPublic(BaseModel):
    """An API token's metadata (the secret itself is shown only once, at creation)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    public_part: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: (
        datetime  # the earlier of created_at plus GBVS_TOKEN_LIFETIME_DAYS and its cap; refused from then on
    )


class AuditEntry(BaseModel):
    """One audit log row."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str | None
    detail: dict[str, Any]
    outcome: Outcome
    message: str | None


def parse_input(schema: type[T], what: str, **values: object) -> T:
    """Build ``schema`` from ``values``; raise InputError naming each bad field and the rule."""
    try:
        return schema(**values)
    except ValidationError as exc:
        problems = "; ".join(_describe(err) for err in exc.errors())
        raise InputError(f"invalid {what}: {problems}") from exc


def _describe(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}={error.get('input')!r}: {error['msg']}"
