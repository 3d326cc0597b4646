"""Locating source files: mirror, cache, download through an injected httpx client; checksums."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from gbvs.errors import ChecksumMismatchError, SourceMissingError
from gbvs.sources.base import FileRef, SourceInput
from gbvs.sources.fetch import COMPUTED, PINNED, Fetcher

BODY = b"conflict_id,year\n1,2020\n"
SHA = hashlib.sha256(BODY).hexdigest()
URL = "https://example.org/data/acd-v2.csv"


def _input(sha256: str | None = SHA, url: str | None = URL) -> SourceInput:
    ref = FileRef("ucdp", "acd.csv", "2", sha256=sha256, url=url, download_sha256=sha256)
    return SourceInput("main", (ref,))


def _client(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def _serving(body: bytes, seen: list[str] | None = None) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(str(request.url))
        if str(request.url) != URL:
            return httpx.Response(404)
        return httpx.Response(200, content=body, headers={"content-length": str(len(body))})

    return _client(handler)


def test_mirror_file_is_verified_against_the_pinned_checksum(tmp_path: Path) -> None:
    (tmp_path / "ucdp").mkdir()
    (tmp_path / "ucdp" / "acd.csv").write_bytes(BODY)
    located = Fetcher(tmp_path, tmp_path / "cache", allow_download=True).locate("acd", _input())
    assert (located.origin, located.sha256, located.checksum_status) == ("mirror", SHA, PINNED)


def test_changed_mirror_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ucdp").mkdir()
    path = tmp_path / "ucdp" / "acd.csv"
    path.write_bytes(BODY + b"2,2021\n")
    with pytest.raises(
        ChecksumMismatchError, match=rf"{path}: sha256 is [0-9a-f]{{64}}, expected {SHA}.*from {URL}"
    ):
        Fetcher(tmp_path, tmp_path / "cache", allow_download=True).locate("acd", _input())


def test_changed_mirror_file_says_what_to_do_in_mirror_mode(tmp_path: Path) -> None:
    (tmp_path / "ucdp").mkdir()
    (tmp_path / "ucdp" / "acd.csv").write_bytes(BODY + b"2,2021\n")
    with pytest.raises(ChecksumMismatchError) as raised:
        Fetcher(tmp_path, tmp_path / "cache", allow_download=True).locate("acd", _input())
    text = str(raised.value)
    assert f"replace it in the mirror with the published file from {URL}" in text
    assert "give the release its own FileRef" in text and "src/gbvs/sources/" in text
    assert "cache" not in text and "download it again" not in text


def test_changed_cached_download_says_to_download_it_again(tmp_path: Path) -> None:
    cached = tmp_path / "cache" / "ucdp" / "acd-v2.csv"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(BODY + b"2,2021\n")
    with pytest.raises(ChecksumMismatchError, match=r"delete it from the cache to download it again"):
        Fetcher(None, tmp_path / "cache", allow_download=False).locate("acd", _input())


def test_with_a_mirror_nothing_is_downloaded(tmp_path: Path) -> None:
    (tmp_path / "ucdp").mkdir()
    seen: list[str] = []
    fetcher = Fetcher(tmp_path, tmp_path / "cache", allow_download=True, client=_serving(BODY, seen))
    with pytest.raises(
        SourceMissingError, match=r"ucdp/acd\.csv not found in the mirror.*put ucdp/acd\.csv into"
    ):
        fetcher.locate("acd", _input())
    assert seen == []


def test_a_mirror_without_the_sources_folder_is_named_as_the_wrong_folder(tmp_path: Path) -> None:
    """GBVS_MIRROR=../shared instead of ../shared/data: say the folder is wrong, not only the file missing."""
    (tmp_path / "data" / "ucdp").mkdir(parents=True)
    with pytest.raises(SourceMissingError) as raised:
        Fetcher(tmp_path, tmp_path / "cache", allow_download=True).locate("acd", _input())
    text = str(raised.value)
    assert f"the mirror {tmp_path} has no folder ucdp/" in text
    assert "set GBVS_MIRROR to the folder that holds the source folders (ucdp/, vdem/, ...)" in text


def test_download_goes_to_the_cache_with_progress_and_fetch_record(tmp_path: Path) -> None:
    progress: list[tuple[str, int | None]] = []
    received: list[int] = []

    def started(url: str, total: int | None) -> Callable[[int], None]:
        progress.append((url, total))
        return received.append

    fetcher = Fetcher(
        None, tmp_path / "cache", allow_download=True, client=_serving(BODY), on_download=started
    )
    located = fetcher.locate("acd", _input())
    assert located.origin == "download" and located.path == tmp_path / "cache" / "ucdp" / "acd-v2.csv"
    assert located.path.read_bytes() == BODY and located.checksum_status == PINNED
    assert progress == [(URL, len(BODY))] and sum(received) == len(BODY)
    record = json.loads((located.path.parent / "acd-v2.csv.fetched.json").read_text())
    assert record["sha256"] == SHA and record["url"] == URL and located.fetched_at is not None
    again = Fetcher(None, tmp_path / "cache", allow_download=False).locate("acd", _input())
    assert again.origin == "cache" and again.fetched_at == located.fetched_at


def test_unpublished_checksum_is_computed_and_said_so(tmp_path: Path) -> None:
    fetcher = Fetcher(None, tmp_path / "cache", allow_download=True, client=_serving(BODY))
    located = fetcher.locate("acd", _input(sha256=None))
    assert located.sha256 == SHA and located.checksum_status == COMPUTED


def test_download_with_wrong_checksum_is_refused(tmp_path: Path) -> None:
    fetcher = Fetcher(None, tmp_path / "cache", allow_download=True, client=_serving(b"tampered\n"))
    with pytest.raises(ChecksumMismatchError, match=f"expected {SHA}"):
        fetcher.locate("acd", _input())


def test_changed_cache_file_is_refused(tmp_path: Path) -> None:
    fetcher = Fetcher(None, tmp_path / "cache", allow_download=True, client=_serving(BODY))
    located = fetcher.locate("acd", _input(sha256=None))
    located.path.write_bytes(BODY + b"3,2022\n")
    with pytest.raises(ChecksumMismatchError, match=r"recorded when it was downloaded.*delete it"):
        Fetcher(None, tmp_path / "cache", allow_download=False).locate("acd", _input(sha256=None))


def test_cut_off_download_is_refused_and_not_cached(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=BODY[:10], headers={"content-length": str(len(BODY))})

    fetcher = Fetcher(None, tmp_path / "cache", allow_download=True, client=_client(handler))
    with pytest.raises(SourceMissingError, match=r"stopped after 10 of 24 bytes"):
        fetcher.locate("acd", _input())
    assert not list((tmp_path / "cache").rglob("*.csv*"))


def test_http_error_names_the_url_and_status(tmp_path: Path) -> None:
    fetcher = Fetcher(
        None, tmp_path / "cache", allow_download=True, client=_client(lambda r: httpx.Response(503))
    )
    with pytest.raises(SourceMissingError, match=rf"download of {URL} failed: HTTP 503"):
        fetcher.locate("acd", _input())


def test_later_options_are_tried_when_the_first_is_not_published(tmp_path: Path) -> None:
    newer = FileRef("ucdp", "acd-v3.csv", "3", url="https://example.org/data/acd-v3.csv")
    older = FileRef("ucdp", "acd.csv", "2", sha256=SHA, url=URL)
    seen: list[str] = []
    fetcher = Fetcher(None, tmp_path / "cache", allow_download=True, client=_serving(BODY, seen))
    located = fetcher.locate("acd", SourceInput("main", (newer, older)))
    assert located.ref.version == "2" and seen == ["https://example.org/data/acd-v3.csv", URL]


def test_mirror_checksum_does_not_apply_to_the_zipped_download(tmp_path: Path) -> None:
    ref = FileRef("ucdp", "acd.csv", "2", sha256=SHA, url="https://example.org/data/acd-v2.zip")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"PK zipped bytes")

    fetcher = Fetcher(None, tmp_path / "cache", allow_download=True, client=_client(handler))
    located = fetcher.locate("acd", SourceInput("main", (ref,)))
    assert located.checksum_status == COMPUTED and located.path.name == "acd-v2.zip"
    (tmp_path / "mirror" / "ucdp").mkdir(parents=True)
    (tmp_path / "mirror" / "ucdp" / "acd-v2.zip").write_bytes(b"PK zipped bytes")
    in_mirror = Fetcher(tmp_path / "mirror", tmp_path / "cache", allow_download=False).locate(
        "acd", SourceInput("m", (ref,))
    )
    assert in_mirror.origin == "mirror" and in_mirror.checksum_status == COMPUTED


def test_offline_without_mirror_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(SourceMissingError, match=r"download cache.*set GBVS_MIRROR"):
        Fetcher(None, tmp_path / "cache", allow_download=False).locate("acd", _input())


def test_package_file_is_used_when_the_mirror_lacks_it(tmp_path: Path) -> None:
    ref = FileRef("codes", "country_data.tsv", "pkg", package=("country_converter", "country_data.tsv"))
    located = Fetcher(tmp_path, tmp_path / "cache", allow_download=False).locate(
        "codes", SourceInput("c", (ref,))
    )
    assert located.origin == "package" and located.path.name == "country_data.tsv"


def test_file_without_official_url_must_come_from_a_mirror(tmp_path: Path) -> None:
    fetcher = Fetcher(None, tmp_path / "cache", allow_download=True, client=_serving(BODY))
    with pytest.raises(SourceMissingError, match=r"no official download URL.*GBVS_MIRROR"):
        fetcher.locate("polity5", _input(url=None))
