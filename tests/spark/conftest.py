"""The panel parity tests need pyspark and a Java runtime; without either they are skipped, saying which."""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest


@pytest.fixture(scope="session")
def spark_available() -> None:
    """Skip when pyspark or Java is missing (the Spark side runs in its own process: ``spark_child.py``)."""
    if importlib.util.find_spec("pyspark") is None:
        pytest.skip("Spark parity: pyspark is not installed; `pip install -e .[dev]` installs pyspark==4.0.5")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark parity: no Java runtime (java not on PATH, JAVA_HOME unset); install Java 17+")
