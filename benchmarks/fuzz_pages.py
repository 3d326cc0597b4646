"""Fuzz the server-rendered pages: every GET page of the app, each of its path and query parameters
set to one bad value at a time, and count the server errors.

What ``fuzz_api.py`` does for ``/api/v1`` (with schemathesis, from the OpenAPI document), for the pages,
which have no such document: the parameters come from the app's own routes (FastAPI's dependants, so a
new page or parameter is fuzzed without changing this script). A path parameter gets a plausible value
(``SYR``, ``1``) while another is fuzzed. The app runs in-process over the small test store and forecasts
(tests/web/storebuilder.py, forecastbuilder.py) in a temporary data folder, in loopback single-user mode,
over a migrated operational database with the bootstrap admin, or with ``--no-database`` over none (then
every page that needs it must answer 503 naming ``gbvs db upgrade``, never 500).

    .venv/bin/python benchmarks/fuzz_pages.py            # add --json for JSON, --verbose for each case

Prints the number of requests, the status codes seen and every 5xx (the goal is 0); exits 1 when there
was one.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from fuzzing import BAD_VALUES, test_site_helper

from gbvs.config import load_settings
from gbvs.db import migrate
from gbvs.db.services import users
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.web.app import all_routes, create_app
from gbvs.web.middleware import API_PREFIX

PAGE_VALUES: tuple[str, ...] = (
    *BAD_VALUES,
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    "%00",
    "SYR,NLD,XXX",
)
EVERY_PAGE = ("lang",)
"""A query parameter every page reads outside its signature (the language middleware)."""
PLAUSIBLE = {"iso3": "SYR", "slug": "eurobarometer", "lang": "en"}
"""A path parameter's value while another one is fuzzed (ids: 1)."""


def page_routes(app: Any) -> list[APIRoute]:
    """The app's GET routes outside the API."""
    return [
        route
        for route in all_routes(app.routes)
        if "GET" in route.methods and not route.path.startswith(API_PREFIX)
    ]


def query_keys(dependant: Any) -> list[str]:
    """The query parameters of a route, also those its dependencies read (paging, forms, languages)."""
    keys = [param.alias or param.name for param in dependant.query_params] + list(EVERY_PAGE)
    for sub in dependant.dependencies:
        keys += [key for key in query_keys(sub) if key not in keys]
    return keys


def cases(route: APIRoute) -> list[str]:
    """The URLs of one route: each path parameter and each query parameter set to each bad value."""
    names = re.findall(r"{(\w+)(?::\w+)?}", route.path)
    plain = {name: PLAUSIBLE.get(name, "1") for name in names}

    def url(path_values: dict[str, str], query: str = "") -> str:
        path = route.path
        for name, value in path_values.items():
            shown = quote(value, safe="")
            path = re.sub(r"\{" + name + r"(?::\w+)?\}", lambda _, shown=shown: shown, path)
        return path + (f"?{query}" if query else "")

    urls = [url(plain)]
    for name in names:
        urls += [url({**plain, name: bad}) for bad in PAGE_VALUES if bad]
    for key in query_keys(route.dependant):
        urls += [url(plain, f"{quote(key)}={quote(bad, safe='')}") for bad in PAGE_VALUES]
        urls.append(url(plain, f"{quote(key)}=1&{quote(key)}=2"))  # repeated
    return urls


def _migrate(data_dir: Path) -> None:
    """The operational database, migrated, with the bootstrap admin ``root``."""
    settings = load_settings(data_dir=data_dir)
    engine = make_engine(settings)
    try:
        migrate.upgrade(engine)
        with session_scope(make_session_factory(engine)) as session:
            users.bootstrap_admin(session, "root", "Root")
    finally:
        engine.dispose()


def fuzz(verbose: bool, database: bool) -> dict[str, Any]:
    """Every case of every page route, in a fresh temporary installation."""
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gbvs-fuzz-pages-") as tmp:
        data_dir = Path(tmp)
        test_site_helper("storebuilder").build_store(data_dir / "store.duckdb")
        test_site_helper("forecastbuilder").build_forecasts(load_settings(data_dir=data_dir))
        if database:
            _migrate(data_dir)
        app = create_app(load_settings(data_dir=data_dir))
        routes = page_routes(app)
        with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
            for route in routes:
                for target in cases(route):
                    status = client.get(target, follow_redirects=False).status_code
                    statuses[status] += 1
                    if status >= 500:
                        errors.append(f"GET {target[:160]} -> {status}")
                    if verbose:
                        print(status, target[:120], file=sys.stderr)
    return {
        "database": "migrated, bootstrap admin" if database else "none",
        "routes": len(routes),
        "requests": sum(statuses.values()),
        "seconds": round(time.perf_counter() - started, 1),
        "status_codes": dict(sorted(statuses.items())),
        "server_errors": errors,
    }


def main() -> int:
    """Parse options, fuzz, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--verbose", action="store_true", help="print each request's status to stderr")
    parser.add_argument("--no-database", action="store_true", help="no operational database (503s expected)")
    options = parser.parse_args()
    report = fuzz(options.verbose, not options.no_database)
    if options.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"operational database: {report['database']}")
        print(f"routes: {report['routes']}, requests: {report['requests']} in {report['seconds']} s")
        print(f"status codes: {report['status_codes']}")
        print(f"server errors: {len(report['server_errors'])}")
        for line in report["server_errors"]:
            print(f"  {line}")
    return 1 if report["server_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
