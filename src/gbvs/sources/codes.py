"""Country codes (country_converter's concordance) and Gleditsch-Ward state-system membership by year.

``country_codes`` is the table shipped inside the ``country_converter`` package (ISO2/ISO3/names,
UN and FAO codes, and ``GWcode``); the mirror holds the same file for version 1.3.2.

``gw_states`` answers "who was an independent state in year Y" (Gleditsch & Ward 1999). The
published list (ksgmodelling.com) is not available offline, so it is *derived* from the stored
sources' own country-year coverage, which all follow the G&W state list: a (gwcode, year) is in
the system when EPR lists the state in that year (EPR covers the G&W states above its
population threshold, 1946 on), or V-Dem gives it that gwcode and year, or ACD names its government as a
primary party (``gwno_a``/``gwno_b``) in that year. ``evidence`` says which of the three saw it;
``iso3`` is the country's code in that year from :mod:`gbvs.countries`.
Years after the last year covered by EPR or V-Dem (which list all states) and up to the last ACD
year carry the states of that last year forward (evidence ``carried_forward``).
Microstates outside all three sources are missing; that is the known limit of this derivation.
"""

from __future__ import annotations

import pandas as pd

from gbvs.countries import all_countries, iso3_of
from gbvs.sources.base import Column, FileRef, ParseContext, Source, SourceInput, TableSchema, max_year
from gbvs.sources.readers import load_table

COUNTRY_CODES = TableSchema(
    "country_codes",
    (
        Column("name_short", "str", nullable=False),
        Column("name_official", "str"),
        Column("iso2", "str"),
        Column("iso3", "str", nullable=False),
        Column("isonumeric", "int", min=0, max=999),
        Column("uncode", "int", min=0, max=999),
        Column("continent", "str"),
        Column("unregion", "str"),
        Column("gwcode", "int", min=2, max=999),
    ),
    key=("iso3",),
    min_rows=200,
)

SOURCE = Source(
    id="country_codes",
    title="Country concordance (country_converter)",
    description=(
        "Names, ISO2/ISO3/numeric, UN region and Gleditsch-Ward codes for 250+ countries and territories."
    ),
    producer="Konstantin Stadler, country_converter (coco)",
    licence="GPL-3.0 (country_converter package)",
    citation=(
        "Stadler, Konstantin (2017). The country converter coco - a Python package for converting country "
        "names between different classification schemes. Journal of Open Source Software 2(16): 332."
    ),
    homepage="https://github.com/IndEcol/country_converter",
    inputs=(
        SourceInput(
            "concordance",
            (
                FileRef(
                    "codes",
                    "country_converter_country_data.tsv",
                    "country_converter 1.3.2",
                    sha256="73c5f9c3b94110d74e63ed79f2da61d589280a5301d26aa3680a78ecb1d478b9",
                ),
                FileRef(
                    "codes",
                    "country_data.tsv",
                    "country_converter (installed package)",
                    package=("country_converter", "country_data.tsv"),
                ),
            ),
        ),
    ),
    tables=(COUNTRY_CODES,),
    parse=lambda context: {
        "country_codes": load_table(
            context.file("concordance"), COUNTRY_CODES, delimiter="\t", pad_short_rows=True
        )
    },
)

GW_STATES = TableSchema(
    "gw_states",
    (
        Column("gwcode", "int", nullable=False, min=2, max=999),
        Column("year", "int", nullable=False, min=1946, max=2100),
        Column("country_name", "str"),
        Column("iso3", "str"),
        Column("evidence", "str", nullable=False),
    ),
    key=("gwcode", "year"),
    min_rows=1000,
    vintage=max_year("year"),
)


def epr_state_years(epr: pd.DataFrame) -> pd.DataFrame:
    """(gwcode, year, name) for every year of every EPR group-period."""
    spans = epr[["gwid", "statename", "from", "to"]].drop_duplicates()
    years = [
        list(range(int(start), int(end) + 1)) for start, end in zip(spans["from"], spans["to"], strict=True)
    ]
    out = spans.assign(year=pd.Series(years, index=spans.index, dtype=object)).explode("year")
    return pd.DataFrame(
        {"gwcode": out["gwid"].astype(int), "year": out["year"].astype(int), "name": out["statename"]}
    )


def acd_state_years(acd: pd.DataFrame) -> pd.DataFrame:
    """(gwcode, year) of governments that are primary parties in ACD conflicts."""
    parts = []
    for column in ("gwno_a", "gwno_b"):
        codes = acd[["year", column]].dropna()
        codes = codes.assign(gwcode=codes[column].astype(str).str.split(","))
        parts.append(codes.explode("gwcode")[["gwcode", "year"]])
    out = pd.concat(parts)
    out["gwcode"] = pd.to_numeric(out["gwcode"].str.strip(), errors="coerce")
    return out.dropna().astype(int).assign(name=None)


def carry_forward(stacked: pd.DataFrame, full_coverage: tuple[str, ...]) -> pd.DataFrame:
    """Repeat the states of the last fully covered year for each later year any evidence covers."""
    full = stacked[stacked["evidence"].isin(full_coverage)]
    if full.empty:
        return stacked
    last_full, last_any = int(full["year"].max()), int(stacked["year"].max())
    base = full[full["year"] == last_full].drop_duplicates("gwcode")
    extra = [
        base.assign(year=year, evidence="carried_forward") for year in range(last_full + 1, last_any + 1)
    ]
    return pd.concat([stacked, *extra], ignore_index=True)


def _english_names() -> dict[int, str]:
    return {gw: c.name_short for c in all_countries().values() for gw in [c.gwcode] if gw is not None}


def derive_gw_states(epr: pd.DataFrame, vdem: pd.DataFrame, acd: pd.DataFrame) -> pd.DataFrame:
    """Gleditsch-Ward membership by year from the sources' coverage (see module docstring)."""
    vdem_years = vdem.dropna(subset=["gwcode"])
    evidence = {
        "epr": epr_state_years(epr),
        "vdem": pd.DataFrame(
            {
                "gwcode": vdem_years["gwcode"].astype(int),
                "year": vdem_years["year"].astype(int),
                "name": vdem_years["country_name"],
            }
        ),
        "ucdp_acd": acd_state_years(acd),
    }
    stacked = pd.concat([frame.assign(evidence=label) for label, frame in evidence.items()])
    stacked = carry_forward(stacked[stacked["year"] >= 1946], full_coverage=("epr", "vdem"))
    grouped = stacked.groupby(["gwcode", "year"], as_index=False).agg(
        country_name=("name", "first"), evidence=("evidence", lambda s: ",".join(sorted(set(s))))
    )
    grouped["iso3"] = [
        iso3_of(int(g), int(y)) for g, y in zip(grouped["gwcode"], grouped["year"], strict=True)
    ]
    grouped["country_name"] = grouped["country_name"].fillna(grouped["gwcode"].map(_english_names()))
    return (
        grouped[["gwcode", "year", "country_name", "iso3", "evidence"]]
        .sort_values(["gwcode", "year"])
        .reset_index(drop=True)
    )


def _parse_gw(context: ParseContext) -> dict[str, pd.DataFrame]:
    frame = derive_gw_states(
        context.stored_table("epr"),
        context.stored_table("vdem"),
        context.stored_table("ucdp_acd"),
    )
    return {"gw_states": frame}


GW_SOURCE = Source(
    id="gw_states",
    title="Gleditsch-Ward state system membership by year (derived)",
    description=(
        "Which states were independent in each year since 1946, derived from EPR, V-Dem and ACD coverage."
    ),
    producer="GBVS, derived from EPR, V-Dem and UCDP/PRIO ACD (state list of Gleditsch & Ward)",
    licence="as the underlying sources (EPR, V-Dem CC BY-SA 4.0, UCDP CC BY 4.0)",
    citation=(
        "Gleditsch, Kristian S. & Michael D. Ward (1999). A revised list of independent states since the "
        "congress of Vienna. International Interactions 25(4): 393-413."
    ),
    homepage="http://ksgleditsch.com/data-4.html",
    inputs=(),
    tables=(GW_STATES,),
    parse=_parse_gw,
    needs=("epr", "vdem", "ucdp_acd"),
    notes=("Derived, not the published list: microstates absent from EPR, V-Dem and ACD are missing.",),
)
