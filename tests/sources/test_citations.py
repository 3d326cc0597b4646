"""Version and citation of a source agree (issue 12, fix 9): every version a citation names is the
version of the file it is shown with, for every option of every source plugin."""

from __future__ import annotations

import re

import pytest

from gbvs.sources.base import FileRef, Source
from gbvs.sources.registry import SOURCES

URL = re.compile(r"https?://\S+")
VERSION = re.compile(r"\bv(\d+(?:\.\d+)*)\b|\bversion (\d+(?:\.\d+)*)|\b(\d+\.\d+(?:\.\d+)*)\b", re.I)


def _cited_versions(citation: str) -> list[str]:
    return [next(g for g in match.groups() if g) for match in VERSION.finditer(URL.sub("", citation))]


def _names(version: str, cited: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(cited)}(?![\d.])", version) is not None


OPTIONS = [
    pytest.param(source, ref, id=f"{source.id}:{ref.name}")
    for source in SOURCES
    for source_input in source.inputs
    for ref in source_input.options
]


@pytest.mark.parametrize(("source", "ref"), OPTIONS)
def test_the_citation_names_only_the_version_that_was_read(source: Source, ref: FileRef) -> None:
    citation = source.citation_for([ref])
    wrong = [cited for cited in _cited_versions(citation) if not _names(ref.version, cited)]
    assert not wrong, f"{source.id} {ref.name} (version {ref.version!r}) is cited as {wrong}: {citation}"


def test_the_checker_sees_a_disagreement() -> None:
    assert _cited_versions("Högbladh (2025). UCDP GED Codebook version 25.1.") == ["25.1"]
    assert _cited_versions("V-Dem Country-Year Dataset v15. https://doi.org/10.23696/vdemds25") == ["15"]
    assert not _names("Syria 652.1601.1911 (GED 19.1 variables)", "25.1")
    assert not _names("DemSpaces subset of V-Dem v13 (1968-2022)", "15")


def test_the_ged_syria_extract_cites_its_own_codebook() -> None:
    ged = next(source for source in SOURCES if source.id == "ucdp_ged")
    syria = next(ref for ref in ged.inputs[0].options if "syria" in ref.name)
    assert "version 19.1" in ged.citation_for([syria]) and "25.1" not in ged.citation_for([syria])
