"""Benchmark (not a test): the conflict models with and without the feature screen, side by side.

Runs the country-year backtest of one or more conflict targets twice in this process, on the same
store and the same machine load: once with every feature (``screen=0``, the v3.1 models) and once
with the engine's screen (``engine.feature_screen``, v3.2). Prints per run the wall time, the CPU
time of this process and its children (worker processes), the load average before and after, and
the main model's scores per target and horizon (AP, Brier, onset AP / ROC-AUC; battle deaths CRPS).
The 2-core machine is shared, so wall time alone says little: compare the CPU times. Usage::

    .venv/bin/python benchmarks/bench_screen.py --data-dir DIR [--targets incidence] [--seeds 1]
        [--horizons 1] [--jobs 1] [--only-new]
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

import pandas as pd

from gbvs.config import load_settings
from gbvs.forecasting.backtest import BacktestPlan, run_backtest
from gbvs.forecasting.domain import parse_target, parse_unit
from gbvs.forecasting.metrics import score_group
from gbvs.forecasting.planning import CONFLICT_YEARS
from gbvs.forecasting.service import load_inputs
from gbvs.store import open_store


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _scores(pred: pd.DataFrame) -> list[str]:
    lines = []
    main = pred[pred["model"] == "lgbm"]
    for (target, horizon), rows in main.groupby(["target", "horizon"]):
        per_seed = [score_group(group, str(group["kind"].iloc[0])) for _, group in rows.groupby("seed")]
        if "crps" in per_seed[0]:
            crps = sum(s["crps"] for s in per_seed) / len(per_seed)
            lines.append(f"  {target} h{horizon}: CRPS {crps:.1f}")
            continue
        onset = [score_group(group[group["onset_subset"]], "binary") for _, group in rows.groupby("seed")]
        mean = {key: sum(s[key] for s in per_seed) / len(per_seed) for key in ("ap", "brier")}
        onset_ap = sum(s["ap"] for s in onset) / len(onset)
        onset_auc = sum(s["roc_auc"] for s in onset) / len(onset)
        lines.append(
            f"  {target} h{horizon}: AP {mean['ap']:.3f} Brier {mean['brier']:.4f} "
            f"onset AP {onset_ap:.3f} ROC-AUC {onset_auc:.3f}"
        )
    return lines


def main() -> None:
    """Run both variants and print their cost and scores."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--targets", nargs="+", default=["incidence"])
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--horizons", type=int, nargs="+", default=[1])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--only-new", action="store_true", help="Skip the run with every feature.")
    options = parser.parse_args()
    os.environ["GBVS_DATA_DIR"] = str(options.data_dir)
    settings = load_settings()
    spec = parse_unit("country-year")
    with open_store(settings.resolved_store_path) as store:
        inputs = load_inputs(store, spec, want_demspaces=False)
    first, last = CONFLICT_YEARS.full
    targets = tuple(parse_target(name) for name in options.targets)
    variants = (
        [(None, "screened (v3.2)")]
        if options.only_new
        else [(0, "every feature (v3.1)"), (None, "screened (v3.2)")]
    )
    for screen, name in variants:
        plan = BacktestPlan(
            spec,
            targets,
            first,
            last,
            tuple(range(options.seeds)),
            tuple(options.horizons),
            n_jobs=options.jobs,
            screen=screen,
        )
        load_before = os.getloadavg()
        cpu, wall = _cpu(), time.perf_counter()
        result = run_backtest(inputs.panel, plan, None, inputs.neighbours)
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        load_after = os.getloadavg()
        print(
            f"== {name}: {wall:.1f}s wall, {cpu:.1f}s CPU (process + workers); "
            f"load {load_before[0]:.1f} -> {load_after[0]:.1f}"
        )
        for stage, seconds in result.timings.items():
            print(f"  {stage:<24} {seconds:8.1f}s")
        print("\n".join(_scores(result.predictions)), flush=True)


if __name__ == "__main__":
    main()
