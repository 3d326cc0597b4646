"""What a model learns on its training rows that does not depend on its seed, remembered per process.

A backtest fits the seeds of a model one after the other on the same rows. The feature screen
(v3.4) and, since v3.5, the choices made on the inner window (hyper-parameter candidate, number of
trees, calibrator; the hurdle's size trees and shifts; the battle-death model's calibration) are
made at one fixed seed, so they are the same for every seed: the first seed computes them, the
others recall them. Since v3.6 so is the refit of a model that samples neither rows nor columns.
The memory is only a cache: a fit gives the same model whether or not it recalls (the key is a digest
of everything the result depends on), and it holds the most recent ``size`` entries only.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

CHOICE_SEED = 0
"""The seed at which seed-independent choices are made (the screen, the inner-window choices)."""

T = TypeVar("T")


def data_key(settings: Any, *data: pd.DataFrame | np.ndarray | None) -> str:
    """A digest of ``settings`` (anything with a stable ``repr``, e.g. a sorted list of pairs) and of
    the data: frames by column names, dtypes, index and values; arrays by shape and values."""
    digest = hashlib.sha256()
    digest.update(repr(settings).encode())
    for part in data:
        if part is None:
            digest.update(b"|none")
        elif isinstance(part, pd.DataFrame):
            described, frame_values = _frame_parts(part)
            digest.update(described.encode())
            digest.update(pd.util.hash_pandas_object(part.index).to_numpy().tobytes())
            digest.update(frame_values)
        else:
            values = np.ascontiguousarray(np.asarray(part, dtype=float))
            digest.update(f"|{values.shape}".encode())
            digest.update(values.data)
    return digest.hexdigest()


def _frame_parts(frame: pd.DataFrame) -> tuple[str, bytes | memoryview]:
    """The column names and dtypes of ``frame``, and its values for a digest: when every column has the
    same numeric NumPy dtype (the models' feature frames), their bytes column by column (a one-block
    frame's own memory: half the time of hashing each column); otherwise pandas' per-column hashes
    (object columns hold pointers, whose bytes say nothing about the values)."""
    dtypes = set(frame.dtypes)
    if len(dtypes) == 1:
        dtype = next(iter(dtypes))
        if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
            return f"{list(frame.columns)!r}: {dtype}", np.ascontiguousarray(frame.to_numpy().T).data
    described = repr([(str(name), str(dtype)) for name, dtype in frame.dtypes.items()])
    return described, pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()


def settings_of(estimator: Any, without: tuple[str, ...] = ("random_state",)) -> list[tuple[str, str]]:
    """An estimator's class and constructor settings (minus ``without``) as sorted ``(name, repr)``
    pairs: the part of a key that says *which* model made a choice."""
    params = estimator.get_params(deep=False)
    pairs = [(name, repr(value)) for name, value in params.items() if name not in without]
    return [("class", f"{type(estimator).__module__}.{type(estimator).__qualname__}"), *sorted(pairs)]


class Memory:
    """The last ``size`` results by key; :meth:`recall` computes a missing one and returns a copy (or,
    with ``copies=False``, the stored object itself, for results its callers only read, such as
    LightGBM's binned rows, which cannot be copied). Safe to share between threads: the bookkeeping is
    locked, a computation is not (two threads that miss the same key both compute it, and get the same
    result)."""

    def __init__(self, size: int, copies: bool = True) -> None:
        self.size = size
        self.copies = copies
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def recall(self, key: str, compute: Callable[[], T]) -> T:
        """The result stored under ``key``, computed (and stored) first if missing; a deep copy, so a
        caller that changes it does not change what the next caller gets."""
        with self._lock:
            found = key in self._items
            if found:
                self._items.move_to_end(key)
                value = self._items[key]
        if not found:
            value = compute()
            with self._lock:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return copy.deepcopy(value) if self.copies else value

    def clear(self) -> None:
        """Forget everything (tests start from an empty memory)."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


SCREENS = Memory(size=16)
"""Feature screens (:func:`gbvs.forecasting.models.lgbm.screen_features`): a backtest origin fits its
seeds one after the other on the same rows, so a few suffice."""

CHOICES = Memory(size=64)
"""Inner-window choices (v3.5): a classifier's candidate, trees and calibrator; the hurdle's size trees
and shifts; the battle-death model's calibration. The battle-death model alone makes 5 per fit."""

REFITS = Memory(size=16)
"""Refits on all rows of models that sample neither rows nor columns (v3.6, the democratic-space
classifier): their seeds give the same booster, so the first seed fits it and the others recall it."""
