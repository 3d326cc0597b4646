"""The Spark side of the panel parity tests, run in its own process.

``python tests/spark/spark_child.py IN_DIR OUT_DIR STACK_AFTER_S`` reads the raw tables as Arrow IPC
files (``IN_DIR/<table>.arrow``), builds every derived table on a local PySpark session with the same
Ibis code as the store, and writes each as a pickled pandas frame (``OUT_DIR/<table>.pkl``; pickled so
that dtypes come back exactly as Spark's ``toPandas`` gave them).

Its own process because once in some 25 CI runs a collect hung, Python and the JVM both waiting on
py4j's socket; ended from inside pytest that took the xdist worker down with it. The test now ends
such a hang from outside (the whole process group, JVM included) and sees this process's stacks,
which it prints to stderr after ``STACK_AFTER_S`` seconds.
"""

from __future__ import annotations

import faulthandler
import sys
import warnings
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa

from gbvs.panels.registry import DERIVED_TABLES


def build_all(con: Any, tables: dict[str, Any], materialise: Any) -> dict[str, Any]:
    """Build every derived table in order on ``con`` (raw tables already there), return them as frames.

    A derived table whose inputs are absent is skipped, as the ingest skips it."""
    out: dict[str, Any] = {}
    for d in DERIVED_TABLES:
        if not all(name in tables or name in out for name in d.depends_on):
            continue
        table = materialise(con, d.name, d.build(con))
        out[d.name] = table.to_pandas()
    return out


def spark_session(scratch: Path) -> Any:
    """``local[2]`` SparkSession: UI off, 4 shuffle partitions, loopback only, UTC, warehouse in scratch."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .appName("gbvs-panel-parity")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
        .config("spark.local.dir", str(scratch / "local"))
        .config(
            "spark.driver.extraJavaOptions",
            f"-Dderby.system.home={scratch / 'derby'} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        )
        .config("spark.sql.session.timeZone", "UTC")
        # small data, short JVM: skip code generation and the optimising JIT (compiling costs more here)
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )


def read_tables(in_dir: Path) -> dict[str, pa.Table]:
    tables = {}
    for path in sorted(in_dir.glob("*.arrow")):
        with pa.memory_map(str(path)) as source:
            tables[path.stem] = pa.ipc.open_file(source).read_all()
    return tables


def main(in_dir: Path, out_dir: Path, stack_after_s: float) -> None:
    faulthandler.dump_traceback_later(stack_after_s, exit=False)
    # pyspark 4.0.5's toPandas passes copy= to astype, which pandas 3 deprecates
    warnings.filterwarnings("ignore", message="The copy keyword is deprecated")
    tables = read_tables(in_dir)
    spark = spark_session(out_dir.parent / "spark-scratch")
    spark.sparkContext.setLogLevel("ERROR")
    try:
        for name, arrow in tables.items():
            spark.createDataFrame(arrow).createOrReplaceTempView(name)
        con = ibis.pyspark.connect(spark)
        frames = build_all(con, tables, lambda c, name, expr: c.create_view(name, expr, overwrite=True))
    finally:
        spark.stop()
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.to_pickle(out_dir / f"{name}.pkl")
    faulthandler.cancel_dump_traceback_later()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]))
