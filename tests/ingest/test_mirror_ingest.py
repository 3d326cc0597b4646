"""The real mirror ingested once (``ingested_store``): every table, its provenance, and known facts."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from gbvs.config import load_settings
from gbvs.ingest import ingest
from gbvs.sources.registry import SOURCES
from gbvs.store import Store

pytestmark = pytest.mark.integration

RAW_TABLES = {
    "ucdp_acd", "ucdp_acd_locations", "ucdp_brd", "ucdp_nonstate", "ucdp_ged", "vdem", "polity5", "epr",
    "gapminder", "gapminder_concepts", "gapminder_geo", "country_codes", "gw_states", "ne_admin0",
    "demspaces_forecasts", "demspaces_cutpoints", "demspaces_scores",
    "vdem_v14", "poldat_country_year", "ptcoups", "ds_population", "gw_state_age",  # issue 11
}  # fmt: skip


@pytest.fixture(scope="module")
def store(ingested_store: Any) -> Iterator[Store]:
    with Store(ingested_store.path) as opened:
        yield opened


def _scalar(expression: Any) -> Any:
    return expression.execute()


def test_every_raw_table_is_stored_with_provenance(store: Store) -> None:
    assert set(store.tables()) >= RAW_TABLES
    records = {record.table_name: record for record in store.provenance()}
    for name in RAW_TABLES:
        record = records[name]
        assert record.version and record.licence and record.citation and record.ingested_at
        assert record.n_rows == _scalar(store.table(name).count())
    assert records["ucdp_acd"].vintage == "2023"
    assert records["ucdp_ged"].vintage == "2019-12-01"
    assert "Syria subset" in records["ucdp_ged"].title
    assert records["gapminder"].vintage == "2024"
    assert records["polity5"].checksum_status and "pinned" in records["polity5"].checksum_status


def _sources_md_checksums(mirror: Path) -> dict[str, str]:
    rows = re.findall(r"^\| ([\w./-]+) \|.*\| ([0-9a-f]{64}) \|$", (mirror / "SOURCES.md").read_text(), re.M)
    for note in sorted(mirror.glob("SOURCES-*.md")):  # later waves list "sha256  path" lines
        rows += [
            (path, sha) for sha, path in re.findall(r"^([0-9a-f]{64})  ([\w./-]+)$", note.read_text(), re.M)
        ]
    return dict(rows)


def test_pinned_checksums_match_sources_md(ingested_store: Any) -> None:
    published = _sources_md_checksums(ingested_store.mirror)
    pinned = {
        ref.mirror_path: ref.sha256
        for source in SOURCES
        for source_input in source.inputs
        for ref in source_input.options
        if ref.sha256 and ref.package is None
    }
    assert len(pinned) == 26  # 15 of SOURCES.md, 11 of SOURCES-wave3.md (5 UNHCR tables, 6 of issue 11)
    assert {path: published[path] for path in pinned} == pinned


def test_known_facts_of_the_sources(store: Store) -> None:
    acd = store.table("ucdp_acd")
    syria = acd.filter(acd.conflict_id == 299).to_pandas()  # Syria: Government
    assert set(syria.loc[syria.year.between(2011, 2020), "intensity_level"]) == {2}
    assert set(syria.loc[syria.year.between(2021, 2022), "intensity_level"]) == {1}
    brd = store.table("ucdp_brd")
    in_syria = brd.filter(brd.location_inc == "Syria")
    assert _scalar(in_syria.filter(in_syria.year == 2019).bd_best.sum()) == 7379
    ged = store.table("ucdp_ged")
    assert _scalar(ged.best.sum()) == 112337
    by_type = ged.group_by("type_of_violence").aggregate(n=ged.count()).to_pandas()
    assert dict(zip(by_type.type_of_violence, by_type.n, strict=True)) == {1: 11507, 2: 4577, 3: 482}
    polity = store.table("polity5").filter(lambda t: t.year == 2018).to_pandas().set_index("scode")
    assert polity.loc["SYR", "polity2"] == -9 and polity.loc["NTH", "polity2"] == 10


def test_acd_locations_explode_multi_country_conflicts(store: Store) -> None:
    acd = store.table("ucdp_acd").to_pandas()
    multi = acd[acd.gwno_loc.str.contains(",")].iloc[0]
    locations = store.table("ucdp_acd_locations")
    rows = locations.filter(
        (locations.conflict_id == int(multi.conflict_id)) & (locations.year == int(multi.year))
    )
    assert sorted(rows.to_pandas().gwno_loc) == sorted(int(code) for code in multi.gwno_loc.split(","))


def test_codes_maps_and_state_system(store: Store) -> None:
    ne = store.table("ne_admin0").to_pandas().set_index("admin")
    assert ne.loc["France", "iso_a3"] == "-99" and ne.loc["France", "iso3"] == "FRA"
    assert ne.loc["France", "gwcode"] == 220 and ne.loc["Kosovo", "gwcode"] == 347
    assert json.loads(ne.loc["Syria", "geometry"])["type"] in {"Polygon", "MultiPolygon"}
    states = store.table("gw_states").to_pandas()
    per_year = states.groupby("year").size()
    assert 150 <= per_year[2015] <= 200
    netherlands = states[states.gwcode == 210]
    assert set(range(1946, 2024)) <= set(netherlands.year)
    assert netherlands.iso3.iloc[0] == "NLD"
    assert 680 in set(states[states.year == 1980].gwcode) and 680 not in set(
        states[states.year == 1995].gwcode
    )


def test_sources_command_lists_every_table(
    ingested_store: Any, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GBVS_DATA_DIR", str(ingested_store.data_dir))
    monkeypatch.setenv("GBVS_STORE_PATH", str(ingested_store.path))
    result = run_cli("sources", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {row["table_name"]: row for row in json.loads(result.stdout)}
    assert set(rows) >= RAW_TABLES
    assert rows["ucdp_ged_candidate"]["status"] == "not ingested"
    assert rows["epr"]["sha256"] == "98e2d56431f55355d5d69deaa28c9063a49e859722bbb6d777a541ee831bcfe0"
    assert rows["epr"]["vintage"] == "2021" and "Vogt" in rows["epr"]["citation"]
    # issue 12, fix 9: the stored citation names the version that was read (the mirror's GED is 19.1)
    assert "19.1" in rows["ucdp_ged"]["version"] and "version 19.1" in rows["ucdp_ged"]["citation"]
    assert "25.1" not in rows["ucdp_ged"]["citation"]
    # a derived table cites the optional inputs it read (issue 11: the located battle deaths)
    assert "poldat_country_year" in rows["panel_country_year"]["citation"]
    assert "poldat_country_year" in rows["panel_country_year"]["licence"]
    text = run_cli("sources")
    assert text.exit_code == 0 and "ucdp_acd" in text.stdout and "CC BY 4.0" in text.stdout


@pytest.mark.slow
def test_only_reingests_one_source_and_keeps_the_rest(ingested_store: Any, tmp_path: Path) -> None:
    store_path = tmp_path / "store.duckdb"
    shutil.copy(ingested_store.path, store_path)
    settings = load_settings(data_dir=tmp_path, store_path=store_path, mirror=ingested_store.mirror)
    result = ingest(settings, only=["epr"])
    by_name = {record.table_name: record for record in result.tables}
    previous = {record.table_name: record for record in ingested_store.result.tables}
    assert by_name["epr"].ingested_at > previous["epr"].ingested_at
    assert by_name["gw_states"].ingested_at > previous["gw_states"].ingested_at  # depends on epr
    assert by_name["ucdp_acd"].ingested_at == previous["ucdp_acd"].ingested_at  # copied unchanged
    with Store(store_path) as store, Store(ingested_store.path) as original:
        assert set(store.tables()) >= RAW_TABLES
        for name in ("epr", "gw_states", "ucdp_acd", "ne_admin0"):  # idempotent: same content again
            columns = list(original.table(name).columns)
            again = store.table(name).to_pandas().sort_values(columns).reset_index(drop=True)
            first = original.table(name).to_pandas().sort_values(columns).reset_index(drop=True)
            pd.testing.assert_frame_equal(again, first, check_exact=True)


@pytest.mark.slow
def test_unavailable_optional_source_keeps_its_previous_table(ingested_store: Any, tmp_path: Path) -> None:
    import duckdb

    store_path = tmp_path / "store.duckdb"
    shutil.copy(ingested_store.path, store_path)
    with duckdb.connect(
        str(store_path)
    ) as con:  # as if an earlier online ingest had fetched the Candidate GED
        con.execute("CREATE TABLE ucdp_ged_candidate AS SELECT * FROM ucdp_ged LIMIT 5")
        con.execute(
            "INSERT INTO _gbvs_tables SELECT * REPLACE ('ucdp_ged_candidate' AS table_name, "
            "'ucdp_ged_candidate' AS source_id, '26.0.3' AS version) FROM _gbvs_tables "
            "WHERE table_name = 'ucdp_ged'"
        )
    settings = load_settings(data_dir=tmp_path, store_path=store_path, mirror=ingested_store.mirror)
    result = ingest(settings)
    assert result.skipped == ["ucdp_ged_candidate"]
    with Store(store_path) as store:
        assert store.table("ucdp_ged_candidate").count().execute() == 5
        assert store.provenance_of("ucdp_ged_candidate").version == "26.0.3"
