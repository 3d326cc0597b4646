"""The backtest report: Markdown, JSON and PNG/SVG charts (matplotlib Agg), models beside baselines."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from gbvs.forecasting.anchor import TRAINED_ON_EXPLANATION
from gbvs.forecasting.domain import SPACE_DIRECTIONS, SPACE_WINDOW, Unit
from gbvs.forecasting.evaluation import BY_YEAR_MODELS, BY_YEAR_TARGET, origin_of
from gbvs.forecasting.goals import (
    BLOCK_EXPLANATION,
    COMPARISON_NOTE,
    LEAVE_OUT_VERDICTS,
    REST_EXPLANATION,
    comparison_rows,
    goal_rows,
    left_out_words,
)
from gbvs.forecasting.uncertainty import LEVEL, RESAMPLED, RESAMPLES, Interval, LeftOut

REFERENCE = (
    "Reference figures from the issue (V-Dem universe, ACD v25.1, 1-year ahead, 2010-2023): "
    "history-only logistic "
    "incidence AP 0.872, ROC-AUC 0.961, Brier 0.0434; persistence AP 0.779; onset AP 0.233, ROC-AUC 0.811. "
    "DemSpaces v14 publishes closing PR-AUC 0.602 / ROC-AUC 0.890 and opening 0.550 / 0.883."
)


@dataclass
class ReportInput:
    """Everything one report shows."""

    title: str
    scores: pd.DataFrame
    demspaces: pd.DataFrame
    curves: dict[str, dict[str, list[float]]]
    timings: dict[str, float]
    provenance: dict[str, Any]
    notes: list[str]
    extra_sections: list[tuple[str, pd.DataFrame]]
    pit: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    """Battle-death PIT histograms: ``{"battle_deaths h1": {model: shares per tenth}}``."""
    space_curves: dict[str, dict[str, dict[str, list[float]]]] = field(default_factory=dict)
    """Reliability of the democratic-space forecasts, the six spaces pooled per direction:
    ``{"closing": {model: curve}, "opening": ...}``
    (:func:`gbvs.forecasting.evaluation.space_reliability`)."""
    intervals: dict[str, Interval] = field(default_factory=dict)
    """The 95% interval of each goal's figure by goal label
    (:func:`gbvs.forecasting.evaluation.goal_intervals`)."""
    left_out: dict[str, list[LeftOut]] = field(default_factory=dict)
    """Each goal's figure without each country and each forecast year, by goal label (what its verdict
    rests on: :func:`gbvs.forecasting.goals.rests_on`)."""
    demspaces_differences: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Main model − DemSpaces v14 per direction and metric with its interval
    (:func:`gbvs.forecasting.evaluation.demspaces_differences`)."""


def _fmt(mean: Any, std: Any) -> str:
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "n/a"
    spread = (
        "" if std is None or (isinstance(std, float) and math.isnan(std)) or std == 0 else f" ± {std:.3f}"
    )
    return f"{mean:.3f}{spread}"


TRAINED_ON_NOTE = f"trained_on: {TRAINED_ON_EXPLANATION}."
"""The report's line under the DemSpaces comparison (:class:`gbvs.forecasting.anchor.TrainedOn`)."""


def _table(frame: pd.DataFrame, metrics: list[str], keys: list[str]) -> str:
    head = "| " + " | ".join([*keys, *metrics, "n", "pos"]) + " |"
    lines = [head, "|" + "---|" * (len(keys) + len(metrics) + 2)]
    for _, row in frame.iterrows():
        cells = [str(row[k]) for k in keys] + [
            _fmt(row.get(f"{m}_mean"), row.get(f"{m}_std")) for m in metrics
        ]
        lines.append("| " + " | ".join([*cells, str(row.get("n", "")), str(row.get("positives", ""))]) + " |")
    return "\n".join(lines)


def _charts(data: ReportInput, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    figures = [("incidence, 1 year ahead", "reliability_incidence_h1", data.curves)]
    figures += [
        (f"democratic {direction}, six spaces pooled", f"reliability_{direction}", curves)
        for direction, curves in data.space_curves.items()
    ]
    for title, stem, curves in figures:
        if curves:
            fig = _reliability_figure(plt, curves, title)
            written += _save(fig, out / stem)
            plt.close(fig)
    binary = (
        data.scores[(data.scores["subset"] == "all") & data.scores["ap_mean"].notna()]
        if "ap_mean" in data.scores
        else None
    )
    if binary is not None and not binary.empty:
        pivot = binary[binary["target"].isin(["incidence", "war"])].pivot_table(
            index=["target", "horizon"], columns="model", values="ap_mean"
        )
        if not pivot.empty:
            fig, ax = plt.subplots(figsize=(7, 4))
            pivot.plot.bar(ax=ax)
            ax.set(ylabel="average precision", title="AP by target and horizon")
            fig.tight_layout()
            written += _save(fig, out / "ap_by_model")
            plt.close(fig)
    return written


def _reliability_figure(plt: Any, curves: dict[str, dict[str, list[float]]], title: str) -> Any:
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
    for model, curve in sorted(curves.items()):
        ax.plot(curve["predicted"], curve["observed"], marker="o", label=model)
    ax.set(xlabel="forecast probability", ylabel="observed frequency", title=f"Reliability: {title}")
    ax.legend()
    return fig


def _save(fig: Any, stem: Path) -> list[str]:
    names = []
    for suffix in (".png", ".svg"):
        fig.savefig(stem.with_suffix(suffix), dpi=110)
        names.append(stem.with_suffix(suffix).name)
    return names


def _goal_line(goal: dict[str, Any]) -> str:
    cells = [goal["goal"], f"{goal['value']:.4f}", goal["target"], "yes" if goal["met"] else "NO"]
    if "low" in goal:
        of = "difference " if goal.get("interval_of") == "difference" else ""
        cells += [f"{of}[{goal['low']:.4f}, {goal['high']:.4f}]", goal["sampling"]]
    return "| " + " | ".join(cells) + " |"


INTERVAL_METHOD: dict[str, Any] = {
    "level": LEVEL,
    "resamples": RESAMPLES,
    "resampled": list(RESAMPLED),
    "space_origin_block": SPACE_WINDOW,
}
"""How the report's intervals were drawn (``report.json``'s ``interval_method``; the pages cite it):
``space_origin_block``, the democratic spaces' forecast years are drawn in runs of that many
(:func:`gbvs.forecasting.evaluation.origin_blocks`)."""
INTERVAL_NOTE = (
    f"Interval: the central {LEVEL:.0%} of {RESAMPLES:,} resamples that draw the countries and, "
    "independently, the forecast years with replacement (a test row counts as often as its country times "
    "its year was drawn), each scored as the figure is (per seed, then the mean); for a goal against a "
    "baseline, of the difference main model − baseline on the same rows. Sampling: 'met' or 'missed' when "
    "the whole interval lies on one side of the line, 'undecided' when it straddles it. It measures which "
    "countries and years happened to be in the test, not a trend beyond the test years. "
    + BLOCK_EXPLANATION
    % {"years": SPACE_WINDOW}
)


def _goals_section(goals: list[dict[str, Any]]) -> list[str]:
    columns = ["goal", "value", "target", "met"]
    with_intervals = any("low" in goal for goal in goals)
    if with_intervals:
        columns += [f"{LEVEL:.0%} interval", "sampling"]
    return [
        "## Goals (main model, mean over seeds)",
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
        *(_goal_line(goal) for goal in goals),
        "",
        *([INTERVAL_NOTE, ""] if with_intervals else []),
        REFERENCE,
        "",
    ]


def _comparisons_section(comparisons: list[dict[str, Any]]) -> list[str]:
    """Point 3's threshold goals as paired comparisons with the conflict-history baseline."""
    lines = [
        "## Gain over the conflict-history baseline (main model − baseline on the same rows)",
        "",
        "| comparison | main model | baseline | difference | 95% interval of the difference | sampling |",
        "|---|---|---|---|---|---|",
    ]
    for row in comparisons:
        interval = f"[{row['low']:+.4f}, {row['high']:+.4f}]" if "low" in row else "n/a"
        lines.append(
            f"| {row['goal']} | {row['value']:.4f} | {row['baseline_value']:.4f} | {row['difference']:+.4f} "
            f"| {interval} | {row.get('sampling', 'n/a')} |"
        )
    return [*lines, "", COMPARISON_NOTE, ""]


def _rests_section(goals: list[dict[str, Any]]) -> list[str]:
    """Per goal the country and the forecast year its verdict rests on most (full runs only)."""
    resting = [goal for goal in goals if goal.get("rests_on")]
    if not resting:
        return []
    lines = [
        "## What each goal's verdict rests on most",
        "",
        "| goal | left out | figure without it | verdict |",
        "|---|---|---|---|",
    ]
    for goal in resting:
        for rest in goal["rests_on"]:
            value = (
                f"{rest['value']:+.4f}" if rest.get("value_of") == "difference" else f"{rest['value']:.4f}"
            )
            verdict = LEAVE_OUT_VERDICTS[(bool(goal["met"]), bool(rest["met"]))]
            lines.append(f"| {goal['goal']} | {left_out_words(rest)} | {value} | {verdict} |")
    return [*lines, "", REST_EXPLANATION, ""]


def markdown(
    data: ReportInput,
    goals: list[dict[str, Any]],
    charts: list[str],
    comparisons: list[dict[str, Any]] | None = None,
) -> str:
    """The report text."""
    parts = [f"# {data.title}", "", f"Provenance: `{json.dumps(data.provenance, default=str)}`", ""]
    if goals:
        parts += _goals_section(goals) + _rests_section(goals)
    if comparisons:
        parts += _comparisons_section(comparisons)
    binary = data.scores[data.scores["ap_mean"].notna()] if "ap_mean" in data.scores else data.scores.iloc[:0]
    overall = binary[binary["subset"].isin(["all", "onset"])]
    parts += [
        "## Binary targets (mean ± sd over seeds)",
        "",
        _table(
            overall, ["ap", "roc_auc", "brier", "log_loss", "ece"], ["target", "horizon", "subset", "model"]
        ),
        "",
    ]
    if "crps_mean" in data.scores:
        counts = data.scores[data.scores["crps_mean"].notna() & data.scores["subset"].isin(["all", "onset"])]
        parts += [
            "## Battle deaths (CRPS, MSLE; lower is better)",
            "",
            _table(
                counts,
                [m for m in ("crps", "msle", "cov50", "cov90", "pit50", "pit90") if f"{m}_mean" in counts],
                ["target", "horizon", "subset", "model"],
            ),
            "",
            "cov50 / cov90: share of outcomes inside the central 50% / 90% interval, bounds included (a "
            "year with 0 deaths counts as covered whenever the interval reaches 0). pit50 / pit90: the "
            "randomised-PIT coverage (Czado, Gneiting & Held 2009), the share of outcomes in the central "
            "50% / 90% of the forecast distribution with ties at 0 split evenly; calibrated: 0.50 / 0.90.",
            "",
        ]
    for title, models in data.pit.items():
        parts += [
            f"## PIT histogram, {title} (share of outcomes per tenth of the forecast distribution; "
            "calibrated: 0.10 each)",
            "",
            "| model | " + " | ".join(f"{i / 10:.1f}-{(i + 1) / 10:.1f}" for i in range(10)) + " |",
            "|---|" + "---|" * 10,
        ]
        parts += [f"| {m} | " + " | ".join(f"{v:.3f}" for v in shares) + " |" for m, shares in models.items()]
        parts += [""]
    regional = binary[
        binary["subset"].str.startswith("region:")
        & (binary["target"] == "incidence")
        & (binary["horizon"] == 1)
    ]
    if not regional.empty:
        parts += [
            "## Incidence h1 by focus region",
            "",
            _table(regional, ["ap", "roc_auc", "brier"], ["subset", "model"]),
            "",
        ]
    parts += _by_year_section(binary)
    if not data.demspaces.empty:
        parts += [
            "## Democratic spaces vs DemSpaces v14 (identical country-years, pooled over the six spaces)",
            "",
        ]
        keys = [k for k in ("direction", "model", "trained_on") if k in data.demspaces.columns]
        metrics = ["ap", "roc_auc", "brier", "log_loss"]
        parts += [_table(data.demspaces, metrics, keys), "", TRAINED_ON_NOTE, ""]
        parts += _differences(data.demspaces_differences)
    for title, table in data.extra_sections:
        parts += [
            f"## {title}",
            "",
            _table(
                table, ["ap", "roc_auc", "brier", "crps", "msle"], ["target", "horizon", "subset", "model"]
            ),
            "",
        ]
    parts += ["## Charts", ""] + [f"![{c}]({c})" for c in charts if c.endswith(".svg")] + [""]
    parts += ["## Time per stage (seconds)", ""] + [f"- {k}: {v:.1f}" for k, v in data.timings.items()] + [""]
    parts += ["## Notes", ""] + [f"- {n}" for n in data.notes]
    return "\n".join(parts) + "\n"


def _by_year_section(binary: pd.DataFrame) -> list[str]:
    """Incidence at one year, per forecast year: how the skill moved over the test years."""
    target, horizon = BY_YEAR_TARGET
    yearly = binary[
        binary["subset"].map(lambda subset: origin_of(str(subset)) is not None)
        & (binary["target"] == target)
        & (binary["horizon"] == horizon)
        & binary["model"].isin(BY_YEAR_MODELS)
    ]
    if yearly.empty:
        return []
    return [
        "## Incidence h1 by forecast year (origin:YEAR: the forecasts made with data up to YEAR)",
        "",
        _table(yearly, ["ap", "roc_auc", "brier"], ["subset", "model"]),
        "",
    ]


def _differences(table: pd.DataFrame) -> list[str]:
    if table.empty:
        return []
    lines = [
        f"Main model − DemSpaces v14 on the same country-years, with its {LEVEL:.0%} interval (both models "
        "resampled with the same countries and years):",
        "",
        "| direction | metric | difference | interval |",
        "|---|---|---|---|",
    ]
    for row in table.itertuples():
        lines.append(
            f"| {SPACE_DIRECTIONS[str(row.direction)]} | {row.metric} | {row.difference:+.4f} "
            f"| [{row.low:+.4f}, {row.high:+.4f}] |"
        )
    return [*lines, ""]


def write_report(data: ReportInput, out: Path) -> dict[str, Any]:
    """Write report.md, report.json and charts into ``out``; return the JSON payload."""
    out.mkdir(parents=True, exist_ok=True)
    charts = _charts(data, out)
    yearly = data.provenance.get("unit", "country-year") == "country-year"
    goals = (
        goal_rows(data.scores, data.demspaces, data.intervals, data.left_out) if yearly else []
    )  # the goals are country-year
    comparisons = comparison_rows(data.scores, data.intervals, data.left_out) if data.intervals else []
    payload = {
        "title": data.title,
        "provenance": data.provenance,
        "goals": goals,
        "comparisons": comparisons,
        "scores": json.loads(data.scores.to_json(orient="records")),
        "demspaces_comparison": json.loads(data.demspaces.to_json(orient="records"))
        if not data.demspaces.empty
        else [],
        "demspaces_differences": json.loads(data.demspaces_differences.to_json(orient="records"))
        if not data.demspaces_differences.empty
        else [],
        "interval_method": INTERVAL_METHOD if data.intervals else {},
        "reliability": data.curves,
        "reliability_spaces": data.space_curves,
        "pit": data.pit,
        "extra": {t: json.loads(f.to_json(orient="records")) for t, f in data.extra_sections},
        "timings": data.timings,
        "notes": data.notes,
        "charts": charts,
    }
    (out / "report.json").write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    (out / "report.md").write_text(markdown(data, goals, charts, comparisons), encoding="utf-8")
    return payload


@dataclass(frozen=True)
class RunFacts:
    """What the notes of a backtest report depend on."""

    unit: Unit
    monthly: bool
    quick: bool
    has_neighbours: bool
    has_regions: bool


QUICK_NOTE = (
    "QUICK run: fewer forecast years, horizon 1 only for conflict targets, smaller models; its figures are "
    "a smoke test, not comparable with a full backtest or with the goals."
)


def backtest_notes(facts: RunFacts) -> list[str]:
    """The notes at the end of a backtest report: data lag, choices, subsets and what is absent."""
    notes = [
        "Data lag: a forecast from origin o is made in mid o+1, when UCDP has published year o "
        "(V-Dem: March o+1); "
        "training rows need their outcome at t+h <= o. Driver indicators enter lagged one year "
        "(publication lag).",
        "Expanding window; hyper-parameters (number of trees, calibration) are chosen on the last 3 "
        "periods of "
        "each training window only; the test years are never used for choices.",
        "Onset subset: rows with no conflict at the origin (y_t = 0).",
    ]
    if not facts.has_neighbours:
        notes.append("Neighbour features are absent: the store has no ne_admin0 table.")
    if facts.quick:
        notes.append(QUICK_NOTE)
    if facts.unit is Unit.grid_month:
        notes.append(
            "Grid-month: the store's GED is UCDP's Syria release (2016-2019), so this is a "
            "Syria-only backtest "
            "over 2018-2019; conflict = at least one state-based death in the cell-month."
        )
    notes.append(
        "DemSpaces: targets coded with their ERT-lite rule (min_f 0.1) and v14 cutpoints on DemSpaces' v14 "
        "outcome file (V-Dem v14, to 2023), so origin 2021 is scored (window 2022-2023); with the older "
        "subset (to 2022) it would not be."
    )
    return notes


GRID_MONTH_HORIZONS = (1, 3, 6, 12)


def grid_month_section(payload: dict[str, Any], folder: str, panel: str) -> tuple[str, pd.DataFrame]:
    """The Syria grid-month backtest (its report's JSON) as a section of the country-year report.

    ``panel`` is the store table of the grid-month panel, whose vintage the title names.
    """
    scores = pd.DataFrame(payload["scores"])
    shown = scores[(scores["subset"] == "all") & scores["horizon"].isin(list(GRID_MONTH_HORIZONS))]
    parts = str(payload["provenance"]["data_vintage"]).split("; ")
    vintage = next((v for v in parts if v.startswith(panel)), "vintage unknown")
    title = f"Syria grid-month backtest 2018-2019 (from {folder}, {vintage})"
    return title, shown.reset_index(drop=True)
