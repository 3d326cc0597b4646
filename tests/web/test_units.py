"""Small pure parts of the web app: staleness, language choice, bins, map projection, charts."""

from __future__ import annotations

from datetime import date

import pytest

from gbvs.forecasting.goals import goal_target
from gbvs.web import charts
from gbvs.web.i18n import load_catalogs, pick_language
from gbvs.web.queries.sources import is_stale
from gbvs.web.shading import bin_for, classify
from gbvs.web.worldmap import project, read_geometry


@pytest.mark.parametrize(
    ("vintage", "stale"),
    [("2024", False), ("2023", False), ("2022", True), ("2019-12-01", True), (None, False), ("v14", False)],
)
def test_a_vintage_is_stale_when_more_than_two_years_old(vintage: str | None, stale: bool) -> None:
    assert is_stale(vintage, date(2025, 6, 1)) is stale


@pytest.mark.parametrize(
    ("query", "cookie", "default", "expected"),
    [("en", "nl", "nl", "en"), (None, "en", "nl", "en"), (None, None, "nl", "nl"), ("fr", None, "en", "en")],
)
def test_language_query_beats_cookie_beats_setting(
    query: str | None, cookie: str | None, default: str, expected: str
) -> None:
    assert pick_language(query, cookie, default) == expected


def test_catalogues_translate_the_interface_to_dutch() -> None:
    catalogs = load_catalogs()
    assert catalogs["nl"].gettext("Sources") == "Bronnen"
    assert catalogs["en"].gettext("Sources") == "Sources"


def test_map_classes_cover_the_values_in_order() -> None:
    bins = classify([float(v) for v in range(1, 101)])
    assert len(bins) == 5 and sum(b.count for b in bins) == 100
    assert bin_for(1.0, bins) is bins[0] and bin_for(100.0, bins) is bins[-1]
    assert bins[0].low == 1.0 and bins[-1].high == 100.0


def test_equal_earth_projection_is_symmetric_and_bounded() -> None:
    assert project(0, 0) == (0.0, -0.0)
    east, north = project(180, 90)
    west, south = project(-180, -90)
    assert east == pytest.approx(-west) and north == pytest.approx(-south)
    assert project(180, 0)[0] == pytest.approx(2.7066 * 180, rel=1e-3)
    assert project(0, 90)[1] == pytest.approx(-1.3173 * 180, rel=1e-3)


def test_geometry_is_read_from_geojson_and_wkt() -> None:
    square = '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}'
    assert read_geometry(square).area == pytest.approx(1.0)
    assert read_geometry("POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))").area == pytest.approx(4.0)


def test_bar_chart_is_an_accessible_svg_with_one_bar_per_value() -> None:
    svg = str(charts.bar_chart(charts.Series("deaths", [(2000, 5.0), (2001, 10.0), (2002, None)]), "T", "D"))
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert svg.count('<rect class="bar"') == 2


def test_worker_processes_build_the_app_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    from gbvs.web.app import create_app_from_environment

    monkeypatch.setenv("GBVS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GBVS_LANGUAGE", "en")
    app = create_app_from_environment()
    assert app.state.web.settings.language == "en"
    assert str(app.state.web.settings.data_dir) == str(tmp_path)


@pytest.mark.parametrize(
    ("details", "dutch"),
    [
        ({"kind": "crossed_up", "threshold": 0.5, "change": None}, "drempel 50% overschreden (omhoog)"),
        ({"kind": "crossed_down", "threshold": 0.5, "change": None}, "drempel 50% overschreden (omlaag)"),
        ({"kind": "jump", "threshold": None, "change": -0.12}, "sprong van -12 procentpunten"),
    ],
)
def test_a_cases_alerts_are_shown_in_the_interface_language(details: dict[str, object], dutch: str) -> None:
    from gbvs.web.labels import case_alerts

    kept = {"alerts": ["the frozen sentence"], "alert_details": [details]}
    (shown,) = case_alerts(kept, load_catalogs()["nl"].gettext, lambda p: f"{p:.0%}")
    assert shown.text == dutch and shown.lang is None


def test_an_old_cases_alerts_are_its_frozen_english_sentences() -> None:
    from gbvs.web.labels import case_alerts

    kept = {"alerts": ["crossed 50% (up)", "jump of -12 points"]}  # opened before the figures were kept
    shown = case_alerts(kept, load_catalogs()["nl"].gettext, str)
    assert [(s.text, s.lang) for s in shown] == [("crossed 50% (up)", "en"), ("jump of -12 points", "en")]


def test_backtest_ids_are_named_in_dutch() -> None:
    from gbvs.web import labels

    nl = load_catalogs()["nl"].gettext
    assert labels.target_name("closing_electoral", {}, nl) == "krimp: electorale ruimte"
    assert labels.target_name("something_new", {}, nl) == "something_new"
    assert labels.subset_name("region:continent:Asia", {}, nl) == "Azië"
    assert labels.subset_name("region:sahel", {"sahel": "Sahel"}, nl) == "Sahel"
    goal = labels.goal_text("incidence h1, onset subset: roc_auc", nl)
    assert goal.text == "gewapend conflict, 1 jaar vooruit, uitbraakgevallen: Oppervlakte onder de ROC-curve"
    assert goal.lang is None
    assert labels.goal_text("a goal of a later version: ap", nl).lang == "en"
    assert goal_target(">= 0.85", lambda v: f"{v}".replace(".", ",")) == "≥ 0,85"


def test_goal_scopes_match_the_forecasting_report() -> None:
    from gbvs.forecasting.goals import GOALS, SPACE_GOALS
    from gbvs.web.labels import GOAL_SCOPES, METRIC_NAMES

    for goal in (*GOALS, *SPACE_GOALS):
        scope, metric = goal.label.split(": ")
        assert scope in GOAL_SCOPES and goal.metric in METRIC_NAMES, goal
        assert metric.split(" vs ")[0] == goal.metric


def test_every_goal_of_a_backtest_report_is_shown_in_dutch() -> None:
    import pandas as pd

    from gbvs.forecasting.goals import goal_rows
    from gbvs.web import labels

    nl = load_catalogs()["nl"].gettext
    scores = pd.DataFrame(
        [
            {"model": model, "target": target, "horizon": h, "subset": subset, **dict.fromkeys(metrics, 0.5)}
            for model in ("lgbm", "persistence", "conflictology")
            for target, h, subset, metrics in (
                ("incidence", 1, "all", ("ap_mean", "brier_mean")),
                ("incidence", 1, "onset", ("ap_mean", "roc_auc_mean")),
                ("incidence", 2, "all", ("ap_mean",)),
                ("incidence", 3, "all", ("ap_mean",)),
                ("battle_deaths", 1, "all", ("crps_mean", "msle_mean", "pit50_mean", "pit90_mean")),
            )
        ]
    )
    demspaces = pd.DataFrame(
        [{"model": "lgbm", "direction": d, "ap_mean": 0.4, "roc_auc_mean": 0.8} for d in ("down", "up")]
    )
    goals = goal_rows(scores, demspaces)
    assert len(goals) == 15
    for goal in goals:
        shown = labels.goal_text(goal["goal"], nl)
        assert shown.lang is None, goal["goal"]
        threshold = goal_target(goal["target"], str)
        assert not threshold.startswith((">=", "<=", "in ")) and "persistence" not in threshold, threshold
    crps = labels.goal_text("battle_deaths h1, all rows: crps vs persistence", nl).text
    assert crps == "gevechtsdoden, 1 jaar vooruit, alle landjaren: CRPS tegenover Basislijn: persistentie"
    assert goal_target("< persistence (385.9)", lambda v: f"{v}".replace(".", ",")) == "< 385,9"
    assert goal_target("in 0.45-0.55", lambda v: f"{v}".replace(".", ",")) == "0,45–0,55"
    comma = lambda v: f"{v}".replace(".", ",")  # noqa: E731
    assert goal_target(">= history_logit (0.2391)", comma) == "≥ 0,2391"  # the comparisons'
    assert goal_target("<= history_logit (0.04392)", comma) == "≤ 0,04392"
