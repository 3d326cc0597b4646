"""A kill (SIGKILL) in the middle of ``python -m gbvs ingest`` leaves the previous store intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gbvs.store import Store
from gbvs.store.writer import StoreWriter, temp_path_for

TIMEOUT = 60.0
pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signals")


def _wait_for(predicate: object, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the ingest subprocess")


def _env(data_dir: Path, store: Path, mirror: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GBVS_")}
    env |= {
        "GBVS_DATA_DIR": str(data_dir),
        "GBVS_STORE_PATH": str(store),
        "GBVS_MIRROR": str(mirror),
        "GBVS_INGEST_PAUSE_SECONDS": "0.3",
    }
    return env


@pytest.mark.integration
@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_old_store_byte_identical(small_store: Path, mirror: Path) -> None:
    before = small_store.read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-m", "gbvs", "ingest"],
        env=_env(small_store.parent, small_store, mirror),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    temp = temp_path_for(small_store, process.pid)
    try:
        _wait_for(lambda: temp.is_file() and temp.stat().st_size > 0)
        time.sleep(1.0)  # a few sources written into the new file
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
        if process.stderr:
            process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert small_store.read_bytes() == before
    with Store(small_store) as store:
        assert store.tables() == ["marker"]
    assert temp.is_file()  # the half-written file is left behind ...
    with StoreWriter(small_store):  # ... and removed by the next writer
        assert not temp.exists()


@pytest.mark.integration
@pytest.mark.slow
def test_ctrl_c_mid_ingest_cleans_up_and_keeps_old_store(small_store: Path, mirror: Path) -> None:
    before = small_store.read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-m", "gbvs", "ingest"],
        env=_env(small_store.parent, small_store, mirror),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    temp = temp_path_for(small_store, process.pid)
    try:
        _wait_for(lambda: temp.is_file() and temp.stat().st_size > 0)
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert "onderbroken: de vorige store is ongewijzigd" in err  # Dutch by default
    assert small_store.read_bytes() == before
    assert not temp.exists()
