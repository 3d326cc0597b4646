"""Forced displacement pages and API (issue 17): ranking, country section, provenance, caveat, access."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

CAVEAT_EN = "Asylum applications are not a count of irregular migration"
CAVEAT_NL = "Asielaanvragen zijn geen telling van irreguliere migratie"


def test_ranking_orders_origins_by_forecast_applications_with_provenance(client: Any) -> None:
    body = client.get("/api/v1/displacement/ranking?horizon=1").json()
    assert [row["iso3"] for row in body["data"]] == ["SYR", "UKR", "MLI"]  # not the Netherlands itself
    syria = body["data"][0]
    assert syria["q50"] == 15000 and syria["q05"] < syria["q50"] < syria["q95"]
    assert syria["width90"] == pytest.approx(syria["q95"] - syria["q05"])
    assert syria["last_year"] == 2023 and syria["change"] == pytest.approx(15000 - syria["last_value"])
    assert syria["p_conflict"] == pytest.approx(0.92)  # the latest conflict run's incidence, horizon 1
    assert body["run"]["model_version"] == "displacement-test-1" and body["run"]["training_cutoff"] == 2023
    assert body["caveat"].startswith(CAVEAT_NL)  # the request's language, Dutch by default
    assert body["conflict_run"]["model_version"] == "lgbm-test-1"  # where p_conflict comes from
    two = client.get("/api/v1/displacement/ranking?horizon=2").json()["data"][0]
    assert two["forecast_period"] == 2025 and two["q50"] == pytest.approx(16500)


def test_ranking_csv_carries_the_run_in_every_row(client: Any) -> None:
    text = client.get("/api/v1/displacement/ranking?format=csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["iso3"] == "SYR" and len(rows) == 3
    assert {row["model_version"] for row in rows} == {"displacement-test-1"}


def test_horizon_outside_one_and_two_is_refused(client: Any) -> None:
    response = client.get("/api/v1/displacement/ranking?horizon=3")
    assert response.status_code == 400 or response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_country_displacement_history_forecasts_and_share(client: Any) -> None:
    body = client.get("/api/v1/countries/SYR/displacement").json()
    last = body["history"][-1]
    assert last["year"] == 2023
    assert last["share_in_nl"] == pytest.approx(last["displaced_in_nl"] / last["displaced_abroad"])
    assert {(f["target"], f["horizon"]) for f in body["forecasts"]} == {
        ("asylum_nl", 1), ("asylum_nl", 2), ("new_displacement", 1), ("new_displacement", 2)
    }  # fmt: skip
    assert "UNHCR" in body["provenance"] and body["caveat"].startswith(CAVEAT_NL)
    table = list(
        csv.DictReader(io.StringIO(client.get("/api/v1/countries/SYR/displacement?format=csv").text))
    )
    assert table[-1]["year"] == "2023" and "UNHCR" in table[-1]["provenance"]


@pytest.mark.parametrize(
    ("lang", "caveat", "heading"),
    [("nl", CAVEAT_NL, "Gedwongen ontheemding"), ("en", CAVEAT_EN, "Forced displacement")],
)
def test_pages_say_what_the_numbers_are_not(client: Any, lang: str, caveat: str, heading: str) -> None:
    ranking = client.get(f"/ontheemding?lang={lang}").text
    assert caveat in ranking and 'href="/landen/SYR#displacement"' in ranking
    assert "displacement-test-1" in ranking  # the run's provenance
    country = client.get(f"/landen/SYR?lang={lang}").text
    assert f'<h2 id="displacement-h">{heading}</h2>' in country and caveat in country
    assert "/api/v1/countries/SYR/displacement?format=csv" in country


def test_without_a_displacement_run_the_api_says_how_to_make_one(empty_client: Any) -> None:
    response = empty_client.get("/api/v1/displacement/ranking")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")


def _remote_client(web_settings: Any, data_dir: Path) -> tuple[Any, str]:
    import shutil

    from gbvs.config import load_settings
    from gbvs.db.migrate import upgrade
    from gbvs.db.services import tokens, users
    from gbvs.db.services.principals import load_principal
    from gbvs.db.session import make_engine, make_session_factory, session_scope
    from gbvs.store.forecasts import forecasts_path
    from gbvs.web.app import create_app

    shutil.copy(forecasts_path(web_settings), data_dir / forecasts_path(web_settings).name)
    remote = load_settings(data_dir=data_dir, store_path=web_settings.resolved_store_path, allow_remote=True)
    engine = make_engine(remote)
    upgrade(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        users.bootstrap_admin(session, "ada", "Ada", None, None)
    with session_scope(factory) as session:
        secret, _ = tokens.create_token(session, load_principal(session, "ada"), "displacement test")
    engine.dispose()
    return create_app(remote), secret


@pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")
def test_remote_mode_guards_every_displacement_route(web_settings: Any, tmp_path: Path) -> None:
    app, secret = _remote_client(web_settings, tmp_path)
    paths = ("/ontheemding", "/api/v1/displacement/ranking", "/api/v1/countries/SYR/displacement")
    with TestClient(app) as client:
        for path in paths:
            assert client.get(path).status_code == 401, path
            ok = client.get(path, headers={"Authorization": f"Bearer {secret}"})
            assert ok.status_code == 200, (path, ok.text[:300])
        assert client.get("/ontheemding").status_code == 401  # the page cache does not leak past auth


def test_a_country_without_an_idmc_estimate_shows_no_internally_displaced_rather_than_zero(
    client: Any,
) -> None:
    """IDMC lists only the countries it estimates; the panel fills 0 for the others (the Netherlands
    here; Venezuela in the real data), which the page read as '0 internally displaced'."""
    netherlands = client.get("/api/v1/countries/NLD/displacement").json()["history"]
    assert netherlands and all(year["idps"] is None for year in netherlands)
    syria = client.get("/api/v1/countries/SYR/displacement").json()["history"]
    assert all(year["idps"] > 0 for year in syria)
    page = client.get("/landen/NLD?lang=en").text
    assert "IDMC publishes no estimate of those internally displaced" in page
    assert "IDMC publishes no estimate" not in client.get("/landen/SYR?lang=en").text


def test_the_conflict_probability_is_for_the_same_forecast_year_and_names_its_run(settings: Any) -> None:
    """A newer conflict run made from older data forecasts other years: no probability is shown then,
    rather than one for another year beside the 2024 asylum forecast."""
    from datetime import datetime

    import pandas as pd
    from tests.web.forecastbuilder import build_forecasts, stored_run

    from gbvs.forecasting.displacement.views import conflict_risk
    from gbvs.store.forecasts import forecasts_path, open_forecasts, writing_forecasts

    build_forecasts(settings)
    with open_forecasts(forecasts_path(settings)) as forecasts:
        same_year = conflict_risk(forecasts, 2024)
    assert same_year.p[652] == pytest.approx(0.92)
    assert same_year.run is not None and same_year.run.training_cutoff == 2023
    row = {
        "unit_key": 652,
        "origin": 2020,
        "target": "incidence",
        "horizon": 1,
        "forecast_period": 2021,
        "p": 0.37,
    }
    stale = stored_run("conflict-from-2020", "forecast", datetime(2030, 1, 1), training_cutoff=2020)
    with writing_forecasts(forecasts_path(settings)) as forecasts:
        forecasts.add_run(stale)
        forecasts.add_forecasts("conflict-from-2020", pd.DataFrame([row]))
    with open_forecasts(forecasts_path(settings)) as forecasts:
        other_year = conflict_risk(forecasts, 2024)
        earlier = conflict_risk(forecasts, 2021)  # that run's own year, one year after its origin 2020
    assert other_year.p == {} and other_year.run is None
    assert earlier.p == {652: pytest.approx(0.37)} and earlier.run is not None


# The displacement backtest's skill beside the forecasts (the ranking, the country section, the API, the CLI).

LOSS_NL = (
    "Over 2010-2023 waren deze voorspellingen van asielaanvragen in Nederland één jaar vooruit minder goed "
    "dan de waarde van vorig jaar maal eerdere veranderingen (CRPS 59,9 tegen 51,6, 16% slechter)."
)
LOSS_EN = (
    "Over 2010-2023 these forecasts of asylum applications in the Netherlands one year ahead were less good "
    "than last year's value times past changes (CRPS 59.9 against 51.6, 16% worse)."
)


@pytest.fixture
def skill_settings(settings: Any, small_store: Path) -> Any:
    """The small store and a forecasts file of this test's own (no displacement backtest yet)."""
    from tests.web.forecastbuilder import build_forecasts

    from gbvs.config import load_settings

    chosen = load_settings(data_dir=settings.data_dir, store_path=small_store)
    build_forecasts(chosen)
    return chosen


def _client(chosen: Any) -> TestClient:
    from gbvs.web.app import create_app

    return TestClient(create_app(chosen))


def test_a_stored_displacement_backtest_reads_back_per_target_and_horizon(skill_settings: Any) -> None:
    from tests.web.forecastbuilder import add_displacement_backtest

    from gbvs.forecasting.displacement.service import UNIT
    from gbvs.forecasting.displacement.views import latest_backtest
    from gbvs.store.forecasts import forecasts_path, open_forecasts

    stored = add_displacement_backtest(skill_settings, model_version="displacement-test-1")
    with open_forecasts(forecasts_path(skill_settings)) as forecasts:
        found = latest_backtest(forecasts)
        assert forecasts.runs("forecast", UNIT)[0].run_id == "displacement-test"  # the live run stays latest
    assert found.run == stored and found.run.kind == "backtest" and found.run.unit == UNIT
    skill = found.skill
    assert (skill.first, skill.last, skill.seeds, skill.quick) == (2010, 2023, 3, False)
    assert skill.model_version == "displacement-test-1"
    assert {(t.target, t.horizon) for t in skill.targets} == {
        ("asylum_nl", 1), ("asylum_nl", 2), ("new_displacement", 1), ("new_displacement", 2)
    }  # fmt: skip
    asylum = next(t for t in skill.targets if (t.target, t.horizon) == ("asylum_nl", 1))
    assert asylum.crps == 59.9 and asylum.n == 2406
    versus = {c.baseline: c for c in asylum.comparisons}
    assert set(versus) == {"last_value", "last_value_spread", "trend", "history"}
    assert (
        versus["last_value_spread"].change == pytest.approx(59.9 / 51.6 - 1)
        and not versus["last_value_spread"].better
    )
    assert versus["last_value"].better and asylum.worst_loss == versus["last_value_spread"]
    displaced = next(t for t in skill.targets if (t.target, t.horizon) == ("new_displacement", 1))
    assert {c.baseline: c.change for c in displaced.comparisons}["last_value"] == pytest.approx(
        12125 / 15906 - 1
    )


@pytest.mark.parametrize(("lang", "loss"), [("nl", LOSS_NL), ("en", LOSS_EN)])
def test_the_ranking_and_the_country_page_say_where_the_forecasts_lose(
    skill_settings: Any, lang: str, loss: str
) -> None:
    from tests.web.forecastbuilder import add_displacement_backtest

    add_displacement_backtest(skill_settings)
    with _client(skill_settings) as client:
        ranking = html.unescape(client.get(f"/ontheemding?lang={lang}").text)
        country = html.unescape(client.get(f"/landen/SYR?lang={lang}").text)
        two_years = html.unescape(client.get(f"/ontheemding?lang={lang}&horizon=2").text)
    assert loss in ranking and loss in country
    assert loss not in two_years  # the ranking shows its own horizon ...
    better = "24% beter" if lang == "nl" else "better by 24%"  # new displacement against last year's value
    assert better in ranking
    assert "gbvs displacement backtest" not in ranking
    assert "another version" not in ranking and "andere versie" not in ranking


def test_the_api_carries_the_backtest_with_its_provenance(skill_settings: Any) -> None:
    from tests.web.forecastbuilder import add_displacement_backtest

    stored = add_displacement_backtest(skill_settings)
    with _client(skill_settings) as client:
        ranking = client.get("/api/v1/displacement/ranking?horizon=1").json()
        country = client.get("/api/v1/countries/SYR/displacement").json()
    backtest = ranking["backtest"]
    assert (
        backtest["run"]["run_id"] == stored.run_id
        and backtest["run"]["model_version"] == "displacement-test-1"
    )
    assert (
        backtest["run"]["data_vintage"] == "UNHCR refugees 2025.12.1 (2023)" and backtest["run"]["created_at"]
    )
    assert backtest["same_model_version"] is True and not backtest["quick"]
    assert (backtest["first_year"], backtest["last_year"], backtest["seeds"]) == (2010, 2023, 3)
    assert [(t["target"], t["horizon"]) for t in backtest["targets"]] == [
        ("asylum_nl", 1),
        ("new_displacement", 1),
    ]
    asylum = backtest["targets"][0]
    assert asylum["crps"] == 59.9 and asylum["rows"] == 2406
    spread = next(c for c in asylum["comparisons"] if c["baseline"] == "last_value_spread")
    assert spread["baseline_crps"] == 51.6 and spread["better"] is False
    assert spread["change"] == pytest.approx(0.1609, abs=1e-4)
    assert len(country["backtest"]["targets"]) == 4  # both horizons beside both horizons' forecasts


def _run_without_mali(settings: Any) -> None:
    """A newer displacement run of the live version (displacement-test-1) with no forecast for Mali."""
    from dataclasses import replace
    from datetime import datetime

    from gbvs.forecasting.displacement.views import latest_run
    from gbvs.store.forecasts import forecasts_path, open_forecasts, writing_forecasts

    with open_forecasts(forecasts_path(settings)) as forecasts:
        run, rows = latest_run(forecasts)
    newer = replace(run, run_id="displacement-test-without-mali", created_at=datetime(2026, 6, 3))
    with writing_forecasts(forecasts_path(settings)) as forecasts:
        forecasts.add_run(newer)
        forecasts.add_forecasts(newer.run_id, rows[rows["unit_key"] != 432].reset_index(drop=True))


def test_a_country_without_forecasts_gets_the_backtest_of_every_origin(skill_settings: Any) -> None:
    """The skill is pooled over every origin, so it is not the forecast country's alone: the API gives it
    for a country the latest run has no forecasts for too, beside the run's model version."""
    from tests.web.forecastbuilder import add_displacement_backtest

    _run_without_mali(skill_settings)
    stored = add_displacement_backtest(skill_settings)
    with _client(skill_settings) as client:
        mali = client.get("/api/v1/countries/MLI/displacement").json()
        syria = client.get("/api/v1/countries/SYR/displacement").json()
    assert mali["forecasts"] == [] and syria["forecasts"]
    assert mali["backtest"]["run"]["run_id"] == stored.run_id and mali["backtest"]["same_model_version"]
    assert mali["backtest"] == syria["backtest"]


def test_without_a_backtest_the_pages_say_how_to_run_one_and_the_api_says_null(client: Any) -> None:
    for lang in ("nl", "en"):
        ranking = client.get(f"/ontheemding?lang={lang}").text
        country = client.get(f"/landen/SYR?lang={lang}").text
        for page in (ranking, country):
            assert "gbvs displacement backtest" in page
    assert "Nog geen backtest van deze voorspellingen opgeslagen" in client.get("/ontheemding?lang=nl").text
    assert client.get("/api/v1/displacement/ranking").json()["backtest"] is None
    assert client.get("/api/v1/countries/SYR/displacement").json()["backtest"] is None


def test_a_backtest_of_another_model_version_is_said_to_be_one(skill_settings: Any) -> None:
    from tests.web.forecastbuilder import add_displacement_backtest

    add_displacement_backtest(skill_settings, model_version="displacement-test-0")
    with _client(skill_settings) as client:
        nl = client.get("/ontheemding?lang=nl").text
        en = html.unescape(client.get("/landen/SYR?lang=en").text)
        body = client.get("/api/v1/displacement/ranking").json()
    assert "Deze backtest toetste modelversie displacement-test-0, een andere versie" in nl
    assert "(displacement-test-1)" in nl
    assert "This backtest scored model version displacement-test-0, another version" in en
    assert body["backtest"]["same_model_version"] is False
    assert body["backtest"]["model_version"] == "displacement-test-0"
    assert "minder goed" not in nl and "less good" not in en  # not "these forecasts were ..."


def test_a_backtest_of_the_live_version_is_shown_before_a_newer_one_of_another(skill_settings: Any) -> None:
    from tests.web.forecastbuilder import add_displacement_backtest

    live = add_displacement_backtest(skill_settings)  # displacement-test-1, the live forecasts' version
    add_displacement_backtest(skill_settings, model_version="displacement-test-0")  # newer, another
    with _client(skill_settings) as client:
        body = client.get("/api/v1/displacement/ranking").json()
        country = html.unescape(client.get("/landen/SYR?lang=nl").text)
        ranking = html.unescape(client.get("/ontheemding?lang=nl").text)
    assert body["backtest"]["run"]["run_id"] == live.run_id and body["backtest"]["same_model_version"]
    assert LOSS_NL in country and "andere versie" not in country
    # the country page says the figures are every origin's, not this country's own
    assert "gemiddelden over de voorspellingen voor alle herkomstlanden" in country
    assert "niet die voor Syrië alleen" in country and "alle herkomstlanden" not in ranking


CLI_WORDS = {
    "nl": {
        "args": (),
        "none": "nog geen backtest van de ontheemdingsvoorspellingen opgeslagen",
        "other": "Deze backtest toetste modelversie displacement-test-0, een andere versie dan die van de "
        "getoonde voorspellingen (displacement-test-1)",
        "loss": LOSS_NL,
        "skill": "asielaanvragen in Nederland, één jaar vooruit (2.406 herkomstland-jaren): CRPS 59,9 tegen "
        "de waarde van vorig jaar 67,2 (11% beter)",
        "header": "asielaanvragen in Nederland in ",
        "caveat": CAVEAT_NL,
        "not": ("less good", "No ", "year(s)"),
    },
    "en": {
        "args": ("--lang", "en"),
        "none": "no displacement backtest stored yet",
        "other": "This backtest scored model version displacement-test-0, another version than that of the "
        "forecasts shown (displacement-test-1)",
        "loss": LOSS_EN,
        "skill": "asylum applications in the Netherlands, one year ahead (2,406 origin-years): CRPS 59.9 "
        "against last year's value 67.2 (better by 11%)",
        "header": "asylum applications in the Netherlands in ",
        "caveat": CAVEAT_EN,
        "not": ("minder goed", "Nog ", "jaar vooruit"),
    },
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_cli_ranking_prints_the_skill_and_where_it_loses_in_the_language(
    skill_settings: Any, run_cli: Any, monkeypatch: Any, lang: str
) -> None:
    """Dutch by default, English with --lang en: the pages' sentences and the language's numbers."""
    from tests.web.forecastbuilder import add_displacement_backtest

    monkeypatch.setenv("GBVS_DATA_DIR", str(skill_settings.data_dir))
    monkeypatch.setenv("GBVS_STORE_PATH", str(skill_settings.resolved_store_path))
    monkeypatch.delenv("GBVS_LANGUAGE", raising=False)
    words = CLI_WORDS[lang]
    before = run_cli("displacement", "ranking", *words["args"])
    assert before.exit_code == 0 and words["none"] in before.stdout
    add_displacement_backtest(skill_settings, model_version="displacement-test-0")
    other = run_cli("displacement", "ranking", *words["args"]).stdout
    assert words["other"] in other and words["loss"] not in other  # not "these forecasts were ..."
    add_displacement_backtest(skill_settings)  # the live forecasts' version, shown before the other
    text = run_cli("displacement", "ranking", *words["args"]).stdout
    assert words["loss"] in text and words["skill"] in text and words["other"] not in text
    assert text.startswith(words["header"]) and text.rstrip().splitlines()[-1].startswith(words["caveat"])
    assert not any(word in text for word in words["not"]), text
    body = json.loads(run_cli("displacement", "ranking", "--format", "json", *words["args"]).stdout)
    assert body["backtest"]["same_model_version"] is True and body["backtest"]["targets"][0]["crps"] == 59.9
    assert body["caveat"].startswith(CAVEAT_EN)  # JSON stays as it was, in any language


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "nl",
            [
                "rapport: /tmp/r/report.md",
                "bewaard als run bt-1 (getoond naast de rangschikking",
                "  asylum_nl        h1 lgbm               CRPS    1.234,5  MAE log1p 0,512  dekking 50% 0,68"
                "  dekking 90% 0,92",
            ],
        ),
        (
            "en",
            [
                "report: /tmp/r/report.md",
                "kept as run bt-1 (shown beside the ranking",
                "  asylum_nl        h1 lgbm               CRPS    1,234.5  MAE log1p 0.512  coverage 50% 0.68"
                "  coverage 90% 0.92",
            ],
        ),
    ],
)
def test_the_cli_backtest_summary_is_written_in_the_language(lang: str, lines: list[str]) -> None:
    import pandas as pd

    from gbvs.cli.displacement import backtest_lines
    from gbvs.forecasting.displacement.service import DisplacementBacktestSummary

    scores = pd.DataFrame(
        [{"target": "asylum_nl", "horizon": 1, "model": "lgbm", "crps": 1234.5, "mae_log1p": 0.5123,
          "coverage50": 0.68, "coverage90": 0.92}]
    )  # fmt: skip
    summary = DisplacementBacktestSummary(Path("/tmp/r"), scores, {}, "UNHCR 2025", "bt-1")
    written = backtest_lines(summary, lang)  # type: ignore[arg-type]
    assert [line[: len(want)] for line, want in zip(written, lines, strict=True)] == lines


@pytest.mark.slow
def test_gbvs_displacement_backtest_keeps_its_scores_where_the_pages_read_them(
    skill_settings: Any, tmp_path: Path
) -> None:
    """The real service on the small store (quick: 2020-2023, one seed): the run is stored with the
    live model version, and the ranking page calls it a quick run."""
    from gbvs.forecasting.displacement.service import MODEL_VERSION, backtest
    from gbvs.forecasting.displacement.views import latest_backtest
    from gbvs.store.forecasts import forecasts_path, open_forecasts

    summary = backtest(skill_settings, quick=True, out=tmp_path / "report")
    with open_forecasts(forecasts_path(skill_settings)) as forecasts:
        found = latest_backtest(forecasts)
    assert found.run.model_version == MODEL_VERSION and found.run.data_vintage == summary.vintage
    assert found.run.run_id == summary.run_id  # the run the CLI names
    assert (found.skill.first, found.skill.last, found.skill.seeds, found.skill.quick) == (
        2020,
        2023,
        1,
        True,
    )
    # v6: the stored skill is that of the published forecasts (model or baseline, per origin)
    published = (summary.scores["model"] == "selected") & (summary.scores["target"] == "asylum_nl")
    main = summary.scores[published]
    assert found.skill.selected and set(summary.scores["model"]) >= {"lgbm", "selected"}
    stored = {t.horizon: t.crps for t in found.skill.targets if t.target == "asylum_nl"}
    assert stored == {int(h): pytest.approx(c) for h, c in zip(main["horizon"], main["crps"], strict=True)}
    with _client(skill_settings) as client:
        page = client.get("/ontheemding?lang=en").text
    assert "This was a quick backtest" in page and "another version" in page  # test-1 is not MODEL_VERSION


def test_upper_quantiles_at_the_model_s_bound_are_explained_on_the_country_page(skill_settings: Any) -> None:
    """v5's live run bounded Syria's asylum samples at the training years' largest value: the 50% and 90%
    intervals both end at 18,731, which read as a typo until the page said why."""
    from dataclasses import replace
    from datetime import datetime

    from gbvs.forecasting.displacement.views import latest_run
    from gbvs.store.forecasts import forecasts_path, open_forecasts, writing_forecasts

    with open_forecasts(forecasts_path(skill_settings)) as forecasts:
        run, rows = latest_run(forecasts)
    syria_asylum = (rows["unit_key"] == 652) & (rows["target"] == "asylum_nl")
    rows.loc[syria_asylum, ["q75", "q95"]] = 18_731.0
    newer = replace(run, run_id="displacement-test-bounded", created_at=datetime(2026, 6, 3))
    with writing_forecasts(forecasts_path(skill_settings)) as forecasts:
        forecasts.add_run(newer)
        forecasts.add_forecasts(newer.run_id, rows)
    with _client(skill_settings) as client:
        syria = client.get("/landen/SYR").text
        english = client.get("/landen/SYR?lang=en").text
        mali = client.get("/landen/MLI").text
    assert 'id="displacement-bound"' in syria and "op dezelfde waarde eindigen (18.731)" in syria
    assert "end at the same value (18,731)" in english
    assert 'id="displacement-bound"' not in mali


@pytest.mark.slow
def test_a_live_displacement_run_keeps_the_main_model_s_choices_in_its_config(skill_settings: Any) -> None:
    """The real service on the small store: the stored run's config names, for every target, horizon
    and seed, what the main model chose on its inner window (the bound by name), as the summary says."""
    from gbvs.forecasting.displacement.backtest import BOUND_NAMES, CANDIDATES
    from gbvs.forecasting.displacement.service import UNIT, forecast
    from gbvs.forecasting.displacement.targets import HORIZONS
    from gbvs.store.forecasts import forecasts_path, open_forecasts

    summary = forecast(skill_settings, targets=["asylum_nl", "new_displacement"], seeds=2)
    with open_forecasts(forecasts_path(skill_settings)) as forecasts:
        [run] = [r for r in forecasts.runs("forecast", UNIT) if r.run_id == summary.run_id]
    config = json.loads(run.config)
    choices = config["choices"]
    assert (config["targets"], config["seeds"]) == (["asylum_nl", "new_displacement"], [0, 1])
    assert sorted((c["target"], c["horizon"], c["seed"]) for c in choices) == [
        (target, h, seed) for target in ("asylum_nl", "new_displacement") for h in HORIZONS for seed in (0, 1)
    ]
    assert all(c["bound"] in BOUND_NAMES and c["candidate"] in CANDIDATES for c in choices)
    assert choices == summary.choices


@pytest.mark.slow
def test_a_live_displacement_run_keeps_each_baseline_s_forecast_as_the_backtest_makes_it(
    skill_settings: Any,
) -> None:
    """The real service on the small store: beside the forecast run, one run per baseline of the
    backtest, with the forecast run's provenance and its name, holding the quantiles the backtest's own
    code (``fit_forecast``) gives that baseline at the same origin."""
    from gbvs.forecasting.displacement.backtest import fit_forecast, model_set
    from gbvs.forecasting.displacement.features import origin_features
    from gbvs.forecasting.displacement.service import BASELINE_KIND, UNIT, forecast, read_inputs
    from gbvs.forecasting.displacement.skill import BASELINES
    from gbvs.forecasting.displacement.targets import TARGETS
    from gbvs.forecasting.displacement.views import baseline_forecasts
    from gbvs.store.forecasts import forecasts_path, open_forecasts

    summary = forecast(skill_settings, targets=["asylum_nl"], seeds=2)
    with open_forecasts(forecasts_path(skill_settings)) as forecasts:
        [run] = [r for r in forecasts.runs("forecast", UNIT) if r.run_id == summary.run_id]
        kept = baseline_forecasts(forecasts, run)
        model = forecasts.forecast_rows(run.run_id)
    assert summary.baselines == list(BASELINES) and set(kept.runs) == set(BASELINES)
    for name, stored in kept.runs.items():
        assert (stored.kind, stored.unit, stored.model) == (BASELINE_KIND, UNIT, name)
        assert (stored.data_vintage, stored.training_cutoff) == (run.data_vintage, run.training_cutoff)
        config = json.loads(stored.config)
        assert config["forecast_run"] == run.run_id and config["seeds"] == (
            [0, 1] if name == "history" else [0]
        )
        rows = kept.of(name)
        assert len(rows) == len(model)  # every origin, horizon and target the model forecast
    inputs = read_inputs(skill_settings)
    origin = int(inputs.panel["period"].max())
    cut, features = origin_features(inputs.panel, origin, inputs.neighbours)
    target = TARGETS["asylum_nl"]
    for name in ("last_value_spread", "last_value"):
        _, out = fit_forecast(model_set(target, 1, 0)[name], cut, features, target, 1, origin)
        rows = kept.of(name)
        stored = rows[rows["horizon"] == 1].set_index("unit_key")
        expected = out.set_index("gwcode")
        for q in ("q05", "q50", "q95"):
            column = f"q{float(q[1:]) / 100:g}"
            assert stored.loc[expected.index, q].to_numpy() == pytest.approx(expected[column].to_numpy())


# Where a baseline was better, every place that shows the forecasts says which forecast to go by.

USE_NL = (
    "Ga voor asielaanvragen in Nederland één jaar vooruit dus uit van de waarde van vorig jaar maal eerdere "
    "veranderingen; noem deze voorspellingen hooguit als aanvulling, met de vermelding dat ze het in het "
    "verleden slechter deden."
)
USE_EN = (
    "For asylum applications in the Netherlands one year ahead, go by last year's value times past changes "
    "instead; cite these forecasts only as a supplement, saying that they did worse in the past."
)


@pytest.mark.parametrize(("lang", "use"), [("nl", USE_NL), ("en", USE_EN)])
def test_where_a_baseline_was_better_the_pages_api_and_cli_say_which_forecast_to_go_by(
    skill_settings: Any, run_cli: Any, monkeypatch: Any, lang: str, use: str
) -> None:
    from tests.web.forecastbuilder import add_displacement_backtest

    add_displacement_backtest(skill_settings)
    with _client(skill_settings) as client:
        ranking = html.unescape(client.get(f"/ontheemding?lang={lang}").text)
        country = html.unescape(client.get(f"/landen/SYR?lang={lang}").text)
        api = client.get(f"/api/v1/countries/SYR/displacement?lang={lang}").json()
        api_ranking = client.get(f"/api/v1/displacement/ranking?lang={lang}").json()
    assert use in ranking and use in country
    loss = {(t["target"], t["horizon"]): t["loss"] for t in api["backtest"]["targets"]}
    assert loss[("asylum_nl", 1)].endswith(use) and loss[("asylum_nl", 1)].startswith(
        LOSS_NL if lang == "nl" else LOSS_EN
    )
    assert api_ranking["backtest"]["targets"][0]["loss"] == loss[("asylum_nl", 1)]
    monkeypatch.setenv("GBVS_DATA_DIR", str(skill_settings.data_dir))
    monkeypatch.setenv("GBVS_STORE_PATH", str(skill_settings.resolved_store_path))
    assert use in run_cli("displacement", "ranking", "--lang", lang).stdout


def test_a_forecast_level_with_or_better_than_every_baseline_gets_no_loss_sentence() -> None:
    from gbvs.forecasting.displacement.skill import loss_text, target_skill

    def rows(spread: float) -> list[dict[str, Any]]:
        crps = {"last_value": 70.0, "last_value_spread": spread, "lgbm": 60.0}
        return [
            {"target": "asylum_nl", "horizon": 1, "model": m, "n": 10, "crps": v} for m, v in crps.items()
        ]

    assert loss_text(target_skill(rows(61.0))[0], 2010, 2023) is None  # better than both
    assert loss_text(target_skill(rows(60.0))[0], 2010, 2023) is None  # level is not "less good"
    text = loss_text(target_skill(rows(50.0))[0], 2010, 2023)
    assert text is not None and text.endswith(USE_EN) and "(CRPS 60.0 against 50.0, 20% worse)" in text


def test_the_ranking_csv_names_the_conflict_run_behind_p_conflict_and_the_backtest_verdict(
    skill_settings: Any, run_cli: Any, monkeypatch: Any
) -> None:
    """p_conflict comes from another run than the displacement forecasts: each CSV row names it, and the
    baseline the backtest found better at this horizon, as the API's and the CLI's JSON do."""
    from tests.web.forecastbuilder import add_displacement_backtest

    stored = add_displacement_backtest(skill_settings)
    with _client(skill_settings) as client:
        api = list(csv.DictReader(io.StringIO(client.get("/api/v1/displacement/ranking?format=csv").text)))
    monkeypatch.setenv("GBVS_DATA_DIR", str(skill_settings.data_dir))
    monkeypatch.setenv("GBVS_STORE_PATH", str(skill_settings.resolved_store_path))
    cli = list(csv.DictReader(io.StringIO(run_cli("displacement", "ranking", "--format", "csv").stdout)))
    for rows in (api, cli):
        syria = rows[0]
        assert syria["iso3"] == "SYR" and syria["p_conflict"] == "0.92"
        assert (syria["conflict_run_id"], syria["conflict_model_version"]) == ("forecast-new", "lgbm-test-1")
        assert syria["conflict_training_cutoff"] == "2023" and syria["conflict_data_vintage"]
        assert (syria["run_id"], syria["model_version"]) == ("displacement-test", "displacement-test-1")
        assert syria["backtest_run_id"] == stored.run_id
        assert syria["better_baseline"] == "last_value_spread"
    assert list(api[0]) == list(cli[0])  # one set of columns


@pytest.mark.parametrize(
    ("code", "what"),
    [
        ("XXA", "stateless people"),
        ("STA", "stateless people"),
        ("UNK", "unknown origin"),
        ("TIB", "Tibetans"),
    ],
)
def test_a_unhcr_origin_code_that_is_no_state_gets_a_message_saying_what_it_is(
    client: Any, code: str, what: str
) -> None:
    for path in (f"/api/v1/countries/{code}/displacement", f"/api/v1/countries/{code.lower()}"):
        response = client.get(path)
        assert response.status_code == 404, path
        detail = response.json()["detail"]
        assert f"{code} is UNHCR's code for" in detail and what in detail, detail
        assert "unhcr_asylum_applications" in detail
    page = html.unescape(client.get(f"/landen/{code}?lang=nl").text)
    assert f"{code} is de code van UNHCR voor" in page
    assert f"{code} is UNHCR's code for" in html.unescape(client.get(f"/landen/{code}?lang=en").text)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nl", "Asielaanvragen van staatlozen, van mensen van onbekende herkomst"),
        ("en", "Asylum applications by stateless people, by people of unknown origin"),
    ],
)
def test_the_ranking_says_which_applications_it_leaves_out(
    skill_settings: Any, run_cli: Any, monkeypatch: Any, lang: str, words: str
) -> None:
    with _client(skill_settings) as client:
        assert words in html.unescape(client.get(f"/ontheemding?lang={lang}").text)
        assert client.get(f"/api/v1/displacement/ranking?lang={lang}").json()["left_out"].startswith(words)
    monkeypatch.setenv("GBVS_DATA_DIR", str(skill_settings.data_dir))
    monkeypatch.setenv("GBVS_STORE_PATH", str(skill_settings.resolved_store_path))
    assert words in run_cli("displacement", "ranking", "--lang", lang).stdout


def test_a_country_the_latest_run_has_no_forecast_for_is_told_so_not_that_none_exists(
    skill_settings: Any,
) -> None:
    from tests.web.forecastbuilder import add_displacement_backtest

    _run_without_mali(skill_settings)
    add_displacement_backtest(skill_settings)
    with _client(skill_settings) as client:
        pages = {lang: html.unescape(client.get(f"/landen/MLI?lang={lang}").text) for lang in ("nl", "en")}
        api = client.get("/api/v1/countries/MLI/displacement").json()
        syria = client.get("/api/v1/countries/SYR/displacement").json()
    assert "The latest displacement forecast run has no forecast for Mali." in pages["en"]
    assert "De nieuwste voorspelrun voor ontheemding heeft geen voorspelling voor Mali." in pages["nl"]
    assert (
        "No displacement forecast yet" not in pages["en"] and "displacement-test-without-mali" in pages["en"]
    )
    assert 'id="displacement-skill"' in pages["en"]  # the backtest, as the API gives it
    assert api["forecasts"] == [] and api["forecast_run"]["run_id"] == "displacement-test-without-mali"
    assert syria["forecast_run"] == syria["forecasts"][0]["run"]


def _bounded_run(settings: Any, syria: dict[str, float], mali: dict[str, float]) -> None:
    """A newer run of the live version with Syria's and Mali's asylum quantiles replaced."""
    from dataclasses import replace
    from datetime import datetime

    from gbvs.forecasting.displacement.views import latest_run
    from gbvs.store.forecasts import forecasts_path, open_forecasts, writing_forecasts

    with open_forecasts(forecasts_path(settings)) as forecasts:
        run, rows = latest_run(forecasts)
    for gwcode, quantiles in ((652, syria), (432, mali)):
        chosen = (rows["unit_key"] == gwcode) & (rows["target"] == "asylum_nl")
        rows.loc[chosen, list(quantiles)] = list(quantiles.values())
    newer = replace(run, run_id="displacement-test-bounded", created_at=datetime(2026, 6, 3))
    with writing_forecasts(forecasts_path(settings)) as forecasts:
        forecasts.add_run(newer)
        forecasts.add_forecasts(newer.run_id, rows)


def test_the_bound_note_follows_equal_upper_quantiles_not_small_gaps_on_every_page(
    skill_settings: Any,
) -> None:
    """The note is about the 75% and 95% quantiles being one value, the model's bound: also where the median
    is at it, never for a small origin whose quantiles are merely less than half an application apart; the
    ranking shows the same 90% intervals and the API says which forecasts are at the bound."""
    _bounded_run(
        skill_settings,
        syria={"q25": 9000.0, "q50": 18_731.0, "q75": 18_731.0, "q95": 18_731.0},
        mali={"q05": 0.0, "q25": 0.0, "q50": 0.1, "q75": 0.2, "q95": 0.6},
    )
    with _client(skill_settings) as client:
        syria = html.unescape(client.get("/landen/SYR?lang=en").text)
        mali = client.get("/landen/MLI?lang=en").text
        ranking = html.unescape(client.get("/ontheemding?lang=nl").text)
        api = client.get("/api/v1/countries/SYR/displacement").json()
        api_mali = client.get("/api/v1/countries/MLI/displacement").json()
    assert 'id="displacement-bound"' in syria and "end at the same value (18,731)" in syria
    assert 'id="displacement-bound"' not in mali
    assert 'id="displacement-bound"' in ranking and "op dezelfde waarde eindigen (18.731)" in ranking
    at_bound = {(f["target"], f["horizon"]): f["upper_quantiles_coincide"] for f in api["forecasts"]}
    assert at_bound[("asylum_nl", 1)] is True and at_bound[("new_displacement", 1)] is False
    assert not any(f["upper_quantiles_coincide"] for f in api_mali["forecasts"])


def test_the_source_line_names_each_unhcr_table_where_they_share_a_title(client: Any) -> None:
    """UNHCR's tables share one title: the source line named it twice, not which table a figure is from."""
    import re

    page = client.get("/ontheemding?lang=nl").text
    line = re.sub(r"\s+", " ", page[page.rindex('<p class="provenance">') :].split("</p>")[0])
    assert "unhcr_population" in re.sub(r'href="[^"]*"', "", line)
    assert "unhcr_asylum_applications" in re.sub(r'href="[^"]*"', "", line)


@pytest.mark.parametrize(("lang", "caveat"), [("nl", CAVEAT_NL), ("en", CAVEAT_EN)])
def test_the_api_caveat_is_the_pages_in_the_request_s_language(client: Any, lang: str, caveat: str) -> None:
    """One caveat (the pages'), in the language of the API's other sentences (loss, left_out)."""
    page = html.unescape(client.get(f"/ontheemding?lang={lang}").text)
    for path in ("/api/v1/displacement/ranking", "/api/v1/countries/SYR/displacement"):
        text = client.get(f"{path}?lang={lang}").json()["caveat"]
        assert text.startswith(caveat) and text in page, path


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nl", "op dezelfde waarde eindigen (18.731)"), ("en", "end at the same value (18,731)")],
)
def test_the_cli_ranking_explains_intervals_ending_at_the_model_s_bound(
    skill_settings: Any, run_cli: Any, monkeypatch: Any, lang: str, words: str
) -> None:
    monkeypatch.setenv("GBVS_DATA_DIR", str(skill_settings.data_dir))
    monkeypatch.setenv("GBVS_STORE_PATH", str(skill_settings.resolved_store_path))
    assert words not in run_cli("displacement", "ranking", "--lang", lang).stdout
    _bounded_run(skill_settings, syria={"q75": 18_731.0, "q95": 18_731.0}, mali={})
    assert words in run_cli("displacement", "ranking", "--lang", lang).stdout


# Where the backtest found a baseline better, its forecast stands beside the model's, marked as the one
# to go by; a run made before the baselines were kept says so.

GO_BY = {"nl": "ga uit van deze voorspelling", "en": "go by this forecast"}


@pytest.mark.parametrize(
    ("lang", "median", "interval"), [("nl", "10.500", "4.200–21.000"), ("en", "10,500", "4,200–21,000")]
)
def test_the_better_baseline_s_forecast_stands_beside_the_model_s_on_the_pages_api_and_cli(
    skill_settings: Any, run_cli: Any, monkeypatch: Any, lang: str, median: str, interval: str
) -> None:
    """Asylum applications one year ahead lost to last year's value times past changes (59.9 against
    51.6): that baseline's forecast for Syria (15,000 x 0.7) is shown beside the model's, with its run."""
    from tests.web.forecastbuilder import add_displacement_backtest, add_displacement_baselines

    add_displacement_backtest(skill_settings)
    kept = {r.model: r for r in add_displacement_baselines(skill_settings)}
    with _client(skill_settings) as client:
        country = html.unescape(client.get(f"/landen/SYR?lang={lang}").text)
        ranking = html.unescape(client.get(f"/ontheemding?lang={lang}").text)
        api = client.get(f"/api/v1/countries/SYR/displacement?lang={lang}").json()
        api_ranking = client.get("/api/v1/displacement/ranking?horizon=1").json()
        csv_text = client.get("/api/v1/displacement/ranking?horizon=1&format=csv").text
    section = country[country.index('id="displacement-baselines"') :]
    assert median in section[: section.index("</table>")] and GO_BY[lang] in section
    assert kept["last_value_spread"].run_id in section  # its provenance
    assert median in ranking and 'id="displacement-baselines"' in ranking and GO_BY[lang] in ranking
    beside = {(b["baseline"], b["target"], b["horizon"]): b for b in api["baseline_forecasts"]}
    assert len(beside) == 16  # every baseline, target and horizon in the API ...
    spread = beside[("last_value_spread", "asylum_nl", 1)]
    assert (
        spread["go_by"] and spread["q50"] == pytest.approx(10500.0) and spread["q05"] == pytest.approx(4200.0)
    )
    assert spread["run"]["run_id"] == kept["last_value_spread"].run_id
    assert not beside[("last_value", "asylum_nl", 1)]["go_by"]  # ... the one to go by marked
    assert beside[("last_value_spread", "asylum_nl", 2)]["go_by"]  # 81.0 against 70.5 (history: a tie)
    assert not beside[("history", "asylum_nl", 2)]["go_by"]
    assert beside[("history", "new_displacement", 1)]["go_by"]  # 12,125 against 11,755
    assert api["baselines_missing"] is None
    syria = next(r for r in api_ranking["data"] if r["iso3"] == "SYR")
    assert (syria["baseline"], syria["baseline_q50"]) == ("last_value_spread", pytest.approx(10500.0))
    assert api_ranking["baseline_run"]["run_id"] == kept["last_value_spread"].run_id
    row = next(r for r in csv.DictReader(io.StringIO(csv_text)) if r["iso3"] == "SYR")
    assert float(row["baseline_q50"]) == pytest.approx(10500.0)
    assert row["baseline_run_id"] == kept["last_value_spread"].run_id
    monkeypatch.setenv("GBVS_DATA_DIR", str(skill_settings.data_dir))
    monkeypatch.setenv("GBVS_STORE_PATH", str(skill_settings.resolved_store_path))
    text = run_cli("displacement", "ranking", "--lang", lang).stdout
    assert (
        f"{median} [{interval}]" in text and GO_BY[lang] in text and kept["last_value_spread"].run_id in text
    )
    data = json.loads(run_cli("displacement", "ranking", "--format", "json").stdout)
    assert data["baseline_run"]["run_id"] == kept["last_value_spread"].run_id


def test_a_backtest_of_another_model_version_puts_no_baseline_beside_the_forecasts(
    skill_settings: Any,
) -> None:
    from tests.web.forecastbuilder import add_displacement_backtest, add_displacement_baselines

    add_displacement_backtest(skill_settings, model_version="displacement-test-0")
    add_displacement_baselines(skill_settings)
    with _client(skill_settings) as client:
        ranking = html.unescape(client.get("/ontheemding?lang=en").text)
        country = html.unescape(client.get("/landen/SYR?lang=en").text)
        api = client.get("/api/v1/displacement/ranking").json()
        api_country = client.get("/api/v1/countries/SYR/displacement").json()
    for page in (ranking, country):
        assert 'id="displacement-baselines' not in page and "go by this forecast" not in page
    assert api["baseline_run"] is None and all(r["baseline"] is None for r in api["data"])
    assert len(api_country["baseline_forecasts"]) == 16 and not any(
        b["go_by"] for b in api_country["baseline_forecasts"]
    )


MISSING_EN = "Forecast run displacement-test keeps no forecasts of the baselines"
MISSING_NL = "Voorspellingsrun displacement-test bevat geen voorspellingen van de basismodellen"


def test_a_run_made_before_the_baselines_were_kept_says_so(
    skill_settings: Any, run_cli: Any, monkeypatch: Any
) -> None:
    from tests.web.forecastbuilder import add_displacement_backtest

    add_displacement_backtest(skill_settings)
    with _client(skill_settings) as client:
        country = html.unescape(client.get("/landen/SYR?lang=nl").text)
        ranking = html.unescape(client.get("/ontheemding?lang=en").text)
        api = client.get("/api/v1/countries/SYR/displacement?lang=en").json()
        api_ranking = client.get("/api/v1/displacement/ranking?lang=nl").json()
    assert MISSING_NL in country and MISSING_EN in ranking
    assert api["baseline_forecasts"] == [] and api["baselines_missing"].startswith(MISSING_EN)
    assert api_ranking["baselines_missing"].startswith(MISSING_NL) and api_ranking["baseline_run"] is None
    monkeypatch.setenv("GBVS_DATA_DIR", str(skill_settings.data_dir))
    monkeypatch.setenv("GBVS_STORE_PATH", str(skill_settings.resolved_store_path))
    assert MISSING_EN in run_cli("displacement", "ranking", "--lang", "en").stdout


LEVEL_EN = (
    "Over 2010-2023 these forecasts of asylum applications in the Netherlands one year ahead were level "
    "with last year's value times past changes: their CRPS (61.8 against 60.0, 3% worse) differs by no more "
    "than it varied over the backtest's 3 seeds (standard deviation 2.5)."
)
LEVEL_NL = (
    "Over 2010-2023 deden deze voorspellingen van asielaanvragen in Nederland één jaar vooruit het even goed "
    "als de waarde van vorig jaar maal eerdere veranderingen: het verschil in CRPS (61,8 tegen 60,0, 3% "
    "slechter) is niet groter dan de spreiding over de 3 startwaarden van het model in de backtest "
    "(standaardafwijking 2,5)."
)


def _seeded_scores(model_sd: float, baseline_sd: float = 0.0) -> list[dict[str, Any]]:
    """Asylum one year ahead: the model 61.8 against last year's value times past changes 60.0 (3% worse)."""
    figures = {"last_value": (70.0, 0.0), "last_value_spread": (60.0, baseline_sd), "lgbm": (61.8, model_sd)}
    return [
        {"target": "asylum_nl", "horizon": 1, "model": m, "n": 10, "crps": crps, "crps_sd": sd}
        for m, (crps, sd) in figures.items()
    ]


@pytest.mark.parametrize(("lang", "level"), [("nl", LEVEL_NL), ("en", LEVEL_EN)])
def test_a_loss_within_the_spread_over_the_seeds_is_called_level_not_a_reason_to_go_by_the_baseline(
    lang: str, level: str
) -> None:
    """The model loses by 1.8, the standard deviation of its CRPS over the seeds is 2.5: the sentence says
    the two were level (from the report's figures), not to go by the baseline; the API says so too."""
    from datetime import datetime

    from tests.web.forecastbuilder import stored_run

    from gbvs.forecasting.displacement.skill import BacktestSkill, loss_text, target_skill
    from gbvs.forecasting.displacement.views import StoredSkill, backtest_dict
    from gbvs.web.i18n import LOCALE_DIR, read_catalog

    catalogue = {m.id: m.string for m in read_catalog(LOCALE_DIR, lang) if m.id}

    def gettext(message: str) -> str:
        return catalogue.get(message) or message

    [within] = target_skill(_seeded_scores(2.5))
    assert within.loss_within_seed_spread
    text = loss_text(within, 2010, 2023, gettext, lang, seeds=3)
    assert text is not None and text.startswith(level)
    assert (USE_NL if lang == "nl" else USE_EN) not in text
    skill = BacktestSkill(2010, 2023, 3, False, "v", (within,))
    stored = StoredSkill(stored_run("b", "backtest", datetime(2026, 1, 1), model_version="v"), skill)
    [entry] = backtest_dict(stored, "v", gettext=gettext, lang=lang)["targets"]
    assert entry["loss"] == text and entry["loss_within_seed_spread"]
    assert entry["better_baseline"] == "last_value_spread"


def test_a_loss_beyond_the_spread_over_the_seeds_still_says_which_forecast_to_go_by() -> None:
    from gbvs.forecasting.displacement.skill import loss_text, target_skill

    [beyond] = target_skill(_seeded_scores(1.0))  # 1.8 worse, sd 1.0
    [one_seed] = target_skill(_seeded_scores(0.0))  # one seed: no spread, any loss is one
    [seeded_baseline] = target_skill(_seeded_scores(1.0, baseline_sd=2.0))  # the baseline's spread counts
    for skill in (beyond, one_seed):
        text = loss_text(skill, 2010, 2023, seeds=3)
        assert not skill.loss_within_seed_spread and text is not None and text.endswith(USE_EN)
    assert seeded_baseline.loss_within_seed_spread


@pytest.mark.parametrize(("lang", "level"), [("nl", LEVEL_NL[:60]), ("en", LEVEL_EN[:60])])
def test_a_baseline_level_within_the_seeds_spread_is_shown_as_level_not_as_the_one_to_go_by(
    skill_settings: Any, lang: str, level: str
) -> None:
    """Every CRPS varied by 10 over the seeds: asylum one year ahead (59.9 against 51.6) is level with the
    past-changes baseline, whose forecast is still shown beside the model's, marked as level."""
    from tests.web.forecastbuilder import add_displacement_backtest, add_displacement_baselines

    add_displacement_backtest(skill_settings, crps_sd=10.0)
    add_displacement_baselines(skill_settings)
    marks = {
        "nl": ("in de backtest even goed als de voorspelling van het model", GO_BY["nl"]),
        "en": ("level with the model's forecast in the backtest", GO_BY["en"]),
    }
    with _client(skill_settings) as client:
        country = html.unescape(client.get(f"/landen/SYR?lang={lang}").text)
        ranking = html.unescape(client.get(f"/ontheemding?lang={lang}").text)
        api = client.get(f"/api/v1/countries/SYR/displacement?lang={lang}").json()
    level_mark, go_by = marks[lang]
    assert level in ranking and level_mark in ranking and go_by not in ranking
    table = country[country.index('id="displacement-baselines"') :]
    body = table[table.index("<tbody>") :]
    asylum = body[: body.index("</tr>")]  # the first row: asylum applications one year ahead
    assert ("10.500" if lang == "nl" else "10,500") in asylum
    assert level in country and level_mark in asylum and go_by not in asylum
    spread = next(
        b
        for b in api["baseline_forecasts"]
        if (b["baseline"], b["target"], b["horizon"]) == ("last_value_spread", "asylum_nl", 1)
    )
    assert spread["go_by"] and spread["level_within_seed_spread"]


@pytest.mark.parametrize(
    ("lang", "joint"), [("nl", "in Nederland. Aandeel"), ("en", "in the Netherlands. Share")]
)
def test_the_country_sentences_on_displacement_are_separated_by_a_space(
    client: Any, lang: str, joint: str
) -> None:
    """The last observed year and the Dutch share ran together: "... in Nederland.Aandeel ..."."""
    page = client.get(f"/landen/SYR?lang={lang}").text
    assert joint in page and joint.replace(". ", ".") not in page, page
