"""The ``gbvs`` command line: thin commands over the services."""
