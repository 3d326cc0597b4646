"""``gbvs ingest``'s refusals that were English only, now in the reader's language: a download that
fails or changed, the World Bank API, a Natural Earth file, a Gleditsch-Ward code of no state, a
release cut short, a table's shape and an unknown ``--only`` source. Each names the file (or URL or
source), the value found and the fix, in Dutch by default (English with GBVS_LANGUAGE=en), exit code
and store unchanged. The errors are read through ``failure``, the command line's own failure line."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest

from gbvs.cli.main import failure
from gbvs.errors import GBVSError, InputError, SchemaMismatchError, SourceMissingError
from gbvs.sources import naturalearth, wdi
from gbvs.sources.base import Column, FileRef, Located, SourceInput, TableSchema
from gbvs.sources.fetch import COMPUTED, Fetcher
from gbvs.sources.schema import cast_frame, check_frame
from gbvs.store import Store

Run = Callable[..., Any]
URL = "https://example.org/data/acd-v2.csv"
BODY = b"conflict_id,year\n1,2020\n"
ACD_MIRROR_FILE = "ucdp/UcdpPrioConflict_v25_1_to2023.csv"
ACD_RELEASE_ZIP = "ucdp/ucdp-prio-acd-251-csv.zip"


def _dutch(error: GBVSError) -> str:
    return failure(error, "nl")


def _english(error: GBVSError) -> str:
    return failure(error, "en")


def _fetcher(tmp_path: Path, handler: Callable[[httpx.Request], httpx.Response]) -> Fetcher:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return Fetcher(None, tmp_path / "cache", allow_download=True, client=client)


def _acd(url: str | None = URL) -> SourceInput:
    return SourceInput("main", (FileRef("ucdp", "acd.csv", "2", url=url),))


def test_a_download_the_server_refuses_is_named_in_dutch(tmp_path: Path) -> None:
    fetcher = _fetcher(tmp_path, lambda request: httpx.Response(503))
    with pytest.raises(SourceMissingError) as raised:
        fetcher.locate("ucdp_acd", _acd())
    dutch = _dutch(raised.value)
    assert dutch.startswith("fout: Bron 'ucdp_acd': bestand ucdp/acd.csv niet gevonden in de downloadcache")
    assert "De downloads mislukten:\n  - Het downloaden van " + URL + " is mislukt: HTTP 503." in dutch
    assert "Oplossing: controleer de URL of probeer het later opnieuw, of gebruik een datakopie" in dutch
    english = _english(raised.value)
    assert f"downloads failed:\n  - download of {URL} failed: HTTP 503; check the URL or try" in english


def test_no_network_is_named_in_dutch(tmp_path: Path) -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    with pytest.raises(SourceMissingError) as raised:
        _fetcher(tmp_path, offline).locate("ucdp_acd", _acd())
    dutch = _dutch(raised.value)
    assert f"Het downloaden van {URL} is mislukt: [Errno -3] Temporary failure in name resolution." in dutch
    assert "Oplossing: controleer de netwerkverbinding, of gebruik een datakopie (GBVS_MIRROR)." in dutch


def test_a_download_cut_short_is_named_in_dutch(tmp_path: Path) -> None:
    def short(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=BODY[:10], headers={"content-length": str(len(BODY))})

    with pytest.raises(SourceMissingError) as raised:
        _fetcher(tmp_path, short).locate("ucdp_acd", _acd())
    assert (
        f"Het downloaden van {URL} stopte na 10 van de 24 bytes. Oplossing: voer `gbvs ingest` opnieuw uit."
        in _dutch(raised.value)
    )


def test_a_file_without_a_url_says_to_use_a_mirror_in_dutch(tmp_path: Path) -> None:
    with pytest.raises(SourceMissingError) as raised:
        _fetcher(tmp_path, lambda request: httpx.Response(200)).locate("polity5", _acd(url=None))
    assert "Voor dit bestand is geen officiële download-URL opgegeven, dus het moet uit een datakopie " in (
        _dutch(raised.value)
    )


def test_the_versions_a_source_may_read_are_listed_in_dutch(tmp_path: Path) -> None:
    refs = tuple(FileRef("ucdp", f"acd-{n}.csv", str(n), url=f"{URL}?v={n}") for n in range(1, 6))
    with pytest.raises(SourceMissingError) as raised:
        Fetcher(None, tmp_path / "cache", allow_download=False).locate("ucdp_acd", SourceInput("main", refs))
    assert (
        "bestand ucdp/acd-1.csv, ucdp/acd-2.csv of ucdp/acd-3.csv (of 2 andere versies) niet gevonden in de "
        "downloadcache" in _dutch(raised.value)
    )
    assert "ucdp/acd-1.csv, ucdp/acd-2.csv or ucdp/acd-3.csv (or 2 other versions)" in _english(raised.value)


def test_a_changed_cached_download_is_named_in_dutch(tmp_path: Path) -> None:
    serving = _fetcher(tmp_path, lambda request: httpx.Response(200, content=BODY))
    located = serving.locate("ucdp_acd", _acd())
    assert located.checksum_status == COMPUTED
    located.path.write_bytes(BODY + b"3,2022\n")
    with pytest.raises(InputError) as raised:
        Fetcher(None, tmp_path / "cache", allow_download=False).locate("ucdp_acd", _acd())
    dutch = _dutch(raised.value)
    assert f"fout: {located.path}: de sha256 is " in dutch
    assert "het bestand in de cache is veranderd. Oplossing: verwijder het" in dutch


def test_the_world_bank_api_failing_is_named_in_dutch() -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(502, text="Bad")))
    with pytest.raises(SourceMissingError) as raised:
        wdi.countries(client)
    dutch = _dutch(raised.value)
    assert (
        "De vraag https://api.worldbank.org/v2/country?format=json&per_page=400 aan de WDI-API van" in dutch
    )
    assert "is mislukt: HTTP 502. Oplossing: probeer het later opnieuw, of gebruik een datakopie" in dutch


def test_an_unexpected_world_bank_answer_is_named_in_dutch() -> None:
    page = httpx.Response(200, text="<html>maintenance</html>")
    client = httpx.Client(transport=httpx.MockTransport(lambda request: page))
    with pytest.raises(SourceMissingError) as raised:
        wdi.series(client, "SP.POP.TOTL")
    assert "gaf een onverwacht antwoord: <html>maintenance</html>. Oplossing: " in _dutch(raised.value)


def _geojson(tmp_path: Path, content: str) -> Located:
    path = tmp_path / "ne_50m_admin_0_countries.geojson"
    path.write_text(content, encoding="utf-8")
    ref = FileRef("naturalearth", path.name, "5.1.1")
    return Located(ref, path, "mirror", "0" * 64, COMPUTED, None)


@pytest.mark.parametrize(
    ("content", "dutch"),
    [
        pytest.param(
            '{"type": "FeatureCollection", "features": [', "het is niet als JSON te lezen", id="json"
        ),
        pytest.param(
            '{"type": "FeatureCollection", "features": []}',
            "verwacht werd een GeoJSON-FeatureCollection met features, gevonden: {'type'",
            id="no-features",
        ),
        pytest.param(
            json.dumps({"features": [{"properties": {"ADMIN": "Mali"}, "geometry": None}]}),
            "de features missen de eigenschappen NAME, NAME_LONG",
            id="properties",
        ),
    ],
)
def test_a_broken_natural_earth_file_is_named_in_dutch(tmp_path: Path, content: str, dutch: str) -> None:
    located = _geojson(tmp_path, content)
    with pytest.raises(InputError) as raised:
        naturalearth.features_frame(located)
    said = _dutch(raised.value)
    assert said.startswith(f"fout: {located.label}: ") and dutch in said, said
    assert "Oplossing: zet het oorspronkelijke bestand terug" in said


GW_TABLE = TableSchema(
    "acd",
    (
        Column("year", "int", nullable=False),
        Column("gwno_loc", "str", codes="gw"),
    ),
    key=("year", "gwno_loc"),
    min_rows=2,
)


def _checked(frame: pd.DataFrame) -> SchemaMismatchError:
    with pytest.raises(SchemaMismatchError) as raised:
        check_frame(cast_frame(frame, GW_TABLE, "acd.csv"), GW_TABLE, "acd.csv")
    return raised.value


def test_a_code_of_no_state_is_named_in_dutch() -> None:
    error = _checked(pd.DataFrame({"year": [2023, 2023], "gwno_loc": ["652", "653"]}))
    dutch = _dutch(error)
    assert "fout: acd.csv: kolom 'gwno_loc' bevat 653 in gegevensregel 2 (year 2023), 1 regel(s)" in dutch
    assert "653 is geen Gleditsch-Ward-staatcode (gbvs.countries kent geen staat met deze code)" in dutch
    assert "Oplossing: verbeter de code, of zet het oorspronkelijke bestand terug" in dutch
    assert "voeg de staat toe aan src/gbvs/countries/gleditsch_ward.yaml" in dutch


def test_a_state_outside_its_years_is_named_in_dutch() -> None:
    error = _checked(pd.DataFrame({"year": [1995, 2020], "gwno_loc": ["315", "316"]}))
    dutch = _dutch(error)
    assert "315 (Czechia) is in 1995 geen Gleditsch-Ward-staat (wel tot en met 1992); CZE is in 1995 316" in (
        dutch
    )
    assert "(it is one until 1992); CZE is 316 in 1995" in _english(error)


@pytest.mark.parametrize(
    ("frame", "dutch"),
    [
        pytest.param(
            pd.DataFrame({"year": [2020, 2021], "gwno_loc": ["652", "Syria"]}),
            "kolom 'gwno_loc' moet Gleditsch-Ward-codes bevatten (gehele getallen, meerdere gescheiden door "
            "komma's), gevonden 'Syria' in gegevensregel 2",
            id="not-a-code",
        ),
        pytest.param(
            pd.DataFrame({"year": [2020], "gwno_loc": ["652"]}),
            "tabel 'acd' heeft 1 regels, verwacht werden er minstens 2; het bestand lijkt afgekapt",
            id="too-few-rows",
        ),
        pytest.param(
            pd.DataFrame({"year": [2020, 2021], "gwno_loc": ["652", None]}),
            "de sleutelkolom(men) year, gwno_loc van tabel 'acd' hebben lege waarden",
            id="empty-key",
        ),
        pytest.param(
            pd.DataFrame([[2020, 2020, "652"]], columns=["year", "YEAR", "gwno_loc"]),
            "kolom 'year' komt twee keer voor (namen worden in kleine letters vergeleken)",
            id="twice",
        ),
    ],
)
def test_a_table_of_the_wrong_shape_is_named_in_dutch(frame: pd.DataFrame, dutch: str) -> None:
    said = _dutch(_checked(frame))
    assert said.startswith("fout: acd.csv: ") and dutch in said, said
    assert "Oplossing: zet het oorspronkelijke bestand terug" in said


def test_an_unknown_source_is_named_in_dutch(settings: Any, run_cli: Run) -> None:
    result = run_cli("ingest", "--only", "acled")
    assert result.exit_code == 5
    assert "fout: Onbekende bron 'acled'. Kies een van: ucdp_acd, " in result.stderr
    assert "(`gbvs sources` toont ze)" in result.stderr


def _mirror_with_release(tmp_path: Path, mirror: Path, text: str) -> Path:
    copy = tmp_path / "mirror"
    (copy / "ucdp").mkdir(parents=True)
    shutil.copy(mirror / "SOURCES.md", copy / "SOURCES.md")
    shutil.copy(mirror / ACD_MIRROR_FILE, copy / ACD_MIRROR_FILE)
    with zipfile.ZipFile(copy / ACD_RELEASE_ZIP, "w") as archive:
        archive.writestr("UcdpPrioConflict_v25_1.csv", text)
    return copy


def _with_location(text: str, old: str, new: str, year: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    location, year_at = rows[0].index("gwno_loc"), rows[0].index("year")
    for row in rows[1:]:
        if row[location] == old and row[year_at] == year:
            row[location] = new
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _ingest_refused(run_cli: Run, small_store: Path, mirror: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("GBVS_MIRROR", str(mirror))
    monkeypatch.setenv("GBVS_STORE_PATH", str(small_store))
    before = small_store.read_bytes()
    result = run_cli("ingest")
    assert result.exit_code == InputError.exit_code, result.stderr
    assert "Traceback" not in result.stderr
    assert small_store.read_bytes() == before
    with Store(small_store) as opened:
        assert opened.tables() == ["marker"]
    return str(result.stderr[result.stderr.rindex("fout: ") :])


@pytest.mark.integration
def test_ingest_names_a_code_of_no_state_in_dutch(
    small_store: Path, mirror: Path, acd_text: str, tmp_path: Path, run_cli: Run, monkeypatch: Any
) -> None:
    copy = _mirror_with_release(tmp_path, mirror, _with_location(acd_text, "652", "653", "2023"))
    monkeypatch.delenv("GBVS_LANGUAGE", raising=False)
    said = _ingest_refused(run_cli, small_store, copy, monkeypatch)
    assert f"{copy / ACD_RELEASE_ZIP}" in said and "kolom 'gwno_loc' bevat 653 in gegevensregel" in said
    assert "653 is geen Gleditsch-Ward-staatcode" in said and "Oplossing: verbeter de code" in said


@pytest.mark.integration
def test_ingest_names_a_release_cut_short_in_dutch_and_english(
    small_store: Path, mirror: Path, acd_text: str, tmp_path: Path, run_cli: Run, monkeypatch: Any
) -> None:
    head = "".join(acd_text.splitlines(keepends=True)[:1500])  # head -n 1500: no rows for 2024
    copy = _mirror_with_release(tmp_path, mirror, head)
    monkeypatch.delenv("GBVS_LANGUAGE", raising=False)
    said = _ingest_refused(run_cli, small_store, copy, monkeypatch)
    assert "tabel 'ucdp_acd' bevat geen regels voor 2024, het laatste jaar dat" in said
    assert "het bestand is afgekapt of is een oudere release onder deze naam. Oplossing: vervang het" in said
    monkeypatch.setenv("GBVS_LANGUAGE", "en")
    result = run_cli("ingest")
    assert result.exit_code == InputError.exit_code
    assert "table 'ucdp_acd' holds no rows for 2024, the last year" in result.stderr
    assert "fout: " not in result.stderr
