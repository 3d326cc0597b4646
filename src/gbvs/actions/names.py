"""The names of early action's codes as people read them (message ids of the web app's catalogues): the
pages and the command line translate them into the reader's language; JSON keeps the codes."""

from __future__ import annotations

from gbvs.actions.workflow import Audience
from gbvs.languages import N_

STATUS_NAMES = {
    "open": N_("open"),
    "options": N_("options"),
    "decided": N_("decided"),
    "follow_up": N_("follow-up"),
    "closed": N_("closed"),
}
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
AUDIENCE_NAMES = {  # the signals register's names (its catalogue holds them)
    Audience.organisation.value: N_("Own organisation"),
    Audience.sharing_group.value: N_("Sharing group"),
    Audience.all_organisations.value: N_("All GBVS organisations"),
}
