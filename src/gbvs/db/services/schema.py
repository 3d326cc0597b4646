"""Schema changes leave a trace (issue 8, finding 3): who upgraded or downgraded, from where to where.

A downgrade can drop the audit log itself, so before it runs :func:`prepare_downgrade` records
the change in the audit log and then writes the whole log, that entry included, to a file
(JSON Lines, one row per line, every column). The file's SHA-256 is printed, so the copy can be
checked later. Both need the ``db:migrate`` permission (admins and the OS owner of the data folder).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.db.audit import authorize_audited, record
from gbvs.db.models import AuditLog
from gbvs.errors import InputError, said
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal


@dataclass(frozen=True)
class AuditExport:
    """Where the audit log was written, how many rows, and the file's SHA-256."""

    path: Path
    rows: int
    sha256: str


def authorize_schema_change(session: Session, principal: Principal, action: str, target: str) -> None:
    """Refuse (and record) a schema change by someone without ``db:migrate``."""
    authorize_audited(session, principal, Permission.db_migrate, action, "database", target)


def prepare_downgrade(
    session: Session, principal: Principal, current: str, target: str, export: Path
) -> AuditExport:
    """Record the downgrade, then export the whole audit log (with that entry) to ``export``."""
    authorize_schema_change(session, principal, "db.downgrade", target)
    authorize_audited(session, principal, Permission.audit_read, "audit.export", "audit_log", str(export))
    _refuse_existing(export)
    detail = {"from": current, "to": target, "export": str(export)}
    record(session, principal, "db.downgrade", "database", target, detail)
    session.commit()
    return _write_audit_export(session, export)


def record_upgrade(session: Session, principal: Principal, before: str | None, after: str) -> None:
    """Record a finished upgrade (the audit log exists from the first revision on)."""
    authorize_schema_change(session, principal, "db.upgrade", after)
    record(session, principal, "db.upgrade", "database", after, {"from": before or "empty", "to": after})


def _write_audit_export(session: Session, path: Path) -> AuditExport:
    """Write every audit row, oldest first, as JSON Lines (0600, atomically); return its checksum."""
    rows = session.execute(select(AuditLog.__table__).order_by(AuditLog.id)).mappings().all()
    text = "".join(json.dumps(dict(row), default=_json_value, sort_keys=True) + "\n" for row in rows)
    data = text.encode("utf-8")
    partial = path.with_name(f".{path.name}.partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as exc:
        raise InputError(
            said(
                "cannot write the audit export '%(path)s' (%(problem)s); choose a writable file",
                path=path,
                problem=exc.strerror,
            )
        ) from exc
    return AuditExport(path, len(rows), hashlib.sha256(data).hexdigest())


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise InputError(
            said("audit export file '%(path)s' already exists; choose a new file name", path=path)
        )


def _json_value(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)
