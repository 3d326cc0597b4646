"""A coder withdrawn in error can be reinstated; the withdrawal stays on record.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07

``consultation_coder_withdrawal_change`` records, per withdrawal, each later change with who, when and
why: ``reinstate`` (the withdrawal was made in error: the coder's codings count again) or ``withdraw``
(withdrawn again after a reinstatement). The withdrawal row is never deleted and keeps its unique pair
(consultation, coder); the last change says whether it is in force. A new table, so no existing row is
touched and `gbvs db upgrade --sql` renders it. Downgrading drops the changes: every coder ever
withdrawn then reads as withdrawn (the state before this revision).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "consultation_coder_withdrawal_change"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("withdrawal_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "reinstate",
                "withdraw",
                name="round_change_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("made_by_id", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["withdrawal_id"],
            ["consultation_coder_withdrawal.id"],
            name="fk_consultation_coder_withdrawal_change_withdrawal",
        ),
        sa.ForeignKeyConstraint(
            ["made_by_id"],
            ["app_user.id"],
            name=op.f("fk_consultation_coder_withdrawal_change_made_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_coder_withdrawal_change")),
    )
    op.create_index(op.f("ix_consultation_coder_withdrawal_change_withdrawal_id"), TABLE, ["withdrawal_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_consultation_coder_withdrawal_change_withdrawal_id"), table_name=TABLE)
    op.drop_table(TABLE)
