"""DemSpaces v14 beside our forecasts (issue 11 point 5): their published forecasts with the outcomes.

Pure pandas, no I/O. The outcome of a DemSpaces forecast made at ``from_year`` is our label of the
same target (an opening or closing of the space in ``from_year + 1`` or ``from_year + 2``, coded by
:mod:`gbvs.forecasting.labels` exactly as DemSpaces codes it), so theirs and ours are judged on the
same events.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

import numpy as np
import pandas as pd

from gbvs.forecasting.domain import DEMSPACES_NAMES, SPACE_DIRECTIONS, TARGETS
from gbvs.forecasting.labels import add_demspaces_events, label

DIRECTIONS: dict[str, str] = SPACE_DIRECTIONS
"""DemSpaces' direction of change and our target prefix (defined in :mod:`gbvs.forecasting.domain`)."""

PUBLISHED_MODEL = "demspaces_v14"
"""The model id of DemSpaces v14's published forecasts in the backtest's comparison."""


class TrainedOn(StrEnum):
    """What the models behind a row of past (backtest) forecasts were trained on."""

    known_at_origin = "outcomes_known_at_origin"
    """Only outcomes known in the year the forecast is made from: every model of our rolling-origin
    backtest (:func:`gbvs.forecasting.engine.training_set`)."""
    after_origin = "outcomes_after_origin"
    """Also outcomes that were not known in that year: DemSpaces v14's published forecasts for past
    years (vdeminstitute/demspaces, ``modelrunner/R/rf.R`` lines 118-128) come from a model trained on
    every year before the forecast year with openings and closings coded on the whole V-Dem series, so
    its last two training years carry outcomes of the forecast year and the year after. Their backtest
    skill is higher than the model could have shown at the time (measured in
    ``src/gbvs/forecasting/BACKTEST.md``, "what DemSpaces' protocol is worth")."""


TRAINED_ON_EXPLANATION = (
    "our backtest trains every model only on outcomes known in the year it forecasts from "
    f"({TrainedOn.known_at_origin.value}); DemSpaces v14's published forecasts for past years were made by "
    "models trained on every earlier year with outcomes coded on the whole V-Dem series "
    f"({TrainedOn.after_origin.value}: vdeminstitute/demspaces, modelrunner/R/rf.R lines 118-128), so their "
    'backtest skill is optimistic (BACKTEST.md, "what DemSpaces\' protocol is worth")'
)
"""Why the ``trained_on`` values differ, in one sentence for the report and the API's descriptions (the
pages say it in their own words, translated)."""


def trained_on(model: str) -> TrainedOn:
    """What the past forecasts of ``model`` (an id of the backtest's DemSpaces comparison) were trained
    on: DemSpaces' published ones on later outcomes, every model of our backtest on known ones."""
    return TrainedOn.after_origin if model == PUBLISHED_MODEL else TrainedOn.known_at_origin


def published_outcomes(
    published: pd.DataFrame, series: pd.DataFrame, cutpoints: Mapping[str, float]
) -> pd.DataFrame:
    """One row per published forecast and direction: space, direction, from_year, for_years, p, outcome.

    ``published`` holds DemSpaces rows of one country (``outcome`` = V-Dem index, ``from_year``,
    ``for_years``, ``p_up``, ``p_down``); ``series`` that country's years with the six indices
    (``gwcode``, ``year`` and the index columns). ``outcome`` is 1/0, or missing where the window is
    not yet observed.
    """
    columns = ["space", "index", "direction", "from_year", "for_years", "p", "outcome"]
    if published.empty:
        return pd.DataFrame(columns=columns)
    out = published_rows(published).merge(
        _outcomes(series, cutpoints), on=["index", "direction", "from_year"], how="left"
    )
    return out[columns].sort_values(["from_year", "space", "direction"]).reset_index(drop=True)


def published_rows(published: pd.DataFrame) -> pd.DataFrame:
    """DemSpaces rows (``outcome`` = V-Dem index, ``p_up``, ``p_down``, ...) as one row per forecast and
    direction: the input's columns plus ``index``, ``space``, ``direction`` (closing/opening) and ``p``."""
    rows = []
    for direction, prefix in DIRECTIONS.items():
        part = published.rename(columns={"outcome": "index"})
        part = part.assign(
            space=part["index"].map(DEMSPACES_NAMES), direction=prefix, p=part[f"p_{direction}"].astype(float)
        )
        rows.append(part)
    out = pd.concat(rows, ignore_index=True)
    out["from_year"] = out["from_year"].astype(int)
    return out


def _outcomes(series: pd.DataFrame, cutpoints: Mapping[str, float]) -> pd.DataFrame:
    present = [i for i in DEMSPACES_NAMES if i in series.columns and i in cutpoints]
    if series.empty or not present:
        return pd.DataFrame(columns=["index", "direction", "from_year", "outcome"], dtype=float)
    panel = series.assign(period=series["year"].astype(int)).sort_values("period").reset_index(drop=True)
    panel = add_demspaces_events(panel, {i: float(cutpoints[i]) for i in present}, "gwcode")
    frames = []
    for index in present:
        for prefix in DIRECTIONS.values():
            target = TARGETS[f"{prefix}_{DEMSPACES_NAMES[index]}"]
            values = label(panel, target, target.window, "gwcode")
            frames.append(
                pd.DataFrame(
                    {"index": index, "direction": prefix, "from_year": panel["period"], "outcome": values}
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out["outcome"] = out["outcome"].astype(float).replace({np.inf: np.nan})
    return out


def side_by_side(published: pd.DataFrame, ours: pd.DataFrame, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """DemSpaces' latest forecast per space and direction beside ours (``target``, ``origin``, ``p``).

    ``published`` holds rows as :func:`published_rows` gives them. Columns: ``by``, space, index,
    direction, from_year, for_years, p (theirs), gbvs_origin, gbvs_p and difference (ours minus theirs).
    A side without a forecast is missing. ``by`` names key columns both frames carry (``("gwcode",)``
    for many countries at once); DemSpaces' latest forecast year is then taken per key.
    """
    keys = [*by, "space", "direction"]
    wanted = [*by, "space", "index", "direction", "from_year", "for_years", "p"]
    if published.empty:
        theirs = pd.DataFrame(columns=wanted)
    else:
        newest = (
            published.groupby(list(by))["from_year"].transform("max") if by else published["from_year"].max()
        )
        theirs = published.loc[published["from_year"] == newest, wanted]
    mine = ours.rename(columns={"origin": "gbvs_origin", "p": "gbvs_p"})
    if not mine.empty:
        split = mine["target"].str.split("_", n=1)
        mine = mine.assign(direction=split.str[0], space=split.str[1])[[*keys, "gbvs_origin", "gbvs_p"]]
    else:
        mine = pd.DataFrame(columns=[*keys, "gbvs_origin", "gbvs_p"])
    merged = theirs.merge(mine, on=keys, how="outer")
    merged["difference"] = merged["gbvs_p"].astype(float) - merged["p"].astype(float)
    order = {name: i for i, name in enumerate(DEMSPACES_NAMES.values())}
    merged = merged.assign(_order=merged["space"].map(order)).sort_values([*by, "_order", "direction"])
    return merged.drop(columns="_order").reset_index(drop=True)
