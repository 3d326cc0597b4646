"""What every inner-window diagnostic starts from: the country-year panel of a built store, with periods."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import log_loss

from gbvs.config import load_settings
from gbvs.forecasting import engine
from gbvs.forecasting.domain import parse_unit
from gbvs.forecasting.models.memory import CHOICES, REFITS, SCREENS
from gbvs.forecasting.service import Inputs, load_inputs
from gbvs.store import open_store

SPEC = parse_unit("country-year")


def country_year(data_dir: Path, want_demspaces: bool) -> tuple[Inputs, pd.DataFrame]:
    """The inputs of the store in ``data_dir`` and their panel with ``period`` (``engine.with_period``)."""
    os.environ["GBVS_DATA_DIR"] = str(data_dir)
    with open_store(load_settings().resolved_store_path) as store:
        inputs = load_inputs(store, SPEC, want_demspaces=want_demspaces)
    return inputs, engine.with_period(inputs.panel, SPEC)


def diagnostic_parser(doc: str, origins: str = "2008,2014,2020") -> argparse.ArgumentParser:
    """The command line every diagnostic shares: ``--data-dir`` (a built store) and ``--origins``; its
    docstring (with the rule and the results) is the help."""
    found = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    found.add_argument("--data-dir", type=Path, required=True, help="a data folder with a built store")
    found.add_argument("--origins", default=origins, help=f"comma-separated origins (default {origins})")
    return found


def hold_out_log_loss(y: np.ndarray, p: np.ndarray) -> float:
    """Log loss of held-out events ``y`` under probabilities ``p`` (clipped away from 0 and 1)."""
    return float(log_loss(y, np.clip(p, 1e-6, 1 - 1e-6), labels=[0, 1]))


AVERAGE = "average"
"""The settings key of a variant that averages earlier variants' probabilities instead of fitting."""


def average_of(
    fitted: dict[str, tuple[np.ndarray, float]], names: tuple[str, ...]
) -> tuple[np.ndarray, float]:
    """The mean of the named earlier variants' probabilities (``fitted``: per variant, its probabilities
    and CPU time) and the sum of their CPU times."""
    return np.mean([fitted[name][0] for name in names], axis=0), sum(fitted[name][1] for name in names)


def clear_memories() -> None:
    """Forget the remembered screens, choices and refits, so each variant pays for its own."""
    for memory in (SCREENS, CHOICES, REFITS):
        memory.clear()
