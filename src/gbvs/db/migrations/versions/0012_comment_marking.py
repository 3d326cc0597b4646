"""Comments on a report draft carry a TLP marking and may be on one ministry's text (security review).

Revision ID: 0012
Revises: 0011_displace
Create Date: 2026-12-06

A comment could quote a restricted contribution and was read by every reader of the draft. It now
has its own marking and is read under the contributions' rule (:func:`gbvs.reports.workflow.readable_by`).
Comments written before are marked TLP:GREEN, which every reader of the workflow reads: what their
authors expected when they wrote them. A comment on a text (``contribution_id``) is read by that text's
ministry under AMBER (``audience``; for other comments the commenter's ministry), so a coordinator
can answer a ministry's AMBER text to that ministry. Downgrading is refused while a comment is marked
above GREEN (revision 0011 would show it to every reader; :mod:`gbvs.db.downgrade_checks`), unless
it goes back past 0007, which removes the comments.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from gbvs.db.downgrade_checks import CHECKS
from gbvs.errors import InputError

revision: str = "0012"
down_revision: str | None = "0011_displace"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


FOREIGN_KEY = "fk_report_comment_contribution_id_report_contribution"


def _table_before() -> sa.Table:
    """``report_comment`` as revision 0007 made it (SQLite rebuilds it; ``--sql`` cannot reflect it)."""
    return sa.Table(
        "report_comment",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=True),
        sa.Column("organisation", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["report_draft.id"], name=op.f("fk_report_comment_draft_id_report_draft")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_comment")),
        sa.Index("ix_report_comment_draft_id", "draft_id"),
    )


def upgrade() -> None:
    with op.batch_alter_table("report_comment", copy_from=_table_before()) as batch_op:
        batch_op.add_column(sa.Column("tlp", sa.String(length=20), nullable=False, server_default="green"))
        batch_op.add_column(sa.Column("audience", sa.String(length=20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("contribution_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f(FOREIGN_KEY), "report_contribution", ["contribution_id"], ["id"])
    op.execute("UPDATE report_comment SET audience = organisation")


def downgrade() -> None:
    if not context.is_offline_mode():
        from gbvs.db.migrate import revision_order  # loaded by then: it runs this migration

        argument = context.get_revision_argument()  # None for base; the history is linear
        target = "base" if argument is None else argument if isinstance(argument, str) else revision
        if (problem := CHECKS[revision].refusal(op.get_bind(), target, revision_order())) is not None:
            raise InputError(problem)
    with op.batch_alter_table("report_comment", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(FOREIGN_KEY), type_="foreignkey")
        batch_op.drop_column("contribution_id")
        batch_op.drop_column("audience")
        batch_op.drop_column("tlp")
