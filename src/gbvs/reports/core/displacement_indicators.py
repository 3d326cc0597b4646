"""Goal 13 (integrated border management) and forced displacement (issue 17) as computed indicators.

- ``goal13_asylum_applications_nl``: asylum applications lodged in the Netherlands per year, summed
  over the origins of ``panel_displacement`` (UNHCR);
- ``goal13_asylum_forecast_nl``: the displacement model's forecast of those applications for the year
  after its training cutoff, from the newest run made by the end of the period, with its 90% interval,
  model version and training cutoff, and, where the backtest of that model version found a baseline
  better, the pages' sentence saying so (``backtest_caveat``, in Dutch and English).

Both are context for the goal, not a verdict on it: a rise or fall is not called better or worse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from gbvs.reports.core.indicators import Context, Definition, Point, Rows, counted, fixed, register, words
from gbvs.reports.core.indicators import bilingual as _text

DISPLACEMENT_PANEL = "panel_displacement"
DISPLACEMENT_RUNS = "displacement_runs"
QUANTILE_KEYS = ("q05", "q25", "q50", "q75", "q95")
FORECAST_HORIZON = 1
"""The forecast's horizon (years after the training cutoff) the indicator shows."""


def _application_rows(frames: Mapping[str, Any], ctx: Context) -> Rows:
    panel: pd.DataFrame = frames[DISPLACEMENT_PANEL]
    years = ctx.years()
    inside = panel[panel["year"].between(years.start, years.stop - 1) & panel["asylum_nl"].notna()]
    totals = inside.groupby("year")["asylum_nl"].agg(["sum", "count"])
    return [
        {"year": int(str(year)), "asylum_nl": float(row["sum"]), "origins": int(row["count"])}
        for year, row in totals.sort_index().iterrows()
    ]


def _applications(rows: Rows, ctx: Context) -> list[Point]:
    by_year = {r["year"]: r for r in rows}
    points = []
    for year in ctx.years():
        row = by_year.get(year)
        if row is None:
            points.append(Point(str(year), None, [words("no_data")]))
        else:
            note = counted("note_origins", row["origins"])
            points.append(Point(str(year), float(row["asylum_nl"]), [note]))
    return points


def forecast_totals(rows: pd.DataFrame) -> Rows:
    """Per forecast year: each quantile summed over the origins (``asylum_nl``, horizon 1 rows of a run).

    The sum of the origins' quantiles is the quantile of the total when the origins move together; the
    true interval of the total is narrower. The run keeps no samples, so this is the honest bound."""
    picked = rows[(rows["target"] == "asylum_nl") & (rows["horizon"] == FORECAST_HORIZON)]
    out = []
    for period, group in picked.groupby("forecast_period"):
        out.append(
            {
                "forecast_period": int(str(period)),
                "origins": len(group),
                **{q: float(group[q].sum()) for q in QUANTILE_KEYS},
            }
        )
    return sorted(out, key=lambda r: r["forecast_period"])


def _forecast_rows(frames: Mapping[str, Any], ctx: Context) -> Rows:
    """The newest run made in or before the window's last year (as known at the period's end)."""
    runs: list[dict[str, Any]] = frames.get(DISPLACEMENT_RUNS) or []
    known = [r for r in runs if int(str(r["created_at"])[:4]) <= ctx.last_year and r["totals"]]
    if not known:
        return []
    run = max(known, key=lambda r: str(r["created_at"]))
    keys = ("run_id", "created_at", "model_version", "training_cutoff", "data_vintage")
    caveat = run.get("backtest_caveat")  # absent in snapshots frozen before it was carried
    return [{**{k: run[k] for k in keys}, **total, "backtest_caveat": caveat} for total in run["totals"]]


def _forecast(rows: Rows, ctx: Context) -> list[Point]:
    if not rows:
        return [Point("forecast", None, [words("note_no_forecast")])]
    row = min(rows, key=lambda r: r["forecast_period"])
    note = [
        words(
            "note_forecast_interval",
            year=str(row["forecast_period"]),
            low=fixed(row["q05"], 0),
            high=fixed(row["q95"], 0),
        ),
        words(
            "note_forecast_run",
            model=str(row["model_version"]),
            cutoff=str(row["training_cutoff"]),
            run=str(row["run_id"]),
        ),
    ]
    if row.get("backtest_caveat"):
        note.append(words("note_forecast_backtest", text=row["backtest_caveat"]))
    return [Point(str(row["forecast_period"]), float(row["q50"]), note)]


def _forecast_provenance(rows: Rows) -> list[dict[str, Any]]:
    return [
        {
            "source": words("source_displacement_forecast"),
            "table": "forecasts",
            "version": row["run_id"],
            "vintage": row["data_vintage"],
            "model_version": row["model_version"],
            "training_cutoff": str(row["training_cutoff"]),
        }
        for row in rows[:1]
    ]


ASYLUM_APPLICATIONS_NL = register(
    Definition(
        id="goal13_asylum_applications_nl",
        goal=13,
        level="outcome",
        name=_text("Asielaanvragen in Nederland", "Asylum applications in the Netherlands"),
        unit=_text("aanvragen", "applications"),
        direction="down",
        definition=_text(
            "Asielaanvragen ingediend in Nederland in het jaar (nieuw en herhaald, UNHCR Refugee Population "
            "Statistics), opgeteld over de herkomstlanden met een Gleditsch-Ward-code; aanvragen van "
            "staatlozen en van onbekende herkomst tellen niet mee. Geen telling van irreguliere migratie.",
            "Asylum applications lodged in the Netherlands in the year (new and repeated, UNHCR Refugee "
            "Population Statistics), summed over the origin countries with a Gleditsch-Ward code; "
            "applications of stateless people and of unknown origin are not counted. Not a count of "
            "irregular migration.",
        ),
        needs=(DISPLACEMENT_PANEL,),
        frequency="year",
        extract=_application_rows,
        compute=_applications,
        cites=("unhcr_asylum_applications", "panel_displacement"),
        neutral=True,
    )
)

ASYLUM_FORECAST_NL = register(
    Definition(
        id="goal13_asylum_forecast_nl",
        goal=13,
        level="outcome",
        name=_text(
            "Voorspelling van asielaanvragen in Nederland (volgend jaar)",
            "Forecast asylum applications in the Netherlands (next year)",
        ),
        unit=_text("aanvragen (mediaan)", "applications (median)"),
        direction="down",
        definition=_text(
            "Mediaan van de GBVS-voorspelling van asielaanvragen in Nederland één jaar na de trainingsgrens, "
            "opgeteld over de herkomstlanden, uit de nieuwste voorspelling gemaakt vóór het einde van de "
            "periode; het 90%-interval is de som van de intervallen per herkomstland (de ruimste "
            "schatting). Een planningshulpmiddel, geen uitspraak over individuele personen.",
            "Median of the GBVS forecast of asylum applications in the Netherlands one year after the "
            "training cutoff, summed over the origin countries, from the newest forecast made before the "
            "end of the period; the 90% interval is the sum of the origins' intervals (the widest case). "
            "A planning aid, not a prediction about individuals.",
        ),
        needs=(DISPLACEMENT_RUNS,),
        frequency="run",
        extract=_forecast_rows,
        compute=_forecast,
        provenance=_forecast_provenance,
        neutral=True,
    )
)
