"""The report as an editable DOCX (python-docx) for the ministries' own process.

Same content and words as the HTML; footnotes are numbered references with the list at the end
(python-docx writes no native footnotes).
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from gbvs.drivers.units import unit_name
from gbvs.forecasting.goals import goal_target
from gbvs.languages import babel_locale
from gbvs.reports.chain import unit_in
from gbvs.reports.core.context import code_of
from gbvs.reports.errata import Postscript
from gbvs.reports.render import (
    MAX_SIGNALS,
    Footnotes,
    GoalNames,
    PostscriptText,
    SourceNames,
    context_notes,
    cutoff,
    day,
    driver_source,
    freeze_lines,
    goal_as_stored,
    goal_figure,
    labels,
    number,
    percent,
    postscript_text,
    quarter,
    risk_png,
    source_as_stored,
    text_of,
    when,
    with_period,
)
from gbvs.signals.model import kind_name

AUTHOR = "GBVS"
"""The DOCX's author: the report names ministries, never the accounts that entered its items."""


def _properties(doc: DocumentType, title: str, comments: str, lang: str) -> None:
    """The file's properties and language: the report's title and hash, GBVS as its author (the
    template's tool name, date and preview image are another file's), and the language of its text
    (for screen readers and the spelling check; the template says American English)."""
    tag = babel_locale(lang).replace("_", "-")
    properties = doc.core_properties
    properties.title, properties.comments, properties.language = title, comments, tag
    properties.author, properties.last_modified_by = AUTHOR, ""
    properties.created = properties.modified = datetime.now(UTC)
    for text_lang in doc.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
        text_lang.set(qn("w:val"), tag)
    package = doc.part.package
    for key, relation in list(package.rels.items()):
        if relation.reltype == RT.THUMBNAIL:
            del package.rels[key]


def _table(doc: DocumentType, header: list[str], rows: list[list[str]], caption: str | None = None) -> None:
    """A table with its header row, after its caption (the HTML's ``<caption>``) when given."""
    if caption:
        doc.add_paragraph(caption, style="Caption")
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # read and repeated as headers
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _indicator(
    doc: DocumentType, ind: dict[str, Any], t: dict[str, str], lang: str, notes: Footnotes
) -> None:
    r, a = ind["record"], ind["assessment"]
    name = r["name_en"] if lang == "en" and r["name_en"] else r["name"]
    kind = t["kind_computed"] if r["method"] == "computed" else t["kind_reported"]
    doc.add_heading(f"{name} ({kind})", level=4)
    if ind.get("definition"):
        doc.add_paragraph(f"{t['definition']}: {ind['definition'][lang]}")
    if ind["status"] == "not_delivered":
        doc.add_paragraph(
            f"{t['value_in_period']}: {t['not_delivered']} ({t['owner']}: {r['owner_organisation']})"
        )
        return
    if ind["status"] == "source_missing":
        doc.add_paragraph(f"{t['value_in_period']}: {t['source_missing']}")
        return
    refs = "".join(f"[{notes.ref(n, lang)}]" for n in ind["footnotes"])
    value = with_period(a["value"], a["value_period"], lang, unit_in(r, lang))
    doc.add_paragraph(f"{t['value_in_period']}: {value}{refs}")
    doc.add_paragraph(f"{t['baseline']}: {with_period(a['baseline'], r['baseline_year'], lang)}")
    doc.add_paragraph(
        f"{t['change']}: {number(a['change'], lang, signed=True)} · {t['verdict_' + a['verdict']]}"
    )
    if ind.get("previous"):
        prev = ind["previous"]
        doc.add_paragraph(
            f"{t['since_previous']} ({prev['label']}): {with_period(prev['value'], prev['period'], lang)} → "
            f"{number(a['value'], lang)}: {number(prev['change'], lang, signed=True)}"
        )
    target = (
        with_period(r["target_value"], r["target_year"], lang)
        if r.get("target_value") is not None
        else t["no_target"]
    )
    doc.add_paragraph(f"{t['target']}: {target}")
    if ind.get("caveats"):
        doc.add_paragraph(f"{t['comparability']}: {text_of(ind['caveats'], lang)}")
    _table(
        doc,
        [t["period_col"], t["value_col"], t["note_col"]],
        [[p["period"], number(p["value"], lang), text_of(p["note"], lang)] for p in ind["points"]],
        f"{t['data_table']}: {name}",
    )


def _goal(doc: DocumentType, goal: dict[str, Any], t: dict[str, str], lang: str, notes: Footnotes) -> None:
    doc.add_heading(f"{t['goal']} {goal['number']}: {goal['title'][lang]}", level=2)
    if goal["frameworks"]:
        doc.add_paragraph(f"{t['frameworks']}: " + ", ".join(f[lang] for f in goal["frameworks"]))
    doc.add_heading(t["actions"], level=3)
    if goal["actions"]:
        _table(
            doc,
            [t["actions"], t["owner"], t["status"]],
            [
                [
                    a["title_en"] if lang == "en" and a["title_en"] else a["title"],
                    a["owner_organisation"],
                    t[f"action_{a['status']}"],
                ]
                for a in goal["actions"]
            ],
        )
    else:
        doc.add_paragraph(t["no_actions"])
    if goal["contributions"]:
        doc.add_heading(t["contributions"], level=3)
    for c in goal["contributions"]:
        doc.add_paragraph(c["text"], style="Quote")
        doc.add_paragraph(f"{c['organisation']} (v{c['version']})")
    doc.add_heading(t["indicators"], level=3)
    if not goal["indicators"]:
        doc.add_paragraph(t["no_indicators"])
    for ind in goal["indicators"]:
        _indicator(doc, ind, t, lang, notes)


def _drivers(
    doc: DocumentType, monitor: dict[str, Any] | None, t: dict[str, str], lang: str, notes: Footnotes
) -> None:
    if not monitor:
        return
    doc.add_heading(t["drivers_heading"], level=2)
    doc.add_paragraph(f"{t['drivers_intro'].format(year=monitor['before_year'])}.")
    for ind in monitor["indicators"]:
        ref = notes.ref(driver_source(ind), lang)
        doc.add_paragraph(f"{ind['label'][lang]} ({unit_name(ind['unit'], lang)})[{ref}]", style="Caption")
        _table(
            doc,
            [
                t["region"],
                t["median_in_period"],
                f"{t['before_period']} ({monitor['before_year']})",
                t["change_col"],
                t["countries_with_data"],
            ],
            [
                [
                    r["name"][lang],
                    t["no_data"] if r["value"] is None else f"{number(r['value'], lang)} ({r['year']})",
                    number(r["before"], lang),
                    number(r["change"], lang, signed=True),
                    f"{r['countries']} / {r['members']}",
                ]
                for r in ind["regions"]
            ],
        )
    if monitor["without_indicator"]:
        doc.add_paragraph(f"{t['drivers_without']}: {', '.join(monitor['without_indicator'])}")


def _context_refs(out: dict[str, Any], part: str, lang: str, notes: Footnotes) -> str:
    """The footnote references of a part of the context chapter (as the HTML cites them)."""
    return "".join(f"[{notes.ref(n, lang)}]" for n in context_notes(out)[part])


def _watchlist(
    doc: DocumentType, out: dict[str, Any], t: dict[str, str], lang: str, notes: Footnotes
) -> None:
    watch = out["context"].get("watchlist")
    if not watch:
        return
    doc.add_heading(t["watchlist_heading"], level=2)
    if not watch["available"]:
        doc.add_paragraph(f"{t['watchlist_none']} ({day(out['period']['end'], lang)}).")
        return
    run = watch["run"]
    refs = _context_refs(out, "watchlist", lang, notes)
    doc.add_paragraph(
        f"{t['watchlist_intro']} {t['model_version']} {run['model_version']}, {t['training_cutoff']} "
        f"{when(run['training_cutoff'], lang)}, {t['made_on']} {day(run['created_at'], lang)}, "
        f"run {run['run_id']}{refs}"
    )
    for part in ("top", "onset"):
        rows = [
            [
                str(r["rank"]),
                r["name"][lang],
                percent(r["p"], lang),
                "–" if r["p_low"] is None else f"{percent(r['p_low'], lang)}–{percent(r['p_high'], lang)}",
            ]
            for r in watch[part]
        ]
        header = [t["rank"], t["country"], t["probability"], t["seed_range"]]
        _table(doc, header, rows or [[t["no_data"], "", "", ""]], t[f"watchlist_{part}"])


def _risk(doc: DocumentType, risk: dict[str, Any] | None, t: dict[str, str], lang: str) -> None:
    if not risk:
        return
    doc.add_heading(t["risk_heading"], level=2)
    if not risk["available"]:
        doc.add_paragraph(t["risk_none"])
        return
    doc.add_paragraph(
        f"{t['risk_intro']} {risk['method']['name'][lang]} ({t['version']} {risk['method']['version']}), "
        f"{t['weight_set']}: {risk['weight_set']['name'][lang]}."
    )
    if risk["needs_review"]:
        doc.add_paragraph(
            f"{t['needs_review_label']}: {t['needs_review_note']} {risk['unconfirmed_names'][lang]}"
        )
    picture = risk_png(risk, t, lang)
    if picture is not None:
        doc.add_picture(io.BytesIO(picture), width=Cm(16))
        doc.paragraphs[-1].runs[-1]._r.xpath("./w:drawing/wp:inline/wp:docPr")[0].set("descr", t["risk_desc"])
    ticks_l, code = risk["likelihood_ticks"], code_of
    _table(
        doc,
        [t["number"], t["scenario"], t["threat"], t["likelihood"], t["impact"], t["analysts"]],
        [
            [
                str(p["number"]),
                p["label"][lang],
                str(p["threat"] or "–"),
                f"{code(p['likelihood']['median'], ticks_l)} ({code(p['likelihood']['low'], ticks_l)}–"
                f"{code(p['likelihood']['high'], ticks_l)})",
                f"{number(p['impact']['median'], lang)} ({number(p['impact']['low'], lang)}–"
                f"{number(p['impact']['high'], lang)})",
                str(p["likelihood"]["count"]),
            ]
            for p in risk["points"]
        ],
        f"{t['data_table']}: {t['risk_heading']}",
    )


def _context(
    doc: DocumentType,
    out: dict[str, Any],
    t: dict[str, str],
    lang: str,
    notes: Footnotes,
    goal_names: GoalNames,
) -> None:
    doc.add_heading(t["context_heading"], level=1)
    doc.add_paragraph(t["context_intro"])
    doc.add_heading(t["backtest_heading"], level=2)
    run = out["context"].get("backtest_run")
    if run:
        doc.add_paragraph(
            f"{t['model_version']} {run['model_version']}, "
            f"{t['training_cutoff']} {cutoff(run['training_cutoff'], lang)}, run {run['run_id']}"
            f"{_context_refs(out, 'backtest', lang, notes)}"
        )
        _table(
            doc,
            [t["measure"], t["value_col"], t["target"], t["met"]],
            [
                [
                    goal_names(str(g["goal"]), lang),
                    goal_figure(g["value"], lang),
                    goal_target(str(g["target"]), lambda v: number(v, lang)),
                    t["answer_yes"] if g["met"] else t["answer_no"],
                ]
                for g in out["context"]["backtest_goals"]
            ],
            t["backtest_heading"],
        )
    else:
        doc.add_paragraph(t["no_backtest"])
    _drivers(doc, out["context"].get("drivers"), t, lang, notes)
    _watchlist(doc, out, t, lang, notes)
    _risk(doc, out["context"].get("risk"), t, lang)
    signals = out["context"]["signals"]
    doc.add_heading(t["signals_heading"], level=2)
    total = number(signals["total"], lang)
    doc.add_paragraph(f"{t['signals_total']}: {total}{_context_refs(out, 'signals', lang, notes)}")
    if signals["total"]:
        _signal_tables(doc, out["context"], t, lang)
    doc.add_heading(t["sources_heading"], level=2)
    _table(
        doc,
        [t["source"], t["version"], t["vintage"]],
        [
            [
                f"{notes.source_names(s['title'], lang)} ({s['table']})",
                notes.source_names(str(s["version"]), lang),
                when(s["vintage"], lang),
            ]
            for s in out["context"]["sources"]
        ],
        t["sources_heading"],
    )


def _signal_tables(doc: DocumentType, context: dict[str, Any], t: dict[str, str], lang: str) -> None:
    """The public signals by kind and by quarter, and the list (as many as the HTML lists)."""
    signals = context["signals"]
    kinds = [[kind_name(k, lang), number(n, lang)] for k, n in signals["by_kind"].items()]
    _table(doc, [t["kind"], t["count"]], kinds, f"{t['signals_heading']}: {t['kind']}")
    quarters = [[quarter(q, lang), number(n, lang)] for q, n in signals["by_quarter"].items()]
    _table(doc, [t["quarter"], t["count"]], quarters, f"{t['signals_heading']}: {t['quarter']}")
    _table(
        doc,
        [t["date"], t["title_col"], t["kind"], t["signal_owner"]],
        [
            [day(s["day"], lang), s["title"], kind_name(s["kind"], lang), s["owner"]]
            for s in context["public_signals"][:MAX_SIGNALS]
        ],
        t["signal_list"],
    )


def _postscript(doc: DocumentType, errata: PostscriptText) -> None:
    """The errata part on a page of its own, after the report (as the HTML's ``postscript.html.j2``)."""
    doc.add_page_break()
    doc.add_heading(errata.heading, level=1)
    doc.add_paragraph(errata.intro)
    if errata.rows:
        _table(doc, errata.header, errata.rows, errata.caption)
        doc.add_paragraph(errata.note)
    if errata.faults:
        doc.add_heading(errata.faults_heading, level=2)
    for text in errata.faults:
        doc.add_paragraph(text)


def render_docx(
    out: dict[str, Any],
    content_hash: str,
    lang: str = "nl",
    goal_names: GoalNames = goal_as_stored,
    source_names: SourceNames = source_as_stored,
    *,
    frozen: bool = False,
    postscript: Postscript | None = None,
) -> bytes:
    """The report as DOCX bytes (``goal_names``, ``source_names``: see :mod:`gbvs.reports.render`);
    ``frozen``: the period's frozen snapshot (else a draft built from the current records);
    ``postscript``: the errata said beside it, as a separate part at the end."""
    t = labels(lang)
    errata = postscript_text(postscript or Postscript(), content_hash, lang)
    notes = Footnotes(source_names=source_names)
    doc = Document()
    _properties(doc, f"{t['title']} {out['period']['label']}", f"{t['content_hash']}: {content_hash}", lang)
    status = t["status_frozen"] if frozen else t["status_draft"]
    doc.add_paragraph(f"{t['period']} {out['period']['label']} · {status}")
    doc.add_heading(f"{t['title']} {out['period']['label']}", level=0)
    doc.add_paragraph(f"{t['content_hash']}: {content_hash}")
    for line in freeze_lines(out, lang):
        doc.add_paragraph(line)
    if errata:
        doc.add_paragraph(errata.cover)
    doc.add_paragraph(t["public_note"])
    doc.add_heading(t["intro_heading"], level=1)
    doc.add_paragraph(t["intro"])
    for pillar in out["pillars"]:
        doc.add_heading(
            t["pillar_named"].format(name=pillar["title"][lang], number=pillar["number"]), level=1
        )
        for goal in out["goals"]:
            if goal["pillar"] == pillar["id"]:
                _goal(doc, goal, t, lang, notes)
    _context(doc, out, t, lang, notes, goal_names)
    doc.add_heading(t["footnotes"], level=1)
    for index, text in enumerate(notes.texts, start=1):
        doc.add_paragraph(f"[{index}] {text}")
    if errata:
        _postscript(doc, errata)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _with_own_application(buffer.getvalue())


APPLICATION = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    f"<Application>{AUTHOR}</Application></Properties>"
)
"""The file's extended properties: the template's say "Microsoft Macintosh Word", one page and no words
(another file's); python-docx gives no access to them, so the part is written anew."""


def _with_own_application(data: bytes) -> bytes:
    """``data`` (a DOCX) with :data:`APPLICATION` as its ``docProps/app.xml``."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = APPLICATION.encode() if item.filename == "docProps/app.xml" else source.read(item)
            target.writestr(item, content)
    return buffer.getvalue()
