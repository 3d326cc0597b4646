"""A token made with another token expires no later than the token it was made with.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

API tokens expire ``GBVS_TOKEN_LIFETIME_DAYS`` after they are made, but whoever held a token could make
a fresh one with it (``gbvs users tokens create`` or ``rotate`` with ``GBVS_TOKEN`` set) before it
expired, and so keep a stolen token alive for ever. ``api_token.expires_at`` is the latest moment a
token may work, set when it was made with another token (that token's own end); null for tokens made
by the data folder's owner and for every token made before. A token works until the earlier of its
creation time plus the lifetime and ``expires_at``. Downgrading drops the column (the caps are lost).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_token") as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_token") as batch_op:
        batch_op.drop_column("expires_at")
