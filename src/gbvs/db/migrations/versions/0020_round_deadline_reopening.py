"""A scoring round has a deadline, and a closed round can be reopened (threat assessment).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07

``scoring_round.deadline``: when scoring stops (null: no deadline, as every round opened before this
revision). ``scoring_round_reopening``: each time a coordinator opened a closed round again, with the
reason and the close it undid; only ever added. Downgrading drops both; the rounds and their sheets
stay as they are (each reopening stays in the audit log, ``assessments.reopen_round``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN (no batch copy): SQLite has it, and `gbvs db upgrade --sql` can render it
    op.add_column("scoring_round", sa.Column("deadline", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "scoring_round_reopening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("reopened_by", sa.String(length=64), nullable=False),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["scoring_round.id"], name=op.f("fk_scoring_round_reopening_round_id_scoring_round")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_round_reopening")),
    )
    op.create_index(
        op.f("ix_scoring_round_reopening_round_id"), "scoring_round_reopening", ["round_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_scoring_round_reopening_round_id"), table_name="scoring_round_reopening")
    op.drop_table("scoring_round_reopening")
    with op.batch_alter_table("scoring_round") as batch_op:
        batch_op.drop_column("deadline")
