"""GBVS's files are private to their owner (issue 8, finding 7).

Before: the data folder was 0755 and gbvs.sqlite3 (+ WAL/SHM), store.duckdb and forecasts.duckdb
0644, so any local user could read the password hashes and the audit log with plain sqlite3.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from gbvs.db.session import engine_for_url

GBVS = Path(sys.executable).with_name("gbvs")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _gbvs(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GBVS_")}
    env["GBVS_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [str(GBVS), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_new_data_folder_and_database_are_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "gbvs-data"
    result = _gbvs(data_dir, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    database = data_dir / "gbvs.sqlite3"
    assert _mode(data_dir) == 0o700 and _mode(database) == 0o600
    engine = engine_for_url(f"sqlite:///{database}")  # this test process has the usual umask 022
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE scratch (x INTEGER)"))
        modes = {name: _mode(data_dir / f"gbvs.sqlite3-{name}") for name in ("wal", "shm")}
    engine.dispose()
    assert modes == {"wal": 0o600, "shm": 0o600}


def test_the_command_creates_every_file_private(tmp_path: Path) -> None:
    """The umask of `gbvs` itself: DuckDB files (store, forecasts), reports and cache files are 0600."""
    script = (
        "import os, sys, duckdb\n"
        "from pathlib import Path\n"
        "import gbvs.cli.main as cli\n"
        "sys.argv = ['gbvs', '--version']\n"
        "try:\n"
        "    cli.run()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"folder = Path({str(tmp_path)!r})\n"
        "duckdb.connect(str(folder / 'store.duckdb')).close()\n"
        "(folder / 'reports').mkdir()\n"
        "(folder / 'reports' / 'backtest.md').write_text('x')\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    assert _mode(tmp_path / "store.duckdb") == 0o600
    assert _mode(tmp_path / "reports") == 0o700 and _mode(tmp_path / "reports" / "backtest.md") == 0o600


def test_a_too_open_data_folder_is_tightened_and_said_so(tmp_path: Path) -> None:
    data_dir = tmp_path / "gbvs-data"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    old_store = data_dir / "store.duckdb"
    old_store.write_bytes(b"")
    old_store.chmod(0o644)
    result = _gbvs(data_dir, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert _mode(data_dir) == 0o700 and _mode(old_store) == 0o600
    assert "was leesbaar voor andere gebruikers; hun toegang is weggenomen" in result.stderr
    assert "store.duckdb" in result.stderr and "readable by other users" not in result.stderr
    old_store.chmod(0o644)
    english = _gbvs(data_dir, "db", "upgrade", "--lang", "en")
    assert english.returncode == 0, english.stderr
    assert "was readable by other users; took their access away from 1 path(s)" in english.stderr
    assert "store.duckdb" in english.stderr and _mode(old_store) == 0o600


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        ("nl", "was leesbaar voor andere gebruikers; hun toegang is weggenomen", "readable by other users"),
        ("en", "was readable by other users; took their access away from 1 path(s)", "leesbaar"),
    ],
)
def test_a_web_worker_says_the_folder_was_tightened_as_the_command_line_does(
    tmp_path: Path, lang: str, said: str, not_said: str
) -> None:
    """A worker of `gbvs serve --workers N` (its own process, app from the environment) wrote the warning
    in English whatever the configured language; now in the words of GBVS_LANGUAGE, as `gbvs` does."""
    data_dir = tmp_path / "gbvs-data"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if not key.startswith("GBVS_")}
    env.update(GBVS_DATA_DIR=str(data_dir), GBVS_LANGUAGE=lang)
    worker = (
        "from gbvs.web.app import create_app_from_environment\n"
        "create_app_from_environment().state.web.session_factory()\n"  # the first request's database use
    )
    result = subprocess.run(
        [sys.executable, "-c", worker], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert said in result.stderr and not_said not in result.stderr
    assert _mode(data_dir) == 0o700
