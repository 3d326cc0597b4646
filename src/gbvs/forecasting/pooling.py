"""One democratic-space model per direction (v3.8): the rows of the six spaces stacked, each with its own
space's features under generic names.

Each closing (opening) target used to have its own classifier, trained on one space's country-years. A
closing of one space shares much of its course with closings of the others, so the main model of a
direction is now trained once on the rows of all six spaces: every row keeps every feature of its
country-year and adds its *own* space's features under names that are the same for every space
(``own``, ``own_diff1``, ``ds_room_down_own``, ``ds_down_own_time_since``, ...; the differences also in
units of the space's cutpoint, ``own_diff1_cp``), since v3.11 a summary of the V-Dem indicators that
measure parts of its space (:func:`own_parts`: ``own_parts``, ``own_parts_diff1``, ...; chosen on inner
windows with ``benchmarks/diag_space_parts.py``: hold-out log loss 0.23930 against 0.24074, PR-AUC
closing 0.479 against 0.477, opening 0.481 against 0.473) and the space's number (``space_number``).
The label of a row is its own space's event. Pooling was chosen on inner windows only
(``benchmarks/diag_pooled_spaces.py``, the last three training years held out at origins 2008, 2014 and
2020): mean hold-out log loss 0.2601 against 0.2705 for one model per space, pooled hold-out PR-AUC
closing 0.491 against 0.440, opening 0.528 against 0.483.

Pure pandas, no I/O: :func:`own_features` and :func:`pooled_view` give a space's view of a feature frame,
:func:`direction_targets` the targets that share a model.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from gbvs.errors import ForecastError
from gbvs.forecasting.domain import DEMSPACES_INDICES, DEMSPACES_TARGETS, Target
from gbvs.forecasting.features import OWN_SPACE, SPACE_NUMBER, VDEM_WIDE_PREFIX


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


SPACE_PARTS: dict[str, tuple[str, ...]] = {
    "v2x_veracc_osp": (
        "v2elfrfair", "v2elintim", "v2elirreg", "v2elvotbuy", "v2elembaut", "v2elmulpar",
        "v2psparban", "v2psbars", "v2psoppaut",
    ),
    "v2xcs_ccsi": ("v2cseeorgs", "v2csreprss", "v2csprtcpt", "v2cscnsult"),
    "v2xcl_rol": ("v2clkill", "v2cltort"),
    "v2x_freexp_altinf": ("v2mecenefm", "v2meharjrn", "v2meslfcen", "v2mebias", "v2mecrit", "v2merange"),
    "v2x_horacc_osp": (
        "v2juhcind", "v2juncind", "v2jucomp", "v2juhccomp", "v2exrescon", "v2lgotovst", "v2lginvstp",
        "v2lgoppart",
    ),
    "v2x_pubcorr": ("v2exbribe", "v2exembez", "v2jucorrdc"),
}  # fmt: skip
"""Per democratic space, the V-Dem v14 indicators of the wider file (``sources.vdem_wide.KEPT``) that
measure parts of it, all on V-Dem's measurement-model scale (higher is more open): the election and party
indicators of vertical accountability, civil society's, the two kept physical-integrity indicators of
the rule of law, the media's, the judiciary's, legislature's and executive-constraint indicators of
horizontal accountability, and for public-sector corruption (whose own components the wider file does not
hold) the executive's bribery and embezzlement and judicial corruption."""
PARTS = "parts"
"""Infix of the own-space columns summarising :data:`SPACE_PARTS` (``own_parts_diff1``, ...)."""


def own_parts(features: pd.DataFrame, index: str) -> pd.DataFrame:
    """Per row, the mean level, mean 1- and 3-year change and the smallest and largest 1-year change of
    the V-Dem indicators that measure parts of ``index`` (:data:`SPACE_PARTS`; the features
    ``vdem14_<indicator>`` and their ``_diff1``/``_diff3``), NaN where none is known. Row-wise, so the
    training rows and the forecast rows get the same values."""
    parts = [c for c in SPACE_PARTS.get(index, ()) if f"{VDEM_WIDE_PREFIX}{c}" in features.columns]
    found = pd.DataFrame(index=features.index)
    if not parts:
        return found
    level = features[[f"{VDEM_WIDE_PREFIX}{c}" for c in parts]]
    diff1 = features[[f"{VDEM_WIDE_PREFIX}{c}_diff1" for c in parts]]
    diff3 = features[[f"{VDEM_WIDE_PREFIX}{c}_diff3" for c in parts]]
    prefix = f"{OWN_SPACE}_{PARTS}"
    found[prefix] = level.mean(axis=1)
    found[f"{prefix}_diff1"] = diff1.mean(axis=1)
    found[f"{prefix}_diff3"] = diff3.mean(axis=1)
    found[f"{prefix}_min_diff1"] = diff1.min(axis=1)
    found[f"{prefix}_max_diff1"] = diff1.max(axis=1)
    return found


def own_features(features: pd.DataFrame, index: str, cutpoint: float) -> pd.DataFrame:
    """The columns of ``features`` about ``index`` under generic names, its differences in cutpoints,
    the summary of its parts (:func:`own_parts`) and the space's number (its place in
    :data:`DEMSPACES_INDICES`)."""
    if not cutpoint > 0:
        raise ForecastError(
            f"the DemSpaces cutpoint of {index} is {cutpoint!r}; it must be positive (reload the DemSpaces "
            "outcomes with gbvs ingest)"
        )
    names = {c: c.replace(index, OWN_SPACE) for c in features.columns if index in c}
    own = features[list(names)].rename(columns=names)
    for column in [c for c in own.columns if c.startswith(f"{OWN_SPACE}_diff")]:
        own[f"{column}_cp"] = own[column] / cutpoint
    own = own.join(own_parts(features, index))
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
