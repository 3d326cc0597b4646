"""Organisations taking part: ministries, agencies, police, services and think tanks."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.db.audit import authorize_audited, record
from gbvs.db.models import Organisation
from gbvs.db.schemas import OrganisationChange, OrganisationCreate, OrganisationPublic, parse_input
from gbvs.db.services.lookup import organisation_by_code
from gbvs.errors import InputError, said
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal


def list_organisations(session: Session, principal: Principal) -> list[OrganisationPublic]:
    """All organisations, by code."""
    authorize_audited(session, principal, Permission.orgs_read, "orgs.list", "organisation")
    rows = session.scalars(select(Organisation).order_by(Organisation.code))
    return [OrganisationPublic.model_validate(row) for row in rows]


def create_organisation(
    session: Session, principal: Principal, data: OrganisationCreate
) -> OrganisationPublic:
    """Add an organisation; refuse a code that is already taken."""
    authorize_audited(session, principal, Permission.orgs_manage, "orgs.create", "organisation", data.code)
    if session.scalar(select(Organisation.id).where(Organisation.code == data.code)) is not None:
        raise InputError(
            said("organisation code '%(code)s' is already taken; choose another code", code=data.code)
        )
    organisation = Organisation(**data.model_dump())
    session.add(organisation)
    session.flush()
    record(session, principal, "orgs.create", "organisation", data.code, data.model_dump(mode="json"))
    return OrganisationPublic.model_validate(organisation)


def update_organisation(
    session: Session, principal: Principal, code: str, change: OrganisationChange
) -> OrganisationPublic:
    """Give an organisation new names or another kind (audited with the old and new values); its code,
    by which users and signals name it, stays. A change that changes nothing is refused."""
    authorize_audited(session, principal, Permission.orgs_manage, "orgs.update", "organisation", code)
    organisation = organisation_by_code(session, code)
    wanted = change.model_dump(exclude_none=True)
    changed = {field: value for field, value in wanted.items() if getattr(organisation, field) != value}
    if not changed:
        raise InputError(
            said(
                "organisation %(code)s already has these values; give a new --name-nl, --name-en or --kind",
                code=organisation.code,
            )
        )
    before = {field: str(getattr(organisation, field)) for field in changed}
    for field, value in changed.items():
        setattr(organisation, field, value)
    session.flush()
    after = {field: str(value) for field, value in changed.items()}
    record(
        session, principal, "orgs.update", "organisation", organisation.code, {"from": before, "to": after}
    )
    return OrganisationPublic.model_validate(organisation)


def default_organisations() -> list[OrganisationCreate]:
    """The organisations GBVS ships (``organisations.yaml``): those carrying out the strategy."""
    text = files("gbvs.db").joinpath("organisations.yaml").read_text(encoding="utf-8")
    entries = yaml.safe_load(text)["organisations"]
    return [parse_input(OrganisationCreate, "organisations.yaml entry", **entry) for entry in entries]


SHIPPED_FIELDS = ("kind", "name_nl", "name_en")
"""What the shipped list says of an organisation besides its code."""


@dataclass(frozen=True)
class KeptOrganisation:
    """An organisation that was there already and differs from the shipped one with its code."""

    stored: OrganisationPublic
    shipped: OrganisationCreate

    @property
    def differences(self) -> tuple[str, ...]:
        """The fields (:data:`SHIPPED_FIELDS`) whose stored value is not the shipped one."""
        return tuple(f for f in SHIPPED_FIELDS if getattr(self.stored, f) != getattr(self.shipped, f))


@dataclass(frozen=True)
class SeedOutcome:
    """What ``gbvs orgs seed`` did: the organisations it added, and the existing ones it left as they
    are although they differ from the shipped list."""

    added: list[OrganisationPublic]
    kept: list[KeptOrganisation]


def seed_default_organisations(session: Session, principal: Principal) -> SeedOutcome:
    """Add the shipped organisations that are not there yet; an existing one is never changed, but
    reported when it differs from the shipped one (kind, names)."""
    authorize_audited(session, principal, Permission.orgs_manage, "orgs.seed", "organisation")
    existing = {row.code: row for row in session.scalars(select(Organisation))}
    shipped = default_organisations()
    added = [
        create_organisation(session, principal, entry) for entry in shipped if entry.code not in existing
    ]
    kept = [
        KeptOrganisation(OrganisationPublic.model_validate(existing[entry.code]), entry)
        for entry in shipped
        if entry.code in existing
    ]
    return SeedOutcome(added, [k for k in kept if k.differences])
