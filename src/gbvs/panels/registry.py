"""Derived tables (panels, features) that `gbvs ingest` materialises after the raw source tables.

The contract between the ingest pipeline (``gbvs.ingest``) and the panel code (``gbvs.panels``):
each ``DerivedTable`` names its output table, the store tables it reads, and a ``build`` function
that returns an Ibis expression over a backend connection. Ingest materialises them in list order
inside the new store file, so a failure leaves the previous store untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BuildFn = Callable[[Any], Any]  # (ibis backend) -> ibis.Table


@dataclass(frozen=True)
class DerivedTable:
    """A table computed from other store tables with an Ibis expression."""

    name: str
    description: str
    depends_on: tuple[str, ...]
    build: BuildFn


DERIVED_TABLES: list[DerivedTable] = []
