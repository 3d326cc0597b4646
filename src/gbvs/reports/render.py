"""The report as accessible HTML (Jinja2 templates), PDF (WeasyPrint, PDF/UA) and editable DOCX.

Templates live in ``gbvs/reports/templates``; the coordinator may adjust them by copying them into a
folder and passing it as ``templates`` (files found there win). The words come from ``labels.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from babel.numbers import format_decimal
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape
from markupsafe import Markup

from gbvs.reports.core.charts import line_chart

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
    text = format_decimal(value, format=pattern, locale="nl_NL" if lang == "nl" else "en_GB")
    return f"+{text}" if signed and value > 0 else text


def footnote_text(note: dict[str, Any], t: dict[str, str]) -> str:
    """One footnote: source, table, version, vintage, and model version and cutoff when present."""
    parts = [
        f"{note['source']} ({note['table']})",
        f"{t['version']} {note.get('version') or '-'}",
        f"{t['vintage']} {note.get('vintage') or '-'}",
    ]
    if note.get("model_version"):
        parts.append(f"{t['model_version']} {note['model_version']}")
    if note.get("model_version"):
        parts.append(f"{t['training_cutoff']} {note.get('training_cutoff') or t['rolling_origin']}")
    if note.get("evidence"):
        parts.append(f"{t['evidence']}: {note['evidence']}")
    return "; ".join(parts)


@dataclass
class Footnotes:
    """Numbered footnotes, each distinct text once."""

    texts: list[str] = field(default_factory=list)

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
    )


def _context_notes(out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    run = out["context"].get("backtest_run") or {}
    backtest = [
        {
            "source": "GBVS rolling-origin backtest",
            "table": "backtest_reports",
            "version": run.get("run_id"),
            "vintage": run.get("data_vintage"),
            "model_version": run.get("model_version"),
            "training_cutoff": run.get("training_cutoff"),
        }
    ]
    signals = [
        {
            "source": "GBVS signalenregister / signals register",
            "table": "signal",
            "version": "-",
            "vintage": out["period"]["end"],
        }
    ]
    return {"backtest": backtest, "signals": signals}


def render_html(
    out: dict[str, Any],
    content_hash: str,
    lang: str = "nl",
    *,
    frozen: bool = False,
    templates: Path | None = None,
) -> str:
    """The report as one self-contained HTML page."""
    t = labels(lang)
    notes = Footnotes()
    context_notes = _context_notes(out)

    def refs(items: list[dict[str, Any]]) -> Markup:
        numbers = [notes.number_of(footnote_text(n, t)) for n in items]
        return Markup(
            "".join(
                f'<sup><a href="#fn-{n}" aria-label="{t["footnotes"]} {n}">[{n}]</a></sup>' for n in numbers
            )
        )

    functions: dict[str, Callable[..., Any]] = {
        "num": lambda v, signed=False: number(v, lang, signed=signed),
        "notes": lambda ind: refs(ind["footnotes"]),
        "context_note": lambda kind: refs(context_notes[kind]),
        "chart": lambda ind: _chart(ind, t, lang),
    }
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
        **functions,
    )
    listed = list(notes.texts)
    notes.texts.clear()
    return template.render(
        out=out,
        t=t,
        lang=lang,
        content_hash=content_hash,
        frozen=frozen,
        footnote_list=listed,
        max_signals=MAX_SIGNALS,
        **functions,
    )


def render_pdf(html: str) -> bytes:
    """The HTML report as a tagged PDF (PDF/UA-1, text extractable), via WeasyPrint."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return pdf
