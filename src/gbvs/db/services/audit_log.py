"""Reading the audit log (``audit:read``). Reading it is itself recorded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.db.audit import authorize_audited, record
from gbvs.db.models import AuditLog, Outcome
from gbvs.db.schemas import AuditEntry
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal

MAX_LIMIT = 10_000


def read_audit_log(
    session: Session,
    principal: Principal,
    limit: int = 100,
    actor: str | None = None,
    action: str | None = None,
    outcome: Outcome | None = None,
    since: datetime | None = None,
) -> list[AuditEntry]:
    """The newest ``limit`` entries matching the filters, newest first."""
    authorize_audited(session, principal, Permission.audit_read, "audit.read", "audit_log")
    query = select(AuditLog).order_by(AuditLog.id.desc()).limit(max(1, min(limit, MAX_LIMIT)))
    if actor is not None:
        query = query.where(AuditLog.actor == actor.strip().lower())
    if action is not None:
        query = query.where(AuditLog.action == action)
    if outcome is not None:
        query = query.where(AuditLog.outcome == outcome)
    if since is not None:
        query = query.where(AuditLog.at >= since)
    entries = [AuditEntry.model_validate(row) for row in session.scalars(query)]
    filters = {"limit": limit, "actor": actor, "action": action, "outcome": outcome, "since": since}
    record(session, principal, "audit.read", "audit_log", None, {k: str(v) for k, v in filters.items() if v})
    return entries
