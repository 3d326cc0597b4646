"""Responses kept until the data changes: the store and the forecasts file are read-only between
``gbvs ingest`` / ``gbvs forecast`` runs, so a page or API resource is the same for every reader
until then (the authorization dependency still runs on every request, before the cache).

Keyed by path, query string, language, user with role and organisation, and session (pages name the
logged-in user, offer what their role may do and carry a CSRF token tied to the session); bounded (least
recently used first out); emptied when the store file or the forecasts file changes, and at midnight in
the Netherlands (a download's name carries the Dutch day, :mod:`gbvs.web.downloads`).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ParamSpec

from fastapi import Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from gbvs.web import sessions
from gbvs.web.figurejson import FigureJSONResponse

P = ParamSpec("P")
MAX_ENTRIES = 512
KEPT_HEADERS = ("link", "content-disposition", "deprecation")
Version = tuple[object, ...]
Key = tuple[str, str, str, str]


@dataclass(frozen=True)
class Cached:
    """A stored response: body, media type and the headers worth keeping."""

    body: bytes
    media_type: str | None
    headers: dict[str, str]

    def response(self) -> Response:
        """A fresh response object with the stored content."""
        return Response(self.body, media_type=self.media_type, headers=self.headers)


class ResponseCache:
    """A bounded LRU of responses, valid for one data version."""

    def __init__(
        self, version: Callable[[], Version], day: Callable[[], date], max_entries: int = MAX_ENTRIES
    ) -> None:
        self._version = version
        self._day = day
        self._max = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[Key, Cached] = OrderedDict()
        self._seen: Version | None = None

    def get(self, key: Key) -> Cached | None:
        """The stored response for ``key`` if the data has not changed since, and it is still the day it
        was stored (a download's file name carries the day, :mod:`gbvs.web.downloads`)."""
        version = (*self._version(), self._day())
        with self._lock:
            if version != self._seen:
                self._entries.clear()
                self._seen = version
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Key, entry: Cached) -> None:
        """Keep ``entry`` (dropping the least recently used one when full)."""
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)


def cached(endpoint: Callable[P, Any]) -> Callable[P, Awaitable[Any]]:
    """Serve a GET endpoint from the response cache; it must take ``request: Request``.

    A model result is serialised as FastAPI would (JSON, by alias); headers set on an injected
    ``response: Response`` (Link) are kept with it. The wrapper is a coroutine: a cached answer is
    sent from the event loop without a thread switch; on a miss the (blocking) endpoint runs in a
    worker thread as FastAPI would run it.
    """

    @functools.wraps(endpoint)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        request = kwargs["request"]
        assert isinstance(request, Request)
        cache: ResponseCache = request.app.state.web.responses
        key = (request.url.path, request.url.query, str(request.state.lang), _reader(request))
        entry = cache.get(key)
        if entry is not None:
            return entry.response()
        return await run_in_threadpool(_answer, cache, key, endpoint, *args, **kwargs)

    return wrapper


def _reader(request: Request) -> str:
    """Who a cached answer is for: the user with their role and organisation (pages offer what the
    role may do, and a role change keeps the session), and the session cookie (pages carry a CSRF
    token tied to it, :mod:`gbvs.web.csrf`)."""
    principal = getattr(request.state, "principal", None)
    user = getattr(principal, "username", "")
    role = getattr(getattr(principal, "role", None), "value", "")
    organisation = getattr(principal, "organisation_code", None) or ""
    return "|".join((user, role, organisation, request.cookies.get(sessions.COOKIE_NAME, "")))


def _answer(
    cache: ResponseCache, key: Key, endpoint: Callable[..., Any], *args: Any, **kwargs: Any
) -> Response:
    """Run ``endpoint``, keep its answer under ``key`` if it is a 200, and return it as a response."""
    result = endpoint(*args, **kwargs)
    response = result if isinstance(result, Response) else FigureJSONResponse(_jsonable(result))
    injected = kwargs.get("response")
    if isinstance(injected, Response) and injected is not response:
        for name in KEPT_HEADERS:
            if name in injected.headers:
                response.headers[name] = ", ".join(injected.headers.getlist(name))
    if response.status_code == 200:
        kept = [name for name in KEPT_HEADERS if name in response.headers]
        headers = {name: ", ".join(response.headers.getlist(name)) for name in kept}
        cache.put(key, Cached(bytes(response.body), response.media_type, headers))
    return response


def _jsonable(result: Any) -> Any:
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json", by_alias=True)
    return result


def data_version(*stamps: Callable[[], Any]) -> Callable[[], Version]:
    """A version function combining the stamps of the data files."""
    return lambda: tuple(stamp() for stamp in stamps)
