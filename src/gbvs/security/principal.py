"""Who is acting: a small frozen value the CLI, the web app and services pass around."""

from __future__ import annotations

from dataclasses import dataclass

from gbvs.security.permissions import Role

LOCAL_USERNAME = "local"


@dataclass(frozen=True)
class Principal:
    """The acting user as the authorization layer sees it.

    ``user_id`` is None for principals not stored in the database: the local
    analyst of loopback-only single-user mode (:meth:`local_user`).
    """

    username: str
    role: Role
    user_id: int | None = None
    organisation_code: str | None = None
    organisation_id: int | None = None
    is_local: bool = False

    @classmethod
    def local_user(cls, username: str = LOCAL_USERNAME, role: Role = Role.analyst) -> Principal:
        """The single user of `gbvs serve` on 127.0.0.1 without login: an analyst, not stored."""
        return cls(username=username, role=role, is_local=True)

    def describe(self) -> str:
        """Short text for messages: ``'alice' (analyst, BZ)``."""
        where = f", {self.organisation_code}" if self.organisation_code else ""
        return f"{self.username!r} ({self.role.value}{where})"
