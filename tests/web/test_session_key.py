"""The session key (``web-session.key``): made whole or not at all, and a damaged one is refused."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from gbvs.errors import ConfigError
from gbvs.web import sessions


def test_a_new_key_is_32_private_bytes_and_stays_the_same(tmp_path: Path) -> None:
    key = sessions.session_key(tmp_path)
    path = tmp_path / sessions.KEY_FILE
    assert len(key) == 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sessions.session_key(tmp_path) == key
    assert [p.name for p in tmp_path.iterdir()] == [sessions.KEY_FILE], "no temporary file left"


@pytest.mark.parametrize("content", [b"", b"short"], ids=["empty", "short"])
def test_an_empty_or_short_key_file_is_refused_not_used(tmp_path: Path, content: bytes) -> None:
    """An empty key (a crash or a full disk while it was written) would let anyone sign a session."""
    path = tmp_path / sessions.KEY_FILE
    path.write_bytes(content)
    with pytest.raises(ConfigError) as raised:
        sessions.session_key(tmp_path)
    text = str(raised.value)
    assert str(path) in text and f"{len(content)} bytes" in text and "delete it" in text
