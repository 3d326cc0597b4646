"""Route dependencies as type aliases, so handlers read like signatures.

The getters are coroutines although they await nothing: FastAPI runs a plain function dependency in a
worker thread, which costs more than the getter itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gbvs.config import Settings
from gbvs.errors import FieldError, said
from gbvs.languages import LANGUAGES
from gbvs.web.i18n import LANGUAGE_PARAMETER
from gbvs.web.queries.forecasts import ForecastCache
from gbvs.web.store import StoreGateway


async def get_store(request: Request) -> StoreGateway:
    """The app's store gateway."""
    store: StoreGateway = request.app.state.web.store
    return store


async def get_forecasts(request: Request) -> ForecastCache:
    """The app's cache of forecasting results."""
    cache: ForecastCache = request.app.state.web.forecasts
    return cache


async def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.web.settings
    return settings


async def get_language(request: Request) -> str:
    """The request's interface language (set by the middleware)."""
    return str(request.state.lang)


async def refuse_unknown_language(request: Request) -> None:
    """``?lang=`` names a language the interface has, or the request is a 400 naming the ones it has
    (the answer was silently Dutch: an English reader asking ``lang=EN`` could not tell why)."""
    for value in request.query_params.getlist(LANGUAGE_PARAMETER):
        if value not in LANGUAGES:
            raise FieldError(
                LANGUAGE_PARAMETER,
                said(
                    "unknown interface language %(value)s in lang; use one of: %(languages)s (lower case)",
                    value=repr(value),
                    languages=", ".join(LANGUAGES),
                ),
            )


Forecasts = Annotated[ForecastCache, Depends(get_forecasts)]
Store = Annotated[StoreGateway, Depends(get_store)]
AppSettings = Annotated[Settings, Depends(get_settings)]
Language = Annotated[str, Depends(get_language)]
