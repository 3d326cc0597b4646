"""Write a small forecasts file (two forecast runs and one backtest report) with the store's own
writer (tests only; the numbers are made up)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pandas as pd

from gbvs.config import Settings
from gbvs.forecasting.anchor import PUBLISHED_MODEL, trained_on
from gbvs.store.forecasts import StoredRun, forecasts_path, writing_forecasts

PROBABILITIES = {652: (0.92, 0.80), 432: (0.61, 0.35), 369: (0.55, 0.58), 210: (0.01, 0.01)}  # now, before
BATTLE_DEATHS_QUANTILES = {"q05": 0.0, "q25": 8.0, "q50": 40.0, "q75": 900.0, "q95": 113_761.0}
FAMILIES = {"conflict_history": 1.8, "illegitimate_governance": 0.4, "poverty_inequality": -0.2}
COUNTRY_FAMILIES = {  # the latest run's contributions per country (Syria: FAMILIES)
    652: FAMILIES,
    432: {"conflict_history": 1.2, "illegitimate_governance": 0.9, "poverty_inequality": -0.1},
    369: {"conflict_history": 1.0, "illegitimate_governance": -0.3, "poverty_inequality": -0.4},
    210: {"conflict_history": -1.5, "illegitimate_governance": -0.8, "poverty_inequality": -0.5},
}
"""The median country (of four: the mean of the middle two) is conflict history +1.1, governance
+0.05, poverty -0.3; Syria and Mali share their two largest families but differ from the median in
different ones. The previous run's conflict history is 0.3 lower everywhere."""
PREVIOUS_SHIFT = 0.3


def build_forecasts(
    settings: Settings,
    backtest_title: str = "Backtest country-year (test)",
    leave_out: frozenset[int] = frozenset(),
) -> None:
    """Two runs (previous and latest) for four countries (but those in ``leave_out``, by gwcode), plus a
    backtest report."""
    _forecast_run(settings, "forecast-old", datetime(2026, 1, 1), index=1, leave_out=leave_out)
    _forecast_run(settings, "forecast-new", datetime(2026, 6, 1), index=0, leave_out=leave_out)
    _backtest(settings, backtest_title)
    _displacement_run(settings)


def build_first_run(settings: Settings) -> None:
    """Only the latest of :func:`build_forecasts`' runs (a first forecast: nothing to compare with)."""
    _forecast_run(settings, "forecast-new", datetime(2026, 6, 1), index=0, leave_out=frozenset())


def stored_run(run_id: str, kind: str, created: datetime, **changes: object) -> StoredRun:
    """A conflict run (country-year, model lgbm-test-1, data up to 2023) with ``changes`` to its fields."""
    fields: dict[str, object] = {
        "run_id": run_id,
        "kind": kind,
        "created_at": created,
        "unit": "country-year",
        "model": "lgbm",
        "model_version": "lgbm-test-1",
        "training_cutoff": 2023,
        "data_vintage": "UCDP ACD 25.1 (2023)",
        "seed": 0,
        "config": "{}",
    }
    return StoredRun(**{**fields, **changes})  # type: ignore[arg-type]


def _forecast_run(
    settings: Settings, run_id: str, created: datetime, index: int, leave_out: frozenset[int]
) -> None:
    rows = []
    for gwcode, pair in PROBABILITIES.items():
        if gwcode in leave_out:
            continue
        for horizon in (1, 2, 3):
            p = max(0.0, pair[index] - 0.05 * (horizon - 1))
            rows.append(
                _forecast_row(run_id, gwcode, "incidence", horizon, p) | _spread(p) | _families(gwcode, index)
            )
        rows.append(_forecast_row(run_id, gwcode, "war", 1, pair[index] / 3) | _families(gwcode, index))
    if index == 0:  # the latest run also has a count target and democratic-space targets (Syria, Mali)
        rows.append(_forecast_row(run_id, 652, "battle_deaths", 1, None) | BATTLE_DEATHS_QUANTILES)
        rows.append(_forecast_row(run_id, 652, "opening_economic", 1, 0.62))
        rows.append(_forecast_row(run_id, 432, "closing_economic", 1, 0.45))
    with writing_forecasts(forecasts_path(settings)) as forecasts:
        forecasts.add_run(stored_run(run_id, "forecast", created))
        forecasts.add_forecasts(run_id, pd.DataFrame(rows).drop(columns="run_id"))


def _families(gwcode: int, index: int) -> dict[str, object]:
    families = dict(COUNTRY_FAMILIES[gwcode])
    families["conflict_history"] -= PREVIOUS_SHIFT * index  # index 1: the previous run
    return {"families": json.dumps(families)}


def _spread(p: float) -> dict[str, object]:
    """The spread over seeds of the latest forecasting version (p_min, p_max, p_sd)."""
    return {"p_min": max(0.0, p - 0.03), "p_max": min(1.0, p + 0.04), "p_sd": 0.02}


def _forecast_row(run_id: str, gwcode: int, target: str, horizon: int, p: float | None) -> dict[str, object]:
    return {
        "run_id": run_id,
        "unit_key": gwcode,
        "origin": 2023,
        "target": target,
        "horizon": horizon,
        "forecast_period": 2023 + horizon,
        "p": p,
        "q05": None if p is None else max(0.0, p - 0.1),
        "q25": None,
        "q50": None,
        "q75": None,
        "q95": None if p is None else min(1.0, p + 0.1),
        "families": json.dumps(FAMILIES),
        "summary": "risk up mainly from conflict history and illegitimate governance",
    }


def _backtest(settings: Settings, title: str) -> None:
    scores = [
        {
            "model": model,
            "target": "incidence",
            "horizon": 1,
            "subset": subset,
            "ap_mean": ap,
            "ap_std": 0.01,
            "brier_mean": 0.04,
            "brier_std": 0.001,
            "roc_auc_mean": 0.95,
            "roc_auc_std": 0.002,
            "n": 2000,
            "positives": 200,
            "seeds": 2,
        }
        for model, ap in (("lgbm", 0.9), ("persistence", 0.78))
        for subset in ("all", "onset", "region:sahel")
    ]
    scores += [  # skill per forecast year: ours and conflict history alone, incidence one year ahead
        {"model": model, "target": "incidence", "horizon": 1, "subset": f"origin:{year}", "ap_mean": ap,
         "ap_std": 0.02, "brier_mean": brier, "brier_std": 0.001, "n": 170, "positives": positives,
         "seeds": 2}
        for year, model, ap, brier, positives in (
            (2022, "lgbm", 0.9012, 0.0452, 31), (2022, "history_logit", 0.8231, 0.0511, 31),
            (2021, "lgbm", 0.9412, 0.0361, 29), (2021, "history_logit", 0.8648, 0.0432, 29),
        )
    ]  # fmt: skip
    report = {
        "title": title,
        "provenance": {"data_vintage": "UCDP ACD 25.1 (2023)"},
        "goals": [
            {"goal": "incidence h1, all rows: ap", "value": 0.9, "target": ">= 0.9", "met": True},
            {  # a full backtest's goal: the 95% interval from resampling countries, and where it lies
                "goal": "incidence h1, onset subset: ap",
                "value": 0.2951,
                "target": ">= 0.3",
                "met": False,
                "interval_of": "value",
                "low": 0.2213,
                "high": 0.3716,
                "sampling": "undecided",
                "rests_on": [  # what the verdict rests on most: without one country, one forecast year
                    {"left_out": "country", "unit": 2, "value": 0.3104, "value_of": "value", "met": True},
                    {"left_out": "origin", "unit": 2016, "value": 0.2987, "value_of": "value", "met": False},
                ],
            },
            {
                "goal": "battle_deaths h1, all rows: crps vs persistence",
                "value": 325.8,
                "target": "< persistence (385.9)",
                "met": True,
                "interval_of": "difference",
                "low": -92.43,
                "high": -31.07,
                "sampling": "met",
                "rests_on": [
                    {
                        "left_out": "country",
                        "unit": 530,
                        "value": 13.04,
                        "value_of": "difference",
                        "met": False,
                    },
                    {
                        "left_out": "origin",
                        "unit": 2022,
                        "value": -40.2,
                        "value_of": "difference",
                        "met": True,
                    },
                ],
            },
        ],
        "comparisons": [  # the conflict goals against the conflict-history baseline on the same rows
            {
                "goal": "incidence h1, onset subset: ap vs history_logit",
                "value": 0.2951,
                "met": True,
                "target": ">= history_logit (0.2391)",
                "interval_of": "difference",
                "low": 0.0112,
                "high": 0.0954,
                "sampling": "met",
                "baseline": "history_logit",
                "baseline_value": 0.2391,
                "difference": 0.056,
                "rests_on": [  # a comparison rests on a country and a year too
                    {
                        "left_out": "country",
                        "unit": 652,
                        "value": 0.0071,
                        "value_of": "difference",
                        "met": True,
                    },
                    {
                        "left_out": "origin",
                        "unit": 2009,
                        "value": 0.0125,
                        "value_of": "difference",
                        "met": True,
                    },
                ],
            },
            {
                "goal": "incidence h1, all rows: brier vs history_logit",
                "value": 0.03871,
                "met": True,
                "target": "<= history_logit (0.04392)",
                "interval_of": "difference",
                "low": -0.0091,
                "high": 0.0012,
                "sampling": "undecided",
                "baseline": "history_logit",
                "baseline_value": 0.04392,
                "difference": -0.00521,
            },
        ],
        "scores": scores,
        "demspaces_comparison": [
            {
                "model": model,
                "direction": "down",
                "ap_mean": ap,
                "roc_auc_mean": auc,
                "trained_on": trained_on(model),
            }
            for model, ap, auc in (("lgbm", 0.63, 0.9), (PUBLISHED_MODEL, 0.6, 0.89))
        ],
        # as the reports say
        "interval_method": {"level": 0.95, "resamples": 2000, "resampled": ["country", "origin"]},
        "demspaces_differences": [
            {
                "direction": "down",
                "metric": "ap",
                "difference": -0.184,
                "low": -0.231,
                "high": -0.139,
                "n": 17178,
            }
        ],
        "reliability": {
            "lgbm": {"predicted": [0.05, 0.5, 0.9], "observed": [0.04, 0.45, 0.93], "count": [900, 50, 50]}
        },
        "reliability_spaces": {  # the democratic-space curves, closing only (an opening-free run)
            "closing": {"lgbm": {"predicted": [0.06, 0.41], "observed": [0.03, 0.377], "count": [700, 61]}}
        },
        "notes": ["test report"],
    }
    with writing_forecasts(forecasts_path(settings)) as forecasts:
        forecasts.add_run(stored_run("backtest-1", "backtest", datetime(2026, 5, 1)))
        forecasts.add_backtest_report("backtest-1", json.dumps(report))
        forecasts.add_forecasts("backtest-1", pd.DataFrame(BACKTEST_ROWS))


def _backtest_row(gwcode: int, origin: int, p: float) -> dict[str, object]:
    return {"unit_key": gwcode, "origin": origin, "target": "incidence", "horizon": 1,
            "forecast_period": origin + 1, "p": p}  # fmt: skip


BACKTEST_ROWS = [  # the main model's out-of-sample forecasts the backtest keeps (origin = data up to)
    *(
        _backtest_row(652, origin, p)
        for origin, p in zip(range(2018, 2023), (0.9, 0.85, 0.95, 0.9, 0.97), strict=True)
    ),
    *(
        _backtest_row(210, origin, p)
        for origin, p in ((2021, 0.02), (2022, 0.01))
    ),
    {"unit_key": 652, "origin": 2021, "target": "battle_deaths", "horizon": 1, "forecast_period": 2022,
     "q05": 500.0, "q25": 1500.0, "q50": 2500.0, "q75": 4000.0, "q95": 6000.0},
    {"unit_key": 652, "origin": 2022, "target": "battle_deaths", "horizon": 1, "forecast_period": 2023,
     "q05": 100.0, "q25": 400.0, "q50": 800.0, "q75": 1500.0, "q95": 3000.0},
]  # fmt: skip
"""Syria's incidence Brier score is mean((1 - p)²) = 0.0459 / 5 = 0.00918 (persistence: 0); its deaths
(3,000 in 2022, 4,000 in 2023 in the small store) fall once inside the 5-95% range; the Netherlands'
Brier score is (0.0004 + 0.0001) / 2 = 0.00025."""


def add_scored_live_run(settings: Settings) -> None:
    """An older live run (made 1 Jan 2024 with data up to 2022) whose forecast for 2023 is in the store:
    Syria's conflict 88% (Brier (1 - 0.88)² = 0.0144)."""
    row = _forecast_row("forecast-2022", 652, "incidence", 1, 0.88) | {
        "origin": 2022,
        "forecast_period": 2023,
    }
    run = stored_run("forecast-2022", "forecast", datetime(2024, 1, 1), training_cutoff=2022)
    with writing_forecasts(forecasts_path(settings)) as forecasts:
        forecasts.add_run(run)
        forecasts.add_forecasts("forecast-2022", pd.DataFrame([row]).drop(columns="run_id"))


ASYLUM_MEDIANS = {652: 15000.0, 432: 400.0, 369: 2500.0, 210: 0.0}
"""Median forecast asylum applications in the Netherlands (issue 17), horizon 1; horizon 2 is 10% more."""


def _displacement_run(settings: Settings) -> None:
    """A displacement forecast run (unit origin-year): both targets, horizons 1 and 2, quantiles."""
    from gbvs.forecasting.displacement.service import UNIT

    rows = []
    for gwcode, median in ASYLUM_MEDIANS.items():
        for horizon in (1, 2):
            for target, centre in (("asylum_nl", median), ("new_displacement", 10 * median)):
                m = centre * (1 + 0.1 * (horizon - 1))
                quantiles = {"q05": 0.4 * m, "q25": 0.8 * m, "q50": m, "q75": 1.2 * m, "q95": 2.0 * m}
                rows.append(
                    {"unit_key": gwcode, "origin": 2023, "target": target, "horizon": horizon,
                     "forecast_period": 2023 + horizon, **quantiles}
                )  # fmt: skip
    run = StoredRun(
        run_id="displacement-test",
        kind="forecast",
        created_at=datetime(2026, 6, 2),
        unit=UNIT,
        model="lgbm",
        model_version="displacement-test-1",
        training_cutoff=2023,
        data_vintage="UNHCR refugees 2025.12.1 (2023)",
        seed=0,
        config="{}",
    )
    with writing_forecasts(forecasts_path(settings)) as forecasts:
        forecasts.add_run(run)
        forecasts.add_forecasts(run.run_id, pd.DataFrame(rows))


DISPLACEMENT_CRPS: dict[tuple[str, int], dict[str, float]] = {
    ("asylum_nl", 1): {
        "last_value": 67.2, "last_value_spread": 51.6, "trend": 109.6, "history": 62.3, "lgbm": 59.9
    },
    ("asylum_nl", 2): {
        "last_value": 96.4, "last_value_spread": 70.5, "trend": 230.4, "history": 81.0, "lgbm": 81.0
    },
    ("new_displacement", 1): {
        "last_value": 15906.0, "last_value_spread": 12482.0, "trend": 26212.0, "history": 11755.0,
        "lgbm": 12125.0,
    },
    ("new_displacement", 2): {
        "last_value": 19069.0, "last_value_spread": 15154.0, "trend": 38584.0, "history": 15650.0,
        "lgbm": 15253.0,
    },
}  # fmt: skip
"""A displacement backtest's CRPS per target, horizon and model (v3's full run, rounded): asylum
applications lose to the past-changes baseline by 59.9 / 51.6 - 1 = 16.1% at one year."""


def add_displacement_backtest(
    settings: Settings, model_version: str = "displacement-test-1", quick: bool = False, crps_sd: float = 0.1
) -> StoredRun:
    """Keep a displacement backtest (forecast years 2010-2023, 3 seeds) with the service's own writer; every
    CRPS varied by ``crps_sd`` over the seeds."""
    from gbvs.forecasting.displacement.service import store_backtest

    scores = [
        {"target": target, "horizon": horizon, "model": model, "n": 2406, "crps": value, "mae_log1p": 0.5,
         "coverage50": 0.68, "coverage90": 0.92, "rank_top": 0.78, "crps_sd": crps_sd, "seeds": 3}
        for (target, horizon), models in DISPLACEMENT_CRPS.items()
        for model, value in models.items()
    ]  # fmt: skip
    facts = {"first": 2010, "last": 2023, "seeds": 3, "vintage": "UNHCR refugees 2025.12.1 (2023)",
             "model_version": model_version, "timings": {}}  # fmt: skip
    return store_backtest(settings, {"scores": scores, "choices": [], "facts": facts, "quick": quick})


BASELINE_FACTORS: dict[str, float] = {
    "last_value": 0.9,
    "last_value_spread": 0.7,
    "trend": 1.3,
    "history": 1.1,
}
"""Each baseline's forecast beside ``displacement-test``: the run's quantiles times this factor."""


def add_displacement_baselines(settings: Settings) -> list[StoredRun]:
    """Keep each baseline's forecast beside the displacement run ``displacement-test`` as the live
    service keeps them (``service.baseline_run``): its rows' quantiles times :data:`BASELINE_FACTORS`."""
    from gbvs.forecasting.displacement.service import UNIT, baseline_run
    from gbvs.store.forecasts import open_forecasts

    with open_forecasts(forecasts_path(settings)) as forecasts:
        [run] = [r for r in forecasts.runs("forecast", UNIT) if r.run_id == "displacement-test"]
        rows = forecasts.forecast_rows(run.run_id)
    columns = [
        "unit_key",
        "origin",
        "target",
        "horizon",
        "forecast_period",
        "q05",
        "q25",
        "q50",
        "q75",
        "q95",
    ]
    kept = []
    with writing_forecasts(forecasts_path(settings)) as writer:
        for name, factor in BASELINE_FACTORS.items():
            stored = baseline_run(run, name, [0, 1, 2])
            frame = rows[columns].copy()
            frame[["q05", "q25", "q50", "q75", "q95"]] *= factor
            writer.add_run(stored)
            writer.add_forecasts(stored.run_id, frame)
            kept.append(stored)
    return kept


SELECTION: list[dict[str, object]] = [
    {"target": "asylum_nl", "horizon": 1, "origin": 2023, "chosen": "last_value_spread",
     "inner_years": [2021, 2022, 2023],
     "inner_crps": {"lgbm": 64.3, "last_value_spread": 50.9, "history": 62.4}},
    {"target": "asylum_nl", "horizon": 2, "origin": 2023, "chosen": "lgbm",
     "inner_years": [2021, 2022, 2023],
     "inner_crps": {"lgbm": 70.2, "last_value_spread": 71.6, "history": 80.0}},
]  # fmt: skip
"""What a v6 run publishes for asylum applications: at one year the past-changes baseline (better in the
validation), at two the model; the figures are the run's own, on its validation years 2021-2023."""


def mark_selection(settings: Settings, validated_in: str | None = None) -> None:
    """Give the displacement run ``displacement-test`` the selection of a v6 run (:data:`SELECTION`), as
    ``service.forecast`` keeps it in the run's config; with ``validated_in``, also the validation that
    chose it, made in that run on 1 December 2026 (the run's own id: made in the run itself)."""
    from dataclasses import replace

    from gbvs.forecasting.displacement.service import UNIT
    from gbvs.store.forecasts import open_forecasts

    with open_forecasts(forecasts_path(settings)) as forecasts:
        [run] = [r for r in forecasts.runs("forecast", UNIT) if r.run_id == "displacement-test"]
        rows = forecasts.forecast_rows(run.run_id)
    kept: dict[str, Any] = {"selection": SELECTION}
    if validated_in is not None:
        key = {"model_version": run.model_version, "data_vintage": run.data_vintage, "origin": 2023}
        kept["validation"] = {
            "key": key
            | {"targets": ["asylum_nl"], "horizons": [1, 2], "seeds": [0]}
            | {"candidates": ["lgbm", "last_value_spread", "history"], "inner_years": 3},
            "run_id": validated_in,
            "created_at": "2026-12-01T09:30:00",
        }
    config = json.dumps(kept)
    selected = replace(run, run_id="displacement-test-v6", created_at=datetime(2026, 6, 3), config=config)
    keys = ["unit_key", "origin", "target", "horizon", "forecast_period", "q05", "q25", "q50", "q75", "q95"]
    with writing_forecasts(forecasts_path(settings)) as writer:
        writer.add_run(selected)
        writer.add_forecasts(selected.run_id, rows[keys])
