"""Build a small analytical store with the tables the web app reads (tests only).

The tables follow the store contract (raw source tables with their original lower-cased column
names, ``panel_country_year``, the provenance table ``_gbvs_tables``); values are made up but
shaped like the real ones.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import ibis
import pandas as pd

from gbvs.panels.country_year import add_history
from gbvs.store import StoreWriter, TableProvenance

COUNTRIES = (  # iso3, iso2, name_short, gwcode, conflict years
    ("SYR", "SY", "Syria", "652", range(2011, 2024)),
    ("NLD", "NL", "Netherlands", "210", range(0)),
    ("MLI", "ML", "Mali", "432", range(2012, 2024)),
    ("UKR", "UA", "Ukraine", "369", range(2014, 2024)),
)
YEARS = range(1990, 2024)
SQUARES = {  # a little square per country, so the map has shapes (lon, lat of the lower-left corner)
    "SYR": (36.0, 33.0),
    "NLD": (4.0, 51.0),
    "MLI": (-8.0, 13.0),
    "UKR": (30.0, 47.0),
}


def build_store(path: Path, *, wide: bool = False, epr: bool = False) -> Path:
    """Write the small store to ``path`` (with the store's own writer) and return it; with ``wide``, also
    ``panel_country_year_wide`` (:func:`_wide`) and its V-Dem v14 source record; with ``epr``, a column
    GBVS derives (:func:`_epr`) and the records of EPR Core and of GBVS's table computed from it."""
    with StoreWriter(path) as writer:
        _codes(writer.con)
        _panel(writer.con)
        _ne_admin0(writer.con)
        _displacement(writer.con)
        _demspaces(writer.con)  # DemSpaces v14 beside GBVS (issue 11)
        if wide:
            _wide(writer.con)
        if epr:
            _epr(writer.con)
        _provenance(writer, (*(VDEM_V14 if wide else ()), *(EPR if epr else ())))
        writer.commit()
    return path


def _codes(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create table country_codes (name_short varchar, iso2 varchar, iso3 varchar, gwcode bigint)")
    for iso3, iso2, name, gwcode, _ in COUNTRIES:
        con.execute("insert into country_codes values (?, ?, ?, ?)", [name, iso2, iso3, int(gwcode)])
    con.execute("insert into country_codes values ('Aruba', 'AW', 'ABW', null)")


LOCATED_SHARE = 0.6
"""Battle deaths where the fighting happened, as a share of the deaths by conflict (made up)."""
LOCATED_LAST = 2022
"""The last year with located deaths (as in the real covariates table: none for 2023)."""


def _panel(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create table panel_country_year (gwcode bigint, year bigint, conflict integer, war integer, "
        "n_conflicts integer, brd_best double, brd_low double, brd_high double, brd_located_best double, "
        "brd_located_low double, brd_located_high double, onset integer, vdem_v2x_pubcorr double, "
        "gdp_per_capita double, polity_durable double)"
    )
    onsets = panel_onsets()
    for _, _, _, gwcode, conflict_years in COUNTRIES:
        for year in YEARS:
            conflict = int(year in conflict_years)
            deaths = 1000.0 * conflict * (1 + (year % 5)) if year >= 1989 else None
            onset = onsets[(int(gwcode), year)]
            located = LOCATED_SHARE * deaths if deaths is not None and year <= LOCATED_LAST else None
            con.execute(
                "insert into panel_country_year values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    int(gwcode),
                    year,
                    conflict,
                    int(bool(deaths and deaths >= 3000)),
                    conflict,
                    deaths,
                    deaths and deaths * 0.8,
                    deaths and deaths * 1.3,
                    located,
                    located and located * 0.9,
                    located and located * 1.2,
                    onset,
                    0.2 + 0.01 * (year - 1990),
                    1000.0 + 50 * (year - 1990),
                    float(year - 1990) if year <= 2018 else None,  # Polity5 ends in 2018; whole years
                ],
            )


WIDE_SYRIA_2022 = {"vdem14_v2cacamps": 3.025, "vdem14_v2x_gender": 0.295, "vdem14_v2x_polyarchy": 0.1}
"""Syria's 2022 values in the small wide panel (V-Dem v14's own, for polarisation and women); the other
country-years move by 0.01 a year from these. ``vdem14_v2x_polyarchy`` is no driver indicator."""
VDEM_V14 = (
    ("vdem_v14", "V-Dem country-year v14 (indicators)", "14", "2023", "ee89", "CC BY-SA 4.0 (V-Dem data)"),
)


def _wide(con: duckdb.DuckDBPyConnection) -> None:
    """``panel_country_year_wide`` with two V-Dem v14 driver indicators and one other V-Dem column."""
    columns = ", ".join(f"{name} double" for name in WIDE_SYRIA_2022)
    con.execute(f"create table panel_country_year_wide (gwcode bigint, year bigint, {columns})")
    for number, (_, _, _, gwcode, _) in enumerate(COUNTRIES):
        for year in YEARS:
            shift = 0.01 * (year - 2022) - 0.5 * number
            values = [value + shift for value in WIDE_SYRIA_2022.values()]
            con.execute(
                "insert into panel_country_year_wide values (?, ?, ?, ?, ?)", [int(gwcode), year, *values]
            )


EPR = (
    ("epr", "Ethnic Power Relations (EPR) Core", "EPR Core 2021", "2021", "a1b2", "ETH ICR terms"),
    ("epr_country_year", "EPR country-year", "gbvs 0.1.0", "2021", None, "as its sources"),
)
EPR_SHARE = 0.4
"""``epr_excluded_share`` of every country-year: a share GBVS computes from EPR's group periods."""


def _epr(con: duckdb.DuckDBPyConnection) -> None:
    """``epr_excluded_share`` in ``panel_country_year`` (empty after 2021, EPR Core 2021's last year)."""
    con.execute("alter table panel_country_year add column epr_excluded_share double")
    con.execute("update panel_country_year set epr_excluded_share = ? where year <= 2021", [EPR_SHARE])


def _displacement(con: duckdb.DuckDBPyConnection) -> None:
    """``panel_displacement`` (issue 17) for the four countries: Syria large, the others small."""
    con.execute(
        "create table panel_displacement (gwcode bigint, year bigint, displaced_abroad double, "
        "refugees double, "
        "displaced_in_nl double, new_outflows double, idps double, asylum_nl double, asylum_eu double)"
    )
    scale = {"652": 1000.0, "432": 50.0, "369": 200.0, "210": 0.0}
    for _, _, _, gwcode, _ in COUNTRIES:
        for year in YEARS:
            k = scale[gwcode] * (1 + (year % 7))
            asylum = None if year < 2000 else 10 * k
            con.execute(
                "insert into panel_displacement values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [int(gwcode), year, 100 * k, 90 * k, 2 * k, 20 * k, 150 * k, asylum, asylum and 30 * asylum],
            )


DEMSPACES_CUTPOINT = 0.009
"""Below the test panel's yearly rise of ``vdem_v2x_pubcorr`` (0.01): every year is an opening of the
economic space and none a closing, so the outcomes of DemSpaces' forecasts are known."""


DEMSPACES_PUBLISHED = {
    652: (range(2019, 2023), 0.3, 0.05),
    432: (range(2021, 2023), 0.1, 0.5),
    369: (range(2022, 2023), 0.2, 0.25),
}
"""DemSpaces v14's economic-space forecasts per country: forecast years, p_up (opening), p_down (closing).
With the latest run's forecasts (``forecastbuilder``: Syria opening 0.62, Mali closing 0.45) Syria's
opening is 32 points apart (a disagreement), Mali's closing 5 points; the other four pairs lack ours."""


def _demspaces(con: duckdb.DuckDBPyConnection) -> None:
    """DemSpaces v14 tables (issue 11): :data:`DEMSPACES_PUBLISHED` and the cutpoints."""
    con.execute(
        "create table demspaces_forecasts (outcome varchar, from_year bigint, for_years varchar, "
        "gwcode bigint, p_up double, p_same double, p_down double)"
    )
    for gwcode, (years, p_up, p_down) in DEMSPACES_PUBLISHED.items():
        for year in years:
            con.execute(
                "insert into demspaces_forecasts values ('v2x_pubcorr', ?, ?, ?, ?, ?, ?)",
                [year, f"{year + 1} - {year + 2}", gwcode, p_up, 1 - p_up - p_down, p_down],
            )
    con.execute('create table demspaces_cutpoints (indicator varchar, "all" double, up double, down double)')
    con.execute("insert into demspaces_cutpoints values ('v2x_pubcorr', ?, ?, ?)", [DEMSPACES_CUTPOINT] * 3)


def panel_onsets() -> dict[tuple[int, int], int]:
    """``onset`` per (gwcode, year), by the country-year panel's own rule (``add_history``)."""
    rows = [
        (int(gwcode), year, int(year in conflict_years))
        for _, _, _, gwcode, conflict_years in COUNTRIES
        for year in YEARS
    ]
    frame = pd.DataFrame(rows, columns=["gwcode", "year", "conflict"])
    history = add_history(ibis.memtable(frame)).execute()
    return {(int(r.gwcode), int(r.year)): int(r.onset) for r in history.itertuples()}


def _ne_admin0(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create table ne_admin0 (admin varchar, iso_a3 varchar, geometry varchar, iso3 varchar)")
    for iso3, (lon, lat) in SQUARES.items():
        ring = [[lon, lat], [lon + 4, lat], [lon + 4, lat + 3], [lon, lat + 3], [lon, lat]]
        geometry = json.dumps({"type": "Polygon", "coordinates": [ring]})
        con.execute("insert into ne_admin0 values (?, ?, ?, ?)", [iso3, iso3, geometry, iso3])


def _provenance(
    writer: StoreWriter, extra: tuple[tuple[str, str, str, str | None, str | None, str], ...] = ()
) -> None:
    rows = [
        *extra,
        ("ucdp_acd", "UCDP/PRIO Armed Conflict Dataset", "25.1", "2023", "85f1", "CC BY 4.0"),
        ("ucdp_brd", "UCDP Battle-Related Deaths Dataset", "24.1", "2023", "7d6e", "CC BY 4.0"),
        ("polity5", "Polity5", "p5v2018", "2018", "f723", "CSP terms"),
        ("country_codes", "country_converter data", "1.3.2", None, "73c5", "GPL-3.0"),
        ("panel_country_year", "Country-year panel", "gbvs 0.1.0", "2023", None, "as its sources"),
        (
            "unhcr_population",
            "UNHCR Refugee Population Statistics",
            "refugees 2025.12.1",
            "2023",
            "7dd4",
            "CC BY 4.0",
        ),
        (
            "unhcr_asylum_applications",
            "UNHCR Refugee Population Statistics",
            "refugees 2025.12.1",
            "2023",
            "3776",
            "CC BY 4.0",
        ),
        ("demspaces_forecasts", "Democratic Spaces Barometer forecasts", "v14", "2022", "6b88", "GPL-3.0"),
        ("demspaces_cutpoints", "Democratic Spaces Barometer forecasts", "v14", None, "057a", "GPL-3.0"),
    ]
    writer.write_provenance(
        TableProvenance(
            table_name=table,
            source_id=table,
            title=title,
            version=version,
            vintage=vintage,
            ingested_at=datetime(2026, 11, 28, 12, 0, tzinfo=UTC),
            sha256=sha * 16 if sha else None,
            licence=licence,
            citation=f"Cite {title} {version}.",
            url=f"https://example.org/{table}",
        )
        for table, title, version, vintage, sha, licence in rows
    )
