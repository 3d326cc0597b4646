"""What going back past a revision would expose: checked before a downgrade is recorded, and again
inside the migration (so a downgrade by Alembic directly is refused too).

Each check takes the connection and returns why the downgrade must not run, or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text


def marked_comments(connection: Connection) -> str | None:
    """Revision 0012 gave comments on report drafts a marking; 0011 shows every comment to all."""
    marked = connection.scalar(
        text("SELECT count(*) FROM report_comment WHERE tlp NOT IN ('clear', 'green')")
    )
    if not marked:
        return None
    return (
        f"{marked} comment(s) on report drafts carry a marking above TLP:GREEN, and revision 0011 keeps "
        "no marking, so every reader would read them; nothing was changed. Stay at revision 0012, or "
        "delete those comments first"
    )


CHECKS: dict[str, Callable[[Connection], str | None]] = {"0012": marked_comments}
"""The check of each revision whose downgrade could expose something."""
