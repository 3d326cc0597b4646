"""A request FastAPI refuses (a 400 from pydantic's validation) in the asked language: each
``invalidParams[].reason`` and the ``detail``, from the catalogue's sentence of the error's type with its
values filled in; English unchanged (pydantic's own sentence); a type without words stays English and
``detailLanguage`` says so. Real routes, real bad requests."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from gbvs.web.validation import REASONS

DUTCH = {"Accept-Language": "nl"}
LONG = "x" * 101

# kind -> (method, path, request arguments, parameter name, the Dutch reason, the English reason)
BAD_REQUESTS: dict[str, tuple[str, str, dict[str, Any], str, str, str]] = {
    "int_parsing": (
        "GET",
        "/api/v1/countries?page=abc",
        {},
        "page",
        "verwacht een geheel getal, deze tekst is geen geheel getal (gegeven: 'abc')",
        "Input should be a valid integer, unable to parse string as an integer (got 'abc')",
    ),
    "greater_than_equal": (
        "GET",
        "/api/v1/countries?page=0",
        {},
        "page",
        "verwacht een waarde groter dan of gelijk aan 1 (gegeven: '0')",
        "Input should be greater than or equal to 1 (got '0')",
    ),
    "less_than_equal": (
        "GET",
        "/api/v1/displacement/ranking?horizon=3",
        {},
        "horizon",
        "verwacht een waarde kleiner dan of gelijk aan 2 (gegeven: '3')",
        "Input should be less than or equal to 2 (got '3')",
    ),
    "string_pattern_mismatch": (
        "GET",
        "/api/v1/countries/TOOLONG",
        {},
        "iso3",
        "verwacht een tekst volgens het patroon '^[A-Za-z]{3}$' (gegeven: 'TOOLONG')",
        "String should match pattern '^[A-Za-z]{3}$' (got 'TOOLONG')",
    ),
    "string_too_long": (
        "GET",
        f"/api/v1/indicators/{LONG}/values",
        {},
        "column",
        f"verwacht een tekst van hoogstens 100 tekens (gegeven: '{LONG}')",
        f"String should have at most 100 characters (got '{LONG}')",
    ),
    "enum": (
        "GET",
        "/api/v1/sources?format=xml",
        {},
        "format",
        "verwacht 'json', 'csv' of 'xlsx' (gegeven: 'xml')",
        "Input should be 'json', 'csv' or 'xlsx' (got 'xml')",
    ),
    "unknown_query_parameter": (
        "GET",
        "/api/v1/sources?goal=5",
        {},
        "goal",
        "onbekende queryparameter 'goal'; /api/v1/sources accepteert:",
        "unknown query parameter 'goal'; /api/v1/sources accepts:",
    ),
    "missing": (
        "POST",
        "/api/v1/actions",
        {"json": {"title": "Mali"}},
        "body.originKind",
        "verplicht; deze waarde ontbreekt (gegeven: {'title': 'Mali'})",
        "Field required (got {'title': 'Mali'})",
    ),
    "string_type": (
        "POST",
        "/api/v1/actions",
        {"json": {"originKind": "alert", "originRef": "x", "title": 5}},
        "body.title",
        "verwacht een tekst (gegeven: 5)",
        "Input should be a valid string (got 5)",
    ),
    "json_invalid": (
        "POST",
        "/api/v1/actions",
        {"content": b"{", "headers": {"Content-Type": "application/json"}},
        "body.1",
        "geen geldige JSON; controleer de body (gegeven: {})",
        "JSON decode error (got {})",
    ),
    "model_attributes_type": (
        "POST",
        "/api/v1/actions",
        {"json": [1]},
        "body",
        "verwacht een JSON-object met velden (gegeven: [1])",
        "Input should be a valid dictionary or object to extract fields from (got [1])",
    ),
    "date_from_datetime_parsing": (
        "POST",
        "/api/v1/actions/1/follow-ups",
        {"json": {"dueOn": "morgen"}},
        "body.dueOn",
        "verwacht een geldige datum (JJJJ-MM-DD) of datum met tijd (gegeven: 'morgen')",
        "Input should be a valid date or datetime, input is too short (got 'morgen')",
    ),
    "literal_error": (
        "PATCH",
        "/api/v1/actions/1/follow-ups/1",
        {"json": {"done": False}},
        "body.done",
        "verwacht True (gegeven: False)",
        "Input should be True (got False)",
    ),
}


def _bad(client: TestClient, kind: str, headers: dict[str, str]) -> tuple[dict[str, Any], Any]:
    method, path, arguments, name, _dutch, _english = BAD_REQUESTS[kind]
    arguments = dict(arguments)
    sent = {**arguments.pop("headers", {}), **headers}
    answer = client.request(method, path, **arguments, headers=sent)
    assert answer.status_code == 400, answer.text[:300]
    body: dict[str, Any] = answer.json()
    reasons = {item["name"]: item["reason"] for item in body["invalidParams"]}
    assert name in reasons, (kind, reasons)
    return body, answer


@pytest.mark.parametrize("kind", list(BAD_REQUESTS))
def test_each_kind_of_bad_request_has_a_dutch_reason_and_keeps_its_english_one(
    client: TestClient, kind: str
) -> None:
    _method, _path, _arguments, name, dutch, english = BAD_REQUESTS[kind]
    assert kind in REASONS
    body, answer = _bad(client, kind, DUTCH)
    reason = next(item["reason"] for item in body["invalidParams"] if item["name"] == name)
    assert reason.startswith(dutch), (kind, reason)
    assert body["detail"].startswith("ongeldig verzoek: ") and f"{name}: {reason}" in body["detail"]
    assert body["detailLanguage"] == "nl" and answer.headers["content-language"] == "nl"
    plain, plain_answer = _bad(client, kind, {})
    english_reason = next(item["reason"] for item in plain["invalidParams"] if item["name"] == name)
    assert english_reason.startswith(english), (kind, english_reason)
    assert plain["detail"].startswith("invalid request: ") and f"{name}: {english_reason}" in plain["detail"]
    assert plain["detailLanguage"] == "en" and plain_answer.headers["content-language"] == "en"
    assert f"{name}: {english_reason}" in plain["invalid_params"]  # the deprecated strings: English
    assert f"{name}: {english_reason}" in body["invalid_params"]


def test_lang_in_the_address_wins_for_the_reasons_too(client: TestClient) -> None:
    body, _answer = _bad(client, "int_parsing", {"Accept-Language": "en"})
    assert body["invalidParams"][0]["reason"].startswith("Input should be")
    dutch = client.get("/api/v1/countries?page=abc&lang=nl", headers={"Accept-Language": "en"}).json()
    assert dutch["invalidParams"][0]["reason"].startswith("verwacht een geheel getal")


def test_a_type_without_words_keeps_pydantic_english_and_says_so(client: TestClient) -> None:
    """A page number too long for an integer (pydantic's int_parsing_size, not in the catalogue) beside one
    that has words: the detail stays English as a whole, the worded reason is Dutch."""
    answer = client.get(f"/api/v1/countries?page={'9' * 5000}", headers=DUTCH)
    assert answer.status_code == 400
    body = answer.json()
    reasons = {item["name"]: item["reason"] for item in body["invalidParams"]}
    assert "page" in reasons and reasons["page"].startswith("Unable to parse input string as an integer")
    assert body["detail"].startswith("invalid request: page: Unable to parse")
    assert body["title"] == "Ongeldig verzoek" and body["detailLanguage"] == "en"
    assert answer.headers["content-language"] == "nl, en"
