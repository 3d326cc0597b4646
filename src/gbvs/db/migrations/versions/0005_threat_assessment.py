"""The threat assessment: scenarios and their links, Delphi scoring rounds, score sheets and entries, dissent.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Score sheets are never updated: a revision is a new row that supersedes the previous one
(``supersedes_id`` unique), so every version stays.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCENARIO_TYPE_VALUES = ("hazard", "threat")
ROUND_STATUS_VALUES = ("open", "closed")
LINK_KIND_VALUES = ("threat", "goal", "signal", "case", "forecast", "indicator", "document")


def _enum(values: tuple[str, ...], name: str, length: int) -> sa.Enum:
    """A portable enum column as the models declare it (values frozen here, as of this revision)."""
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def upgrade() -> None:
    op.create_table(
        "threat_scenario",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("kind", _enum(SCENARIO_TYPE_VALUES, "scenario_type", 10), nullable=False),
        sa.Column("method_id", sa.String(length=64), nullable=False),
        sa.Column("time_horizon", sa.String(length=200), nullable=False),
        sa.Column("assumptions", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threat_scenario")),
        sa.UniqueConstraint("key", name=op.f("uq_threat_scenario_key")),
    )
    op.create_table(
        "scenario_link",
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(LINK_KIND_VALUES, "scenario_link_kind", 10), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"], ["threat_scenario.id"], name=op.f("fk_scenario_link_scenario_id_threat_scenario")
        ),
        sa.PrimaryKeyConstraint("scenario_id", "kind", "value", name=op.f("pk_scenario_link")),
    )
    op.create_table(
        "scoring_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", _enum(ROUND_STATUS_VALUES, "round_status", 10), nullable=False),
        sa.Column("method_version", sa.String(length=64), nullable=False),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["scenario_id"], ["threat_scenario.id"], name=op.f("fk_scoring_round_scenario_id_threat_scenario")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_round")),
        sa.UniqueConstraint("scenario_id", "number", name="uq_scoring_round_scenario_number"),
    )
    with op.batch_alter_table("scoring_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scoring_round_scenario_id"), ["scenario_id"], unique=False)

    op.create_table(
        "scenario_dissent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("round_number", sa.Integer(), nullable=True),
        sa.Column("analyst_id", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(length=32), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["analyst_id"], ["app_user.id"], name=op.f("fk_scenario_dissent_analyst_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["threat_scenario.id"],
            name=op.f("fk_scenario_dissent_scenario_id_threat_scenario"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_dissent")),
    )
    with op.batch_alter_table("scenario_dissent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenario_dissent_scenario_id"), ["scenario_id"], unique=False)

    op.create_table(
        "score_sheet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("analyst_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("likelihood", sa.String(length=3), nullable=False),
        sa.Column("likelihood_justification", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["analyst_id"], ["app_user.id"], name=op.f("fk_score_sheet_analyst_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["scoring_round.id"], name=op.f("fk_score_sheet_round_id_scoring_round")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["score_sheet.id"], name=op.f("fk_score_sheet_supersedes_id_score_sheet")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_sheet")),
        sa.UniqueConstraint("supersedes_id", name=op.f("uq_score_sheet_supersedes_id")),
    )
    with op.batch_alter_table("score_sheet", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_sheet_analyst_id"), ["analyst_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_score_sheet_round_id"), ["round_id"], unique=False)

    op.create_table(
        "score_entry",
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(length=32), nullable=False),
        sa.Column("class_code", sa.String(length=3), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sheet_id"], ["score_sheet.id"], name=op.f("fk_score_entry_sheet_id_score_sheet")
        ),
        sa.PrimaryKeyConstraint("sheet_id", "criterion", name=op.f("pk_score_entry")),
    )


def downgrade() -> None:
    op.drop_table("score_entry")
    with op.batch_alter_table("score_sheet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_sheet_round_id"))
        batch_op.drop_index(batch_op.f("ix_score_sheet_analyst_id"))

    op.drop_table("score_sheet")
    with op.batch_alter_table("scenario_dissent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenario_dissent_scenario_id"))

    op.drop_table("scenario_dissent")
    with op.batch_alter_table("scoring_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scoring_round_scenario_id"))

    op.drop_table("scoring_round")
    op.drop_table("scenario_link")
    op.drop_table("threat_scenario")
