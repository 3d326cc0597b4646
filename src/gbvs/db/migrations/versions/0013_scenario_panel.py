"""Threat scenarios get an invited panel (security review).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

Until now any analyst joined a scenario's panel by scoring it: their sheet entered the spread and,
once the round closed, their organisation read the panel's justifications and dissent. Now a
scenario's panel is its owner's organisation (not stored: it follows from the creator's account)
and the organisations in ``scenario_panel_member``, invited by the scenario's coordinator
(:func:`gbvs.db.services.assessments.add_panel_member`). Only panel members score and read the texts.

So that nothing breaks, every organisation with a sheet in one of a scenario's rounds (open or
closed) becomes a member on upgrade, recorded as added by ``migration 0013``. Sheets of accounts
without an organisation add no one (a panel member is an organisation; such an account scores only
scenarios made by one). Downgrading drops the table and with it the invitations; the sheets stay. The
code of revision 0012 then lets any analyst join a panel by scoring again (the gap this closes).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ADDED_BY = "migration 0013"


def upgrade() -> None:
    op.create_table(
        "scenario_panel_member",
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_scenario_panel_member_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["threat_scenario.id"],
            name=op.f("fk_scenario_panel_member_scenario_id_threat_scenario"),
        ),
        sa.PrimaryKeyConstraint("scenario_id", "organisation_id", name=op.f("pk_scenario_panel_member")),
    )
    op.create_index(
        op.f("ix_scenario_panel_member_organisation_id"),
        "scenario_panel_member",
        ["organisation_id"],
        unique=False,
    )
    _members_who_scored()


def _members_who_scored() -> None:
    """Every organisation with a sheet in a scenario's rounds, except the scenario's owner."""
    scenario = sa.table(
        "threat_scenario", sa.column("id", sa.Integer()), sa.column("created_by", sa.String())
    )
    round_ = sa.table("scoring_round", sa.column("id", sa.Integer()), sa.column("scenario_id", sa.Integer()))
    sheet = sa.table(
        "score_sheet", sa.column("round_id", sa.Integer()), sa.column("analyst_id", sa.Integer())
    )
    user = sa.table(
        "app_user",
        sa.column("id", sa.Integer()),
        sa.column("username", sa.String()),
        sa.column("organisation_id", sa.Integer()),
    )
    creator = user.alias("creator")
    owner = (
        sa.select(creator.c.organisation_id)
        .where(creator.c.username == scenario.c.created_by)
        .scalar_subquery()
    )
    scored = (
        sa.select(
            round_.c.scenario_id,
            user.c.organisation_id,
            sa.literal(ADDED_BY, sa.String()),
            sa.func.current_timestamp(),
        )
        .select_from(sheet)
        .join(round_, round_.c.id == sheet.c.round_id)
        .join(user, user.c.id == sheet.c.analyst_id)
        .join(scenario, scenario.c.id == round_.c.scenario_id)
        .where(
            user.c.organisation_id.is_not(None),
            sa.or_(owner.is_(None), owner != user.c.organisation_id),
        )
        .distinct()
    )
    member = sa.table(
        "scenario_panel_member",
        sa.column("scenario_id", sa.Integer()),
        sa.column("organisation_id", sa.Integer()),
        sa.column("added_by", sa.String()),
        sa.column("added_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        member.insert().from_select(["scenario_id", "organisation_id", "added_by", "added_at"], scored)
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_scenario_panel_member_organisation_id"), table_name="scenario_panel_member")
    op.drop_table("scenario_panel_member")
