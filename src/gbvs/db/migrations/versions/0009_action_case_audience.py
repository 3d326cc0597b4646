"""Need-to-know on early-action cases: the audience of a case and the signal case it came from.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

``action_case.distribution`` says who besides the owning organisation and the opener may read a
case (``organisation``, ``sharing_group`` with ``sharing_group_id``, ``all_organisations``), and
``signal_case_id`` keeps the signal case a case was opened from, so that the signal case's own
need-to-know applies on top (:mod:`gbvs.db.action_queries`). Existing cases keep what they had
(every ``actions:read`` holder saw them: ``all_organisations``), except those opened from a signal
case, which become readable only by the owning organisation (and the signal case's audience).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DISTRIBUTION_VALUES = ("organisation", "sharing_group", "all_organisations")


def upgrade() -> None:
    allowed = ", ".join(f"'{value}'" for value in DISTRIBUTION_VALUES)
    with op.batch_alter_table("action_case") as batch:
        batch.add_column(
            sa.Column(
                "distribution", sa.String(length=20), nullable=False, server_default="all_organisations"
            )
        )
        batch.add_column(sa.Column("sharing_group_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("signal_case_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_action_case_sharing_group_id_sharing_group"), "sharing_group", ["sharing_group_id"], ["id"]
        )
        batch.create_foreign_key(
            op.f("fk_action_case_signal_case_id_signal_case"), "signal_case", ["signal_case_id"], ["id"]
        )
        batch.create_check_constraint(op.f("ck_action_case_distribution"), f"distribution IN ({allowed})")
        batch.create_index(op.f("ix_action_case_signal_case_id"), ["signal_case_id"], unique=False)
    case = sa.table(
        "action_case",
        sa.column("origin_kind", sa.String()),
        sa.column("origin_ref", sa.String()),
        sa.column("distribution", sa.String()),
        sa.column("signal_case_id", sa.Integer()),
    )
    op.execute(
        case.update()
        .where(case.c.origin_kind == "signal_case")
        .values(distribution="organisation", signal_case_id=sa.cast(case.c.origin_ref, sa.Integer()))
    )


def downgrade() -> None:
    with op.batch_alter_table("action_case") as batch:
        batch.drop_index(op.f("ix_action_case_signal_case_id"))
        batch.drop_constraint(op.f("ck_action_case_distribution"), type_="check")
        batch.drop_constraint(op.f("fk_action_case_signal_case_id_signal_case"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_action_case_sharing_group_id_sharing_group"), type_="foreignkey")
        batch.drop_column("signal_case_id")
        batch.drop_column("sharing_group_id")
        batch.drop_column("distribution")
