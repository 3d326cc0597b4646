"""The pure core of the report: indicator maths, content hash, publication rule, charts (no I/O).

Importing the package fills the indicator registry with every shipped definition.
"""

from gbvs.reports.core import builtin, displacement_indicators, opinion_indicators

__all__ = ["builtin", "displacement_indicators", "opinion_indicators"]
