"""Find rows by their natural keys, with errors that say what exists and what to do."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.db.models import Organisation, User
from gbvs.errors import NotFoundError, Term, said
from gbvs.languages import N_


def organisation_by_code(session: Session, code: str) -> Organisation:
    """The organisation with ``code`` (case-insensitive), or NotFoundError listing known codes."""
    found = session.scalar(select(Organisation).where(Organisation.code == code.strip().upper()))
    if found is None:
        codes = session.scalars(select(Organisation.code).order_by(Organisation.code))
        raise NotFoundError(
            said(
                "organisation '%(code)s' does not exist (known: %(known)s); create it with "
                "`gbvs orgs create %(upper)s ...` or load the defaults with `gbvs orgs seed`",
                code=code,
                known=", ".join(codes) or Term(N_("none yet")),
                upper=code.upper(),
            )
        )
    return found


def user_by_username(session: Session, username: str) -> User:
    """The user called ``username`` (case-insensitive), or NotFoundError with the fix."""
    found = session.scalar(select(User).where(User.username == username.strip().lower()))
    if found is None:
        raise unknown_user(username)
    return found


def unknown_user(username: str) -> NotFoundError:
    """The error for a username that names no user, with the fix."""
    return NotFoundError(
        said(
            "user %(username)s does not exist; see `gbvs users list`, or create the first admin with "
            "`gbvs users create-admin %(name)s`",
            username=repr(username),
            name=username.strip().lower(),
        )
    )
