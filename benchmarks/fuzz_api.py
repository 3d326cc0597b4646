"""Fuzz the REST API with schemathesis over every operation and count requests and server errors.

What tests/web/test_schemathesis.py checks (every operation answers without a 5xx and conforms
to the OpenAPI document), with more examples per operation and figures instead of a pass/fail:
requests sent, status codes, 5xx responses and responses that break the documented schema, for
schema-conforming (positive) and deliberately malformed (negative) requests.
The app runs in-process over the small test store and forecasts (tests/web/storebuilder.py,
forecastbuilder.py) in a temporary data folder with a migrated operational database, in loopback
single-user mode, or with ``--remote`` in remote mode where every request carries the API token of an
analyst.

    .venv/bin/python benchmarks/fuzz_api.py --examples 100 [--remote]      # add --json for JSON

Exits 1 when any 5xx was answered.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import schemathesis
from fuzzing import test_site_helper
from hypothesis import HealthCheck, Verbosity, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from gbvs.config import Settings, load_settings
from gbvs.db import migrate
from gbvs.db.schemas import UserCreate
from gbvs.db.services import tokens, users
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.security import Principal, Role
from gbvs.web.app import create_app

ASGI_HOST = "testserver"
"""The Host schemathesis' ASGI client sends (the app answers only to the names it is given)."""


def fuzz(data_dir: Path, examples: int, remote: bool) -> dict[str, Any]:
    """Run every operation ``examples`` times per generation mode; return the counts."""
    test_site_helper("storebuilder").build_store(data_dir / "store.duckdb")
    test_site_helper("forecastbuilder").build_forecasts(load_settings(data_dir=data_dir))
    app_settings = load_settings(data_dir=data_dir, allow_remote=remote, allowed_hosts=ASGI_HOST)
    secret = _database(app_settings)
    headers = {"Authorization": f"Bearer {secret}"} if remote else {}
    app = create_app(app_settings)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    started = time.perf_counter()
    modes = {mode.value: _run_mode(operations, mode, examples, headers) for mode in GenerationMode}
    return {
        "mode": "remote (API token of an analyst)" if remote else "loopback single-user",
        "operations": len(operations),
        "requests": sum(m["requests"] for m in modes.values()),
        "server_errors": sum(m["server_errors"] for m in modes.values()),
        "seconds": round(time.perf_counter() - started, 1),
        "modes": modes,
    }


def _database(app_settings: Settings) -> str:
    """A migrated database with the bootstrap admin, an analyst ``fuzz`` and one API token of theirs
    (sent in remote mode; loopback mode acts as the OS owner)."""
    engine = make_engine(app_settings)
    try:
        migrate.upgrade(engine)
        with session_scope(make_session_factory(engine)) as session:
            users.bootstrap_admin(session, "root", "Root")
            owner = Principal.os_owner("fuzz")
            data = UserCreate(username="fuzz", display_name="Fuzz", role=Role.analyst)
            users.create_user(session, owner, data)
            secret, _ = tokens.create_token(session, owner, "fuzz", username="fuzz")
    finally:
        engine.dispose()
    return secret


def _run_mode(
    operations: list[Any], mode: GenerationMode, examples: int, headers: dict[str, str]
) -> dict[str, Any]:
    """Positive cases follow the schema; negative ones break it on purpose (and must get 4xx)."""
    statuses: Counter[int] = Counter()
    server_errors: list[str] = []
    nonconforming: Counter[str] = Counter()
    untestable: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            verbosity=Verbosity.quiet,
        )
        def check(case: Any) -> None:
            try:
                response = case.call(headers=headers)
            except Exception as error:  # the app raised: the in-process transport passes it on (a 500)
                statuses[500] += 1
                raised = f"{type(error).__name__}: {error}"[:200]
                server_errors.append(f"{case.method} {case.formatted_path} -> {raised}")
                return
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                server_errors.append(f"{case.method} {case.formatted_path} -> {response.status_code}")
            try:
                case.validate_response(response)
            except (Exception, FailureGroup) as failure:  # a group of check failures: a BaseException
                nonconforming[f"{case.method} {case.operation.path}: {type(failure).__name__}"] += 1

        try:
            check()
        except Unsatisfiable:  # nothing to break: an operation without parameters in negative mode
            untestable.append(f"{operation.method.upper()} {operation.path}")
    return {
        "requests": sum(statuses.values()),
        "operations_without_cases": untestable,
        "status_codes": dict(sorted(statuses.items())),
        "server_errors": len(server_errors),
        "server_error_cases": server_errors[:20],
        "nonconforming_responses": sum(nonconforming.values()),
        "nonconforming_by_operation": dict(nonconforming),
    }


def main() -> int:
    """Parse options, fuzz, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="examples per operation (default 100)")
    parser.add_argument("--remote", action="store_true", help="remote mode: every request with an API token")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gbvs-api-fuzz-") as tmp:
        report = fuzz(Path(tmp), options.examples, options.remote)
    if options.json:
        print(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            print(f"{key}: {value}")
    return 1 if report["server_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
