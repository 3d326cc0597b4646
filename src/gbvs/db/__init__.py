"""The operational database: organisations, users, API tokens and the append-only audit log.

- :mod:`gbvs.db.models`: SQLAlchemy 2 models (and the ORM guard on the audit log).
- :mod:`gbvs.db.session`: ``make_engine(settings)``, ``session_scope``.
- :mod:`gbvs.db.migrate`: ``upgrade``, ``schema_status``, ``ensure_current`` (Alembic, in code).
- :mod:`gbvs.db.audit`: ``record``, ``authorize_audited`` (denied attempts are kept), ``audited_write``.
- :mod:`gbvs.db.chain`: the audit log's hash chain (format, check, checkpoints; pure).
- :mod:`gbvs.db.grants`: what the PostgreSQL application role may do (granted by ``upgrade``).
- :mod:`gbvs.db.testing`: throwaway SQLite files / PostgreSQL schemas for tests.
- :mod:`gbvs.db.services`: the services; each takes a :class:`~gbvs.security.Principal`.
"""
