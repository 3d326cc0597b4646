"""Public consultations: questions, respondents, responses, codebook themes, codes and adjudication.

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PHASE_VALUES = ("coding", "adjudication", "closed")
RESPONDENT_TYPE_VALUES = ("citizen", "business", "ngo_union", "researcher", "government", "other")
TABLES = (
    "consultation",
    "consultation_question",
    "consultation_respondent",
    "consultation_theme",
    "consultation_response",
    "consultation_adjudication",
    "consultation_coding",
    "consultation_code",
)


def _enum(values: tuple[str, ...], name: str, length: int) -> sa.Enum:
    """A portable enum column as the models declare it (values frozen here, as of this revision)."""
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def upgrade() -> None:
    op.create_table(
        "consultation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("codebook_id", sa.String(length=100), nullable=False),
        sa.Column("codebook_is_draft", sa.Boolean(), nullable=False),
        sa.Column("phase", _enum(PHASE_VALUES, "consultation_phase", 20), nullable=False),
        sa.Column("owner_organisation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_consultation_owner_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation")),
        sa.UniqueConstraint("slug", name=op.f("uq_consultation_slug")),
    )
    op.create_table(
        "consultation_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_question_consultation_id_consultation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_question")),
        sa.UniqueConstraint("consultation_id", "number", name="uq_consultation_question_number"),
    )
    op.create_index(
        op.f("ix_consultation_question_consultation_id"),
        "consultation_question",
        ["consultation_id"],
        unique=False,
    )
    op.create_table(
        "consultation_respondent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("respondent_type", _enum(RESPONDENT_TYPE_VALUES, "respondent_type", 20), nullable=False),
        sa.Column("consent_to_publish", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_respondent_consultation_id_consultation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_respondent")),
        sa.UniqueConstraint("consultation_id", "reference", name="uq_consultation_respondent_reference"),
    )
    op.create_index(
        op.f("ix_consultation_respondent_consultation_id"),
        "consultation_respondent",
        ["consultation_id"],
        unique=False,
    )
    op.create_table(
        "consultation_theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("parent_code", sa.String(length=40), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label_nl", sa.String(length=300), nullable=False),
        sa.Column("label_en", sa.String(length=300), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_theme_consultation_id_consultation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_theme")),
        sa.UniqueConstraint("consultation_id", "code", name="uq_consultation_theme_code"),
    )
    op.create_index(
        op.f("ix_consultation_theme_consultation_id"), "consultation_theme", ["consultation_id"], unique=False
    )
    op.create_table(
        "consultation_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["consultation_question.id"],
            name=op.f("fk_consultation_response_question_id_consultation_question"),
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["consultation_respondent.id"],
            name=op.f("fk_consultation_response_respondent_id_consultation_respondent"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_response")),
        sa.UniqueConstraint("respondent_id", "question_id", name="uq_consultation_response_pair"),
    )
    op.create_index(
        op.f("ix_consultation_response_question_id"), "consultation_response", ["question_id"], unique=False
    )
    op.create_index(
        op.f("ix_consultation_response_respondent_id"),
        "consultation_response",
        ["respondent_id"],
        unique=False,
    )
    op.create_table(
        "consultation_adjudication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("applies", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("adjudicator_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["adjudicator_id"],
            ["app_user.id"],
            name=op.f("fk_consultation_adjudication_adjudicator_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["consultation_response.id"],
            name=op.f("fk_consultation_adjudication_response_id_consultation_response"),
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["consultation_theme.id"],
            name=op.f("fk_consultation_adjudication_theme_id_consultation_theme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_adjudication")),
        sa.UniqueConstraint("response_id", "theme_id", name="uq_consultation_adjudication_pair"),
    )
    op.create_index(
        op.f("ix_consultation_adjudication_response_id"),
        "consultation_adjudication",
        ["response_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_consultation_adjudication_theme_id"), "consultation_adjudication", ["theme_id"], unique=False
    )
    op.create_table(
        "consultation_coding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("coded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["app_user.id"], name=op.f("fk_consultation_coding_coder_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["consultation_response.id"],
            name=op.f("fk_consultation_coding_response_id_consultation_response"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_coding")),
        sa.UniqueConstraint("response_id", "coder_id", name="uq_consultation_coding_pair"),
    )
    op.create_index(
        op.f("ix_consultation_coding_coder_id"), "consultation_coding", ["coder_id"], unique=False
    )
    op.create_index(
        op.f("ix_consultation_coding_response_id"), "consultation_coding", ["response_id"], unique=False
    )
    op.create_table(
        "consultation_code",
        sa.Column("coding_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coding_id"],
            ["consultation_coding.id"],
            name=op.f("fk_consultation_code_coding_id_consultation_coding"),
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["consultation_theme.id"],
            name=op.f("fk_consultation_code_theme_id_consultation_theme"),
        ),
        sa.PrimaryKeyConstraint("coding_id", "theme_id", name=op.f("pk_consultation_code")),
    )
    op.create_index(op.f("ix_consultation_code_theme_id"), "consultation_code", ["theme_id"], unique=False)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
