"""Benchmark (not a test): the time to generate the full progress report of a period (goal: < 30 s).

Builds the report of ``--period`` (default 2018-2019) in HTML, PDF and DOCX, in Dutch and English,
from an ingested data folder (store, forecasts file with a backtest, migrated database), exactly as
``gbvs report build`` does, and prints the seconds per step and in total. The data folder is not
changed except for the report files (written to a temporary folder) and the audit entries.

Usage::

    GBVS_MIRROR=../shared/data GBVS_DATA_DIR=/tmp/gbvs-bench .venv/bin/gbvs db upgrade
    GBVS_MIRROR=../shared/data GBVS_DATA_DIR=/tmp/gbvs-bench .venv/bin/gbvs ingest
    GBVS_DATA_DIR=/tmp/gbvs-bench .venv/bin/gbvs backtest --quick
    .venv/bin/python benchmarks/bench_report.py --data-dir /tmp/gbvs-bench [--period 2018-2019] [--repeat 2]
"""

from __future__ import annotations

import argparse
import getpass
import tempfile
import time
from pathlib import Path

from gbvs.config import load_settings
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.reports import service
from gbvs.security import Principal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--period", default="2018-2019")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    settings = load_settings(data_dir=args.data_dir)
    principal = Principal.os_owner(getpass.getuser())
    factory = make_session_factory(make_engine(settings))
    with tempfile.TemporaryDirectory() as folder:
        for run in range(1, args.repeat + 1):
            started = time.perf_counter()
            with session_scope(factory) as session:
                produced = service.produce(
                    settings, session, principal, args.period, Path(folder),
                    formats=list(service.FORMATS), languages=list(service.LANGUAGES),
                )  # fmt: skip
            total = time.perf_counter() - started
            steps = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in produced.timings.items())
            print(f"run {run}: {len(produced.files)} files in {total:.1f} s ({steps})")
            print(
                f"  content hash {produced.content_hash}; goal < 30 s: {'met' if total < 30 else 'NOT met'}"
            )


if __name__ == "__main__":
    main()
