"""The audited export of a coded consultation: per response its final themes and every coder's codes,
with a provenance header an auditor can follow (consultation, responses file checksum, codebook and its
version, alpha per theme with its interval, export time, who exported).

Every coder's codes are shown from the adjudication phase on, as :func:`.consultation_coding.all_codes`
shows them, so the export is refused while coding runs. The module's privacy rule holds: no respondent
name or reference from the file (a response is named by its id, as on the coding screen), and the text
only of a respondent who consented to publication, anonymised (:func:`gbvs.opinion.anonymise.quotable`).
Each export is written to the audit log (``consultations.export``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gbvs.db.audit import authorize_audited, record
from gbvs.db.opinion_models import (
    Consultation,
    ConsultationCoding,
    ConsultationPhase,
    ConsultationQuestion,
    ConsultationResponse,
)
from gbvs.db.services.consultation_codebook import theme_states, themes_in_use
from gbvs.db.services.consultation_coding import adjudications, coding_rows
from gbvs.db.services.consultation_reports import decide, outcomes, theme_reliabilities
from gbvs.db.services.consultation_round import RoundChange, WithdrawnCoder, round_changes, withdrawals
from gbvs.db.services.consultations import consultation_by_slug
from gbvs.db.services.register_version import register_version
from gbvs.db.types import utcnow
from gbvs.errors import Figure, InputError, Moment, Said, Term, Words, said
from gbvs.opinion.anonymise import quotable
from gbvs.opinion.reliability import (
    BASIS_WORDS,
    CONFIDENCE,
    RESAMPLES,
    TENTATIVE,
    UNRELIABLE,
    ThemeReliability,
)
from gbvs.opinion.revisions import needs_recoding
from gbvs.safetext import defused_row
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal

EXPORT_FORMATS = ("csv", "xlsx", "json")
FIXED_COLUMNS = (
    "response_id",
    "question",
    "respondent_type",
    "consent_to_publish",
    "text_if_consented",
    "final_themes",
    "unresolved_themes",
    "adjudicated",
)
PRIVACY = Term(
    "no respondent names or references from the responses file (a response is named by its id); text only "
    "of respondents who consented to publication, anonymised"
)
FINAL_THEMES = Term(
    "the adjudicator's decision, else the coders' when all who judged the theme agree; a parent theme "
    "applies when one of its children does"
)
"""The provenance's values that are fixed texts are catalogue messages (:class:`Term`): an edge shows
them, and the names of the lines (``gbvs.web.api.exportnotes.FIELD_LABELS``), in the reader's language."""


@dataclass(frozen=True)
class CodedExport:
    """The export's provenance (name, value), its columns and one row per response."""

    provenance: tuple[tuple[str, Any], ...]
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    filename: str


def export_coded(session: Session, principal: Principal, slug: str, output_format: str) -> CodedExport:
    """The coded responses of ``slug`` with their provenance; recorded in the audit log."""
    authorize_audited(
        session, principal, Permission.opinion_read, "consultations.export", "consultation", slug
    )
    if output_format not in EXPORT_FORMATS:
        raise InputError(
            said(
                "export format %(format)s is not known; use one of %(choices)s",
                format=repr(output_format),
                choices=list(EXPORT_FORMATS),
            )
        )
    consultation = consultation_by_slug(session, slug)
    if consultation.phase is ConsultationPhase.coding:
        raise InputError(
            said(
                "consultation %(slug)s is still being coded: its coders' codes are exported from the "
                "adjudication phase on (`gbvs opinion consultations advance`)",
                slug=repr(slug),
            )
        )
    coders = sorted({c.coder.username for c in coding_rows(session, consultation)})
    withdrawn = {w.coder: w for w in withdrawals(session, consultation)}
    rows = _rows(session, consultation, coders, frozenset(withdrawn))
    exported_at = utcnow()
    provenance = (
        *_provenance(consultation, principal, exported_at.isoformat(timespec="seconds"), session),
        *(_withdrawn_line(w) for w in withdrawn.values()),
        *(_reinstated_line(c) for c in round_changes(session, consultation) if c.kind == "reinstated"),
        *(_alpha_line(r) for r in theme_reliabilities(session, consultation)),
    )
    detail = {
        "format": output_format,
        "responses": len(rows),
        "codebook_version": consultation.codebook_version,
        "responses_sha256": consultation.responses_sha256,
    }
    record(session, principal, "consultations.export", "consultation", consultation.id, detail)
    columns = (*FIXED_COLUMNS, *(f"{coder} {part}" for coder in coders for part in CODER_PARTS))
    stamp = exported_at.strftime("%Y%m%dT%H%M%SZ")
    return CodedExport(provenance, columns, tuple(rows), f"{slug}-coded-{stamp}.{output_format}")


CODER_PARTS = ("themes", "codebook_version", "needs_recoding")
"""The columns each coder has: the themes they applied, the version they coded under, and whether a
later revision asks their coding again (it then counts for no theme it no longer judges; ``withdrawn``
for a coder withdrawn from the round, whose codings count for nothing)."""


def _withdrawn_line(w: WithdrawnCoder) -> tuple[str, Said]:
    value = said(
        "withdrawn by %(by)s on %(when)s after coding %(coded)s responses: %(reason)s; the codes are shown "
        "but count for no alpha and no final theme",
        by=w.by,
        when=Moment.of(w.at),
        coded=w.coded,
        reason=w.reason,
    )
    return f"withdrawn coder {w.coder}", Said.of(value)


def _reinstated_line(change: RoundChange) -> tuple[str, Said]:
    value = said(
        "withdrawal undone by %(by)s on %(when)s: %(reason)s; the codes count again (unless withdrawn again "
        "since)",
        by=change.by,
        when=Moment.of(change.at),
        reason=change.reason,
    )
    return f"reinstated coder {change.coder}", Said.of(value)


def _provenance(
    consultation: Consultation, principal: Principal, exported_at: str, session: Session
) -> list[tuple[str, Any]]:
    codebook = consultation.codebook_id
    return [
        ("source", Term("GBVS consultation coding")),
        ("consultation", f"{consultation.title} ({consultation.slug})"),
        ("source_version", register_version(session)),
        ("data_vintage", _vintage(consultation)),
        ("phase", Term(consultation.phase.value)),
        (
            "responses file SHA-256",
            consultation.responses_sha256 or Term("unknown (imported before GBVS kept it)"),
        ),
        (
            "codebook",
            Said.of(said("%(codebook)s (draft)", codebook=codebook))
            if consultation.codebook_is_draft
            else codebook,
        ),
        ("codebook version", consultation.codebook_version),
        ("exported at (UTC)", exported_at),
        ("exported by", principal.describe()),
        ("privacy", PRIVACY),
        ("final themes", FINAL_THEMES),
        ("alpha", ALPHA_METHOD),
    ]


def _vintage(consultation: Consultation) -> Said:
    """When the responses were given: the consultation's period (the data's vintage)."""
    unknown = Term("unknown")
    return Said.of(
        said(
            "responses given from %(opened)s to %(closed)s",
            opened=consultation.opened_on.isoformat() if consultation.opened_on else unknown,
            closed=consultation.closed_on.isoformat() if consultation.closed_on else unknown,
        )
    )


ALPHA_DIGITS = 3
"""Alpha and its interval in the export: three decimals, in the reader's locale."""


ALPHA_METHOD = Said.of(
    said(
        "Krippendorff's alpha (nominal) per theme in use, %(confidence)s percentile bootstrap interval "
        "(%(resamples)s seeded resamples); verdict on the interval's lower end (%(reliable)s reliable, "
        "%(tentative)s tentative); each theme over the codings made under its current definition",
        confidence=f"{CONFIDENCE:.0%}",
        resamples=Figure.of(RESAMPLES, 0),
        reliable=Figure.of(TENTATIVE, 1),
        tentative=Figure.of(UNRELIABLE, ALPHA_DIGITS),
    )
)
"""How the export's alpha values were computed (its ``alpha`` line)."""


def _alpha_line(r: ThemeReliability) -> tuple[str, Said]:
    value = Said.of(_alpha_value(r))
    if r.coder_units:
        counts = ", ".join(f"{coder} {n}" for coder, n in r.coder_units)
        per_coder = Said.of(said("responses per coder: %(counts)s", counts=counts))
        value = Said.of(said("%(alpha)s (%(per_coder)s)", alpha=value, per_coder=per_coder))
    since = said(
        "%(alpha)s; codings from codebook version %(version)s on", alpha=value, version=r.codebook_version
    )
    return f"alpha {r.theme}", Said.of(since)


def _alpha_value(r: ThemeReliability) -> Words:
    """Alpha of one theme with its interval and verdict, and how many responses and coders it rests on."""
    if r.alpha is None or r.basis is None:
        return said("undefined; %(units)s responses, %(coders)s coders", units=r.units, coders=r.coders)
    interval = Term("no interval") if r.lower is None or r.upper is None else _interval(r.lower, r.upper)
    return said(
        "%(alpha)s %(interval)s, %(verdict)s (judged on %(basis)s); %(units)s responses, %(coders)s coders",
        alpha=Figure.of(r.alpha, ALPHA_DIGITS),
        interval=interval,
        verdict=Term(r.verdict.value),
        basis=Term(BASIS_WORDS[r.basis]),
        units=r.units,
        coders=r.coders,
    )


def _interval(lower: float, upper: float) -> Said:
    """Alpha's interval as its bounds, each in the reader's locale."""
    return Said.of(
        said(
            "[%(lower)s-%(upper)s]",
            lower=Figure.of(lower, ALPHA_DIGITS),
            upper=Figure.of(upper, ALPHA_DIGITS),
        )
    )


def _rows(
    session: Session, consultation: Consultation, coders: Sequence[str], withdrawn: frozenset[str]
) -> list[dict[str, Any]]:
    judged, decided = outcomes(session, consultation)
    adjudicated = adjudications(session, consultation)
    codings: dict[int, dict[str, ConsultationCoding]] = {}
    for c in coding_rows(session, consultation):
        codings.setdefault(c.response_id, {})[c.coder.username] = c
    states, themes = theme_states(consultation), [t.code for t in themes_in_use(consultation)]
    rows = []
    for response in _responses(session, consultation):
        outcome = {code: decide(response.id, code, judged, decided) for code in themes}
        own = codings.get(response.id, {})
        row = {
            "response_id": response.id,
            "question": response.question.number,
            "respondent_type": response.respondent.respondent_type.value,
            "consent_to_publish": "yes" if response.respondent.consent_to_publish else "no",
            "text_if_consented": _text(response),
            "final_themes": "; ".join(code for code in themes if outcome[code] is True),
            "unresolved_themes": "; ".join(code for code in themes if outcome[code] is None and own),
            "adjudicated": _adjudicated(response.id, themes, adjudicated),
        }
        for coder in coders:
            row.update(_coder_cells(coder, own.get(coder), states, coder in withdrawn))
        rows.append(row)
    return rows


def _text(response: ConsultationResponse) -> str:
    respondent = response.respondent
    return quotable(respondent.consent_to_publish, response.text, [respondent.name]) or ""


def _adjudicated(response_id: int, themes: Sequence[str], decided: Mapping[tuple[int, str], bool]) -> str:
    return "; ".join(
        f"{code}={'yes' if decided[(response_id, code)] else 'no'}"
        for code in themes
        if (response_id, code) in decided
    )


def _coder_cells(
    coder: str, coding: ConsultationCoding | None, states: Mapping[str, Any], withdrawn: bool
) -> dict[str, Any]:
    if coding is None:
        return {f"{coder} {part}": None for part in CODER_PARTS}
    codes = sorted(code.theme.code for code in coding.codes)
    again = "yes" if needs_recoding(coding.codebook_version, codes, states) else "no"
    return {
        f"{coder} themes": "; ".join(codes),
        f"{coder} codebook_version": coding.codebook_version,
        f"{coder} needs_recoding": "withdrawn" if withdrawn else again,
    }


def _responses(session: Session, consultation: Consultation) -> list[ConsultationResponse]:
    return list(
        session.scalars(
            select(ConsultationResponse)
            .join(ConsultationQuestion)
            .where(ConsultationQuestion.consultation_id == consultation.id)
            .options(
                selectinload(ConsultationResponse.respondent), selectinload(ConsultationResponse.question)
            )
            .order_by(ConsultationQuestion.number, ConsultationResponse.id)
        )
    )


def csv_text(export: CodedExport, about: Sequence[tuple[str, Any]] | None = None) -> str:
    """The export as CSV: what it says about itself first (``about``: its provenance labelled in the
    reader's language by the edge, :func:`gbvs.web.api.exportnotes.about_lines`; else the provenance as
    it is), as ``# name: value`` lines, then the header and rows (cells a spreadsheet would run as a
    formula defused)."""
    buffer = io.StringIO()
    for name, value in export.provenance if about is None else about:
        buffer.write("# " + f"{name}: {value}".replace("\r", " ").replace("\n", " ") + "\n")
    writer = csv.DictWriter(buffer, fieldnames=list(export.columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(defused_row(row) for row in export.rows)
    return buffer.getvalue()
