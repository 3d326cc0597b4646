"""Files in the mirror that no source reads: a newer release put there is ignored, so say so.

A plugin reads exactly the file names its :class:`~gbvs.sources.base.FileRef` s declare. An operator who
drops a new release (``ucdp/ucdp-prio-acd-261-csv.zip``) into the mirror would otherwise get a store
built from the old one without a word.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from gbvs.errors import Words, said
from gbvs.sources.base import Source

DATA_SUFFIXES = frozenset({".csv", ".tsv", ".zip", ".parquet", ".json", ".geojson", ".xlsx", ".dta", ".rds"})
"""Suffixes of dataset files (documentation such as PDF codebooks or LICENSE.md is not reported)."""


def read_paths(sources: Iterable[Source]) -> set[str]:
    """Every mirror path (relative, ``folder/name``) some source may read, in either form."""
    return {
        path
        for source in sources
        for source_input in source.inputs
        for ref in source_input.options
        if ref.package is None
        for path in (ref.mirror_path, ref.download_path)
    }


def unread_files(mirror: Path, sources: Iterable[Source]) -> list[str]:
    """Dataset files in the sources' folders of ``mirror`` that no source reads (relative paths, sorted)."""
    known = read_paths(sources)
    folders = sorted({path.split("/", 1)[0] for path in known})
    found = (path for folder in folders for path in (mirror / folder).glob("*") if path.is_file())
    return sorted(
        relative
        for path in found
        if path.suffix.lower() in DATA_SUFFIXES
        and (relative := path.relative_to(mirror).as_posix()) not in known
    )


def unread_warning(mirror: Path, relative: str) -> Words:
    """What to tell the operator about a mirror file no source reads."""
    return said(
        "%(file)s: no source of this GBVS reads this file, so it is not ingested (a newer release?); the "
        "store keeps the versions `gbvs sources` lists. To use it, install a GBVS release that knows it, or "
        "give it its own FileRef (file name, version, sha256) in the source's plugin in src/gbvs/sources/",
        file=mirror / relative,
    )
