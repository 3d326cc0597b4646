"""Integration tests skip without the real-data mirror, but fail when it is required (CI)."""

from __future__ import annotations

import sys

import pytest

# tests/conftest.py has loaded tests/integration_fixtures.py under this name (import by path)
fixtures = sys.modules["gbvs_integration_fixtures"]


def test_missing_mirror_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GBVS_REQUIRE_MIRROR", "1")
    with pytest.raises(pytest.fail.Exception, match="GBVS_REQUIRE_MIRROR=1 but integration test"):
        fixtures.skip_or_fail_without_mirror()


def test_missing_mirror_skips_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GBVS_REQUIRE_MIRROR", raising=False)
    with pytest.raises(pytest.skip.Exception, match="real-data mirror is absent"):
        fixtures.skip_or_fail_without_mirror()


def test_mirror_fixture_fails_when_required_and_absent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setenv("GBVS_REQUIRE_MIRROR", "1")
    monkeypatch.setenv("GBVS_MIRROR", str(tmp_path))  # no SOURCES.md: not a mirror
    with pytest.raises(pytest.fail.Exception, match="GBVS_REQUIRE_MIRROR=1"):
        request.getfixturevalue("mirror")
