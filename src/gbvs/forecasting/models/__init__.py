"""Forecasting models, all following scikit-learn conventions (constructor stores, ``fit`` learns).

Binary models expose ``predict_proba(X) -> (n, 2)``; count models expose
``predict_samples(X) -> (n, n_samples)`` (a predictive distribution of battle deaths).
``fit(X, y, periods=None)``: ``periods`` (the row's time period) lets a model keep its
calibration / early-stopping window at the end of the training window.
"""

from gbvs.forecasting.models.baselines import (
    ConflictologyBootstrap,
    HistoryLogit,
    PersistenceCount,
    PersistenceModel,
    ZeroCount,
    ZeroModel,
)
from gbvs.forecasting.models.bounds import SpaceBound
from gbvs.forecasting.models.choice import Calibration, InnerWindowChoice, pool, widen
from gbvs.forecasting.models.hurdle import HurdleCount
from gbvs.forecasting.models.lgbm import LGBMBinary, LGBMCount
from gbvs.forecasting.models.mean import MeanOfClassifiers
from gbvs.forecasting.models.pooled import PooledSpaces

__all__ = [
    "Calibration",
    "ConflictologyBootstrap",
    "HistoryLogit",
    "HurdleCount",
    "InnerWindowChoice",
    "LGBMBinary",
    "LGBMCount",
    "MeanOfClassifiers",
    "PersistenceCount",
    "PersistenceModel",
    "PooledSpaces",
    "SpaceBound",
    "ZeroCount",
    "ZeroModel",
    "pool",
    "widen",
]
