"""GBVS: information position for the Dutch Integrated International Security Strategy (GBVS).

The CLI (``gbvs``) and the web app are thin edges over the services in this package.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
