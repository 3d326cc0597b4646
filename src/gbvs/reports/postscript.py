"""What is said beside a frozen report, read from the records: the values corrected after it was frozen
and the known faults of the version that froze it (:mod:`gbvs.reports.errata`).

A frozen report is hashed, so a correction never changes it; the pages, the API and every file written
from it after the correction say it beside the report (the files in a separate part, "Errata na
publicatie"), until a coordinator replaces the report.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gbvs.reports import records
from gbvs.reports.build import Built
from gbvs.reports.core.publication import Item, decide
from gbvs.reports.errata import Correction, Postscript, errata
from gbvs.security.principal import Principal


def corrections_since(session: Session, principal: Principal, built: Built, frozen: bool) -> list[Correction]:
    """The reported values of a frozen report corrected after it was frozen, each with the value in force
    now (the last of its corrections), by value id. Nothing for an open period, which is built with the
    corrections."""
    if not frozen:
        return []
    published = {int(v["id"]) for v in built.snapshot["inputs"].get("reported_values") or []}
    corrections = records.value_corrections(session, principal)
    corrected_by = {int(c["corrects"]): value_id for value_id, c in corrections.items()}
    stored = {row.id: row for row in records.reported_values(session, principal)}
    released = records.released(session, principal)
    names = _names(built)
    found = []
    for value_id in sorted(published):
        first = corrected_by.get(value_id)
        if first is None or first in published:
            continue
        latest = first
        while latest in corrected_by:
            latest = corrected_by[latest]
        shown, now = stored[value_id], stored[latest]
        public = decide(Item("reported_value", str(now.id), "", now.tlp, now.organisation), released)
        found.append(
            Correction(
                indicator=shown.indicator_key,
                name=names.get(shown.indicator_key) or {"nl": shown.indicator_key},
                period=shown.period,
                value_id=value_id,
                published=shown.value,
                value=now.value if public else None,
                corrected_on=now.created_at.date().isoformat(),
                organisation=now.organisation,
                reason=corrections[latest]["reason"] if public else None,
            )
        )
    return found


def _names(built: Built) -> dict[str, dict[str, str]]:
    """Each indicator's name in the report, per language."""
    found: dict[str, dict[str, str]] = {}
    for goal in built.outputs["goals"]:
        for ind in goal["indicators"]:
            record: dict[str, Any] = ind["record"]
            found[record["key"]] = {"nl": record["name"], "en": record.get("name_en") or record["name"]}
    return found


def postscript(session: Session, principal: Principal, built: Built, frozen: bool) -> Postscript:
    """Everything said beside period's report: the corrections since it was frozen and the known faults
    of the version that froze it (nothing for an open period)."""
    if not frozen:
        return Postscript()
    return Postscript(corrections_since(session, principal, built, frozen), errata(built.snapshot))
