"""The store's provenance texts (dataset titles, licence notes, panel descriptions) in the interface language.

The sources (``gbvs.sources``) and panels record their titles and licences once, in English, in the
store's provenance table. The pages show them through the message catalogues: a known text or
pattern is translated, anything else (citations, a new source) is shown as stored and marked as
English (``lang="en"``). ``tests/web/test_dutch_pages.py``
fails when a registered source's title or licence is missing here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from gbvs.web.labels import Shown
from gbvs.web.render import N_

Gettext = Callable[[str], str]

TEXTS: frozenset[str] = frozenset(
    {
        # dataset titles (proper names such as "UCDP/PRIO Armed Conflict Dataset" stay as they are)
        N_("V-Dem country-year indices"),
        N_("V-Dem country-year v14 (indicators)"),
        N_("Gapminder Systema Globalis (50 indicators)"),
        N_("Country concordance (country_converter)"),
        N_("Gleditsch-Ward state system membership by year (derived)"),
        N_("Natural Earth Admin-0 countries 1:50m (simplified)"),
        N_("Democratic Spaces Barometer forecasts v14"),
        N_("UNHCR Refugee Population Statistics"),
        N_("Country-year covariates (poldat, DemSpaces external data)"),
        N_("UCDP Battle-Related Deaths Dataset (dyadic)"),
        N_("UCDP Candidate Events Dataset (monthly)"),
        # notes on the mirror's files, added to the title in brackets
        N_("mirror copy restricted to 1946-2023 (2024 withheld for scoring)"),
        N_("Syria subset only (2016-2019): the global GED is not in the mirror"),
        N_("version label inferred from columns and coverage"),
        N_("six indices only, as prepared by the Democratic Spaces Barometer"),
        N_("six indices only: vdeminstitute/demspaces @ 1012a66, create-data/output/dv_data_1968_on.csv"),
        # licences
        N_("CC BY 4.0 (UCDP, Uppsala University)"),
        N_("CC BY-SA 4.0 (V-Dem data)"),
        N_(
            "CSP/INSCR terms: free for research and non-commercial use, with citation (no open "
            "licence stated)"
        ),
        N_("ETH ICR: free for research use with citation (no licence file in the source)"),
        N_("GPL-3.0 (country_converter package)"),
        N_("as the underlying sources (EPR, V-Dem CC BY-SA 4.0, UCDP CC BY 4.0)"),
        N_("Public domain (Natural Earth)"),
        N_("GPL-3.0 (repository); underlying V-Dem data CC BY-SA 4.0"),
        N_(
            "MIT (poldat package; WDI CC BY 4.0, PWT CC BY 4.0, Maddison CC BY 4.0, WCDE CC BY "
            "4.0, FAO); ds-external-data has no licence file: development and testing only"
        ),
        # the panels GBVS derives (their title is their description)
        N_("EPR ethnic exclusion per Gleditsch-Ward state-year (excluded/discriminated shares)."),
        N_("Gleditsch-Ward state-years 1946-: UCDP conflict history and driver indicators."),
        N_("The country-year panel's keys with V-Dem v14 indicators, covariates, coups, state age."),
        N_("Country-months from UCDP GED events: fatalities and events by type of violence."),
        N_("PRIO-GRID cell-months from UCDP GED events: fatalities and events by type."),
        N_("Forced displacement per Gleditsch-Ward origin-year from 1951 (UNHCR)."),
        N_("Country-year panel"),
    }
)
BACKTEST_NOTES: tuple[str, ...] = (
    N_(
        "Data lag: a forecast from origin o is made in mid o+1, when UCDP has published year o "
        "(V-Dem: March o+1); training rows need their outcome at t+h <= o. Driver indicators enter "
        "lagged one year (publication lag)."
    ),
    N_(
        "Expanding window; hyper-parameters (number of trees, calibration) are chosen on the last 3"
        " periods of each training window only; the test years are never used for choices."
    ),
    N_("Onset subset: rows with no conflict at the origin (y_t = 0)."),
    N_("Neighbour features are absent: the store has no ne_admin0 table."),
    N_(
        "DemSpaces: targets coded with their ERT-lite rule (min_f 0.1) and v14 cutpoints on "
        "DemSpaces' v14 outcome file (V-Dem v14, to 2023), so origin 2021 is scored (window "
        "2022-2023); with the older subset (to 2022) it would not be."
    ),
    N_(
        "QUICK run: fewer forecast years, horizon 1 only for conflict targets, smaller models; its "
        "figures are a smoke test, not comparable with a full backtest or with the goals."
    ),
    N_(
        "Grid-month: the store's GED is UCDP's Syria release (2016-2019), so this is a Syria-only "
        "backtest over 2018-2019; conflict = at least one state-based death in the cell-month."
    ),
)
"""The notes :func:`gbvs.forecasting.report.backtest_notes` writes into a backtest report."""
BACKTEST_TITLES: tuple[str, ...] = (
    N_("GBVS backtest (country-year)"),
    N_("GBVS backtest (country-year, quick)"),
    N_("GBVS backtest (country-month)"),
    N_("GBVS backtest (country-month, quick)"),
    N_("GBVS backtest (grid-month)"),
    N_("GBVS backtest (grid-month, quick)"),
)
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"derived; the licences of its inputs apply: (?P<inputs>.+)"),
     N_("derived; the licences of its inputs apply: %(inputs)s")),
    (re.compile(r"Computed by GBVS from (?P<inputs>.+); cite those sources\."),
     N_("Computed by GBVS from %(inputs)s; cite those sources.")),
    (re.compile(r"derived from (?P<inputs>.+)"), N_("derived from %(inputs)s")),
    (re.compile(r"(?P<version>[\w.]+) \(restricted to (?P<years>\d{4}-\d{4})\)"),
     N_("%(version)s (restricted to %(years)s)")),
    (re.compile(r"DemSpaces outcome indices from V-Dem (?P<version>v\d+) \((?P<years>\d{4}-\d{4})\)"),
     N_("DemSpaces outcome indices from V-Dem %(version)s (%(years)s)")),
    (re.compile(r"(?P<file>\S+) of (?P<repository>\S+), converted to Parquet \(values unchanged\)"),
     N_("%(file)s of %(repository)s, converted to Parquet (values unchanged)")),
)  # fmt: skip
PROPER_NAMES: frozenset[str] = frozenset(
    {
        "UCDP/PRIO Armed Conflict Dataset",
        "UCDP Non-State Conflict Dataset",
        "UCDP Georeferenced Event Dataset (GED)",
        "Polity5 Annual Time-Series",
        "Ethnic Power Relations (EPR) Core",
    }
)
"""Dataset titles that are names: shown as they are, marked as English."""
_WORD = re.compile(r"[A-Za-z]{3,}")
_NOTED = re.compile(r"(?P<base>.+?) \((?P<note>[^()]*(?:\([^()]*\)[^()]*)*)\)")


def source_text(text: str | None, gettext: Gettext) -> Shown:
    """A stored provenance text in the interface language; marked English when it is not known."""
    if not text:
        return Shown("–")
    if not _WORD.search(text):  # a version number or a code: no language
        return Shown(text)
    if text in TEXTS or text in BACKTEST_NOTES or text in BACKTEST_TITLES:
        return Shown(gettext(text))
    translated = _pattern_text(text, gettext)
    if translated is not None:
        return Shown(translated)
    noted = _NOTED.fullmatch(text)
    note = _pattern_text(noted["note"], gettext) if noted else None
    if noted and (noted["note"] in TEXTS or note is not None):
        base = source_text(noted["base"], gettext)
        return Shown(base.text, base.lang, f"{base.suffix} ({note or gettext(noted['note'])})")
    return Shown(text, "en")


def _pattern_text(text: str, gettext: Gettext) -> str | None:
    """``text`` in the interface language when it has the shape of one of :data:`PATTERNS`."""
    for pattern, message in PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return gettext(message) % found.groupdict()
    return None


def source_names_in(catalogs: Mapping[str, Any]) -> Callable[[str, str], str]:
    """Sources' stored (English) titles and notes in a language (``text``, ``lang``), by ``catalogs``
    (the app's gettext catalogues): the report's footnotes on a page and in an export."""

    def shown(text: str, lang: str) -> str:
        written = source_text(text, catalogs[lang].gettext)
        return written.text + written.suffix

    return shown
