"""The data-access layer: the analytical store and the forecasts file, the only code that knows DuckDB.

- :mod:`gbvs.store.tables`: every table name, declared once (:class:`TableName`, :class:`ForecastTable`).
- :mod:`gbvs.store.reader`: the analytical store opened read-only (:func:`open_store`), with Ibis
  tables (so panels and features could run on another Ibis backend, e.g. Spark) and provenance.
- :mod:`gbvs.store.reads`: named, typed reads for forecasting, the CLI and the maps.
- :mod:`gbvs.store.reads_panel`: named, typed reads of the panels for the web pages, the API and the CLI.
- :mod:`gbvs.store.coverage`: coverage of store columns (``gbvs drivers``, ``gbvs codebook``).
- :mod:`gbvs.store.writer`: ``gbvs ingest`` writes a new store file and swaps it in atomically.
- :mod:`gbvs.store.forecasts`: the forecasts file (runs, forecasts, backtest reports), with versioned
  schema migrations (:mod:`gbvs.store.forecasts_schema`).
- :mod:`gbvs.store.cache`: results kept until a file's version changes.

Open a file once per unit of work (``with open_store(path) as store:``) and pass the handle down.
"""

from gbvs.store.provenance import PROVENANCE_TABLE, TableProvenance
from gbvs.store.reader import Store, open_store
from gbvs.store.tables import ForecastTable, TableName
from gbvs.store.writer import INTERRUPTS, StoreWriter

__all__ = [
    "INTERRUPTS",
    "PROVENANCE_TABLE",
    "ForecastTable",
    "Store",
    "StoreWriter",
    "TableName",
    "TableProvenance",
    "open_store",
]
