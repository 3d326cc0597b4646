"""Countries of the panel get their ISO3 and name from gbvs.countries (one source of the GW exceptions)."""

from __future__ import annotations

from pathlib import Path

from gbvs.store import StoreWriter
from gbvs.web.queries.countries import list_countries
from gbvs.web.store import StoreGateway

# country_converter 1.3.2 gives Yemen, Vietnam and Czechia the GW codes of South Yemen (680), South
# Vietnam (817) and Czechoslovakia (315); the panel has both the historical and the current states.
PANEL = {678: 2023, 680: 1990, 816: 2023, 817: 1975, 316: 2023, 315: 1992, 260: 2023, 265: 1990}


def _store(path: Path) -> Path:
    with StoreWriter(path) as writer:
        writer.con.execute("create table panel_country_year (gwcode bigint, year bigint)")
        for gwcode, last in PANEL.items():
            writer.con.execute(
                "insert into panel_country_year values (?, ?), (?, ?)", [gwcode, last - 1, gwcode, last]
            )
        writer.commit()
    return path


def test_gleditsch_ward_codes_follow_the_panel_corrections(tmp_path: Path) -> None:
    gateway = StoreGateway(_store(tmp_path / "store.duckdb"))
    try:
        countries = {
            country.iso3: (country.gwcode, country.name) for country in list_countries(gateway, "nl")
        }
    finally:
        gateway.close()
    assert countries == {
        "YEM": (678, "Jemen"),
        "VNM": (816, "Vietnam"),
        "CZE": (316, "Tsjechië"),
        "DEU": (260, "Duitsland"),
    }  # 680, 817, 315 (historical states) and 265 (GDR, no ISO3) are not listed
