"""Progress report records: results chain, reported values, periods, snapshots, drafts, releases.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-02

The tables of :mod:`gbvs.db.report_models` (issue #14). Versioned rows and frozen snapshots are
never changed; the ORM refuses UPDATE and DELETE on them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERIOD_STATUS_VALUES = ("open", "closed")
ACTION_STATUS_VALUES = ("planned", "ongoing", "completed", "stopped")
INDICATOR_LEVEL_VALUES = ("output", "outcome")
INDICATOR_METHOD_VALUES = ("computed", "reported")
INDICATOR_DIRECTION_VALUES = ("up", "down")
DRAFT_STATUS_VALUES = ("draft", "review", "approved", "published")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    """A portable enum column as the models declare it (values frozen here, as of this revision)."""
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    op.create_table(
        "publication_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("item_id", sa.String(length=100), nullable=False),
        sa.Column("organisation", sa.String(length=20), nullable=False),
        sa.Column("released_by", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_release")),
        sa.UniqueConstraint("kind", "item_id", name="uq_publication_release_item"),
    )
    op.create_table(
        "reported_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_key", sa.String(length=80), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("organisation", sa.String(length=20), nullable=False),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_value")),
    )
    with op.batch_alter_table("reported_value", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reported_value_indicator_key"), ["indicator_key"], unique=False)

    op.create_table(
        "reporting_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", _enum(PERIOD_STATUS_VALUES, "period_status"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_period")),
        sa.UniqueConstraint("label", name=op.f("uq_reporting_period_label")),
    )
    op.create_table(
        "result_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("owner_organisation", sa.String(length=20), nullable=False),
        sa.Column("framework", sa.String(length=60), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("status", _enum(ACTION_STATUS_VALUES, "action_status"), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_action")),
        sa.UniqueConstraint("key", "version", name="uq_result_action_key_version"),
    )
    with op.batch_alter_table("result_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_result_action_goal"), ["goal"], unique=False)
        batch_op.create_index(batch_op.f("ix_result_action_key"), ["key"], unique=False)

    op.create_table(
        "result_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=False),
        sa.Column("level", _enum(INDICATOR_LEVEL_VALUES, "indicator_level"), nullable=False),
        sa.Column("method", _enum(INDICATOR_METHOD_VALUES, "indicator_method"), nullable=False),
        sa.Column("definition", sa.String(length=80), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=80), nullable=False),
        sa.Column("direction", _enum(INDICATOR_DIRECTION_VALUES, "indicator_direction"), nullable=False),
        sa.Column("baseline_value", sa.Float(), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("owner_organisation", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_indicator")),
        sa.UniqueConstraint("key", "version", name="uq_result_indicator_key_version"),
    )
    with op.batch_alter_table("result_indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_result_indicator_goal"), ["goal"], unique=False)
        batch_op.create_index(batch_op.f("ix_result_indicator_key"), ["key"], unique=False)

    op.create_table(
        "report_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=80), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("outputs", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"], ["reporting_period.id"], name=op.f("fk_report_snapshot_period_id_reporting_period")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_snapshot")),
    )
    with op.batch_alter_table("report_snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_snapshot_period_id"), ["period_id"], unique=False)

    op.create_table(
        "report_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("status", _enum(DRAFT_STATUS_VALUES, "draft_status"), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"], ["reporting_period.id"], name=op.f("fk_report_draft_period_id_reporting_period")
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["report_snapshot.id"], name=op.f("fk_report_draft_snapshot_id_report_snapshot")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_draft")),
    )
    with op.batch_alter_table("report_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_draft_period_id"), ["period_id"], unique=False)

    op.create_table(
        "report_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=True),
        sa.Column("organisation", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["report_draft.id"], name=op.f("fk_report_comment_draft_id_report_draft")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_comment")),
    )
    with op.batch_alter_table("report_comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_comment_draft_id"), ["draft_id"], unique=False)

    op.create_table(
        "report_contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["report_draft.id"], name=op.f("fk_report_contribution_draft_id_report_draft")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_contribution")),
    )
    with op.batch_alter_table("report_contribution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_contribution_draft_id"), ["draft_id"], unique=False)

    op.create_table(
        "report_transition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["report_draft.id"], name=op.f("fk_report_transition_draft_id_report_draft")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_transition")),
    )
    with op.batch_alter_table("report_transition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_transition_draft_id"), ["draft_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_transition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_transition_draft_id"))

    op.drop_table("report_transition")
    with op.batch_alter_table("report_contribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_contribution_draft_id"))

    op.drop_table("report_contribution")
    with op.batch_alter_table("report_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_comment_draft_id"))

    op.drop_table("report_comment")
    with op.batch_alter_table("report_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_draft_period_id"))

    op.drop_table("report_draft")
    with op.batch_alter_table("report_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_snapshot_period_id"))

    op.drop_table("report_snapshot")
    with op.batch_alter_table("result_indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_result_indicator_key"))
        batch_op.drop_index(batch_op.f("ix_result_indicator_goal"))

    op.drop_table("result_indicator")
    with op.batch_alter_table("result_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_result_action_key"))
        batch_op.drop_index(batch_op.f("ix_result_action_goal"))

    op.drop_table("result_action")
    op.drop_table("reporting_period")
    with op.batch_alter_table("reported_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reported_value_indicator_key"))

    op.drop_table("reported_value")
    op.drop_table("publication_release")
