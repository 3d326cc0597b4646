"""V-Dem country-year indices: the DemSpaces subset in the mirror, or V-Dem's full country-year file.

The mirror holds the six indices the Democratic Spaces Barometer uses, keyed by ``gwcode`` and
``year``: DemSpaces v14's outcome file (V-Dem v14, to 2023) when present, else the v13-era subset
(to 2022). Online, V-Dem's full "Country-Year: V-Dem Full+Others" CSV is downloaded; only the
declared index columns are kept, and ``gwcode`` is derived from V-Dem's ``COWcode`` (the two code
lists differ only for Germany after 1990, Serbia after 2006 and unified Yemen; see
:func:`gbvs.countries.crosswalks.cow_to_gw`).
"""

from __future__ import annotations

import pandas as pd

from gbvs.countries.crosswalks import cow_to_gw
from gbvs.sources.base import Column, FileRef, ParseContext, Source, SourceInput, TableSchema, max_year
from gbvs.sources.readers import load_table, read_columns
from gbvs.sources.schema import cast_frame

SUBSET_INDICES = (
    "v2x_veracc_osp",
    "v2xcs_ccsi",
    "v2xcl_rol",
    "v2x_freexp_altinf",
    "v2x_horacc_osp",
    "v2x_pubcorr",
)
EXTRA_INDICES = (
    "v2x_polyarchy",
    "v2x_libdem",
    "v2x_partipdem",
    "v2x_egaldem",
    "v2x_civlib",
    "v2x_clphy",
    "v2x_clpol",
    "v2x_clpriv",
    "v2x_gender",
    "v2x_genpp",
    "v2x_rule",
    "v2x_corr",
    "v2x_execorr",
    "v2x_jucon",
)
REGIME = Column("v2x_regime", "int", optional=True, allowed=frozenset({0, 1, 2, 3}))

VDEM = TableSchema(
    "vdem",
    (
        Column("gwcode", "int", min=2, max=999),
        Column("year", "int", nullable=False, min=1789, max=2100),
        Column("country_name", "str", nullable=False),
        Column("country_id", "int", nullable=False),
        Column("country_text_id", "str", nullable=False),
        *(Column(name, "float", min=0, max=1) for name in SUBSET_INDICES),
        *(Column(name, "float", min=0, max=1, optional=True) for name in EXTRA_INDICES),
        REGIME,
    ),
    key=("country_id", "year"),
    min_rows=100,
    vintage=max_year("year"),
    keep_undeclared=False,
)


def gw_from_cow(cow: pd.Series, year: pd.Series) -> pd.Series:
    """Gleditsch-Ward codes from COW codes, applying the differences of gbvs.countries.crosswalks."""
    gw = cow.astype("Int64").copy()
    for (cow_code, first, last), gw_code in cow_to_gw().items():
        gw = gw.mask((cow == cow_code) & year.between(first, last), gw_code)
    return gw


def _parse_vdem(context: ParseContext) -> dict[str, pd.DataFrame]:
    located = context.file("country_year")
    if located.ref.name.startswith("demspaces"):
        return {"vdem": load_table(located, VDEM)}
    wanted = [
        "country_name",
        "country_text_id",
        "country_id",
        "year",
        "COWcode",
        *SUBSET_INDICES,
        *EXTRA_INDICES,
        "v2x_regime",
    ]
    frame = read_columns(located, wanted, required=wanted[:5] + list(SUBSET_INDICES))
    frame["gwcode"] = gw_from_cow(pd.to_numeric(frame["COWcode"]), pd.to_numeric(frame["year"]))
    frame["v2x_pubcorr"] = 1 - pd.to_numeric(frame["v2x_pubcorr"])  # the subset's convention, see notes
    return {"vdem": cast_frame(frame.drop(columns=["COWcode"]), VDEM, located.label)}


DEMSPACES = "the Democratic Spaces Barometer (Beger, Morgan & Maxwell 2020)"

SOURCE = Source(
    id="vdem",
    title="V-Dem country-year indices",
    description=(
        "Varieties of Democracy indices (accountability, civil society, rule of law, free expression, "
        "corruption)."
    ),
    producer="V-Dem Institute, University of Gothenburg",
    licence="CC BY-SA 4.0 (V-Dem data)",
    citation=(
        "Coppedge, Michael, John Gerring, Carl Henrik Knutsen, Staffan I. Lindberg, Jan Teorell et al. "
        "V-Dem Country-Year Dataset. Varieties of Democracy (V-Dem) Project"
    ),
    homepage="https://v-dem.net/data/the-v-dem-dataset/",
    inputs=(
        SourceInput(
            "country_year",
            (
                FileRef(
                    "vdem",
                    "V-Dem-CY-Full+Others-v15.csv",
                    "15",
                    covers=2024,
                    url="https://v-dem.net/media/datasets/V-Dem-CY-FullOthers-v15_csv.zip",
                    member="V-Dem-CY-Full+Others-v15.csv",
                    cites="version v15 (2025), https://doi.org/10.23696/vdemds25",
                ),
                FileRef(  # issue 11: DemSpaces' own outcome file from V-Dem v14, one year longer (to 2023)
                    "vdem",
                    "demspaces_dv_data_1968_2023.csv",
                    "DemSpaces outcome indices from V-Dem v14 (1968-2023)",
                    sha256="d6c75baffce5486b5de414255bc56b1c97ab86d20175338dfad4b8fd28116374",
                    note=(
                        "six indices only: vdeminstitute/demspaces @ 1012a66, "
                        "create-data/output/dv_data_1968_on.csv"
                    ),
                    cites=(
                        "version v14 (2024), https://doi.org/10.23696/mcwt-fr58; outcome indices as prepared "
                        f"by {DEMSPACES}"
                    ),
                ),
                FileRef(
                    "vdem",
                    "demspaces_vdem_indices_1968_2022.csv",
                    "DemSpaces subset of V-Dem v13 (1968-2022)",
                    sha256="b56cb209a24bbcf0a1e264c67d3296f19b82c59d29978694fe1c8013986f5ed3",
                    note="six indices only, as prepared by the Democratic Spaces Barometer",
                    cites=(
                        "version v13 (2023), https://doi.org/10.23696/vdemds23; "
                        f"subset as prepared by {DEMSPACES}"
                    ),
                ),
            ),
        ),
    ),
    tables=(VDEM,),
    parse=_parse_vdem,
    notes=(
        "Key is (country_id, year); gwcode is given by the subset, derived from COWcode for the full file.",
        "v2x_pubcorr is stored as in the DemSpaces subset, reversed (1 - V-Dem's index: higher = less "
        "corruption; Denmark 2022 = 0.999); the full V-Dem file is reversed on parse to match.",
    ),
)
