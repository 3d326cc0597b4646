"""Models of early action (goal 1): cases opened from a warning, their options, decision and follow-up.

- ``action_case``: one case; ``warning`` is the frozen copy of the forecast and its explanation as
  they were when the case was opened (written once, never updated: :func:`_refuse_warning_change`).
  Its audience (migration 0009) is the owning organisation, the opener and, by ``distribution``, a
  sharing group or all organisations; ``signal_case_id`` names the signal case it was opened from,
  whose own need-to-know applies on top (:mod:`gbvs.db.action_queries`).
- ``action_case_country`` / ``action_case_goal``: the countries and strategy goals concerned (rows,
  so that the gap figures and filters can query them).
- ``action_option``: an option considered, with an instrument of the strategy.
- ``action_decision``: who decided what and when (act with an option, or not act, with reasons);
  a reopened decision is followed by a new row, the old one stays.
- ``action_follow_up``: follow-up dates, and when each was done.
- ``action_case_version``: every change of a case as a numbered version with a snapshot; the
  audit log records the same change (:mod:`gbvs.actions.service`).

The workflow's vocabularies (status, origin kind, choice) are the enums of
:mod:`gbvs.actions.workflow`, a layer above this package, so the columns here are plain strings:
the service parses every value through those enums before writing, and migration 0006 freezes the
same values as CHECK constraints (``tests/actions/test_records.py`` keeps them equal).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Mapper, attributes, mapped_column, relationship

from gbvs.db.append_only import DECISION_LOG_CORRECTION, DECISION_LOG_MARKER
from gbvs.db.models import Base, Organisation
from gbvs.db.signal_models import SharingGroup
from gbvs.db.types import UTCDateTime, utcnow
from gbvs.errors import InputError


class ActionCase(Base):
    """An early-action case: a warning, what could be done, what was decided, and what came of it."""

    __tablename__ = "action_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), index=True)
    origin_kind: Mapped[str] = mapped_column(String(20), index=True)
    origin_ref: Mapped[str] = mapped_column(String(120), index=True)
    region: Mapped[str | None] = mapped_column(String(40), default=None)
    description: Mapped[str] = mapped_column(Text, default="")
    owner_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), default=None)
    distribution: Mapped[str] = mapped_column(
        String(20), default="all_organisations", server_default="all_organisations"
    )
    sharing_group_id: Mapped[int | None] = mapped_column(ForeignKey("sharing_group.id"), default=None)
    signal_case_id: Mapped[int | None] = mapped_column(ForeignKey("signal_case.id"), index=True, default=None)
    opened_by: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    warning: Mapped[dict[str, Any]] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[Organisation | None] = relationship()
    sharing_group: Mapped[SharingGroup | None] = relationship()
    countries: Mapped[list[ActionCaseCountry]] = relationship(cascade="all, delete-orphan")
    goals: Mapped[list[ActionCaseGoal]] = relationship(cascade="all, delete-orphan")
    options: Mapped[list[ActionOption]] = relationship(
        cascade="all, delete-orphan", order_by="ActionOption.id"
    )
    decisions: Mapped[list[ActionDecision]] = relationship(
        cascade="all, delete-orphan", order_by="ActionDecision.id"
    )
    follow_ups: Mapped[list[ActionFollowUp]] = relationship(
        cascade="all, delete-orphan", order_by="ActionFollowUp.due_on"
    )


class ActionCaseCountry(Base):
    """A country a case concerns (ISO3 and its Gleditsch-Ward code)."""

    __tablename__ = "action_case_country"

    case_id: Mapped[int] = mapped_column(ForeignKey("action_case.id"), primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    gwcode: Mapped[int | None] = mapped_column(Integer, index=True, default=None)


class ActionCaseGoal(Base):
    """A strategy goal a case concerns (by its number)."""

    __tablename__ = "action_case_goal"

    case_id: Mapped[int] = mapped_column(ForeignKey("action_case.id"), primary_key=True)
    goal: Mapped[int] = mapped_column(Integer, primary_key=True)


class ActionOption(Base):
    """An option considered, with the strategy instrument it would use."""

    __tablename__ = "action_option"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("action_case.id"), index=True)
    instrument: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ActionDecision(Base):
    """A decision on a case: act (with an option) or a reasoned decision not to act."""

    __tablename__ = "action_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("action_case.id"), index=True)
    choice: Mapped[str] = mapped_column(String(20))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("action_option.id"), default=None)
    reasoning: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ActionFollowUp(Base):
    """A follow-up date of a case; ``done_on`` is set when it was done."""

    __tablename__ = "action_follow_up"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("action_case.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    done_by: Mapped[str | None] = mapped_column(String(64), default=None)
    added_by: Mapped[str] = mapped_column(String(64))


class ActionCaseVersion(Base):
    """One version of a case: what changed, who changed it, and the case as it then was."""

    __tablename__ = "action_case_version"
    __table_args__ = (UniqueConstraint("case_id", "version", name="uq_action_case_version_case_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("action_case.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    change: Mapped[str] = mapped_column(String(40))
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)


@event.listens_for(ActionCase, "before_update")
def _refuse_warning_change(mapper: Mapper[ActionCase], connection: object, target: ActionCase) -> None:
    """The frozen warning and the origin are written once, when the case is opened."""
    for name in ("warning", "origin_kind", "origin_ref", "opened_at", "opened_by", "signal_case_id"):
        if attributes.get_history(target, name).has_changes():
            raise InputError(
                f"the {name} of early-action case {target.id} is frozen when the case is opened; "
                "open a new case for a new warning"
            )


@event.listens_for(ActionDecision, "before_update")
@event.listens_for(ActionDecision, "before_delete")
@event.listens_for(ActionCaseVersion, "before_update")
@event.listens_for(ActionCaseVersion, "before_delete")
def _refuse_log_change(
    mapper: Mapper[Any], connection: object, target: ActionDecision | ActionCaseVersion
) -> None:
    """The decision log is append-only: a decision and a version are kept as written (the database
    refuses raw statements too: :mod:`gbvs.db.append_only`)."""
    what = "decision" if isinstance(target, ActionDecision) else f"version {target.version}"
    raise InputError(
        f"{what} of early-action case {target.case_id} cannot be changed or deleted: the "
        f"{DECISION_LOG_MARKER}; {DECISION_LOG_CORRECTION}"
    )
