"""The version of a register GBVS keeps itself (signals, consultation coding): GBVS's own version and the
operational database's migration revision, as an export names its source's version."""

from __future__ import annotations

from sqlalchemy.orm import Session

from gbvs import __version__
from gbvs.db.migrate import current_revision
from gbvs.errors import Said, said


def register_version(session: Session) -> Said:
    """``GBVS 1.2, database revision 0023`` (``-`` before any migration), in the reader's language."""
    revision = current_revision(session.connection()) or "-"
    return Said.of(
        said("GBVS %(version)s, database revision %(revision)s", version=__version__, revision=revision)
    )
