"""The signals register: signals, sharing groups, TLP:RED recipients, countries, links, full-text search.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Full-text search is dialect-specific and invisible to autogenerate (see
``gbvs.db.signal_models.UNMANAGED``): on SQLite an FTS5 table ``signal_fts`` kept in step with
``signal`` by triggers; on PostgreSQL a GIN index over ``to_tsvector('simple', title || description)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNAL_KIND_VALUES = (
    "foreign_interference",
    "cyber_operation",
    "disinformation",
    "cross_border_crime",
    "instability_symptom",
    "other",
)
CLASSIFICATION_VALUES = (
    "ongerubriceerd",
    "departementaal_vertrouwelijk",
    "stg_confidentieel",
    "stg_geheim",
    "stg_zeer_geheim",
)
TLP_VALUES = ("clear", "green", "amber", "amber+strict", "red")
DISTRIBUTION_VALUES = ("organisation", "sharing_group", "all_organisations", "public")


def _enum(values: tuple[str, ...], name: str, length: int) -> sa.Enum:
    """A portable enum column as the models declare it (values frozen here, as of this revision)."""
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


_SQLITE_SEARCH = (
    """
    CREATE VIRTUAL TABLE signal_fts USING fts5(
        title, description, content='signal', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER signal_fts_insert AFTER INSERT ON signal BEGIN
        INSERT INTO signal_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
    END
    """,
    """
    CREATE TRIGGER signal_fts_delete AFTER DELETE ON signal BEGIN
        INSERT INTO signal_fts(signal_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    END
    """,
    """
    CREATE TRIGGER signal_fts_update AFTER UPDATE OF title, description ON signal BEGIN
        INSERT INTO signal_fts(signal_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
        INSERT INTO signal_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
    END
    """,
)
_SQLITE_SEARCH_DROP = (
    "DROP TRIGGER IF EXISTS signal_fts_update",
    "DROP TRIGGER IF EXISTS signal_fts_delete",
    "DROP TRIGGER IF EXISTS signal_fts_insert",
    "DROP TABLE IF EXISTS signal_fts",
)
_PG_SEARCH = (
    "CREATE INDEX ix_signal_search ON signal USING gin (to_tsvector('simple', title || ' ' || description))",
)
_PG_SEARCH_DROP = ("DROP INDEX IF EXISTS ix_signal_search",)


def _search_statements(create: bool) -> tuple[str, ...]:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        return _SQLITE_SEARCH if create else _SQLITE_SEARCH_DROP
    if dialect == "postgresql":
        return _PG_SEARCH if create else _PG_SEARCH_DROP
    raise NotImplementedError(f"database dialect {dialect!r} is not supported; use SQLite or PostgreSQL")


def upgrade() -> None:
    op.create_table(
        "sharing_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_group")),
        sa.UniqueConstraint("name", name=op.f("uq_sharing_group_name")),
    )
    op.create_table(
        "sharing_group_member",
        sa.Column("sharing_group_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_sharing_group_member_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["sharing_group_id"],
            ["sharing_group.id"],
            name=op.f("fk_sharing_group_member_sharing_group_id_sharing_group"),
        ),
        sa.PrimaryKeyConstraint("sharing_group_id", "organisation_id", name=op.f("pk_sharing_group_member")),
    )
    with op.batch_alter_table("sharing_group_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sharing_group_member_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "signal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stix_id", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "kind",
            _enum(SIGNAL_KIND_VALUES, "signal_kind", 30),
            nullable=False,
        ),
        sa.Column("observed_on", sa.Date(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("owner_organisation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("reliability", sa.String(length=1), nullable=False),
        sa.Column("credibility", sa.String(length=1), nullable=False),
        sa.Column(
            "classification",
            _enum(CLASSIFICATION_VALUES, "classification", 40),
            nullable=False,
        ),
        sa.Column(
            "tlp",
            _enum(TLP_VALUES, "tlp", 20),
            nullable=False,
        ),
        sa.Column(
            "distribution",
            _enum(DISTRIBUTION_VALUES, "distribution", 30),
            nullable=False,
        ),
        sa.Column("sharing_group_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("external_id", sa.String(length=300), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["app_user.id"], name=op.f("fk_signal_author_id_app_user")),
        sa.ForeignKeyConstraint(
            ["owner_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_signal_owner_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["sharing_group_id"], ["sharing_group.id"], name=op.f("fk_signal_sharing_group_id_sharing_group")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal")),
        sa.UniqueConstraint("source", "external_id", name="uq_signal_source_external_id"),
        sa.UniqueConstraint("stix_id", name=op.f("uq_signal_stix_id")),
    )
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signal_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            "ix_signal_distribution_reported", ["distribution", "reported_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_signal_kind"), ["kind"], unique=False)
        batch_op.create_index(
            "ix_signal_owner_reported", ["owner_organisation_id", "reported_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_signal_reported_on"), ["reported_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_signal_sharing_group_id"), ["sharing_group_id"], unique=False)

    op.create_table(
        "signal_country",
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signal.id"], name=op.f("fk_signal_country_signal_id_signal")
        ),
        sa.PrimaryKeyConstraint("signal_id", "role", "iso3", name=op.f("pk_signal_country")),
    )
    with op.batch_alter_table("signal_country", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signal_country_iso3"), ["iso3"], unique=False)

    op.create_table(
        "signal_link",
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["signal_id"], ["signal.id"], name=op.f("fk_signal_link_signal_id_signal")),
        sa.PrimaryKeyConstraint("signal_id", "kind", "value", name=op.f("pk_signal_link")),
    )
    with op.batch_alter_table("signal_link", schema=None) as batch_op:
        batch_op.create_index("ix_signal_link_kind_value", ["kind", "value"], unique=False)

    op.create_table(
        "signal_recipient",
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signal.id"], name=op.f("fk_signal_recipient_signal_id_signal")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_signal_recipient_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("signal_id", "user_id", name=op.f("pk_signal_recipient")),
    )
    with op.batch_alter_table("signal_recipient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signal_recipient_user_id"), ["user_id"], unique=False)

    op.create_table(
        "signal_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_organisation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column(
            "tlp",
            _enum(TLP_VALUES, "tlp", 20),
            nullable=False,
        ),
        sa.Column(
            "distribution",
            _enum(DISTRIBUTION_VALUES, "distribution", 30),
            nullable=False,
        ),
        sa.Column("sharing_group_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_signal_case_author_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["owner_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_signal_case_owner_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["sharing_group_id"],
            ["sharing_group.id"],
            name=op.f("fk_signal_case_sharing_group_id_sharing_group"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_case")),
    )
    with op.batch_alter_table("signal_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signal_case_owner_organisation_id"), ["owner_organisation_id"], unique=False
        )

    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("judgement", sa.Text(), nullable=False),
        sa.Column("likelihood", sa.String(length=30), nullable=False),
        sa.Column("confidence", sa.String(length=20), nullable=False),
        sa.Column("suspected_actor", sa.String(length=200), nullable=True),
        sa.Column("sponsor_state", sa.String(length=3), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("is_joint_position", sa.Boolean(), nullable=False),
        sa.Column("agreed_by", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_assessment_author_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["signal_case.id"], name=op.f("fk_assessment_case_id_signal_case")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_assessment_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["signal_id"], ["signal.id"], name=op.f("fk_assessment_signal_id_signal")),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["assessment.id"], name=op.f("fk_assessment_supersedes_id_assessment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
        sa.UniqueConstraint("supersedes_id", name=op.f("uq_assessment_supersedes_id")),
        sa.CheckConstraint("(signal_id IS NULL) <> (case_id IS NULL)", name=op.f("ck_assessment_one_target")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessment_signal_id"), ["signal_id"], unique=False)

    op.create_table(
        "case_recipient",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["signal_case.id"], name=op.f("fk_case_recipient_case_id_signal_case")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_case_recipient_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("case_id", "user_id", name=op.f("pk_case_recipient")),
    )
    with op.batch_alter_table("case_recipient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_recipient_user_id"), ["user_id"], unique=False)

    op.create_table(
        "case_signal",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["signal_case.id"], name=op.f("fk_case_signal_case_id_signal_case")
        ),
        sa.ForeignKeyConstraint(["signal_id"], ["signal.id"], name=op.f("fk_case_signal_signal_id_signal")),
        sa.PrimaryKeyConstraint("case_id", "signal_id", name=op.f("pk_case_signal")),
    )
    with op.batch_alter_table("case_signal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_signal_signal_id"), ["signal_id"], unique=False)

    for statement in _search_statements(create=True):
        op.execute(statement)


def downgrade() -> None:
    for statement in _search_statements(create=False):
        op.execute(statement)
    with op.batch_alter_table("case_signal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_signal_signal_id"))

    op.drop_table("case_signal")
    with op.batch_alter_table("case_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_recipient_user_id"))

    op.drop_table("case_recipient")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_signal_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_case_id"))

    op.drop_table("assessment")
    with op.batch_alter_table("signal_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signal_case_owner_organisation_id"))

    op.drop_table("signal_case")
    with op.batch_alter_table("signal_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signal_recipient_user_id"))

    op.drop_table("signal_recipient")
    with op.batch_alter_table("signal_link", schema=None) as batch_op:
        batch_op.drop_index("ix_signal_link_kind_value")

    op.drop_table("signal_link")
    with op.batch_alter_table("signal_country", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signal_country_iso3"))

    op.drop_table("signal_country")
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signal_sharing_group_id"))
        batch_op.drop_index(batch_op.f("ix_signal_reported_on"))
        batch_op.drop_index("ix_signal_owner_reported")
        batch_op.drop_index(batch_op.f("ix_signal_kind"))
        batch_op.drop_index("ix_signal_distribution_reported")
        batch_op.drop_index(batch_op.f("ix_signal_author_id"))

    op.drop_table("signal")
    with op.batch_alter_table("sharing_group_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sharing_group_member_organisation_id"))

    op.drop_table("sharing_group_member")
    op.drop_table("sharing_group")
