"""Consultation codebooks are revised in versions; the import keeps the responses file's checksum.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

Coders who found a missing or unclear theme could not revise the codebook fixed at import. Now the
consultation's coordinator adds, rewords, merges or retires a theme as a numbered version
(``consultation_codebook_change``: what, who, when, why); ``consultation.codebook_version`` is the
version in force, a coding keeps the version it was made under and a theme the version from which its
definition holds (``defined_in``; ``retired_in`` and ``merged_into`` once it is no longer used).
Everything imported before is version 1. ``responses_sha256`` is the imported file's SHA-256 for the
audited export (unknown, so null, for consultations imported before). Downgrading drops the history and
the columns; codings and themes stay (a retired theme then counts as in use again).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("add", "reword", "merge", "retire")


def upgrade() -> None:
    with op.batch_alter_table("consultation") as batch_op:
        batch_op.add_column(sa.Column("codebook_version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("responses_sha256", sa.String(length=64), nullable=True))
    with op.batch_alter_table("consultation_theme") as batch_op:
        batch_op.add_column(sa.Column("defined_in", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("retired_in", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("merged_into", sa.String(length=40), nullable=True))
    with op.batch_alter_table("consultation_coding") as batch_op:
        batch_op.add_column(sa.Column("codebook_version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "consultation_codebook_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                *KINDS, name="codebook_change_kind", native_enum=False, create_constraint=True, length=20
            ),
            nullable=False,
        ),
        sa.Column("theme_code", sa.String(length=40), nullable=False),
        sa.Column("into_code", sa.String(length=40), nullable=True),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_consultation_codebook_change_author_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_codebook_change_consultation_id_consultation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_codebook_change")),
        sa.UniqueConstraint("consultation_id", "version", name="uq_consultation_codebook_change_version"),
    )
    op.create_index(
        op.f("ix_consultation_codebook_change_consultation_id"),
        "consultation_codebook_change",
        ["consultation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_consultation_codebook_change_consultation_id"), table_name="consultation_codebook_change"
    )
    op.drop_table("consultation_codebook_change")
    with op.batch_alter_table("consultation_coding") as batch_op:
        batch_op.drop_column("codebook_version")
    with op.batch_alter_table("consultation_theme") as batch_op:
        batch_op.drop_column("merged_into")
        batch_op.drop_column("retired_in")
        batch_op.drop_column("defined_in")
    with op.batch_alter_table("consultation") as batch_op:
        batch_op.drop_column("responses_sha256")
        batch_op.drop_column("codebook_version")
