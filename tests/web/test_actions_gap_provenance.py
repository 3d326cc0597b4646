"""The warning-response gap names what its figures come from (remote mode, SQLite and PostgreSQL):
the forecast runs compared (id, model version, training cutoff) and the alert rules in force, with
whether they are GBVS's own or changed by ``<data_dir>/watchlist.yaml``, on the API and the page."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def test_the_gap_names_its_runs_and_rules(remote_site: Any) -> None:
    headers = {"Authorization": f"Bearer {remote_site.token('bob')}"}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        shipped = client.get("/api/v1/warning-responses", headers=headers).json()
        assert [(r["runId"], r["modelVersion"], r["trainingCutoff"]) for r in shipped["forecastRuns"]] == [
            ("forecast-old", "lgbm-test-1", 2023),
            ("forecast-new", "lgbm-test-1", 2023),
        ]
        assert shipped["alertRules"] == {
            "target": "incidence", "horizon": 1, "threshold": 0.5, "jump": 0.1, "watchFrom": 0.2,
            "source": "shipped", "overridden": [],
        }  # fmt: skip
        page = client.get("/vroege-actie/respons?lang=en", headers=headers).text
        assert "These are the rules GBVS ships with" in page and '<th scope="row">forecast-old</th>' in page
        assert "for the years before it there are no data" in page

        (remote_site.settings.data_dir / "watchlist.yaml").write_text("rules:\n  jump: 0.01\n")
        changed = client.get("/api/v1/warning-responses", headers=headers).json()
        assert changed["alertRules"]["source"] == "data_folder" and changed["alertRules"]["overridden"] == [
            "jump"
        ]
        assert changed["alertRules"]["jump"] == 0.01
        dutch = client.get("/vroege-actie/respons?lang=nl", headers=headers).text
        assert "watchlist.yaml in de gegevensmap wijzigt de meegeleverde regels: jump" in dutch
        assert "1 procentpunt of meer" in dutch  # singular for one point
