"""The real public datasets become signal drafts: 389 CFR operations, 10,892 EUvsDisinfo cases."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from gbvs.countries.matching import iso3_from_name
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalKind
from gbvs.signals.public_data import cfr_drafts, euvsdisinfo_drafts
from gbvs.sources.base import ParseContext, Source
from gbvs.sources.fetch import Fetcher
from gbvs.sources.signals_public import CFR_SOURCE, EUVSDISINFO_SOURCE


def _frame(source: Source, mirror: Path, tmp_path: Path) -> pd.DataFrame:
    fetcher = Fetcher(mirror=mirror, cache_dir=tmp_path, allow_download=False)
    files = {item.key: fetcher.locate(source.id, item) for item in source.inputs}
    (frame,) = source.parse(ParseContext(files, lambda name: pd.DataFrame())).values()
    return frame


@pytest.mark.integration
def test_cfr_tracker_gives_389_attributed_cyber_operations(mirror: Path, tmp_path: Path) -> None:
    drafts = list(cfr_drafts(_frame(CFR_SOURCE, mirror, tmp_path)))
    assert len(drafts) == 389
    assert len({draft.external_id for draft in drafts}) == 389
    assert {draft.kind for draft in drafts} == {SignalKind.cyber_operation}
    assert {(draft.tlp, draft.distribution) for draft in drafts} == {(Tlp.clear, Distribution.public)}
    sponsors = Counter(code for draft in drafts for code in draft.actor_countries)
    assert sponsors["CHN"] >= 138 and sponsors["RUS"] >= 88 and sponsors["PRK"] == 31
    wannacry = next(draft for draft in drafts if "WannaCry" in draft.title)
    assert wannacry.actor_countries == ("PRK",)
    undated = [draft for draft in drafts if "date_note" in draft.extra]
    assert len(undated) == 6


@pytest.mark.integration
def test_euvsdisinfo_gives_10892_cases_226_naming_the_netherlands(mirror: Path, tmp_path: Path) -> None:
    drafts = list(euvsdisinfo_drafts(_frame(EUVSDISINFO_SOURCE, mirror, tmp_path)))
    assert len(drafts) == 10_892
    assert sum("NLD" in draft.target_countries for draft in drafts) == 226
    assert {draft.goals for draft in drafts} == {(8,)}


def test_country_names_as_the_datasets_write_them() -> None:
    names = [
        "Russian Federation",
        "Korea (Democratic People's Republic of)",
        "Iran (Islamic Republic of)",
        "US",
        "Namibia",
    ]
    assert [iso3_from_name(name) for name in names] == ["RUS", "PRK", "IRN", "USA", "NAM"]
    assert iso3_from_name("Airbus") is None
