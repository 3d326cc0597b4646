"""Who is acting: a small frozen value the CLI, the web app and services pass around."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gbvs.errors import Said, Term, Words, said
from gbvs.security.permissions import ROLE_NAMES, Role

LOCAL_USERNAME = "local"
ANONYMOUS_USERNAME = "anonymous"
"""The actor the audit log names for requests without valid credentials (no account may take it)."""
OS_PREFIX = "os:"


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
    is_os_owner: bool = False
    token_expires_at: datetime | None = field(default=None, compare=False)
    """When the API token this principal acts with stops working (None: not acting with a token). A token
    made by this principal expires no later (:func:`gbvs.db.services.tokens.create_token`). Not part of
    the principal's identity: two principals of one user compare equal whatever they act with."""

    @classmethod
    def local_user(cls, username: str = LOCAL_USERNAME, role: Role = Role.analyst) -> Principal:
        """The single user of `gbvs serve` on 127.0.0.1 without login: an analyst, not stored."""
        return cls(username=username, role=role, is_local=True)

    @classmethod
    def os_owner(cls, os_username: str) -> Principal:
        """The OS user who owns the data folder, acting on the command line (local mode).

        They can read and rewrite every file of the installation anyway, so they act with the
        admin role and rank above every named account (see :func:`gbvs.security.authz.rank`).
        Recorded in the audit log as ``os:<name>``.
        """
        return cls(username=f"{OS_PREFIX}{os_username}", role=Role.admin, is_local=True, is_os_owner=True)

    def organisation_next_step(self) -> Words:
        """The next step for a principal without an organisation, for messages that need one, as an
        error's words (a page and the command line say it in the reader's language)."""
        if self.is_os_owner:
            return said("act as a named user of an organisation: set GBVS_TOKEN to one of their API tokens")
        if self.is_local:
            return said(
                "the single user of a local `gbvs serve` has none; sign in with a named account of an "
                "organisation (remote mode, docs/security.md)"
            )
        return said(
            "ask an admin to give your account one (`gbvs users set-org %(user)s <ORG>`)", user=self.username
        )

    def describe(self) -> str:
        """Short text for data kept or exported for machines (an export's "exported by"):
        ``'alice' (analyst, BZ)``, English, the role by its code. A message a person reads names the
        user by :meth:`named`."""
        message, values = self.in_words()
        return message % {**values, "role": self.role.value}

    def in_words(self) -> Words:
        """:meth:`describe` as words a page or the command line shows in the reader's language, the role
        by its name: ``'alice' (analist, BZ)``."""
        user, role = repr(self.username), Term(ROLE_NAMES[self.role])
        if self.is_os_owner:
            return said("%(user)s (OS owner of the data folder)", user=user)
        if self.organisation_code:
            return said(
                "%(user)s (%(role)s, %(organisation)s)",
                user=user,
                role=role,
                organisation=self.organisation_code,
            )
        return said("%(user)s (%(role)s)", user=user, role=role)

    def named(self) -> Said:
        """:meth:`in_words` as a value of a message's :func:`gbvs.errors.said` words (a refusal that names
        who asked): the command line and a page show ``'alice' (analist, BZ)`` in Dutch."""
        return Said.of(self.in_words())
