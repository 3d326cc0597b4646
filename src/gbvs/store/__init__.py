"""The analytical store: a DuckDB file written only by ``gbvs ingest`` and read by everything else.

This package is the only code that knows the store is DuckDB. Readers get Ibis tables from
:class:`Store` (so panels and features could run on another Ibis backend, e.g. Spark); the ingest
pipeline writes a new file with :class:`StoreWriter` and swaps it in atomically.
"""

from gbvs.store.provenance import PROVENANCE_TABLE, TableProvenance
from gbvs.store.reader import Store, open_store
from gbvs.store.writer import INTERRUPTS, StoreWriter

__all__ = ["INTERRUPTS", "PROVENANCE_TABLE", "Store", "StoreWriter", "TableProvenance", "open_store"]
