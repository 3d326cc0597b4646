"""Comments on a report draft carry a TLP marking, as contributions do (security review, 2026-12-06).

Revision ID: 0012
Revises: 0011_displace
Create Date: 2026-12-06

A comment could quote a restricted contribution and was read by every reader of the draft. It now
has its own marking and is read under the contributions' rule (:func:`gbvs.reports.workflow.readable_by`).
Comments written before are marked TLP:GREEN, which every reader of the workflow reads: what their
authors expected when they wrote them. Downgrading is refused while a comment is marked above GREEN
(revision 0011 would show it to every reader; :mod:`gbvs.db.downgrade_checks`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from gbvs.db.downgrade_checks import marked_comments
from gbvs.errors import InputError

revision: str = "0012"
down_revision: str | None = "0011_displace"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_comment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tlp", sa.String(length=20), nullable=False, server_default="green"))


def downgrade() -> None:
    if not context.is_offline_mode() and (problem := marked_comments(op.get_bind())) is not None:
        raise InputError(problem)
    with op.batch_alter_table("report_comment", schema=None) as batch_op:
        batch_op.drop_column("tlp")
