"""Alembic migrations of the operational database, shipped inside the package.

Run them with ``gbvs db upgrade`` (see :mod:`gbvs.db.migrate`); there is no alembic.ini.
"""
