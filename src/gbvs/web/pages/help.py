"""Uitleg en hulp: what GBVS is, where to find what, how to read a forecast, what the forecasts cannot
do, a glossary of the words the pages use, and whom to ask (for access too).

Public, also before login in remote mode (a newcomer without an account must be able to read whom to
ask): it shows texts, links and the configured contact, nothing from the stores or the database.

A first-time user reaches it from every page (the header of ``base.html``); pages link a word they
cannot avoid ("run", "peildatum", "log-odds", "PR-AUC") to its entry here with the ``term`` macro of
``macros.html`` and a :data:`GLOSSARY` id (tests/web/test_first_day.py checks every such id).
"""

from __future__ import annotations

from typing import NamedTuple

from fastapi import Request
from fastapi.responses import HTMLResponse

from gbvs.web.api.document import contact
from gbvs.web.deps import AppSettings
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import public_page_router
from gbvs.web.render import N_, NAVIGATION, render_page

router = public_page_router()  # readable before login in remote mode: texts only, no data
HELP_PATH = "/uitleg"


class Term(NamedTuple):
    """One glossary entry: its anchor on the help page, the word as the pages write it, its meaning."""

    id: str
    word: str
    meaning: str


GLOSSARY: tuple[Term, ...] = (
    Term(
        "kans",
        N_("probability"),
        N_(
            "The chance, from 0% to 100%, that the model gives that the event happens in that country in "
            "that year. Of all forecasts of 30%, about three in ten should come true: it is not a verdict "
            "on one country."
        ),
    ),
    Term(
        "risiconiveau",
        N_("risk level"),
        N_("The probability in words (low to very high), so that it can be read without colours."),
    ),
    Term(
        "gewapend-conflict",
        N_("armed conflict"),
        N_(
            "State-based armed conflict as the Uppsala Conflict Data Program (UCDP) counts it: fighting over "
            "government or territory in which at least one side is a state, with at least 25 battle deaths "
            "in a calendar year. A war is such a conflict with at least 1,000 battle deaths in a year."
        ),
    ),
    Term(
        "uitbraak",
        N_("onset"),
        N_("Armed conflict in a country that had none the year before: much harder to foresee."),
    ),
    Term(
        "horizon",
        N_("horizon (years ahead)"),
        N_(
            "How far a forecast looks beyond the last year with data: 1 year ahead is the year after "
            "it, 2 years ahead the year after that."
        ),
    ),
    Term(
        "run",
        N_("run (forecast run)"),
        N_(
            "One time the model was trained and made its forecasts, with the data of that moment. Each run "
            "has a code (such as forecast-…), so that every figure can be traced back to it. Alerts "
            "compare a run with the previous one."
        ),
    ),
    Term(
        "modelversie",
        N_("model version"),
        N_("Which version of the model made a forecast; a new version is tested on the past before use."),
    ),
    Term(
        "trainingsgrens",
        N_("training cutoff"),
        N_(
            "The last year of data the model learned from. It knows nothing about what happened after it: "
            "a coup, an election or a peace agreement since then is not in the forecast."
        ),
    ),
    Term(
        "peildatum",
        N_("data vintage"),
        N_(
            "Which version of each dataset was used and up to which year it runs. Datasets appear with a "
            "delay, so the data often end a year or two before today."
        ),
    ),
    Term(
        "startwaarden",
        N_("range over seeds"),
        N_(
            "The model is trained several times, each time from another random starting value (seed). The "
            "range shows how much the probability differs between them: a narrow range means the figure "
            "does not depend on chance in the training. It is not a margin of error for the real world."
        ),
    ),
    Term(
        "drijver",
        N_("instability driver"),
        N_(
            "A development that, according to §2.2 of the strategy, can cause insecurity, such as poverty "
            "or polarisation. GBVS measures each driver with indicators from open data."
        ),
    ),
    Term(
        "log-odds",
        N_("contribution (log-odds)"),
        N_(
            "How far a group of drivers moves a forecast up or down, on the scale the model calculates in "
            "(log-odds), not in percentage points. 0 means no effect; +0.69 roughly doubles the odds, "
            "−0.69 halves them. A large contribution is a reason for the model's figure, not proof of a "
            "cause in that country."
        ),
    ),
    Term(
        "mediane-land",
        N_("median country"),
        N_(
            "The middle country of the same run. An explanation compares a country with it: the difference "
            "is what sets the country apart."
        ),
    ),
    Term(
        "signalering",
        N_("alert"),
        N_(
            "A country whose probability crossed the alert threshold since the previous run, or changed by "
            "many percentage points. An early-action case records the response to it."
        ),
    ),
    Term(
        "backtest",
        N_("backtest"),
        N_(
            "A test on the past: the model learns from the data up to a year, forecasts the following years, "
            "and the forecasts are compared with what happened. It shows how good the forecasts are."
        ),
    ),
    Term(
        "persistentie",
        N_("persistence"),
        N_("The simplest forecast: next year is like this year. A useful model does better."),
    ),
    Term(
        "pr-auc",
        N_("PR-AUC (average precision)"),
        N_(
            "How well the model puts the countries that get a conflict at the top of its list, from 0 to 1; "
            "higher is better."
        ),
    ),
    Term(
        "roc-auc",
        N_("ROC-AUC"),
        N_(
            "The chance that a country with conflict gets a higher probability than a country without; 0.5 "
            "is guessing, 1 is perfect."
        ),
    ),
    Term(
        "brier",
        N_("Brier score"),
        N_(
            "The mean of (probability − outcome)², with outcome 1 if it happened and 0 if not: 0 is perfect, "
            "lower is better."
        ),
    ),
    Term(
        "crps",
        N_("CRPS"),
        N_(
            "Continuous ranked probability score: how far the forecast of a number (such as battle deaths), "
            "with its whole range, was from what happened; lower is better."
        ),
    ),
    Term(
        "kalibratie",
        N_("calibration (reliability)"),
        N_(
            "Whether the probabilities mean what they say: of all forecasts of 30%, about 30% should come "
            "true. The reliability curves on the model performance page show it."
        ),
    ),
    Term(
        "need-to-know",
        N_("need to know"),
        N_(
            "You see a signal or a case only when it was shared with your organisation, a sharing group of "
            "your organisation, or with you by name."
        ),
    ),
    Term(
        "tlp",
        N_("TLP (Traffic Light Protocol)"),
        N_(
            "The label that says how far information may be passed on: CLEAR public, GREEN within the "
            "community, AMBER within the own organisation and those who need it, RED only the named "
            "recipients."
        ),
    ),
)
TERM_IDS = frozenset(term.id for term in GLOSSARY)

PARTS: dict[str, str] = {
    "/": N_(
        "The countries at highest risk of armed conflict, the changes since the previous forecast, "
        "and the alerts."
    ),
    "/strategie": N_(
        "The strategy itself: the three pillars, the thirteen goals with their instruments, the threats, "
        "trends, instability drivers and vital interests, in the strategy's own words."
    ),
    "/aandachtslijst": N_(
        "Every country ranked by its forecast; filter by focus region (such as the ring around Europe) and "
        "download the table."
    ),
    "/landen": N_(
        "One page per country: conflict history, forecasts, why the model gives that figure, the driver "
        "indicators and the strategy goals that concern it; also as a one-page PDF."
    ),
    "/drijvers": N_(
        "The strategy's instability drivers measured with open data, per indicator, year and region."
    ),
    "/ontheemding": N_(
        "Forecasts of forced displacement and of asylum applications in the Netherlands (goal 13)."
    ),
    "/modelprestaties": N_(
        "How well the forecasts did on the past (the backtest), against simple alternatives."
    ),
    "/vroege-actie": N_(
        "From warning to decision: cases that record the response to an alert, and which warnings got a "
        "response and how fast."
    ),
    "/bronnen": N_("Every dataset: version, how recent, licence and checksum."),
    "/signalen": N_(
        "The signals register (foreign interference, cyber operations, disinformation, crime): only what "
        "has been shared with your organisation."
    ),
    "/dreigingen": N_("Threat assessment: scenarios of the six threats, scored by panels of analysts."),
    "/voortgang": N_("The biennial progress report to parliament: indicators, drafts and the report itself."),
    "/publieksopinie": N_("Polls and public consultations on foreign and security policy."),
}
"""What each part of the main navigation is for, in a first-time user's words (every item has one)."""


@router.get(HELP_PATH, response_class=HTMLResponse)
@cached
def help_page(request: Request, settings: AppSettings) -> HTMLResponse:
    """What GBVS is, its parts, how to read a forecast, its limits, the glossary and whom to ask."""
    parts = [(href, label, PARTS[href]) for href, label in NAVIGATION]
    signed_in = getattr(request.state, "principal", None) is not None
    ask_login = settings.allow_remote and not signed_in
    context = {"parts": parts, "glossary": GLOSSARY, "contact": contact(settings), "ask_login": ask_login}
    return render_page(request, "help.html", context)
