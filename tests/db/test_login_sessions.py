"""Session epochs: what ends a user's web sessions (issue 8, finding 8), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from gbvs.db.services import users
from gbvs.db.services.login_sessions import current_epoch, log_out, principal_for_session
from gbvs.errors import PermissionDeniedError
from gbvs.security import Principal, Role

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")


def test_password_changes_and_activation_changes_move_the_epoch(
    session: Session, admin: Principal, make_user: Callable[..., Principal]
) -> None:
    ann = make_user("ann", Role.analyst)
    issued = current_epoch(session, "ann")
    assert principal_for_session(session, "ann", issued) == ann
    users.set_password(session, admin, "ann", "another long passphrase")
    session.commit()
    with pytest.raises(PermissionDeniedError, match="log in again"):
        principal_for_session(session, "ann", issued)
    before = current_epoch(session, "ann")
    users.set_active(session, admin, "ann", False)
    users.set_active(session, admin, "ann", True)
    session.commit()
    assert current_epoch(session, "ann") == before + 2


def test_logging_out_ends_only_the_current_epoch(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    make_user("ann", Role.analyst)
    issued = current_epoch(session, "ann")
    assert log_out(session, "ann", issued) is True
    session.commit()
    assert log_out(session, "ann", issued) is False  # a stale cookie changes nothing
    session.commit()
    assert current_epoch(session, "ann") == issued + 1


def test_a_loaded_user_sees_the_new_epoch_after_logout(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    make_user("ann", Role.analyst)
    issued = current_epoch(session, "ann")
    log_out(session, "ann", issued)
    assert current_epoch(session, "ann") == issued + 1  # same session, no commit in between
