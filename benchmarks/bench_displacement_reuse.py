"""Live displacement forecast: the first run validates model against baselines on the inner years, a second
run on the same inputs reuses that validation. Times both (and a third with ``revalidate``, optional) on
the analytical store of the settings (``GBVS_DATA_DIR`` / ``GBVS_STORE_PATH``), writing the runs into a
temporary forecasts file (``--data-dir`` to keep them), and checks that the published rows are the same.
Prints the figures; no goal is asserted.

    GBVS_STORE_PATH=/path/store.duckdb .venv/bin/python benchmarks/bench_displacement_reuse.py [--seeds 3]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

from gbvs.config import Settings, load_settings
from gbvs.forecasting.displacement.service import forecast
from gbvs.store.forecasts import forecasts_path, open_forecasts


def _rows(settings: Settings, run_id: str) -> pd.DataFrame:
    with open_forecasts(forecasts_path(settings)) as forecasts:
        return forecasts.forecast_rows(run_id).drop(columns="run_id")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=None, help="keep the forecasts file here")
    parser.add_argument("--revalidate", action="store_true", help="time a third run with revalidate too")
    args = parser.parse_args()
    base = load_settings()
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="gbvs-reuse-"))
    settings = base.model_copy(update={"data_dir": folder, "store_path": base.resolved_store_path})
    runs = [("first (validates)", False), ("second (same inputs)", False)]
    if args.revalidate:
        runs.append(("third (revalidate)", True))
    done = []
    for label, revalidate in runs:
        started, cpu = time.perf_counter(), time.process_time()
        summary = forecast(settings, seeds=args.seeds, revalidate=revalidate)
        wall = time.perf_counter() - started
        source = summary.reused_from["run_id"] if summary.reused_from else "made in this run"
        print(
            f"{label:<22} run {summary.run_id}: {wall:8.1f} s wall, {time.process_time() - cpu:8.1f} CPU-s, "
            f"validation: {source}"
        )
        done.append(summary.run_id)
    same = all(_rows(settings, done[0]).equals(_rows(settings, other)) for other in done[1:])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"published rows identical across the runs: {same}; peak memory {peak:.0f} MiB; forecasts in {folder}"
    )


if __name__ == "__main__":
    main()
