"""Diagnostic (not a test, not a backtest): is the democratic-space gap in the data? Every V-Dem v14
variable of the mirror's file, not only the 77 GBVS keeps.

Issue 11 point 2 expected the wider V-Dem file to close the gap to DemSpaces, whose forests see about 205
predictors. GBVS keeps 77 of the file's 293 variables (v3.14). This diagnostic appends the other 216
(``v2*`` indices and indicators, the ``e_*`` background variables; each unlagged with its 1- and 3-year
changes, as the kept ones; four are space indices, which the pooled view also gives each row as its own
``vdem14_own``) to the v3.14 store's panel and fits the pooled democratic-space model of each
direction with and without them (``diag_spaces_held_out.compare``: origins 2005-2020 every three years,
the last three training years held out after a one-year embargo, 72 space scores).

**Rule, fixed before the first run (2026-12-05):** informational for this session (216 variables need
their codebook entries before a store can keep them): if the mean hold-out log loss over the space scores
is at least 1% lower with every variable, keeping them is the next step for point 2; otherwise the gap is
not in the V-Dem variables GBVS leaves out.

**Result (2026-12-05, the v3.14 store, 8 min beside a test run):** mean hold-out log loss over the 72 space
scores **0.23964 with the 77 kept, 0.24140 with every variable** (+0.73%), Brier 0.06757 / 0.06814, pooled
hold-out PR-AUC closing 0.4820 / 0.4591 and opening 0.4786 / 0.4810, ROC-AUC 0.8255 / 0.8203 and 0.8354 /
0.8377, CPU 87 / 131 s. **The gap is not in the variables GBVS leaves out:** with all 293 the closing
forecasts rank worse and the probabilities are worse on the whole. (The v3.14 variant's training rows
equal v3.14's: checked column by column at origin 2008, both directions.)

Usage::

    .venv/bin/python benchmarks/diag_spaces_all_vdem.py --data-dir DIR [--mirror ../shared/data]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
from diag_inputs import diagnostic_parser
from diag_onset_vdem import REPO, VDEM_FILE, onset_variables
from diag_spaces_held_out import ORIGINS, WITHOUT_COLUMNS, compare

from gbvs.forecasting.features import OWN_SPACE, VDEM_WIDE_PREFIX
from gbvs.sources.vdem_wide import KEPT, KEYS


def left_out(mirror: Path) -> tuple[str, ...]:
    """The file's variables GBVS does not keep, in the file's order."""
    names = pq.read_schema(mirror / VDEM_FILE).names
    return tuple(name for name in names if name not in KEPT and name not in KEYS)


def main() -> None:
    """Fit the pooled democratic-space models with and without the left-out variables."""
    parser = diagnostic_parser(__doc__, origins=ORIGINS)
    parser.add_argument("--mirror", type=Path, default=REPO.parent / "shared" / "data")
    mirror = parser.parse_args().mirror
    names = left_out(mirror)

    def widen(panel: pd.DataFrame, options: argparse.Namespace) -> pd.DataFrame:
        extra = onset_variables(options.mirror, names)
        return panel.merge(extra, on=["gwcode", "year"], how="left", validate="many_to_one").set_axis(
            panel.index
        )

    suffixes = ("", "_diff1", "_diff3")  # the column and its changes (features._drivers)
    # four left-out variables are space indices, which the pooled view renames to vdem14_own* per space
    columns = [f"{VDEM_WIDE_PREFIX}{name}{end}" for name in (*names, OWN_SPACE) for end in suffixes]
    without = {WITHOUT_COLUMNS: columns}
    print(f"{len(names)} variables left out of the store: {', '.join(names)}", flush=True)
    compare(__doc__, {"v3.14 (77 kept)": without, "every variable": {}}, parser=parser, widen=widen)


if __name__ == "__main__":
    main()
