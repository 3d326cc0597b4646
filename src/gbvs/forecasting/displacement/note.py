"""The displacement backtest's report text (pure): the figures table and the notes."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from gbvs.forecasting.displacement.targets import HORIZONS, TARGETS

MODEL_NAMES: dict[str, str] = {
    "last_value": "last year's value (point)",
    "last_value_spread": "last year's value x past changes",
    "trend": "short trend (point)",
    "history": "LightGBM, displacement history only",
    "lgbm": "LightGBM, history + conflict + drivers + conflict forecasts, calibrated (main)",
    "selected": "published: main model or baseline, chosen on the inner years (v6)",
}


@dataclass(frozen=True)
class RunFacts:
    """What a run covered and how long it took."""

    first: int
    last: int
    seeds: int
    vintage: str
    model_version: str
    timings: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for report.json."""
        return asdict(self)


def _fmt(value: float, digits: int = 3) -> str:
    return "n/a" if pd.isna(value) else f"{value:,.{digits}f}"


def figures_table(scores: pd.DataFrame) -> str:
    """Markdown table: one row per target, horizon and model."""
    lines = [
        "| target | h | model | n | CRPS | CRPS vs last value | MAE log1p | cover 50% | cover 90% "
        "| rank top-20 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (target, horizon), group in scores.groupby(["target", "horizon"], sort=False):
        reference = group.loc[group["model"] == "last_value", "crps"]
        base = float(reference.iloc[0]) if len(reference) else float("nan")
        for _, row in group.iterrows():
            ratio = row["crps"] / base - 1 if base else float("nan")
            lines.append(
                f"| {target} | {horizon} | {MODEL_NAMES.get(row['model'], row['model'])} | {int(row['n'])} | "
                f"{_fmt(row['crps'], 0)} | {ratio:+.1%} | {_fmt(row['mae_log1p'])} | "
                f"{_fmt(row['coverage50'], 2)} | {_fmt(row['coverage90'], 2)} | {_fmt(row['rank_top'], 2)} |"
            )
    return "\n".join(lines)


def choices_table(choices: pd.DataFrame) -> str:
    """Markdown table of what the main model chose on its inner windows (see ``scores.choice_table``)."""
    if choices.empty:
        return ""
    shares = [c for c in choices.columns if c.startswith(("share ", "bound "))]
    head = ["target", "h", "fits", *[c.removeprefix("share ") for c in shares]]
    head += ["mean widening", "mean share of spread baseline", "inner CRPS with cf", "inner CRPS without cf"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for _, row in choices.iterrows():
        cells = [str(row["target"]), str(row["horizon"]), str(int(row["fits"]))]
        cells += [f"{row[c]:.0%}" for c in shares]
        cells += [
            _fmt(row["scale"], 2),
            _fmt(row["blend"], 2),
            _fmt(row["inner_cf"], 1),
            _fmt(row["inner_no_cf"], 1),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def bounds_table(bounds: pd.DataFrame) -> str:
    """Markdown table of the bound the main model chose at each origin (see ``scores.bound_table``): one
    row per origin, one column per target and horizon, the seeds' choices in seed order."""
    if bounds.empty:
        return ""
    columns = list(dict.fromkeys(zip(bounds["target"], bounds["horizon"], strict=True)))
    cells = {(r["target"], r["horizon"], r["origin"]): "; ".join(r["bounds"]) for _, r in bounds.iterrows()}
    head = ["origin", *[f"{t} h{h}" for t, h in columns]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for origin in sorted(bounds["origin"].unique()):
        row = [str(origin), *[cells.get((t, h, origin), "") for t, h in columns]]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def published_table(published: pd.DataFrame) -> str:
    """Markdown table of the forecast published at each origin (``selection.published_table``): one row
    per origin, one column per target and horizon."""
    if published.empty:
        return ""
    columns = list(dict.fromkeys(zip(published["target"], published["horizon"], strict=True)))
    cells = {(r["target"], r["horizon"], r["origin"]): r["selected_model"] for _, r in published.iterrows()}
    head = ["origin", *[f"{t} h{h}" for t, h in columns]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for origin in sorted(published["origin"].unique()):
        row = [str(origin), *[str(cells.get((t, h, origin), "")) for t, h in columns]]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def training_cutoffs(facts: RunFacts) -> str:
    """The run's training cutoffs: each forecast's model sees the data up to its origin, the forecast year
    minus the horizon."""
    first, last = facts.first - max(HORIZONS), facts.last - min(HORIZONS)
    return f"training cutoff: the origin of each forecast (rolling origin), {first}-{last}"


def render(
    scores: pd.DataFrame,
    facts: RunFacts,
    choices: pd.DataFrame | None = None,
    bounds: pd.DataFrame | None = None,
    published: pd.DataFrame | None = None,
) -> str:
    """The whole report.md."""
    targets = "\n".join(f"- `{t.name}`: {t.description}." for t in TARGETS.values())
    timing = ", ".join(f"{k} {v:.0f} s" for k, v in facts.timings.items())
    return (
        f"# Displacement backtest, forecast years {facts.first}-{facts.last}\n\n"
        f"Targets:\n{targets}\n\n"
        f"{figures_table(scores)}\n\n"
        'CRPS in persons (applications) per origin-year, lower is better; "vs last value" is the change '
        "against last year's value. Coverage: share of outcomes inside the central 50% / 90% interval. "
        "Rank top-20: Spearman correlation of forecast medians and outcomes among each year's 20 largest "
        "origins, mean over years. Seeded models: mean over "
        f"{facts.seeds} seed(s).\n\n"
        "What the main model chose on its inner windows (share of fits per candidate and per bound; cf = "
        "conflict forecasts):\n\n"
        f"{choices_table(choices if choices is not None else pd.DataFrame())}\n\n"
        "The bound chosen at each origin (one entry per seed):\n\n"
        f"{bounds_table(bounds if bounds is not None else pd.DataFrame())}\n\n"
        "The forecast published at each origin (v6: the main model or a baseline, whichever had the lower "
        "CRPS on the three forecast years up to the origin):\n\n"
        f"{published_table(published if published is not None else pd.DataFrame())}\n\n"
        f"Model version {facts.model_version}; data {facts.vintage}; {training_cutoffs(facts)}.\n\n"
        f"Time: {timing}.\n"
    )
