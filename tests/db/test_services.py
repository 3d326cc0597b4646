"""Services on both backends: bootstrap, organisations, users, roles, passwords, tokens, audit reading.

Every service goes through the authorization layer; denied attempts leave a committed audit entry.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gbvs.db.models import ApiToken, AuditLog, Organisation, Outcome, User
from gbvs.db.schemas import OrganisationCreate, UserCreate, parse_input
from gbvs.db.services import audit_log, organisations, tokens, users
from gbvs.db.services.principals import authenticate, load_principal, principal_from_token
from gbvs.errors import InputError, NotFoundError, PermissionDeniedError
from gbvs.security import Principal, Role

PASSWORD = "correct horse battery staple"


def _entries(engine: Engine, action: str) -> list[AuditLog]:
    """Audit entries as a separate connection sees them (i.e. committed)."""
    with Session(engine) as fresh:
        return list(fresh.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


# --- bootstrap ----------------------------------------------------------------------------------


def test_first_admin_can_be_bootstrapped_once(session: Session, engine: Engine) -> None:
    first = users.bootstrap_admin(session, "root", "Root")
    session.commit()
    assert first.role is Role.admin
    with pytest.raises(PermissionDeniedError, match=r"an admin already exists \('root'\)"):
        users.bootstrap_admin(session, "eve", "Eve")
    outcomes = [(e.actor, e.outcome) for e in _entries(engine, "users.bootstrap_admin")]
    assert outcomes == [("root", Outcome.success), ("eve", Outcome.denied)]
    assert session.scalar(select(User).where(User.username == "eve")) is None


def test_bootstrap_with_an_unknown_organisation_names_it(session: Session) -> None:
    with pytest.raises(NotFoundError, match="organisation 'NOPE' does not exist"):
        users.bootstrap_admin(session, "root", "Root", organisation_code="NOPE")


# --- organisations ------------------------------------------------------------------------------


def test_seed_adds_the_shipped_organisations_once(session: Session, admin: Principal) -> None:
    added = organisations.seed_default_organisations(session, admin)
    session.commit()
    codes = {org.code for org in added.added}
    assert {"AIVD", "MIVD", "NCTV", "POLITIE", "JENV", "CLINGENDAEL", "HCSS"} <= codes
    assert "BZ" not in codes  # already created by the fixture
    assert organisations.seed_default_organisations(session, admin).added == []


def test_duplicate_organisation_code_is_refused(session: Session, admin: Principal) -> None:
    again = OrganisationCreate(code="bz", name_nl="Nog eens", name_en="Again")
    with pytest.raises(InputError, match="organisation code 'BZ' is already taken"):
        organisations.create_organisation(session, admin, again)


def test_analyst_cannot_create_organisations(
    session: Session, engine: Engine, make_user: Callable[..., Principal]
) -> None:
    analyst = make_user("ann", Role.analyst)
    data = OrganisationCreate(code="NCTV", name_nl="NCTV", name_en="NCTV")
    with pytest.raises(PermissionDeniedError, match="'orgs:manage'"):
        organisations.create_organisation(session, analyst, data)
    denied = _entries(engine, "orgs.create")[-1]
    assert (denied.actor, denied.outcome) == ("ann", Outcome.denied)
    assert denied.detail["permission"] == "orgs:manage"
    assert session.scalar(select(Organisation).where(Organisation.code == "NCTV")) is None


# --- users and roles ----------------------------------------------------------------------------


def test_create_user_is_audited(session: Session, engine: Engine, admin: Principal) -> None:
    created = users.create_user(
        session, admin, UserCreate(username="J.Jansen", display_name="J. Jansen", organisation_code="bz")
    )
    session.commit()
    assert (created.username, created.organisation_code, created.role) == ("j.jansen", "BZ", Role.viewer)
    entry = _entries(engine, "users.create")[-1]
    assert (entry.actor, entry.object_id, entry.outcome) == ("root", "j.jansen", Outcome.success)


def test_duplicate_username_is_refused(session: Session, admin: Principal) -> None:
    with pytest.raises(InputError, match="username 'root' is already taken"):
        users.create_user(session, admin, UserCreate(username="root", display_name="Again"))


def test_the_local_users_name_is_reserved() -> None:
    """Records of loopback mode's analyst name ``local``; an account of that name would own them."""
    with pytest.raises(InputError, match="'local' is the name of the local single-user mode's analyst"):
        parse_input(UserCreate, "user", username=" Local ", display_name="Lokaal")


def test_the_anonymous_actors_name_is_reserved() -> None:
    """Refused logins and unknown tokens are recorded as actor ``anonymous``; an account of that name
    would mix its own actions with every stranger's in the audit log (``gbvs audit list --actor``)."""
    with pytest.raises(InputError, match="'anonymous' is the actor of unauthenticated requests"):
        parse_input(UserCreate, "user", username="Anonymous", display_name="Anoniem")


def test_set_role_records_old_and_new(
    session: Session, engine: Engine, admin: Principal, make_user: Callable[..., Principal]
) -> None:
    make_user("vic", Role.viewer)
    assert users.set_role(session, admin, "vic", Role.analyst).role is Role.analyst
    session.commit()
    assert load_principal(session, "vic").role is Role.analyst
    detail = _entries(engine, "users.set_role")[-1].detail
    assert detail == {"role": "admin", "from": "viewer", "to": "analyst"}


def test_last_admin_cannot_be_demoted_or_deactivated(session: Session, admin: Principal) -> None:
    with pytest.raises(InputError, match="'root' is the last active admin"):
        users.set_role(session, admin, "root", Role.viewer)
    with pytest.raises(InputError, match="last active admin"):
        users.set_active(session, admin, "root", False)


def test_deactivated_users_cannot_act(
    session: Session, admin: Principal, make_user: Callable[..., Principal]
) -> None:
    make_user("gone", Role.analyst)
    users.set_active(session, admin, "gone", False)
    session.commit()
    with pytest.raises(PermissionDeniedError, match=r"'gone' is deactivated.*gbvs users activate gone"):
        load_principal(session, "gone")


def test_unknown_user_error_says_how_to_start(session: Session) -> None:
    with pytest.raises(NotFoundError, match=r"user 'nobody' does not exist.*create-admin nobody"):
        load_principal(session, "nobody")


def test_who_may_manage_no_account_is_not_told_which_accounts_exist(
    session: Session, admin: Principal, make_user: Callable[..., Principal]
) -> None:
    viewer = make_user("vera", Role.viewer)
    make_user("existing", Role.viewer)
    for username in ("existing", "nobody"):
        with pytest.raises(PermissionDeniedError, match="lacks permission 'users:manage'"):
            users.set_role(session, viewer, username, Role.analyst)
        with pytest.raises(PermissionDeniedError, match="lacks permission 'users:manage'"):
            tokens.list_tokens(session, viewer, username)


# --- coordinators: need-to-know on users --------------------------------------------------------


def test_coordinator_manages_own_organisation_only(
    session: Session, engine: Engine, make_user: Callable[..., Principal]
) -> None:
    coordinator = make_user("coby", Role.coordinator, "BZ")
    own = users.create_user(session, coordinator, UserCreate(username="bea", display_name="Bea"))
    session.commit()
    assert own.organisation_code == "BZ"  # defaults to the coordinator's organisation
    other = UserCreate(username="dirk", display_name="Dirk", organisation_code="DEF")
    with pytest.raises(PermissionDeniedError, match="only for their own organisation, not for 'DEF'"):
        users.create_user(session, coordinator, other)
    assert _entries(engine, "users.create")[-1].outcome is Outcome.denied


def test_coordinator_cannot_hand_out_admin_or_touch_admins(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    coordinator = make_user("coby", Role.coordinator, "BZ")
    make_user("bea", Role.viewer, "BZ")
    make_user("boss", Role.admin, "BZ")
    with pytest.raises(PermissionDeniedError, match="may not give role 'admin'"):
        users.set_role(session, coordinator, "bea", Role.admin)
    with pytest.raises(PermissionDeniedError, match="whose role 'admin' is above theirs"):
        users.set_role(session, coordinator, "boss", Role.viewer)
    with pytest.raises(PermissionDeniedError, match="not for 'no organisation'"):
        users.set_role(session, coordinator, "root", Role.viewer)


def test_denied_attempt_discards_pending_work(session: Session, make_user: Callable[..., Principal]) -> None:
    viewer = make_user("vic", Role.viewer)
    session.add(Organisation(code="PENDING", name_nl="x", name_en="x", kind="other"))
    with pytest.raises(PermissionDeniedError):
        users.list_users(session, viewer)
    assert session.scalar(select(Organisation).where(Organisation.code == "PENDING")) is None


# --- passwords and tokens -----------------------------------------------------------------------


def test_password_login(session: Session, engine: Engine, admin: Principal) -> None:
    users.set_password(session, admin, "root", PASSWORD)
    session.commit()
    stored = session.scalar(select(User.password_hash).where(User.username == "root"))
    assert stored is not None and PASSWORD not in stored and stored.startswith("scrypt$")
    assert authenticate(session, "root", PASSWORD).username == "root"
    with pytest.raises(PermissionDeniedError, match="unknown user or wrong password"):
        authenticate(session, "root", "wrong password here")
    with pytest.raises(PermissionDeniedError, match="unknown user or wrong password"):
        authenticate(session, "nobody", PASSWORD)
    assert _entries(engine, "auth.login") == [], "the web layer records refusals, with the client address"


def test_odd_logins_are_refused(session: Session, engine: Engine, admin: Principal) -> None:
    users.set_password(session, admin, "root", PASSWORD)
    users.create_user(session, admin, UserCreate(username="gone", display_name="Gone"), PASSWORD)
    users.set_active(session, admin, "gone", False)
    session.commit()
    for username in ("x" * 300, "gone", ""):
        with pytest.raises(PermissionDeniedError, match="unknown user or wrong password"):
            authenticate(session, username, PASSWORD)
    assert _entries(engine, "auth.login") == []


def test_ones_own_password_is_changed_only_with_the_current_one(
    session: Session, engine: Engine, admin: Principal, make_user: Callable[..., Principal]
) -> None:
    ann = make_user("ann", Role.analyst)
    users.set_password(session, ann, "ann", PASSWORD)  # the first one: nothing to give yet
    session.commit()
    for current in (None, "not the password"):
        with pytest.raises(PermissionDeniedError, match="current password of 'ann' is missing or wrong"):
            users.set_password(session, ann, "ann", "a token is not enough", current)
    assert authenticate(session, "ann", PASSWORD).username == "ann"
    assert [e.outcome for e in _entries(engine, "users.set_password")][-2:] == [Outcome.denied] * 2
    users.set_password(session, ann, "ann", "a brand new passphrase", PASSWORD)
    users.set_password(session, admin, "ann", "reset by the admin now")  # a reset needs no current one
    session.commit()
    assert authenticate(session, "ann", "reset by the admin now").username == "ann"


def test_short_passwords_are_refused(session: Session, admin: Principal) -> None:
    with pytest.raises(InputError, match="at least 12"):
        users.set_password(session, admin, "root", "short")


def test_api_token_lifecycle(session: Session, make_user: Callable[..., Principal]) -> None:
    analyst = make_user("ann", Role.analyst)
    secret, token = tokens.create_token(session, analyst, "dashboard")
    session.commit()
    stored = session.scalars(select(ApiToken.token_hash)).one()
    assert secret not in stored and token.public_part in secret
    assert principal_from_token(session, secret, tokens.DEFAULT_LIFETIME) == analyst
    tokens.revoke_token(session, analyst, token.id)
    session.commit()
    with pytest.raises(PermissionDeniedError, match="revoked"):
        principal_from_token(session, secret, tokens.DEFAULT_LIFETIME)


def test_tokens_of_others_need_users_manage(session: Session, make_user: Callable[..., Principal]) -> None:
    ann = make_user("ann", Role.analyst)
    bob = make_user("bob", Role.analyst)
    with pytest.raises(PermissionDeniedError, match="'users:manage'"):
        tokens.create_token(session, bob, "sneaky", username="ann")
    _, annes = tokens.create_token(session, ann, "ann's")
    session.commit()
    elsewhere = make_user("cora", Role.coordinator, "DEF")  # manages DEF's accounts, not BZ's
    for prober in (bob, elsewhere):
        answers = []
        for token_id in (annes.id, annes.id + 1):  # ann's token, and a number never given out
            with pytest.raises(NotFoundError) as refused:
                tokens.revoke_token(session, prober, token_id)
            answers.append(str(refused.value).replace(str(token_id), "N"))
        assert answers[0] == answers[1], f"{prober.username} learns whether another's token exists"
    assert tokens.list_tokens(session, ann)[0].revoked_at is None
    assert tokens.revoke_token(session, make_user("cody", Role.coordinator, "BZ"), annes.id).revoked_at


# --- audit log ----------------------------------------------------------------------------------


def test_reading_the_audit_log_needs_audit_read_and_is_recorded(
    session: Session, engine: Engine, admin: Principal, make_user: Callable[..., Principal]
) -> None:
    coordinator = make_user("coby", Role.coordinator)
    with pytest.raises(PermissionDeniedError, match="'audit:read'"):
        audit_log.read_audit_log(session, coordinator)
    denied = audit_log.read_audit_log(session, admin, outcome=Outcome.denied)
    assert [(e.actor, e.action) for e in denied] == [("coby", "audit.read")]
    session.commit()
    assert [e.outcome for e in _entries(engine, "audit.read")] == [Outcome.denied, Outcome.success]


def test_audit_filters(session: Session, admin: Principal, make_user: Callable[..., Principal]) -> None:
    make_user("ann", Role.analyst)
    created = audit_log.read_audit_log(session, admin, action="users.create", actor="ROOT")
    assert [e.object_id for e in created] == ["ann"]
    assert len(audit_log.read_audit_log(session, admin, limit=2)) == 2
