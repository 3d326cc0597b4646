"""GBVS: information position for the Dutch Integrated Foreign and Security Strategy.

The CLI (``gbvs``) and the web app are thin edges over the services in this package.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
