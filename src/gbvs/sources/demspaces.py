"""Democratic Spaces Barometer v14: published forecasts, their test scores and the change cutpoints.

The early-warning module compares its own forecasts with these (p_up / p_same / p_down of a
significant opening or closing of six V-Dem "spaces", two years ahead).
"""

from __future__ import annotations

import pandas as pd

from gbvs.sources.base import Column, FileRef, ParseContext, Source, SourceInput, TableSchema, max_year
from gbvs.sources.readers import load_table

SPACES = frozenset(
    {"v2x_veracc_osp", "v2xcs_ccsi", "v2xcl_rol", "v2x_freexp_altinf", "v2x_horacc_osp", "v2x_pubcorr"}
)
PROBABILITY = {"min": 0.0, "max": 1.0}
REPO = "https://raw.githubusercontent.com/vdeminstitute/demspaces/main"

FORECASTS = TableSchema(
    "demspaces_forecasts",
    (
        Column("outcome", "str", nullable=False, allowed=SPACES),
        Column("from_year", "int", nullable=False, min=1968, max=2100),
        Column("for_years", "str", nullable=False),
        Column("gwcode", "int", nullable=False, min=2, max=999, codes="gw"),
        *(Column(name, "float", nullable=False, min=0, max=1) for name in ("p_up", "p_same", "p_down")),
    ),
    key=("outcome", "from_year", "gwcode"),
    from_input="forecasts",
    min_rows=100,
    vintage=max_year("from_year"),
)
CUTPOINTS = TableSchema(
    "demspaces_cutpoints",
    (
        Column("indicator", "str", nullable=False, allowed=SPACES),
        *(Column(name, "float", nullable=False, min=0, max=1) for name in ("all", "up", "down")),
    ),
    key=("indicator",),
    from_input="cutpoints",
    min_rows=6,
)
SCORES = TableSchema(
    "demspaces_scores",
    (
        Column("measure", "str", nullable=False),
        Column("direction", "str", nullable=False),
        Column("value", "float"),
    ),
    key=("measure", "direction"),
    from_input="scores",
)


def _parse(context: ParseContext) -> dict[str, pd.DataFrame]:
    return {
        "demspaces_forecasts": load_table(context.file("forecasts"), FORECASTS),
        "demspaces_cutpoints": load_table(context.file("cutpoints"), CUTPOINTS),
        "demspaces_scores": load_table(context.file("scores"), SCORES),
    }


def _ref(name: str, sha256: str, path: str) -> FileRef:
    return FileRef("forecasts", name, "v14", sha256=sha256, url=f"{REPO}/{path}", download_sha256=sha256)


SOURCE = Source(
    id="demspaces",
    title="Democratic Spaces Barometer forecasts v14",
    description=(
        "Published 2-year-ahead probabilities of opening/closing of six democratic spaces, with cutpoints "
        "and test scores."
    ),
    producer="V-Dem Institute / Beger, Morgan & Maxwell",
    licence="GPL-3.0 (repository); underlying V-Dem data CC BY-SA 4.0",
    citation=(
        "Beger, Andreas, Richard K. Morgan & Laura Maxwell (2020). The Democratic Spaces Barometer: global "
        "forecasts of autocratization and democratization. V-Dem Institute."
    ),
    homepage="https://github.com/vdeminstitute/demspaces",
    inputs=(
        SourceInput(
            "forecasts",
            (
                _ref(
                    "demspaces_fcasts-rf-v14.csv",
                    "6b88cf58e60fd08f20e3649421ebcaa3122188593896bac635f3dd28772a3f17",
                    "modelrunner/output/fcasts-rf-v14.csv",
                ),
            ),
        ),
        SourceInput(
            "cutpoints",
            (
                _ref(
                    "demspaces_cutpoints.csv",
                    "057a5515b075809507d269ca54db30eba55501b985ced881dba6ba33353086f9",
                    "modelrunner/input/cutpoints.csv",
                ),
            ),
        ),
        SourceInput(
            "scores",
            (
                _ref(
                    "demspaces_fcasts-rf-v14-score-summary.csv",
                    "a48550c06735e71d09f1c80e209e94e91507d7ab276ee72c3493d99b4aa36d45",
                    "modelrunner/output/fcasts-rf-v14-score-summary.csv",
                ),
            ),
        ),
    ),
    tables=(FORECASTS, CUTPOINTS, SCORES),
    parse=_parse,
)
