"""GED: the official zipped CSV (generated here, served through a mock transport) and the Syria Parquet."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import httpx
import pytest

from gbvs.sources.base import ParseContext
from gbvs.sources.fetch import COMPUTED, Fetcher
from gbvs.sources.schema import check_frame
from gbvs.sources.ucdp import CANDIDATE_SOURCE, GED, GED_SOURCE

GED_URL = "https://ucdp.uu.se/downloads/ged/ged251-csv.zip"
OFFICIAL_COLUMNS = [
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
]


def ged_rows(n: int) -> list[dict[str, object]]:
    """``n`` GED-shaped events in Mali and Syria, 2024."""
    rows = []
    for i in range(n):
        syria = i % 2 == 0
        deaths = (i % 3, 1, i % 5, 0)
        rows.append(
            dict.fromkeys(OFFICIAL_COLUMNS, "")
            | {
                "id": 500000 + i,
                "relid": f"SYR-2024-1-{i}",
                "year": 2024,
                "active_year": "TRUE",
                "code_status": "Clear",
                "type_of_violence": 1 + i % 3,
                "conflict_new_id": 299,
                "conflict_name": "Syria: Government",
                "dyad_new_id": 11973,
                "dyad_name": "Government of Syria - Syrian insurgents",
                "side_a_new_id": 118,
                "side_a": "Government of Syria",
                "side_b_new_id": 4456,
                "side_b": "Syrian insurgents",
                "number_of_sources": 2,
                "source_article": 'SOHR, "clashes", 2024',
                "where_prec": 1 + i % 7,
                "where_coordinates": "Aleppo town",
                "adm_1": "Aleppo Governorate",
                "latitude": 36.2 if syria else 16.3,
                "longitude": 37.16 if syria else -3.0,
                "geom_wkt": "POINT (37.16 36.2)",
                "priogrid_gid": 181875,
                "country": "Syria" if syria else "Mali",
                "country_id": 652 if syria else 432,
                "region": "Middle East",
                "event_clarity": 1,
                "date_prec": 1,
                "date_start": f"2024-{1 + i % 12:02d}-03 00:00:00.000",
                "date_end": f"2024-{1 + i % 12:02d}-04 00:00:00.000",
                "deaths_a": deaths[0],
                "deaths_b": deaths[1],
                "deaths_civilians": deaths[2],
                "deaths_unknown": deaths[3],
                "best": sum(deaths),
                "high": sum(deaths) + 2,
                "low": sum(deaths),
                "gwnoa": 652 if syria else 432,
                "gwnob": "",
            }
        )
    return rows


def zipped_csv(rows: list[dict[str, object]], member: str = "GEDEvent_v25_1.csv") -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=OFFICIAL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text.getvalue())
    return buffer.getvalue()


def _client(routes: dict[str, bytes]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        body = routes.get(str(request.url))
        return httpx.Response(404) if body is None else httpx.Response(200, content=body)

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_official_ged_zip_is_downloaded_parsed_and_checked(tmp_path: Path) -> None:
    rows = ged_rows(40)
    fetcher = Fetcher(
        None, tmp_path / "cache", allow_download=True, client=_client({GED_URL: zipped_csv(rows)})
    )
    located = fetcher.locate("ucdp_ged", GED_SOURCE.inputs[0])
    assert (
        located.origin == "download" and located.ref.version == "25.1" and located.checksum_status == COMPUTED
    )
    frame = GED_SOURCE.parse(ParseContext({"events": located}, lambda name: None))["ucdp_ged"]  # type: ignore[arg-type,return-value]
    check_frame(frame, GED, located.label)
    assert len(frame) == 40 and frame["best"].sum() == sum(int(row["best"]) for row in rows)  # type: ignore[call-overload]
    assert frame["date_end"].max().isoformat() == "2024-12-04"
    assert GED.vintage is not None and GED.vintage(frame) == "2024-12-04"
    assert set(frame["country_id"]) == {652, 432}
    assert frame["source_article"].iloc[0] == 'SOHR, "clashes", 2024'


def test_candidate_takes_the_newest_published_month(tmp_path: Path) -> None:
    url = "https://ucdp.uu.se/downloads/candidateged/GEDEvent_v26_0_3.csv"
    text = zipfile.ZipFile(io.BytesIO(zipped_csv(ged_rows(12)))).read("GEDEvent_v25_1.csv")
    fetcher = Fetcher(None, tmp_path / "cache", allow_download=True, client=_client({url: text}))
    located = fetcher.locate("ucdp_ged_candidate", CANDIDATE_SOURCE.inputs[0])
    assert located.ref.version == "26.0.3"
    frame = CANDIDATE_SOURCE.parse(ParseContext({"events": located}, lambda name: None))["ucdp_ged_candidate"]  # type: ignore[arg-type,return-value]
    assert len(frame) == 12


@pytest.mark.integration
def test_syria_parquet_goes_through_the_same_parser(mirror: Path, tmp_path: Path) -> None:
    located = Fetcher(mirror, tmp_path, allow_download=False).locate("ucdp_ged", GED_SOURCE.inputs[0])
    assert "Syria subset" in located.ref.note
    frame = GED_SOURCE.parse(ParseContext({"events": located}, lambda name: None))["ucdp_ged"]  # type: ignore[arg-type,return-value]
    check_frame(frame, GED, located.label)
    assert len(frame) == 16566 and int(frame["best"].sum()) == 112337
    assert set(frame["country_id"]) == {652}
