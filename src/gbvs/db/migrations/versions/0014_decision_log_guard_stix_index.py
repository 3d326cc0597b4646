"""The decision log is append-only in the database; an index of the STIX objects signals hold.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

1. Early-action decisions (``action_decision``) and case versions (``action_case_version``) were
   append-only in the ORM only: a raw UPDATE or DELETE changed the decision log without a trace.
   Triggers now refuse both (and TRUNCATE on PostgreSQL), as for the audit log since revision 0001
   (:mod:`gbvs.db.append_only`). Nothing in GBVS updates or deletes these rows: a case's status,
   version and outcome live on ``action_case``, which stays as it was; no retention rule removes a
   decision (docs/security.md).
2. ``signal_stix_object`` files each version of each object an imported STIX bundle brought under
   the signal holding it and the signal keeping its content (``held_in``), so an import finds the
   signals holding its objects by id instead of reading every imported signal. It is filled from the
   existing signals: their kept objects (``detail.stix_objects``, held in the signal itself) and
   their links (``detail.stix_held``, held in the linked signal, in the newest version that signal
   keeps, the one the import compared with).

Downgrading drops the table and the triggers; the signals keep their objects and links. The code of
revision 0013 then again stores a copy of an object held only by a signal the importer may not see.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from gbvs.db.append_only import create_statements, drop_statements
from gbvs.signals.stix import is_older, version_key

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STIX_SOURCE = "stix"  # Signal.source of an imported bundle, as of this revision
CHUNK = 1_000
_SIGNALS = sa.table(
    "signal", sa.column("id", sa.Integer()), sa.column("source", sa.String()), sa.column("detail", sa.JSON())
)
_FILED = sa.table(
    "signal_stix_object",
    sa.column("stix_id", sa.String()),
    sa.column("version", sa.String()),
    sa.column("signal_id", sa.Integer()),
    sa.column("held_in", sa.Integer()),
)


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    for statement in create_statements(dialect):
        op.execute(statement)
    op.create_table(
        "signal_stix_object",
        sa.Column("stix_id", sa.String(length=300), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("held_in", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["held_in"], ["signal.id"], name=op.f("fk_signal_stix_object_held_in_signal")
        ),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signal.id"], name=op.f("fk_signal_stix_object_signal_id_signal")
        ),
        sa.PrimaryKeyConstraint("stix_id", "version", "signal_id", name=op.f("pk_signal_stix_object")),
    )
    op.create_index(
        op.f("ix_signal_stix_object_signal_id"), "signal_stix_object", ["signal_id"], unique=False
    )
    if op.get_context().as_sql:  # the SQL for a DBA (`gbvs db upgrade --sql`) is for an empty database
        return
    rows = list(_filed_rows(op.get_bind()))
    for start in range(0, len(rows), CHUNK):
        op.get_bind().execute(sa.insert(_FILED), rows[start : start + CHUNK])


def downgrade() -> None:
    op.drop_index(op.f("ix_signal_stix_object_signal_id"), table_name="signal_stix_object")
    op.drop_table("signal_stix_object")
    for statement in drop_statements(op.get_context().dialect.name):
        op.execute(statement)


def _filed_rows(connection: sa.Connection) -> Iterator[dict[str, Any]]:
    """A row for every object a signal keeps, then for every object it links to."""
    newest: dict[tuple[int, str], dict[str, Any]] = {}  # (signal, id): the newest version it keeps
    links: list[tuple[int, str, int]] = []
    query = sa.select(_SIGNALS.c.id, _SIGNALS.c.detail).where(_SIGNALS.c.source == STIX_SOURCE)
    for signal_id, detail in connection.execute(query.order_by(_SIGNALS.c.id)):
        kept = {(obj["id"], version_key(obj)): obj for obj in (detail or {}).get("stix_objects", ())}
        for (key, version), obj in kept.items():
            yield {"stix_id": key, "version": version, "signal_id": signal_id, "held_in": signal_id}
            known = newest.get((signal_id, key))
            if known is None or not is_older(obj, known):
                newest[(signal_id, key)] = {"modified": obj.get("modified")}
        links += [(signal_id, key, holder) for key, holder in (detail or {}).get("stix_held", {}).items()]
    for signal_id, key, holder in links:
        held = newest.get((holder, key))
        if held is not None:
            yield {"stix_id": key, "version": version_key(held), "signal_id": signal_id, "held_in": holder}
