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

from pydantic import BaseModel, Field, ValidationError, field_validator

from gbvs.catalogues import load_catalogs
from gbvs.errors import Said, WordedValueError, in_words, said
from gbvs.web.validation import REASONS, problems

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
    "too_short": (
        "POST",
        "/api/v1/cases/1/joint-positions",
        {"json": {"judgement": "j", "likelihood": "likely", "confidence": "high", "agreedBy": []}},
        "body.agreedBy",
        "verwacht een lijst van minstens 1 element, niet 0 (gegeven: [])",
        "List should have at least 1 item after validation, not 0 (got [])",
    ),
    "too_long": (
        "POST",
        "/api/v1/actions",
        {"json": {"originKind": "alert", "originRef": "x", "title": "Mali", "countries": ["MLI"] * 51}},
        "body.countries",
        "verwacht een lijst van hoogstens 50 elementen, niet 51 (gegeven: ['MLI', ",
        "List should have at most 50 items after validation, not 51 (got ['MLI', ",
    ),
    "int_parsing_size": (
        "GET",
        f"/api/v1/countries?page={'9' * 5000}",
        {},
        "page",
        "verwacht een geheel getal, dit getal heeft te veel cijfers (gegeven: '999",
        "Unable to parse input string as an integer, exceeded maximum size (got '999",
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


def _errors(model: type[BaseModel], **values: Any) -> list[Any]:
    with pytest.raises(ValidationError) as refused:
        model(**values)
    return list(refused.value.errors())


class _Pair(BaseModel):
    """A set of at most two (pydantic says "Set should have ...", which the table has no words for: no
    request or file has a set) and a page number (which it has)."""

    pair: set[int] = Field(max_length=2)
    page: int = 1


def test_a_type_without_words_keeps_pydantic_english_and_says_so() -> None:
    """A reason without words (a set too long: the table's words are for lists and tuples) beside one with
    words: the detail stays English as a whole (None), the worded reason is words."""
    clauses, detail = problems(_errors(_Pair, pair={1, 2, 3}, page="abc"))
    assert clauses[0] == "pair: Set should have at most 2 items after validation, not more (got {1, 2, 3})"
    assert not isinstance(clauses[0], Said) and isinstance(clauses[1], Said) and detail is None


class _Checked(BaseModel):
    """A validator's own refusals: one in words (:class:`WordedValueError`), one a plain ValueError."""

    title: str
    code: str

    @field_validator("title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise WordedValueError(said("text is empty"))
        return value

    @field_validator("code")
    @classmethod
    def _known(cls, value: str) -> str:
        raise ValueError(f"code {value!r} is not known")


def test_a_validators_refusal_says_its_own_words_or_plainly_what_is_wrong() -> None:
    """value_error: a refusal that carries words is said in them; another one plainly in Dutch (its
    English text is pydantic's). No route of the API has a validator of its own yet, so a model here."""
    dutch = load_catalogs()["nl"].gettext
    clauses, detail = problems(_errors(_Checked, title="  ", code="x"))
    assert detail is not None
    assert in_words(detail, dutch) == (
        "ongeldig verzoek: title: de tekst is leeg (gegeven: '  '); code: ongeldige waarde: deze waarde "
        "voldoet niet aan de regels van dit veld (gegeven: 'x')"
    )
    assert str(clauses[1]) == "code: Value error, code 'x' is not known (got 'x')"
