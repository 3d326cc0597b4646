"""Benchmark (not a test): the audit trail under load, on SQLite (and PostgreSQL with --database-url).

1. Flood: CLIENTS threads send requests with a fake bearer token to a remote-mode ``gbvs serve``
   for SECONDS; prints the requests made and the audit rows they produced (finding 5: 20 clients
   once wrote 4,391 rows in 10 s). All clients come from 127.0.0.1: the budget is per address.
2. Reads: as many threads with a valid API token read a page; prints requests, errors, p95 and
   the ``web.read`` entries written (one per request, committed in groups). The server log is
   ``server.log`` in the temporary data folder.
3. Appends: WRITERS threads each append ENTRIES entries, one transaction each; prints entries per
   second and checks the chain stays linear. 4. Verify: time of ``check_chain`` over all entries.
5. Batches: the web audit writer's group commit, side by side: a batch of 1, 50 and 200 entries
   appended entry by entry through the ORM (``record``, as before issue 8's second step) and in one
   INSERT (``record_many``, what the writer does now); median milliseconds per batch.

Usage::

    .venv/bin/python benchmarks/bench_audit.py [--clients 20] [--seconds 10] [--writers 8] [--entries 250]
        [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gbvs.db import migrate
from gbvs.db.audit import AuditEntry, record, record_many
from gbvs.db.models import AuditLog
from gbvs.db.services import tokens, users
from gbvs.db.services.audit_log import check_chain
from gbvs.db.services.principals import load_principal
from gbvs.db.session import engine_for_url, make_session_factory, session_scope
from gbvs.security import Principal, Role

FAKE_TOKEN = "gbvs_" + "F" * 43


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(data_dir: Path, url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "GBVS_DATA_DIR": str(data_dir),
        "GBVS_DATABASE_URL": url,
        "GBVS_ALLOW_REMOTE": "true",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gbvs", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(data_dir / "server.log").open("ab"),
    )
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/aanmelden", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gbvs serve did not start")


def flood(data_dir: Path, url: str, clients: int, seconds: float) -> None:
    """Fake-token requests against a live server; count requests and the audit rows written."""
    engine = engine_for_url(url)
    before = _count_by_action(engine)
    port = _free_port()
    server = _serve(data_dir, url, port)
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            while time.monotonic() < deadline:
                status = http.get(
                    "/api/v1/pillars", headers={"Authorization": f"Bearer {FAKE_TOKEN}"}
                ).status_code
                with lock:
                    statuses[status] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.terminate()  # graceful: the lifespan writes the held-back counts
    server.wait(timeout=30)
    after = _count_by_action(engine)
    written = {action: after[action] - before.get(action, 0) for action in after}
    print(f"flood: {clients} clients x {seconds:.0f} s, {sum(statuses.values())} requests {dict(statuses)}")
    print(f"  audit rows written: {sum(written.values())} {written}")
    with Session(engine) as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.action == "audit.suppressed")).all()
        print(f"  suppressed: {[(row.at.isoformat(), row.detail) for row in rows]}")
    engine.dispose()


def reads(data_dir: Path, url: str, clients: int, seconds: float) -> None:
    """Token clients reading a page: requests, errors, p95, and the web.read entries (group commit)."""
    engine = engine_for_url(url)
    with session_scope(make_session_factory(engine)) as session:
        users.bootstrap_admin(session, "bench", "Bench")
        secret, _token = tokens.create_token(session, load_principal(session, "bench"), "bench")
    before = _count_by_action(engine).get("web.read", 0)
    port = _free_port()
    server = _serve(data_dir, url, port)
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        headers = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, headers=headers) as http:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                status = http.get("/api/v1/pillars").status_code
                with lock:
                    statuses[status] += 1
                    latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.terminate()
    server.wait(timeout=30)
    written = _count_by_action(engine).get("web.read", 0) - before
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan")
    print(f"reads: {clients} token clients x {seconds:.0f} s, {len(latencies)} requests {dict(statuses)}")
    print(f"  p95 {p95:.0f} ms; web.read entries written: {written}")
    engine.dispose()


def appends(url: str, writers: int, entries: int) -> None:
    """Concurrent appends: entries per second, and the chain stays linear."""
    engine = engine_for_url(url)
    factory = make_session_factory(engine)
    errors: list[BaseException] = []

    def write(number: int) -> None:
        principal = Principal(username=f"bench{number}", role=Role.analyst)
        try:
            for item in range(entries):
                with factory() as session:
                    record(session, principal, "bench.write", "thing", item)
                    session.commit()
        except BaseException as exc:
            errors.append(exc)

    started = time.perf_counter()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = writers * entries
    rate = total / elapsed
    print(f"appends: {writers} writers x {entries} entries, one transaction each: {rate:.0f} entries/s")
    print(f"  errors: {len(errors)} {errors[:1]}")
    with Session(engine) as session:
        started = time.perf_counter()
        report = check_chain(session)
        took = time.perf_counter() - started
    print(f"verify: {report.count} entries in {took:.2f} s; problem: {report.problem}")
    engine.dispose()


def batches(url: str, repeats: int = 11) -> None:
    """Median time to commit one batch of the audit writer, entry by entry vs one INSERT."""
    engine = engine_for_url(url)
    factory = make_session_factory(engine)
    principal = Principal(username="bench", role=Role.analyst)

    def by_entry(entries: list[AuditEntry]) -> None:
        with factory() as session:
            for e in entries:
                record(session, e.principal, e.action, e.object_type, e.object_id, e.detail, e.outcome)
            session.commit()

    def in_one_insert(entries: list[AuditEntry]) -> None:
        with factory() as session:
            record_many(session, entries)
            session.commit()

    print("batches: median ms per committed batch   entry by entry (ORM)   one INSERT")
    for size in (1, 50, 200):
        entries = [AuditEntry(principal, "web.read", "page", f"/p{i}", {"status": 200}) for i in range(size)]
        medians = []
        for append in (by_entry, in_one_insert):
            took = []
            for _ in range(repeats):
                started = time.perf_counter()
                append(entries)
                took.append(time.perf_counter() - started)
            medians.append(sorted(took)[repeats // 2] * 1000)
        print(f"  {size:4d} entries {medians[0]:31.1f} {medians[1]:12.1f}")
    engine.dispose()


def _count_by_action(engine: object) -> dict[str, int]:
    with Session(engine) as session:  # type: ignore[arg-type]
        query = select(AuditLog.action, func.count()).group_by(AuditLog.action)
        return {action: count for action, count in session.execute(query).all()}


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--entries", type=int, default=250)
    parser.add_argument("--database-url", default=None)
    options = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="gbvs-bench-audit-"))
    url = options.database_url or f"sqlite:///{data_dir / 'gbvs.sqlite3'}"
    engine = engine_for_url(url)
    migrate.upgrade(engine)
    engine.dispose()
    print(f"database: {url.split('@')[-1]}")
    flood(data_dir, url, options.clients, options.seconds)
    reads(data_dir, url, options.clients, options.seconds)
    appends(url, options.writers, options.entries)
    batches(url)


if __name__ == "__main__":
    main()
