"""Reads for the command line: the latest displacement run, history and the goal-13 ranking.

Opens the analytical store and the forecasts file (through :mod:`gbvs.store`) once per call; the web
app reads the same through its caches (``gbvs.web.queries.displacement``) and the same pure ranking.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from gbvs.config import Settings
from gbvs.countries import iso3_of, name_of_gwcode
from gbvs.errors import NoForecastRunError, said
from gbvs.forecasting import queries as fq
from gbvs.forecasting.displacement.ranking import ASYLUM_TARGET, RankingRow, build_ranking
from gbvs.forecasting.displacement.selection import Selection, validation_of
from gbvs.forecasting.displacement.service import BASELINE_KIND, UNIT
from gbvs.forecasting.displacement.skill import (
    BASELINE_LINE,
    BASELINE_NAMES,
    BASELINE_RULES,
    LEVEL_RULE,
    LEVEL_SENTENCE,
    LOSS_REPORTED,
    LOSS_SENTENCE,
    MODEL_LINE,
    SELECTED_BASELINE,
    SELECTED_MODEL,
    TARGET_NAMES,
    BacktestSkill,
    Gettext,
    describe,
    from_document,
    loss_text,
    provenance_line,
    selection_text,
    validation_text,
)
from gbvs.languages import N_
from gbvs.numbers import day, decimal
from gbvs.panels.displacement import NETHERLANDS
from gbvs.safetext import defused_row
from gbvs.store import open_store, reads
from gbvs.store.forecasts import FORECAST_COLUMNS, ForecastsReader, StoredRun, forecasts_path, open_forecasts
from gbvs.store.tables import TableName

RANKING_COLUMNS: tuple[str, ...] = (
    "rank", "iso3", "gwcode", "name", "forecast_period", "q05", "q25", "q50", "q75", "q95", "width90",
    "last_year", "last_value", "change", "new_displacement_q50", "p_conflict", "baseline_q05", "baseline_q50",
    "baseline_q95",
)  # fmt: skip
RUN_COLUMNS: tuple[str, ...] = ("run_id", "model_version", "training_cutoff", "data_vintage", "created_at")
CONFLICT_RUN_COLUMNS: tuple[str, ...] = tuple(f"conflict_{c}" for c in RUN_COLUMNS)
"""The conflict run behind ``p_conflict`` (another run than the displacement forecasts')."""
BACKTEST_COLUMNS: tuple[str, ...] = ("backtest_run_id", "better_baseline", "baseline_run_id")
"""The latest backtest beside the forecasts, the baseline it found better for asylum applications at
the ranking's horizon (empty where the forecasts beat or equal every baseline) and the run that keeps
that baseline's forecast (``baseline_q05``-``baseline_q95``; empty where the forecast run keeps none)."""
CSV_COLUMNS: tuple[str, ...] = (*RANKING_COLUMNS, *RUN_COLUMNS, *CONFLICT_RUN_COLUMNS, *BACKTEST_COLUMNS)
"""The ranking's CSV (``gbvs displacement ranking --format csv`` and the API's ``format=csv``)."""
NOT_APPLICATIONS = N_(
    "Asylum applications are not a count of irregular migration, and the forecast is a planning aid, "
    "not a prediction about individuals."
)
"""The caveat beside every displacement forecast: the pages, the API (in the request's language) and the
command line (its JSON in English)."""

LEFT_OUT = N_(
    "Asylum applications by stateless people, by people of unknown origin and from places that are no state "
    "in the Gleditsch-Ward list (such as the Palestinian territories, Western Sahara and Hong Kong) are not "
    "forecast and not in this ranking; UNHCR's figures for them are in the store's UNHCR tables."
)
"""What the ranking leaves out (``gbvs.countries.unhcr_not_a_state`` and origins without a state): the
page, the API (``left_out``) and the command line say it."""
BOUND_NOTE = N_(
    "Where a 50%% interval and a 90%% interval end at the same value (%(values)s), at least a fifth of the "
    "model's samples lie at the highest value it allows: the bound its inner window chose, usually the "
    "largest value of the training years. A higher number is possible, but the model gives it no probability."
)
"""Beside forecasts whose upper quantiles coincide (``ranking.at_bound``): the pages and the CLI."""
BASELINES_MISSING = N_(
    "Forecast run %(run)s keeps no forecasts of the baselines: it was made before GBVS kept them beside its "
    "forecasts, so the baseline to go by cannot be shown here. `gbvs displacement forecast` makes a run that "
    "keeps them."
)
"""Where a forecast run has no baseline runs beside it (made before they were kept): the pages where the
backtest says to go by a baseline, the API (``baselines_missing``) and the CLI."""
GO_BY = N_("go by this forecast")
LEVEL_WITH = N_("level with the model's forecast in the backtest")
"""How the pages and the CLI mark a baseline's forecast shown beside the model's: the one to go by, or
(where the loss is within the spread over the seeds) one the backtest found level with the model's."""


def run_selections(run: StoredRun) -> list[Selection]:
    """Which forecast a run publishes per target and horizon, and why (its config's ``selection``); none
    for a run made before v6, which published the main model's forecasts everywhere."""
    try:
        config = json.loads(run.config or "{}")
    except ValueError:
        return []
    found = config.get("selection", []) if isinstance(config, dict) else []
    return [Selection.from_dict(item) for item in found]


def selection_entries(
    selections: list[Selection], horizon: int | None = None, gettext: Gettext = str, lang: str = "en"
) -> list[dict[str, Any]]:
    """The selections (of one horizon, or all) as plain data with their sentence (``text``)."""
    return [
        {**s.as_dict(), "text": selection_text(s, gettext, lang)}
        for s in selections
        if horizon is None or s.horizon == horizon
    ]


def latest_run(forecasts: ForecastsReader) -> tuple[StoredRun, pd.DataFrame]:
    """The newest displacement forecast run and its rows; NoForecastRunError with the fix otherwise."""
    runs = forecasts.runs("forecast", UNIT)
    if not runs:
        raise NoForecastRunError(
            said(
                "no displacement forecast yet; run `gbvs displacement forecast` (after `gbvs ingest` with "
                "the UNHCR files in the mirror)"
            )
        )
    return runs[0], forecasts.forecast_rows(runs[0].run_id)


NO_BACKTEST = "no displacement backtest stored yet; run `gbvs displacement backtest`"
QUICK_NOTE = N_(
    "This was a quick backtest (few forecast years, %(seeds)s seed(s)): its figures are not comparable "
    "with those of the full backtest."
)
OTHER_VERSION_NOTE = N_(
    "This backtest scored model version %(backtest)s, another version than that of the forecasts shown "
    "(%(live)s): its figures do not describe these forecasts."
)
"""The pages' notes on a stored backtest (``displacement_skill.html``, through the template global
``displacement_texts``), also in the CLI's text output. Where the forecasts lost, the sentence is
rendered once (``skill.loss_text``) and carried in the backtest's data to the pages, the API and the CLI."""


@dataclass(frozen=True)
class SkillTexts:
    """The sentences on a stored backtest that the pages (template global ``displacement_texts``) and the
    command line share, as message ids."""

    quick: str = QUICK_NOTE
    other_version: str = OTHER_VERSION_NOTE
    bound: str = BOUND_NOTE
    baselines_missing: str = BASELINES_MISSING
    go_by: str = GO_BY
    level_with: str = LEVEL_WITH


SKILL_TEXTS = SkillTexts()
MESSAGES: tuple[str, ...] = (
    QUICK_NOTE, OTHER_VERSION_NOTE, LOSS_SENTENCE, LEVEL_SENTENCE, LEFT_OUT, BOUND_NOTE, BASELINES_MISSING,
    GO_BY, LEVEL_WITH, *BASELINE_NAMES.values(), *TARGET_NAMES.values(), LOSS_REPORTED, LEVEL_RULE,
    SELECTED_BASELINE, SELECTED_MODEL, MODEL_LINE, BASELINE_LINE, *BASELINE_RULES.values(),
)  # fmt: skip
"""Every message of the displacement skill that the pages and the command line share."""


@dataclass(frozen=True)
class StoredSkill:
    """The latest stored displacement backtest: its run (provenance) and its skill."""

    run: StoredRun
    skill: BacktestSkill


def latest_backtest(forecasts: ForecastsReader, live_version: str | None = None) -> StoredSkill:
    """The newest stored displacement backtest of model version ``live_version`` (the forecasts it is
    shown beside), else the newest of any version (which the pages then say is another version);
    NoForecastRunError (:data:`NO_BACKTEST`) without one."""
    runs = forecasts.runs("backtest", UNIT)
    if not runs:
        raise NoForecastRunError(said(NO_BACKTEST))
    run = next((r for r in runs if r.model_version == live_version), runs[0])
    return StoredSkill(run, from_document(json.loads(forecasts.backtest_report(run.run_id))))


@dataclass(frozen=True)
class BaselineForecasts:
    """The baselines' live forecasts kept beside a forecast run (runs of kind ``BASELINE_KIND``): each
    baseline's run (its provenance) and their forecast rows (:data:`FORECAST_COLUMNS` and ``model``)."""

    runs: dict[str, StoredRun]
    rows: pd.DataFrame

    def of(self, baseline: str) -> pd.DataFrame:
        """The forecast rows of one baseline (none where the run keeps it not)."""
        return self.rows[self.rows["model"] == baseline]


def _kept_beside(run: StoredRun, forecast_run: str) -> bool:
    try:
        config = json.loads(run.config)
    except ValueError:
        return False
    return isinstance(config, dict) and config.get("forecast_run") == forecast_run


def baseline_forecasts(forecasts: ForecastsReader, run: StoredRun) -> BaselineForecasts:
    """The baselines' forecasts kept beside forecast run ``run`` (no runs: a run made before GBVS kept
    them, which :data:`BASELINES_MISSING` says)."""
    runs = {r.model: r for r in forecasts.runs(BASELINE_KIND, UNIT) if _kept_beside(r, run.run_id)}
    frames = [forecasts.forecast_rows(r.run_id).assign(model=name) for name, r in runs.items()]
    empty = pd.DataFrame(columns=[*FORECAST_COLUMNS, "model"])
    return BaselineForecasts(runs, pd.concat(frames, ignore_index=True) if frames else empty)


def go_by(backtest: dict[str, Any] | None) -> dict[tuple[str, int], dict[str, Any]]:
    """Per target and horizon where the backtest found a baseline better than the forecasts of its model
    version (``better_baseline``), that target's entry of :func:`backtest_dict`'s data."""
    targets = (backtest or {}).get("targets", [])
    return {(t["target"], int(t["horizon"])): t for t in targets if t["better_baseline"]}


def missing_baselines(run: Any, stored: bool, gettext: Gettext = str) -> str | None:
    """:data:`BASELINES_MISSING` for forecast run ``run`` where it keeps no baseline forecasts."""
    return None if stored else gettext(BASELINES_MISSING) % {"run": run.run_id}


def ranking_baseline(
    backtest: dict[str, Any] | None, baselines: BaselineForecasts, horizon: int
) -> tuple[str, pd.DataFrame] | None:
    """The baseline the backtest found better for asylum applications at ``horizon`` and its forecast
    rows, to show beside the ranking's (None: no such baseline, or the run keeps no forecast of it)."""
    entry = go_by(backtest).get((ASYLUM_TARGET, horizon))
    if entry is None or entry["better_baseline"] not in baselines.runs:
        return None
    name = str(entry["better_baseline"])
    return name, baselines.of(name)


@dataclass(frozen=True)
class ConflictRisk:
    """The latest conflict forecast (incidence) per country for one forecast year, and its run (None:
    the latest conflict run has no forecast for that year, so no probability is shown)."""

    p: dict[int, float]
    run: fq.RunInfo | None


def conflict_risk(forecasts: ForecastsReader, forecast_period: int) -> ConflictRisk:
    """The latest conflict run's incidence forecasts for ``forecast_period`` only, at whatever horizon its
    origin gives (the conflict and displacement data may end in different years): a probability for
    another year would stand beside the displacement forecast as if for the same one."""
    try:
        items = fq.latest_forecasts(forecasts, target="incidence")
    except NoForecastRunError:
        return ConflictRisk({}, None)
    matching = [f for f in items if f.forecast_period == forecast_period]
    p = {int(f.unit_key): float(f.p) for f in matching if f.p is not None}
    return ConflictRisk(p, matching[0].run if matching else None)


def identify(lang: str) -> Any:
    """(iso3, name) of a Gleditsch-Ward code in ``lang`` for the ranking; None (left out) for a code without
    ISO3 and for the Netherlands, no origin of asylum applications in the Netherlands (its forecast is 0)."""

    def lookup(gwcode: int) -> tuple[str, str] | None:
        iso3 = iso3_of(gwcode)
        if iso3 is None or iso3 == NETHERLANDS:
            return None
        return iso3, name_of_gwcode(gwcode, lang) or iso3

    return lookup


def last_values(panel: pd.DataFrame, year: int, column: str = "asylum_nl") -> dict[int, float | None]:
    """``column`` per country in ``year`` from ``panel_displacement`` rows."""
    rows = panel[panel["year"] == year]
    return {
        int(g): (None if pd.isna(v) else float(v)) for g, v in zip(rows["gwcode"], rows[column], strict=True)
    }


@dataclass(frozen=True)
class RankingView:
    """The ranking with the run it comes from."""

    run: StoredRun
    horizon: int
    rows: list[RankingRow]
    conflict_run: fq.RunInfo | None = None
    backtest: StoredSkill | None = None
    """The latest displacement backtest (None: none stored yet)."""
    baselines: BaselineForecasts | None = None
    """The baselines' forecasts kept beside the run (None: not read)."""
    selections: tuple[Selection, ...] = ()
    """Which forecast the run publishes per target and horizon (:func:`run_selections`)."""

    def selection_lines(self, gettext: Gettext = str, lang: str = "en") -> list[str]:
        """For asylum applications at this horizon: which forecast is published, and both skills."""
        kept = [s for s in self.selections if s.target == ASYLUM_TARGET]
        lines = [e["text"] for e in selection_entries(kept, self.horizon, gettext, lang)]
        made = validation_of(self.run)
        if not lines or made is None:
            return lines
        return [*lines, validation_text(self.run.run_id, made.reused_in(self.run.run_id), gettext, lang)]

    @property
    def baseline_run(self) -> StoredRun | None:
        """The run of the baseline shown beside the ranking's forecasts (None: none shown)."""
        shown = next((r.baseline for r in self.rows if r.baseline), None)
        return None if shown is None or self.baselines is None else self.baselines.runs.get(shown)

    @property
    def baselines_missing(self) -> bool:
        """Whether the backtest says to go by a baseline at this horizon but the run keeps none."""
        wanted = go_by(backtest_dict(self.backtest, self.run.model_version, self.horizon))
        return bool(wanted) and self.baselines is not None and not self.baselines.runs

    def as_dict(self, limit: int | None = None) -> dict[str, Any]:
        """Plain data with provenance, the backtest's skill at this horizon, the baseline shown beside
        the forecasts (its run) and the caveat."""
        baseline_run = self.baseline_run
        return {
            "horizon": self.horizon,
            "run": {c: str(getattr(self.run, c)) for c in RUN_COLUMNS},
            "conflict_run": None
            if self.conflict_run is None
            else {c: str(getattr(self.conflict_run, c)) for c in RUN_COLUMNS},
            "backtest": backtest_dict(self.backtest, self.run.model_version, self.horizon),
            "baseline_run": None
            if baseline_run is None
            else {c: str(getattr(baseline_run, c)) for c in RUN_COLUMNS},
            "baselines_missing": missing_baselines(
                self.run, self.baselines is None or bool(self.baselines.runs)
            ),
            "caveat": NOT_APPLICATIONS,
            "left_out": LEFT_OUT,
            "selection": selection_entries(list(self.selections), self.horizon),
            "rows": [r.as_dict() for r in self.rows[:limit]],
        }

    def baseline_lines(self, gettext: Gettext = str, lang: str = "en") -> list[str]:
        """Which baseline stands beside each origin's forecast and its run, or that the run keeps none."""
        _ = gettext
        if self.baselines_missing:
            return [missing_baselines(self.run, False, _) or ""]
        run = self.baseline_run
        if run is None:
            return []
        entry = go_by(backtest_dict(self.backtest, self.run.model_version, self.horizon))
        level = entry[(ASYLUM_TARGET, self.horizon)]["loss_within_seed_spread"]
        return [
            _("baseline: %(baseline)s (%(mark)s); run %(run)s")
            % {
                "baseline": _(BASELINE_NAMES.get(run.model, run.model)),
                "mark": _(LEVEL_WITH if level else GO_BY),
                "run": run.run_id,
            },
            provenance_line(run, _),
        ]

    def bound_lines(self, gettext: Gettext = str, lang: str = "en", limit: int | None = None) -> list[str]:
        """:data:`BOUND_NOTE` where a shown origin's intervals end at the model's bound (else nothing)."""
        values = dict.fromkeys(r.q95 for r in self.rows[:limit] if r.upper_quantiles_coincide)
        if not values:
            return []
        return [gettext(BOUND_NOTE) % {"values": ", ".join(decimal(v, lang, 0) for v in values)}]

    def skill_lines(self, gettext: Gettext = str, lang: str = "en") -> list[str]:
        """The backtest's skill at this horizon for the CLI's text output, in the pages' words through
        ``gettext`` and with the numbers of ``lang``; where the forecasts lose only when the backtest
        scored their model version (as the pages say it)."""
        stored, _ = self.backtest, gettext
        if stored is None:
            return [_(NO_BACKTEST)]
        skill, run = stored.skill, stored.run
        lines = [
            _(
                "backtest %(run)s of %(date)s: model %(model)s, forecast years %(first)s-%(last)s, "
                "%(seeds)s; data vintage %(vintage)s"
            )
            % {
                "run": run.run_id,
                "date": day(run.created_at.date(), lang),
                "model": run.model_version,
                "first": skill.first,
                "last": skill.last,
                "seeds": _("%(seeds)s seed(s)") % {"seeds": skill.seeds},
                "vintage": run.data_vintage,
            }
        ]
        same = run.model_version == self.run.model_version
        if skill.quick:
            lines.append(_(QUICK_NOTE) % {"seeds": skill.seeds})
        if not same:
            lines.append(
                _(OTHER_VERSION_NOTE) % {"backtest": run.model_version, "live": self.run.model_version}
            )
        for target in skill.for_horizon(self.horizon):
            lines.extend(
                describe(target, skill.first, skill.last, _, lang, same, skill.seeds, skill.selected)
            )
        return lines


def backtest_dict(
    stored: StoredSkill | None,
    live_version: str,
    horizon: int | None = None,
    gettext: Gettext = str,
    lang: str = "en",
) -> dict[str, Any] | None:
    """The backtest's skill as plain data with its run's provenance (None without one); ``horizon``
    keeps one horizon; ``same_model_version`` says whether it scored the live forecasts' model, and
    only then does a target carry ``loss``, the sentence on which forecast to go by
    (:func:`~gbvs.forecasting.displacement.skill.loss_text`, through ``gettext`` in ``lang``). A backtest
    of the published forecasts (v6, ``skill.selected``) names no ``better_baseline``: which forecast is
    published is chosen in the validation before each forecast (the run's ``selection``)."""
    if stored is None:
        return None
    skill = stored.skill
    targets = skill.targets if horizon is None else tuple(skill.for_horizon(horizon))
    same = stored.run.model_version == live_version
    advise = same and not skill.selected  # v6: the validation chooses what is published, not these years
    return {
        "run": {c: str(getattr(stored.run, c)) for c in RUN_COLUMNS},
        "model_version": stored.run.model_version,
        "same_model_version": same,
        "first_year": skill.first,
        "last_year": skill.last,
        "seeds": skill.seeds,
        "quick": skill.quick,
        "targets": [
            {
                "target": t.target,
                "horizon": t.horizon,
                "rows": t.n,
                "crps": t.crps,
                "coverage50": t.coverage50,
                "coverage90": t.coverage90,
                "loss": loss_text(t, skill.first, skill.last, gettext, lang, skill.seeds, skill.selected)
                if same
                else None,
                "better_baseline": t.worst_loss.baseline if advise and t.worst_loss else None,
                "loss_within_seed_spread": advise and t.loss_within_seed_spread,
                "comparisons": [
                    {
                        "baseline": c.baseline,
                        "baseline_name": BASELINE_NAMES.get(c.baseline, c.baseline),
                        "baseline_crps": c.baseline_crps,
                        "change": c.change,
                        "better": c.better,
                    }
                    for c in t.comparisons
                ],
            }
            for t in targets
        ],
    }


def ranking_for(settings: Settings, horizon: int, lang: str) -> RankingView:
    """The goal-13 ranking from the latest displacement run and the store's last observed year."""
    with open_forecasts(forecasts_path(settings)) as forecasts:
        run, rows = latest_run(forecasts)
        origin = int(rows["origin"].max())
        risk = conflict_risk(forecasts, origin + horizon)
        try:
            backtest: StoredSkill | None = latest_backtest(forecasts, run.model_version)
        except NoForecastRunError:
            backtest = None
        baselines = baseline_forecasts(forecasts, run)
    with open_store(settings.resolved_store_path) as store:
        panel = reads.panel_frame(store, TableName.panel_displacement)
    beside = ranking_baseline(backtest_dict(backtest, run.model_version, horizon), baselines, horizon)
    ranked = build_ranking(rows, horizon, last_values(panel, origin), risk.p, identify(lang), beside)
    return RankingView(run, horizon, ranked, risk.run, backtest, baselines, tuple(run_selections(run)))


def ranking_provenance(
    run: Any, conflict_run: Any, backtest: dict[str, Any] | None, horizon: int, baseline_run: Any = None
) -> dict[str, Any]:
    """The provenance columns of a ranking CSV row (:data:`CSV_COLUMNS` after the ranking's own): the
    displacement run, the conflict run behind ``p_conflict`` (empty without one), the backtest
    (``backtest_dict``'s data) with the baseline it found better for asylum at ``horizon``, and the run
    keeping that baseline's forecast (empty without one)."""
    asylum = [
        t
        for t in (backtest or {}).get("targets", [])
        if (t["target"], t["horizon"]) == (ASYLUM_TARGET, horizon)
    ]
    return {
        **{c: getattr(run, c) for c in RUN_COLUMNS},
        **{f"conflict_{c}": None if conflict_run is None else getattr(conflict_run, c) for c in RUN_COLUMNS},
        "backtest_run_id": None if backtest is None else backtest["run"]["run_id"],
        "better_baseline": asylum[0]["better_baseline"] if asylum else None,
        "baseline_run_id": None if baseline_run is None else baseline_run.run_id,
    }


def ranking_csv(view: RankingView, limit: int | None = None) -> str:
    """The ranking as CSV with the provenance of every figure in every row (:func:`ranking_provenance`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    provenance = ranking_provenance(
        view.run,
        view.conflict_run,
        backtest_dict(view.backtest, view.run.model_version),
        view.horizon,
        view.baseline_run,
    )
    for row in view.rows[:limit]:
        writer.writerow(defused_row({**row.as_dict(), **provenance}))
    return buffer.getvalue()
