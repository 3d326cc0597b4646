"""Fixtures for driver tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ibis
import pytest


@pytest.fixture
def con() -> Iterator[Any]:
    """A fresh in-memory DuckDB backend."""
    backend = ibis.duckdb.connect()
    yield backend
    backend.disconnect()
