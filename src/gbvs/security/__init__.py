"""The authorization layer: who is acting (:class:`Principal`), what each role may do
(:data:`GRANTS`), and the one check every read and write goes through (:func:`authorize`).

Services in :mod:`gbvs.db.services` take a Principal and call
:func:`gbvs.db.audit.authorize_audited`, which also records denied attempts.
"""

from __future__ import annotations

from gbvs.security.authz import authorize, authorize_over, authorize_role_change, can, rank
from gbvs.security.permissions import GRANTS, ROLE_ORDER, Permission, Role, Scope, grant_for, roles_with
from gbvs.security.principal import Principal

__all__ = [
    "GRANTS",
    "ROLE_ORDER",
    "Permission",
    "Principal",
    "Role",
    "Scope",
    "authorize",
    "authorize_over",
    "authorize_role_change",
    "can",
    "grant_for",
    "rank",
    "roles_with",
]
