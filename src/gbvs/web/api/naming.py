"""Which field names of ``/api/v1`` are not lowerCamelCase (``docs/api-naming.md``).

The ADR's query keys are lowerCamelCase (``/core/query-keys-camel-case``, checked by the linter); the API's
JSON fields mix that with snake_case. They are not renamed yet (``docs/api-naming.md`` has the plan):
:func:`snake_case_fields` lists them per operation from the OpenAPI document, so a test can refuse a new
one and the document's list stays the one in force.

    .venv/bin/python -m gbvs.web.api.naming   # the table of docs/api-naming.md, from the app's document
"""

from __future__ import annotations

import re
from typing import Any

SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
CAMEL_CASE = re.compile(r"[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+")
SCHEMA_PREFIX = "#/components/schemas/"


def operation_fields(document: dict[str, Any], operation: dict[str, Any]) -> set[str]:
    """Every property name of an operation's request body and successful responses, nested schemas too."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    found: set[str] = set()
    parts = [operation.get("requestBody", {})]
    parts += [response for status, response in operation.get("responses", {}).items() if status[0] == "2"]
    for part in parts:
        _collect(part, schemas, set(), found)
    return found


def snake_case_fields(document: dict[str, Any]) -> dict[str, set[str]]:
    """Per operation (``GET /goals``) the snake_case field names it reads or answers; none: left out."""
    result: dict[str, set[str]] = {}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            names = {name for name in operation_fields(document, operation) if SNAKE_CASE.fullmatch(name)}
            if names:
                result[f"{method.upper()} {path}"] = names
    return result


def _collect(node: Any, schemas: dict[str, Any], seen: set[str], found: set[str]) -> None:
    if isinstance(node, list):
        for child in node:
            _collect(child, schemas, seen, found)
        return
    if not isinstance(node, dict):
        return
    reference = node.get("$ref", "")
    if reference.startswith(SCHEMA_PREFIX) and reference not in seen:
        seen.add(reference)
        _collect(schemas.get(reference.removeprefix(SCHEMA_PREFIX)), schemas, seen, found)
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            found.update(value)
            _collect(list(value.values()), schemas, seen, found)
        elif key != "$ref":
            _collect(value, schemas, seen, found)


def markdown_table(fields: dict[str, set[str]]) -> str:
    """The list of ``docs/api-naming.md``: one row per operation, its snake_case fields in order."""
    rows = ["| Operation | snake_case fields |", "|---|---|"]
    for operation, names in fields.items():
        rows.append(f"| `{operation}` | {', '.join(f'`{name}`' for name in sorted(names))} |")
    return "\n".join(rows)


def main() -> None:
    """Print the table for the app built from the settings in force."""
    from gbvs.config import load_settings
    from gbvs.web.app import create_app

    print(markdown_table(snake_case_fields(create_app(load_settings()).openapi())))


if __name__ == "__main__":
    main()
