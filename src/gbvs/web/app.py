"""``create_app(settings)``: the FastAPI application serving the pages and ``/api/v1``."""

from __future__ import annotations

import gettext
import logging
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment
from sqlalchemy.orm import Session, sessionmaker

from gbvs import __version__
from gbvs.config import Settings, load_settings
from gbvs.db.credentials import CredentialReader
from gbvs.db.session import make_engine, make_session_factory
from gbvs.errors import in_words
from gbvs.filemodes import restrict_new_files
from gbvs.logwords import LOGGER, WarningsInWords
from gbvs.web import audit as web_audit
from gbvs.web import problems
from gbvs.web.api import ROUTERS as API_ROUTERS
from gbvs.web.api import document as api_document
from gbvs.web.api.demspaces import router as demspaces_api  # DemSpaces beside GBVS (issue 11)
from gbvs.web.api.displacement import router as displacement_api
from gbvs.web.auditbudget import DenialBudget
from gbvs.web.auditwriter import AuditWriter
from gbvs.web.deps import refuse_unknown_language
from gbvs.web.downloads import Clock, dutch_day, utc_now
from gbvs.web.hosts import HostGuard
from gbvs.web.i18n import load_catalogs
from gbvs.web.middleware import API_VERSION, WebMiddleware
from gbvs.web.pagecache import ResponseCache, data_version
from gbvs.web.pages import ROUTERS as PAGE_ROUTERS
from gbvs.web.pages.demspaces import router as demspaces_pages
from gbvs.web.pages.displacement import router as displacement_pages
from gbvs.web.queries.displacement import DISPLACEMENT_TEXTS, run_line_in
from gbvs.web.queries.forecasts import LEVEL_NAMES, STATUS_NAMES, TARGET_NAMES, ForecastCache
from gbvs.web.render import create_environment
from gbvs.web.store import StoreGateway
from gbvs.web.throttle import LoginThrottle
from gbvs.web.tokenuse import TokenUseRecorder

STATIC_DIR = Path(__file__).parent / "static"
WORKER_THREADS = 4
GIL_SWITCH_SECONDS = 0.0005


DISPLACEMENT_ROUTERS = (displacement_api, displacement_pages)  # forced displacement (issue 17)
ANCHOR_ROUTERS = (demspaces_api, demspaces_pages)  # DemSpaces v14 beside GBVS (issue 11 point 5)


@dataclass
class WebState:
    """What every request handler needs, kept on ``app.state.web``."""

    settings: Settings
    catalogs: dict[str, gettext.GNUTranslations]
    templates: Environment
    store: StoreGateway
    forecasts: ForecastCache
    responses: ResponseCache
    clock: Clock = utc_now
    """What time it is: the day of a download's name and provenance is its Dutch date."""
    token_uses: TokenUseRecorder = field(default_factory=TokenUseRecorder)
    _session_factory: sessionmaker[Session] | None = None
    _credentials: CredentialReader | None = None  # issue 8: the per-request credential read
    audit_writer: AuditWriter = field(init=False)
    login_throttle: LoginThrottle = field(init=False)  # issue 8: shared by all server processes
    denial_budget: DenialBudget = field(init=False)  # (kept in the operational database)
    _opening: threading.Lock = field(default_factory=threading.Lock, repr=False)
    """Held while the engine or the credential reader is made: the first requests come in parallel,
    and a second engine or reader made beside the first was dropped with its connections still open."""

    def __post_init__(self) -> None:
        self.audit_writer = AuditWriter(self.session_factory)  # its thread starts on first use
        self.login_throttle = LoginThrottle(self.session_factory)
        self.denial_budget = DenialBudget(self.session_factory)

    def session_factory(self) -> sessionmaker[Session]:
        """Sessions of the operational database (created on first use: only remote mode needs it)."""
        with self._opening:
            if self._session_factory is None:
                self._session_factory = make_session_factory(make_engine(self.settings))
            return self._session_factory

    def credentials(self) -> CredentialReader:
        """The reader of API tokens and session cookies (issue 8: one cheap read per request)."""
        bind = self.session_factory().kw["bind"]
        with self._opening:
            if self._credentials is None:
                self._credentials = CredentialReader(bind, self.settings.token_lifetime)
            return self._credentials

    def close(self) -> None:
        """Write the queued audit entries, then close the store and the database connections (at shutdown)."""
        self.audit_writer.close()
        self.store.close()
        if self._credentials is not None:
            self._credentials.close()
        if self._session_factory is not None:
            engine = self._session_factory.kw["bind"]
            self._session_factory = None
            engine.dispose()


def create_app(settings: Settings, clock: Clock = utc_now) -> FastAPI:
    """Build the web application for ``settings`` (nothing global; tests build their own, and may pass
    the ``clock`` that dates the downloads)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Few worker threads: handlers are CPU-bound Python, and fewer threads contend less for the GIL.
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        # The audit writer thread holds the database's write lock while it waits for the GIL between
        # statements; with the default 5 ms switch interval a busy event loop kept it waiting (issue 8).
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        yield
        if settings.allow_remote:  # the denials held back by the audit budget are counted in the log
            held_back = app.state.web.denial_budget.summaries(0, everything=True)
            web_audit.write_summaries(app.state.web, held_back)
        app.state.web.close()

    app = FastAPI(
        title="GBVS API",
        version=API_VERSION,
        summary="Strategy, conflict data, forecasts and sources of the GBVS information position.",
        description=_API_DESCRIPTION,
        openapi_url=None,  # served by gbvs.web.api.document, which refuses unknown parameters
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        dependencies=[Depends(refuse_unknown_language)],
    )
    app.router.redirect_slashes = False
    store = StoreGateway(settings.resolved_store_path)
    forecasts = ForecastCache(settings)
    app.state.web = WebState(
        settings=settings,
        catalogs=load_catalogs(),
        templates=create_environment(),
        store=store,
        forecasts=forecasts,
        responses=ResponseCache(data_version(store.stamp, forecasts.stamp), lambda: dutch_day(clock)),
        clock=clock,
    )
    app.state.web.templates.globals.update(
        gbvs_version=__version__,
        level_names=LEVEL_NAMES,
        target_names=TARGET_NAMES,
        status_names=STATUS_NAMES,
        displacement_texts=DISPLACEMENT_TEXTS,
        displacement_provenance=run_line_in(app.state.web.catalogs),
    )
    problems.install(app)
    api_document.install(app, settings)
    for router in (*API_ROUTERS, *PAGE_ROUTERS, *DISPLACEMENT_ROUTERS, *ANCHOR_ROUTERS):  # + issues 17, 11
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(WebMiddleware, default_language=settings.language, remote=settings.allow_remote)
    app.add_middleware(HostGuard, allowed=settings.host_names)  # outermost: before anything else runs
    return app


def _operation_id(route: APIRoute) -> str:
    """OpenAPI operation ids are the handler names (``read_countries``), unique within the API."""
    return route.name


def all_routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute among ``routes`` (an app's ``app.routes``) and inside the routers they include,
    which FastAPI keeps as nested routers: for the checks that walk every route."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += all_routes(route.original_router.routes)
    return found


def create_app_from_environment() -> FastAPI:
    """App factory for server worker processes (``gbvs serve --workers N``): settings from GBVS_* ."""
    restrict_new_files()
    settings = load_settings()
    app = create_app(settings)
    say_warnings_in(app.state.web.catalogs, settings.language)
    return app


def say_warnings_in(catalogs: dict[str, gettext.GNUTranslations], lang: str) -> logging.Handler:
    """From now on this worker process writes the ``gbvs`` log's warnings to stderr in ``lang`` (the
    configured language, as the command line's), those logged in words (:mod:`gbvs.logwords`) translated:
    the data folder's permission warning reads as `gbvs serve` itself writes it. Returns the handler."""
    translate = catalogs[lang].gettext
    handler = WarningsInWords(
        lambda words: in_words(words, translate, lang), lambda text: print(text, file=sys.stderr)
    )
    logging.getLogger(LOGGER).addHandler(handler)
    return handler


_API_DESCRIPTION = (
    "REST API of GBVS (read-only but for `POST /signals`), following the Dutch API Design Rules: "
    "plural nouns, no trailing slashes, an `API-Version` header on every response, errors as "
    "`application/problem+json` (in the language of `lang`, else of the `Accept-Language` header, `nl` or "
    "`en`, else English by design, 401 and 403 included, as the scripts that read them have always got: "
    "send `Accept-Language: nl` for Dutch errors; `Content-Language` lists the languages used, "
    "`detailLanguage` the detail's, and a 403 names its ground in `refusal`), names and labels in the "
    "language of `lang`, else of `Accept-Language`, else the server's (`GBVS_LANGUAGE`, Dutch by default; "
    "`Vary: Accept-Language`), and "
    "paging on collections (`page`, `pageSize`; `Link` header and `_links`). Resources that analysts "
    "export also come as CSV (`format=csv`) or GeoJSON (`format=geojson`). Every figure carries its "
    "provenance (source, version, vintage; model version and training cutoff for forecasts). Signals and "
    "cases answer only what the caller may see on a need-to-know basis (404 otherwise) and come as STIX "
    "2.1 with `Accept: application/stix+json;version=2.1`."
)
