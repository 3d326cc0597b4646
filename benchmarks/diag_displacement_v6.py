"""The v6 tables of DISPLACEMENT_BACKTEST.md from a displacement backtest's ``report.json``: per target and
horizon the main model, each baseline with a distribution and last year's value, and the published forecast
(``selected``), with CRPS, coverage and MAE; then what the inner years chose per origin. Prints Markdown.

    .venv/bin/python benchmarks/diag_displacement_v6.py <data_dir>/reports/backtest-displacement/report.json
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gbvs.forecasting.displacement.backtest import MAIN_MODEL
from gbvs.forecasting.displacement.selection import SELECTED

TARGETS = ("asylum_nl", "new_displacement")
HORIZONS = (1, 2)
BASELINES = ("last_value_spread", "history", "last_value")
NAMES = {MAIN_MODEL: "model", "last_value_spread": "past changes", "history": "history only"}


def _amount(target: str) -> Callable[[float], str]:
    return (lambda v: f"{v:,.1f}") if target == "asylum_nl" else (lambda v: f"{v:,.0f}")


def _change(value: float, against: float) -> str:
    return f"{(value / against - 1) * 100:+.1f}%".replace("-", "−")


def score_lines(scores: list[dict[str, Any]]) -> list[str]:
    """The published forecast against the main model and the baselines, per target and horizon."""
    by = {(s["target"], int(s["horizon"]), s["model"]): s for s in scores}
    lines = [
        "| target | h | n | main model (sd) | past changes | history only | last value | published (sd) "
        "| vs model | vs past changes | vs history only | vs last value | cover 50% / 90% model → published "
        "| MAE log1p model → published |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for target in TARGETS:
        amount = _amount(target)
        for h in HORIZONS:
            model, chosen = by[(target, h, MAIN_MODEL)], by[(target, h, SELECTED)]
            others = [by[(target, h, name)]["crps"] for name in BASELINES]
            changes = [_change(chosen["crps"], v) for v in [model["crps"], *others]]
            lines.append(
                f"| {target} | {h} | {int(chosen['n'])} | "
                f"{amount(model['crps'])} ({amount(model['crps_sd'])}) | "
                + " | ".join(amount(v) for v in others)
                + f" | {amount(chosen['crps'])} ({amount(chosen['crps_sd'])}) | "
                + " | ".join(changes)
                + f" | {model['coverage50']:.2f} / {model['coverage90']:.2f} → {chosen['coverage50']:.2f} / "
                f"{chosen['coverage90']:.2f} | {model['mae_log1p']:.3f} → {chosen['mae_log1p']:.3f} |"
            )
    return lines


def choice_lines(published: list[dict[str, Any]]) -> list[str]:
    """What the inner years chose at each origin (empty: no forecast year of that horizon is scored)."""
    chosen = {(p["target"], int(p["horizon"]), int(p["origin"])): p["selected_model"] for p in published}
    lines = [
        "| origin | asylum h1 | asylum h2 | new displacement h1 | new displacement h2 |",
        "|---|---|---|---|---|",
    ]
    for origin in sorted({key[2] for key in chosen}):
        cells = [NAMES.get(chosen.get((t, h, origin), ""), "") for t in TARGETS for h in HORIZONS]
        lines.append(f"| {origin} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("report", type=Path, help="report.json of `gbvs displacement backtest`")
    report = json.loads(parser.parse_args().report.read_text(encoding="utf-8"))
    print("\n".join([*score_lines(report["scores"]), "", *choice_lines(report["published"])]))
    print(json.dumps(report["facts"], indent=1, default=str))


if __name__ == "__main__":
    main()
