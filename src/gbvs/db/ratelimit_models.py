"""The shared state of the web's rate limits (issue 8): login throttle and unauthenticated-audit budget.

One row per limited key, kept in the operational database so that every server process
(``gbvs serve --workers N``) counts against the same budget. ``state`` is the limiter's own JSON
(see :mod:`gbvs.db.ratelimit`); ``expires_at`` (seconds since the epoch) says when the row has
nothing left to remember, so ended rows can be found and removed.
"""

from __future__ import annotations

from sqlalchemy import Float, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gbvs.db.models import Base


class RateLimitState(Base):
    """What one limiter remembers about one key (a login's username and client, a client address)."""

    __tablename__ = "rate_limit_state"
    __table_args__ = (Index("ix_rate_limit_state_expiry", "scope", "expires_at"),)

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[float] = mapped_column(Float)
