"""Test-only helper: raw store tables loaded straight from the mirror files with DuckDB.

Stands in for ``gbvs ingest`` until the shared ``ingested_store`` fixture exists: table names as in
the store contract, columns = the files' original names in lower case. ``gw_states`` is not in the
mirror; here it is approximated by the union of the state-years of EPR, Polity5 (recoded) and V-Dem,
which the panel extends to the last ACD year by its carry-forward rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

CODES_FILE = "codes/country_converter_country_data.tsv"

FILES: dict[str, str] = {
    "ucdp_acd": "read_csv('{m}/ucdp/UcdpPrioConflict_v25_1_to2023.csv', all_varchar=true)",
    "ucdp_brd": "read_csv('{m}/ucdp/BattleDeaths_v24_1.csv', all_varchar=true)",
    "ucdp_nonstate": "read_csv('{m}/ucdp/ucdp-nonstate-221.csv', all_varchar=true)",
    "ucdp_ged": "read_parquet('{m}/ged/ucdp_ged_syria_652_1601_1911.parquet')",
    "vdem": "read_csv('{m}/vdem/demspaces_vdem_indices_1968_2022.csv')",
    "polity5": "read_csv('{m}/polity/polity5_p5v2018.csv')",
    "epr": "read_csv('{m}/epr/EPR-2021.csv')",
    "gapminder": "read_parquet('{m}/gapminder/systema_globalis_selected_wide.parquet')",
}

GW_STATES_SQL = """
CREATE TABLE gw_states AS
SELECT DISTINCT gwcode, year FROM (
  SELECT gwid::BIGINT AS gwcode, unnest(range("from"::BIGINT, "to"::BIGINT + 1)) AS year FROM epr
  UNION ALL SELECT gwcode::BIGINT, year::BIGINT FROM vdem
  UNION ALL SELECT CASE WHEN ccode = 255 THEN 260 WHEN ccode = 342 THEN 340 WHEN ccode = 347 THEN 345
                        WHEN ccode = 529 THEN 530 WHEN ccode = 679 THEN 678 WHEN ccode = 818 THEN 816
                        WHEN ccode = 769 THEN 770 WHEN ccode = 364 THEN 365 WHEN ccode = 626 THEN 625
                        WHEN ccode = 525 THEN 626 WHEN ccode = 341 THEN 347 ELSE ccode END, year
  FROM polity5 WHERE year >= 1946 AND year <= 2018
) WHERE year >= 1946
"""


def load_raw_tables(con: Any, mirror: Path) -> None:
    """Create the raw store tables (and an approximate ``gw_states``) in a DuckDB connection."""
    for name, source in FILES.items():
        relation = con.sql(f"SELECT * FROM {source.format(m=mirror)}")
        columns = ", ".join(f'"{c}" AS "{c.lower()}"' for c in relation.columns)
        con.execute(f"CREATE TABLE {name} AS SELECT {columns} FROM {source.format(m=mirror)}")
    codes = pd.read_csv(mirror / CODES_FILE, sep="\t", dtype=str).rename(columns=str.lower)
    con.register("codes_frame", codes)
    con.execute("CREATE TABLE country_codes AS SELECT * FROM codes_frame")
    con.unregister("codes_frame")
    con.execute(GW_STATES_SQL)


def build_raw_store(path: Path, mirror: Path) -> Path:
    """Write the raw tables into a DuckDB file at ``path`` and return it."""
    con = duckdb.connect(str(path))
    try:
        load_raw_tables(con, mirror)
    finally:
        con.close()
    return path
