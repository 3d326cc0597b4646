"""The names of early action's codes as people read them (message ids of the web app's catalogues): the
pages and the command line translate them into the reader's language; JSON keeps the codes.
The names of statuses and audiences live in :mod:`gbvs.actions.workflow`, whose refusals use them too;
they are re-exported here so that callers find every name in one place."""

from __future__ import annotations

from gbvs.actions.workflow import AUDIENCE_NAMES, STATUS_NAMES
from gbvs.languages import N_

__all__ = ["AUDIENCE_NAMES", "CHANGE_NAMES", "ORIGIN_NAMES", "STATUS_NAMES"]

ORIGIN_NAMES = {
    "alert": N_("watchlist alert"),
    "country": N_("country page"),
    "signal_case": N_("signal case"),
    "scenario": N_("threat-assessment scenario"),
    "displacement": N_("displacement forecast"),
}
CHANGE_NAMES = {  # the versions' change codes (gbvs.actions.service: _change and open_case)
    "opened": N_("opened"),
    "option_added": N_("option added"),
    "status_open": N_("moved back to open"),
    "status_options": N_("moved to options"),
    "status_decided": N_("moved back to decided"),
    "status_follow_up": N_("moved to follow-up"),
    "status_closed": N_("closed"),
    "decided": N_("decision recorded"),
    "follow_up_added": N_("follow-up planned"),
    "follow_up_done": N_("follow-up done"),
    "shared": N_("readers changed"),
}
