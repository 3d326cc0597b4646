"""Early action: how long the warning-response gap takes as forecast runs and cases pile up.

Builds, in a temporary folder, a forecasts file with RUNS monthly runs of 200 countries (random walks
of the probability, so many alerts), a migrated SQLite database with CASES cases opened from those
alerts (a third of them decided), then times ``alert_history`` and ``gap_report`` (the page and API
compute this on every request). Prints the figures; no goal is asserted.

    .venv/bin/python benchmarks/bench_actions.py [--runs 6] [--cases 20]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from gbvs.actions import service
from gbvs.actions.alerts import alert_history
from gbvs.actions.workflow import Choice, OriginKind, Status
from gbvs.config import load_settings
from gbvs.db.migrate import upgrade
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.forecasting.watchlist import load_rules
from gbvs.security import Principal
from gbvs.store.forecasts import StoredRun, forecasts_path, open_forecasts, writing_forecasts

COUNTRIES = [c for c in range(2, 990) if c % 5 == 0][:200]


def _runs(path: Path, runs: int) -> None:
    rng = np.random.default_rng(0)
    p = rng.uniform(0.01, 0.9, len(COUNTRIES))
    with writing_forecasts(path) as writer:
        for index in range(runs):
            run_id = f"run-{index:03d}"
            created = datetime(2024, 1, 1) + timedelta(days=30 * index)
            writer.add_run(
                StoredRun(
                    run_id, "forecast", created, "country-year", "lgbm", "bench", 2023, "bench", 0, "{}"
                )
            )
            p = np.clip(p + rng.normal(0, 0.08, len(p)), 0.001, 0.999)
            rows = pd.DataFrame(
                {"unit_key": COUNTRIES, "origin": 2023, "target": "incidence", "horizon": 1,
                 "forecast_period": 2024, "p": p, "families": json.dumps({"conflict_history": 1.0}),
                 "summary": "bench"}
            )  # fmt: skip
            writer.add_forecasts(run_id, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--cases", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(data_dir=Path(folder))
        _runs(forecasts_path(settings), args.runs)
        engine = make_engine(settings)
        upgrade(engine)
        rules, owner = load_rules(), Principal.os_owner("bench")
        with open_forecasts(forecasts_path(settings)) as forecasts:
            start = time.perf_counter()
            alerts = alert_history(forecasts, rules)
            history_s = time.perf_counter() - start
            opened = time.perf_counter()
            with session_scope(make_session_factory(engine)) as session:
                for index, alert in enumerate(alerts[: args.cases]):
                    case = service.open_case(
                        session, owner, forecasts=forecasts, rules=rules, origin=OriginKind.alert,
                        reference=alert.reference, title=f"case {index}",
                    )  # fmt: skip
                    if index % 3 == 0:
                        option = service.add_option(
                            session, owner, case, instrument="diplomacy", description="x"
                        )
                        service.move(session, owner, case, Status.options)
                        service.decide(
                            session,
                            owner,
                            case,
                            choice=Choice.act,
                            option_id=option,
                            reasoning="benchmark decision",
                        )
            open_s = (time.perf_counter() - opened) / max(min(len(alerts), args.cases), 1)
            with session_scope(make_session_factory(engine)) as session:
                start = time.perf_counter()
                report = service.gap_report(session, owner, forecasts, rules)
                gap_s = time.perf_counter() - start
        engine.dispose()
    cases = min(len(alerts), args.cases)
    print(f"runs: {args.runs} x {len(COUNTRIES)} countries; alerts: {len(alerts)}; cases: {cases}")
    print(
        f"alert_history: {history_s:.2f} s; open_case (+ workflow for a third): {1000 * open_s:.0f} ms/case"
    )
    print(f"gap_report: {gap_s:.2f} s; answered {report.regions[-1].answered} of {report.regions[-1].alerts}")


if __name__ == "__main__":
    main()
