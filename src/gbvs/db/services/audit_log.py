"""Reading and verifying the audit log (``audit:read``). Reading and verifying are themselves recorded.

- :func:`read_audit_log`: the newest entries, filtered.
- :func:`verify_audit_chain`: walk the hash chain (:mod:`gbvs.db.chain`) and name the first broken
  link, optionally against an exported :class:`~gbvs.db.chain.Checkpoint`.
- :func:`take_checkpoint`: the chain head, to be kept outside the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.db.audit import authorize_audited, record
from gbvs.db.chain import ChainReport, Checkpoint, Head, first_problem
from gbvs.db.models import AuditChainHead, AuditLog, Outcome
from gbvs.db.schemas import AuditEntry
from gbvs.db.session import redact_url
from gbvs.db.types import utcnow
from gbvs.errors import AuditChainBrokenError
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal

MAX_LIMIT = 10_000
_BATCH = 1_000


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


def verify_audit_chain(
    session: Session, principal: Principal, checkpoint: Checkpoint | None = None
) -> ChainReport:
    """Check the whole chain (and ``checkpoint``); the outcome is recorded (``failed`` when broken)."""
    authorize_audited(session, principal, Permission.audit_read, "audit.verify", "audit_log")
    report = check_chain(session, checkpoint)
    detail: dict[str, Any] = {"entries": report.count, "last_seq": report.last.seq}
    if checkpoint is not None:
        detail["checkpoint_seq"] = checkpoint.seq
    problem = None if report.problem is None else report.problem.describe()
    outcome = Outcome.success if problem is None else Outcome.failed
    record(session, principal, "audit.verify", "audit_log", None, detail, outcome, problem)
    return report


def take_checkpoint(session: Session, principal: Principal) -> Checkpoint:
    """The chain head, to be written to a file outside the database; refused when the chain is broken.

    The checkpoint names this command's own entry, so it is valid once the caller commits.
    """
    authorize_audited(session, principal, Permission.audit_read, "audit.checkpoint", "audit_log")
    problem = check_chain(session).problem
    if problem is not None:
        raise AuditChainBrokenError(
            f"audit chain broken, no checkpoint taken: {problem.describe()}; investigate with "
            "`gbvs audit verify` and restore the database from a backup"
        )
    record(session, principal, "audit.checkpoint", "audit_log")
    session.flush()
    last = session.scalars(select(AuditLog).order_by(AuditLog.seq.desc()).limit(1)).one()
    url = redact_url(str(session.get_bind().engine.url))
    return Checkpoint(last.seq, last.entry_hash, last.at.isoformat(), utcnow().isoformat(), last.seq, url)


def check_chain(session: Session, checkpoint: Checkpoint | None = None) -> ChainReport:
    """Read the head, then every entry in seq order, and find the first broken link (no authorization)."""
    head_row = session.get(AuditChainHead, 1, populate_existing=True)
    head = None if head_row is None else Head(head_row.seq, head_row.entry_hash)
    query = select(AuditLog.__table__).order_by(AuditLog.seq)
    result = session.execute(query, execution_options={"yield_per": _BATCH})
    try:
        return first_problem(result.mappings(), head, checkpoint)
    finally:
        result.close()
