"""Public opinion and consultations (issue 15, point 4) as computed progress indicators (pure).

- ``goal12_public_insecurity_abroad``: the share of the public that says insecurity abroad directly
  affects security in the Netherlands, from the published polls GBVS keeps (SAMR flash poll 2017, a
  non-probability online panel: published figures without microdata, so no interval; the caveat is
  in every note);
- ``goal8_trust_parliament``: the weighted share of the Dutch public that trusts the national
  parliament per Eurobarometer wave, with its 95% interval (probability samples, post-stratified);
  a wave the poll definition marks not comparable with the others (ZA2828, 1996: it asked whether
  people rely on parliament) is said so on its point and on the indicator's row (``caveats``), with
  the definition's reason; rows recorded before waves carried their comparability say nothing;
- ``goalN_consultation_mentions`` (N = 1..13): in closed consultations, the coded responses per theme
  linked to goal N, by the year the consultation closed (counts only, never texts).

A wave's base under ``MIN_BASE_RELIABLE`` is flagged *small base* and one under ``MIN_BASE_SHOWN`` has
no value, with its base in the note, as on the pages (:mod:`gbvs.opinion.estimates`).

Values come from the recorded rows only; a poll or consultation that is absent gives no point.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gbvs.opinion.estimates import MIN_BASE_RELIABLE, MIN_BASE_SHOWN
from gbvs.reports.core.indicators import Context, Definition, Point, Rows, Words, fixed, register, words
from gbvs.reports.core.indicators import bilingual as _text

PUBLISHED_POLLS = "published_polls"
POLL_TRENDS = "poll_trends"
CONSULTATION_THEMES = "consultation_themes"
INSECURITY_POLL = ("samr-2017-flitspeiling", "insecurity_abroad_affects_nl")
TRUST_TREND = "eb-trust-parliament-nl:national_parliament:1"
GOALS = range(1, 14)


def _published_rows(frames: Mapping[str, Any], ctx: Context) -> Rows:
    poll_id, result_id = INSECURITY_POLL
    rows = []
    for poll in frames.get(PUBLISHED_POLLS) or []:
        if poll["id"] != poll_id:
            continue
        for result in poll["results"]:
            if result["id"] == result_id and int(poll["fieldwork"][:4]) in ctx.years():
                rows.append(
                    {
                        "poll": poll["id"],
                        "year": int(poll["fieldwork"][:4]),
                        "percent": float(result["percent"]),
                        "n": int(result["n"]),
                        "sample_kind": poll["sample_kind"],
                        "caveat": poll["caveat"],
                        "source": poll["source"],
                        "lower": None,
                        "upper": None,
                    }
                )
    return rows


def _note(row: Mapping[str, Any]) -> list[Words]:
    if row["lower"] is None:
        interval = words("note_no_interval")
    else:
        interval = words("note_interval", low=fixed(row["lower"], 1), high=fixed(row["upper"], 1))
    kind = "nonprobability" if row["sample_kind"] == "nonprobability" else "probability"
    small = [words("note_small_base", min=MIN_BASE_RELIABLE)] if int(row["n"]) < MIN_BASE_RELIABLE else []
    return [
        words("note_n", n=int(row["n"])),
        *small,
        interval,
        words(f"note_sample_{kind}"),
        *_wave_flag(row),
    ]


COMPARABLE = "comparable"
"""A wave's comparability status when it asked what the other waves asked
(:class:`gbvs.opinion.questionnaire.Comparability`, as recorded in the report's rows)."""


def _wave_flag(row: Mapping[str, Any]) -> list[Words]:
    """Why a wave is not (or not known to be) comparable, from the row; nothing for a comparable wave
    or a row recorded without its comparability."""
    status = row.get("comparability")
    if status is None or status == COMPARABLE:
        return []
    label = "note_not_comparable" if status == "not comparable" else "note_comparability_unknown"
    return [words(label, reason=dict(row["comparability_reason"]))]


def _comparability_caveats(rows: Rows, ctx: Context) -> list[Words]:
    """The indicator's row: which waves in the window are not (known to be) comparable, and why."""
    return [
        words(
            "caveat_not_comparable"
            if r["comparability"] == "not comparable"
            else "caveat_comparability_unknown",
            year=str(r["year"]),
            reason=dict(r["comparability_reason"]),
        )
        for r in sorted(rows, key=lambda r: int(r["year"]))
        if r.get("comparability") not in (None, COMPARABLE) and int(r["year"]) in ctx.years()
    ]


def _shares(rows: Rows, ctx: Context) -> list[Point]:
    by_year = {r["year"]: r for r in rows}
    points = []
    for year in ctx.years():
        row = by_year.get(year)
        if row is None:
            points.append(Point(str(year), None, [words("note_no_poll")]))
        elif row.get("suppressed"):
            note = words("note_suppressed", n=int(row["n"]), min=MIN_BASE_SHOWN)
            points.append(Point(str(year), None, [note]))
        else:
            points.append(Point(str(year), float(row["percent"]), _note(row)))
    return points


def _poll_provenance(rows: Rows) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        caveat = row.get("caveat") or {}
        seen.setdefault(
            row["poll"],
            {
                "source": row["source"],
                "table": row["poll"],
                "version": row.get("sha256") or "-",
                "vintage": _vintage([r for r in rows if r["poll"] == row["poll"]]),
                "evidence": {"nl": caveat["nl"], "en": caveat["en"]} if caveat else "",
            },
        )
    return list(seen.values())


def _vintage(waves: Rows) -> str:
    """The vintage of a poll or trend: its latest wave (recorded, or the latest year of the rows)."""
    return max(str(w.get("vintage") or w["year"]) for w in waves)


def _trend_rows(frames: Mapping[str, Any], ctx: Context) -> Rows:
    """The trend's waves in the window, each with the series' latest wave as its vintage."""
    trends: Mapping[str, Rows] = frames.get(POLL_TRENDS) or {}
    rows = trends.get(TRUST_TREND)
    if rows is None:
        return []
    latest = _vintage(rows)
    return [{**r, "vintage": latest} for r in rows if int(r["year"]) in ctx.years()]


def _trust(rows: Rows, ctx: Context) -> list[Point]:
    return _shares(rows, ctx)


def _mention_rows(goal: int) -> Any:
    def extract(frames: Mapping[str, Any], ctx: Context) -> Rows:
        rows: Rows = frames.get(CONSULTATION_THEMES) or []
        return sorted(
            (
                {k: r[k] for k in ("slug", "year", "theme", "label", "count")}
                for r in rows
                if goal in r["goals"] and r["year"] in ctx.years()
            ),
            key=lambda r: (r["year"], r["slug"], r["theme"]),
        )

    return extract


def _mentions(rows: Rows, ctx: Context) -> list[Point]:
    points = []
    for year in ctx.years():
        inside = [r for r in rows if r["year"] == year]
        if not inside:
            points.append(Point(str(year), None, [words("note_no_consultation")]))
            continue
        note = [words("note_theme_count", theme=dict(r["label"]), count=r["count"]) for r in inside]
        points.append(Point(str(year), float(sum(r["count"] for r in inside)), note))
    return points


def _consultation_provenance(rows: Rows) -> list[dict[str, Any]]:
    slugs = sorted({(r["slug"], r["year"]) for r in rows})
    return [
        {
            "source": words("source_consultations"),
            "table": "consultation",
            "version": slug,
            "vintage": str(year),
        }
        for slug, year in slugs
    ]


PUBLIC_INSECURITY_ABROAD = register(
    Definition(
        id="goal12_public_insecurity_abroad",
        goal=12,
        level="outcome",
        name=_text(
            "Publiek dat onveiligheid in het buitenland van invloed acht op de veiligheid in Nederland",
            "Public that considers insecurity abroad to affect security in the Netherlands",
        ),
        unit=_text("procent (eens)", "percent (agree)"),
        direction="up",
        definition=_text(
            "Aandeel dat het eens is met 'Onveiligheid buiten Nederland heeft een direct effect op de "
            "veiligheid in Nederland', per peilingsjaar, uit de gepubliceerde peilingen die GBVS bewaart "
            "(SAMR-flitspeiling 2017, bijlage 2: niet-aselect online panel van geïnteresseerden, geen "
            "microdata, dus geen interval; de cijfers gelden niet voor alle Nederlanders).",
            "Share agreeing that 'insecurity outside the Netherlands directly affects security in the "
            "Netherlands', per poll year, from the published polls GBVS keeps (SAMR flash poll 2017, "
            "annex 2: a non-probability online panel of interested people, no microdata, hence no "
            "interval; the figures do not describe all Dutch adults).",
        ),
        needs=(PUBLISHED_POLLS,),
        frequency="year",
        extract=_published_rows,
        compute=_shares,
        provenance=_poll_provenance,
        neutral=True,
    )
)

TRUST_PARLIAMENT = register(
    Definition(
        id="goal8_trust_parliament",
        goal=8,
        level="outcome",
        name=_text("Vertrouwen in het nationale parlement", "Trust in the national parliament"),
        unit=_text("procent (vertrouwt)", "percent (trust)"),
        direction="up",
        definition=_text(
            "Gewogen aandeel Nederlanders dat het nationale parlement vertrouwt (Eurobarometer, "
            "geharmoniseerde golven, post-stratificatiegewicht; 'weet niet' buiten de basis), met "
            "95%-interval; als maat voor maatschappelijke weerbaarheid (doel 8).",
            "Weighted share of the Dutch who trust the national parliament (Eurobarometer, harmonised "
            "waves, post-stratification weight; don't know outside the base), with its 95% interval; a "
            "measure of societal resilience (goal 8).",
        ),
        needs=(POLL_TRENDS,),
        frequency="year",
        extract=_trend_rows,
        compute=_trust,
        provenance=_poll_provenance,
        caveats=_comparability_caveats,
    )
)


def _mentions_definition(goal: int) -> Definition:
    return Definition(
        id=f"goal{goal}_consultation_mentions",
        goal=goal,
        level="output",
        name=_text(
            f"Consultatiereacties op thema's van doel {goal}",
            f"Consultation responses on themes of goal {goal}",
        ),
        unit=_text("reacties per thema (opgeteld)", "responses per theme (summed)"),
        direction="up",
        definition=_text(
            f"In gesloten consultaties: het aantal gecodeerde reacties per thema dat aan doel {goal} is "
            "gekoppeld (besluit van de beoordelaar of eensgezinde codeurs), opgeteld over die thema's en "
            "per jaar van sluiting; de toelichting geeft de telling per thema. Alleen aantallen.",
            f"In closed consultations: the number of coded responses per theme linked to goal {goal} "
            "(adjudicated, or all coders agreeing), summed over those themes, by the year the consultation "
            "closed; the note gives the count per theme. Counts only.",
        ),
        needs=(CONSULTATION_THEMES,),
        frequency="year",
        extract=_mention_rows(goal),
        compute=_mentions,
        provenance=_consultation_provenance,
        neutral=True,
    )


CONSULTATION_MENTIONS = tuple(register(_mentions_definition(goal)) for goal in GOALS)
