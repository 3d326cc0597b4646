"""A local PySpark session for the panel parity tests (skipped when pyspark is not installed)."""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def spark_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """``local[2]`` SparkSession: UI off, 4 shuffle partitions, loopback only, UTC, warehouse in tmp."""
    if importlib.util.find_spec("pyspark") is None:
        pytest.skip("Spark parity: pyspark is not installed; `pip install -e .[dev]` installs pyspark==4.0.5")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark parity: no Java runtime (java not on PATH, JAVA_HOME unset); install Java 17+")
    from pyspark.sql import SparkSession

    tmp = tmp_path_factory.mktemp("spark")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("gbvs-panel-parity")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.warehouse.dir", str(tmp / "warehouse"))
        .config("spark.local.dir", str(tmp / "local"))
        .config(
            "spark.driver.extraJavaOptions",
            f"-Dderby.system.home={tmp / 'derby'} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        )
        .config("spark.sql.session.timeZone", "UTC")
        # small data, short JVM: skip code generation and the optimising JIT (compiling costs more here)
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
