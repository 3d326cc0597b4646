"""Plain views of the report for the API and the pages: periods, indicator rows, one indicator."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from gbvs.config import Settings
from gbvs.errors import NotFoundError, said
from gbvs.reports import records, service
from gbvs.reports.build import Built
from gbvs.reports.postscript import corrections_since
from gbvs.reports.render import SourceNames, footnote_text, source_as_stored
from gbvs.security.principal import Principal

INDICATOR_COLUMNS = (
    "key",
    "version",
    "goal",
    "name",
    "name_en",
    "method",
    "level",
    "unit",
    "direction",
    "status",
    "value",
    "value_period",
    "baseline",
    "baseline_year",
    "change",
    "verdict",
    "target_value",
    "target_year",
    "owner_organisation",
)


def period_rows(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """Every period with its status and the hash of its newest frozen snapshot (None while open)."""
    rows = []
    for row in records.periods(session, principal):
        frozen = records.latest_snapshot(session, principal, row)
        rows.append(
            {
                "label": row.label,
                "status": row.status.value,
                "starts_on": row.starts_on.isoformat(),
                "ends_on": row.ends_on.isoformat(),
                "content_hash": frozen.content_hash if frozen else None,
            }
        )
    return rows


def indicators_of(built: Built) -> list[dict[str, Any]]:
    """Every indicator of a built report as a flat row (the CSV columns of :data:`INDICATOR_COLUMNS`)."""
    rows = []
    for goal in built.outputs["goals"]:
        for ind in goal["indicators"]:
            record, verdict = ind["record"], ind["assessment"]
            rows.append(
                {
                    **{k: record.get(k) for k in INDICATOR_COLUMNS if k in record},
                    "status": ind["status"],
                    "value": verdict["value"],
                    "value_period": verdict["value_period"],
                    "baseline": verdict["baseline"],
                    "change": verdict["change"],
                    "verdict": verdict["verdict"],
                    "not_comparable_waves": not_comparable_waves(ind),
                }
            )
    return rows


def indicator_provenance(
    built: Built, lang: str, source_names: SourceNames = source_as_stored
) -> dict[str, str]:
    """Each indicator's footnotes as one text, by key: source, table, version and vintage, and model
    version and training cutoff for a forecast (:func:`gbvs.reports.render.footnote_text`, in ``lang``)."""
    return {
        ind["record"]["key"]: " | ".join(footnote_text(note, lang, source_names) for note in ind["footnotes"])
        for goal in built.outputs["goals"]
        for ind in goal["indicators"]
    }


def not_comparable_waves(ind: dict[str, Any]) -> str | None:
    """The years of the waves in the window that are not (known to be) comparable with the indicator's
    other waves, from its row's caveats (``"1996"``); None when there are none."""
    years = [str(caveat["values"]["year"]) for caveat in ind.get("caveats") or []]
    return ", ".join(years) or None


def indicator_detail(built: Built, key: str) -> dict[str, Any]:
    """One indicator of a built report with its points and footnotes (NotFoundError naming the keys)."""
    found = [ind for goal in built.outputs["goals"] for ind in goal["indicators"]]
    for ind in found:
        if ind["record"]["key"] == key:
            return ind
    raise NotFoundError(
        said(
            "no indicator %(key)s in the report; known: %(known)s",
            key=repr(key),
            known=", ".join(i["record"]["key"] for i in found),
        )
    )


def corrected_since(
    session: Session, principal: Principal, built: Built, frozen: bool
) -> list[dict[str, Any]]:
    """The reported values of a frozen report that were corrected after it was frozen
    (:func:`gbvs.reports.postscript.corrections_since`) as plain rows: per value its indicator, year and
    id, the figure as published, the value in force now (None while not public), the day it was
    recorded, its ministry and the reason. The report keeps the figure it was published with (it is
    hashed); the pages, the API and the files say beside it that a correction is recorded, until a
    coordinator replaces the report. Nothing for an open period, which is built with the corrections."""
    return [asdict(c) for c in corrections_since(session, principal, built, frozen)]


def report_for(settings: Settings, session: Session, principal: Principal, label: str) -> tuple[Built, bool]:
    """The period's report (its frozen snapshot, or a fresh build while it is open, over the data kept
    while the store, forecasts and poll files are unchanged)."""
    return service.current(settings, session, principal, label, create=False, cached=True)
