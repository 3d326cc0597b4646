"""Fixtures of the web tests: a small store built here, and an ASGI test client over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.web.app import create_app

from .storebuilder import build_store


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small analytical store, built once per test session."""
    return build_store(tmp_path_factory.mktemp("store") / "store.duckdb")


@pytest.fixture
def web_settings(settings: Settings, small_store: Path) -> Settings:
    """Settings pointing at the small store."""
    return load_settings(data_dir=settings.data_dir, store_path=small_store)


@pytest.fixture
def client(web_settings: Settings) -> Iterator[TestClient]:
    """A test client of the app over the small store."""
    with TestClient(create_app(web_settings)) as test_client:
        yield test_client


@pytest.fixture
def empty_client(settings: Settings) -> Iterator[TestClient]:
    """A test client of the app without any store (before `gbvs ingest`)."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client
