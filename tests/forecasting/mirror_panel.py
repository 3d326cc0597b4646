"""Test-only helper: a country-year panel built straight from the mirror (ACD v25.1 + V-Dem subset).

Production code reads ``panel_country_year`` from the store (``gbvs ingest``); this helper exists so
the forecasting engine can be developed and checked on real data before or without the store. It
follows the column contract of the preamble for the columns it can fill.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

VDEM_FILE = "vdem/demspaces_vdem_indices_1968_2022.csv"
ACD_FILE = "ucdp/UcdpPrioConflict_v25_1_to2023.csv"
BRD_FILE = "ucdp/BattleDeaths_v24_1.csv"
LAST_ACD_YEAR = 2023


def _located(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    rows = frame.assign(gwcode=frame[column].astype(str).str.split(",")).explode("gwcode")
    rows["gwcode"] = rows["gwcode"].str.strip().astype(int)
    return rows


def _conflict_years(mirror: Path) -> pd.DataFrame:
    acd = _located(pd.read_csv(mirror / ACD_FILE), "gwno_loc")
    grouped = acd.groupby(["gwcode", "year"])
    return pd.DataFrame(
        {
            "conflict": 1,
            "war": grouped["intensity_level"].max().eq(2).astype(int),
            "n_conflicts": grouped["conflict_id"].nunique(),
        }
    ).reset_index()


def _battle_deaths(mirror: Path) -> pd.DataFrame:
    brd = _located(pd.read_csv(mirror / BRD_FILE), "gwno_loc")
    sums = brd.groupby(["gwcode", "year"])[["bd_best", "bd_low", "bd_high"]].sum()
    return sums.rename(columns=lambda c: c.replace("bd_", "brd_")).reset_index()


def _universe(vdem: pd.DataFrame) -> pd.DataFrame:
    last = vdem[vdem["year"] == vdem["year"].max()][["gwcode"]]
    extra = last.assign(year=LAST_ACD_YEAR)
    return pd.concat([vdem, extra], ignore_index=True)


def mirror_country_year_panel(mirror: Path) -> pd.DataFrame:
    """Country-year rows of the V-Dem universe (plus 2023) with conflict columns and the six indices."""
    vdem = pd.read_csv(mirror / VDEM_FILE).drop(columns=["country_name", "country_id", "country_text_id"])
    panel = _universe(vdem).merge(_conflict_years(mirror), on=["gwcode", "year"], how="left")
    for column in ("conflict", "war", "n_conflicts"):
        panel[column] = panel[column].fillna(0).astype(int)
    panel = panel.merge(_battle_deaths(mirror), on=["gwcode", "year"], how="left")
    for column in ("brd_best", "brd_low", "brd_high"):
        panel[column] = np.where(panel["year"] >= 1989, panel[column].fillna(0), np.nan)
    panel = panel.sort_values(["gwcode", "year"]).reset_index(drop=True)
    panel["onset"] = panel["conflict"].eq(1) & panel.groupby("gwcode")["conflict"].shift(1).fillna(0).eq(0)
    panel["onset"] = panel["onset"].astype(int)
    panel["nonstate_conflict"] = np.nan
    panel["years_since_conflict"] = np.nan
    return panel
