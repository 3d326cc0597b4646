"""No new snake_case field in the API: the fields that are not lowerCamelCase are listed per operation in
docs/api-naming.md (with the plan to rename them); a new one must be lowerCamelCase, and a renamed one
leaves the list."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gbvs.web.api.naming import snake_case_fields

LIST = Path(__file__).resolve().parents[2] / "docs" / "api-naming.md"
ROW = re.compile(r"^\| `([A-Z]+ /[^`]*)` \| (.+) \|$", re.MULTILINE)


def listed() -> dict[str, set[str]]:
    """The list of docs/api-naming.md: operation -> its snake_case fields."""
    return {op: set(re.findall(r"`([a-z0-9_]+)`", cell)) for op, cell in ROW.findall(LIST.read_text())}


def _document(client: Any) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def test_no_operation_has_a_snake_case_field_the_list_does_not_name(client: Any) -> None:
    allowed = listed()
    assert len(allowed) > 40, f"the list in {LIST} was not read"
    new = {
        operation: sorted(names - allowed.get(operation, set()))
        for operation, names in snake_case_fields(_document(client)).items()
        if names - allowed.get(operation, set())
    }
    assert not new, (
        f"new field names that are not lowerCamelCase: {new}; name them in lowerCamelCase "
        f"(e.g. forecastPeriod, not forecast_period), as {LIST.name} says"
    )


def test_the_list_names_no_field_the_api_no_longer_has(client: Any) -> None:
    actual = snake_case_fields(_document(client))
    gone = {
        operation: sorted(names - actual.get(operation, set()))
        for operation, names in listed().items()
        if names - actual.get(operation, set())
    }
    assert not gone, f"renamed or removed, still in {LIST.name}: {gone}; take them off the list"


def test_the_check_finds_a_snake_case_field_in_a_nested_schema() -> None:
    document = {
        "paths": {
            "/things": {
                "get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": R}}}}}},
                "post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": R}}}}},
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "properties": {"runId": {}, "parts": {"items": {"$ref": "#/components/schemas/Part"}}}
                },
                "Part": {"properties": {"new_field": {}, "name": {}, "_links": {}}},
            }
        },
    }
    assert snake_case_fields(document) == {"GET /things": {"new_field"}, "POST /things": {"new_field"}}


R = "#/components/schemas/Thing"
