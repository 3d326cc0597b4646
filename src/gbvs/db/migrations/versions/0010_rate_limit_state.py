"""Shared rate limits: ``rate_limit_state`` (login throttle and audit budget across server processes).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

With ``gbvs serve --workers N`` each process used to keep its own login throttle and audit budget,
so a client got N times the documented budget; the state now lives in this table (issue 8).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_state",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key"),
    )
    op.create_index("ix_rate_limit_state_expiry", "rate_limit_state", ["scope", "expires_at"])


def downgrade() -> None:
    op.drop_index("ix_rate_limit_state_expiry", table_name="rate_limit_state")
    op.drop_table("rate_limit_state")
