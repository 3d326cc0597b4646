"""The words of an API answer (country names, labels) follow ``Accept-Language`` too: ``?lang=`` wins, then
the header, then the site's cookie and setting as before (a script that sends neither gets the same words).
Every API answer says its language (``Content-Language``) and that it varies with the header (``Vary``);
pages keep ``?lang=``, cookie and setting. And a ``?lang=`` the interface lacks is refused in the asked
language."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from gbvs.web.i18n import api_language

SYRIA = {"nl": "Syrië", "en": "Syria"}


@pytest.mark.parametrize(
    ("query", "header", "cookie", "expected"),
    [
        (None, None, None, "nl"),  # the setting, as before
        (None, "en", None, "en"),
        (None, "en-GB,en;q=0.9,nl;q=0.8", "nl", "en"),  # the header over the site's cookie
        (None, "de", "en", "en"),  # a header naming no interface language: the cookie
        ("nl", "en", None, "nl"),  # ?lang= wins
    ],
)
def test_the_api_language_is_negotiated(
    query: str | None, header: str | None, cookie: str | None, expected: str
) -> None:
    assert api_language(query, header, cookie, "nl") == expected


def _name(answer: Any, lang: str) -> None:
    assert answer.status_code == 200, answer.text[:300]
    assert answer.json()["name"] == SYRIA[lang]
    assert answer.headers["content-language"] == lang
    assert "Accept-Language" in answer.headers["vary"]


def test_country_names_follow_accept_language_and_lang_wins(client: TestClient) -> None:
    _name(client.get("/api/v1/countries/SYR"), "nl")  # no header: the setting, as before
    _name(client.get("/api/v1/countries/SYR", headers={"Accept-Language": "en-US,en;q=0.9"}), "en")
    _name(client.get("/api/v1/countries/SYR?lang=nl", headers={"Accept-Language": "en"}), "nl")
    _name(client.get("/api/v1/countries/SYR?lang=en", headers={"Accept-Language": "nl"}), "en")


def test_pages_do_not_follow_the_header(client: TestClient) -> None:
    page = client.get("/landen/SYR", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and page.headers["content-language"] == "nl"


def test_an_unknown_lang_is_refused_in_the_asked_language(client: TestClient) -> None:
    answer = client.get("/api/v1/watchlist?lang=de", headers={"Accept-Language": "nl"})
    body = answer.json()
    assert answer.status_code == 400 and body["detailLanguage"] == "nl"
    assert body["detail"] == "Onbekende interfacetaal 'de' in lang; gebruik een van: nl, en (kleine letters)."
    assert body["invalidParams"] == [{"name": "lang", "reason": body["detail"]}]
    english = client.get("/api/v1/watchlist?lang=de").json()
    assert english["detail"] == "unknown interface language 'de' in lang; use one of: nl, en (lower case)"
