"""The computed indicators GBVS ships, computable from what is on main.

- goal 1: conflict incidence and battle deaths in the goal's focus countries (UCDP/PRIO ACD, BRD);
- goal 1: democratic-space closings in the ring around Europe (V-Dem, DemSpaces' event rule);
- goal 1: the backtested skill of the early-warning model (the latest stored backtest);
- goal 8: signals interpreted jointly (a joint-position assessment) per quarter;
- goal 1: watchlist alerts answered by a decision within eight weeks (early action);
- goal 1: threat-assessment scenarios whose scoring round closed (chapter 3).

Each is a :class:`~gbvs.reports.core.indicators.Definition` in :data:`REGISTRY`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from gbvs.actions.gap import RESPONSE_WEEKS, in_time
from gbvs.reports.core.indicators import (
    Context,
    Definition,
    Point,
    Rows,
    counted,
    model_run,
    register,
    words,
)

GOAL1_FOCUS = "goal1_focus"
RING = "ring_around_europe"
PANEL = "panel_country_year"
BACKTEST = "backtest"
JOINT = "joint_signals"
RESPONSES = "alert_responses"
SCENARIOS = "assessed_scenarios"
DEMSPACES_CLOSING_PREFIX = "ds_down_"


def _panel_rows(frames: Mapping[str, Any], ctx: Context, countries: str, columns: tuple[str, ...]) -> Rows:
    panel: pd.DataFrame = frames[PANEL]
    codes = set(ctx.gwcodes.get(countries, ()))
    years = ctx.years()
    inside = panel[panel["gwcode"].isin(codes) & panel["year"].between(years.start, years.stop - 1)]
    present = [c for c in columns if c in inside.columns]
    rows = inside[["gwcode", "year", *present]].sort_values(["gwcode", "year"])
    return [
        {str(key): _plain(str(key), value) for key, value in row.items()} for row in rows.to_dict("records")
    ]


def _plain(key: str, value: Any) -> int | float | None:
    if pd.isna(value):
        return None
    return int(value) if key in ("gwcode", "year") else float(value)


def _yearly(rows: Rows, ctx: Context, value: str, how: str) -> list[Point]:
    points = []
    for year in ctx.years():
        values = [r[value] for r in rows if r["year"] == year and r.get(value) is not None]
        if not values:
            points.append(Point(str(year), None, [words("no_data")]))
            continue
        total = sum(values) if how == "sum" else float(sum(1 for v in values if v > 0))
        points.append(Point(str(year), float(total)))
    return points


def _incidence_rows(frames: Mapping[str, Any], ctx: Context) -> Rows:
    return _panel_rows(frames, ctx, GOAL1_FOCUS, ("conflict",))


def _battle_rows(frames: Mapping[str, Any], ctx: Context) -> Rows:
    return _panel_rows(frames, ctx, GOAL1_FOCUS, ("brd_best",))


def _located_battle_rows(frames: Mapping[str, Any], ctx: Context) -> Rows:
    return _panel_rows(frames, ctx, GOAL1_FOCUS, ("brd_located_best",))


def _closing_rows(frames: Mapping[str, Any], ctx: Context) -> Rows:
    panel: pd.DataFrame = frames[PANEL]
    spaces = tuple(c for c in panel.columns if str(c).startswith(DEMSPACES_CLOSING_PREFIX))
    rows = _panel_rows(frames, ctx, RING, spaces)
    out = []
    for row in rows:
        known = [row[s] for s in spaces if row.get(s) is not None]
        out.append(
            {"gwcode": row["gwcode"], "year": row["year"], "closings": float(sum(known)) if known else None}
        )
    return out


def _skill_rows(frames: Mapping[str, Any], ctx: Context) -> Rows:
    report: Mapping[str, Any] | None = frames.get(BACKTEST)
    if not report:
        return []
    run = report.get("run", {})
    rows = []
    for score in report.get("scores", []):
        if score.get("model") == "lgbm" and score.get("target") == "incidence" and score.get("horizon") == 1:
            rows.append(
                {
                    "subset": str(score.get("subset")),
                    "ap": score.get("ap_mean"),
                    "brier": score.get("brier_mean"),
                    "roc_auc": score.get("roc_auc_mean"),
                    "n": score.get("n"),
                    "model_version": run.get("model_version"),
                    "training_cutoff": run.get("training_cutoff"),
                    "run_id": run.get("run_id"),
                    "created_at": str(run.get("created_at")),
                }
            )
    return sorted(rows, key=lambda r: r["subset"])


def _skill(rows: Rows, ctx: Context) -> list[Point]:
    main = [r for r in rows if r["subset"] == "all"] or rows[:1]
    if not main:
        return [Point("backtest", None, [words("note_no_backtest")])]
    row = main[0]
    note = [model_run(row["model_version"], row["training_cutoff"])]
    if row["subset"] != "all":
        note.append(words("note_subset", subset=row["subset"]))
    return [Point("backtest", None if row["ap"] is None else float(row["ap"]), note)]


def _joint_rows(frames: Mapping[str, Any], ctx: Context) -> Rows:
    rows: Rows = frames.get(JOINT) or []
    first, last = str(ctx.first_year), str(ctx.last_year)
    return sorted(
        (r for r in rows if first <= str(r["quarter"])[:4] <= last),
        key=lambda r: (str(r["quarter"]), int(r["signal_id"])),
    )


def _joint(rows: Rows, ctx: Context) -> list[Point]:
    counts: dict[str, set[int]] = {}
    for row in rows:
        counts.setdefault(str(row["quarter"]), set()).add(int(row["signal_id"]))
    points = []
    for year in ctx.years():
        for q in range(1, 5):
            key, not_begun = f"{year}-Q{q}", ctx.not_begun(year, q)
            count = None if not_begun else float(len(counts.get(key, set())))
            points.append(Point(key, count, [not_begun] if not_begun else ""))
    return points


def _in_window(key: str) -> Any:
    def extract(frames: Mapping[str, Any], ctx: Context) -> Rows:
        rows: Rows = frames.get(key) or []
        return sorted(
            (r for r in rows if r["year"] in ctx.years()), key=lambda r: tuple(map(str, r.values()))
        )

    return extract


def _kind(row: dict[str, Any]) -> str:
    return str(row.get("kind", "alert"))  # rows recorded before runs and rules were: alerts only


def _response_rows(frames: Mapping[str, Any], ctx: Context) -> Rows:
    """The alerts raised in the window, the forecast runs that raised them and the first run (the
    years before it have no data), and the alert rules."""
    rows: Rows = frames.get(RESPONSES) or []
    alerts = [r for r in rows if _kind(r) == "alert" and r["year"] in ctx.years()]
    runs = sorted((r for r in rows if _kind(r) == "run"), key=lambda r: (r["created_on"], r["run_id"]))
    used = {r["run_id"] for r in alerts} | {r["run_id"] for r in runs[:1]}
    kept = [*alerts, *(r for r in runs if r["run_id"] in used), *(r for r in rows if _kind(r) == "rules")]
    return sorted(kept, key=lambda r: tuple(map(str, r.values())))


def _responses(rows: Rows, ctx: Context) -> list[Point]:
    runs = [r for r in rows if _kind(r) == "run"]
    first = min(runs, key=lambda r: r["created_on"]) if runs else None
    points = []
    for year in ctx.years():
        alerts = [r for r in rows if _kind(r) == "alert" and r["year"] == year]
        timely = sum(1 for r in alerts if in_time(r["days_to_decision"]))
        not_begun = ctx.not_begun(year)
        if not_begun:
            note = not_begun  # no data yet, not "geen waarschuwingen"
        elif alerts:
            note = counted("note_of_alerts", len(alerts))
        elif rows and first is None:
            note = words("note_no_alerts")  # recorded before runs were: as it was computed then
        elif first is None:
            note = words("note_no_forecast_run")
        elif year < first["year"]:
            note = words("note_no_data_before_run", first=str(first["created_on"]))
        else:
            note = words("note_no_alerts")
        points.append(Point(str(year), float(timely) if alerts else None, [note]))
    return points


def _responses_provenance(rows: Rows) -> list[dict[str, Any]]:
    """The forecast runs the alerts came from (id, model version, training cutoff, data vintage), the
    alert rules (shipped or the data folder's watchlist.yaml, with its SHA-256) and the cases' scope."""
    if not rows or all(_kind(r) == "alert" for r in rows):
        return []
    notes: list[dict[str, Any]] = [
        {
            "source": words("source_watchlist"),
            "table": "forecasts",
            "version": r["run_id"],
            "vintage": r["data_vintage"],
            "model_version": r["model_version"],
            "training_cutoff": str(r["training_cutoff"]),
        }
        for r in sorted((r for r in rows if _kind(r) == "run"), key=lambda r: r["created_on"])
    ]
    for r in (r for r in rows if _kind(r) == "rules"):
        origin = words("rules_data_dir" if r["source"] == "data_dir" else "rules_shipped")
        notes.append(
            {
                "source": words(
                    "source_alert_rules",
                    origin=origin,
                    threshold=r["threshold"],
                    jump=r["jump"],
                    watch_from=r["watch_from"],
                ),
                "table": "watchlist.yaml",
                "version": f"sha256:{r['sha256']}",
                "vintage": None,
            }
        )
    notes.append({"source": words("source_cases_aggregate"), "table": "action_case", "version": None,
                  "vintage": None})  # fmt: skip
    return notes


def _scenarios(rows: Rows, ctx: Context) -> list[Point]:
    points = []
    for year in ctx.years():
        not_begun = ctx.not_begun(year)
        count = None if not_begun else float(len({r["scenario_id"] for r in rows if r["year"] == year}))
        points.append(Point(str(year), count, [not_begun] if not_begun else ""))
    return points


def _text(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


BATTLE_DEATHS_NAME = _text(
    "Gevechtsdoden per conflict in de focusgebieden van doel 1",
    "Battle deaths by conflict in the focus areas of goal 1",
)
LOCATED_BATTLE_DEATHS_NAME = _text(
    "Gevechtsdoden op het grondgebied van de focusgebieden van doel 1",
    "Battle deaths on the territory of the focus areas of goal 1",
)
"""The names of the two battle-death indicators, which each definition points to."""


CONFLICT_INCIDENCE = register(
    Definition(
        id="goal1_conflict_incidence",
        goal=1,
        level="outcome",
        name=_text(
            "Landen in gewapend conflict in de focusgebieden van doel 1",
            "Countries in armed conflict in the focus areas of goal 1",
        ),
        unit=_text("landen", "countries"),
        direction="down",
        definition=_text(
            "Aantal landen van de focusgebieden van doel 1 (ring rond Europa, Caribisch gebied, Venezuela, "
            "Oekraïne, Libië, Midden-Oosten) met ten minste één statelijk gewapend conflict van 25 of meer "
            "gevechtsdoden in het jaar (UCDP/PRIO Armed Conflict Dataset).",
            "Number of countries in the focus areas of goal 1 (ring around Europe, Caribbean, Venezuela, "
            "Ukraine, Libya, Middle East) with at least one state-based armed conflict of 25 or more battle "
            "deaths in the year (UCDP/PRIO Armed Conflict Dataset).",
        ),
        needs=(PANEL,),
        frequency="year",
        extract=_incidence_rows,
        cites=("ucdp_acd", "panel_country_year"),
        compute=lambda rows, ctx: _yearly(rows, ctx, "conflict", "count"),
    )
)

BATTLE_DEATHS = register(
    Definition(
        id="goal1_battle_deaths",
        goal=1,
        level="outcome",
        name=BATTLE_DEATHS_NAME,
        unit=_text("doden (beste schatting)", "deaths (best estimate)"),
        direction="down",
        definition=_text(
            "Som van de gevechtsdoden (beste schatting, UCDP Battle-Related Deaths) in statelijke conflicten "
            "in de landen van de focusgebieden van doel 1, per jaar; de doden van een conflict met meerdere "
            "landen worden gelijk over die landen verdeeld. Waar gevochten werd: zie de indicator "
            f"'{LOCATED_BATTLE_DEATHS_NAME['nl']}'.",
            "Sum of battle deaths (best estimate, UCDP Battle-Related Deaths) in state-based conflicts in "
            "the countries of the focus areas of goal 1, per year; the deaths of a conflict located in "
            "several countries are split evenly over them. Where the fighting happened: see the indicator "
            f"'{LOCATED_BATTLE_DEATHS_NAME['en']}'.",
        ),
        needs=(PANEL,),
        frequency="year",
        extract=_battle_rows,
        cites=("ucdp_brd", "panel_country_year"),
        compute=lambda rows, ctx: _yearly(rows, ctx, "brd_best", "sum"),
    )
)

LOCATED_BATTLE_DEATHS = register(
    Definition(
        id="goal1_battle_deaths_located",
        goal=1,
        level="outcome",
        name=LOCATED_BATTLE_DEATHS_NAME,
        unit=_text("doden (beste schatting)", "deaths (best estimate)"),
        direction="down",
        definition=_text(
            "Som van de gevechtsdoden (beste schatting) die vielen waar gevochten werd, in de landen van de "
            "focusgebieden van doel 1, per jaar: UCDP GED-gebeurtenissen opgeteld per land (poldat), nog "
            f"geen voor 2023. Anders dan de indicator '{BATTLE_DEATHS_NAME['nl']}', die de doden per "
            "conflict over de landen van het conflict verdeelt (2022: de helft van de oorlog in Oekraïne "
            "valt dan in Rusland, buiten de focusgebieden).",
            "Sum of the battle deaths (best estimate) where the fighting happened, in the countries of the "
            "focus areas of goal 1, per year: UCDP GED events summed by country (poldat), none yet for "
            f"2023. Unlike the indicator '{BATTLE_DEATHS_NAME['en']}', which splits a conflict's deaths over "
            "the countries of the conflict (2022: half of the war in Ukraine then falls in Russia, outside "
            "the focus areas).",
        ),
        needs=(PANEL,),
        frequency="year",
        extract=_located_battle_rows,
        cites=("poldat_country_year", "panel_country_year"),
        compute=lambda rows, ctx: _yearly(rows, ctx, "brd_located_best", "sum"),
    )
)

CLOSINGS_RING = register(
    Definition(
        id="goal1_demspace_closings_ring",
        goal=1,
        level="outcome",
        name=_text(
            "Sluiting van democratische ruimte in de ring rond Europa",
            "Closings of democratic space in the ring around Europe",
        ),
        unit=_text("sluitingen (ruimte-landen)", "closings (space-countries)"),
        direction="down",
        definition=_text(
            "Aantal sluitingen van democratische ruimte (zes V-Dem-ruimten, eventregel van de Democratic "
            "Spaces Barometer: daling groter dan het afkappunt) in de landen van de ring rond Europa, "
            "per jaar.",
            "Number of closings of democratic space (six V-Dem spaces, event rule of the Democratic Spaces "
            "Barometer: a fall beyond the cutpoint) in the countries of the ring around Europe, per year.",
        ),
        needs=(PANEL,),
        frequency="year",
        extract=_closing_rows,
        cites=("vdem", "demspaces_cutpoints"),
        compute=lambda rows, ctx: _yearly(rows, ctx, "closings", "sum"),
    )
)

EARLY_WARNING_SKILL = register(
    Definition(
        id="goal1_early_warning_skill",
        goal=1,
        level="output",
        name=_text(
            "Gebleken voorspelkracht van het early-warningmodel",
            "Backtested skill of the early-warning model",
        ),
        unit=_text("average precision (0-1)", "average precision (0-1)"),
        direction="up",
        definition=_text(
            "Average precision van de kans op gewapend conflict een jaar vooruit (alle landen), gemeten in "
            "de laatst opgeslagen rollende backtest (elk jaar voorspeld met alleen eerdere gegevens).",
            "Average precision of the probability of armed conflict one year ahead (all countries), measured "
            "in the latest stored rolling-origin backtest (each year forecast from earlier data only).",
        ),
        needs=(BACKTEST,),
        frequency="run",
        extract=_skill_rows,
        compute=_skill,
    )
)

JOINT_SIGNALS = register(
    Definition(
        id="goal8_joint_signals",
        goal=8,
        level="output",
        name=_text("Gezamenlijk geduide signalen per kwartaal", "Jointly interpreted signals per quarter"),
        unit=_text("signalen", "signals"),
        direction="up",
        definition=_text(
            "Aantal openbaar te maken signalen (TLP:CLEAR of vrijgegeven) waarover organisaties in het "
            "kwartaal "
            "een gezamenlijk standpunt vastlegden (beoordeling 'gezamenlijk', direct of via een casus).",
            "Number of publishable signals (TLP:CLEAR or released) on which organisations recorded a joint "
            "position in the quarter (an assessment marked joint, directly or through a case).",
        ),
        needs=(JOINT,),
        frequency="quarter",
        extract=_joint_rows,
        compute=_joint,
    )
)

ALERTS_ACTED_ON = register(
    Definition(
        id="goal1_alerts_acted_on",
        goal=1,
        level="output",
        name=_text(
            f"Waarschuwingen met een besluit binnen {RESPONSE_WEEKS} weken",
            f"Alerts answered by a decision within {RESPONSE_WEEKS} weeks",
        ),
        unit=_text("waarschuwingen", "alerts"),
        direction="up",
        definition=_text(
            "Aantal waarschuwingen van de aandachtslijst (per jaar waarin ze werden gegeven) waarop binnen "
            f"{RESPONSE_WEEKS} weken een besluit in een vroege-actiezaak volgde (handelen of beargumenteerd "
            "niet handelen); de toelichting noemt het totaal aantal waarschuwingen. Geteld over de zaken "
            "van alle organisaties, alleen als aantal: het cijfer is voor iedere lezer hetzelfde en toont "
            "geen zaak. Jaren vóór de eerste voorspellingsrun hebben geen gegevens.",
            "Number of watchlist alerts (by the year they were raised) answered within "
            f"{RESPONSE_WEEKS} weeks by a decision in an early-action case (to act, or a reasoned decision "
            "not to); the note gives the number of alerts. Counted over the cases of all organisations, "
            "as a number only: the figure is the same for every reader and shows no case. Years before "
            "the first forecast run have no data.",
        ),
        needs=(RESPONSES,),
        frequency="year",
        extract=_response_rows,
        compute=_responses,
        provenance=_responses_provenance,
    )
)

SCENARIOS_ASSESSED = register(
    Definition(
        id="threats_scenarios_assessed",
        goal=1,
        level="output",
        name=_text("Beoordeelde dreigingsscenario's", "Threat scenarios assessed"),
        unit=_text("scenario's", "scenarios"),
        direction="up",
        definition=_text(
            "Aantal dreigingsscenario's (hoofdstuk 3) waarvan in het jaar een scoringsronde van meerdere "
            "analisten werd gesloten.",
            "Number of threat scenarios (chapter 3) of which a scoring round by several analysts closed "
            "in the year.",
        ),
        needs=(SCENARIOS,),
        frequency="year",
        extract=_in_window(SCENARIOS),
        compute=_scenarios,
    )
)

BUILTIN: tuple[Definition, ...] = (
    CONFLICT_INCIDENCE,
    BATTLE_DEATHS,
    LOCATED_BATTLE_DEATHS,
    CLOSINGS_RING,
    EARLY_WARNING_SKILL,
    JOINT_SIGNALS,
    ALERTS_ACTED_ON,
    SCENARIOS_ASSESSED,
)
