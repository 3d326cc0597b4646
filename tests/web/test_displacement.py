"""Forced displacement pages and API (issue 17): ranking, country section, provenance, caveat, access."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

CAVEAT_EN = "Asylum applications are not a count of irregular migration"
CAVEAT_NL = "Asielaanvragen zijn geen telling van irreguliere migratie"


def test_ranking_orders_origins_by_forecast_applications_with_provenance(client: Any) -> None:
    body = client.get("/api/v1/displacement/ranking?horizon=1").json()
    assert [row["iso3"] for row in body["data"]] == ["SYR", "UKR", "MLI", "NLD"]
    syria = body["data"][0]
    assert syria["q50"] == 15000 and syria["q05"] < syria["q50"] < syria["q95"]
    assert syria["width90"] == pytest.approx(syria["q95"] - syria["q05"])
    assert syria["last_year"] == 2023 and syria["change"] == pytest.approx(15000 - syria["last_value"])
    assert syria["p_conflict"] == pytest.approx(0.92)  # the latest conflict run's incidence, horizon 1
    assert body["run"]["model_version"] == "displacement-test-1" and body["run"]["training_cutoff"] == 2023
    assert body["caveat"].startswith(CAVEAT_EN)
    assert body["conflict_run"]["model_version"] == "lgbm-test-1"  # where p_conflict comes from
    two = client.get("/api/v1/displacement/ranking?horizon=2").json()["data"][0]
    assert two["forecast_period"] == 2025 and two["q50"] == pytest.approx(16500)


def test_ranking_csv_carries_the_run_in_every_row(client: Any) -> None:
    text = client.get("/api/v1/displacement/ranking?format=csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["iso3"] == "SYR" and len(rows) == 4
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
    assert "UNHCR" in body["provenance"] and body["caveat"].startswith(CAVEAT_EN)
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
