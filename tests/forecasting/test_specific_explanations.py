"""Issue 12 fix 6: explanations say what is specific to a country (its driver families against the
median country of the run) and what changed since the previous run, in Dutch and English."""

from __future__ import annotations

import json

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
