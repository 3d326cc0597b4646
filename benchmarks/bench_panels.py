"""Benchmark (not a test) of the panel builds: prints wall time and peak memory of each path.

1. Country-year: ``gbvs ingest`` from the mirror (all sources and all panels), and the country-year
   build alone (``epr_country_year`` + ``panel_country_year``) on the ingested store.
2. GED-scale aggregation: N synthetic GED-shaped events (default 10 million) -> country-month and
   PRIO-GRID-month panels, once with GBVS's Ibis/DuckDB code and once with a plain-pandas reference
   of the same computation (same month split, same dense output). Both read the same Parquet file.

Each path runs in its own subprocess, which reports its own peak RSS (``ru_maxrss``), so the
figures do not mix. Usage::

    .venv/bin/python benchmarks/bench_panels.py [--events 10000000] [--mirror ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
N_COUNTRIES = 60
CELLS_PER_COUNTRY = 300
FIRST_DAY = np.datetime64("1989-01-01")
N_DAYS = int((np.datetime64("2023-12-31") - FIRST_DAY).astype(int)) + 1
TYPES = {"sb": 1, "ns": 2, "os": 3}


# ---------------------------------------------------------------- synthetic events
def generate_events(n: int, path: Path, seed: int = 1) -> None:
    """GED-shaped events: most last one day, some span weeks or months (as in GED)."""
    rng = np.random.default_rng(seed)
    country = rng.integers(0, N_COUNTRIES, n)
    start = FIRST_DAY + rng.integers(0, N_DAYS, n).astype("timedelta64[D]")
    kind = rng.random(n)
    span = np.where(kind < 0.85, 0, np.where(kind < 0.97, rng.integers(1, 31, n), rng.integers(31, 200, n)))
    end = np.minimum(start + span.astype("timedelta64[D]"), np.datetime64("2023-12-31"))
    frame = pd.DataFrame(
        {
            "id": np.arange(n, dtype=np.int64),
            "country_id": (country * 10 + 2).astype(np.int64),
            "priogrid_gid": (country * CELLS_PER_COUNTRY + rng.integers(0, CELLS_PER_COUNTRY, n) + 1).astype(
                np.int64
            ),
            "type_of_violence": rng.choice([1, 2, 3], n, p=[0.7, 0.15, 0.15]).astype(np.int64),
            "date_start": start.astype("datetime64[s]"),
            "date_end": end.astype("datetime64[s]"),
            "best": rng.geometric(0.2, n).astype(np.int64) - 1,
        }
    )
    frame.to_parquet(path, index=False)


# ---------------------------------------------------------------- the two event paths
def run_ibis(path: Path, dense: bool = True) -> dict[str, Any]:
    """GBVS's Ibis code on DuckDB; both panels materialised as tables (as ingest does)."""
    import ibis

    from gbvs.panels.events import build_event_panel

    con = ibis.duckdb.connect()
    events = con.read_parquet(str(path), table_name="ucdp_ged")
    out: dict[str, Any] = {"threads": con.raw_sql("SELECT current_setting('threads')").fetchall()[0][0]}
    for name, unit, column in (("cm", "gwcode", "country_id"), ("pgm", "priogrid_gid", "priogrid_gid")):
        before = _cpu()
        table = con.create_table(name, build_event_panel(events, unit, column, dense=dense or name == "cm"))
        out[f"{name}_cpu"] = _cpu() - before
        out[name] = table.aggregate(rows=table.count(), best=table.ged_best.sum(), sb=table.ged_sb_best.sum())
        out[name] = out[name].execute().iloc[0].to_dict()
    return out


def _pandas_panel(rows: pd.DataFrame, unit: str, dense: bool) -> pd.DataFrame:
    keys = [rows[unit], rows["month_id"]]
    parts = {}
    for name, code in TYPES.items():
        of_type = rows["type_of_violence"].to_numpy() == code
        parts[f"ged_{name}_best"] = rows["best"].where(of_type, 0.0)
        parts[f"ged_{name}_events"] = of_type.astype(np.int64)
    parts["ged_best"] = rows["best"]
    parts["ged_events"] = np.ones(len(rows), dtype=np.int64)
    sums = pd.DataFrame(parts, index=rows.index).groupby(keys).sum()
    if dense:
        months = np.arange(rows["month_id"].min(), rows["month_id"].max() + 1)
        grid = pd.MultiIndex.from_product([np.sort(rows[unit].unique()), months], names=[unit, "month_id"])
        sums = sums.reindex(grid, fill_value=0)
    panel = sums.reset_index()
    panel["year"] = 1980 + (panel["month_id"] - 1) // 12
    panel["month"] = (panel["month_id"] - 1) % 12 + 1
    return panel


def run_pandas(path: Path, dense: bool = True) -> dict[str, Any]:
    """Plain-pandas reference: the same month split and dense panels."""
    events = pd.read_parquet(path)
    start, end = events["date_start"], events["date_end"]
    first = (start.dt.year - 1980) * 12 + start.dt.month
    n_months = (end.dt.year - 1980) * 12 + end.dt.month - first + 1
    rows = events.loc[events.index.repeat(n_months), ["country_id", "priogrid_gid", "type_of_violence"]]
    rows["month_id"] = first.repeat(n_months).to_numpy() + rows.groupby(level=0).cumcount().to_numpy()
    rows["best"] = (events["best"] / n_months).repeat(n_months).to_numpy()
    rows = rows.rename(columns={"country_id": "gwcode"}).reset_index(drop=True)
    out = {}
    for name, unit in (("cm", "gwcode"), ("pgm", "priogrid_gid")):
        panel = _pandas_panel(rows, unit, dense or name == "cm")
        out[name] = {"rows": len(panel), "best": panel["ged_best"].sum(), "sb": panel["ged_sb_best"].sum()}
    return out


# ---------------------------------------------------------------- country-year paths
def run_ingest(data_dir: Path, mirror: Path) -> dict[str, Any]:
    """``gbvs ingest`` in-process (all sources, all panels) into ``data_dir``."""
    os.environ.update({"GBVS_MIRROR": str(mirror), "GBVS_DATA_DIR": str(data_dir)})
    from gbvs.cli.main import main

    code = main(["ingest"])
    return {"exit_code": code}


def run_country_year(store: Path) -> dict[str, Any]:
    """Rebuild ``epr_country_year`` and ``panel_country_year`` in a copy of the ingested store."""
    import ibis

    from gbvs.panels.country_year import build_country_year
    from gbvs.panels.epr import build_epr_country_year

    con = ibis.duckdb.connect(str(store))
    con.create_table("epr_country_year", build_epr_country_year(con), overwrite=True)
    table = con.create_table("panel_country_year", build_country_year(con), overwrite=True)
    return {"rows": int(table.count().execute()), "columns": len(table.columns)}


WORKERS: dict[str, Any] = {"ibis": run_ibis, "pandas": run_pandas, "country_year": run_country_year}


def worker(kind: str, args: list[str]) -> None:
    """Run one path in this process and print its result, seconds and peak RSS as JSON.

    Libraries are imported before the clock starts, so both event paths time computation only.
    """
    import ibis  # noqa: F401

    import gbvs.panels.events  # noqa: F401

    began, cpu_before = time.perf_counter(), _cpu()
    if kind == "ingest":
        result = run_ingest(Path(args[0]), Path(args[1]))
    elif kind == "generate":
        generate_events(int(args[1]), Path(args[0]))
        result = {}
    elif kind in ("ibis", "pandas"):
        result = WORKERS[kind](Path(args[0]), dense=args[1:] != ["sparse"])
    else:
        result = WORKERS[kind](Path(args[0]))
    seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {"seconds": seconds, "cpu": _cpu() - cpu_before, "peak_mb": peak_mb}
    print("RESULT " + json.dumps({**report, "result": result}, default=float))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def spawn(kind: str, *args: str) -> dict[str, Any]:
    """Run ``worker(kind, args)`` in a fresh interpreter and return what it reported."""
    cmd = [sys.executable, __file__, "--worker", kind, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=False)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"benchmark step {kind} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    report: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--mirror", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--sparse-grid", action="store_true", help="also time a sparse grid-month panel")
    parser.add_argument(
        "--repeat", type=int, default=1, help="alternating runs per path (median CPU is compared)"
    )
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1:])
        return
    load = os.getloadavg()[0]
    python = sys.version.split()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} at start; python {python}")
    with tempfile.TemporaryDirectory(prefix="gbvs-bench-") as tmp:
        if not args.skip_ingest:
            bench_country_year(Path(tmp), args.mirror)
        bench_events(Path(tmp), args.events, args.sparse_grid, args.repeat)


def bench_country_year(tmp: Path, mirror: Path) -> None:
    data_dir = tmp / "data"
    ingest = spawn("ingest", str(data_dir), str(mirror))
    copy = tmp / "copy.duckdb"
    shutil.copy(data_dir / "store.duckdb", copy)
    cy = spawn("country_year", str(copy))
    print("\n== country-year from the mirror ==")
    seconds, peak = ingest["seconds"], ingest["peak_mb"]
    print(f"gbvs ingest (all sources + all panels)      {seconds:7.1f} s   peak {peak:7.0f} MB")
    print(
        f"country-year build (epr + panel_country_year) {cy['seconds']:5.1f} s   peak {cy['peak_mb']:7.0f} MB"
        f"   ({cy['result']['rows']} rows x {cy['result']['columns']} columns)"
    )
    print(f"goal: whole country-year build < 60 s -> {'met' if ingest['seconds'] < 60 else 'NOT met'}")


def bench_events(tmp: Path, n: int, sparse_too: bool, repeat: int) -> None:
    path = tmp / "events.parquet"
    gen = spawn("generate", str(path), str(n))
    print(f"\n== GED-scale aggregation: {n:,} synthetic events (generated in {gen['seconds']:.1f} s) ==")
    modes = [("dense", "dense country-month and PRIO-GRID-month")]
    if sparse_too:
        modes.append(("sparse", "dense country-month, sparse PRIO-GRID-month"))
    for mode, title in modes:
        runs: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for _ in range(repeat):  # alternate the two paths, so both see the same machine load
            runs.append((spawn("ibis", str(path), mode), spawn("pandas", str(path), mode)))
        compare(runs, n, title)


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median CPU time (the steadiest figure on a shared machine)."""
    return sorted(runs, key=lambda run: run["cpu"])[len(runs) // 2]


def compare(runs: list[tuple[dict[str, Any], dict[str, Any]]], n: int, title: str) -> None:
    """Print the runs side by side, check they agree, and give the speed-up of the median runs."""
    threads = runs[0][0]["result"]["threads"]
    print(f"-- {title} (DuckDB threads: {threads}; {len(runs)} alternating run(s) per path)")
    headers = ("wall s", 8), ("CPU s", 8), ("cm CPU", 8), ("pgm CPU", 9), ("peak MB", 9), ("pgm rows", 11)
    print(f"{'path':<22}" + "".join(f"{h:>{w}}" for h, w in headers) + f"{'deaths':>14}")
    for ibis_one, pandas_one in runs:
        for label, run in (("Ibis/DuckDB (gbvs)", ibis_one), ("pandas reference", pandas_one)):
            res = run["result"]
            per_panel = (
                f"{res['cm_cpu']:>8.1f}{res['pgm_cpu']:>9.1f}" if "cm_cpu" in res else f"{'-':>8}{'-':>9}"
            )
            print(
                f"{label:<22}{run['seconds']:>8.1f}{run['cpu']:>8.1f}{per_panel}{run['peak_mb']:>9.0f}"
                f"{int(res['pgm']['rows']):>11,}{res['pgm']['best']:>14,.0f}"
            )
    ibis_run, pandas_run = _median_run([r[0] for r in runs]), _median_run([r[1] for r in runs])
    same = all(
        int(ibis_run["result"][k]["rows"]) == int(pandas_run["result"][k]["rows"])
        and abs(ibis_run["result"][k]["best"] - pandas_run["result"][k]["best"]) < 1e-6 * max(1, n)
        for k in ("cm", "pgm")
    )
    speedup = pandas_run["seconds"] / ibis_run["seconds"]
    verdict = "met" if speedup >= 10 else "NOT met"
    cpu_ratio = pandas_run["cpu"] / ibis_run["cpu"]
    print(f"same results: {same}; speed-up {speedup:.1f}x wall (goal >= 10x: {verdict})")
    print(f"CPU time ratio (pandas / Ibis-DuckDB, both threads counted): {cpu_ratio:.1f}x")


if __name__ == "__main__":
    main()
