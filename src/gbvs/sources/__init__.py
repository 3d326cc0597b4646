"""Source plugins: one module per data producer, all listed in :mod:`gbvs.sources.registry`."""
