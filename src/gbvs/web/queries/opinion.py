"""What the public-opinion pages and API read: polls from the mirror (cached per file), the published
tables, and the consultation services in a database session as the request's principal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from fastapi import Request
from sqlalchemy import exc
from sqlalchemy.orm import Session

from gbvs.db.session import session_scope
from gbvs.errors import NotFoundError, SourceMissingError
from gbvs.opinion.polls import QuestionResult, estimate_question
from gbvs.opinion.reader import PollData, read_poll, shipped_definition
from gbvs.security.principal import Principal
from gbvs.web.signalaccess import writes

T = TypeVar("T")


@lru_cache(maxsize=8)
def _poll(poll_id: str, mirror: Path | None) -> PollData:
    return read_poll(shipped_definition(poll_id), mirror)


def poll(request: Request, poll_id: str) -> PollData:
    """A shipped poll read from the mirror (once per process); NotFoundError when its file is not there."""
    try:
        return _poll(poll_id, request.app.state.web.settings.mirror)
    except SourceMissingError as missing:
        raise NotFoundError(missing.words or str(missing)) from None


def question_result(request: Request, poll_id: str, question_id: str, by: str | None) -> QuestionResult:
    """Weighted shares with intervals for one question."""
    return estimate_question(poll(request, poll_id), question_id, by=by or None)


@contextmanager
def _session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.web.session_factory(), for_writing=writes(request)) as session:
        yield session


NO_TABLES = (
    "there are no consultations here: the operational database has no consultation tables yet; "
    "run `gbvs db upgrade`, then `gbvs opinion consultations import`"
)


def as_principal(request: Request, service: Callable[[Session, Principal], T], empty: T | None = None) -> T:
    """Run a consultation service in a database session as the request's principal.

    Without the consultation tables (a laptop that never ran ``gbvs db upgrade``) there are no
    consultations: ``empty`` is returned when given, else NotFoundError names the fix.
    """
    try:
        with _session(request) as session:
            return service(session, request.state.principal)
    except (exc.OperationalError, exc.ProgrammingError) as error:
        if not any(sign in str(error.orig) for sign in ("no such table", "does not exist")):
            raise
        if empty is not None:
            return empty
        raise NotFoundError(NO_TABLES) from None
