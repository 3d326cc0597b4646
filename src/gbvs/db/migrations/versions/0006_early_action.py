"""Early action (goal 1): cases opened from a warning, options, decisions, follow-ups, versions.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02

The vocabularies are frozen here as CHECK constraints, as of this revision (the enums of
``gbvs.actions.workflow``; ``tests/actions/test_records.py`` keeps them equal).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_VALUES = ("open", "options", "decided", "follow_up", "closed")
ORIGIN_VALUES = ("alert", "country", "signal_case", "scenario")
CHOICE_VALUES = ("act", "no_action")
TABLES = (
    "action_case_version",
    "action_follow_up",
    "action_decision",
    "action_option",
    "action_case_goal",
    "action_case_country",
    "action_case",
)


def _one_of(table: str, column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=op.f(f"ck_{table}_{column}"))


def _case_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["case_id"], ["action_case.id"], name=op.f(f"fk_{table}_case_id_action_case")
    )


def _index(table: str, column: str) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "action_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("origin_kind", sa.String(length=20), nullable=False),
        sa.Column("origin_ref", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_organisation_id", sa.Integer(), nullable=True),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("warning", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_action_case_owner_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_case")),
        _one_of("action_case", "status", STATUS_VALUES),
        _one_of("action_case", "origin_kind", ORIGIN_VALUES),
    )
    for column in ("status", "origin_kind", "origin_ref", "opened_at"):
        _index("action_case", column)
    op.create_table(
        "action_case_country",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("gwcode", sa.Integer(), nullable=True),
        _case_fk("action_case_country"),
        sa.PrimaryKeyConstraint("case_id", "iso3", name=op.f("pk_action_case_country")),
    )
    _index("action_case_country", "gwcode")
    op.create_table(
        "action_case_goal",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=False),
        _case_fk("action_case_goal"),
        sa.PrimaryKeyConstraint("case_id", "goal", name=op.f("pk_action_case_goal")),
    )
    op.create_table(
        "action_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        _case_fk("action_option"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_option")),
    )
    _index("action_option", "case_id")
    op.create_table(
        "action_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=20), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=True),
        sa.Column("reasoning", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        _case_fk("action_decision"),
        sa.ForeignKeyConstraint(
            ["option_id"], ["action_option.id"], name=op.f("fk_action_decision_option_id_action_option")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_decision")),
        _one_of("action_decision", "choice", CHOICE_VALUES),
    )
    _index("action_decision", "case_id")
    op.create_table(
        "action_follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by", sa.String(length=64), nullable=True),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        _case_fk("action_follow_up"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_follow_up")),
    )
    _index("action_follow_up", "case_id")
    _index("action_follow_up", "due_on")
    op.create_table(
        "action_case_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("change", sa.String(length=40), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        _case_fk("action_case_version"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_case_version")),
        sa.UniqueConstraint("case_id", "version", name="uq_action_case_version_case_version"),
        _one_of("action_case_version", "status", STATUS_VALUES),
    )
    _index("action_case_version", "case_id")


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
