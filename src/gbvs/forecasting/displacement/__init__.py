"""Forced displacement forecasts (issue 17): new outflows and asylum applications in the Netherlands.

Core modules (no I/O): ``targets`` (what is forecast, horizons, backtest years), ``features``
(displacement history joined to the conflict model's features), ``models`` (baselines and the
LightGBM predictive distribution, chosen on the inner window), ``backtest`` and ``scores``. I/O lives
in ``service`` (store and forecasts file) and ``note`` writes DISPLACEMENT_BACKTEST.md's table.
"""
