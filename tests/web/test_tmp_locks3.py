from __future__ import annotations
import sqlite3, threading, time
from typing import Any
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from tests.web.test_database_busy import SIGNAL, _analyst

def test_repro(remote_site: Any) -> None:
    if remote_site.backend != "sqlite":
        pytest.skip("x")
    bearer = _analyst(remote_site)
    path = make_url(remote_site.settings.resolved_database_url).database
    results = []
    stop = threading.Event()
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        created = client.post("/api/v1/signals", json=SIGNAL, headers=bearer)
        sid = created.json()["id"]
        t0 = time.perf_counter()
        def loop(kind):
            while not stop.is_set():
                s = time.perf_counter() - t0
                if kind == "W":
                    a = client.post("/api/v1/signals", json=SIGNAL, headers=bearer)
                else:
                    a = client.get(f"/api/v1/signals/{sid}", headers=bearer)
                results.append((s, time.perf_counter() - t0, kind, a.status_code, a.text[:150] if a.status_code >= 400 else ""))
                time.sleep(0.02)
        blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        blocker.execute("BEGIN IMMEDIATE"); blocker.execute("UPDATE organisation SET name_en = name_en")
        threads = [threading.Thread(target=loop, args=("W",)) for _ in range(2)] + [threading.Thread(target=loop, args=("R",)) for _ in range(3)]
        for t in threads: t.start()
        time.sleep(6.5); released = time.perf_counter() - t0; blocker.commit()
        time.sleep(4); stop.set()
        for t in threads: t.join()
    print(f"released {released:.2f}")
    for r in sorted(results):
        if r[3] >= 400 or r[0] < released + 0.3:
            print(f"{r[2]} start {r[0]:6.2f} end {r[1]:6.2f} waited {r[1]-r[0]:5.2f} {r[3]} {r[4]}")
    bad = [r for r in results if r[3] >= 400 and r[0] > released - 5.0]
    print("after release ok", sum(1 for r in results if r[3] < 400 and r[0] > released), "BAD", len(bad))
    assert not bad
