"""Fixtures of the early-action tests: the database fixtures of tests/db (both backends), and a
forecasts file of two runs written with the store's own writer (tests/web/forecastbuilder.py)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from gbvs.config import Settings
from gbvs.forecasting.watchlist import AlertRules, load_rules
from gbvs.store.forecasts import (
    ForecastsReader,
    StoredRun,
    forecasts_path,
    open_forecasts,
    writing_forecasts,
)

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


def third_run(settings: Settings) -> None:
    """A later run with other probabilities and another model version (Mali falls to 0.2)."""
    rows = [
        forecastbuilder._forecast_row("forecast-later", gwcode, "incidence", 1, p)
        for gwcode, p in ((652, 0.95), (432, 0.20), (369, 0.55), (210, 0.01))
    ]
    run = StoredRun(
        "forecast-later", "forecast", datetime(2026, 9, 1), "country-year", "lgbm", "lgbm-test-2",
        2024, "UCDP ACD 26.1 (2024)", 0, "{}",
    )  # fmt: skip
    with writing_forecasts(forecasts_path(settings)) as writer:
        writer.add_run(run)
        writer.add_forecasts("forecast-later", pd.DataFrame(rows).drop(columns="run_id"))
