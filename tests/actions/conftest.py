"""Fixtures of the early-action tests: the database fixtures of tests/db (both backends), and a
forecasts file of two runs written with the store's own writer (tests/web/forecastbuilder.py)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from gbvs.config import Settings
from gbvs.forecasting.watchlist import AlertRules, load_rules
from gbvs.store.forecasts import ForecastsReader, forecasts_path, open_forecasts

TESTS = Path(__file__).resolve().parents[1]


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_db = _load(TESTS / "db" / "conftest.py", "actions_tests_db_fixtures")
forecastbuilder = _load(TESTS / "web" / "forecastbuilder.py", "actions_tests_forecastbuilder")
storebuilder = _load(TESTS / "web" / "storebuilder.py", "actions_tests_storebuilder")

db_url = _db.db_url
bare_engine = _db.bare_engine
engine = _db.engine
session = _db.session
admin = _db.admin
make_user = _db.make_user


@pytest.fixture
def rules() -> AlertRules:
    """The shipped watchlist rules (incidence, 1 year ahead, 50% threshold, 10-point jump)."""
    return load_rules()


@pytest.fixture
def two_runs(settings: Settings) -> Settings:
    """Settings whose forecasts file holds two runs: forecast-old, then forecast-new (and a backtest)."""
    forecastbuilder.build_forecasts(settings)
    return settings


@pytest.fixture
def forecasts(two_runs: Settings) -> Iterator[ForecastsReader]:
    """The two-run forecasts file, opened for reading."""
    with open_forecasts(forecasts_path(two_runs)) as reader:
        yield reader


@pytest.fixture
def reopen(settings: Settings) -> Callable[[], ForecastsReader]:
    """Open the forecasts file (again, after a new run was written)."""
    return lambda: open_forecasts(forecasts_path(settings))
