"""Issue 12 fix 6: explanations say what is specific to a country (its driver families against the
median country of the run) and what changed since the previous run, in Dutch and English."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from gbvs.cli.texts import translator
from gbvs.forecasting import specific
from gbvs.forecasting.explain import summary
from gbvs.forecasting.specific import Wording, describe, explain_countries

ENGLISH = Wording(
    gettext=lambda message: message,
    lang="en",
    signed=lambda value: f"{value:+.2f}",
    percent=lambda value: f"{value:.0%}",
)
LATEST = {  # three countries, incidence one year ahead; the median country is the middle one per family
    652: (0.92, {"conflict_history": 2.0, "illegitimate_governance": 1.0, "poverty_inequality": 0.1}),
    432: (0.61, {"conflict_history": 1.0, "illegitimate_governance": 0.5, "poverty_inequality": 0.1}),
    210: (0.01, {"conflict_history": -1.0, "illegitimate_governance": -0.5, "poverty_inequality": -0.6}),
}


def _rows(forecasts: dict[int, tuple[float, dict[str, float]]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"unit_key": unit, "target": "incidence", "horizon": 1, "p": p, "families": json.dumps(families)}
            for unit, (p, families) in forecasts.items()
        ]
    )


def test_each_family_is_set_against_the_median_country() -> None:
    found = explain_countries(_rows(LATEST))[(652, "incidence", 1)]
    # medians: conflict history 1.0, governance 0.5, poverty 0.1 -> Syria +1.0, +0.5, 0.0
    assert [(d.family, d.typical, d.difference) for d in found.differences] == [
        ("conflict_history", 1.0, 1.0),
        ("illegitimate_governance", 0.5, 0.5),
        ("poverty_inequality", 0.1, 0.0),
    ]
    assert describe(found, ENGLISH) == (
        "Compared with the median country, the risk is pushed up by conflict history (+1.00) and "
        "illegitimate governance (+0.50) (difference in contribution to the log-odds)."
    )
    netherlands = explain_countries(_rows(LATEST))[(210, "incidence", 1)]
    assert describe(netherlands, ENGLISH) == (
        "Compared with the median country, the risk is pushed down by conflict history (-2.00), "
        "illegitimate governance (-1.00) and poverty and inequality (-0.70) (difference in contribution "
        "to the log-odds)."
    )


def test_other_features_are_in_the_table_but_not_named() -> None:
    rows = {
        unit: (p, {**families, "other": 3.0 if unit == 652 else 0.0})
        for unit, (p, families) in LATEST.items()
    }
    found = explain_countries(_rows(rows))[(652, "incidence", 1)]
    assert found.differences[0].family == "other" and found.differences[0].difference == 3.0
    assert "other" not in describe(found, ENGLISH) and "conflict history (+1.00)" in describe(found, ENGLISH)


def test_same_top_families_but_different_positions_give_different_sentences() -> None:
    # Syria and Mali: conflict history, then governance, by size: the old summary says the same of both
    assert summary(LATEST[652][1]) == summary(LATEST[432][1])
    explained = explain_countries(_rows(LATEST))
    mali = describe(explained[(432, "incidence", 1)], ENGLISH)
    assert mali == (
        "No driver family differs from the median country by more than 0.05 in the log-odds."
    )  # Mali is the median country here
    assert mali != describe(explained[(652, "incidence", 1)], ENGLISH)


def test_up_and_down_are_named_apart() -> None:
    mixed = {
        **LATEST,
        369: (0.5, {"conflict_history": 1.0, "illegitimate_governance": -1.5, "poverty_inequality": 0.9}),
    }
    # four countries: medians are the mean of the middle two: 1.0, 0.0, 0.1
    found = explain_countries(_rows(mixed))[(369, "incidence", 1)]
    assert describe(found, ENGLISH) == (
        "Compared with the median country, the risk is pushed up by poverty and inequality (+0.80) "
        "and down by illegitimate governance (-1.50) (difference in contribution to the log-odds)."
    )


def test_what_changed_since_the_previous_run() -> None:
    before = {
        652: (0.80, {"conflict_history": 1.7, "illegitimate_governance": 1.0, "poverty_inequality": 0.2}),
        432: LATEST[432],
    }
    explained = explain_countries(_rows(LATEST), _rows(before))
    syria = explained[(652, "incidence", 1)]
    assert [(s.family, round(s.change, 6)) for s in syria.shifts[:2]] == [
        ("conflict_history", 0.3),
        ("poverty_inequality", -0.1),
    ]
    assert describe(syria, ENGLISH).endswith(
        " Since the previous run the probability went from 80% to 92%; largest shifts in contribution: "
        "conflict history (+0.30) and poverty and inequality (-0.10)."
    )
    assert describe(explained[(432, "incidence", 1)], ENGLISH).endswith(
        " Since the previous run the probability went from 61% to 61%; "
        "no driver family moved by more than 0.05."
    )
    assert describe(explained[(210, "incidence", 1)], ENGLISH).endswith(
        " The previous run had no forecast for this country."
    )
    assert "previous run" not in describe(explain_countries(_rows(LATEST))[(652, "incidence", 1)], ENGLISH)


def test_the_median_is_taken_per_target_and_horizon() -> None:
    rows = pd.concat([_rows(LATEST), _rows({652: LATEST[652]}).assign(horizon=2)], ignore_index=True)
    alone = explain_countries(rows)[(652, "incidence", 2)]
    assert all(d.difference == 0 for d in alone.differences)  # the only country forecast two years ahead


def test_dutch_wording_with_dutch_numbers() -> None:
    from gbvs.web.queries.forecasts import wording

    explained = explain_countries(_rows(LATEST), _rows({652: (0.8, LATEST[652][1])}))
    text = describe(explained[(652, "incidence", 1)], wording(translator("nl"), "nl"))
    assert text.startswith(
        "Vergeleken met het mediane land wordt het risico omhoog geduwd door conflictgeschiedenis (+1,00) en "
    )
    assert "log-odds" in text and "van 80% naar 92%" in text
    english = describe(explained[(652, "incidence", 1)], wording(translator("en"), "en"))
    assert english.startswith(
        "Compared with the median country, the risk is pushed up by conflict history (+1.00)"
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_message_is_in_the_catalogues(lang: str) -> None:
    from gbvs.web.i18n import LOCALE_DIR, read_catalog

    catalogue = {m.id: m.string for m in read_catalog(LOCALE_DIR, lang) if m.id}
    for message in specific.MESSAGES:
        assert message in catalogue, message
        if lang == "nl":
            assert catalogue[message], message


def test_a_previous_run_that_filed_features_under_other_drivers_is_not_compared_per_driver() -> None:
    """V-Dem v14's features moved from one family to the drivers they measure: the first run after it
    would have shown governance falling and polarisation rising in every country, with no data moving."""
    before = {652: (0.80, {"conflict_history": 1.7, "illegitimate_governance": 2.0}), 432: LATEST[432]}
    explained = explain_countries(_rows(LATEST), _rows(before), regrouped=True)
    syria = explained[(652, "incidence", 1)]
    assert syria.regrouped and syria.shifts == ()
    assert describe(syria, ENGLISH).endswith(
        " Since the previous run the probability went from 80% to 92%; its shifts per driver are not "
        "compared, because that run filed the model's features under the drivers differently."
    )
    assert describe(explained[(210, "incidence", 1)], ENGLISH).endswith(
        " The previous run had no forecast for this country."
    )


def test_the_fingerprint_of_the_driver_families_changes_with_the_filing() -> None:
    first = specific.families_fingerprint({"vdem14_v2cacamps": "illegitimate_governance", "x": "other"})
    same = specific.families_fingerprint({"x": "other", "vdem14_v2cacamps": "illegitimate_governance"})
    moved = specific.families_fingerprint({"vdem14_v2cacamps": "polarisation", "x": "other"})
    assert first == same != moved and len(first) == 16


@pytest.mark.parametrize(
    ("previous_config", "regrouped"),
    [({"families": "a" * 16}, False), ({"families": "b" * 16}, True), ({}, True)],
)
def test_runs_are_compared_per_driver_only_when_they_filed_features_alike(
    tmp_path: Path, previous_config: dict[str, str], regrouped: bool
) -> None:
    """The forecast run records its families' fingerprint; a run without one predates it."""
    from gbvs.forecasting.queries import specific_explanations
    from gbvs.store.forecasts import StoredRun, open_forecasts, writing_forecasts

    path = tmp_path / "forecasts.duckdb"
    runs = [
        ("old", datetime(2026, 1, 1), previous_config),
        ("new", datetime(2026, 6, 1), {"families": "a" * 16}),
    ]
    for run_id, created, config in runs:
        stored = StoredRun(
            run_id, "forecast", created, "country-year", "lgbm", "v", 2023, "x", 0, json.dumps(config)
        )
        rows = _rows(LATEST).assign(origin=2023, forecast_period=2024)
        with writing_forecasts(path) as writer:
            writer.add_run(stored)
            writer.add_forecasts(run_id, rows)
    explained = specific_explanations(open_forecasts(path))[(652, "incidence", 1)]
    assert explained.regrouped is regrouped
    assert bool(explained.shifts) is not regrouped
