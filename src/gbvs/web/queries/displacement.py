"""Forced displacement (issue 17) as the pages and the API show it: history, forecasts, the ranking.

History comes from ``panel_displacement`` in the store, forecasts from the latest displacement run
in the forecasts file (``gbvs displacement forecast``), both through the app's caches. The ranking
is the pure :func:`gbvs.forecasting.displacement.ranking.build_ranking`.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pydantic import BaseModel, Field, computed_field

from gbvs.errors import NoForecastRunError, said
from gbvs.forecasting.displacement import skill, views
from gbvs.forecasting.displacement.ranking import ASYLUM_TARGET, at_bound, build_ranking
from gbvs.forecasting.displacement.selection import validation_of
from gbvs.forecasting.queries import run_info
from gbvs.store import reads_panel
from gbvs.store.forecasts import StoredRun
from gbvs.web.queries.forecasts import ForecastCache, Run
from gbvs.web.store import StoreGateway

HISTORY_FROM = 1990
HISTORY_COLUMNS = reads_panel.DISPLACEMENT_COLUMNS
DISPLACEMENT_TARGET_NAMES = skill.TARGET_NAMES
BASELINE_NAMES = skill.BASELINE_NAMES
DISPLACEMENT_TEXTS = views.SKILL_TEXTS
CAVEAT = views.NOT_APPLICATIONS


class DisplacementYear(BaseModel):
    """One year of displacement from a country of origin (persons; applications per year)."""

    year: int
    displaced_abroad: float | None
    refugees: float | None
    displaced_in_nl: float | None
    new_outflows: float | None
    idps: float | None
    asylum_nl: float | None
    asylum_eu: float | None
    share_in_nl: float | None
    share_of_eu_applications: float | None


class DisplacementForecast(BaseModel):
    """One forecast (a distribution: quantiles 5-95%) for one origin, with its run's provenance."""

    target: str
    horizon: int
    origin: int
    forecast_period: int
    q05: float
    q25: float
    q50: float
    q75: float
    q95: float
    run: Run

    @computed_field(  # type: ignore[prop-decorator]
        description="Whether the 75% and 95% quantiles are one value: at least a fifth of the samples lie at "
        "the highest value the model allows (its bound), and it gives a higher number no probability"
    )
    @property
    def upper_quantiles_coincide(self) -> bool:
        """:func:`at_bound` of this forecast's quantiles."""
        return at_bound(self.q75, self.q95)


class RankingEntry(BaseModel):
    """An origin in the goal-13 ranking."""

    rank: int
    iso3: str
    gwcode: int
    name: str
    forecast_period: int
    q05: float
    q25: float
    q50: float
    q75: float
    q95: float
    width90: float
    last_year: int
    last_value: float | None
    change: float | None
    new_displacement_q50: float | None
    p_conflict: float | None
    baseline: str | None = Field(
        default=None,
        description="The baseline beside this forecast: the one the backtest found better for asylum "
        "applications at this horizon (`backtest.targets[].better_baseline`), the forecast to go by (null: "
        "none was better, or the run keeps no baseline forecasts)",
    )
    baseline_q05: float | None = Field(default=None, description="The baseline's 5% quantile")
    baseline_q50: float | None = Field(default=None, description="The baseline's median")
    baseline_q95: float | None = Field(default=None, description="The baseline's 95% quantile")

    @property
    def upper_quantiles_coincide(self) -> bool:
        """:func:`at_bound` of this origin's quantiles (the page's note on the bound)."""
        return at_bound(self.q75, self.q95)


class BaselineComparison(BaseModel):
    """The main model's backtest CRPS against one baseline's, on the same rows."""

    baseline: str = Field(description="last_value, last_value_spread, trend or history")
    baseline_name: str
    baseline_crps: float
    change: float = Field(description="model CRPS / baseline CRPS - 1: negative where the model is better")
    better: bool = Field(description="whether the model's CRPS is lower than the baseline's")


class TargetSkill(BaseModel):
    """The main model's backtest scores for one target and horizon (CRPS in persons or applications)."""

    target: str
    horizon: int
    rows: int = Field(description="origin-years scored (per seed)")
    crps: float
    coverage50: float | None
    coverage90: float | None
    loss: str | None = Field(
        default=None,
        description="Where a baseline was better: the sentence saying so and which forecast to go by, in the "
        "request's language (null where the forecasts beat or equal every baseline, or the backtest scored "
        "another model version)",
    )
    better_baseline: str | None = Field(
        default=None,
        description="The baseline the forecasts lost to by the most, the forecast to go by (null: they beat "
        "or equal every baseline, or the backtest scored another model version)",
    )
    loss_within_seed_spread: bool = Field(
        default=False,
        description="Whether that loss is no larger than the CRPS's standard deviation over the backtest's "
        "seeds: the forecasts and the baseline were level, and `loss` says so instead of which to go by",
    )
    comparisons: list[BaselineComparison]


class BacktestSkill(BaseModel):
    """The latest stored displacement backtest: the forecasts' skill against the baselines, with its run."""

    run: Run
    model_version: str
    same_model_version: bool = Field(
        description="whether the backtest scored the model version of the forecasts shown; when false its "
        "figures describe another version"
    )
    first_year: int = Field(description="first forecast year scored")
    last_year: int = Field(description="last forecast year scored")
    seeds: int
    quick: bool = Field(description="a quick run (`--quick`): other years, not comparable with the full one")
    targets: list[TargetSkill]


class PublishedChoice(BaseModel):
    """Which forecast a run publishes for one target and horizon (the main model's or a baseline's),
    chosen on the validation years before its origin, with each candidate's CRPS there and the sentence
    the pages show (``skill.selection_text``)."""

    target: str
    horizon: int
    origin: int
    chosen: str = Field(description="lgbm (the main model), last_value_spread or history")
    inner_years: list[int] = Field(
        serialization_alias="innerYears",
        description="the forecast years of the validation, all up to the origin",
    )
    inner_crps: dict[str, float] = Field(
        serialization_alias="innerCrps", description="each candidate's mean CRPS on those years"
    )
    text: str


class PublishedValidation(BaseModel):
    """Where the validation behind a run's published choices was made: in the run itself or, reused, in an
    earlier run with the same data vintage, model version, configuration and origin (the sentence the pages
    show, ``skill.validation_text``)."""

    made_in: str = Field(
        serialization_alias="madeIn", description="the run whose validation years chose the forecasts"
    )
    made_at: str = Field(serialization_alias="madeAt", description="when that run was made (ISO 8601, UTC)")
    reused: bool = Field(description="whether the validation was reused from an earlier run (not made again)")
    text: str


class BaselineForecast(BaseModel):
    """A baseline's forecast for one origin, kept beside the forecast run (same quantiles as the baseline
    is scored with in the backtest), with its own run's provenance."""

    baseline: str = Field(description="last_value, last_value_spread, trend or history")
    target: str
    horizon: int
    origin: int
    forecast_period: int
    q05: float
    q25: float
    q50: float
    q75: float
    q95: float
    go_by: bool = Field(
        description="Whether the backtest of the forecasts' model version found this baseline better for "
        "this target and horizon (`backtest.targets[].better_baseline`): the forecast to go by"
    )
    level_within_seed_spread: bool = Field(
        description="Whether it was better only by less than the spread over the backtest's seeds (level)"
    )
    run: Run


class RankingView(BaseModel):
    """The ranking and the run it comes from."""

    horizon: int
    run: Run
    rows: list[RankingEntry]
    conflict_run: Run | None = None
    """The conflict run behind ``p_conflict`` (None: no conflict forecast for the same year)."""
    backtest: BacktestSkill | None = None
    """The latest displacement backtest at this horizon (None: none stored yet)."""
    baseline: str | None = None
    """The baseline whose forecast stands beside the rows (None: none shown)."""
    baseline_level: bool = False
    """Whether the backtest found that baseline better only within the spread over its seeds."""
    baseline_run: Run | None = None
    selection: list[PublishedChoice] = []
    """Which forecast the run publishes for asylum applications at this horizon, and why (empty: a run
    made before v6 published the model's everywhere)."""
    validation: PublishedValidation | None = None
    """Where the validation behind ``selection`` was made (None: a run that kept no validation)."""
    """The run keeping the baseline forecast beside the rows (None: none shown)."""
    baselines_missing: str | None = None
    """That the forecast run keeps no baseline forecasts (None: it keeps them)."""


def has_displacement(store: StoreGateway) -> bool:
    """Whether the store holds the displacement panel (the UNHCR files were ingested)."""
    return store.cached(("has_displacement",), reads_panel.has_displacement)


def _share(part: Any, whole: Any) -> float | None:
    return None if part is None or not whole else float(part) / float(whole)


def displacement_history(store: StoreGateway, gwcode: int) -> list[DisplacementYear]:
    """The country's displacement by year from 1990 (empty without the panel); internally displaced
    people are missing (None), not 0, for a country IDMC publishes no estimate for in any year."""
    if not has_displacement(store):
        return []
    rows = store.cached(
        ("displacement-history", gwcode),
        lambda con: reads_panel.displacement_history(con, gwcode=gwcode, since=HISTORY_FROM),
    )
    estimated = any(row.idps for row in rows)  # IDMC lists the countries it estimates; the panel fills 0
    return [
        DisplacementYear(
            **{**asdict(row), "idps": row.idps if estimated else None},
            share_in_nl=_share(row.displaced_in_nl, row.displaced_abroad),
            share_of_eu_applications=_share(row.asylum_nl, row.asylum_eu),
        )
        for row in rows
    ]


def _run_info(run: StoredRun) -> Run:
    return Run(**asdict(run_info(run)))


def backtest_skill(
    cache: ForecastCache,
    live_version: str,
    horizon: int | None = None,
    gettext: skill.Gettext = str,
    lang: str = "en",
) -> BacktestSkill | None:
    """The latest stored displacement backtest's skill (one horizon, or both), None when none is stored;
    ``live_version`` is the model version of the forecasts it is shown beside; the sentences through
    ``gettext`` with the numbers of ``lang``."""

    def read(forecasts: Any) -> views.StoredSkill | None:
        try:
            return views.latest_backtest(forecasts, live_version)
        except NoForecastRunError:
            return None

    stored: views.StoredSkill | None = cache.cached(("displacement-backtest", live_version), read)
    found = views.backtest_dict(stored, live_version, horizon, gettext, lang)
    if stored is None or found is None:
        return None
    return BacktestSkill(**{**found, "run": _run_info(stored.run)})


def country_backtest(
    cache: ForecastCache, items: list[DisplacementForecast], gettext: skill.Gettext = str, lang: str = "en"
) -> BacktestSkill | None:
    """The latest stored backtest beside a country's forecasts ``items``. Its skill is pooled over every
    origin, so a country without forecasts gets it too, beside the latest run's model version; None
    without a backtest or without any displacement forecast run."""
    run = items[0].run if items else latest_displacement_run(cache)
    return None if run is None else backtest_skill(cache, run.model_version, None, gettext, lang)


def _latest(cache: ForecastCache) -> tuple[Run, list[dict[str, Any]]]:
    def read(forecasts: Any) -> tuple[Run, list[dict[str, Any]]]:
        run, rows = views.latest_run(forecasts)
        return _run_info(run), [{str(k): v for k, v in row.items()} for row in rows.to_dict(orient="records")]

    result: tuple[Run, list[dict[str, Any]]] = cache.cached(("displacement-latest",), read)
    return result


def run_line_in(catalogs: Any) -> Any:
    """The template global ``displacement_provenance(run, lang)``: a displacement run's provenance line
    (:func:`~gbvs.forecasting.displacement.skill.provenance_line`) through the catalogue of ``lang``."""

    def line(run: Any, lang: str) -> str:
        return skill.provenance_line(run, catalogs[lang].gettext)

    return line


def published_choices(
    cache: ForecastCache, horizon: int | None = None, gettext: skill.Gettext = str, lang: str = "en"
) -> list[PublishedChoice]:
    """Which forecast the latest run publishes per target (and ``horizon``), with its sentence."""

    def read(forecasts: Any) -> list[Any]:
        try:
            return views.run_selections(views.latest_run(forecasts)[0])
        except NoForecastRunError:
            return []

    found = cache.cached(("displacement-selection",), read)
    return [PublishedChoice(**e) for e in views.selection_entries(found, horizon, gettext, lang)]


def published_validation(
    cache: ForecastCache, gettext: skill.Gettext = str, lang: str = "en"
) -> PublishedValidation | None:
    """Where the latest run's validation was made (None: no run, or one made before validations were
    kept with their key)."""

    def read(forecasts: Any) -> Any:
        try:
            run = views.latest_run(forecasts)[0]
        except NoForecastRunError:
            return None
        made = validation_of(run)
        return None if made is None else (run.run_id, made)

    found = cache.cached(("displacement-validation",), read)
    if found is None:
        return None
    run_id, made = found
    reused_from = made.reused_in(run_id)
    return PublishedValidation(
        made_in=made.run_id,
        made_at=made.created_at.isoformat(),
        reused=reused_from is not None,
        text=skill.validation_text(run_id, reused_from, gettext, lang),
    )


def latest_displacement_run(cache: ForecastCache) -> Run | None:
    """The latest displacement forecast run (None: none yet), also where it holds no forecast for a
    country."""
    try:
        return _latest(cache)[0]
    except NoForecastRunError:
        return None


def displacement_forecasts(cache: ForecastCache, gwcode: int) -> list[DisplacementForecast]:
    """The latest run's forecasts for one origin; NoForecastRunError (with the fix) without a run."""
    run, rows = _latest(cache)
    return [
        DisplacementForecast(
            target=r["target"],
            horizon=int(r["horizon"]),
            origin=int(r["origin"]),
            forecast_period=int(r["forecast_period"]),
            **{q: float(r[q]) for q in ("q05", "q25", "q50", "q75", "q95")},
            run=run,
        )
        for r in rows
        if int(r["unit_key"]) == gwcode
    ]


def _baselines(cache: ForecastCache) -> views.BaselineForecasts:
    def read(forecasts: Any) -> views.BaselineForecasts:
        return views.baseline_forecasts(forecasts, views.latest_run(forecasts)[0])

    found: views.BaselineForecasts = cache.cached(("displacement-baselines",), read)
    return found


def baselines_missing(cache: ForecastCache, gettext: skill.Gettext = str) -> str | None:
    """That the latest displacement run keeps no baseline forecasts (None: it keeps them, or no run)."""
    run = latest_displacement_run(cache)
    return None if run is None else views.missing_baselines(run, bool(_baselines(cache).runs), gettext)


def baseline_forecasts(
    cache: ForecastCache, gwcode: int, backtest: BacktestSkill | None
) -> list[BaselineForecast]:
    """Every baseline's forecast kept beside the latest run for one origin, marked where ``backtest``
    found that baseline better (the forecast to go by); empty without a run or where it keeps none."""
    if latest_displacement_run(cache) is None:
        return []
    kept = _baselines(cache)
    wanted = views.go_by(None if backtest is None else backtest.model_dump())
    rows = kept.rows[kept.rows["unit_key"] == gwcode].sort_values(["target", "horizon", "model"])
    found = []
    for r in rows.to_dict(orient="records"):
        entry = wanted.get((str(r["target"]), int(r["horizon"])))
        better = entry is not None and entry["better_baseline"] == r["model"]
        found.append(
            BaselineForecast(
                baseline=str(r["model"]),
                target=str(r["target"]),
                horizon=int(r["horizon"]),
                origin=int(r["origin"]),
                forecast_period=int(r["forecast_period"]),
                **{q: float(r[q]) for q in ("q05", "q25", "q50", "q75", "q95")},
                go_by=better,
                level_within_seed_spread=better and bool(entry and entry["loss_within_seed_spread"]),
                run=_run_info(kept.runs[str(r["model"])]),
            )
        )
    return found


def _level(backtest: BacktestSkill | None, horizon: int) -> bool:
    entry = views.go_by(None if backtest is None else backtest.model_dump()).get((ASYLUM_TARGET, horizon))
    return bool(entry and entry["loss_within_seed_spread"])


def ranking_view(
    cache: ForecastCache, store: StoreGateway, lang: str, horizon: int, gettext: skill.Gettext = str
) -> RankingView:
    """Origins by forecast asylum applications in the Netherlands at ``horizon``, named in ``lang`` (the
    backtest's sentences through ``gettext``)."""
    import pandas as pd

    run, rows = _latest(cache)
    frame = pd.DataFrame(rows)
    if frame.empty or ASYLUM_TARGET not in set(frame["target"]):
        raise NoForecastRunError(
            said("the latest displacement run has no asylum forecasts; run `gbvs displacement forecast`")
        )
    origin = int(frame["origin"].max())
    last = store.cached(
        ("displacement-last", origin), lambda con: reads_panel.asylum_nl_by_origin(con, year=origin)
    )
    period = origin + horizon
    risk = cache.cached(("displacement-risk", period), lambda f: views.conflict_risk(f, period))
    backtest = backtest_skill(cache, run.model_version, horizon, gettext, lang)
    kept = _baselines(cache)
    beside = views.ranking_baseline(None if backtest is None else backtest.model_dump(), kept, horizon)
    ranked = build_ranking(frame, horizon, last, risk.p, views.identify(lang), beside)
    conflict_run = None if risk.run is None else Run(**asdict(risk.run))
    return RankingView(
        horizon=horizon,
        run=run,
        rows=[RankingEntry(**r.as_dict()) for r in ranked],
        conflict_run=conflict_run,
        backtest=backtest,
        baseline=None if beside is None else beside[0],
        baseline_level=beside is not None and _level(backtest, horizon),
        baseline_run=None if beside is None else _run_info(kept.runs[beside[0]]),
        baselines_missing=views.missing_baselines(run, bool(kept.runs), gettext),
        selection=[c for c in published_choices(cache, horizon, gettext, lang) if c.target == ASYLUM_TARGET],
        validation=published_validation(cache, gettext, lang),
    )
