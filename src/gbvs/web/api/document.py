"""The OpenAPI document of ``/api/v1``, shaped to the Dutch API Design Rules (ADR).

FastAPI generates the document from the routes; :func:`adr_document` then states what holds for
every operation, so a new route cannot forget it:

- ``servers`` names the base path with the major version (``/api/v1``); paths are relative to it;
- every 2xx/3xx response declares the ``API-Version`` header (sent by :mod:`gbvs.web.middleware`),
  paged collections also the ``Link`` header;
- request validation fails with 400 ``application/problem+json`` (:mod:`gbvs.web.problems`), so
  FastAPI's default 422 ``HTTPValidationError`` is dropped and the one ``Problem`` schema is added;
- every operation declares ``lang``, the interface language every request may carry: any other query
  parameter an operation does not declare is refused with 400
  (:func:`gbvs.web.api.common.refuse_unknown_parameters`).

``scripts/lint-api`` checks the result with the ADR's own Spectral ruleset.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from gbvs.config import Settings
from gbvs.languages import LANGUAGES
from gbvs.web.api.common import ALWAYS_ACCEPTED, PAGE_SIZE_KEY, Problem, refuse_unknown_parameters
from gbvs.web.i18n import LANGUAGE_PARAMETER
from gbvs.web.middleware import API_PREFIX, API_VERSION

OPENAPI_PATH = f"{API_PREFIX}/openapi.json"
SCHEMA_REF = "#/components/schemas/{model}"
FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
HEADERS: dict[str, dict[str, Any]] = {
    "API-Version": {
        "description": "The full version of the API that answered (semantic versioning).",
        "schema": {"type": "string", "example": API_VERSION},
    },
    "Link": {
        "description": "Links to the first, previous, next and last page (RFC 8288).",
        "schema": {"type": "string"},
    },
}
PARAMETERS: dict[str, dict[str, Any]] = {
    LANGUAGE_PARAMETER: {
        "name": LANGUAGE_PARAMETER,
        "in": "query",
        "required": False,
        "description": (
            "Language of the answer's texts (names, labels, sentences); without it the language chosen "
            "on the site (its cookie), else the installation's (GBVS_LANGUAGE, Dutch unless set)."
        ),
        "schema": {"type": "string", "enum": list(LANGUAGES)},
    }
}
"""The query parameters every operation accepts besides its own (:data:`.common.ALWAYS_ACCEPTED`)."""
CHANGELOG_NOTE = (
    " Changes between versions, and the deprecated names with the version that removes them, are "
    "listed in the changelog (`src/gbvs/web/CHANGELOG.md`)."
)


def contact(settings: Settings) -> dict[str, str] | None:
    """The ``info.contact`` object from the settings (GBVS_CONTACT_*), or None when not configured."""
    fields = {"name": settings.contact_name, "email": settings.contact_email, "url": settings.contact_url}
    present = {key: value for key, value in fields.items() if value}
    return present or None


def adr_document(app: FastAPI, settings: Settings) -> dict[str, Any]:
    """The OpenAPI document of ``app``'s API routes, with the ADR conventions applied."""
    document = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description + CHANGELOG_NOTE,
        routes=app.routes,
        tags=app.openapi_tags,
        contact=contact(settings),
        license_info={"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        servers=[{"url": API_PREFIX, "description": "This GBVS installation, version 1 of the API"}],
    )
    document["paths"] = {_relative(path): item for path, item in document["paths"].items()}
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    schemas.update(_problem_schemas())
    components["headers"] = HEADERS
    for item in document["paths"].values():
        for operation in item.values():
            _declare_responses(operation)
            _declare_common_parameters(operation)
    return _renamed(document, {name: _upper_camel(name) for name in schemas})


def install(app: FastAPI, settings: Settings) -> None:
    """Serve :func:`adr_document` (built once) as the app's OpenAPI document, at :data:`OPENAPI_PATH`
    (``create_app`` leaves FastAPI's own route out: it did not refuse unknown parameters)."""
    app.openapi = _cached(app, settings)  # type: ignore[method-assign]
    app.include_router(_document_router())


def _document_router() -> APIRouter:
    """The route of the document: public, as before, and like every other operation of ``/api/v1`` it
    refuses a query parameter it does not declare (:func:`refuse_unknown_parameters`)."""
    router = APIRouter(
        include_in_schema=False,
        dependencies=[Depends(refuse_unknown_parameters)],
        redirect_slashes=False,
    )

    @router.get(OPENAPI_PATH)
    async def read_openapi_document(request: Request) -> JSONResponse:
        """The OpenAPI document of this installation."""
        return JSONResponse(request.app.openapi())

    return router


def _cached(app: FastAPI, settings: Settings) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = adr_document(app, settings)
        return app.openapi_schema

    return openapi


def _relative(path: str) -> str:
    return path.removeprefix(API_PREFIX) if path.startswith(API_PREFIX + "/") else path


def _upper_camel(name: str) -> str:
    """``CountryPage`` for pydantic's ``Page_Country_``; ``StrategyText`` for ``gbvs__strategy__model__Text``
    (two models of the same name, told apart by their package)."""
    generic = re.fullmatch(r"([A-Za-z]+)_([A-Za-z]+)_", name)
    if generic:
        return generic.group(2) + generic.group(1)
    qualified = re.fullmatch(r"gbvs__([a-z]+)__(?:\w+__)?([A-Za-z]+)", name)
    if qualified:
        return qualified.group(1).capitalize() + qualified.group(2)
    return name


def _renamed(document: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """``document`` with schemas renamed (their key and every ``$ref`` to them)."""
    text = json.dumps(document)
    for old, new in names.items():
        if old != new:
            text = text.replace(f'"{SCHEMA_REF.format(model=old)}"', f'"{SCHEMA_REF.format(model=new)}"')
    renamed: dict[str, Any] = json.loads(text)
    schemas = renamed["components"]["schemas"]
    renamed["components"]["schemas"] = {names.get(key, key): value for key, value in schemas.items()}
    return renamed


def _problem_schemas() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template=SCHEMA_REF)
    nested = schema.pop("$defs", {})
    return {**nested, "Problem": schema}


def _declare_responses(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.get("responses", {})
    responses.pop("422", None)
    paged = any(p.get("name") == PAGE_SIZE_KEY for p in operation.get("parameters", []))
    for status, response in responses.items():
        if status[0] in "23":
            headers = response.setdefault("headers", {})
            headers["API-Version"] = {"$ref": "#/components/headers/API-Version"}
            if paged:
                headers["Link"] = {"$ref": "#/components/headers/Link"}


def _declare_common_parameters(operation: dict[str, Any]) -> None:
    parameters: list[dict[str, Any]] = operation.setdefault("parameters", [])
    declared = {(p.get("in"), p.get("name")) for p in parameters}
    for name in ALWAYS_ACCEPTED:
        if ("query", name) not in declared:
            parameters.append(PARAMETERS[name])


def main() -> None:
    """Print the document of the app built from the settings in force (``scripts/lint-api``)."""
    from gbvs.config import load_settings
    from gbvs.web.app import create_app

    print(json.dumps(create_app(load_settings()).openapi(), indent=1))


if __name__ == "__main__":
    main()
