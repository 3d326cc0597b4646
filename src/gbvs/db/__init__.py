"""The operational database: organisations, users, API tokens and the append-only audit log.

- :mod:`gbvs.db.models`: SQLAlchemy 2 models (and the ORM guard on the audit log).
- :mod:`gbvs.db.session`: ``make_engine(settings)``, ``session_scope``.
- :mod:`gbvs.db.migrate`: ``upgrade``, ``schema_status``, ``ensure_current`` (Alembic, in code).
- :mod:`gbvs.db.audit`: ``record`` and ``authorize_audited`` (denied attempts are kept).
- :mod:`gbvs.db.services`: the services; each takes a :class:`~gbvs.security.Principal`.
"""
