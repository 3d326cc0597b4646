"""Diagnostic (not a test, not a backtest): do the V-Dem v14 variables the conflict literature uses for
onsets, which GBVS does not keep, make the conflict forecasts better?

The 68 V-Dem variables GBVS keeps (``gbvs.sources.vdem_wide.KEPT``) were chosen for the democratic spaces
(issue 11, point 2). The mirror's V-Dem file has others that studies of civil-war onset use and that move
before fighting starts: political violence (``v2caviol``), political polarisation (``v2cacamps``), mass
mobilisation and where it happens (``v2cagenmob``, ``v2caconmob``), electoral violence (``v2elpeace``),
whether the year has a parliamentary or presidential election (``v2xel_elecparl``, ``v2xel_elecpres``),
and how equally political and social groups enjoy civil liberties (``v2clpolcl``, ``v2clsocgrp``).
Variants:

* ``current`` (v3.13): the store's panel as the backtest reads it;
* ``with onset variables``: the same panel with the nine variables appended as ``vdem14_<name>``, read
  from the mirror's V-Dem file and mapped to Gleditsch-Ward codes as ``gbvs ingest`` maps the kept ones
  (so, like them, unlagged and with their 1- and 3-year changes).

Held out as the other conflict diagnostics: per origin, target (incidence, war) and horizon (1-3) the
training rows' last three years are held out and each variant fitted on the years before them at seeds
0-2 (``engine.main_classifier``, the published mean of two boosters; the mean of the seeds'
probabilities, as published); origins 2008, 2014 and 2020: 18 fits. No test year is scored.

**Adoption rule, fixed before the first run (2026-12-05):** ``with onset variables`` is adopted if, over
the 9 incidence fits, the mean hold-out log loss of the rows at peace is at least 1% lower, the mean
Brier score of all incidence rows is not higher, and the mean Brier score of the 9 war fits is not
higher. Otherwise GBVS keeps the 68 variables. (If adopted, the democratic-space models would see the
variables too, so they get their own check before a version is made.)

**Result (2026-12-05, the v3.13 store, 1 min 30 s):** means over the fits, current / with onset
variables: incidence log loss at peace **0.123507 / 0.121905 (-1.30%)**, AP at peace 0.4058 / 0.4099,
incidence Brier 0.047557 / 0.046516, war Brier 0.020875 / 0.020068. **The rule is met.** Better at h2 and
h3 at every origin; at h1 the log loss at peace is higher at 2008 and 2020 and lower at 2014.

**The democratic spaces, rule fixed before their run (2026-12-05):** ``--spaces`` fits the pooled
democratic-space model of each direction (``diag_spaces_held_out.compare``: origins 2005-2020 every
three years, the last three training years held out after a one-year embargo, 72 space scores) with
and without the nine variables. If the mean hold-out log loss over the space scores with them is not
higher, every model sees them; otherwise the democratic-space models leave them out.

**Result (2026-12-05, 2 min 55 s):** mean hold-out log loss over the 72 space scores 0.24218 without,
**0.23964 with** the variables (-1.05%), Brier 0.06864 / 0.06757, pooled hold-out PR-AUC closing 0.4689 /
0.4820 and opening 0.4675 / 0.4786, ROC-AUC 0.8254 / 0.8255 and 0.8339 / 0.8354. **Every model sees
them** (v3.14: ``gbvs.sources.vdem_wide.ONSET_KEPT``, placed after every v3.13 column of the wide panel as
this diagnostic appends them).

Usage::

    .venv/bin/python benchmarks/diag_onset_vdem.py --data-dir DIR [--mirror ../shared/data] [--origins ...]
    .venv/bin/python benchmarks/diag_onset_vdem.py --spaces --data-dir DIR [--mirror ../shared/data]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from diag_conflicts_held_out import HELD_OUT, SEEDS, seed_mean
from diag_inputs import SPEC, country_year, diagnostic_parser, hold_out_log_loss
from diag_spaces_held_out import ORIGINS, WITHOUT, compare
from sklearn.metrics import average_precision_score, brier_score_loss

from gbvs.forecasting import engine
from gbvs.forecasting.domain import parse_target
from gbvs.forecasting.features import VDEM_WIDE_PREFIX
from gbvs.forecasting.models.base import inner_split
from gbvs.sources.vdem_wide import gwcodes

ONSET_VARIABLES = (
    "v2caviol", "v2cacamps", "v2cagenmob", "v2caconmob", "v2elpeace",
    "v2xel_elecparl", "v2xel_elecpres", "v2clpolcl", "v2clsocgrp",
)  # fmt: skip
VDEM_FILE = Path("vdem") / "vdemlite_v14_1970_2023.parquet"
VARIANTS = ("current", "with onset variables")
REPO = Path(__file__).resolve().parents[1]


def onset_variables(mirror: Path, names: tuple[str, ...] = ONSET_VARIABLES) -> pd.DataFrame:
    """V-Dem v14 ``names`` (default the nine) per Gleditsch-Ward code and year (``vdem14_<name>``), as
    ingest maps V-Dem."""
    frame = pd.read_parquet(mirror / VDEM_FILE, columns=["country_text_id", "year", *names])
    frame["gwcode"] = gwcodes(frame["country_text_id"], frame["year"])
    frame = frame.dropna(subset=["gwcode"]).astype({"gwcode": int, "year": int})
    named = {name: f"{VDEM_WIDE_PREFIX}{name}" for name in names}
    return frame.groupby(["gwcode", "year"])[list(names)].mean().rename(columns=named).reset_index()


def panels(data_dir: Path, mirror: Path) -> tuple[Any, dict[str, pd.DataFrame]]:
    """The store's inputs and each variant's panel (the new columns appended after the current ones)."""
    inputs, panel = country_year(data_dir, want_demspaces=False)
    extra = onset_variables(mirror)
    widened = panel.merge(extra, on=["gwcode", "year"], how="left", validate="many_to_one")
    widened.index = panel.index
    return inputs, {"current": panel, "with onset variables": widened}


def fits(inputs: Any, panel: pd.DataFrame, origins: list[int]) -> Iterator[tuple[str, Any, np.ndarray]]:
    """Per origin, target and horizon: a label, the training rows and the mask of rows at peace."""
    for origin in origins:
        frame = engine.origin_frame(panel, SPEC, origin, None, inputs.neighbours)
        for name in ("incidence", "war"):
            target = parse_target(name)
            for h in target.horizons(SPEC):
                X, y, periods = engine.training_set(frame, target, h, SPEC.key)
                at_peace = frame.panel.loc[X.index, "conflict"].to_numpy() == 0
                yield f"{origin} {name} h{h}", (target, X, y.astype(int), periods), at_peace


def held_out_mean(
    target: Any, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """The mean over :data:`SEEDS` of the published classifier's hold-out probabilities, the hold-out mask
    and the CPU seconds."""
    held = inner_split(len(y), periods, HELD_OUT)

    def model_at(seed: int) -> Any:
        return engine.main_classifier(target, SPEC, seed, False, engine.CONFLICT_SCREEN)

    p, seconds = seed_mean(model_at, SEEDS, (X, y, periods), ~held, held)
    return p, held, seconds


def spaces() -> None:
    """The democratic-space check: the pooled models with and without the nine variables."""
    parser = diagnostic_parser(__doc__, origins=ORIGINS)
    parser.add_argument("--mirror", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--spaces", action="store_true")

    def widen(panel: pd.DataFrame, options: argparse.Namespace) -> pd.DataFrame:
        extra = onset_variables(options.mirror)
        return panel.merge(extra, on=["gwcode", "year"], how="left", validate="many_to_one").set_axis(
            panel.index
        )

    without = {WITHOUT: [f"{VDEM_WIDE_PREFIX}{name}" for name in ONSET_VARIABLES]}
    compare(__doc__, {"current": without, "with onset variables": {}}, parser=parser, widen=widen)


def main() -> None:
    """Print each fit's scores per variant, then the means and the rule's verdict."""
    if "--spaces" in sys.argv:
        spaces()
        return
    parser = diagnostic_parser(__doc__)
    parser.add_argument("--mirror", type=Path, default=REPO.parent / "shared" / "data")
    options = parser.parse_args()
    origins = [int(o) for o in options.origins.split(",")]
    inputs, by_variant = panels(options.data_dir, options.mirror)
    scores: dict[str, dict[str, list[float]]] = {v: {} for v in VARIANTS}
    cpu = dict.fromkeys(VARIANTS, 0.0)
    for variant in VARIANTS:
        for label, (target, X, y, periods), at_peace in fits(inputs, by_variant[variant], origins):
            p, held, seconds = held_out_mean(target, X, y, periods)
            cpu[variant] += seconds
            peace = at_peace[held]
            found = {"Brier": float(brier_score_loss(y[held], p))}
            if target.name == "incidence":
                found["peace loss"] = hold_out_log_loss(y[held][peace], p[peace])
                found["peace AP"] = float(average_precision_score(y[held][peace], p[peace]))
            for name, value in found.items():
                scores[variant].setdefault(f"{target.name} {name}", []).append(value)
            shown = "  ".join(f"{k} {v:.5f}" for k, v in found.items())
            print(
                f"{variant:<21} {label} ({X.shape[1]} features, {int(y[held][peace].sum())} onsets)  {shown}",
                flush=True,
            )
    print(f"\nmeans over the fits, origins {options.origins}:")
    for variant in VARIANTS:
        means = "  ".join(f"{name} {np.mean(values):.6f}" for name, values in scores[variant].items())
        print(f"  {variant:<21} {means}  CPU {cpu[variant]:6.1f} s")
    current, wider = (scores[v] for v in VARIANTS)
    mean = lambda found, name: float(np.mean(found[name]))  # noqa: E731
    adopted = (
        mean(wider, "incidence peace loss") <= 0.99 * mean(current, "incidence peace loss")
        and mean(wider, "incidence Brier") <= mean(current, "incidence Brier")
        and mean(wider, "war Brier") <= mean(current, "war Brier")
    )
    change = mean(wider, "incidence peace loss") / mean(current, "incidence peace loss") - 1
    verdict = "met: adopt" if adopted else "not met: keep the 68 variables"
    print(f"\nlog loss at peace {change:+.2%}; rule {verdict}")


if __name__ == "__main__":
    main()
