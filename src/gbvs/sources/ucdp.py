"""UCDP sources: Armed Conflict (UCDP/PRIO ACD), Battle-Related Deaths (dyadic), Non-State, GED, Candidate.

UCDP publishes no checksums; the mirror copies are pinned to the sha256 in SOURCES.md, and
downloads of newer releases record the sha256 computed at fetch time. The official files are
zipped CSVs on https://ucdp.uu.se/downloads/ (licence CC BY 4.0).
"""

from __future__ import annotations

import pandas as pd

from gbvs.sources.base import (
    Column,
    FileRef,
    ParseContext,
    Source,
    SourceInput,
    TableSchema,
    max_date,
    max_year,
)
from gbvs.sources.readers import load_table

UCDP_LICENCE = "CC BY 4.0 (UCDP, Uppsala University)"
DOWNLOADS = "https://ucdp.uu.se/downloads"
YEAR = Column("year", "int", nullable=False, min=1946, max=2100)
DEATHS_MIN = 0.0


def _ints(*names: str, **kw: object) -> tuple[Column, ...]:
    return tuple(Column(name, "int", **kw) for name in names)  # type: ignore[arg-type]


def _texts(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name, "str") for name in names)


def _gw_codes(*names: str) -> tuple[Column, ...]:
    """Text columns of Gleditsch-Ward codes as UCDP writes them (several comma-separated), checked."""
    return tuple(Column(name, "str", codes="ucdp") for name in names)


def _dates(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name, "date") for name in names)


SIDES = _texts("side_a", "side_a_id", "side_a_2nd", "side_b", "side_b_id", "side_b_2nd", "territory_name")
GWNO = (*_gw_codes("gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd"), *_texts("region", "version"))

ACD = TableSchema(
    "ucdp_acd",
    (
        Column("conflict_id", "int", nullable=False),
        Column("location", "str", nullable=False),
        *SIDES,
        Column("incompatibility", "int", allowed=frozenset({1, 2, 3})),
        YEAR,
        Column("intensity_level", "int", nullable=False, allowed=frozenset({1, 2})),
        Column("cumulative_intensity", "int", allowed=frozenset({0, 1})),
        Column("type_of_conflict", "int", nullable=False, allowed=frozenset({1, 2, 3, 4})),
        *_dates("start_date", "start_date2", "ep_end_date"),
        *_ints("start_prec", "start_prec2", "ep_end_prec"),
        Column("ep_end", "int", allowed=frozenset({0, 1})),
        *GWNO,
        Column("gwno_loc", "str", nullable=False, codes="ucdp"),
    ),
    key=("conflict_id", "year"),
    min_rows=100,
    vintage=max_year("year"),
)
ACD_LOCATIONS = TableSchema(
    "ucdp_acd_locations",
    (
        Column("conflict_id", "int", nullable=False),
        YEAR,
        Column("gwno_loc", "int", nullable=False, min=2, max=999, codes="ucdp"),
    ),
    key=("conflict_id", "year", "gwno_loc"),
    vintage=max_year("year"),
)


def explode_locations(acd: pd.DataFrame) -> pd.DataFrame:
    """One row per (conflict_id, year, gwno_loc): ACD's ``gwno_loc`` may list several codes ("645, 652")."""
    rows = acd[["conflict_id", "year", "gwno_loc"]].copy()
    rows["gwno_loc"] = rows["gwno_loc"].astype("string").str.split(",")
    rows = rows.explode("gwno_loc")
    rows["gwno_loc"] = pd.to_numeric(rows["gwno_loc"].str.strip()).astype("Int64")
    return rows.drop_duplicates().reset_index(drop=True)


def _parse_acd(context: ParseContext) -> dict[str, pd.DataFrame]:
    acd = load_table(context.file("conflicts"), ACD)
    return {"ucdp_acd": acd, "ucdp_acd_locations": explode_locations(acd)}


ACD_SOURCE = Source(
    id="ucdp_acd",
    title="UCDP/PRIO Armed Conflict Dataset",
    description=(
        "State-based armed conflicts (>= 25 battle deaths a year), one row per conflict-year since 1946."
    ),
    producer="Uppsala Conflict Data Program (UCDP) and PRIO",
    licence=UCDP_LICENCE,
    citation=(
        "Davies, Shawn, Therése Pettersson, Margareta Sollenberg & Magnus Öberg (2025). Organized violence "
        "1989-2024. Journal of Peace Research 62(4); Gleditsch, Nils Petter, Peter Wallensteen, Mikael "
        "Eriksson, Margareta Sollenberg & Håvard Strand (2002). Armed Conflict 1946-2001: A New Dataset. "
        "Journal of Peace Research 39(5): 615-637."
    ),
    homepage="https://ucdp.uu.se/downloads/index.html#armedconflict",
    inputs=(
        SourceInput(
            "conflicts",
            (
                FileRef(
                    "ucdp",
                    "ucdp-prio-acd-251-csv.zip",
                    "25.1",
                    covers=2024,
                    url=f"{DOWNLOADS}/ucdpprio/ucdp-prio-acd-251-csv.zip",
                    member="*.csv",
                ),
                FileRef(
                    "ucdp",
                    "UcdpPrioConflict_v25_1_to2023.csv",
                    "25.1 (restricted to 1946-2023)",
                    sha256="85f133a2158b622e58c59b9b9bd4f37d2e4d5f90a9a419e59a7bb6e85984be4d",
                    note="mirror copy restricted to 1946-2023 (2024 withheld for scoring)",
                ),
            ),
        ),
    ),
    tables=(ACD, ACD_LOCATIONS),
    parse=_parse_acd,
    notes=("gwno_loc may hold several comma-separated codes; ucdp_acd_locations has one row per code.",),
)

BRD = TableSchema(
    "ucdp_brd",
    (
        *_ints("conflict_id", "dyad_id", nullable=False),
        Column("location_inc", "str"),
        *SIDES,
        Column("incompatibility", "int", allowed=frozenset({1, 2, 3})),
        Column("year", "int", nullable=False, min=1989, max=2100),
        *_ints("bd_best", "bd_low", "bd_high", nullable=False, min=DEATHS_MIN),
        Column("type_of_conflict", "int", nullable=False, allowed=frozenset({1, 2, 3, 4})),
        Column("battle_location", "str"),
        *GWNO,
        *_gw_codes("gwno_loc", "gwno_battle"),
    ),
    key=("dyad_id", "year"),
    min_rows=100,
    vintage=max_year("year"),
)

BRD_SOURCE = Source(
    id="ucdp_brd",
    title="UCDP Battle-Related Deaths Dataset (dyadic)",
    description="Battle-related deaths (best, low, high estimates) per conflict dyad and year, since 1989.",
    producer="Uppsala Conflict Data Program (UCDP)",
    licence=UCDP_LICENCE,
    citation=(
        "Davies, Shawn, Garoun Engström, Therése Pettersson & Magnus Öberg (2024). Organized violence "
        "1989-2023, and the prevalence of organized crime groups. Journal of Peace Research 61(4)."
    ),
    homepage="https://ucdp.uu.se/downloads/index.html#battlerelated",
    inputs=(
        SourceInput(
            "dyads",
            (
                FileRef(
                    "ucdp",
                    "ucdp-brd-dyadic-251-csv.zip",
                    "25.1",
                    covers=2024,
                    url=f"{DOWNLOADS}/brd/ucdp-brd-dyadic-251-csv.zip",
                    member="*.csv",
                ),
                FileRef(
                    "ucdp",
                    "BattleDeaths_v24_1.csv",
                    "24.1",
                    sha256="7d6e180845127fff39a52ce68e111b36384a341fded5d5091a3ab9902a2c9465",
                    url=f"{DOWNLOADS}/brd/ucdp-brd-dyadic-241-csv.zip",
                    member="*.csv",
                ),
            ),
        ),
    ),
    tables=(BRD,),
    parse=lambda context: {"ucdp_brd": load_table(context.file("dyads"), BRD)},
)

NONSTATE = TableSchema(
    "ucdp_nonstate",
    (
        *_ints("conflict_id", "dyad_id", nullable=False),
        Column("org", "int", allowed=frozenset({1, 2, 3})),
        *_texts("side_a_name", "side_b_name", "side_a_2nd", "side_b_2nd"),
        *_gw_codes("gwno_a_2nd", "gwno_b_2nd", "gwno_location"),
        *_dates("start_date", "start_date2", "ep_end_date"),
        *_ints("start_prec", "start_prec2", "ep_end_prec"),
        Column("ep_end", "int", allowed=frozenset({0, 1})),
        Column("year", "int", nullable=False, min=1989, max=2100),
        *_ints(
            "best_fatality_estimate",
            "low_fatality_estimate",
            "high_fatality_estimate",
            nullable=False,
            min=DEATHS_MIN,
        ),
        *_texts("location", "region", "version"),
    ),
    key=("conflict_id", "year"),
    min_rows=100,
    vintage=max_year("year"),
)

NONSTATE_SOURCE = Source(
    id="ucdp_nonstate",
    title="UCDP Non-State Conflict Dataset",
    description=(
        "Armed conflicts between non-state groups (>= 25 deaths a year), one row per conflict-year since "
        "1989."
    ),
    producer="Uppsala Conflict Data Program (UCDP)",
    licence=UCDP_LICENCE,
    citation=(
        "Sundberg, Ralph, Kristine Eck & Joakim Kreutz (2012). Introducing the UCDP Non-State Conflict "
        "Dataset. "
        "Journal of Peace Research 49(2): 351-362; Davies, Shawn, Therése Pettersson & Magnus Öberg (2022). "
        "Organized violence 1989-2021 and drone warfare. Journal of Peace Research 59(4)."
    ),
    homepage="https://ucdp.uu.se/downloads/index.html#nonstate",
    inputs=(
        SourceInput(
            "conflicts",
            (
                FileRef(
                    "ucdp",
                    "ucdp-nonstate-251-csv.zip",
                    "25.1",
                    covers=2024,
                    url=f"{DOWNLOADS}/nsos/ucdp-nonstate-251-csv.zip",
                    member="*.csv",
                ),
                FileRef(
                    "ucdp",
                    "ucdp-nonstate-221.csv",
                    "22.1",
                    sha256="94bc4e6baabcc5549bb257d2fab26692b7fd042575db35055f3ad6cc5e914ac7",
                    url=f"{DOWNLOADS}/nsos/ucdp-nonstate-221-csv.zip",
                    member="*.csv",
                ),
            ),
        ),
    ),
    tables=(NONSTATE,),
    parse=lambda context: {"ucdp_nonstate": load_table(context.file("conflicts"), NONSTATE)},
)

GED_COLUMNS: tuple[Column, ...] = (
    Column("id", "int", nullable=False),
    Column("year", "int", nullable=False, min=1989, max=2100),
    Column("type_of_violence", "int", nullable=False, allowed=frozenset({1, 2, 3})),
    *_ints("conflict_new_id", "dyad_new_id", "side_a_new_id", "side_b_new_id", "number_of_sources"),
    *_texts("conflict_name", "dyad_name", "side_a", "side_b", "source_article", "where_coordinates"),
    *_texts("adm_1", "adm_2", "geom_wkt", "country", "region"),
    Column("where_prec", "int", min=1, max=7),
    Column("latitude", "float", nullable=False, min=-90, max=90),
    Column("longitude", "float", nullable=False, min=-180, max=180),
    Column("priogrid_gid", "int", min=1, max=259200),
    Column("country_id", "int", nullable=False, min=2, max=999, codes="ucdp"),
    Column("event_clarity", "int", allowed=frozenset({1, 2})),
    Column("date_prec", "int", min=1, max=5),
    Column("date_start", "date", nullable=False),
    Column("date_end", "date", nullable=False),
    *_ints(
        "deaths_a",
        "deaths_b",
        "deaths_civilians",
        "deaths_unknown",
        "low",
        "best",
        "high",
        nullable=False,
        min=DEATHS_MIN,
    ),
    Column("gwnoa", "str", optional=True, codes="ucdp"),
    Column("gwnob", "str", optional=True, codes="ucdp"),
)
GED = TableSchema("ucdp_ged", GED_COLUMNS, key=("id",), min_rows=10, vintage=max_date("date_end"))
GED_CANDIDATE = TableSchema(
    "ucdp_ged_candidate",
    GED_COLUMNS,
    key=("id",),
    min_rows=10,
    vintage=max_date("date_end"),
    accumulates=False,  # each monthly file holds its own month's events
)

GED_CITATION = (
    "Sundberg, Ralph & Erik Melander (2013). Introducing the UCDP Georeferenced Event Dataset. Journal of "
    "Peace Research 50(4): 523-532."
)
GED_251_CODEBOOK = "Högbladh, Stina (2025). UCDP GED Codebook version 25.1"

GED_SOURCE = Source(
    id="ucdp_ged",
    title="UCDP Georeferenced Event Dataset (GED)",
    description=(
        "Events of organised violence (state-based, non-state, one-sided) with date, place and deaths, "
        "since 1989."
    ),
    producer="Uppsala Conflict Data Program (UCDP)",
    licence=UCDP_LICENCE,
    citation=GED_CITATION,
    homepage="https://ucdp.uu.se/downloads/index.html#ged_global",
    inputs=(
        SourceInput(
            "events",
            (
                FileRef(
                    "ged",
                    "ged251-csv.zip",
                    "25.1",
                    covers=2024,
                    url=f"{DOWNLOADS}/ged/ged251-csv.zip",
                    member="*.csv",
                    cites=GED_251_CODEBOOK,
                ),
                FileRef("ged", "GEDEvent_v25_1.csv", "25.1", covers=2024, cites=GED_251_CODEBOOK),
                FileRef(
                    "ged",
                    "ucdp_ged_syria_652_1601_1911.parquet",
                    "Syria 652.1601.1911 (GED 19.1 variables)",
                    cites="Högbladh, Stina (2019). UCDP GED Codebook version 19.1",
                    sha256="eb76b76fc219ce610e3218f80467ca655b24e9c59151c34b35862594076d456c",
                    note="Syria subset only (2016-2019): the global GED is not in the mirror",
                ),
            ),
        ),
    ),
    tables=(GED,),
    parse=lambda context: {"ucdp_ged": load_table(context.file("events"), GED)},
    notes=(
        "Offline, only UCDP's Syria release (2016-2019) is available; online, the global GED is downloaded.",
    ),
)


def candidate_refs(releases: tuple[int, ...] = (26, 25), months: int = 12) -> tuple[FileRef, ...]:
    """Monthly Candidate GED files, newest first (``GEDEvent_v<YY>_0_<month>.csv``)."""
    return tuple(
        FileRef(
            "ged",
            f"GEDEvent_v{release}_0_{month}.csv",
            f"{release}.0.{month}",
            url=f"{DOWNLOADS}/candidateged/GEDEvent_v{release}_0_{month}.csv",
            covers=2000 + release,
        )
        for release in releases
        for month in range(months, 0, -1)
    )


CANDIDATE_SOURCE = Source(
    id="ucdp_ged_candidate",
    title="UCDP Candidate Events Dataset (monthly)",
    description=(
        "Preliminary GED-style events released monthly, covering the months after the last annual GED."
    ),
    producer="Uppsala Conflict Data Program (UCDP)",
    licence=UCDP_LICENCE,
    citation=(
        "Hegre, Håvard, Mihai Croicu, Kristine Eck & Stina Högbladh (2020). Introducing the UCDP Candidate "
        "Events Dataset. Research & Politics 7(3)."
    ),
    homepage="https://ucdp.uu.se/downloads/index.html#candidate",
    inputs=(SourceInput("events", candidate_refs()),),
    tables=(GED_CANDIDATE,),
    parse=lambda context: {"ucdp_ged_candidate": load_table(context.file("events"), GED_CANDIDATE)},
    required=False,
    notes=("Not in the offline mirror: the table is absent after an offline ingest.",),
)
