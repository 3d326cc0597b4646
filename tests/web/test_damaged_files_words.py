"""A store or forecasts file that cannot be opened (damaged, or not GBVS's): the page leads with a sentence
in the reader's language naming the file and what to do; DuckDB's own English message stays as a quoted
detail, marked as English on a Dutch page. Before, the driver's message stood as the whole explanation."""

from __future__ import annotations

import html as markup
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.store.forecasts import forecasts_path
from gbvs.web.app import create_app

DAMAGED = b"not a database" * 100
STORE_WORDS = {
    "nl": "De analytische opslag '{path}' kan niet worden geopend; het bestand is beschadigd",
    "en": "the analytical store '{path}' cannot be opened (DuckDB: ",
}
FORECASTS_WORDS = {
    "nl": "Het voorspellingenbestand '{path}' kan niet worden geopend. Zet het terug uit een back-up",
    "en": "the forecasts file '{path}' cannot be opened (DuckDB: ",
}


def _client(settings: Settings, **paths: Path) -> TestClient:
    return TestClient(create_app(load_settings(data_dir=settings.data_dir, **paths)))


def _assert_worded(html: str, lang: str, lead: str) -> None:
    text = markup.unescape(html)
    assert lead in text
    if lang == "nl":  # the driver's message: quoted, marked as English inside the Dutch sentence
        assert 'Melding van DuckDB: "<span lang="en">' in text
        assert "cannot be opened" not in text
    else:
        assert '<span lang="en">' not in text.split("<main", 1)[1]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_damaged_store_is_explained_in_the_readers_words(
    settings: Settings, tmp_path: Path, lang: str
) -> None:
    store = tmp_path / "store.duckdb"
    store.write_bytes(DAMAGED)
    with _client(settings, store_path=store) as client:
        page = client.get(f"/landen/SYR?lang={lang}")
        assert page.status_code == 503
        _assert_worded(page.text, lang, STORE_WORDS[lang].format(path=store))
        problem = client.get("/api/v1/countries", headers={"Accept-Language": lang}).json()
    assert problem["detail"].startswith(STORE_WORDS[lang].format(path=store))
    assert problem["detailLanguage"] == lang


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_damaged_forecasts_file_is_explained_in_the_readers_words(
    settings: Settings, small_store: Path, lang: str
) -> None:
    forecasts = forecasts_path(settings)
    forecasts.parent.mkdir(parents=True, exist_ok=True)
    forecasts.write_bytes(DAMAGED)
    with _client(settings, store_path=small_store) as client:
        page = client.get(f"/aandachtslijst?lang={lang}")
    assert page.status_code == 503
    _assert_worded(page.text, lang, FORECASTS_WORDS[lang].format(path=forecasts))


DATABASE_WORDS = {
    "nl": "Het databasebestand '{path}' kan niet worden geopend. Controleer of GBVS het mag lezen en "
    "schrijven en voer `gbvs db check` uit; is het bestand beschadigd, zet dan de laatste back-up terug",
    "en": "the database file '{path}' cannot be opened (SQLite: \"file is not a database\"); check that GBVS "
    "may read and write it, and run `gbvs db check`; if the file is damaged, restore the latest backup",
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_damaged_database_file_is_explained_in_the_readers_words(settings: Settings, lang: str) -> None:
    """Before: a 500 "unexpected error" (and a traceback on the command line) for SQLite's "file is not a
    database"."""
    database = settings.data_dir / "damaged.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    database.write_bytes(DAMAGED)
    with TestClient(create_app(load_settings(database_url=f"sqlite:///{database}"))) as client:
        page = client.get(f"/signalen?lang={lang}")
        problem = client.get("/api/v1/signals", headers={"Accept-Language": lang}).json()
    text = markup.unescape(page.text)
    assert DATABASE_WORDS[lang].format(path=database) in text
    assert ('Melding van SQLite: "<span lang="en">file is not a database</span>"' in text) is (lang == "nl")
    assert problem["detail"].startswith(DATABASE_WORDS[lang].format(path=database))
