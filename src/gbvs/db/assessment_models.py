"""Models of the threat assessment: scenarios, their links, Delphi scoring rounds, score sheets, dissent.

A scenario's panel is its owner's organisation (that of the account that created it) and the
organisations its coordinator invited (:class:`PanelMember`, migration 0013): only their analysts
score, and only they read the panel's justifications and dissent.

Nothing is overwritten: a revised score is a new :class:`ScoreSheet` version that supersedes the
analyst's previous one in the same round (the current sheet is the one no other sheet supersedes);
round 2 holds new sheets beside round 1's. Dissent is only ever added. Who did what is also in
the audit log. Whether an analyst may read others' sheets (never while the round is open) is
decided in :mod:`gbvs.db.services.assessments`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    FetchedValue,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gbvs.db.models import Base, Organisation, User, enum_column
from gbvs.db.types import UTCDateTime, utcnow
from gbvs.languages import N_


class ScenarioType(StrEnum):
    """Non-malicious (hazard) or malicious (threat): selects the likelihood scale."""

    hazard = "hazard"
    threat = "threat"


class RoundStatus(StrEnum):
    """A scoring round is open (blind) or closed (revealed)."""

    open = "open"
    closed = "closed"


class LinkKind(StrEnum):
    """What a scenario link points at."""

    threat = "threat"  # number of a threat of chapter 3
    goal = "goal"  # number of a GBVS goal
    signal = "signal"  # id of a signal in the register
    case = "case"  # id of a signal case
    forecast = "forecast"  # a forecast (target, country, year) as text
    indicator = "indicator"  # a driver indicator id
    document = "document"  # a document reference (title or URL)


LINK_KIND_NAMES: dict[str, str] = {
    LinkKind.threat: N_("threat"),
    LinkKind.goal: N_("goal"),
    LinkKind.signal: N_("signal"),
    LinkKind.case: N_("signal case"),
    LinkKind.forecast: N_("forecast"),
    LinkKind.indicator: N_("indicator"),
    LinkKind.document: N_("document"),
}
"""How pages and the command line name a link's kind (message ids; the stored value is the key)."""

VERSION_CHANGE_NAMES: dict[str, str] = {
    "created": N_("created"),
    "edited": N_("edited"),
    "linked": N_("evidence linked"),
}
"""How the command line names what made a scenario version (:attr:`ScenarioVersion.change`; message ids)."""

COORDINATORS_SCORE: dict[bool, str] = {
    False: N_("coordinators do not score in this round (analysts only)"),
    True: N_("coordinators score in this round too"),
}
"""Whether a round's coordinators score (:attr:`ScoringRound.coordinators_score`), as the round page and
the command line say it (message ids)."""


class Scenario(Base):
    """A threat made concrete, to be scored with one method."""

    __tablename__ = "threat_scenario"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str | None] = mapped_column(String(120), unique=True, default=None)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[ScenarioType] = mapped_column(enum_column(ScenarioType, "scenario_type", 10))
    method_id: Mapped[str] = mapped_column(String(64))
    time_horizon: Mapped[str] = mapped_column(String(200), default="")
    assumptions: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    links: Mapped[list[ScenarioLink]] = relationship(
        cascade="all, delete-orphan", order_by="ScenarioLink.kind"
    )
    rounds: Mapped[list[ScoringRound]] = relationship(order_by="ScoringRound.number")


class PanelMember(Base):
    """An organisation invited to a scenario's panel (migration 0013). The owner's organisation is
    on every panel of its own and is not stored here (it follows from ``Scenario.created_by``)."""

    __tablename__ = "scenario_panel_member"

    scenario_id: Mapped[int] = mapped_column(ForeignKey("threat_scenario.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), primary_key=True, index=True)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()


class ScenarioVersion(Base):
    """One version of a scenario's text and links (migration 0009): who changed what, and the
    scenario as it then was. Edits are allowed while the scenario is a draft (no round opened)."""

    __tablename__ = "threat_scenario_version"
    __table_args__ = (
        UniqueConstraint("scenario_id", "version", name="uq_threat_scenario_version_scenario_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("threat_scenario.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(40))
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)


class ScenarioLink(Base):
    """A threat, goal or piece of evidence a scenario refers to."""

    __tablename__ = "scenario_link"

    scenario_id: Mapped[int] = mapped_column(ForeignKey("threat_scenario.id"), primary_key=True)
    kind: Mapped[LinkKind] = mapped_column(enum_column(LinkKind, "scenario_link_kind", 10), primary_key=True)
    value: Mapped[str] = mapped_column(String(300), primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ScoringRound(Base):
    """Round ``number`` of the Delphi scoring of a scenario. ``coordinators_score`` (migration 0019): whether
    coordinators and admins score in it beside the analysts (no, unless the coordinator opening it says so:
    the NRB method keeps the working-group coordinator apart from the experts who score)."""

    __tablename__ = "scoring_round"
    __table_args__ = (UniqueConstraint("scenario_id", "number", name="uq_scoring_round_scenario_number"),)
    # coordinators_score is read when asked for, not returned by the INSERT: rows written by the code
    # of an older revision (the migration tests) must not ask for a column their database lacks
    __mapper_args__ = {"eager_defaults": False}  # noqa: RUF012

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("threat_scenario.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[RoundStatus] = mapped_column(enum_column(RoundStatus, "round_status", 10))
    method_version: Mapped[str] = mapped_column(String(64))
    opened_by: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    coordinators_score: Mapped[bool] = mapped_column(Boolean, server_default=false())
    # FetchedValue: a round made without a deadline leaves the column out of its INSERT (NULL in the
    # database), so code of an older revision (the migration tests) does not name a column it lacks
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime(), server_default=FetchedValue())
    """When scoring stops (migration 0020; None: no deadline). Set by the coordinator who opens the round,
    changed while it is open; a score sent after it is refused, the round stays open until closed."""

    sheets: Mapped[list[ScoreSheet]] = relationship(order_by="ScoreSheet.id")
    reopenings: Mapped[list[RoundReopening]] = relationship(order_by="RoundReopening.id")


class RoundReopening(Base):
    """A closed round opened again by a coordinator (migration 0020): who, when, why, and the close it
    undid (the round's ``closed_by``/``closed_at`` are cleared while it is open again). Only ever added."""

    __tablename__ = "scoring_round_reopening"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("scoring_round.id"), index=True)
    reopened_by: Mapped[str] = mapped_column(String(64))
    reopened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
    closed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class ScoreSheet(Base):
    """One analyst's scores for a scenario in a round; a revision is a new version."""

    __tablename__ = "score_sheet"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("scoring_round.id"), index=True)
    analyst_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("score_sheet.id"), unique=True, default=None)
    likelihood: Mapped[str] = mapped_column(String(3))
    likelihood_justification: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    analyst: Mapped[User] = relationship()
    entries: Mapped[list[ScoreEntry]] = relationship(
        cascade="all, delete-orphan", order_by="ScoreEntry.criterion"
    )


class ScoreEntry(Base):
    """The class an analyst gives one criterion, with a short justification."""

    __tablename__ = "score_entry"

    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheet.id"), primary_key=True)
    criterion: Mapped[str] = mapped_column(String(32), primary_key=True)
    class_code: Mapped[str] = mapped_column(String(3))
    justification: Mapped[str] = mapped_column(Text)


class Dissent(Base):
    """An analyst's recorded disagreement with the outcome (of a criterion, or overall)."""

    __tablename__ = "scenario_dissent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("threat_scenario.id"), index=True)
    round_number: Mapped[int | None] = mapped_column(Integer, default=None)
    analyst_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    criterion: Mapped[str | None] = mapped_column(String(32), default=None)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    analyst: Mapped[User] = relationship()
