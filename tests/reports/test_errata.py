"""Known faults of frozen snapshots (``gbvs.reports.errata``): recognised from what a snapshot stored,
never on a snapshot this version computes.

The old snapshots are made as the older versions stored them: the outputs this version computes from
the same inputs, with the words the older version wrote instead (its outputs are hashed as they were).
"""

from __future__ import annotations

import copy
from typing import Any

from gbvs.reports.core.indicators import words
from gbvs.reports.core.outputs import compute
from gbvs.reports.errata import (
    ACCOUNTS_IN_REPORT,
    ALERTS_INDICATOR,
    ALERTS_NO_DATA_BEFORE_RUN,
    errata,
)

RUN = {"kind": "run", "run_id": "r1", "year": 2019, "created_on": "2019-05-02", "model_version": "3.15",
       "training_cutoff": 2018, "data_vintage": "2019-04-30"}  # fmt: skip
RULES = {"kind": "rules", "year": None, "source": "shipped", "sha256": "ab" * 32, "target": "incidence",
         "horizon": 1, "threshold": 0.3, "jump": 0.1, "watch_from": 0.2}  # fmt: skip
ALERT = {"run_id": "r1", "gwcode": 432, "year": 2019, "days_to_decision": 10.0}


def _snapshot(alert_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A report of 2018-2019 with DEF's reported readiness (entered by account def.a) and the alerts
    indicator over ``alert_rows``, as this version computes it."""
    reported = {"key": "goal5_nato_readiness", "goal": 5, "method": "reported", "direction": "up",
                "unit": "procent gereed", "baseline_value": None, "baseline_year": None, "target_value": None,
                "owner_organisation": "DEF", "author": "def.a"}  # fmt: skip
    alerts = {"key": ALERTS_INDICATOR, "goal": 1, "method": "computed", "definition": ALERTS_INDICATOR,
              "direction": "up", "baseline_value": None, "baseline_year": None, "target_value": None,
              "owner_organisation": "BZ", "author": "bz.a"}  # fmt: skip
    value = {"id": 1, "indicator_key": "goal5_nato_readiness", "period": "2019", "value": 80.0,
             "organisation": "DEF", "entered_by": "def.a", "measured_on": "2020-01-02",
             "evidence": "jaarverslag"}  # fmt: skip
    inputs = {
        "period": {"label": "2018-2019", "start": "2018-01-01", "end": "2019-12-31", "read_on": "2026-01-05"},
        "window": {"first_year": 2017, "last_year": 2019},
        "gwcodes": {},
        "indicators": [reported, alerts],
        "reported_values": [value],
        "rows": {ALERTS_INDICATOR: alert_rows},
        "goals": [{"number": 1, "pillar": "voorkomen"}, {"number": 5, "pillar": "versterken"}],
        "pillars": [],
        "actions": [
            {"key": "a1", "goal": 5, "title": "Oefening", "owner_organisation": "DEF", "author": "def.a"}
        ],
        "signals": [],
        "sources": [],
    }
    return {"inputs": inputs, "outputs": compute(inputs)}


def _indicator(outputs: dict[str, Any], key: str) -> dict[str, Any]:
    return next(i for goal in outputs["goals"] for i in goal["indicators"] if i["record"]["key"] == key)


def test_a_snapshot_of_this_version_has_no_errata() -> None:
    """With forecast runs, without any (no forecasts file: 'geen gegevens'), and with accounts in the
    recorded inputs (kept there on purpose, left out of the outputs)."""
    for rows in ([{**ALERT, "kind": "alert"}, RUN, RULES], []):
        assert errata(_snapshot(rows)) == [], rows


def test_account_names_in_the_outputs_are_an_erratum_of_the_whole_report() -> None:
    new = _snapshot([{**ALERT, "kind": "alert"}, RUN, RULES])
    in_record = copy.deepcopy(new)  # the version before c48ff8b kept the record as recorded
    _indicator(in_record["outputs"], "goal5_nato_readiness")["record"]["author"] = "def.a"
    in_footnote = copy.deepcopy(new)  # ... and named the account in a reported value's footnote
    note = _indicator(in_footnote["outputs"], "goal5_nato_readiness")["footnotes"][0]
    note["source"] = words("source_reported", organisation="DEF", user="def.a")
    in_action = copy.deepcopy(new)
    in_action["outputs"]["goals"][1]["actions"][0]["author"] = "def.a"
    for old in (in_record, in_footnote, in_action):
        assert errata(old) == [ACCOUNTS_IN_REPORT]
    assert ACCOUNTS_IN_REPORT.indicator is None and "alleen het ministerie" in ACCOUNTS_IN_REPORT.text("nl")


def test_no_alerts_without_recorded_runs_is_an_erratum_of_the_alerts_indicator() -> None:
    """Rows of the version before 13a1b72 (alerts only, no ``kind``): 2017 and 2018 said 'geen
    waarschuwingen', as this version still computes from such rows."""
    old = _snapshot([ALERT])
    notes = [p["note"] for p in _indicator(old["outputs"], ALERTS_INDICATOR)["points"]]
    assert words("note_no_alerts") in [n for note in notes for n in note]
    assert errata(old) == [ALERTS_NO_DATA_BEFORE_RUN]
    nothing = _snapshot([])  # no alert at all: that version said 'geen waarschuwingen' every year
    for point in _indicator(nothing["outputs"], ALERTS_INDICATOR)["points"]:
        point["note"] = [words("note_no_alerts")]
    assert errata(nothing) == [ALERTS_NO_DATA_BEFORE_RUN]
    every_year = _snapshot([{**ALERT, "year": year} for year in (2017, 2018, 2019)])
    assert errata(every_year) == [], "every year had an alert: no year claims there were none"
    assert ALERTS_NO_DATA_BEFORE_RUN.indicator == ALERTS_INDICATOR
