"""Fuzz the server-rendered pages: every GET page of the app, each of its path and query parameters
set to one bad value at a time, and count the server errors.

What ``fuzz_api.py`` does for ``/api/v1`` (with schemathesis, from the OpenAPI document), for the pages,
which have no such document: the parameters come from the app's own routes (FastAPI's dependants, so a
new page or parameter is fuzzed without changing this script). A path parameter gets a plausible value
(``SYR``, ``1``) while another is fuzzed. The app runs in-process over the small test store and forecasts
(tests/web/storebuilder.py, forecastbuilder.py) and the test site's operational database (signals, a threat
assessment, an early-action case) in a temporary data folder, in remote mode: the pages as the admin, then
every POST form each of four users (admin, coordinator, analyst, an organisation's analyst) is offered,
each field with each bad value (the form's CSRF token kept). With ``--no-database``: loopback mode over no
operational database, pages only (every page that needs it must answer 503 naming ``gbvs db upgrade``).

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
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from fuzzing import BAD_VALUES, test_site_helper

from gbvs.config import load_settings
from gbvs.db.services import tokens
from gbvs.db.services.principals import load_principal
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.reports import records, workflow
from gbvs.security import Principal
from gbvs.web import csrf
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


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields (name, value) as a browser would send them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            if found.get("method", "get").lower() == "post":
                self.forms.append((found.get("action", ""), []))
            return
        if not self.forms or not found.get("name"):
            if tag == "option" and self._select is not None and self.forms:
                self.forms[-1][1].append((self._select, found.get("value", "")))
                self._select = None  # the first option
            return
        fields = self.forms[-1][1]
        if tag == "input" and found.get("type") not in ("submit", "button", "checkbox", "radio"):
            fields.append((found["name"], found.get("value", "")))
        elif tag == "input" and "checked" in found:
            fields.append((found["name"], found.get("value", "on")))
        elif tag == "select":
            self._select = found["name"]
        elif tag == "textarea":
            fields.append((found["name"], "plain text"))


def post_forms(
    client: TestClient, pages: list[str], headers: dict[str, str]
) -> dict[str, list[tuple[str, str]]]:
    """Every POST form the pages offer the user of ``headers``, by action (the first page offering it)."""
    forms: dict[str, list[tuple[str, str]]] = {}
    for page in pages:
        response = client.get(page, headers=headers)
        if response.status_code != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        parser = _Forms()
        parser.feed(response.text)
        for action, fields in parser.forms:
            target = action or page
            if target.startswith("/") and target not in forms and target != "/afmelden":
                forms[target] = fields
    return forms


def form_cases(fields: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The form as offered, then each field (not the CSRF token) with each bad value."""
    names = [name for name, _ in fields if name != csrf.FIELD]
    changed = [
        [(key, bad if key == name else value) for key, value in fields]
        for name in dict.fromkeys(names)
        for bad in PAGE_VALUES
    ]
    return [fields, *changed]


SITE_DATABASE = (
    "the test site's (signals, a threat assessment, an early-action case, a report draft), remote mode, "
    "each user with an API token"
)
USERS = ("root", "coco", "ann", "bz.analist")
"""The test site's users whose forms are fuzzed: the admin, the coordinator and an analyst of the threat
assessment, an analyst of an organisation (signals)."""


def _user_headers(settings: Any) -> dict[str, dict[str, str]]:
    """An API token for each of :data:`USERS`, as request headers."""
    engine = make_engine(settings)
    headers = {}
    try:
        with session_scope(make_session_factory(engine)) as session:
            owner = Principal.os_owner("fuzz")
            for user in USERS:
                secret, _ = tokens.create_token(session, owner, f"fuzz {user}", username=user)
                headers[user] = {"Authorization": f"Bearer {secret}"}
    finally:
        engine.dispose()
    return headers


def _as_form(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    form: dict[str, list[str]] = {}
    for name, value in fields:
        form.setdefault(name, []).append(value)
    return form


def _difference(sent: list[tuple[str, str]], offered: list[tuple[str, str]]) -> str:
    """The field a case changed, as ``name='value'`` ('' for the form as offered)."""
    return next((f"{k}={v!r}" for (k, v), (_, o) in zip(sent, offered, strict=True) if v != o), "")


def _test_site(data_dir: Path) -> str:
    """The test site's operational database: public signals and a case, a threat assessment with its
    rounds, an early-action case (as ``tests/web/conftest.py`` builds ``web_database``); its URL."""
    test_site_helper("actionsbuilder").build_actions(load_settings(data_dir=data_dir))
    url: str = test_site_helper("assessmentbuilder").database_url(data_dir)
    settings = load_settings(data_dir=data_dir, database_url=url)
    test_site_helper("signalbuilder").build_signals(settings)
    test_site_helper("assessmentbuilder").build_assessment(settings, bootstrap=False)
    test_site_helper("actionsbuilder").build_actions(settings)
    _report_draft(settings)
    return url


def _report_draft(settings: Any) -> None:
    """A draft of the 2018-2019 report with an AMBER text of BZ, so the draft page's forms are fuzzed."""
    engine = make_engine(settings)
    try:
        with session_scope(make_session_factory(engine)) as session:
            owner = Principal.os_owner("fuzz")
            draft = workflow.create_draft(
                session, owner, records.period(session, owner, "2018-2019", create=True)
            )
            analyst = load_principal(session, "bz.analist")
            workflow.contribute(session, analyst, draft.id, 8, "BZ deelde 12 signalen.", tlp="amber")
    finally:
        engine.dispose()


def fuzz(verbose: bool, database: bool) -> dict[str, Any]:
    """Every case of every page route, then every field of every form; each user's forms in a fresh
    installation of the test site, so one user's posts (an early-action case's readers narrowed) do not
    hide pages and forms from the next."""
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    started = time.perf_counter()

    def record(method: str, target: str, status: int, sent: str = "") -> None:
        statuses[status] += 1
        if status >= 500 and (database or status != 503):  # without a database: 503, naming the command
            errors.append(f"{method} {target[:120]} {sent[:120]} -> {status}".replace("  ", " "))
        if verbose:
            print(status, method, target[:100], sent[:100], file=sys.stderr)

    forms: dict[str, list[tuple[str, str]]] = {}
    users = USERS if database else ("loopback",)
    for number, user in enumerate(users):
        with (
            _installation(database) as (app, users_headers),
            TestClient(app, base_url="https://127.0.0.1", raise_server_exceptions=False) as client,
        ):
            routes = page_routes(app)
            if number == 0:
                first = next(iter(users_headers.values()))
                for route in routes:
                    for target in cases(route):
                        response = client.get(target, headers=first, follow_redirects=False)
                        record("GET", target, response.status_code)
            headers = users_headers[user]
            offered = post_forms(client, [cases(route)[0] for route in routes], headers)
            forms |= {f"{action} ({user})": fields for action, fields in offered.items()}
            for action, fields in offered.items():
                for sent in form_cases(fields):
                    response = client.post(
                        action, data=_as_form(sent), headers=headers, follow_redirects=False
                    )
                    record("POST", f"{action} ({user})", response.status_code, _difference(sent, fields))
    return {
        "database": SITE_DATABASE if database else "none (loopback mode)",
        "routes": len(routes),
        "forms": sorted(forms),
        "requests": sum(statuses.values()),
        "seconds": round(time.perf_counter() - started, 1),
        "status_codes": dict(sorted(statuses.items())),
        "server_errors": errors,
    }


@contextmanager
def _installation(database: bool) -> Iterator[tuple[Any, dict[str, dict[str, str]]]]:
    """A fresh data folder with the small store, forecasts and (with ``database``) the test site; the app
    and each user's request headers (``loopback``: none)."""
    with tempfile.TemporaryDirectory(prefix="gbvs-fuzz-pages-") as tmp:
        data_dir = Path(tmp)
        test_site_helper("storebuilder").build_store(data_dir / "store.duckdb")
        test_site_helper("forecastbuilder").build_forecasts(load_settings(data_dir=data_dir))
        url = _test_site(data_dir) if database else None
        settings = load_settings(data_dir=data_dir, database_url=url, allow_remote=database)
        yield create_app(settings), (_user_headers(settings) if database else {"loopback": {}})


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
        print(f"forms: {len(report['forms'])} ({', '.join(report['forms'])})")
        print(f"routes: {report['routes']}, requests: {report['requests']} in {report['seconds']} s")
        print(f"status codes: {report['status_codes']}")
        print(f"server errors: {len(report['server_errors'])}")
        for line in report["server_errors"]:
            print(f"  {line}")
    return 1 if report["server_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
