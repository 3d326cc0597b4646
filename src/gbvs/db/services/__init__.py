"""Services over the operational database. Every function takes the acting
:class:`~gbvs.security.Principal` and goes through :func:`gbvs.db.audit.authorize_audited`
before it reads or writes; writes add an audit entry in the same transaction.

The caller owns the transaction (``with session_scope(factory) as session: ...``).
"""
