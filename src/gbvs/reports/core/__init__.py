"""The pure core of the report: indicator maths, content hash, publication rule, charts (no I/O)."""
