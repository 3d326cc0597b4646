"""One democratic-space model per direction (v3.8): the rows of the six spaces stacked, each with its own
space's features under generic names.

Each closing (opening) target used to have its own classifier, trained on one space's country-years. A
closing of one space shares much of its course with closings of the others, so the main model of a
direction is now trained once on the rows of all six spaces: every row keeps every feature of its
country-year and adds its *own* space's features under names that are the same for every space
(``own``, ``own_diff1``, ``ds_room_down_own``, ``ds_down_own_time_since``, ...; the differences also in
units of the space's cutpoint, ``own_diff1_cp``) and the space's number (``space_number``). The label of
a row is its own space's event. Chosen on inner windows only (``benchmarks/diag_pooled_spaces.py``, the
last three training years held out at origins 2008, 2014 and 2020): mean hold-out log loss 0.2601
against 0.2705 for one model per space, pooled hold-out PR-AUC closing 0.491 against 0.440, opening
0.528 against 0.483.

Pure pandas, no I/O: :func:`own_features` and :func:`pooled_view` give a space's view of a feature frame,
:func:`direction_targets` the targets that share a model.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from gbvs.errors import ForecastError
from gbvs.forecasting.domain import DEMSPACES_INDICES, DEMSPACES_TARGETS, Target
from gbvs.forecasting.features import OWN_SPACE, SPACE_NUMBER


def space_index(target: Target) -> str:
    """The V-Dem index of a democratic-space target, e.g. ``v2x_veracc_osp`` for closing_electoral."""
    for index in DEMSPACES_INDICES:
        if target.demspaces and target.event.endswith(f"_{index}"):
            return index
    raise ForecastError(
        f"target {target.name!r} is not a democratic-space target; only closing_* and opening_* targets "
        "are pooled over the spaces"
    )


def direction(target: Target) -> str:
    """``down`` for a closing target, ``up`` for an opening target (refused for any other target)."""
    return target.event.removesuffix(f"_{space_index(target)}").removeprefix("ds_")


def direction_targets(target: Target) -> tuple[Target, ...]:
    """The six targets whose rows train one model with ``target``'s: the same direction, every space."""
    return tuple(t for t in DEMSPACES_TARGETS if direction(t) == direction(target))


def pooled_room(target: Target) -> str:
    """The room column of the pooled view that the bound rule reads, e.g. ``ds_room_down_own``."""
    return f"ds_room_{direction(target)}_{OWN_SPACE}"


def own_features(features: pd.DataFrame, index: str, cutpoint: float) -> pd.DataFrame:
    """The columns of ``features`` about ``index`` under generic names, its differences in cutpoints and
    the space's number (its place in :data:`DEMSPACES_INDICES`)."""
    if not cutpoint > 0:
        raise ForecastError(
            f"the DemSpaces cutpoint of {index} is {cutpoint!r}; it must be positive (reload the DemSpaces "
            "outcomes with gbvs ingest)"
        )
    names = {c: c.replace(index, OWN_SPACE) for c in features.columns if index in c}
    own = features[list(names)].rename(columns=names)
    for column in [c for c in own.columns if c.startswith(f"{OWN_SPACE}_diff")]:
        own[f"{column}_cp"] = own[column] / cutpoint
    own[SPACE_NUMBER] = float(DEMSPACES_INDICES.index(index))
    return own


def pooled_view(
    features: pd.DataFrame, target: Target, cutpoints: Mapping[str, float] | None
) -> pd.DataFrame:
    """``features`` with ``target``'s own-space columns added (what the pooled model sees of its rows)."""
    index = space_index(target)
    if not cutpoints or index not in cutpoints:
        raise ForecastError(
            f"no DemSpaces cutpoint for {index} ({target.name}); the pooled democratic-space model needs "
            "the cutpoints of the DemSpaces outcomes: run gbvs ingest with the DemSpaces source"
        )
    return features.join(own_features(features, index, float(cutpoints[index])))
