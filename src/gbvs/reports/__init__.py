"""Implementation monitoring and the biennial (two-yearly) progress report to parliament (issue #14).

The top service layer: it reads the strategy, the analytical store, the forecasts file and the
operational database, computes the indicators (:mod:`gbvs.reports.core.indicators`), freezes a
period's snapshot with a content hash (:mod:`gbvs.reports.snapshots`) and renders the report as
HTML, PDF and DOCX (:mod:`gbvs.reports.render`). The pure parts (indicator maths, content hash,
publication rule, SVG charts) live in :mod:`gbvs.reports.core` and do no I/O.
"""
