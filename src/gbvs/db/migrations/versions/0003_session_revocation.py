"""Server-side revocation of web sessions: ``app_user.session_epoch``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

A session cookie names the user's session epoch when it was issued; logout, a password
change or reset, and (de)activation add one, so every earlier cookie of that user is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "app_user", sa.Column("session_epoch", sa.Integer(), nullable=False, server_default=sa.text("0"))
    )


def downgrade() -> None:
    op.drop_column("app_user", "session_epoch")
