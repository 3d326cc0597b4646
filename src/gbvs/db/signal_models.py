"""Models of the signals register: signals, sharing groups, recipients, countries and links.

Need-to-know is enforced in the query (:mod:`gbvs.db.signal_queries`), so the columns it reads
(``owner_organisation_id``, ``author_id``, ``tlp``, ``distribution``, ``sharing_group_id``) are
plain indexed columns, and lists that filters use (countries, threats, goals, techniques, tags)
are rows of their own (``signal_country``, ``signal_link``), not JSON.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gbvs.db.models import Base, Organisation, User, enum_column
from gbvs.db.types import UTCDateTime, utcnow
from gbvs.signals.markings import Classification, Distribution, Tlp
from gbvs.signals.model import SignalKind


class SharingGroup(Base):
    """A named set of organisations a signal can be shared with (e.g. the coordination group)."""

    __tablename__ = "sharing_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    members: Mapped[list[SharingGroupMember]] = relationship(cascade="all, delete-orphan")


class SharingGroupMember(Base):
    """An organisation in a sharing group."""

    __tablename__ = "sharing_group_member"

    sharing_group_id: Mapped[int] = mapped_column(ForeignKey("sharing_group.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), primary_key=True, index=True)

    organisation: Mapped[Organisation] = relationship()


class Signal(Base):
    """A dated observation shared under a TLP marking and a distribution."""

    __tablename__ = "signal"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_signal_source_external_id"),
        Index("ix_signal_owner_reported", "owner_organisation_id", "reported_on"),
        Index("ix_signal_distribution_reported", "distribution", "reported_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stix_id: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[SignalKind] = mapped_column(enum_column(SignalKind, "signal_kind", 30), index=True)
    observed_on: Mapped[date | None] = mapped_column(Date, default=None)
    reported_on: Mapped[date] = mapped_column(Date, index=True)
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True, default=None)
    reliability: Mapped[str] = mapped_column(String(1), default="f")
    credibility: Mapped[str] = mapped_column(String(1), default="6")
    classification: Mapped[Classification] = mapped_column(
        enum_column(Classification, "classification", 40), default=Classification.ongerubriceerd
    )
    tlp: Mapped[Tlp] = mapped_column(enum_column(Tlp, "tlp", 20))
    distribution: Mapped[Distribution] = mapped_column(enum_column(Distribution, "distribution", 30))
    sharing_group_id: Mapped[int | None] = mapped_column(ForeignKey("sharing_group.id"), index=True)
    source: Mapped[str | None] = mapped_column(String(40), default=None)
    external_id: Mapped[str | None] = mapped_column(String(300), default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[Organisation] = relationship()
    author: Mapped[User | None] = relationship()
    sharing_group: Mapped[SharingGroup | None] = relationship()
    countries: Mapped[list[SignalCountry]] = relationship(cascade="all, delete-orphan")
    links: Mapped[list[SignalLink]] = relationship(cascade="all, delete-orphan")
    recipients: Mapped[list[SignalRecipient]] = relationship(cascade="all, delete-orphan")


class SignalStixObject(Base):
    """Which signal holds which version of an object an imported STIX bundle brought (migration 0014).

    ``held_in`` is the signal whose stored objects (``detail["stix_objects"]``) hold its content: the
    signal itself when it keeps a copy, or the signal it links to (``detail["stix_held"]``) when the
    import left the object out as held already. The import finds the signals holding a bundle's
    objects here, by id, instead of reading every imported signal (:mod:`gbvs.db.services.signals`);
    ``version`` is the object's ``modified`` as written, empty for objects without versions.
    """

    __tablename__ = "signal_stix_object"

    stix_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id"), primary_key=True, index=True)
    held_in: Mapped[int] = mapped_column(ForeignKey("signal.id"))


class SignalRecipient(Base):
    """A named person a TLP:RED signal is shared with."""

    __tablename__ = "signal_recipient"

    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True, index=True)

    user: Mapped[User] = relationship()


class SignalCountry(Base):
    """A country a signal involves, as actor or target (ISO3; GW code when it is a state)."""

    __tablename__ = "signal_country"

    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(10), primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), primary_key=True, index=True)


class SignalLink(Base):
    """A filterable value of a signal: a strategy threat or goal, technique, sector or tag."""

    __tablename__ = "signal_link"
    __table_args__ = (Index("ix_signal_link_kind_value", "kind", "value"),)

    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)


UNMANAGED_PREFIXES = ("signal_fts", "signal_search", "ix_signal_search")
"""Search structures the migration creates per dialect (FTS5 table and its shadow tables on
SQLite, a GIN expression index on PostgreSQL); schema comparison leaves them out."""


def is_managed(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic ``include_name`` hook: False for the dialect-specific search structures."""
    return not (name or "").startswith(UNMANAGED_PREFIXES)


class SignalCase(Base):
    """A joint interpretation: signals grouped by one organisation and shared under its own markings."""

    __tablename__ = "signal_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    tlp: Mapped[Tlp] = mapped_column(enum_column(Tlp, "tlp", 20))
    distribution: Mapped[Distribution] = mapped_column(enum_column(Distribution, "distribution", 30))
    sharing_group_id: Mapped[int | None] = mapped_column(ForeignKey("sharing_group.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[Organisation] = relationship()
    sharing_group: Mapped[SharingGroup | None] = relationship()
    members: Mapped[list[CaseSignal]] = relationship(cascade="all, delete-orphan")
    recipients: Mapped[list[CaseRecipient]] = relationship(cascade="all, delete-orphan")
    goals: Mapped[list[CaseGoal]] = relationship(cascade="all, delete-orphan", order_by="CaseGoal.goal")


class CaseGoal(Base):
    """A strategy goal a case concerns, by its number (the goals themselves live in ``gbvs.strategy``)."""

    __tablename__ = "case_goal"

    case_id: Mapped[int] = mapped_column(ForeignKey("signal_case.id"), primary_key=True)
    goal: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)


class CaseSignal(Base):
    """A signal in a case (readers see only the member signals they may see themselves)."""

    __tablename__ = "case_signal"

    case_id: Mapped[int] = mapped_column(ForeignKey("signal_case.id"), primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id"), primary_key=True, index=True)


class CaseRecipient(Base):
    """A named person a TLP:RED case is shared with."""

    __tablename__ = "case_recipient"

    case_id: Mapped[int] = mapped_column(ForeignKey("signal_case.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True, index=True)


class Assessment(Base):
    """One organisation's judgement of a signal or a case. Never changed: an edit is a new version.

    ``supersedes_id`` points at the version it replaces; the current assessment of an organisation
    is the one no other row supersedes. ``likelihood`` and ``confidence`` are estimative-language
    values (MISP taxonomy); the attribution fields are for cyber operations.
    """

    __tablename__ = "assessment"
    __table_args__ = (CheckConstraint("(signal_id IS NULL) <> (case_id IS NULL)", name="one_target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signal_id: Mapped[int | None] = mapped_column(ForeignKey("signal.id"), index=True, default=None)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("signal_case.id"), index=True, default=None)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"), unique=True, default=None)
    judgement: Mapped[str] = mapped_column(Text)
    likelihood: Mapped[str] = mapped_column(String(30))
    confidence: Mapped[str] = mapped_column(String(20))
    suspected_actor: Mapped[str | None] = mapped_column(String(200), default=None)
    sponsor_state: Mapped[str | None] = mapped_column(String(3), default=None)
    evidence: Mapped[str] = mapped_column(Text, default="")
    is_joint_position: Mapped[bool] = mapped_column(default=False)
    agreed_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User] = relationship()
