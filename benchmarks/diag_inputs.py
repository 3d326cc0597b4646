"""What every inner-window diagnostic starts from: the country-year panel of a built store, with periods."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from gbvs.config import load_settings
from gbvs.forecasting import engine
from gbvs.forecasting.domain import parse_unit
from gbvs.forecasting.service import Inputs, load_inputs
from gbvs.store import open_store

SPEC = parse_unit("country-year")


def country_year(data_dir: Path, want_demspaces: bool) -> tuple[Inputs, pd.DataFrame]:
    """The inputs of the store in ``data_dir`` and their panel with ``period`` (``engine.with_period``)."""
    os.environ["GBVS_DATA_DIR"] = str(data_dir)
    with open_store(load_settings().resolved_store_path) as store:
        inputs = load_inputs(store, SPEC, want_demspaces=want_demspaces)
    return inputs, engine.with_period(inputs.panel, SPEC)
