"""Cases of the signals register name the strategy goals they concern.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

``case_goal`` holds one row per goal (1-13 of GBVS 2018-2022, checked against ``gbvs.strategy`` by the
service) of a signal case. Cases made before this revision get no goals: their pages say so, and their
owner can add them. Downgrading drops the table (the goals given since are lost).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_goal",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["signal_case.id"], name=op.f("fk_case_goal_case_id_signal_case")
        ),
        sa.PrimaryKeyConstraint("case_id", "goal", name=op.f("pk_case_goal")),
    )
    op.create_index(op.f("ix_case_goal_goal"), "case_goal", ["goal"])


def downgrade() -> None:
    op.drop_index(op.f("ix_case_goal_goal"), table_name="case_goal")
    op.drop_table("case_goal")
