"""Early-action cases opened from a displacement forecast (issue 17): a fifth origin kind.

Revision ID: 0011_displace
Revises: 0010
Create Date: 2026-12-02

``action_case.origin_kind`` may now be ``displacement`` (reference ``RUN_ID:GWCODE``, the displacement
forecast run and the origin country; :mod:`gbvs.actions.origins`). Only the CHECK constraint changes.
PostgreSQL swaps it in place; SQLite cannot alter a constraint, so the table is rebuilt from the
definition below (the table as migrations 0006 and 0009 left it, so ``gbvs db upgrade --sql`` can render
it without reflection). Downgrading fails while a case from a displacement forecast exists.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_displace"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("alert", "country", "signal_case", "scenario")
ORIGIN_VALUES = (*BEFORE, "displacement")
STATUS_VALUES = ("open", "options", "decided", "follow_up", "closed")
DISTRIBUTION_VALUES = ("organisation", "sharing_group", "all_organisations")
CHECK = "ck_action_case_origin_kind"
INDEXED = ("status", "origin_kind", "origin_ref", "opened_at", "signal_case_id")


def _one_of(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=op.f(f"ck_action_case_{column}"))


def _table(origins: tuple[str, ...]) -> sa.Table:
    """``action_case`` as of revision 0010, with ``origins`` as the allowed origin kinds."""
    return sa.Table(
        "action_case",
        sa.MetaData(),
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
        sa.Column("distribution", sa.String(length=20), nullable=False, server_default="all_organisations"),
        sa.Column("sharing_group_id", sa.Integer(), nullable=True),
        sa.Column("signal_case_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_action_case_owner_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["sharing_group_id"],
            ["sharing_group.id"],
            name=op.f("fk_action_case_sharing_group_id_sharing_group"),
        ),
        sa.ForeignKeyConstraint(
            ["signal_case_id"], ["signal_case.id"], name=op.f("fk_action_case_signal_case_id_signal_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_case")),
        _one_of("status", STATUS_VALUES),
        _one_of("origin_kind", origins),
        _one_of("distribution", DISTRIBUTION_VALUES),
        *(sa.Index(op.f(f"ix_action_case_{column}"), column) for column in INDEXED),
    )


def _allow(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    allowed = ", ".join(f"'{value}'" for value in new)
    with op.batch_alter_table("action_case", copy_from=_table(old)) as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), f"origin_kind IN ({allowed})")


def upgrade() -> None:
    _allow(BEFORE, ORIGIN_VALUES)


def downgrade() -> None:
    _allow(ORIGIN_VALUES, BEFORE)
