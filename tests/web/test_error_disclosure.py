"""What a server error tells the client in remote mode (ASVS 7.4.1).

Before: when the operational database could not be read, every client, before authenticating, got the
database's own words in the 500 answer: the database server's address and port ("connection to server
at ... port ... failed"), or table names ("no such table: api_token"). Now remote mode answers a 500
with a generic text and keeps the detail in the server log; loopback mode, whose one user also runs
the server, still shows it.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gbvs.config import load_settings
from gbvs.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")
UNREADABLE = {  # a database the credentials cannot be read from, and words of the reason
    "refused": ("postgresql+psycopg://gbvs_app@127.0.0.1:1/gbvs", "127.0.0.1"),
    "unmigrated": ("sqlite:///{data}/gbvs.sqlite3", "api_token"),
}


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_a_stranger_is_not_told_why_the_database_failed(
    case: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url, reason = UNREADABLE[case]
    settings = load_settings(data_dir=tmp_path, allow_remote=True, database_url=url.format(data=tmp_path))
    headers = {"Authorization": "Bearer gbvs_not-a-token"}
    with caplog.at_level(logging.ERROR, logger="gbvs.web.problems"):
        # no lifespan (no `with`): its shutdown writes held-back denials to the broken database
        client = TestClient(
            create_app(settings), base_url="https://testserver", raise_server_exceptions=False
        )
        api = client.get("/api/v1/sources", headers=headers)
        page = client.get("/bronnen", headers=headers)
    assert api.status_code == page.status_code == 500
    assert reason not in api.text and reason not in page.text
    assert "server log" in api.json()["detail"]
    assert reason in caplog.text  # the administrator finds it where it belongs


def test_loopback_mode_still_shows_the_reason(tmp_path: Path) -> None:
    url, reason = UNREADABLE["refused"]
    settings = load_settings(data_dir=tmp_path, database_url=url)
    client = TestClient(create_app(settings), base_url="http://127.0.0.1", raise_server_exceptions=False)
    answer = client.get("/api/v1/scenarios")
    assert answer.status_code == 500 and reason in answer.json()["detail"], answer.text
