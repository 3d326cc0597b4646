"""Records of implementation monitoring and the progress report (issue #14).

- The results chain: :class:`ResultAction` and :class:`ResultIndicator`, versioned (an edit is a new
  row that ``supersedes`` the previous one; rows are never changed), and :class:`ReportedValue`
  (a value a ministry entered, with date, evidence and the person).
- :class:`ReportingPeriod` and :class:`ReportSnapshot`: a frozen snapshot keeps its recorded inputs,
  its outputs and their content hash and is never changed (the ORM refuses UPDATE and DELETE).
- The workflow of a :class:`ReportDraft`: contributions and comments per ministry, transitions.
- :class:`PublicationRelease`: an item its owner released for publication although not TLP:CLEAR.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from gbvs.db.models import Base, enum_column
from gbvs.db.types import UTCDateTime, utcnow
from gbvs.errors import DatabaseError


class ActionStatus(StrEnum):
    """Where an action stands."""

    planned = "planned"
    ongoing = "ongoing"
    completed = "completed"
    stopped = "stopped"


class IndicatorLevel(StrEnum):
    """Output (what was done) or outcome (what changed)."""

    output = "output"
    outcome = "outcome"


class IndicatorMethod(StrEnum):
    """Computed from GBVS data by a named definition, or reported by the responsible ministry."""

    computed = "computed"
    reported = "reported"


class Direction(StrEnum):
    """Which way is better."""

    up = "up"
    down = "down"


class PeriodStatus(StrEnum):
    """An open period can be rebuilt; a closed one has a frozen snapshot."""

    open = "open"
    closed = "closed"


class DraftStatus(StrEnum):
    """The report's workflow: draft → review → approved → published."""

    draft = "draft"
    review = "review"
    approved = "approved"
    published = "published"


class ResultAction(Base):
    """An action that carries out a goal (one version; edits supersede it)."""

    __tablename__ = "result_action"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_result_action_key_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    goal: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    owner_organisation: Mapped[str] = mapped_column(String(20))
    framework: Mapped[str | None] = mapped_column(String(60), default=None)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus, "action_status"))
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ResultIndicator(Base):
    """An indicator of a goal (one version; edits supersede it)."""

    __tablename__ = "result_indicator"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_result_indicator_key_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    goal: Mapped[int] = mapped_column(Integer, index=True)
    level: Mapped[IndicatorLevel] = mapped_column(enum_column(IndicatorLevel, "indicator_level"))
    method: Mapped[IndicatorMethod] = mapped_column(enum_column(IndicatorMethod, "indicator_method"))
    definition: Mapped[str | None] = mapped_column(String(80), default=None)
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    unit: Mapped[str] = mapped_column(String(80))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, "indicator_direction"))
    baseline_value: Mapped[float | None] = mapped_column(Float, default=None)
    baseline_year: Mapped[int | None] = mapped_column(Integer, default=None)
    target_value: Mapped[float | None] = mapped_column(Float, default=None)
    target_year: Mapped[int | None] = mapped_column(Integer, default=None)
    source: Mapped[str] = mapped_column(Text, default="")
    owner_organisation: Mapped[str] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReportedValue(Base):
    """A value of a reported indicator, entered by a person of the responsible ministry."""

    __tablename__ = "reported_value"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_key: Mapped[str] = mapped_column(String(80), index=True)
    period: Mapped[str] = mapped_column(String(10))
    value: Mapped[float] = mapped_column(Float)
    measured_on: Mapped[date] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text)
    organisation: Mapped[str] = mapped_column(String(20))
    entered_by: Mapped[str] = mapped_column(String(64))
    tlp: Mapped[str] = mapped_column(String(20), default="clear")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReportingPeriod(Base):
    """A reporting period such as ``2018-2019``."""

    __tablename__ = "reporting_period"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(20), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[PeriodStatus] = mapped_column(enum_column(PeriodStatus, "period_status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReportSnapshot(Base):
    """A frozen snapshot: recorded inputs, outputs and their content hash. Never changed."""

    __tablename__ = "report_snapshot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(80))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    outputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReportDraft(Base):
    """The report of a period on its way to publication."""

    __tablename__ = "report_draft"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"), index=True)
    status: Mapped[DraftStatus] = mapped_column(enum_column(DraftStatus, "draft_status"))
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("report_snapshot.id"), default=None)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReportTransition(Base):
    """One step of a draft's workflow: who moved it from which status to which, and why."""

    __tablename__ = "report_transition"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("report_draft.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReportContribution(Base):
    """A ministry's text for one goal of a draft (a new version supersedes the previous one)."""

    __tablename__ = "report_contribution"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("report_draft.id"), index=True)
    goal: Mapped[int] = mapped_column(Integer)
    organisation: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))
    tlp: Mapped[str] = mapped_column(String(20), default="clear")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReportComment(Base):
    """A comment on a draft (optionally on one goal or one ministry's text), read under its TLP marking
    as contributions are; ``audience`` is the ministry whose AMBER readers read it: the text's ministry
    for a comment on a text, else the commenter's."""

    __tablename__ = "report_comment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("report_draft.id"), index=True)
    goal: Mapped[int | None] = mapped_column(Integer, default=None)
    contribution_id: Mapped[int | None] = mapped_column(ForeignKey("report_contribution.id"), default=None)
    organisation: Mapped[str] = mapped_column(String(20))
    audience: Mapped[str] = mapped_column(String(20), server_default="")
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    tlp: Mapped[str] = mapped_column(String(20), default="green", server_default="green")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PublicationRelease(Base):
    """An item (``kind``/``item_id``) its owner released for publication in a report."""

    __tablename__ = "publication_release"
    __table_args__ = (UniqueConstraint("kind", "item_id", name="uq_publication_release_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    item_id: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(20))
    released_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


IMMUTABLE = (
    ResultAction,
    ResultIndicator,
    ReportedValue,
    ReportSnapshot,
    ReportTransition,
    ReportContribution,
)


def _refuse(mapper: Any, connection: Any, target: Any) -> None:
    raise DatabaseError(
        f"{type(target).__tablename__} rows are never changed or deleted (row {target.id}); "
        "add a new version instead"
    )


for _model in IMMUTABLE:
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)
