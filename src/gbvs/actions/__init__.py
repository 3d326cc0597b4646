"""Early action (goal 1 of the strategy): from a warning to a recorded decision, and the gap between them.

- :mod:`gbvs.actions.workflow`: statuses, transitions, decisions, overdue follow-ups (pure).
- :mod:`gbvs.actions.gap`: the warning-response gap as figures (pure).
- :mod:`gbvs.actions.alerts`: every watchlist alert of every stored forecast run.
- :mod:`gbvs.actions.warning`: the frozen copy of a warning (forecast, explanation, provenance).
- :mod:`gbvs.actions.origins`: checks that what a case is opened from exists.
- :mod:`gbvs.actions.service`: cases in the operational database, through the authorization layer.
"""
