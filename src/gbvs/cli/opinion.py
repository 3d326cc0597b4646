"""``gbvs opinion``: weighted polls with intervals, published tables, and coded consultations.

Polls are read from the mirror (or a file the user gives) and never stored; consultations go
through the services of :mod:`gbvs.db.services.consultations` (authorization and audit as on the web).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from gbvs.cli.helptexts import help_with
from gbvs.cli.identity import AsUser, acting
from gbvs.cli.options import LangOption, Language, resolve_lang, row_id
from gbvs.cli.output import FormatOption, OutputFormat, clean, echo, os_reason, print_json, read_input, shown
from gbvs.cli.texts import Gettext, translator
from gbvs.config import load_settings
from gbvs.db.opinion_models import CodebookChangeKind
from gbvs.db.services import (
    consultation_codebook,
    consultation_coding,
    consultation_export,
    consultation_reports,
    consultation_round,
    consultations,
)
from gbvs.db.services.consultation_codebook import CodebookRevision
from gbvs.errors import InputError, NotFoundError, Said, Term, said
from gbvs.numbers import decimal, moment, percent, scientific, signed
from gbvs.opinion.aggregate import shipped_aggregates
from gbvs.opinion.codebook import Codebook, draft_codebook, load_codebook_text
from gbvs.opinion.consultation import parse_info, parse_responses
from gbvs.opinion.csv_hints import utf8_text
from gbvs.opinion.estimates import MIN_BASE_RELIABLE, MIN_BASE_SHOWN, Estimate, SuppressedGroup
from gbvs.opinion.margins import SOURCES as MARGIN_SOURCES
from gbvs.opinion.margins import Margins, read_margins
from gbvs.opinion.polls import (
    NO_ANSWER,
    UNWEIGHTED,
    WAVE,
    Change,
    Provenance,
    QuestionResult,
    Trend,
    TrendPoint,
    estimate_question,
    rake_poll,
    wave_trend,
)
from gbvs.opinion.questionnaire import Comparability, load_definition_text
from gbvs.opinion.reader import PollData, read_poll, shipped_definition, shipped_definitions
from gbvs.opinion.reliability import BASIS_WORDS, ThemeReliability, Verdict
from gbvs.opinion.weighting import Trim, weight_report
from gbvs.strategy.model import Lang

opinion_app = typer.Typer(
    help="Public opinion: weighted polls with intervals, published tables, consultations."
)
consult_app = typer.Typer(help="Consultations: import, blind coding, reliability, adjudication, summary.")


ResponseId = Annotated[int, row_id("Response id (see the coding screen).")]
File = Annotated[
    Path | None, typer.Option("--file", help="Respondent file (.csv, .sav, .dta) instead of the mirror.")
]
Definition = Annotated[
    Path | None,
    typer.Option("--definition", help="Poll definition (YAML) for --file; see gbvs/opinion/data/polls/."),
]


POLL_DEFINITION = Term("poll definition")
CODEBOOK = Term("codebook")
RESPONSES_FILE = Term("responses file")
CONSULTATION_FILE = Term("consultation file")
"""The files the opinion commands read, named in an error in the reader's language."""


def _read_text(path: Path, what: Term) -> str:
    return utf8_text(read_input(path, what), _named(path, what))


def _named(path: Path, what: Term) -> Said:
    """The file ``path`` named as ``what`` ("responses file '/tmp/x.csv'"), in the reader's words."""
    return Said.of(said("%(what)s %(file)s", what=what, file=shown(path)))


@contextmanager
def _naming(path: Path) -> Iterator[None]:
    """An InputError raised inside, with the file it is about before its words (its line is not enough
    for one who gave two files)."""
    try:
        yield
    except InputError as exc:
        raise InputError(said("%(label)s: %(refusal)s", label=str(path), refusal=Said(exc))) from None


def _poll(poll: str, file: Path | None, definition: Path | None, _: Gettext) -> PollData:
    settings = load_settings()
    if definition is not None:
        return read_poll(
            load_definition_text(_read_text(definition, POLL_DEFINITION), definition.name), None, file
        )
    if file is not None:
        raise InputError(_("--file needs --definition (a YAML naming the questions, weight and sample kind)"))
    try:
        shipped = shipped_definition(poll)
    except NotFoundError as unknown:
        raise NotFoundError(
            said("%(refusal)s; or give --file and --definition", refusal=Said(unknown))
        ) from None
    return read_poll(shipped, settings.mirror)


def _estimate_json(e: Estimate) -> dict[str, Any]:
    return {**asdict(e), "basis": e.basis.value, "small_base": e.small_base}


def _result_json(result: QuestionResult, language: str) -> dict[str, Any]:
    return {
        "poll": result.poll,
        "question": result.question.id,
        "text": result.question.text(language),
        "by": result.by,
        "base": result.base,
        "sample_kind": result.sample_kind.value,
        "interval_basis": result.basis.value,
        "note": result.note,
        "weights": asdict(result.weights),
        "estimates": [
            {**_estimate_json(e), "label": result.question.answer_label(e.category, language)}
            for e in result.estimates
        ],
        "suppressed": [asdict(s) for s in result.suppressed],
        "min_base_shown": MIN_BASE_SHOWN,
        "min_base_reliable": MIN_BASE_RELIABLE,
        "provenance": asdict(result.provenance),
    }


def _interval_text(e: Estimate, lang: str, _: Gettext) -> str:
    """``52,2% [48,8-55,5] (n=1.001)`` (English ``52.2% [48.8-55.5] (n=1,001)``), as the pages write
    them: n is the group's base, flagged when it is small."""
    flag = ", " + _("small base: under %(n)s") % {"n": MIN_BASE_RELIABLE} if e.small_base else ""
    lower, upper = (decimal(100 * v, lang, 1) for v in (e.lower, e.upper))
    return f"{percent(e.share, lang, 1)} [{lower}-{upper}] (n={decimal(e.base, lang, 0)}{flag})"


def _print_suppressed(suppressed: tuple[SuppressedGroup, ...], lang: str, _: Gettext) -> None:
    for s in suppressed:
        base = decimal(s.base, lang, 0)
        shown = _("not shown, n=%(n)s is under %(min)s") % {"n": base, "min": MIN_BASE_SHOWN}
        echo(f"  {clean(s.group)}: {shown}")


def _print_provenance(source: Provenance, _: Gettext) -> None:
    values = {
        "citation": clean(source.citation),
        "licence": clean(source.licence),
        "fieldwork": source.fieldwork or "-",
        "weight": _(source.weight) if source.weight == UNWEIGHTED else source.weight,
        "outside": ", ".join(_(code) if code == NO_ANSWER else code for code in source.outside_base),
        "method": _(source.interval_method),
        "design": _(source.design),
    }
    echo(_("Source: %(citation)s (%(licence)s); fieldwork %(fieldwork)s") % values)
    echo(_("Weight: %(weight)s; outside the base: %(outside)s") % values)
    echo(_("Intervals: %(method)s; %(design)s") % values)


def _print_result(result: QuestionResult, language: str) -> None:
    _ = translator("en" if language == "en" else "nl")
    echo(f"{result.poll} · {result.question.id}: {result.question.text(language)}")
    w = result.weights
    echo(
        _(
            "n = %(n)s; weights %(low)s-%(high)s, Kish design effect %(deff)s, effective n %(neff)s; "
            "intervals: %(basis)s (%(level)s)"
        )
        % {
            "n": decimal(result.base, language, 0),
            "low": decimal(w.minimum, language, 2),
            "high": decimal(w.maximum, language, 2),
            "deff": decimal(w.design_effect, language, 2),
            "neff": decimal(w.effective_n, language, 0),
            "basis": _(result.basis.value),
            "level": "95%",
        }
    )
    if result.note:
        echo(f"NB: {result.note}")
    for e in result.estimates:
        group = "" if e.group == "all" else f"{clean(e.group)}: "
        label = clean(result.question.answer_label(e.category, language))
        echo(f"  {group}{label}: {_interval_text(e, language, _)}")
    _print_suppressed(result.suppressed, language, _)
    _print_provenance(result.provenance, _)


@opinion_app.command("polls")
def list_polls(output_format: FormatOption = OutputFormat.text, lang: LangOption = None) -> None:
    """The polls GBVS reads from the mirror, and the published tables it ships."""
    language = resolve_lang(lang)
    polls = [
        {
            "id": d.id,
            "title": d.title(language),
            "sample_kind": d.sample_kind.value,
            "file": d.file,
            "questions": [q.id for q in d.questions],
            "breakdowns": sorted(d.groups) + ([WAVE] if d.wave else []),
        }
        for d in shipped_definitions().values()
    ]
    published = [
        {"id": a.id, "title": a.title_en if language == "en" else a.title_nl, "published_only": True}
        for a in shipped_aggregates()
    ]
    if output_format is OutputFormat.json:
        print_json({"polls": polls, "published": published})
        return
    from gbvs.web.labels import SAMPLE_KINDS, name

    _ = translator(language)
    for poll in polls:
        questions = _("questions %(ids)s") % {"ids": ", ".join(poll["questions"])}
        kind = name(SAMPLE_KINDS, poll["sample_kind"], _)
        echo(f"{poll['id']}: {poll['title']} ({kind}; {questions})")
    for table in published:
        echo(f"{table['id']}: {table['title']} ({_('published figures only')})")


@opinion_app.command("estimate")
def estimate(
    poll: Annotated[str, typer.Argument(help="Poll id (see `gbvs opinion polls`), or any name with --file.")],
    question: Annotated[str, typer.Argument(help="Question id, e.g. q1 or army.")],
    by: Annotated[str | None, typer.Option("--by", help="Breakdown: a group such as sex, or 'wave'.")] = None,
    rake_to: Annotated[
        str | None,
        typer.Option(
            "--rake-to", help=help_with("Rake to margins: %(sources)s.", sources=", ".join(MARGIN_SOURCES))
        ),
    ] = None,
    rake_on: Annotated[
        str | None, typer.Option("--rake-on", help="Comma-separated variables to rake on.")
    ] = None,
    trim: Annotated[
        tuple[float, float] | None, typer.Option("--trim", help="Trim raked weights to LOWER UPPER × mean.")
    ] = None,
    file: File = None,
    definition: Definition = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Weighted shares of a question's answers with 95% intervals that account for the weighting."""
    language = resolve_lang(lang)
    _ = translator(language)
    data = _poll(poll, file, definition, _)
    dropped, rake_info = 0, None
    if rake_to is not None:
        margins = read_margins(rake_to, load_settings().mirror)
        variables = [v.strip() for v in (rake_on or ",".join(margins)).split(",") if v.strip()]
        raked = rake_poll(
            data, margins, variables, Trim(*trim) if trim else None, source=MARGIN_SOURCES[rake_to].citation
        )
        data, dropped, rake_info = raked.data, raked.dropped, raked.result
    result = estimate_question(data, question, by=by)
    if output_format is OutputFormat.json:
        payload = _result_json(result, language)
        if rake_info is not None and rake_to is not None:
            margin_source = MARGIN_SOURCES[rake_to]
            payload["raking"] = {
                "margins": rake_to,
                "citation": margin_source.citation,
                "file": margin_source.file,
                "sha256": margin_source.sha256,
                "converged": rake_info.converged,
                "iterations": rake_info.iterations,
                "max_margin_error": rake_info.max_margin_error,
                "trimmed": rake_info.trimmed,
                "dropped": dropped,
            }
        print_json(payload)
        return
    if rake_info is not None:
        echo(
            _(
                "raked to %(margins)s: converged in %(n)s iterations, largest margin error %(error)s, "
                "%(trimmed)s weights trimmed; %(dropped)s respondents without a category in the margins "
                "left out"
            )
            % {
                "margins": rake_to,
                "n": rake_info.iterations,
                "error": scientific(rake_info.max_margin_error, language),
                "trimmed": decimal(rake_info.trimmed, language, 0),
                "dropped": decimal(dropped, language, 0),
            }
        )
    _print_result(result, language)


def _point_json(point: TrendPoint, language: str) -> dict[str, Any]:
    wording = point.wording
    return {
        **_estimate_json(point.estimate),
        "comparability": point.comparable.value,
        "reason": wording.reason(language),
        "wording": {"wave": wording.wave, "label": wording.label, "text": wording.text},
    }


def _change_json(change: Change, language: str) -> dict[str, Any]:
    d = change.difference
    return {
        "from": change.earlier.estimate.group,
        "to": change.later.estimate.group,
        "comparability": change.status.value,
        "reason": change.reason(language),
        "difference": None if d is None else d.difference,
        "lower": None if d is None else d.lower,
        "upper": None if d is None else d.upper,
        "p_value": None if d is None else d.p_value,
        "adjusted_p_value": None if d is None else d.adjusted_p_value,
        "significant": None if d is None else d.significant,
    }


COMPARABILITY_WORDS = {
    Comparability.not_comparable: "not comparable",
    Comparability.unknown: "comparability unknown",
}
"""How a wave that is not (known to be) comparable is flagged; message ids of the catalogues."""


def _wording_text(point: TrendPoint, language: str, _: Gettext) -> str:
    status = point.comparable
    if status is Comparability.comparable:
        return ""
    return f" [{_(COMPARABILITY_WORDS[status])}: {clean(point.wording.reason(language))}]"


def _change_text(change: Change, language: str, _: Gettext) -> str:
    """``2014->2017: +13,6 [+8,9, +18,2] *``: the change in percentage points, as the pages write it."""
    step = f"{change.earlier.estimate.group}->{change.later.estimate.group}"
    d = change.difference
    if d is None:
        why = clean(change.reason(language))
        return f"  {step}: " + _("no change shown, the waves are not comparable (%(why)s)") % {"why": why}
    flag = " *" if d.significant else ""
    unknown = f" ({_('comparability unknown')})" if change.status is Comparability.unknown else ""
    difference, lower, upper = (signed(100 * v, language, 1) for v in (d.difference, d.lower, d.upper))
    return f"  {step}: {difference} [{lower}, {upper}]{flag}{unknown}"


def _trend_note(found: Trend, _: Gettext) -> str:
    return _(
        "* significant at %(alpha)s after %(adjustment)s's adjustment over the %(n)s changes tested "
        "(changes between non-comparable waves are not tested); intervals: %(method)s, %(level)s unadjusted"
    ) % {
        "alpha": "5%",
        "adjustment": found.adjustment,
        "n": found.comparisons,
        "method": found.difference_method,
        "level": "95%",
    }


@opinion_app.command("trend")
def trend_cmd(
    poll: str,
    question: str,
    answer: Annotated[str, typer.Option("--answer", help="The answer code to follow, e.g. 1.")],
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """One answer's share per wave with intervals, each wave's comparability, and the change between
    comparable waves (significance after Holm's adjustment over the changes tested)."""
    language = resolve_lang(lang)
    _ = translator(language)
    result = estimate_question(_poll(poll, None, None, _), question, by=WAVE)
    found = wave_trend(result, answer)
    if not found.points:
        refusal = _("answer %(answer)s does not occur in %(poll)s/%(question)s; see `gbvs opinion estimate`")
        raise InputError(refusal % {"answer": repr(answer), "poll": poll, "question": question})
    if output_format is OutputFormat.json:
        print_json(
            {
                "poll": poll,
                "question": question,
                "answer": answer,
                "interval_basis": result.basis.value,
                "points": [_point_json(p, language) for p in found.points],
                "suppressed": [asdict(s) for s in result.suppressed],
                "provenance": asdict(result.provenance),
                "changes": [_change_json(c, language) for c in found.changes],
                "comparisons": found.comparisons,
                "adjustment": found.adjustment,
                "difference_method": found.difference_method,
            }
        )
        return
    echo(f"{poll} · {result.question.text(language)}: {result.question.answer_label(answer, language)}")
    for point in found.points:
        shown = _interval_text(point.estimate, language, _) + _wording_text(point, language, _)
        echo(f"  {point.estimate.group}: {shown}")
    _print_suppressed(result.suppressed, language, _)
    for change in found.changes:
        echo(_change_text(change, language, _))
    echo(_trend_note(found, _))
    _print_provenance(result.provenance, _)


@opinion_app.command("published")
def published(output_format: FormatOption = OutputFormat.text, lang: LangOption = None) -> None:
    """Published poll results without microdata (the SAMR flash poll of 2017), with their caveat."""
    tables = shipped_aggregates()
    if output_format is OutputFormat.json:
        print_json([{**asdict(t), "sample_kind": t.sample_kind.value} for t in tables])
        return
    language = resolve_lang(lang)
    en = language == "en"
    for t in tables:
        echo(f"{t.title_en if en else t.title_nl} ({t.fieldwork})")
        echo(f"  {t.method_en if en else t.method_nl}")
        echo(f"  NB: {t.caveat_en if en else t.caveat_nl}")
        for r in t.results:
            share, n = percent(r.percent / 100, language), decimal(r.n, language, 0)
            echo(f"  {share}  {r.question_en if en else r.question_nl} (n={n})")


@opinion_app.command("margins")
def margins_cmd(
    source: str, output_format: FormatOption = OutputFormat.text, lang: LangOption = None
) -> None:
    """Population shares per variable of a margins file in the mirror (acs-2017, cbs-den-haag-2019)."""
    margins = read_margins(source, load_settings().mirror)
    if output_format is OutputFormat.json:
        print_json({name: {str(k): v for k, v in shares.items()} for name, shares in margins.items()})
        return
    echo("\n".join(margins_lines(margins, MARGIN_SOURCES[source].citation, resolve_lang(lang))))


def margins_lines(margins: Margins, citation: str, language: Lang) -> list[str]:
    """One line per variable with its categories' shares in ``language``, and where the shares come from."""
    lines = [
        f"{name}: " + ", ".join(f"{clean(k)} {percent(v, language, 1)}" for k, v in shares.items())
        for name, shares in margins.items()
    ]
    return [*lines, translator(language)("source: %(citation)s") % {"citation": citation}]


@opinion_app.command("weights")
def weights_cmd(
    poll: str,
    file: File = None,
    definition: Definition = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """The report of a poll's weights: range, Kish design effect and effective sample size."""
    language = resolve_lang(lang)
    _ = translator(language)
    report = weight_report(_poll(poll, file, definition, _).weights())
    if output_format is OutputFormat.json:
        print_json(asdict(report))
        return
    echo(
        _(
            "n = %(n)s; weights %(low)s-%(high)s (ratio %(ratio)s); Kish design effect %(deff)s; "
            "effective n %(neff)s"
        )
        % {
            "n": decimal(report.n, language, 0),
            "low": decimal(report.minimum, language, 3),
            "high": decimal(report.maximum, language, 3),
            "ratio": decimal(report.ratio, language, 1),
            "deff": decimal(report.design_effect, language, 3),
            "neff": decimal(report.effective_n, language, 0),
        }
    )


@opinion_app.command("codebook")
def codebook_cmd(
    file: Annotated[
        Path | None, typer.Option("--file", help="A codebook YAML instead of the shipped draft.")
    ] = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """The consultation codebook: hierarchical themes linked to trends, threats and goals."""
    book = _codebook(file)
    if output_format is OutputFormat.json:
        print_json(asdict(book))
        return
    language = resolve_lang(lang)
    _ = translator(language)
    echo(f"{book.id} ({_('DRAFT') if book.is_draft else book.status}): {book.source}")
    for theme in book.themes:
        threats = (_("threat %(n)s") % {"n": t} for t in theme.threats)
        goals = (_("goal %(n)s") % {"n": g} for g in theme.goals)
        links = ", ".join([*theme.trends, *threats, *goals])
        echo(
            f"{'  ' if theme.parent else ''}{theme.code} {theme.label(language)}"
            + (f"  [{links}]" if links else "")
        )


def _codebook(file: Path | None) -> Codebook:
    return draft_codebook() if file is None else load_codebook_text(_read_text(file, CODEBOOK), file.name)


@consult_app.command("import")
def import_cmd(
    info: Annotated[Path, typer.Option("--info", help="Consultation YAML: slug, title, questions.")],
    responses: Annotated[
        Path,
        typer.Option(
            "--responses",
            help="Responses CSV (respondent, respondent_type, consent, question, text[, name]).",
        ),
    ],
    codebook: Annotated[
        Path | None, typer.Option("--codebook", help="Codebook YAML (default: the shipped draft).")
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation",
            help="Whose raw texts these are (its coders alone read them); for an importer without one.",
        ),
    ] = None,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Import a consultation (nothing is stored when any row is wrong)."""
    data = read_input(responses, RESPONSES_FILE)
    text = utf8_text(data, _named(responses, RESPONSES_FILE))
    with _naming(responses):
        rows = parse_responses(text)
    info_text = _read_text(info, CONSULTATION_FILE)
    with _naming(info):
        parsed = parse_info(info_text, rows, hashlib.sha256(data).hexdigest())
    with acting(as_user) as (session, principal):
        consultations.import_consultation(session, principal, parsed, _codebook(codebook), organisation)
    language = resolve_lang(lang)
    echo(
        translator(language)("consultation %(slug)s: %(respondents)s respondents, %(responses)s responses")
        % {
            "slug": repr(parsed.slug),
            "respondents": decimal(len({r.respondent for r in rows}), language, 0),
            "responses": decimal(len(rows), language, 0),
        }
    )


@consult_app.command("list")
def list_cmd(
    as_user: AsUser = None, output_format: FormatOption = OutputFormat.text, lang: LangOption = None
) -> None:
    """The consultations (no response text)."""
    with acting(as_user) as (session, principal):
        found = consultations.list_consultations(session, principal)
    if output_format is OutputFormat.json:
        print_json([asdict(c) for c in found])
        return
    echo("\n".join(consultation_lines(found, resolve_lang(lang))))


def consultation_lines(found: Sequence[consultations.ConsultationView], lang: Lang) -> list[str]:
    """One line per consultation in ``lang``: its phase and counts, written the language's way."""
    _ = translator(lang)
    lines = []
    for c in found:
        counts = _("%(phase)s; %(respondents)s respondents, %(responses)s responses") % {
            "phase": _phase(c.phase, _),
            "respondents": decimal(c.respondents, lang, 0),
            "responses": decimal(c.responses, lang, 0),
        }
        lines.append(f"{clean(c.slug)}: {clean(c.title)} ({counts})")
    return lines


def _phase(phase: Any, _: Gettext) -> str:
    from gbvs.web.labels import CONSULTATION_PHASES, name

    return name(CONSULTATION_PHASES, getattr(phase, "value", phase), _)


def _respondent_type(kind: str, _: Gettext) -> str:
    from gbvs.web.labels import RESPONDENT_TYPES, name

    return name(RESPONDENT_TYPES, kind, _)


@consult_app.command("coding")
def coding_cmd(
    slug: str,
    question: Annotated[int | None, typer.Option(min=1, max=1000, help="Only this question.")] = None,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Your coding screen: the responses (anonymised) and your own codes only."""
    with acting(as_user) as (session, principal):
        found = consultation_coding.responses_for_coder(session, principal, slug, question)
    if output_format is OutputFormat.json:
        print_json([asdict(r) for r in found])
        return
    _ = translator(resolve_lang(lang))
    for r in found:
        echo(f"[{r.id}] Q{r.question} ({_respondent_type(r.respondent_type, _)}) {clean(r.text)}")
        echo("      " + _("your codes: %(codes)s") % {"codes": ", ".join(r.my_codes) or "-"})
        if r.needs_recoding:
            echo("      " + _("code again: the codebook was revised after you coded this response"))


@consult_app.command("code")
def code_cmd(
    response: ResponseId,
    themes: Annotated[list[str], typer.Argument(help="Theme codes (none: no theme applies).")] = [],  # noqa: B006
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Record your codes for one response (replaces only your own earlier codes)."""
    with acting(as_user) as (session, principal):
        consultation_coding.code_response(session, principal, response, themes)
    _ = translator(resolve_lang(lang))
    coded = ", ".join(themes) or _("no theme")
    echo(_("response %(id)s: %(themes)s") % {"id": response, "themes": coded})


@consult_app.command("advance")
def advance_cmd(slug: str, as_user: AsUser = None, lang: LangOption = None) -> None:
    """Next phase: coding -> adjudication (all codes visible) -> closed (every disagreement decided)."""
    with acting(as_user) as (session, principal):
        phase = consultations.advance_phase(session, principal, slug)
    _ = translator(resolve_lang(lang))
    echo(
        _("consultation %(slug)s is now in its %(phase)s phase")
        % {"slug": repr(slug), "phase": _phase(phase, _)}
    )


@consult_app.command("adjudicate")
def adjudicate_cmd(
    response: ResponseId,
    theme: str,
    applies: Annotated[bool, typer.Option("--applies/--does-not-apply", help="The decision.")],
    note: Annotated[str, typer.Option("--note", help="Why (kept with the decision).")] = "",
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Decide whether a theme applies to a response; the coders' codes stay as they are."""
    with acting(as_user) as (session, principal):
        consultation_coding.adjudicate(session, principal, response, theme, applies, note)
    _ = translator(resolve_lang(lang))
    decision = _("applies") if applies else _("does not apply")
    echo(
        _("response %(id)s, %(theme)s: %(decision)s") % {"id": response, "theme": theme, "decision": decision}
    )


@consult_app.command("codes")
def codes_cmd(
    slug: str,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Every coder's codes (from the adjudication phase on); a withdrawn coder's are marked."""
    with acting(as_user) as (session, principal):
        found = consultation_coding.all_codes(session, principal, slug)
    if output_format is OutputFormat.json:
        print_json([asdict(c) for c in found])
        return
    _ = translator(resolve_lang(lang))
    for c in found:
        gone = " (" + _("withdrawn: counts no longer") + ")" if c.withdrawn else ""
        echo(f"[{c.response_id}] {clean(c.coder)}: {', '.join(c.themes) or '-'}{gone}")


VERDICT_WORDS = {
    Verdict.reliable: "reliable",
    Verdict.tentative: "tentative",
    Verdict.unreliable: "unreliable",
    Verdict.undefined: "undefined",
}
"""What alpha allows, as message ids of the catalogues."""


@consult_app.command("reliability")
def reliability_cmd(
    slug: str,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Krippendorff's alpha per theme; flags under 0.667 (unreliable) and 0.8 (tentative)."""
    with acting(as_user) as (session, principal):
        found = consultation_reports.reliability(session, principal, slug)
    if output_format is OutputFormat.json:
        print_json([{**asdict(r), "verdict": r.verdict.value, "verdictBasis": r.basis} for r in found])
        return
    echo("\n".join(reliability_lines(found, resolve_lang(lang))))


def _alpha_text(r: ThemeReliability, lang: Lang) -> str:
    """Alpha with its 95% bootstrap interval: ``0,812 [0,701-0,903]``."""
    if r.alpha is None:
        return "-"
    shown = decimal(r.alpha, lang, 3)
    if r.lower is None or r.upper is None:
        return shown
    return f"{shown} [{decimal(r.lower, lang, 3)}-{decimal(r.upper, lang, 3)}]"


def reliability_lines(found: Sequence[ThemeReliability], lang: Lang) -> list[str]:
    """One line per theme in ``lang``: alpha, its verdict, what the verdict rests on and the counts."""
    _ = translator(lang)
    return [_reliability_line(r, lang, _) for r in found]


def _reliability_line(r: ThemeReliability, lang: Lang, _: Gettext) -> str:
    values = {
        "theme": r.theme,
        "alpha": _alpha_text(r, lang),
        "verdict": _(VERDICT_WORDS[r.verdict]),
        "units": decimal(r.units, lang, 0),
        "coders": decimal(r.coders, lang, 0),
    }
    if r.basis is None:
        line = _("%(theme)s: alpha %(alpha)s (%(verdict)s; %(units)s responses, %(coders)s coders)") % values
    else:
        line = _(
            "%(theme)s: alpha %(alpha)s (%(verdict)s, judged on %(basis)s; %(units)s responses, "
            "%(coders)s coders)"
        ) % {**values, "basis": _(BASIS_WORDS[r.basis])}
    return line + _per_coder(r, lang, _)


def _per_coder(r: ThemeReliability, lang: Lang, _: Gettext) -> str:
    """`` responses per coder: anna 12, bert 11`` (empty when the counts are not known)."""
    if not r.coder_units:
        return ""
    counts = ", ".join(f"{clean(coder)} {decimal(n, lang, 0)}" for coder, n in r.coder_units)
    return " " + _("responses per coder: %(counts)s") % {"counts": counts}


@consult_app.command("summary")
def summary_cmd(
    slug: str,
    quotes: Annotated[int, typer.Option(min=0, max=100, help="Quotes per theme.")] = 2,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Counts per theme per question, with anonymised quotes of consenting respondents only."""
    language = resolve_lang(lang)
    with acting(as_user) as (session, principal):
        found = consultation_reports.summary(session, principal, slug, language, quotes)
    if output_format is OutputFormat.json:
        print_json(asdict(found))
        return
    echo("\n".join(summary_lines(found, language)))


def summary_lines(found: consultation_reports.ConsultationSummary, lang: Lang) -> list[str]:
    """The text summary in ``lang``: counts per theme per question (written the language's way) and
    the quotes."""
    _ = translator(lang)
    state = [_phase(found.phase, _)]
    state += [_("provisional")] if found.provisional else []
    state += [_("draft codebook")] if found.codebook_is_draft else []
    state += [_("codebook %(id)s") % {"id": clean(found.codebook_id)}]
    lines = [f"{clean(found.title)} ({'; '.join(state)})"]
    for q in found.questions:
        counts = {"coded": decimal(q.coded, lang, 0), "responses": decimal(q.responses, lang, 0)}
        lines.append(f"Q{q.number} ({_('%(coded)s/%(responses)s coded') % counts}): {clean(q.text)}")
        for t in q.themes:
            if t.count or t.unresolved:
                unresolved = (
                    " (+" + _("%(n)s unresolved") % {"n": decimal(t.unresolved, lang, 0)} + ")"
                    if t.unresolved
                    else ""
                )
                lines.append(f"  {t.code} {clean(t.label)}: {decimal(t.count, lang, 0)}{unresolved}")
                lines += [f"      “{clean(quote)}”" for quote in t.quotes]
    return lines


class ExportFormat(StrEnum):
    """The file an export writes."""

    csv = "csv"
    xlsx = "xlsx"


@consult_app.command("export")
def export_cmd(
    slug: str,
    file_format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="csv (provenance as # lines) or xlsx.")
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: a dated name here).")
    ] = None,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Export the coded responses with every coder's codes and the provenance (audited)."""
    with acting(as_user) as (session, principal):
        found = consultation_export.export_coded(session, principal, slug, file_format.value)
        target = output or Path(found.filename)
        language = resolve_lang(lang)
        _write_export(found, file_format, target, language)
    shown = {"n": decimal(len(found.rows), language, 0), "file": target}
    echo(translator(language)("%(n)s responses exported to %(file)s") % shown)


def _write_export(
    found: consultation_export.CodedExport, file_format: ExportFormat, target: Path, language: Lang
) -> None:
    """The export in ``target``, what it says about itself in ``language`` as the web's download says it."""
    from gbvs.web.api.exportnotes import Reader, about_lines
    from gbvs.web.api.xlsx import xlsx_bytes
    from gbvs.web.downloads import dutch_day

    reader = Reader(translator(language), dutch_day(), lang=language)
    if file_format is ExportFormat.xlsx:
        data = xlsx_bytes(found.rows, found.columns, found.provenance, ("responses", "provenance"), reader)
    else:
        about = about_lines(found.provenance, len(found.rows), reader)
        data = consultation_export.csv_text(found, about).encode("utf-8")
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise InputError(
            said(
                "export %(file)s cannot be written: %(reason)s; give --output a file in a folder you may "
                "write to",
                file=shown(target),
                reason=os_reason(exc),
            )
        ) from None


codebook_app = typer.Typer(help="A consultation's codebook: revise it (coordinator) and read its history.")
Reason = Annotated[str, typer.Option("--reason", help="Why (kept in the codebook's history).")]


def _revise(slug: str, change: CodebookRevision, as_user: str | None, lang: Language | None) -> None:
    with acting(as_user) as (session, principal):
        version = consultation_codebook.revise_codebook(session, principal, slug, change)
    _ = translator(resolve_lang(lang))
    echo(_("codebook of %(slug)s is now version %(version)s") % {"slug": repr(slug), "version": version})


@codebook_app.command("add")
def codebook_add(
    slug: str,
    code: str,
    reason: Reason,
    nl: Annotated[str, typer.Option("--nl", help="Dutch label.")],
    en: Annotated[str, typer.Option("--en", help="English label.")],
    parent: Annotated[str | None, typer.Option("--parent", help="Parent theme.")] = None,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Add a theme; codings made before do not count for it (re-code them)."""
    _revise(slug, CodebookRevision(CodebookChangeKind.add, code, reason, nl, en, parent), as_user, lang)


@codebook_app.command("reword")
def codebook_reword(
    slug: str,
    code: str,
    reason: Reason,
    nl: Annotated[str | None, typer.Option("--nl", help="New Dutch label.")] = None,
    en: Annotated[str | None, typer.Option("--en", help="New English label.")] = None,
    editorial: Annotated[
        bool,
        typer.Option(
            "--editorial",
            help="Only spelling or clarity, the meaning stays: the codings stay valid (default: a change "
            "of meaning, whose codings are asked again).",
        ),
    ] = False,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Reword a theme; codings made before do not count for it (re-code them), unless --editorial."""
    change = CodebookRevision(CodebookChangeKind.reword, code, reason, nl, en, meaning_changed=not editorial)
    _revise(slug, change, as_user, lang)


@codebook_app.command("merge")
def codebook_merge(
    slug: str, code: str, into: str, reason: Reason, as_user: AsUser = None, lang: LangOption = None
) -> None:
    """Merge theme CODE into INTO: codings that applied CODE count as INTO (no re-coding)."""
    _revise(slug, CodebookRevision(CodebookChangeKind.merge, code, reason, into=into), as_user, lang)


@codebook_app.command("retire")
def codebook_retire(
    slug: str, code: str, reason: Reason, as_user: AsUser = None, lang: LangOption = None
) -> None:
    """Retire a theme: codings that applied it must be re-coded."""
    _revise(slug, CodebookRevision(CodebookChangeKind.retire, code, reason), as_user, lang)


@codebook_app.command("history")
def codebook_history(
    slug: str,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """The codebook's revisions: version, change, who, when (Dutch time) and why."""
    with acting(as_user) as (session, principal):
        found = consultation_codebook.codebook_changes(session, principal, slug)
    if output_format is OutputFormat.json:
        print_json([asdict(c) for c in found])
        return
    from gbvs.web.labels import CODEBOOK_CHANGES, REWORDINGS, name, rewording

    _ = translator(resolve_lang(lang))
    if not found:
        echo(_("No revisions: the codebook is as it was imported."))
    for c in found:
        into = f" -> {c.into}" if c.into else ""
        made = moment(c.made_at, resolve_lang(lang))
        kind = name(CODEBOOK_CHANGES, c.kind, _)
        echo(f"v{c.version} {kind} {c.theme}{into} ({clean(c.author)}, {made}): {clean(c.reason)}")
        if c.meaning_changed is not None:
            echo("    " + name(REWORDINGS, rewording(c.meaning_changed), _))
        for line in link_origins(c.after, _):
            echo("    " + line)


def link_origins(after: dict[str, Any], _: Gettext) -> list[str]:
    """A merge's strategy links in words, each with the themes it came from."""
    words = {"goals": _("goal"), "threats": _("threat"), "trends": _("trend")}
    return [
        f"{words[o['kind']]} {o['link']} " + _("from %(themes)s") % {"themes": ", ".join(o["from"])}
        for o in after.get("links_from", ())
    ]


@consult_app.command("withdraw-coder")
def withdraw_coder_cmd(
    slug: str,
    coder: Annotated[str, typer.Argument(help="The coder's user name.")],
    reason: Reason,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Withdraw a coder who has left from the coding (coordinator): the codes stay, shown as theirs, but
    no longer count; alpha is computed over the remaining coders."""
    with acting(as_user) as (session, principal):
        consultation_round.withdraw_coder(session, principal, slug, coder, reason)
    _ = translator(resolve_lang(lang))
    echo(
        _("%(coder)s is withdrawn from the coding of %(slug)s; the codes stay but no longer count")
        % {"coder": coder, "slug": repr(slug)}
    )


@consult_app.command("reinstate-coder")
def reinstate_coder_cmd(
    slug: str,
    coder: Annotated[str, typer.Argument(help="The coder's user name.")],
    reason: Reason,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Undo a withdrawal made in error (coordinator): the coder's codes count again; the withdrawal stays
    on record with the reinstatement beside it."""
    with acting(as_user) as (session, principal):
        consultation_round.reinstate_coder(session, principal, slug, coder, reason)
    _ = translator(resolve_lang(lang))
    echo(
        _("%(coder)s is reinstated in the coding of %(slug)s; the codes count again")
        % {"coder": coder, "slug": repr(slug)}
    )


@consult_app.command("coder-history")
def coder_history_cmd(
    slug: str,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Each withdrawal and reinstatement of a consultation's coders: who, by whom, when (Dutch time), why."""
    with acting(as_user) as (session, principal):
        found = consultation_round.round_history(session, principal, slug)
    if output_format is OutputFormat.json:
        print_json([asdict(c) for c in found])
        return
    from gbvs.web.labels import ROUND_CHANGES, name

    _ = translator(resolve_lang(lang))
    for c in found:
        made = moment(c.at, resolve_lang(lang))
        echo(f"{clean(c.coder)} {name(ROUND_CHANGES, c.kind, _)} ({clean(c.by)}, {made}): {clean(c.reason)}")


def register(app: typer.Typer) -> None:
    """Add ``gbvs opinion`` (with ``gbvs opinion consultations`` and its ``codebook``)."""
    consult_app.add_typer(codebook_app, name="codebook")
    opinion_app.add_typer(consult_app, name="consultations")
    app.add_typer(opinion_app, name="opinion")
