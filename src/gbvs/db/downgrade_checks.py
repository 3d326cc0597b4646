"""What going back past a revision would expose: checked before a downgrade is recorded, and again
inside the migration (so a downgrade by Alembic directly is refused too).

A check guards data that a revision protects and an older revision would show to more readers. Going
back past the revision that created that data's table removes the data, so exposes nothing: the check
then does not apply (``applies_down_to``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
        "no marking, so every reader would read them; nothing was changed. Stay at revision 0012, "
        "delete those comments first, or go back past revision 0007, which removes the comments"
    )


@dataclass(frozen=True)
class DowngradeCheck:
    """Why undoing a revision would expose something, while the target keeps the data."""

    problem: Callable[[Connection], str | None]
    applies_down_to: str
    """The oldest target that keeps the guarded data (the revision that created its table)."""

    def refusal(self, connection: Connection, target: str, order: Sequence[str]) -> str | None:
        """Why going back to ``target`` must not run, or None; ``order`` lists revisions oldest first."""
        if order.index(target) < order.index(self.applies_down_to):
            return None
        return self.problem(connection)


CHECKS: dict[str, DowngradeCheck] = {
    "0012": DowngradeCheck(marked_comments, applies_down_to="0007"),
}
"""The check of each revision whose downgrade could expose something."""
