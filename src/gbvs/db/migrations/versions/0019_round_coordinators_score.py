"""A scoring round says whether coordinators score in it (threat assessment).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

The NRB method guide (2009) gives the expert who scores a scenario and the working-group coordinator
who runs the session separate roles, so a round now keeps coordinators (and admins) out of its scores
unless the coordinator who opens it says otherwise: ``scoring_round.coordinators_score``, false for a
new round. Rounds opened before this revision were opened under the old rule (coordinators scored
like analysts): they keep it (true), so a coordinator's sheet in an open round can still be revised and
no closed round changes. Downgrading drops the column; every round then lets coordinators score again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN (no batch copy): SQLite has it, and `gbvs db upgrade --sql` can render it
    op.add_column(
        "scoring_round",
        sa.Column("coordinators_score", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.execute(sa.text("UPDATE scoring_round SET coordinators_score = :yes").bindparams(yes=True))


def downgrade() -> None:
    with op.batch_alter_table("scoring_round") as batch_op:
        batch_op.drop_column("coordinators_score")
