"""Finding a source file: offline mirror, else download cache, else the official URL.

With a mirror (``GBVS_MIRROR``) only the mirror (and files shipped inside installed packages) is
read and nothing is downloaded. Without one, the cache under ``data_dir/cache`` is used, and
missing files are downloaded with the injected ``httpx.Client`` (tests pass one with a
``MockTransport``). Every file is hashed; a pinned checksum that does not match is refused.
Downloads record their URL, sha256 and fetch time in a ``<file>.fetched.json`` sidecar.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import httpx

from gbvs.errors import (
    ChecksumMismatchError,
    InputError,
    Listed,
    Said,
    SourceMissingError,
    Term,
    Words,
    said,
)
from gbvs.sources.base import FileRef, Located, Origin, SourceInput

Advance = Callable[[int], None]
DownloadStarted = Callable[[str, int | None], Advance]
PINNED = "verified against the pinned sha256 of this file version"
COMPUTED = "computed at ingest: the producer publishes no checksum for this file"
CHUNK = 1 << 16


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Fetcher:
    """Locates source files (mirror -> cache -> download) and verifies their checksums."""

    mirror: Path | None
    cache_dir: Path
    allow_download: bool
    client: httpx.Client | None = None
    on_download: DownloadStarted | None = None

    def locate(self, source_id: str, source_input: SourceInput) -> Located:
        """The first available option of ``source_input``, verified; raise SourceMissingError if none."""
        tried: list[str] = []
        for ref, origin, path, expected in self._candidates(source_input, tried):
            return self._verify(ref, origin, path, expected)
        if self.mirror is None and self.allow_download:
            return self._download_first(source_id, source_input, tried)
        raise SourceMissingError(
            _missing_words(source_id, source_input, tried, self.mirror, self.allow_download)
        )

    def _candidates(
        self, source_input: SourceInput, tried: list[str]
    ) -> Iterator[tuple[FileRef, Origin, Path, str | None]]:
        """Mirror mode: each option's mirror file, then its download file; cache mode: downloads only."""
        for ref in source_input.options:
            if ref.package is None:
                for relative, origin in self._places(ref):
                    path = self._base / relative
                    tried.append(str(path))
                    if path.is_file():
                        yield ref, origin, path, ref.expected_sha256(relative)
        for ref in source_input.options:
            if ref.package is not None:
                package_path = _package_path(ref.package)
                tried.append(f"package {ref.package[0]}: {ref.package[1]}")
                if package_path is not None and package_path.is_file():
                    yield ref, "package", package_path, ref.sha256

    @property
    def _base(self) -> Path:
        return self.mirror if self.mirror is not None else self.cache_dir

    def _places(self, ref: FileRef) -> list[tuple[str, Origin]]:
        if self.mirror is not None:
            return [(relative, "mirror") for relative in dict.fromkeys((ref.mirror_path, ref.download_path))]
        return [(ref.download_path, "cache")] if ref.downloadable else []

    def _verify(self, ref: FileRef, origin: Origin, path: Path, expected: str | None) -> Located:
        found = sha256_of(path)
        if expected is not None:
            if found != expected:
                raise ChecksumMismatchError(
                    said(
                        "%(file)s: sha256 is %(found)s, expected %(expected)s for %(name)s version "
                        "%(version)s; the file was changed, truncated or re-saved; %(fix)s",
                        file=path,
                        found=found,
                        expected=expected,
                        name=ref.name,
                        version=ref.version,
                        fix=_checksum_fix(ref, origin),
                    )
                )
            return Located(ref, path, origin, found, PINNED, _fetched_at(path))
        recorded = _sidecar(path)
        if recorded and recorded.get("sha256") not in (None, found):
            raise ChecksumMismatchError(
                said(
                    "%(file)s: sha256 is %(found)s, but %(recorded)s was recorded when it was downloaded on "
                    "%(fetched)s; the cached file changed: delete it to download it again",
                    file=path,
                    found=found,
                    recorded=recorded["sha256"],
                    fetched=recorded.get("fetched_at", "-"),
                )
            )
        return Located(ref, path, origin, found, COMPUTED, _fetched_at(path))

    def _download_first(self, source_id: str, source_input: SourceInput, tried: list[str]) -> Located:
        missing = _fragment(_missing_words(source_id, source_input, tried, self.mirror, self.allow_download))
        if not any(option.url for option in source_input.options):
            raise SourceMissingError(
                said(
                    "%(missing)s; no official download URL is declared for this file, so it must come from a "
                    "mirror: set GBVS_MIRROR to a folder laid out like ../shared/data",
                    missing=missing,
                )
            )
        errors: list[Said] = []
        for ref in (option for option in source_input.options if option.url):
            try:
                return self._verify(ref, "download", self._download(ref), ref.download_sha256)
            except SourceMissingError as exc:
                errors.append(Said(exc))
        raise SourceMissingError(
            said("%(missing)s; downloads failed:%(errors)s", missing=missing, errors=Listed(errors))
        )

    def _download(self, ref: FileRef) -> Path:
        assert ref.url is not None
        target = self.cache_dir / ref.download_path
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        client = self.client or httpx.Client(follow_redirects=True, timeout=60.0)
        try:
            size = self._build(ref, client, part) if ref.build else self._stream_to(client, ref.url, part)
        finally:
            if self.client is None:
                client.close()
        part.replace(target)
        _write_sidecar(target, ref.url, size)
        return target

    def _build(self, ref: FileRef, client: httpx.Client, part: Path) -> int:
        assert ref.build is not None and ref.url is not None
        if self.on_download:
            self.on_download(ref.url, None)
        try:
            ref.build(client, part)
        except httpx.HTTPError as exc:
            part.unlink(missing_ok=True)
            raise SourceMissingError(
                said(
                    "building %(name)s from %(url)s failed: %(problem)s; check the network, or use a mirror "
                    "(GBVS_MIRROR)",
                    name=ref.name,
                    url=ref.url,
                    problem=_problem(exc),
                )
            ) from exc
        return part.stat().st_size

    def _stream_to(self, client: httpx.Client, url: str, part: Path) -> int:
        try:
            with client.stream("GET", url) as response:
                if response.status_code != 200:
                    raise SourceMissingError(
                        said(
                            "download of %(url)s failed: HTTP %(status)s; check the URL or try again later, "
                            "or "
                            "use a mirror (GBVS_MIRROR)",
                            url=url,
                            status=response.status_code,
                        )
                    )
                total = _content_length(response)
                advance = self.on_download(url, total) if self.on_download else None
                size = _write_stream(response, part, advance)
        except httpx.HTTPError as exc:
            part.unlink(missing_ok=True)
            raise SourceMissingError(
                said(
                    "download of %(url)s failed: %(problem)s; check the network, or use a mirror "
                    "(GBVS_MIRROR)",
                    url=url,
                    problem=_problem(exc),
                )
            ) from exc
        if total is not None and size != total:
            part.unlink(missing_ok=True)
            raise SourceMissingError(
                said(
                    "download of %(url)s stopped after %(size)s of %(total)s bytes; run `gbvs ingest` again",
                    url=url,
                    size=size,
                    total=total,
                )
            )
        return size


def _write_stream(response: httpx.Response, part: Path, advance: Advance | None) -> int:
    size = 0
    with part.open("wb") as handle:
        for chunk in response.iter_bytes(CHUNK):
            handle.write(chunk)
            size += len(chunk)
            if advance:
                advance(len(chunk))
    return size


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length")
    return int(value) if value and value.isdigit() and "content-encoding" not in response.headers else None


def _sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".fetched.json")


def _sidecar(path: Path) -> dict[str, str] | None:
    sidecar = _sidecar_path(path)
    return json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else None


def _write_sidecar(path: Path, url: str, size: int) -> None:
    record = {
        "url": url,
        "sha256": sha256_of(path),
        "size": size,
        "fetched_at": datetime.now(UTC).isoformat(),
    }
    _sidecar_path(path).write_text(json.dumps(record, indent=2), encoding="utf-8")


def _fetched_at(path: Path) -> datetime | None:
    recorded = _sidecar(path)
    return datetime.fromisoformat(recorded["fetched_at"]) if recorded and "fetched_at" in recorded else None


def _package_path(package: tuple[str, str]) -> Path | None:
    try:
        return Path(str(resources.files(package[0]) / package[1]))
    except ModuleNotFoundError:
        return None


def _checksum_fix(ref: FileRef, origin: Origin) -> Said:
    """What to do about a file whose bytes differ from its pinned checksum, where it was found (a
    value of an error's words, so a message says it in the reader's language)."""
    published = _fragment(said(" from %(url)s", url=ref.url)) if ref.url else ""
    if origin == "mirror":
        return _fragment(
            said(
                "replace it in the mirror with the published file%(published)s, whose sha256 the mirror's "
                "SOURCES.md lists; nothing is downloaded in mirror mode (GBVS_MIRROR). If this is a new "
                "release on purpose, do not overwrite the pinned file: give the release its own FileRef "
                "(file name, version, sha256) in the source's plugin in src/gbvs/sources/ (`gbvs sources` "
                "lists the files each source reads)",
                published=published,
            )
        )
    return _fragment(
        said(
            "restore the original%(published)s, or delete it from the cache to download it again",
            published=published,
        )
    )


def _fragment(words: Words) -> Said:
    """``words`` as a value of another message's words (translated with it)."""
    return Said(InputError(words))


def _problem(exc: Exception) -> str:
    """What the network library said went wrong (its own words; the exception's name when it says nothing)."""
    return str(exc) or type(exc).__name__


def _missing_words(
    source_id: str, source_input: SourceInput, tried: list[str], mirror: Path | None, allow_download: bool
) -> Words:
    names = [ref.mirror_path for ref in source_input.options if ref.package is None]
    where = _fragment(said("mirror %(path)s", path=mirror)) if mirror else Term("download cache")
    looked = ", ".join(tried[:4]) + (", ..." if len(tried) > 4 else "")
    fix: str = (
        _mirror_fix(mirror, source_input, names)
        if mirror
        else (
            Term("set GBVS_MIRROR to the offline data folder or allow downloads")
            if not allow_download
            else Term("check the URL")
        )
    )
    return said(
        "source %(source)s: file %(file)s not found in the %(where)s (looked at: %(looked)s); %(fix)s",
        source=repr(source_id),
        file=_either(names) or source_input.key,
        where=where,
        looked=looked,
        fix=fix,
    )


def _either(names: list[str]) -> str:
    """The file names a source may read, "a, b or c" in the reader's words (the first three, and how
    many more versions there are)."""
    if len(names) > 3:
        return Said.of(
            said("%(names)s (or %(count)s other versions)", names=_either(names[:3]), count=len(names) - 3)
        )
    if len(names) > 1:
        return Said.of(said("%(some)s or %(last)s", some=", ".join(names[:-1]), last=names[-1]))
    return names[0] if names else ""


def _mirror_fix(mirror: Path, source_input: SourceInput, names: list[str]) -> Said:
    """What to do about a file missing from the mirror: put it there, or point GBVS_MIRROR elsewhere."""
    folders = [ref.folder for ref in source_input.options if ref.package is None]
    if folders and not (mirror / folders[0]).is_dir():
        return _fragment(
            said(
                "the mirror %(mirror)s has no folder %(folder)s/, so it is probably the wrong folder: set "
                "GBVS_MIRROR to the folder that holds the source folders (ucdp/, vdem/, ...), laid out like "
                "../shared/data",
                mirror=mirror,
                folder=folders[0],
            )
        )
    return _fragment(
        said("put %(file)s into the mirror folder", file=names[0] if names else source_input.key)
    )
