"""Which displacement forecast is published (v6): where the validation before the origin found a baseline
better, the pages, the API and the command line say that the forecast shown is the baseline's, with both
skills; and a baseline's provenance line says what the baseline is, not the model's version."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from tests.web.test_displacement import _client, skill_settings  # noqa: F401 (fixture)

SAID = {
    "nl": "Voor asielaanvragen in Nederland één jaar vooruit is de basislijn in de validatie beter dan het "
    "model; de verwachting hieronder is die van de basislijn (de waarde van vorig jaar maal eerdere "
    "veranderingen). Validatie op de voorspelde jaren 2021-2023, elke voorspelling gemaakt met alleen de "
    "gegevens van haar tijd: CRPS van het model 64,3, van de basislijn 50,9.",
    "en": "For asylum applications in the Netherlands one year ahead the baseline did better than the model "
    "in the validation; the forecast shown is the baseline's (last year's value times past changes). "
    "Validation on the forecast years 2021-2023, each forecast made with only the data of its time: CRPS of "
    "the model 64.3, of the baseline 50.9.",
}
MODEL_SAID = {"nl": "is het model in de validatie beter dan de basislijnen", "en": "the model did better"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_where_the_validation_chose_the_baseline_every_place_says_so_with_both_skills(
    skill_settings: Any,  # noqa: F811
    run_cli: Any,
    monkeypatch: Any,
    lang: str,
) -> None:
    from tests.web.forecastbuilder import mark_selection

    mark_selection(skill_settings)
    with _client(skill_settings) as client:
        ranking = html.unescape(client.get(f"/ontheemding?lang={lang}").text)
        ranking2 = html.unescape(client.get(f"/ontheemding?horizon=2&lang={lang}").text)
        country = html.unescape(client.get(f"/landen/SYR?lang={lang}").text)
        api = client.get(f"/api/v1/displacement/ranking?horizon=1&lang={lang}").json()
        api_country = client.get(f"/api/v1/countries/SYR/displacement?lang={lang}").json()
    assert SAID[lang] in ranking and MODEL_SAID[lang] not in ranking
    assert MODEL_SAID[lang] in ranking2 and SAID[lang] not in ranking2
    assert SAID[lang] in country and MODEL_SAID[lang] in country  # both horizons on the country page
    [chosen] = api["selection"]
    assert (chosen["chosen"], chosen["text"]) == ("last_value_spread", SAID[lang])
    assert chosen["innerYears"] == [2021, 2022, 2023] and chosen["innerCrps"] == {
        "lgbm": 64.3,
        "last_value_spread": 50.9,
        "history": 62.4,
    }
    assert [c["chosen"] for c in api_country["selection"]] == ["last_value_spread", "lgbm"]
    monkeypatch.setenv("GBVS_DATA_DIR", str(skill_settings.data_dir))
    monkeypatch.setenv("GBVS_STORE_PATH", str(skill_settings.resolved_store_path))
    text = run_cli("displacement", "ranking", "--lang", lang).stdout
    assert SAID[lang] in " ".join(text.split())
    data = json.loads(run_cli("displacement", "ranking", "--format", "json").stdout)
    assert data["selection"][0]["chosen"] == "last_value_spread"


def test_a_run_made_before_v6_says_nothing_about_a_selection(skill_settings: Any) -> None:  # noqa: F811
    with _client(skill_settings) as client:
        page = html.unescape(client.get("/ontheemding?lang=en").text)
        api = client.get("/api/v1/displacement/ranking?horizon=1").json()
    assert "in the validation" not in page and api["selection"] == []


def test_the_baseline_s_provenance_line_says_what_it_is_and_not_the_model_s_version(
    skill_settings: Any,  # noqa: F811
) -> None:
    """One function builds both lines: the model's names its version and training cutoff, a baseline's its
    rule and the data, never the version of a model it is not."""
    from tests.web.forecastbuilder import add_displacement_backtest, add_displacement_baselines

    from gbvs.forecasting.displacement.skill import provenance_line

    add_displacement_backtest(skill_settings)
    kept = {r.model: r for r in add_displacement_baselines(skill_settings)}
    spread = kept["last_value_spread"]
    line = provenance_line(spread)
    assert line.startswith("Baseline: last year's value times the changes over as many years")
    assert "2023" in line and spread.data_vintage in line and "displacement-test-1" not in line
    assert spread.model_version == "baseline/last_value_spread"
    model = provenance_line(spread.__class__(**{**spread.__dict__, "model_version": "displacement-test-1"}))
    assert model.startswith("Model: displacement-test-1; data up to and including 2023")
    with _client(skill_settings) as client:
        page = html.unescape(client.get("/ontheemding?lang=nl").text)
    beside = page[page.index('id="displacement-baselines"') :]
    assert "Basislijn: de waarde van vorig jaar maal de veranderingen" in beside
    assert "displacement-test-1" not in beside[: beside.index("</details>")]


@pytest.mark.parametrize(
    ("made_in", "lang", "said"),
    [
        (
            "displacement-early",
            "nl",
            "De validatie is niet opnieuw gedaan: het is die van run displacement-early van 1 december 2026",
        ),
        (
            "displacement-early",
            "en",
            "The validation was not made again: it is that of run displacement-early of 1 December 2026",
        ),
        ("displacement-test-v6", "en", "The validation was made in this run (displacement-test-v6)"),
    ],
)
def test_the_pages_and_the_api_say_where_the_validation_was_made(
    skill_settings: Any,  # noqa: F811
    made_in: str,
    lang: str,
    said: str,
) -> None:
    from tests.web.forecastbuilder import mark_selection

    mark_selection(skill_settings, validated_in=made_in)
    with _client(skill_settings) as client:
        ranking = html.unescape(client.get(f"/ontheemding?lang={lang}").text)
        country = html.unescape(client.get(f"/landen/SYR?lang={lang}").text)
        api = client.get(f"/api/v1/displacement/ranking?horizon=1&lang={lang}").json()
        api_country = client.get(f"/api/v1/countries/SYR/displacement?lang={lang}").json()
    assert said in ranking and said in country
    for answer in (api, api_country):
        assert answer["validation"]["madeIn"] == made_in and answer["validation"]["text"].startswith(said)
        assert answer["validation"]["reused"] is (made_in != "displacement-test-v6")


def test_a_run_that_kept_no_validation_says_nothing_of_it(skill_settings: Any) -> None:  # noqa: F811
    from tests.web.forecastbuilder import mark_selection

    mark_selection(skill_settings)
    with _client(skill_settings) as client:
        ranking = html.unescape(client.get("/ontheemding?lang=en").text)
        api = client.get("/api/v1/displacement/ranking?horizon=1").json()
    assert "The validation was" not in ranking and api["validation"] is None
