"""``gbvs ingest``: locate, verify, parse and check every source, then build the derived tables.

See :func:`gbvs.ingest.pipeline.ingest`.
"""

from gbvs.ingest.pipeline import IngestResult, ingest

__all__ = ["IngestResult", "ingest"]
