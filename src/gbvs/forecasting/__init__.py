"""Early-warning forecasting: targets, features, models, backtest, live forecast, watchlist (see README.md).

The web app and the CLI call :mod:`gbvs.forecasting.queries` (read) and :mod:`gbvs.forecasting.service`
(run); everything else is pure and works on DataFrames.
"""
