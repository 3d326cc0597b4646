"""The report as accessible HTML (Jinja2 templates), PDF (WeasyPrint, PDF/UA) and editable DOCX.

Templates live in ``gbvs/reports/templates``; the coordinator may adjust them by copying them into a
folder and passing it as ``templates`` (files found there win). The words come from ``labels.yaml``.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    TemplateError,
    TemplateSyntaxError,
    select_autoescape,
)
from markupsafe import Markup

from gbvs.assessments.diagram import DiagramPoint, risk_diagram_svg
from gbvs.assessments.scoring import Spread
from gbvs.drivers.units import unit_name
from gbvs.errors import InputError, said
from gbvs.forecasting.goals import figure_digits, goal_target
from gbvs.languages import babel_locale
from gbvs.reports.chain import unit_in
from gbvs.reports.core.charts import line_chart
from gbvs.reports.core.context import code_of
from gbvs.reports.core.indicators import words
from gbvs.reports.core.outputs import backtest_footnote, signals_footnote
from gbvs.reports.errata import Postscript
from gbvs.signals.model import kind_name

DIAGRAM_SIZE = (640, 420)
"""The risk diagram's size in CSS pixels (the viewBox of the assessments' ``risk_diagram_svg``)."""
MAX_SIGNALS = 50
"""The report lists at most this many public signals (the statistics count them all)."""


@cache
def labels(lang: str) -> dict[str, str]:
    """The report's words in ``lang``."""
    text = files("gbvs.reports").joinpath("labels.yaml").read_text(encoding="utf-8")
    return {key: value[lang] for key, value in yaml.safe_load(text).items()}


def number(value: float | None, lang: str, *, signed: bool = False) -> str:
    """``value`` in the language's notation (``-`` when missing)."""
    if value is None:
        return "–"
    pattern = "#,##0.###" if abs(value) < 1000 else "#,##0"
    text = format_decimal(value, format=pattern, locale=babel_locale(lang))
    return f"+{text}" if signed and value > 0 else text


def goal_figure(value: float | None, lang: str) -> str:
    """A backtest goal's figure with the decimals the pages give it
    (:func:`gbvs.forecasting.goals.figure_digits`: 0,0387 against a goal of 0,039, not 0,039)."""
    if value is None or math.isnan(value):
        return "–"
    return with_decimals(value, figure_digits(value), lang)


def with_decimals(value: float, decimals: int, lang: str) -> str:
    """``value`` with exactly ``decimals`` decimals in the language's notation (``51,3``)."""
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=babel_locale(lang))


QUARTER_KEY = re.compile(r"^(\d{4})-Q([1-4])$")


def quarter(key: str, lang: str) -> str:
    """A quarter as the signal statistics key it (``2019-Q1``) written in ``lang`` (``1e kwartaal 2019``,
    ``Q1 2019``); another key as it is."""
    found = QUARTER_KEY.match(key)
    if not found:
        return key
    return labels(lang)["quarter_of"].format(year=found.group(1), n=found.group(2))


def text_of(value: Any, lang: str) -> str:
    """A note, source or evidence in ``lang``: a text as entered, words of
    :func:`gbvs.reports.core.indicators.words` (several joined with ``; ``) or ``{"nl": .., "en": ..}``."""
    if isinstance(value, list):
        return "; ".join(text_of(part, lang) for part in value)
    if isinstance(value, dict) and "label" in value:
        return _words(value, lang)
    if isinstance(value, dict) and "number" in value:
        return with_decimals(value["number"], value["decimals"], lang)
    if isinstance(value, dict):
        return str(value[lang])
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value, lang)
    return "" if value is None else str(value)


def _words(part: dict[str, Any], lang: str) -> str:
    label = part["label"]
    if "count" in part:
        label = f"{label}_{Locale.parse(babel_locale(lang)).plural_form(part['count'])}"
    template = labels(lang)[label]
    return template.format(**{key: _word_value(item, lang) for key, item in part["values"].items()})


def _word_value(item: Any, lang: str) -> str:
    """A value filled into a note's words: an ISO day written out (``6 december 2026``, :func:`when`),
    anything else as :func:`text_of` writes it."""
    return when(item, lang) if isinstance(item, str) else text_of(item, lang)


def day(value: Any, lang: str) -> str:
    """The day of an ISO date or timestamp written out in ``lang`` (``5 december 2026``)."""
    return format_date(date.fromisoformat(str(value)[:10]), format="long", locale=babel_locale(lang))


ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def when(value: Any, lang: str) -> str:
    """A recorded vintage, cutoff or day: an ISO day written out in ``lang`` (``5 februari 2019``, as
    :func:`day`), anything else (a year, ``ucdp=2025``) as recorded, an en dash for none."""
    text = _given(value)
    return day(text, lang) if ISO_DAY.match(text) else text


def with_period(value: float | None, period: Any, lang: str, unit: str = "") -> str:
    """``value`` in the language's notation, its ``unit`` (not after a missing value) and the period it
    is for in brackets (none without one): "10 aanvragen (2019)"."""
    text = number(value, lang)
    if unit and value is not None:
        text = f"{text} {unit}"
    return f"{text} ({period})" if period else text


SourceNames = Callable[[str, str], str]
"""A stored provenance text (a dataset's title, a panel's description, a version note) in a language,
from ``(text, lang)``. Sources and panels record them once, in English; their Dutch lives with the
pages' message catalogues (``gbvs.web.sourcetexts``), a layer above the report, so the edge that
writes the report passes this in (as :data:`GoalNames`)."""


def source_as_stored(text: str, lang: str) -> str:
    """A provenance text as the source recorded it."""
    return text


def footnote_text(note: dict[str, Any], lang: str, source_names: SourceNames = source_as_stored) -> str:
    """One footnote in ``lang``: source, table, version, vintage, and model version and cutoff when
    present; a source's own (English) title and version note in ``lang`` through ``source_names``."""
    t = labels(lang)
    source, version = note["source"], note.get("version")
    named = source_names(source, lang) if isinstance(source, str) else text_of(source, lang)
    parts = [
        f"{named} ({note['table']})",
        f"{t['version']} {_given(source_names(version, lang) if isinstance(version, str) else version)}",
        f"{t['vintage']} {when(note.get('vintage'), lang)}",
    ]
    if note.get("model_version"):
        parts.append(f"{t['model_version']} {note['model_version']}")
        parts.append(f"{t['training_cutoff']} {cutoff(note.get('training_cutoff'), lang)}")
    if note.get("evidence"):
        parts.append(f"{t['evidence']}: {text_of(note['evidence'], lang)}")
    return "; ".join(parts)


def cutoff(value: Any, lang: str) -> str:
    """A model's training cutoff in ``lang`` (a rolling backtest has none: each year its own)."""
    return when(value, lang) if value else labels(lang)["rolling_origin"]


def _given(value: Any) -> str:
    """A recorded value, or an en dash for none (a record may hold "-" for none)."""
    return "–" if value in (None, "", "-") else str(value)


@dataclass
class Footnotes:
    """Numbered footnotes, each distinct text once."""

    texts: list[str] = field(default_factory=list)
    source_names: SourceNames = source_as_stored

    def ref(self, note: dict[str, Any], lang: str) -> int:
        """The footnote number of ``note`` written in ``lang``."""
        return self.number_of(footnote_text(note, lang, self.source_names))

    def number_of(self, text: str) -> int:
        """The footnote number of ``text`` (added when new)."""
        if text not in self.texts:
            self.texts.append(text)
        return self.texts.index(text) + 1


def _environment(templates: Path | None) -> Environment:
    loaders: list[Any] = [PackageLoader("gbvs.reports", "templates")]
    if templates is not None:
        loaders.insert(0, FileSystemLoader(str(templates)))
    return Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(["html", "j2"]))


TEMPLATE_MISTAKES = (TemplateError, UnicodeDecodeError, TypeError, ValueError, AttributeError, KeyError)
"""What an adjusted template that cannot be read or rendered raises (Jinja's errors, an expression
that fails on the report's values, a file not in UTF-8)."""


@contextmanager
def _adjusted(templates: Path | None) -> Iterator[None]:
    """Rendering with the coordinator's adjusted ``templates``: their mistake is an InputError naming the
    folder, the file and line when known, and the fix; without them an error stays GBVS's own."""
    try:
        yield
    except TEMPLATE_MISTAKES as exc:
        if templates is None:
            raise
        where = (
            f" ({Path(exc.filename or '').name}, line {exc.lineno})"
            if isinstance(exc, TemplateSyntaxError)
            else ""
        )
        raise InputError(
            said(
                "adjusted report template in %(folder)s: %(problem)s%(where)s; correct it, or remove the "
                "file from that folder to use the shipped template",
                folder=str(templates)[:200],
                problem=f"{type(exc).__name__}: {exc}"[:300],
                where=where,
            )
        ) from None


def _chart(ind: dict[str, Any], t: dict[str, str], lang: str) -> str:
    record, verdict = ind["record"], ind["assessment"]
    name = record["name_en"] if lang == "en" and record["name_en"] else record["name"]
    return line_chart(
        f"chart-{record['key']}",
        ind["points"],
        title=name,
        description=t["chart_desc"],
        baseline=verdict["baseline"],
        target=record.get("target_value"),
        labels={"baseline": t["baseline"], "target": t["target"]},
        number=lambda value: number(value, lang),
    )


def context_notes(out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    backtest = [backtest_footnote(out["context"].get("backtest_run") or {})]
    signals = [signals_footnote("signal", out["period"])]
    notes = {"backtest": backtest, "signals": signals}
    watch = (out["context"].get("watchlist") or {}).get("run")
    if watch:
        notes["watchlist"] = [
            {
                "source": words("source_watchlist"),
                "table": "forecasts",
                "version": watch["run_id"],
                "vintage": watch["data_vintage"],
                "model_version": watch["model_version"],
                "training_cutoff": watch["training_cutoff"],
            }
        ]
    return notes


def driver_source(indicator: dict[str, Any]) -> dict[str, Any]:
    """The footnote of a driver-monitor indicator: its source table's title, version and vintage."""
    source = indicator["source"]
    return {
        "source": source["title"],
        "table": source["table"],
        "version": source["version"],
        "vintage": source["vintage"],
    }


def percent(value: float | None, lang: str) -> str:
    """A probability (0-1) as a percentage with one decimal in the language's notation."""
    if value is None:
        return "–"
    text = format_decimal(100 * value, format="0.0", locale=babel_locale(lang))
    return f"{text}%"


def risk_svg(risk: dict[str, Any], t: dict[str, str], lang: str) -> str:
    """The threat assessment's risk diagram (the SVG of :mod:`gbvs.assessments.diagram`) of the
    published scenarios; the ``needs_review`` marking is in its description."""
    points = [
        DiagramPoint(
            p["number"],
            p["key"],
            p["label"][lang],
            p["threat"],
            Spread(**p["likelihood"]),
            Spread(**p["impact"]),
        )
        for p in risk["points"]
    ]
    review = f" {t['needs_review_label']}: {t['needs_review_short']}." if risk["needs_review"] else ""
    return risk_diagram_svg(
        points,
        title=f"{t['risk_heading']}: {risk['method']['name'][lang]}",
        description=t["risk_desc"] + review,
        axis_labels=(t["axis_likelihood"], t["axis_impact"]),
        likelihood_ticks={float(v): str(c) for v, c in risk["likelihood_ticks"]},
        impact_ticks={float(v): str(c) for v, c in risk["impact_ticks"]},
    )


GoalNames = Callable[[str, str], str]
"""A backtest goal's name in a language, from ``(goal, lang)``. The forecasting module stores goals in
English ("incidence h1, all rows: ap"); their names in the reader's language live with the pages'
message catalogues, a layer above the report, so the edge that writes the report passes this in."""


def freeze_lines(out: dict[str, Any], lang: str) -> list[str]:
    """What the report says about how it was frozen: the version it replaces and why, or why it was
    frozen before the period's end (nothing for a report frozen once after its period)."""
    t = labels(lang)
    info = out.get("freeze") or {}
    lines = []
    if info.get("supersedes"):
        supersedes = info["supersedes"]
        lines.append(t["supersedes"].format(hash=supersedes["content_hash"], reason=supersedes["reason"]))
    if info.get("early"):
        early = info["early"]
        end = day(out["period"]["end"], lang)
        frozen_on = day(early["frozen_on"], lang)
        lines.append(t["frozen_early"].format(day=frozen_on, end=end, reason=early["reason"]))
    return lines


@dataclass(frozen=True)
class PostscriptText:
    """The errata beside a frozen report in one language, for every format (:func:`postscript_text`):
    the line under the title, the part's heading and introduction, the table of corrected values and
    the known faults."""

    cover: str
    heading: str
    intro: str
    caption: str
    header: list[str]
    rows: list[list[str]]
    note: str
    faults_heading: str
    faults: list[str]


def postscript_text(
    postscript: Postscript, content_hash: str, lang: str, written_on: date | None = None
) -> PostscriptText | None:
    """The errata of ``postscript`` in ``lang`` (None when there are none); ``written_on``: the day the
    file is written (today)."""
    if not postscript:
        return None
    t = labels(lang)
    rows = [
        [
            c.name_in(lang),
            c.period,
            number(c.published, lang),
            t["errata_not_public"] if c.value is None else number(c.value, lang),
            day(c.corrected_on, lang),
            c.organisation,
            "–" if c.reason is None else c.reason,
        ]
        for c in postscript.corrections
    ]
    return PostscriptText(
        cover=t["errata_cover"],
        heading=t["errata_heading"],
        intro=t["errata_intro"].format(day=day(written_on or date.today(), lang), hash=content_hash),
        caption=t["errata_corrections"],
        header=[
            t[f"errata_{key}"]
            for key in ("indicator", "year", "published", "corrected", "recorded_on", "by", "reason")
        ],
        rows=rows,
        note=t["errata_corrections_note"],
        faults_heading=t["errata_faults"],
        faults=[fault.text(lang) for fault in postscript.faults],
    )


POSTSCRIPT_TEMPLATE = "postscript.html.j2"
"""The errata part of the HTML report, added to the page as rendered (also to a coordinator's own
``report.html.j2``), so no file of a corrected report goes out without it."""


def with_postscript(html: str, text: PostscriptText | None, templates: Path | None = None) -> str:
    """``html`` (the report as frozen) with the errata part before its page footer (or at the end of its
    body); unchanged without errata."""
    if text is None:
        return html
    with _adjusted(templates):
        part = _environment(templates).get_template(POSTSCRIPT_TEMPLATE).render(p=text)
    for marker in ('<footer class="page">', "</body>"):
        if marker in html:
            head, _, tail = html.rpartition(marker)
            return f"{head}{part}{marker}{tail}"
    return html + part


def goal_as_stored(goal: str, lang: str) -> str:
    """A backtest goal as the forecasting module stored it (English)."""
    return goal


def render_html(
    out: dict[str, Any],
    content_hash: str,
    lang: str = "nl",
    *,
    frozen: bool = False,
    templates: Path | None = None,
    goal_names: GoalNames = goal_as_stored,
    source_names: SourceNames = source_as_stored,
    postscript: Postscript | None = None,
) -> str:
    """The report as one self-contained HTML page (``goal_names``: see :data:`GoalNames`,
    ``source_names``: :data:`SourceNames`); ``postscript``: the errata said beside a frozen report, as
    a separate part at the end (:func:`with_postscript`)."""
    t = labels(lang)
    notes = Footnotes(source_names=source_names)
    notes_of_context = context_notes(out)
    errata = postscript_text(postscript or Postscript(), content_hash, lang)

    def refs(items: list[dict[str, Any]]) -> Markup:
        numbers = [notes.ref(n, lang) for n in items]
        return Markup(
            "".join(
                f'<sup><a href="#fn-{n}" aria-label="{t["footnote"]} {n}">[{n}]</a></sup>' for n in numbers
            )
        )

    functions: dict[str, Callable[..., Any]] = {
        "num": lambda v, signed=False: number(v, lang, signed=signed),
        "with_period": lambda v, period, unit="": with_period(v, period, lang, unit),
        "note": lambda value: text_of(value, lang),
        "kind_name": lambda kind: kind_name(kind, lang),
        "unit_name": lambda unit: unit_name(unit, lang),
        "unit_of": lambda indicator: unit_in(indicator, lang),
        "day": lambda value: day(value, lang),
        "quarter": lambda key: quarter(str(key), lang),
        "when": lambda value: when(value, lang),
        "cutoff": lambda value: cutoff(value, lang),
        "threshold": lambda target: goal_target(str(target), lambda v: number(v, lang)),
        "goal_name": lambda goal: goal_names(str(goal), lang),
        "source_name": lambda text: source_names(text, lang),
        "goal_figure": lambda value: goal_figure(value, lang),
        "notes": lambda ind: refs(ind["footnotes"]),
        "context_note": lambda kind: refs(notes_of_context[kind]),
        "chart": lambda ind: _chart(ind, t, lang),
        "driver_note": lambda ind: refs([driver_source(ind)]),
        "pct": lambda v: percent(v, lang),
        "code": code_of,
        "risk_svg": lambda risk: risk_svg(risk, t, lang),
    }
    with _adjusted(templates):
        template = _environment(templates).get_template("report.html.j2")
        # footnotes are numbered while the body renders; render once to number them, then with the list
        template.render(
            out=out,
            t=t,
            lang=lang,
            content_hash=content_hash,
            frozen=frozen,
            footnote_list=[],
            max_signals=MAX_SIGNALS,
            freeze_lines=freeze_lines(out, lang),
            errata_cover=errata.cover if errata else None,
            **functions,
        )
        listed = list(notes.texts)
        notes.texts.clear()
        page = template.render(
            out=out,
            t=t,
            lang=lang,
            content_hash=content_hash,
            frozen=frozen,
            footnote_list=listed,
            max_signals=MAX_SIGNALS,
            freeze_lines=freeze_lines(out, lang),
            errata_cover=errata.cover if errata else None,
            **functions,
        )
    return with_postscript(page, errata, templates)


def risk_png(risk: dict[str, Any], t: dict[str, str], lang: str) -> bytes | None:
    """The same risk diagram as a PNG for the DOCX (Word does not take the SVG): WeasyPrint draws the SVG
    on a page of its size and PDFium rasterises it; None when there is nothing to draw."""
    if not risk.get("points"):
        return None
    import pypdfium2
    from weasyprint import HTML

    page = (
        f"<html><head><style>@page {{ size: {DIAGRAM_SIZE[0]}px {DIAGRAM_SIZE[1]}px; margin: 0 }} "
        f"body {{ margin: 0 }} svg {{ width: {DIAGRAM_SIZE[0]}px; height: {DIAGRAM_SIZE[1]}px }}</style>"
        f"</head><body>{risk_svg(risk, t, lang)}</body></html>"
    )
    document = pypdfium2.PdfDocument(HTML(string=page).write_pdf())
    try:
        image = document[0].render(scale=2).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
    finally:
        document.close()
    return buffer.getvalue()


def render_pdf(html: str) -> bytes:
    """The HTML report as a tagged PDF (PDF/UA-1, text extractable), via WeasyPrint."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return pdf
