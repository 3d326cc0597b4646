"""The PDF and the DOCX say what the HTML report says, and each file says what it is.

A small report computed from recorded inputs (a corrected reported value, a ministry's text, public
signals in two quarters, a watchlist run, a replaced version) is rendered in the three formats; every
text of the HTML report (its header and body, not the contents list, the charts or the page footer)
must be in the DOCX and in the PDF's text. The DOCX also carries its language and no tool's or
person's name in its properties.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pypdf
import pytest
from docx import Document
from docx.table import Table

from gbvs.reports.docx_render import render_docx
from gbvs.reports.render import labels, render_html, render_pdf
from reports.test_report_words import HASH, WATCH_RUN, _record, _reported, inputs, outputs

SKIPPED = {"nav", "svg", "figure", "style", "title"}
"""HTML parts with no counterpart in the DOCX: the contents list, the charts (the DOCX gives their
tables), the styles and the page's title (the DOCX keeps it in its properties)."""
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "dt", "dd", "th", "td", "caption", "footer", "blockquote"}


class _Texts(HTMLParser):
    """The texts of the HTML report's header and body, one per block or table cell."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = [""]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED or (tag == "footer" and ("class", "page") in attrs):
            self.skipping += 1
        if tag in BLOCKS or ("class", "tag") in attrs:  # an indicator's kind, "(berekend)" in the DOCX
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED or (tag == "footer" and self.skipping):
            self.skipping = max(0, self.skipping - 1)
        if tag in BLOCKS or tag == "span":
            self.texts.append("")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.texts[-1] += data


def html_texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return [" ".join(text.split()) for text in parser.texts if text.strip()]


def docx_text(data: bytes) -> str:
    """The DOCX's paragraphs and table cells in document order."""
    parts = []
    for item in Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(item, Table):
            parts += [cell.text for row in item.rows for cell in row.cells]
        else:
            parts.append(item.text)
    return " ".join(" ".join(parts).split())


def _report() -> dict[str, Any]:
    """A report of 2018-2019 with a value corrected after it was entered, a ministry's text, three
    public signals in two quarters, a watchlist run without rows and a version it replaces."""
    programmes = _record("programmes", "reported", baseline_year=2017, target_value=5.0, target_year=2022)
    wrong = {**_reported("programmes", "2018", 1234.5678), "id": 1}
    corrected = {
        **_reported("programmes", "2018", 12.25),
        "id": 2,
        "measured_on": "2019-02-05",
        "correction": {"corrects": 1, "reason": "telfout"},
    }
    signal = {"kind": "disinformation", "owner": "BZ"}
    recorded = inputs(
        indicators=[programmes],
        reported_values=[_reported("programmes", "2017", 3.0), wrong, corrected],
        contributions=[
            {"goal": 1, "organisation": "BZ", "version": 2, "text": "Tekst van BZ", "author": "jan.jansen"}
        ],
        signals=[
            {**signal, "id": 1, "title": "Signaal een", "day": "2018-08-01"},
            {**signal, "id": 2, "title": "Signaal twee", "day": "2019-02-01"},
            {**signal, "id": 3, "title": "Signaal drie", "day": "2019-03-01"},
        ],
        watchlist={"run": WATCH_RUN, "rows": [], "target": "incidence", "horizon": 1},
        freeze={"supersedes": {"content_hash": "sha256:old", "reason": "telfout in 2018"}},
    )
    return outputs(recorded)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("frozen", [False, True])
def test_the_docx_says_what_the_html_says(lang: str, frozen: bool) -> None:
    out = _report()
    texts = html_texts(render_html(out, HASH, lang, frozen=frozen))
    docx = docx_text(render_docx(out, HASH, lang, frozen=frozen))
    missing = [text for text in texts if text not in docx]
    assert not missing, f"in the HTML report ({lang}) but not in the DOCX: {missing}"
    assert labels(lang)["status_frozen" if frozen else "status_draft"] in docx


def test_the_pdf_says_what_the_html_says() -> None:
    html = render_html(_report(), HASH, "nl")
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(html)))
    text = "".join("".join(page.extract_text() for page in pdf.pages).split())  # lines break anywhere
    missing = [t for t in html_texts(html) if "".join(t.split()) not in text]
    assert not missing, f"in the HTML report but not in the PDF: {missing}"


def test_days_in_footnotes_and_the_signal_list_are_written_out_in_the_language() -> None:
    out = _report()
    for lang, measured, signal in (
        ("nl", "5 februari 2019", "1 augustus 2018"),
        ("en", "5 February 2019", "1 August 2018"),
    ):
        for name, text in (
            ("html", " ".join(html_texts(render_html(out, HASH, lang)))),
            ("docx", docx_text(render_docx(out, HASH, lang))),
        ):
            assert measured in text and signal in text, f"{name} ({lang})"
            assert "2019-02-05" not in text and "2018-08-01" not in text, f"{name} ({lang}): an ISO day"


def _docx_part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


@pytest.mark.parametrize(("lang", "tag"), [("nl", "nl-NL"), ("en", "en-GB")])
def test_the_docx_is_written_in_its_language(lang: str, tag: str) -> None:
    data = render_docx(_report(), HASH, lang)
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", _docx_part(data, "word/styles.xml"), re.S)
    assert defaults is not None and f'<w:lang w:val="{tag}"' in defaults.group(0), "screen readers, spelling"
    assert Document(io.BytesIO(data)).core_properties.language == tag


def test_the_docx_names_no_tool_person_or_day_that_is_not_its_own() -> None:
    data = render_docx(_report(), HASH, "nl")
    properties = Document(io.BytesIO(data)).core_properties
    assert properties.author == "GBVS" and not properties.last_modified_by
    assert properties.comments == f"{labels('nl')['content_hash']}: {HASH}"
    assert properties.created is not None and properties.created.date() == datetime.now(UTC).date()
    assert "python-docx" not in _docx_part(data, "docProps/core.xml")
    assert "docProps/thumbnail.jpeg" not in zipfile.ZipFile(io.BytesIO(data)).namelist(), (
        "another file's image"
    )


def test_every_docx_table_marks_its_header_row() -> None:
    """Screen readers announce a cell with its column's header only when Word knows the header row (and
    Word repeats it on each page), as the HTML's ``<th scope="col">``."""
    document = Document(io.BytesIO(render_docx(_report(), HASH, "nl")))
    assert document.tables
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.xpath("./w:trPr/w:tblHeader"), [cell.text for cell in table.rows[0].cells]


def test_the_docx_names_gbvs_as_its_application() -> None:
    """The template's extended properties named "Microsoft Macintosh Word", one page and no words."""
    app = _docx_part(render_docx(_report(), HASH, "nl"), "docProps/app.xml")
    assert "<Application>GBVS</Application>" in app and "Microsoft" not in app and "<Pages>" not in app


@pytest.mark.parametrize(
    ("lang", "quarters", "total"),
    [("nl", ("3e kwartaal 2018", "1e kwartaal 2019"), "1.234"), ("en", ("Q3 2018", "Q1 2019"), "1,234")],
)
def test_signal_counts_and_quarters_are_written_in_the_language(
    lang: str, quarters: tuple[str, ...], total: str
) -> None:
    out = _report()
    out["context"]["signals"]["total"] = 1234
    for name, text in (
        ("html", " ".join(html_texts(render_html(out, HASH, lang)))),
        ("docx", docx_text(render_docx(out, HASH, lang))),
    ):
        assert all(q in text for q in quarters) and "2019-Q1" not in text, f"{name} ({lang})"
        assert f": {total}" in text, f"{name} ({lang}): the total with the language's thousands separator"
