"""The comparison with DemSpaces v14: both models scored on the rows both forecast, and what each was
trained on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from gbvs.forecasting.anchor import PUBLISHED_MODEL, TrainedOn, trained_on
from gbvs.forecasting.evaluation import demspaces_comparison, demspaces_rows
from gbvs.forecasting.report import TRAINED_ON_NOTE, ReportInput, write_report

GWCODES = (2, 20, 200, 210, 220, 230)


def _ours(seed: int) -> pd.DataFrame:
    """Our closing forecasts of the associational space from 2010 and 2011, one row per country; a
    seed's probabilities differ a little."""
    rng = np.random.default_rng(seed)
    rows = [
        {
            "target": "closing_associational",
            "origin": origin,
            "gwcode": gwcode,
            "model": "lgbm",
            "seed": seed,
            "y": int(gwcode in (20, 210) or (origin == 2011 and gwcode == 2)),
            "p": float(rng.uniform(0.05, 0.9)),
        }
        for origin in (2010, 2011)
        for gwcode in GWCODES
    ]
    return pd.DataFrame(rows)


def _published() -> pd.DataFrame:
    """DemSpaces' forecasts for the same space and years, except country 230 in 2011 (not published)."""
    rows = [
        {
            "outcome": "v2xcs_ccsi",
            "from_year": origin,
            "gwcode": gwcode,
            "p_up": 0.1,
            "p_same": 0.5,
            "p_down": 0.05 * (1 + i) + 0.01 * (origin - 2010),
        }
        for origin in (2010, 2011)
        for i, gwcode in enumerate(GWCODES)
        if not (origin == 2011 and gwcode == 230)
    ]
    return pd.DataFrame(rows)


def test_both_models_are_scored_on_the_rows_both_forecast_with_what_they_were_trained_on() -> None:
    pred = pd.concat([_ours(0), _ours(1)], ignore_index=True)
    table = demspaces_comparison(demspaces_rows(pred, _published())).set_index("model")

    both = pred.merge(
        _published().rename(columns={"from_year": "origin"}), on=["origin", "gwcode"], how="inner"
    )
    assert len(both) == 2 * 11  # two seeds x the 11 country-years DemSpaces published
    first = both[both["seed"] == 0]
    assert table.loc[PUBLISHED_MODEL, "ap_mean"] == pytest.approx(
        average_precision_score(first["y"], first["p_down"])
    )
    assert table.loc[PUBLISHED_MODEL, "roc_auc_mean"] == pytest.approx(
        roc_auc_score(first["y"], first["p_down"])
    )
    per_seed = [average_precision_score(g["y"], g["p"]) for _, g in both.groupby("seed")]
    assert table.loc["lgbm", "ap_mean"] == pytest.approx(np.mean(per_seed))
    assert table.loc["lgbm", "ap_std"] == pytest.approx(np.std(per_seed, ddof=1))
    assert table.loc["lgbm", "n"] == 11 and table.loc["lgbm", "positives"] == first["y"].sum()
    assert table.loc[PUBLISHED_MODEL, "trained_on"] == "outcomes_after_origin"
    assert table.loc["lgbm", "trained_on"] == "outcomes_known_at_origin"
    assert set(table["direction"]) == {"down"}


def test_only_the_published_forecasts_are_marked_as_trained_on_later_outcomes() -> None:
    assert trained_on(PUBLISHED_MODEL) is TrainedOn.after_origin
    for model in ("lgbm", "lgbm_seed_mean", "history_logit", "persistence", "zero"):
        assert trained_on(model) is TrainedOn.known_at_origin


def test_the_report_says_what_each_model_was_trained_on(tmp_path: Path) -> None:
    comparison = demspaces_comparison(demspaces_rows(_ours(0), _published()))
    data = ReportInput(
        title="spaces",
        scores=pd.DataFrame(
            [
                {
                    "model": "lgbm",
                    "target": "closing_associational",
                    "horizon": 2,
                    "subset": "all",
                    "ap_mean": 0.5,
                }
            ]
        ),
        demspaces=comparison,
        curves={},
        timings={},
        provenance={"unit": "grid-month"},
        notes=[],
        extra_sections=[],
    )
    payload = write_report(data, tmp_path)
    rows = {row["model"]: row["trained_on"] for row in payload["demspaces_comparison"]}
    assert rows == {"lgbm": "outcomes_known_at_origin", PUBLISHED_MODEL: "outcomes_after_origin"}
    markdown = (tmp_path / "report.md").read_text()
    assert f"| down | {PUBLISHED_MODEL} | outcomes_after_origin |" in markdown
    assert TRAINED_ON_NOTE in markdown
