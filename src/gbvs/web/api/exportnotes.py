"""What a download says about itself, in the reader's language: the provenance, the day it was taken, the
filters of the request, how many rows it holds, how exact its numbers are and, when it holds none, which
filter left nothing (docs/exports.md).

One place for the Excel provenance sheet and the notes of an empty CSV: :func:`about_lines` gives the
lines, each named by :func:`field_label` from the catalogues (``model_version`` is "modelversie" in Dutch,
"model version" in English). A name without a label here stays as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request

from gbvs.errors import shown
from gbvs.web.downloads import dutch_day
from gbvs.web.i18n import LANGUAGE_PARAMETER
from gbvs.web.render import N_

Gettext = Callable[[str], str]

NUMBERS_NOTE = N_(
    "Unrounded, as GBVS computed and stored them; the web pages round them for reading "
    "(a probability of 0.9651 shows there as 97%)."
)
"""Which figure is exact: the page's rounded one or the file's (the provenance sheet's ``numbers`` line)."""
NO_ROWS_NOTE = N_("No rows match this selection (%(filters)s); the columns are those a row would have.")
NO_FILTER = N_("no filter")

FIELD_LABELS: dict[str, str] = {
    "field": N_("field"),
    "value": N_("value"),
    "source": N_("source"),
    "source_version": N_("source version"),
    "data_vintage": N_("data vintage"),
    "derived_by": N_("derived by"),
    "provenance": N_("provenance"),
    "licence": N_("licence"),
    "citation": N_("citation"),
    "indicator": N_("indicator"),
    "ingested_at": N_("ingested at (UTC)"),
    "country": N_("country"),
    "countries": N_("countries"),
    "run_id": N_("run"),
    "created_at": N_("run made at (UTC)"),
    "unit": N_("unit"),
    "model_version": N_("model version"),
    "training_cutoff": N_("training cutoff"),
    "seed": N_("seed"),
    "targets": N_("targets"),
    "target": N_("target"),
    "horizon": N_("horizon (years)"),
    "forecast_period": N_("forecast year"),
    "previous_run_id": N_("previous run"),
    "forecasts": N_("forecasts"),
    "GBVS forecast": N_("GBVS forecast"),
    "outcomes": N_("outcomes"),
    "outcomes up to and including": N_("outcomes up to and including"),
    "content_hash": N_("content hash"),
    "backtest_run_id": N_("backtest run"),
    "better_baseline": N_("better baseline"),
    "baseline_run_id": N_("baseline run"),
    "rule threshold": N_("alert rule: probability from"),
    "rule jump": N_("alert rule: rise of at least"),
    "rule watch_from": N_("alert rule: watch from probability"),
    "downloaded": N_("downloaded on"),
    "rows": N_("rows"),
    "numbers": N_("numbers"),
    "note": N_("explanation"),
    # the audited export of a coded consultation (gbvs.db.services.consultation_export)
    "consultation": N_("consultation"),
    "phase": N_("phase"),
    "responses file SHA-256": N_("responses file SHA-256"),
    "codebook": N_("codebook"),
    "codebook version": N_("codebook version"),
    "exported at (UTC)": N_("exported at (UTC)"),
    "exported by": N_("exported by"),
    "privacy": N_("privacy"),
    "final themes": N_("final themes"),
    "alpha": N_("alpha"),
    # the export of the signals register (gbvs.db.services.signals.export_drafts)
    "need-to-know": N_("need-to-know"),
}
"""The label of each provenance name an export uses (:func:`field_label`)."""
PREFIX_LABELS: dict[str, str] = {
    "filter ": N_("filter %(name)s"),
    "source ": N_("source %(name)s"),
    "conflict_": N_("conflict forecast: %(name)s"),
    "withdrawn coder ": N_("withdrawn coder %(name)s"),
    "reinstated coder ": N_("reinstated coder %(name)s"),
    "alpha ": N_("alpha %(name)s"),
}
"""Names made of a prefix and a name (``filter q``, ``conflict_model_version``)."""

NOT_FILTERS = frozenset({"format", LANGUAGE_PARAMETER})
"""Query parameters that choose how a table is written, not which rows it holds."""


def _untranslated(message: str) -> str:
    return message


@dataclass(frozen=True)
class Reader:
    """Whom a download is for: the gettext of their language, the (Dutch) day it is taken, the filters
    of their request (name, value) and their language (numbers and times in the notes as it writes them)."""

    t: Gettext = _untranslated
    day: date | None = None
    filters: tuple[tuple[str, str], ...] = ()
    lang: str = "en"


def reader_of(request: Request) -> Reader:
    """The reader of ``request``: its language, today in the Netherlands by the app's clock, its filters."""
    web = request.app.state.web
    filters = tuple((key, value) for key, value in request.query_params.items() if key not in NOT_FILTERS)
    lang = request.state.lang
    return Reader(web.catalogs[lang].gettext, dutch_day(web.clock), filters, lang)


def field_label(name: str, t: Gettext) -> str:
    """``name`` of a provenance line in the reader's language (``t``); a name without a label as it is."""
    if name in FIELD_LABELS:
        return t(FIELD_LABELS[name])
    for prefix, label in PREFIX_LABELS.items():
        if name.startswith(prefix) and len(name) > len(prefix):
            rest = name[len(prefix) :]
            return t(label) % {"name": field_label(rest, t) if prefix == "conflict_" else rest}
    return name


def about_lines(provenance: Sequence[tuple[str, Any]], count: int, reader: Reader) -> list[tuple[str, Any]]:
    """The lines an export says about itself, labelled in the reader's language: ``provenance``, the day,
    the filters, the number of rows, how exact the numbers are and, with no rows, which filters left none.
    A value that is a catalogue message (a :class:`gbvs.errors.Term`) is translated too, a number or
    a time in words (:class:`gbvs.errors.Figure`, :class:`gbvs.errors.Moment`) written as the reader's
    language writes them."""
    lines: list[tuple[str, Any]] = [*provenance]
    if reader.day is not None:
        lines.append(("downloaded", reader.day.isoformat()))
    lines += [(f"filter {key}", value) for key, value in reader.filters]
    lines += [("rows", count), ("numbers", reader.t(NUMBERS_NOTE))]
    if not count:
        lines.append(("note", no_rows_note(reader)))
    return [(field_label(name, reader.t), shown(value, reader.t, reader.lang)) for name, value in lines]


def no_rows_note(reader: Reader) -> str:
    """That no row matched, naming the filters that left none (``q=atlantis``)."""
    asked = ", ".join(f"{key}={value}" for key, value in reader.filters) or reader.t(NO_FILTER)
    return reader.t(NO_ROWS_NOTE) % {"filters": asked}
