"""Displacement forecasts (issue 17): origin rules, leakage, inner-window choice, backtest, scores."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from gbvs.forecasting.displacement.backtest import (
    DisplacementPlan,
    fit_forecast,
    model_set,
    run_displacement_backtest,
    training_rows,
)
from gbvs.forecasting.displacement.features import origin_features
from gbvs.forecasting.displacement.models import LastValue, ShortTrend
from gbvs.forecasting.displacement.ranking import build_ranking
from gbvs.forecasting.displacement.scores import coverage, score_table, top_rank_correlation
from gbvs.forecasting.displacement.targets import TARGETS
from gbvs.forecasting.domain import UNIT_SPECS, Unit
from gbvs.forecasting.engine import with_period
from gbvs.forecasting.models.choice import InnerWindowChoice

ORIGIN = 2012
DISPLACEMENT = ("new_outflows", "displaced_abroad", "idps", "asylum_nl", "asylum_eu", "displaced_in_nl")


def with_displacement(panel: pd.DataFrame, seed: int = 11) -> pd.DataFrame:
    """The generated country-years plus displacement that follows conflict and battle deaths."""
    rng = np.random.default_rng(seed)
    out = panel.copy()
    deaths = out["brd_best"].fillna(0.0).to_numpy()
    out["new_outflows"] = np.floor(deaths * rng.gamma(2.0, 5.0, len(out)) + rng.poisson(30, len(out)))
    out["displaced_abroad"] = out.groupby("gwcode")["new_outflows"].cumsum()
    out["idps"] = np.floor(out["new_outflows"] * 2)
    out["asylum_eu"] = np.floor(out["new_outflows"] * 0.1)
    out["asylum_nl"] = np.floor(out["asylum_eu"] * rng.uniform(0.02, 0.08, len(out)))
    out["displaced_in_nl"] = np.floor(out["displaced_abroad"] * 0.01)
    out.loc[out["year"] < 2000, "asylum_nl"] = np.nan  # UNHCR's asylum series starts in 2000
    return with_period(out, UNIT_SPECS[Unit.country_year])


@pytest.fixture
def panel(country_year_panel: pd.DataFrame) -> pd.DataFrame:
    return with_displacement(country_year_panel)


def _scramble_future(panel: pd.DataFrame, origin: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    out = panel.copy()
    later = out["period"] > origin
    for column in out.columns:
        if column not in ("gwcode", "year", "period"):
            out.loc[later, column] = rng.permutation(out.loc[later, column].to_numpy(copy=True))
    return out


@pytest.mark.parametrize("model", ["lgbm", "trend", "last_value_spread"])
@pytest.mark.parametrize("target", list(TARGETS))
def test_future_values_do_not_change_forecasts(panel: pd.DataFrame, model: str, target: str) -> None:
    scrambled = _scramble_future(panel, ORIGIN)
    assert not scrambled.equals(panel)
    t, h = TARGETS[target], 2
    outs = []
    for frame in (panel, scrambled):
        cut, features = origin_features(frame, ORIGIN)
        _, out = fit_forecast(model_set(t, h, 0)[model], cut, features, t, h, ORIGIN)
        outs.append(out.drop(columns="samples"))
    pd.testing.assert_frame_equal(outs[0], outs[1])


def test_training_rows_were_published_by_the_origin(panel: pd.DataFrame) -> None:
    cut, features = origin_features(panel, ORIGIN)
    for h in (1, 2):
        _, _, periods = training_rows(cut, features, TARGETS["asylum_nl"], h, ORIGIN)
        assert periods.max() + h == ORIGIN  # the label of t + h <= origin, and nothing later
        assert periods.min() >= TARGETS["asylum_nl"].first_year


def test_inner_window_choice_picks_the_candidate_that_wins_before_the_test_years() -> None:
    rng = np.random.default_rng(1)
    level = rng.uniform(2, 9, 400)
    X = pd.DataFrame({"d_asylum_nl": level, "d_asylum_nl_lag2": level + rng.normal(size=400)})
    y = np.expm1(level)  # persistence is exact here; the trend extrapolates noise
    periods = np.repeat(np.arange(2000, 2020), 20)
    choice = InnerWindowChoice((ShortTrend(history="d_asylum_nl"), LastValue(history="d_asylum_nl")))
    choice.fit(X, y, periods=periods)
    assert choice.chosen_ == 1 and choice.inner_crps_[1] < 1e-6 < choice.inner_crps_[0]
    assert np.allclose(choice.predict(X), y)


def test_backtest_scores_every_model_on_the_same_rows(panel: pd.DataFrame) -> None:
    plan = DisplacementPlan(tuple(TARGETS.values()), (1,), 2016, 2017, (0,))
    result = run_displacement_backtest(panel, plan)
    rows = result.rows
    counts = rows.groupby(["target", "model"]).size().unstack()
    assert (counts.nunique(axis=1) == 1).all()  # same rows for every model
    assert set(rows["forecast_period"]) == {2016, 2017} and set(rows["origin"]) == {2015, 2016}
    table = score_table(rows)
    assert set(table["model"]) == {"last_value", "last_value_spread", "trend", "history", "lgbm"}
    point = table[table["model"] == "last_value"]
    assert (point["coverage90"] <= point["coverage90"].max()).all() and (table["crps"] >= 0).all()


def test_scores_coverage_and_rank_correlation() -> None:
    assert coverage(np.array([1.0, 5.0, 9.0]), np.array([0.0, 0.0, 0.0]), np.array([2.0, 6.0, 8.0])) == 2 / 3
    rows = pd.DataFrame(
        {"forecast_period": [2020] * 4, "y": [10.0, 20.0, 30.0, 40.0], "q0.5": [1.0, 2.0, 4.0, 3.0]}
    )
    assert top_rank_correlation(rows, top=4) == pytest.approx(0.8)


def test_ranking_orders_by_median_and_names_change_and_risk() -> None:
    rows = pd.DataFrame(
        [
            {"unit_key": u, "target": t, "horizon": 1, "origin": 2023, "forecast_period": 2024,
             "q05": m / 2, "q25": m * 0.8, "q50": m, "q75": m * 1.2, "q95": m * 2}
            for u, m in ((652, 100.0), (520, 300.0), (999, 500.0))
            for t in ("asylum_nl", "new_displacement")
        ]
    )  # fmt: skip
    names = {652: ("SYR", "Syria"), 520: ("SOM", "Somalia")}
    ranked = build_ranking(rows, 1, {652: 80.0, 520: None}, {652: 0.9}, names.get)
    assert [r.iso3 for r in ranked] == ["SOM", "SYR"]  # 999 has no ISO3: left out
    assert ranked[1].change == 20.0 and ranked[1].p_conflict == 0.9 and ranked[0].change is None
    assert ranked[0].width90 == 450.0 and ranked[0].new_displacement_q50 == 300.0


def test_cli_says_what_to_do_without_a_store(run_cli: Any, settings: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("GBVS_DATA_DIR", str(settings.data_dir))
    result = run_cli("displacement", "forecast")
    assert result.exit_code == 6 and "gbvs ingest" in result.stderr
    bad = run_cli("displacement", "ranking", "--format", "xml")
    assert bad.exit_code == 4 and "text, json or csv" in bad.stderr


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_skill_messages_shared_by_pages_and_command_line_are_in_the_catalogues(lang: str) -> None:
    """One copy of each sentence and name (``views.MESSAGES``): the pages read them through the template
    global ``displacement_texts`` and the CLI through the same catalogues."""
    from gbvs.forecasting.displacement import views
    from gbvs.web.i18n import LOCALE_DIR, read_catalog

    catalogue = {m.id: m.string for m in read_catalog(LOCALE_DIR, lang) if m.id}
    for message in views.MESSAGES:
        assert message in catalogue, message
        if lang == "nl":
            assert catalogue[message] and catalogue[message] != message, message


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "nl",
            [
                "run displacement-abc: 1.250 voorspellingen, model v5, trainingsgrens 2024, "
                "gegevens 2025-06-01",
                "  asielaanvragen in Nederland, één jaar vooruit, startwaarde 0: variant geregulariseerd, "
                "verbreding 1,25, aandeel eerdere veranderingen 0,5, bovengrens historie, stijging q0,90",
                "basismodellen bewaard naast de run: de waarde van vorig jaar, de waarde van vorig jaar maal "
                "eerdere veranderingen",
            ],
        ),
        (
            "en",
            [
                "run displacement-abc: 1,250 forecasts, model v5, training cutoff 2024, "
                "data vintage 2025-06-01",
                "  asylum applications in the Netherlands, one year ahead, seed 0: candidate regularised, "
                "widening 1.25, share of past changes 0.5, bound history, rise q0.90",
                "baselines kept beside the run: last year's value, last year's value times past changes",
            ],
        ),
    ],
)
def test_forecast_text_output_follows_the_language(lang: str, expected: list[str]) -> None:
    from gbvs.cli.displacement import forecast_lines
    from gbvs.forecasting.displacement.backtest import BOUND_NAMES, CANDIDATES
    from gbvs.forecasting.displacement.service import DisplacementForecastSummary

    choice = {"target": "asylum_nl", "horizon": 1, "seed": 0, "candidate": CANDIDATES[1], "scale": 1.25}
    summary = DisplacementForecastSummary(
        "displacement-abc",
        2024,
        1250,
        "v5",
        "2025-06-01",
        [0],
        [{**choice, "blend": 0.5, "bound": BOUND_NAMES[1]}],
        ["last_value", "last_value_spread"],
    )
    assert forecast_lines(summary, lang) == expected
