"""A coder can be withdrawn from a coding round; a rewording says whether it changed the theme's meaning.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

A coder who left held up the end of coding: her codings that a revision asked again could not be
re-coded. ``consultation_coder_withdrawal`` records that the coordinator withdrew her from a
consultation's coding round (who, when, why); her codings stay, shown as hers, and no longer count for
alpha, the final themes or the re-coding check. A rewording used to ask for re-coding always;
``consultation_codebook_change.meaning_changed`` says whether the coordinator judged it a change of
meaning (re-code) or an editorial one (spelling, clarity: the codings stay valid). It is null for other
kinds of change; every rewording made before was treated as a change of meaning, so it is set true for
those. Downgrading drops the withdrawals and the column: the withdrawn coders' codings then count
again, and an editorial rewording reads as a rewording (its codings stay valid, as the themes say).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN (no batch copy): SQLite has it, and `gbvs db upgrade --sql` can render it
    op.add_column("consultation_codebook_change", sa.Column("meaning_changed", sa.Boolean(), nullable=True))
    op.execute(
        sa.text(
            "UPDATE consultation_codebook_change SET meaning_changed = :yes WHERE kind = 'reword'"
        ).bindparams(yes=True)
    )
    op.create_table(
        "consultation_coder_withdrawal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_coder_withdrawal_consultation_id_consultation"),
        ),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["app_user.id"], name=op.f("fk_consultation_coder_withdrawal_coder_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["app_user.id"],
            name=op.f("fk_consultation_coder_withdrawal_withdrawn_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_coder_withdrawal")),
        sa.UniqueConstraint("consultation_id", "coder_id", name="uq_consultation_coder_withdrawal_pair"),
    )
    op.create_index(
        op.f("ix_consultation_coder_withdrawal_consultation_id"),
        "consultation_coder_withdrawal",
        ["consultation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_consultation_coder_withdrawal_consultation_id"), table_name="consultation_coder_withdrawal"
    )
    op.drop_table("consultation_coder_withdrawal")
    with op.batch_alter_table("consultation_codebook_change") as batch_op:
        batch_op.drop_column("meaning_changed")
