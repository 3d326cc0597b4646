"""Load benchmark of remote mode: API-token clients and logged-in browser clients, SQLite and PostgreSQL.

For each database backend it prepares a temporary data folder (SQLite file, or a throwaway schema
on the PostgreSQL server named by ``--postgres-url`` / ``GBVS_TEST_POSTGRES_URL``, as set by
``scripts/with-postgres``), migrates it, creates one analyst with ``--token-clients`` API tokens,
starts ``gbvs serve`` (a real uvicorn process, remote mode, ``--workers`` processes), logs
``--cookie-clients`` browsers in through ``/aanmelden``, warms up (``--warmup`` s, not measured:
each worker's first requests fill its caches) and then runs three phases of
``--duration`` seconds each: token clients alone, cookie clients alone, both together. Every client
requests strategy resources (no analytical store needed) as fast as it gets answers.

The load generator shares the machine's cores with the server, so it must cost little: by default
each client is one keep-alive connection whose answers are parsed by httptools (uvicorn's own C
parser), about 0.2 ms of CPU per request. ``--client httpx`` uses httpx instead, which costs
about 2.4 ms per request (its connection pool and, without sniffio installed, a failing
``import sniffio`` on every request) and so takes a large share of the CPU from the server it
measures. The table also gives the server's CPU per request: on a shared machine the latencies
depend on the CPU share the run gets (Linux shares CPU between sessions whatever their nice value),
the CPU per request does not.

Prints, per phase and client kind, side by side per backend: requests, errors (status other than
200 or no answer), p50/p95/p99 latency; and the server's log size (each failure used to log two
tracebacks). Goal (issue 8): 0 errors and p95 < 150 ms with 50 token clients on SQLite.

    .venv/bin/python benchmarks/bench_load.py --duration 60
    bash scripts/with-postgres .venv/bin/python benchmarks/bench_load.py --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httptools
import httpx

from gbvs.config import load_settings
from gbvs.db.migrate import upgrade
from gbvs.db.schemas import UserCreate
from gbvs.db.services import tokens, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.db.testing import POSTGRES_URL_ENV, isolated_database_url
from gbvs.security import Role
from gbvs.web.csrf import NONCE_COOKIE
from gbvs.web.sessions import COOKIE_NAME, HOST_ONLY

REMOTE_NONCE = f"{HOST_ONLY}{NONCE_COOKIE}"  # the pre-login cookie of remote mode
PASSWORD = "benchmark passphrase, not a secret"
TOKEN_URLS = ("/api/v1/goals", "/api/v1/pillars", "/api/v1/threats", "/api/v1/goals/3")
COOKIE_URLS = ("/strategie", "/api/v1/goals", "/toegankelijkheid", "/api/v1/drivers")
PHASES = ("token", "cookie", "both")
LEGEND = (
    "gen_cpu_%: the load generator's CPU use; srv_cpu_%: gbvs serve's (all workers), in % of one core;",
    "cpu_ms/req: gbvs serve's CPU per request (a PostgreSQL server's own CPU is not counted)",
)


@dataclass
class Site:
    """A prepared data folder: environment for ``gbvs serve`` and the analyst's API tokens."""

    env: dict[str, str]
    tokens: list[str]


@dataclass
class Outcome:
    """What the clients of one kind saw in one phase."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    def add(self, started: float, status: str) -> None:
        self.latencies_ms.append((time.perf_counter() - started) * 1000)
        if status != "200":
            self.errors += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def summary(self, seconds: float) -> dict[str, object]:
        return {
            "requests": len(self.latencies_ms),
            "errors": self.errors,
            "req_per_s": round(len(self.latencies_ms) / seconds, 1),
            "p50_ms": _percentile(self.latencies_ms, 0.50),
            "p95_ms": _percentile(self.latencies_ms, 0.95),
            "p99_ms": _percentile(self.latencies_ms, 0.99),
            "error_statuses": self.statuses,
        }


@contextmanager
def prepared_site(backend: str, folder: Path, token_count: int, postgres_url: str | None) -> Iterator[Site]:
    """A migrated database with user 'bench' (analyst, password) and its tokens, in ``folder``."""
    if postgres_url:
        os.environ[POSTGRES_URL_ENV] = postgres_url
    with isolated_database_url(backend, folder) as url:
        settings = load_settings(data_dir=folder / "data", database_url=url, allow_remote=True)
        engine = make_engine(settings)
        upgrade(engine)
        factory = make_session_factory(engine)
        with session_scope(factory) as session:
            users.bootstrap_admin(session, "bench-admin", "Benchmark admin", None, PASSWORD)
            admin = load_principal(session, "bench-admin")
            analyst = UserCreate(
                username="bench", display_name="Benchmark", organisation_code=None, role=Role.analyst
            )
            users.create_user(session, admin, analyst, PASSWORD)
        with session_scope(factory) as session:
            bench = load_principal(session, "bench")
            secrets = [tokens.create_token(session, bench, f"client {n}")[0] for n in range(token_count)]
        engine.dispose()
        env = {key: value for key, value in os.environ.items() if not key.startswith("GBVS_")}
        env |= {
            "GBVS_DATA_DIR": str(settings.data_dir),
            "GBVS_DATABASE_URL": url,
            "GBVS_ALLOW_REMOTE": "true",
        }
        yield Site(env, secrets)


@contextmanager
def running_server(site: Site, workers: int, log_path: Path) -> Iterator[tuple[str, int]]:
    """``gbvs serve`` on a free loopback port until the block ends; yields its base URL and process id."""
    port = _free_port()
    gbvs = Path(sys.executable).with_name("gbvs")
    command = [str(gbvs), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, env=site.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_up(base_url, server)
            yield base_url, server.pid
        finally:
            server.terminate()
            server.wait(timeout=20)


async def log_in(base_url: str) -> str:
    """Log 'bench' in through the form like a browser does; the session cookie's value."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        form = await client.get("/aanmelden")
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form.text)
        assert token, "the login form has no CSRF token"
        nonce = form.cookies[REMOTE_NONCE]
        body = {"username": "bench", "password": PASSWORD, "csrf_token": token.group(1)}
        answer = await client.post("/aanmelden", data=body, headers={"cookie": f"{REMOTE_NONCE}={nonce}"})
        if answer.status_code != 303:
            raise SystemExit(f"login failed with {answer.status_code}: {answer.text[:200]}")
        return str(answer.cookies[COOKIE_NAME])


class LightClient:
    """One keep-alive HTTP/1.1 connection sending GETs; answers parsed by httptools (cheap in CPU)."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        url = httpx.URL(base_url)
        self.address = (url.host, url.port or 80)
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.head = f"Host: {url.host}:{url.port}\r\n{extra}\r\n".encode("latin-1")
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self.complete = False

    def on_message_complete(self) -> None:  # httptools callback
        self.complete = True

    async def get(self, path: str) -> str:
        """GET ``path``; the status code, or the exception's name (the connection is then renewed)."""
        try:
            async with asyncio.timeout(30):
                return await self._get(path)
        except (OSError, TimeoutError, httptools.HttpParserError) as error:
            self.close()
            return type(error).__name__

    async def _get(self, path: str) -> str:
        if self.streams is None:
            self.streams = await asyncio.open_connection(*self.address)
        reader, writer = self.streams
        writer.write(f"GET {path} HTTP/1.1\r\n".encode("latin-1") + self.head)
        parser = httptools.HttpResponseParser(self)
        self.complete = False
        while not self.complete:
            data = await reader.read(65536)
            if not data:
                raise ConnectionResetError("the server closed the connection")
            parser.feed_data(data)
        if not parser.should_keep_alive():
            self.close()
        return str(parser.get_status_code())

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def client_loop(
    base_url: str,
    headers: dict[str, str],
    urls: tuple[str, ...],
    offset: int,
    stop_at: float,
    seen: Outcome,
    kind: str = "light",
) -> None:
    """One client: request ``urls`` in turn until ``stop_at``."""
    if kind == "httpx":
        await _httpx_loop(base_url, headers, urls, offset, stop_at, seen)
        return
    client = LightClient(base_url, headers)
    index = offset
    try:
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            status = await client.get(urls[index % len(urls)])
            seen.add(started, status)
            index += 1
    finally:
        client.close()


async def _httpx_loop(
    base_url: str, headers: dict[str, str], urls: tuple[str, ...], offset: int, stop_at: float, seen: Outcome
) -> None:
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as client:
        index = offset
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                status = str((await client.get(urls[index % len(urls)])).status_code)
            except httpx.HTTPError as error:
                status = type(error).__name__
            seen.add(started, status)
            index += 1


async def run_phase(
    base_url: str,
    token_headers: list[dict[str, str]],
    cookie_headers: list[dict[str, str]],
    duration: float,
    client: str = "light",
) -> dict[str, dict[str, object]]:
    """Run the given clients together for ``duration`` seconds; a summary per client kind."""
    kinds = {"token": (token_headers, TOKEN_URLS), "cookie": (cookie_headers, COOKIE_URLS)}
    seen = {kind: Outcome() for kind, (headers, _) in kinds.items() if headers}
    stop_at = time.monotonic() + duration
    loops = [
        client_loop(base_url, headers, urls, number, stop_at, seen[kind], client)
        for kind, (all_headers, urls) in kinds.items()
        for number, headers in enumerate(all_headers)
    ]
    started, cpu_started = time.monotonic(), time.process_time()
    await asyncio.gather(*loops)
    elapsed = time.monotonic() - started
    generator_cpu = round(100 * (time.process_time() - cpu_started) / elapsed)  # % of one core
    return {kind: outcome.summary(elapsed) | {"gen_cpu_%": generator_cpu} for kind, outcome in seen.items()}


def bench_backend(backend: str, args: argparse.Namespace) -> dict[str, object]:
    """Every phase on one backend."""
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"gbvs-bench-{backend}-")))
        site = stack.enter_context(prepared_site(backend, folder, args.token_clients, args.postgres_url))
        log_path = folder / "server.log"
        base_url, server_pid = stack.enter_context(running_server(site, args.workers, log_path))
        browsers = args.cookie_clients if {"cookie", "both"} & set(args.phases) else 0
        cookies = [asyncio.run(log_in(base_url)) for _ in range(browsers)]
        token_headers = [{"authorization": f"Bearer {secret}"} for secret in site.tokens]
        cookie_headers = [{"cookie": f"{COOKIE_NAME}={value}"} for value in cookies]
        warmup = run_phase(base_url, token_headers, cookie_headers, args.warmup, args.client)
        asyncio.run(warmup)  # not measured
        phases: dict[str, object] = {}
        for phase in args.phases:
            chosen_tokens = token_headers if phase in ("token", "both") else []
            chosen_cookies = cookie_headers if phase in ("cookie", "both") else []
            measured = run_phase(base_url, chosen_tokens, chosen_cookies, args.duration, args.client)
            cpu_before = _tree_cpu_seconds(server_pid)
            phases[phase] = summaries = asyncio.run(measured)
            _add_server_cpu(summaries, cpu_before, _tree_cpu_seconds(server_pid), args.duration)
            print(f"  {backend} {phase}: done", file=sys.stderr)
        log_lines = log_path.read_text(errors="replace").splitlines()
        return {
            "phases": phases,
            "server_log_bytes": log_path.stat().st_size,
            "server_log_head": log_lines[:6],
        }


def print_table(results: dict[str, dict[str, object]]) -> None:
    """Phases and client kinds as rows, backends side by side."""
    backends = list(results)
    columns = ("requests", "errors", "p50_ms", "p95_ms", "p99_ms", "gen_cpu_%", "srv_cpu_%", "cpu_ms/req")
    header = f"{'phase':<7}{'clients':<8}" + "".join(f"| {b:<{11 * len(columns)}}" for b in backends)
    sub = " " * 15 + "".join("| " + "".join(f"{c:>11}" for c in columns) for _ in backends)
    print(header)
    print(sub)
    for line in LEGEND:
        print(" " * 15 + line)
    first = results[backends[0]]["phases"]
    assert isinstance(first, dict)
    for phase, kinds in first.items():
        for kind in kinds:
            cells = ""
            for backend in backends:
                summary = results[backend]["phases"][phase][kind]  # type: ignore[index]
                cells += "| " + "".join(f"{summary[c]:>11}" for c in columns)
            print(f"{phase:<7}{kind:<8}{cells}")
    for backend in backends:
        print(f"server log of the {backend} run: {results[backend]['server_log_bytes']} bytes")
        for line in results[backend]["server_log_head"]:  # type: ignore[attr-defined]
            print(f"  | {line[:160]}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per phase (default 60)")
    parser.add_argument("--token-clients", type=int, default=50, help="API-token clients (default 50)")
    parser.add_argument(
        "--cookie-clients", type=int, default=50, help="logged-in browser clients (default 50)"
    )
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds first (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="gbvs serve worker processes (default 2)")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated (default both)")
    parser.add_argument("--phases", default=",".join(PHASES), help="token, cookie, both (default all)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(POSTGRES_URL_ENV),
        help=f"PostgreSQL server (default ${POSTGRES_URL_ENV})",
    )
    parser.add_argument(
        "--client",
        choices=("light", "httpx"),
        default="light",
        help="load generator: light (httptools, default) or httpx (costs the server CPU; see above)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    args.phases = [phase for phase in args.phases.split(",") if phase]
    unknown = set(args.phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phase(s) {sorted(unknown)}; choose from {', '.join(PHASES)}")
    results: dict[str, dict[str, object]] = {}
    for backend in args.backends.split(","):
        if backend == "postgresql" and not args.postgres_url:
            print(
                f"postgresql skipped: set --postgres-url or {POSTGRES_URL_ENV} (scripts/with-postgres)",
                file=sys.stderr,
            )
            continue
        results[backend] = bench_backend(backend, args)
    print(f"load average before printing: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(json.dumps(results, indent=2)) if args.json else print_table(results)
    return 0 if all(_errors(result) == 0 for result in results.values()) else 1


def _errors(result: dict[str, object]) -> int:
    phases = result["phases"]
    assert isinstance(phases, dict)
    return sum(int(summary["errors"]) for kinds in phases.values() for summary in kinds.values())


def _tree_cpu_seconds(pid: int) -> float | None:
    """CPU seconds used so far by process ``pid`` and its descendants (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, IndexError, ValueError):
        return None
    below = [_tree_cpu_seconds(int(child)) for child in children]
    return own + sum(seconds for seconds in below if seconds is not None)


def _add_server_cpu(
    summaries: dict[str, dict[str, object]], before: float | None, after: float | None, seconds: float
) -> None:
    """Add the server's CPU use in the phase: % of one core, and ms per request (all client kinds)."""
    requests = sum(int(str(summary["requests"])) for summary in summaries.values())
    used = None if before is None or after is None else after - before
    for summary in summaries.values():
        summary["srv_cpu_%"] = "n/a" if used is None else round(100 * used / seconds)
        summary["cpu_ms/req"] = "n/a" if used is None or not requests else round(1000 * used / requests, 2)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return (
        round(ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))], 1)
        if ordered
        else float("nan")
    )


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base_url: str, server: subprocess.Popen[bytes], timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gbvs serve exited with {server.returncode} before answering")
        try:
            if httpx.get(f"{base_url}/api/v1/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit(f"the server at {base_url} did not answer within {timeout:.0f} s")


if __name__ == "__main__":
    raise SystemExit(main())
