"""Driver indicators: which panel column measures which instability driver (pure data, no store).

Their coverage in the store is computed by :mod:`gbvs.panels.driver_coverage`.
"""

from gbvs.drivers.mapping import DRIVER_IDS, Indicator, drivers_without_indicators, load_mapping

__all__ = ["DRIVER_IDS", "Indicator", "drivers_without_indicators", "load_mapping"]
