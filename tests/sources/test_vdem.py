"""V-Dem: the full country-year file (generated, zipped, served by a mock transport) and the subset."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import httpx
import pytest

from gbvs.sources.base import ParseContext
from gbvs.sources.fetch import Fetcher
from gbvs.sources.schema import check_frame
from gbvs.sources.vdem import SOURCE, SUBSET_INDICES, VDEM

FULL_URL = "https://v-dem.net/media/datasets/V-Dem-CY-FullOthers-v15_csv.zip"


def _full_file_zip() -> bytes:
    header = [
        "country_name",
        "country_text_id",
        "country_id",
        "year",
        "COWcode",
        "v2x_polyarchy",
        "v2elmulpar",
    ]
    header += list(SUBSET_INDICES)
    rows = [
        ["Germany", "DEU", "77", "1989", "255", "0.8", "3", *["0.7"] * 6],
        ["Germany", "DEU", "77", "1991", "255", "0.9", "3", *["0.8"] * 6],
        ["Palestine/West Bank", "PSE", "128", "1991", "", "0.1", "1", *["0.2"] * 6],
    ]
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([header, *rows])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("V-Dem-CY-Full+Others-v15.csv", text.getvalue())
    return buffer.getvalue()


def test_full_vdem_file_keeps_declared_indices_and_derives_gwcode(tmp_path: Path) -> None:
    body = _full_file_zip()
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, content=body)))
    located = Fetcher(None, tmp_path, allow_download=True, client=client).locate("vdem", SOURCE.inputs[0])
    assert located.ref.version == "15" and located.path.name == "V-Dem-CY-FullOthers-v15_csv.zip"
    frame = SOURCE.parse(ParseContext({"country_year": located}, lambda name: None))["vdem"]  # type: ignore[arg-type,return-value]
    check_frame(frame, VDEM.__class__(**{**VDEM.__dict__, "min_rows": 1}), located.label)
    assert frame["gwcode"].tolist()[:2] == [255, 260] and frame["gwcode"].isna().tolist()[2]
    assert "v2elmulpar" not in frame.columns and frame["v2x_polyarchy"].tolist()[0] == 0.8
    # V-Dem's corruption index is reversed to the DemSpaces subset's convention (higher = less corrupt)
    assert frame["v2x_pubcorr"].round(6).tolist() == [0.3, 0.2, 0.8]
    assert frame["v2xcl_rol"].round(6).tolist() == [0.7, 0.8, 0.2]


@pytest.mark.integration
def test_mirror_subset_is_keyed_by_gwcode_and_year(mirror: Path, tmp_path: Path) -> None:
    located = Fetcher(mirror, tmp_path, allow_download=False).locate("vdem", SOURCE.inputs[0])
    frame = SOURCE.parse(ParseContext({"country_year": located}, lambda name: None))["vdem"]  # type: ignore[arg-type,return-value]
    check_frame(frame, VDEM, located.label)
    assert not frame.duplicated(["gwcode", "year"]).any() and frame["gwcode"].notna().all()
