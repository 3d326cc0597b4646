"""A draft of the progress report in the data folder's database (tests only), so the draft page has
content for the browser tests: period 2018-2019 and draft 1, started by the local owner."""

from __future__ import annotations

from gbvs.config import Settings
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.reports import records, workflow
from gbvs.security import Principal

PERIOD = "2018-2019"


def build_draft(settings: Settings) -> None:
    """Draft 1 of the report over ``PERIOD`` (the database is already migrated)."""
    engine = make_engine(settings)
    owner = Principal.os_owner("tester")
    with session_scope(make_session_factory(engine)) as session:
        workflow.create_draft(session, owner, records.period(session, owner, PERIOD, create=True))
    engine.dispose()
