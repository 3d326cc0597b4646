"""Load benchmark of the GBVS web app: N concurrent clients over the main pages and API resources.

Starts ``gbvs serve`` on a free loopback port (over the data folder in GBVS_DATA_DIR, or
``--data-dir``), warms every URL once, then lets ``--clients`` clients request the URLs in turn for
``--duration`` seconds. Prints requests/s, p50/p95/p99 latency and errors (``--json`` for JSON).
Traffic goes only to 127.0.0.1; the loop stops by itself.

    GBVS_DATA_DIR=/path/to/data .venv/bin/python benchmarks/bench_web.py --duration 60 --clients 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

URLS: tuple[str, ...] = (
    "/",
    "/strategie",
    "/strategie/doelen/1",
    "/landen",
    "/landen/SYR",
    "/landen/MLI",
    "/drijvers",
    "/modelprestaties",
    "/bronnen",
    "/api/v1/watchlist",
    "/api/v1/forecasts?country=SYR",
    "/api/v1/countries",
    "/api/v1/countries/SYR/conflict-history",
    "/api/v1/goals",
    "/api/v1/sources",
    "/api/v1/indicators/vdem_v2x_pubcorr/values",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path | None, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    if data_dir is not None:
        env["GBVS_DATA_DIR"] = str(data_dir)
    gbvs = Path(sys.executable).with_name("gbvs")
    command = [str(gbvs), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until_up(base_url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/api/v1/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit(f"the server at {base_url} did not answer within {timeout:.0f} s")


async def client_loop(
    client: httpx.AsyncClient, offset: int, stop_at: float, results: list[tuple[str, float, int]]
) -> None:
    index = offset
    while time.monotonic() < stop_at:
        url = URLS[index % len(URLS)]
        index += 1
        started = time.perf_counter()
        try:
            response = await client.get(url)
            status = response.status_code
        except httpx.HTTPError:
            status = 0
        results.append((url, time.perf_counter() - started, status))


async def run_load(
    base_url: str, clients: int, duration: float
) -> tuple[list[tuple[str, float, int]], float]:
    results: list[tuple[str, float, int]] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        for url in URLS:  # warm-up: fill the caches once
            (await client.get(url)).raise_for_status()
        started = time.monotonic()
        stop_at = started + duration
        await asyncio.gather(*(client_loop(client, i, stop_at, results) for i in range(clients)))
        elapsed = time.monotonic() - started
    return results, elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def summarise(results: list[tuple[str, float, int]], elapsed: float, clients: int) -> dict[str, object]:
    latencies = [seconds * 1000 for _, seconds, _ in results]
    errors = sum(1 for _, _, status in results if status == 0 or status >= 400)
    per_url = {url: round(percentile([s * 1000 for u, s, _ in results if u == url], 0.95), 1) for url in URLS}
    return {
        "clients": clients,
        "duration_s": round(elapsed, 1),
        "requests": len(results),
        "requests_per_s": round(len(results) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
        "errors": errors,
        "p95_ms_per_url": per_url,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="GBVS data folder (default: GBVS_DATA_DIR)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gbvs serve worker processes (default 2)")
    parser.add_argument("--base-url", default=None, help="benchmark a running server instead of starting one")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()
    server = None
    base_url = args.base_url
    if base_url is None:
        port = free_port()
        server = start_server(args.data_dir, port, args.workers)
        base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url)
        results, elapsed = asyncio.run(run_load(base_url, args.clients, args.duration))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
    summary = {**summarise(results, elapsed, args.clients), "server_workers": args.workers}
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(
            f"{summary['clients']} clients, {summary['duration_s']} s: {summary['requests']} requests, "
            f"{summary['requests_per_s']} req/s; p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
            f"p99 {summary['p99_ms']} ms; errors {summary['errors']}"
        )
        for url, p95 in summary["p95_ms_per_url"].items():  # type: ignore[attr-defined]
            print(f"  p95 {p95:8.1f} ms  {url}")
    return 0 if summary["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
