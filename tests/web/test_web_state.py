"""The app's shared state is made once, also when the first requests come in parallel."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

PARALLEL = 8


def test_parallel_first_requests_share_one_engine_and_one_credential_reader(remote_site: Any) -> None:
    """A second engine or reader made beside the first was dropped with its connections open (psycopg's
    "deleted while still open" warning, seen once in some 40 CI runs)."""
    web = remote_site.app().state.web
    start = threading.Barrier(PARALLEL)

    def first_request(_: int) -> tuple[Any, Any]:
        start.wait()
        return web.credentials(), web.session_factory()  # kept alive, so no id is reused

    try:
        with ThreadPoolExecutor(PARALLEL) as pool:
            made = list(pool.map(first_request, range(PARALLEL)))
    finally:
        web.close()
    assert len({id(reader) for reader, _ in made}) == 1, "one credential reader"
    assert len({id(factory) for _, factory in made}) == 1, "one engine"
