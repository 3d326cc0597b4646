"""The report's words and numbers in the language it is built in, the same in HTML and DOCX.

The report is computed from recorded inputs alone (no database), then rendered.
"""

from __future__ import annotations

import io
import json
from typing import Any

from docx import Document

from gbvs.reports.core.hashing import canonical_json
from gbvs.reports.core.outputs import compute
from gbvs.reports.docx_render import render_docx
from gbvs.reports.render import render_html

HASH = "sha256:test"


def _record(key: str, method: str, **fields: Any) -> dict[str, Any]:
    return {
        "key": key,
        "version": 1,
        "goal": 1,
        "level": "output",
        "method": method,
        "definition": key if method == "computed" else None,
        "name": f"Naam van {key}",
        "name_en": f"Name of {key}",
        "unit": "eenheden",
        "direction": "up",
        "baseline_value": None,
        "baseline_year": None,
        "target_value": None,
        "target_year": None,
        "source": None,
        "owner_organisation": "BZ",
        "author": "root",
        "note": "",
        **fields,
    }


def _reported(key: str, period: str, value: float) -> dict[str, Any]:
    return {
        "id": int(period),
        "indicator_key": key,
        "period": period,
        "value": value,
        "evidence": f"brief {period}",
        "organisation": "BZ",
        "entered_by": "root",
        "measured_on": f"{period}-12-15",
    }


def inputs(**parts: Any) -> dict[str, Any]:
    """Recorded inputs of period 2018-2019 with one goal; ``parts`` replace or add inputs."""
    return {
        "period": {"label": "2018-2019", "start": "2018-01-01", "end": "2019-12-31"},
        "window": {"first_year": 2014, "last_year": 2019},
        "gwcodes": {},
        "goals": [
            {"number": 1, "pillar": "voorkomen", "title": {"nl": "Doel", "en": "Goal"}, "frameworks": []}
        ],
        "pillars": [{"id": "voorkomen", "number": "4.1", "title": {"nl": "Voorkomen", "en": "Prevent"}}],
        "indicators": [],
        "actions": [],
        "reported_values": [],
        "rows": {},
        "signals": [],
        "sources": [],
        **parts,
    }


def outputs(recorded: dict[str, Any]) -> dict[str, Any]:
    """The report's content as a snapshot keeps it (JSON)."""
    result: dict[str, Any] = json.loads(canonical_json(compute(recorded)))
    return result


def docx_text(out: dict[str, Any], lang: str) -> str:
    """Every paragraph and table cell of the DOCX."""
    doc = Document(io.BytesIO(render_docx(out, HASH, lang)))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def html_text(out: dict[str, Any], lang: str) -> str:
    """The HTML page."""
    return render_html(out, HASH, lang)


# --- 1. the DOCX says what the HTML says ------------------------------------------------------------


def test_docx_leaves_out_a_missing_period_and_gives_the_baseline_year_like_the_html() -> None:
    reported = _record("programmes", "reported", baseline_year=2017, target_value=5.0, target_year=2022)
    computed = _record("goal1_alerts_acted_on", "computed", unit="waarschuwingen")
    recorded = inputs(
        indicators=[reported, computed],
        reported_values=[_reported("programmes", "2017", 42042.0), _reported("programmes", "2019", 16922.0)],
        rows={"goal1_alerts_acted_on": []},
    )
    out = outputs(recorded)
    for lang in ("nl", "en"):
        text = docx_text(out, lang)
        assert "None" not in text, f"the DOCX ({lang}) prints Python's None"
        assert "– waarschuwingen" in text, f"no brackets without a period ({lang})"
    nl = docx_text(out, "nl")
    assert "Nulmeting: 42.042 (2017)" in nl and "Streefwaarde: 5 (2022)" in nl
    assert "Waarde in de periode: 16.922 (2019) eenheden" in nl
    html = html_text(out, "nl")
    assert "<dd>42.042 (2017)</dd>" in html and "<dd>– waarschuwingen</dd>" in html
