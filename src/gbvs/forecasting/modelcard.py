"""Generated model cards: data, targets, horizons, backtest figures and known limits, per model."""

from __future__ import annotations

from typing import Any

from gbvs.forecasting.domain import TARGETS

MODELS: dict[str, str] = {
    "lgbm": "LightGBM per target and horizon on conflict history (time since, decays, lags, moving sums, "
    "non-state conflict history, neighbour conflict via shared borders, conflict in the wider region of "
    "neighbours' neighbours), V-Dem space dynamics (levels, 1/2/3/5-year changes, volatility, distance "
    "from the 5-year high and low, past openings/closings and years since, the world's mean change, "
    "neighbours' spaces) and the strategy's driver indicators (missing values handled by the trees). "
    "Hyper-parameters (defaults or a regularised candidate), the number of trees and the Platt "
    "calibration are chosen on the last three years of each training window. Live forecast: mean "
    "over 3 seeds, with the spread over seeds. "
    "Battle deaths (country-year): a hurdle, P(any deaths) from the calibrated incidence classifier "
    "times the deaths given that there are any, from LightGBM quantile regression of log1p(deaths) "
    "(levels 2-98%, trees and a conformal shift per level chosen on the inner window); samples are the "
    "mixture's quantiles, capped at the country's largest count of the last four years plus the rise "
    "that 99% of training cases stayed below. Grid-month: LightGBM on log1p(deaths) plus inner-window "
    "residuals by prediction bin.",
    "history_logit": "Logistic regression on y_t and 2^(-years since last event / 2).",
    "persistence": "y_t carried forward.",
    "zero": "Always zero.",
    "conflictology": "Bootstrap of the unit's own recent battle deaths (battle deaths only).",
}
LIMITS: tuple[str, ...] = (
    "UCDP counts only organised violence with a government or formal side and >= 25 battle-related deaths "
    "a year; it misses most gang and criminal violence (e.g. Haiti, parts of the Caribbean and "
    "Latin America).",
    "Battle deaths start in 1989; earlier years carry no death counts.",
    "Driver indicators (Gapminder/WDI, EPR) have gaps and publication lags; they enter lagged one year.",
    "The DemSpaces comparison uses DemSpaces' own v14 outcome file (V-Dem v14, to 2023).",
    "V-Dem v14 indicators enter unlagged (published in March of the next year); the covariates "
    "(population, age structure, GDP, child mortality, food security, coups, state age) lagged one year.",
    "The grid-month backtest covers Syria only (UCDP's Syria GED release); the global GED is not in "
    "the mirror.",
    "Probabilities are calibrated on recent training years; a sudden regime change (e.g. a new war type) "
    "is not anticipated by history-driven models.",
)


def model_card(model: str, report: dict[str, Any] | None) -> str:
    """Markdown model card for ``model`` (figures from a backtest report JSON when given)."""
    lines = [
        f"# Model card: {model}",
        "",
        MODELS.get(model, "(unknown model)"),
        "",
        "## Targets and horizons",
        "",
    ]
    lines += [f"- `{t.name}` ({t.kind.value}): {t.description}" for t in TARGETS.values()]
    lines += [
        "",
        "Country-year horizons 1-3 years (DemSpaces targets: the two-year window); monthly units "
        "1-12 months.",
        "",
    ]
    lines += ["## Data", ""]
    if report:
        lines += [f"- provenance: {report.get('provenance')}"]
        lines += [
            "",
            "## Backtest figures (mean over seeds)",
            "",
            "| target | h | subset | AP | ROC-AUC | Brier | CRPS |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in report.get("scores", []):
            if row["model"] == model and row["subset"] in ("all", "onset"):
                lines.append(
                    f"| {row['target']} | {row['horizon']} | {row['subset']} | {_f(row.get('ap_mean'))} | "
                    f"{_f(row.get('roc_auc_mean'))} | {_f(row.get('brier_mean'))} | "
                    f"{_f(row.get('crps_mean'))} |"
                )
    else:
        lines += ["- no backtest stored yet: run `gbvs backtest`"]
    lines += ["", "## Known limits", ""] + [f"- {limit}" for limit in LIMITS]
    return "\n".join(lines) + "\n"


def _f(value: Any) -> str:
    return "n/a" if value is None else f"{float(value):.3f}"
