"""Fixtures of the web tests: a small store built here, and an ASGI test client over it."""

from __future__ import annotations

import importlib.util
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():  # starlette's TestClient warns that httpx is deprecated in favour of httpx2
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.web.app import create_app

HERE = Path(__file__).resolve().parent


def load_helper(name: str) -> ModuleType:
    """Import a helper module of this folder (tests are imported with --import-mode=importlib)."""
    spec = importlib.util.spec_from_file_location(f"web_tests_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


storebuilder = load_helper("storebuilder")
server = load_helper("server")


forecastbuilder = load_helper("forecastbuilder")


@pytest.fixture(scope="session")
def web_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with a small store and a small forecasts file, built once per session."""
    data_dir = tmp_path_factory.mktemp("web-data")
    storebuilder.build_store(data_dir / "store.duckdb")
    forecastbuilder.build_forecasts(load_settings(data_dir=data_dir))
    return data_dir


@pytest.fixture(scope="session")
def small_store(web_data_dir: Path) -> Path:
    """The small analytical store."""
    return web_data_dir / "store.duckdb"


@pytest.fixture
def web_settings(settings: Settings, web_data_dir: Path) -> Settings:
    """Settings over the small store and forecasts (the app only reads them)."""
    return load_settings(data_dir=web_data_dir)


@pytest.fixture
def client(web_settings: Settings) -> Iterator[TestClient]:
    """A test client of the app over the small store and forecasts."""
    with TestClient(create_app(web_settings)) as test_client:
        yield test_client


@pytest.fixture
def quick_backtest_client(settings: Settings, small_store: Path) -> Iterator[TestClient]:
    """A test client whose stored backtest is a quick one (`gbvs backtest --quick`)."""
    quick = load_settings(data_dir=settings.data_dir, store_path=small_store)
    forecastbuilder.build_forecasts(quick, backtest_title="GBVS backtest (country-year, quick)")
    with TestClient(create_app(quick)) as test_client:
        yield test_client


@pytest.fixture
def no_forecast_client(settings: Settings, small_store: Path) -> Iterator[TestClient]:
    """A test client with a store but no forecasts file."""
    with TestClient(
        create_app(load_settings(data_dir=settings.data_dir, store_path=small_store))
    ) as test_client:
        yield test_client


@pytest.fixture
def empty_client(settings: Settings) -> Iterator[TestClient]:
    """A test client of the app without any store (before `gbvs ingest`)."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server(web_data_dir: Path) -> Iterator[str]:
    """The app over the small store and forecasts, served by uvicorn on a free loopback port."""
    with server.serve_in_thread(create_app(load_settings(data_dir=web_data_dir))) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def remote_server(tmp_path_factory: pytest.TempPathFactory, small_store: Path) -> Iterator[str]:
    """The app in remote mode (login required) over the small store, on a free loopback port."""
    data_dir = tmp_path_factory.mktemp("remote-web")
    app = create_app(load_settings(data_dir=data_dir, store_path=small_store, allow_remote=True))
    with server.serve_in_thread(app) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def wcag_tools() -> ModuleType:
    """The WCAG checks of wcag.py."""
    return load_helper("wcag")


@pytest.fixture(scope="session")
def browser_tools() -> ModuleType:
    """The helpers of browser.py (test modules cannot import this conftest)."""
    return load_helper("browser")


@pytest.fixture(scope="session")
def real_data_dir(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A data folder over the real mirror: the ingested store plus a fresh conflict forecast.

    GBVS_WEB_REAL_DATA_DIR may name a prepared folder (store, forecasts and backtest) instead.
    """
    prepared = os.environ.get("GBVS_WEB_REAL_DATA_DIR")
    if prepared:
        return Path(prepared)
    from gbvs.forecasting.service import forecast

    store = request.getfixturevalue("ingested_store")
    data_dir = tmp_path_factory.mktemp("real-web")
    forecast(load_settings(data_dir=data_dir, store_path=store.path), targets=["incidence"])
    (data_dir / "store_path").write_text(str(store.path))
    return data_dir


@pytest.fixture(scope="session")
def real_server(real_data_dir: Path) -> Iterator[str]:
    """The app over the real-data folder, on a free loopback port."""
    marker = real_data_dir / "store_path"
    store_path = Path(marker.read_text()) if marker.is_file() else real_data_dir / "store.duckdb"
    app = create_app(load_settings(data_dir=real_data_dir, store_path=store_path))
    with server.serve_in_thread(app) as base_url:
        yield base_url
