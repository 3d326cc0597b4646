"""With DemSpaces' v14 outcomes (to 2023) in the store, origin 2021 is scorable (issue 11)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gbvs.forecasting import data
from gbvs.forecasting.domain import TARGETS, UNIT_SPECS, Unit
from gbvs.forecasting.labels import add_demspaces_events, label
from gbvs.store import open_store, reads

pytestmark = pytest.mark.integration
SPEC = UNIT_SPECS[Unit.country_year]


def test_closing_window_2022_2023_of_origin_2021_is_known_and_2022_is_not(ingested_store: Any) -> None:
    with open_store(ingested_store.path) as store:
        panel = data.load_panel(store, SPEC)
        cutpoints = reads.demspaces_cutpoints(store)
    assert "vdem14_v2x_polyarchy" in panel.columns and "state_age" in panel.columns  # the wide panel
    events = add_demspaces_events(panel, cutpoints, SPEC.key)
    y = label(events, TARGETS["closing_electoral"], 2, SPEC.key)
    known_2021 = y[events["year"] == 2021].notna().sum()
    assert known_2021 > 150  # about every V-Dem country
    assert np.isnan(y[events["year"] == 2022]).all()  # the window 2023-2024 is not observed
