"""Driver indicators: which panel column measures which instability driver, and how well it is covered."""

from gbvs.drivers.mapping import DRIVER_IDS, Indicator, load_mapping

__all__ = ["DRIVER_IDS", "Indicator", "load_mapping"]
