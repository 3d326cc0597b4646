"""V-Dem v14 country-year, the wider file: sub-indicators that move before the indices cross cutpoints.

The mirror holds ``vdemlite`` (a slim copy of ``vdemdata::vdem`` v14, 1970-2023): 282 ``v2*``
indices and indicators and 11 ``e_*`` background variables, keyed by V-Dem's ``country_id`` and
``year`` with ``country_text_id`` (ISO3-like). GBVS keeps the variables in :data:`KEPT` (elections,
media, civil society, judiciary, legislature, repression, corruption, gender, parties,
mobilisation, regime; documented in the codebook, ``panels/variables.yaml``). ``gwcode`` comes from
:func:`gbvs.countries.crosswalks.vdem_gwcode` (the one country-code module): ISO3 spells for Germany,
Yemen, Vietnam, Serbia, Sudan/South Sudan, declared codes for the GDR, South Yemen and South Vietnam,
and no code for territories (Palestine/West Bank and Gaza, Somaliland, Zanzibar, Hong Kong), whose
rows are stored with an empty ``gwcode``.
"""

from __future__ import annotations

import pandas as pd

from gbvs.countries.crosswalks import vdem_gwcode
from gbvs.sources.base import Column, FileRef, ParseContext, Source, SourceInput, TableSchema, max_year
from gbvs.sources.readers import read_parquet
from gbvs.sources.schema import cast_frame

KEPT: tuple[str, ...] = (
    # regime indices
    "v2x_polyarchy", "v2x_libdem", "v2x_partipdem", "v2x_delibdem", "v2x_egaldem", "v2x_regime",
    "v2x_accountability", "v2x_veracc", "v2x_diagacc", "v2x_horacc", "v2x_ex_military", "v2x_neopat",
    # elections
    "v2xel_frefair", "v2elfrfair", "v2elintim", "v2elirreg", "v2elvotbuy", "v2elembaut", "v2elmulpar",
    "v2x_elecoff",
    # media and expression
    "v2x_freexp", "v2xme_altinf", "v2mecenefm", "v2meharjrn", "v2meslfcen", "v2mebias", "v2mecrit",
    "v2merange", "v2xca_academ",
    # civil society and parties
    "v2x_frassoc_thick", "v2csreprss", "v2cseeorgs", "v2csprtcpt", "v2cscnsult", "v2x_cspart",
    "v2psparban", "v2psoppaut", "v2psbars",
    # judiciary and legislature
    "v2x_jucon", "v2juhcind", "v2juncind", "v2jucomp", "v2juhccomp", "v2exrescon", "v2xlg_legcon",
    "v2lgotovst", "v2lginvstp", "v2lgoppart",
    # repression and rights
    "v2x_civlib", "v2x_clphy", "v2x_clpol", "v2x_clpriv", "v2clkill", "v2cltort",
    # corruption
    "v2x_corr", "v2x_execorr", "v2exbribe", "v2exembez", "v2jucorrdc",
    # gender
    "v2x_gender", "v2x_gencl", "v2x_genpp",
    # mobilisation and legitimation
    "v2cademmob", "v2caautmob", "v2exl_legitperf",
    # background
    "e_gdppc", "e_pechmor", "e_total_resources_income_pc",
    # conflict onset (v3.14): political violence, polarisation, mobilisation, electoral violence, election
    # years, group equality in civil liberties (benchmarks/diag_onset_vdem.py)
    "v2caviol", "v2cacamps", "v2cagenmob", "v2caconmob", "v2elpeace", "v2xel_elecparl", "v2xel_elecpres",
    "v2clpolcl", "v2clsocgrp",
)  # fmt: skip
ONSET_KEPT: tuple[str, ...] = KEPT[KEPT.index("v2caviol") :]
"""The variables kept for conflict onsets (v3.14), last in :data:`KEPT`; the wide panel puts them after
every other column, so the columns of v3.13 keep their places (LightGBM samples columns by position)."""
KEYS = ("country_name", "country_text_id", "country_id", "year")

VDEM_WIDE = TableSchema(
    "vdem_v14",
    (
        Column("gwcode", "int", min=2, max=999),
        Column("year", "int", nullable=False, min=1789, max=2100),
        Column("country_name", "str", nullable=False),
        Column("country_id", "int", nullable=False),
        Column("country_text_id", "str", nullable=False),
        *(Column(name, "float") for name in KEPT),
    ),
    key=("country_id", "year"),
    min_rows=1000,
    vintage=max_year("year"),
    keep_undeclared=False,
)


def gwcodes(text_ids: pd.Series, years: pd.Series) -> pd.Series:
    """Gleditsch-Ward code of each V-Dem row (empty for territories without one)."""
    codes = [vdem_gwcode(str(t), int(y)) for t, y in zip(text_ids, years, strict=True)]
    return pd.Series(codes, index=text_ids.index, dtype="Int64")


def _parse(context: ParseContext) -> dict[str, pd.DataFrame]:
    located = context.file("country_year")
    frame = read_parquet(located.path)
    frame = frame[[c for c in (*KEYS, *KEPT) if c in frame.columns]].copy()
    frame["gwcode"] = gwcodes(frame["country_text_id"], pd.to_numeric(frame["year"]))
    return {"vdem_v14": cast_frame(frame, VDEM_WIDE, located.label)}


SOURCE = Source(
    id="vdem_v14",
    title="V-Dem country-year v14 (indicators)",
    description=(
        "Varieties of Democracy v14 indices and indicators (elections, media, civil society, judiciary, "
        "repression, corruption, gender), 1970-2023."
    ),
    producer="V-Dem Institute, University of Gothenburg",
    licence="CC BY-SA 4.0 (V-Dem data)",
    citation=(
        "Coppedge, Michael, John Gerring, Carl Henrik Knutsen, Staffan I. Lindberg, Jan Teorell et al. "
        "(2024). V-Dem Country-Year Dataset v14. Varieties of Democracy (V-Dem) Project. "
        "https://doi.org/10.23696/mcwt-fr58; slim copy: eteitelbaum/vdemlite."
    ),
    homepage="https://v-dem.net/data/the-v-dem-dataset/",
    inputs=(
        SourceInput(
            "country_year",
            (
                FileRef(
                    "vdem",
                    "vdemlite_v14_1970_2023.parquet",
                    "14",
                    sha256="ee899e57741cf2543ccaea14327cc29b43cb60f088075fc73f27b2d8f901951d",
                    note=(
                        "eteitelbaum/vdemlite @ a992948, data/vdemlite.rda converted to Parquet, values "
                        "unchanged (SOURCES-wave3.md); mirror only"
                    ),
                ),
            ),
        ),
    ),
    tables=(VDEM_WIDE,),
    parse=_parse,
    required=False,
    notes=(
        "Key is (country_id, year); gwcode from gbvs.countries (empty for Palestine, Somaliland, Zanzibar, "
        "Hong Kong, which are not Gleditsch-Ward states).",
        f"Kept: {len(KEPT)} of the file's 293 variables (the codebook documents each).",
    ),
)
