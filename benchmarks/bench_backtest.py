"""Benchmark (not a test): the whole country-year backtest and the Syria grid-month backtest, timed per stage.

Ingests the mirror into a temporary data folder (unless ``--data-dir`` points at one with a built store),
then runs ``gbvs backtest`` for country-year (all targets, 3 horizons, all origins, ``--seeds`` seeds)
and for grid-month, and prints the time per stage and the goal figures. Usage::

    .venv/bin/python benchmarks/bench_backtest.py [--seeds 3] [--data-dir DIR] [--mirror ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GBVS = [sys.executable, "-m", "gbvs"]


def _run(args: list[str], env: dict[str, str]) -> dict[str, object]:
    started = time.perf_counter()
    done = subprocess.run([*GBVS, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"gbvs {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    payload = json.loads(done.stdout) if "--format" in args else {}
    payload["wall_seconds"] = time.perf_counter() - started
    return payload


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--mirror", type=Path, default=REPO.parent / "shared" / "data")
    options = parser.parse_args()
    data_dir = options.data_dir or Path(tempfile.mkdtemp(prefix="gbvs-bench-"))
    env = {**os.environ, "GBVS_DATA_DIR": str(data_dir), "GBVS_MIRROR": str(options.mirror)}
    if not (data_dir / "store.duckdb").is_file():
        print(f"ingest: {_run(['ingest'], env)['wall_seconds']:.1f}s")
    for unit in ("grid-month", "country-year"):  # grid-month first: the country-year report shows it
        result = _run(["backtest", "--unit", unit, "--seeds", str(options.seeds), "--format", "json"], env)
        print(f"\n== {unit}: {result['wall_seconds']:.1f}s wall; report in {result['report_dir']}")
        for stage, seconds in dict(result["timings"]).items():  # type: ignore[call-overload]
            print(f"  {stage:<28} {seconds:8.1f}s")
        for goal in list(result["goals"]):  # type: ignore[call-overload]
            verdict = "met" if goal["met"] else "NOT met"
            print(f"  goal {goal['goal']:<56} {goal['value']:.4f} {goal['target']:<30} {verdict}")


if __name__ == "__main__":
    main()
