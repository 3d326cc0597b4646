"""Need-to-know on early-action cases, and versions of threat scenarios.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

``action_case.distribution`` says who besides the owning organisation and the opener may read a
case (``organisation``, ``sharing_group`` with ``sharing_group_id``, ``all_organisations``), and
``signal_case_id`` keeps the signal case a case was opened from, so that the signal case's own
need-to-know applies on top (:mod:`gbvs.db.action_queries`). Existing cases keep what they had
(every ``actions:read`` holder saw them: ``all_organisations``), except those opened from a signal
case, which become readable only by the owning organisation (and the signal case's audience).

``threat_scenario.version`` and ``threat_scenario_version`` keep every edit of a scenario's text
and links (:func:`gbvs.db.services.assessments.edit_scenario`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DISTRIBUTION_VALUES = ("organisation", "sharing_group", "all_organisations")


def upgrade() -> None:
    allowed = ", ".join(f"'{value}'" for value in DISTRIBUTION_VALUES)
    if op.get_context().dialect.name == "sqlite":
        _audience_columns_sqlite(allowed)
    else:
        _audience_columns(allowed)
    op.create_index(op.f("ix_action_case_signal_case_id"), "action_case", ["signal_case_id"], unique=False)
    case = sa.table(
        "action_case",
        sa.column("origin_kind", sa.String()),
        sa.column("origin_ref", sa.String()),
        sa.column("distribution", sa.String()),
        sa.column("signal_case_id", sa.Integer()),
    )
    signal_case = sa.table("signal_case", sa.column("id", sa.Integer()))
    origin = (
        sa.select(signal_case.c.id)
        .where(sa.cast(signal_case.c.id, sa.String()) == case.c.origin_ref)
        .scalar_subquery()
    )
    op.execute(
        case.update()
        .where(case.c.origin_kind == "signal_case")
        .values(distribution="organisation", signal_case_id=origin)
    )

    _scenario_versions()


def _audience_columns(allowed: str) -> None:
    with op.batch_alter_table("action_case") as batch:
        batch.add_column(
            sa.Column(
                "distribution", sa.String(length=20), nullable=False, server_default="all_organisations"
            )
        )
        batch.add_column(sa.Column("sharing_group_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("signal_case_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_action_case_sharing_group_id_sharing_group"),
            "sharing_group",
            ["sharing_group_id"],
            ["id"],
        )
        batch.create_foreign_key(
            op.f("fk_action_case_signal_case_id_signal_case"), "signal_case", ["signal_case_id"], ["id"]
        )
        batch.create_check_constraint(op.f("ck_action_case_distribution"), f"distribution IN ({allowed})")


def _audience_columns_sqlite(allowed: str) -> None:
    """SQLite adds the columns with their check and references in place (no table rebuild).

    SQLite's ADD COLUMN takes column constraints, so this needs neither a copy of the table nor
    reflection, and ``gbvs db upgrade --sql`` can render it.
    """
    op.execute(
        "ALTER TABLE action_case ADD COLUMN distribution VARCHAR(20) DEFAULT 'all_organisations' NOT NULL "
        f"CONSTRAINT ck_action_case_distribution CHECK (distribution IN ({allowed}))"
    )
    op.execute(
        "ALTER TABLE action_case ADD COLUMN sharing_group_id INTEGER "
        "CONSTRAINT fk_action_case_sharing_group_id_sharing_group REFERENCES sharing_group (id)"
    )
    op.execute(
        "ALTER TABLE action_case ADD COLUMN signal_case_id INTEGER "
        "CONSTRAINT fk_action_case_signal_case_id_signal_case REFERENCES signal_case (id)"
    )


def _scenario_versions() -> None:
    with op.batch_alter_table("threat_scenario") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "threat_scenario_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=40), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["threat_scenario.id"],
            name=op.f("fk_threat_scenario_version_scenario_id_threat_scenario"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threat_scenario_version")),
        sa.UniqueConstraint("scenario_id", "version", name="uq_threat_scenario_version_scenario_version"),
    )
    op.create_index(
        op.f("ix_threat_scenario_version_scenario_id"),
        "threat_scenario_version",
        ["scenario_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_threat_scenario_version_scenario_id"), table_name="threat_scenario_version")
    op.drop_table("threat_scenario_version")
    with op.batch_alter_table("threat_scenario") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("action_case") as batch:
        batch.drop_index(op.f("ix_action_case_signal_case_id"))
        batch.drop_constraint(op.f("ck_action_case_distribution"), type_="check")
        if op.get_context().dialect.name != "sqlite":  # SQLite reflects column references without a name
            batch.drop_constraint(op.f("fk_action_case_signal_case_id_signal_case"), type_="foreignkey")
            batch.drop_constraint(op.f("fk_action_case_sharing_group_id_sharing_group"), type_="foreignkey")
        batch.drop_column("signal_case_id")
        batch.drop_column("sharing_group_id")
        batch.drop_column("distribution")
