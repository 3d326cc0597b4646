"""The text output of ``gbvs actions`` in the reader's language (Dutch by default, English with ``--lang
en``): the words of the early-action pages (their catalogue, ``actions.po``), names rather than codes
(statuses, origins, countries, regions, instruments, targets), and dates and numbers the way of the
language (:mod:`gbvs.numbers`). JSON output keeps the codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from gettext import GNUTranslations
from typing import Any

from gbvs import countries
from gbvs.actions import gap
from gbvs.actions.alerts import RulesInForce
from gbvs.actions.gap import RESPONSE_WEEKS, AlertEvent
from gbvs.actions.names import AUDIENCE_NAMES, CHANGE_NAMES, ORIGIN_NAMES, STATUS_NAMES
from gbvs.actions.views import CaseSummary, CaseView, GapReport, VersionView
from gbvs.actions.workflow import Choice
from gbvs.cli.output import clean
from gbvs.cli.texts import catalog
from gbvs.errors import NotFoundError
from gbvs.forecasting.queries import RunInfo
from gbvs.forecasting.watchlist import Alert, AlertRules
from gbvs.numbers import day, decimal, moment, percent
from gbvs.strategy import load_strategy
from gbvs.strategy.model import Lang


@dataclass(frozen=True)
class Words:
    """The catalogue and the formats of one language."""

    lang: Lang
    words: GNUTranslations

    def __call__(self, message: str, **values: object) -> str:
        """``message`` in the language, its ``%(name)s`` filled in with ``values``."""
        text = self.words.gettext(message)
        return text % values if values else text

    def plural(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The form of a message that agrees with ``n`` (``%(n)s`` is ``n`` as the language writes it)."""
        return self.words.ngettext(singular, plural, n) % {"n": decimal(n, self.lang, 0), **values}

    def name(self, names: dict[str, str], code: str) -> str:
        """A code by its name (the code itself when the names lack it)."""
        return self(names[code]) if code in names else code

    def country(self, iso3: str) -> str:
        """A country by its name in the language (the code when GBVS does not know it)."""
        try:
            return countries.name(iso3, self.lang)
        except NotFoundError:
            return iso3

    def region(self, region: str | None) -> str:
        """A focus region (or the gap's ``all`` and ``outside_focus_regions``) by its name."""
        fixed = {gap.ALL: "All alerts", gap.OUTSIDE: "Outside the focus regions"}
        if region in fixed:
            return self(fixed[region])
        found = {r.id: r.name.text(self.lang) for r in load_strategy().regions}
        return found.get(region or "", region or "–")

    def target(self, target: str) -> str:
        """A forecast target by its name (as the pages name it)."""
        from gbvs.web.labels import target_name
        from gbvs.web.queries.forecasts import TARGET_NAMES

        return target_name(target, TARGET_NAMES, self.words.gettext)

    def ahead(self, rules: AlertRules) -> str:
        """The watchlist's target and horizon: "gewapend conflict, 1 jaar vooruit"."""
        years = self.plural("%(n)s year ahead", "%(n)s years ahead", rules.horizon)
        return f"{self.target(rules.target)}, {years}"

    def alerts(self, alerts: Iterable[Alert]) -> str:
        """Alerts in the language."""
        from gbvs.web.labels import alert_words

        return "; ".join(
            alert_words(a, self.words.gettext, self.percent, self.words.ngettext) for a in alerts
        )

    def case_alerts(self, alert: Mapping[str, Any]) -> str:
        """The alerts a case froze, in the language; a case opened before their figures were kept holds
        English sentences only, said as such."""
        from gbvs.web.labels import case_alerts

        shown = case_alerts(alert, self.words.gettext, self.percent, self.words.ngettext)
        text = "; ".join(s.text for s in shown)
        frozen = any(s.lang == "en" for s in shown) and self.lang != "en"
        return f"{text} ({self('frozen English text')})" if frozen else text

    def percent(self, value: float) -> str:
        """A probability as a percentage ("61%")."""
        return percent(value, self.lang)


def words_of(lang: Lang) -> Words:
    """The words of ``lang``."""
    return Words(lang, catalog(lang))


def board_line(w: Words, case: CaseSummary) -> str:
    """One case on the board: number, status, countries, title, and an overdue follow-up."""
    names = ", ".join(w.country(code) for code in case.countries)
    late = ""
    if case.overdue_days:
        overdue = w.plural(
            "Follow-up overdue by %(n)s day", "Follow-up overdue by %(n)s days", case.overdue_days
        )
        late = f"  {overdue}"
    status = w.name(STATUS_NAMES, case.status)
    return f"{case.id:>5}  {status:<12} {names:<24} {clean(case.title)}{late}"


def empty_board(w: Words, status: str | None) -> str:
    """What an empty board means and what to do next."""
    if status:
        return w(
            "no early-action cases in status ‘%(status)s’; `gbvs actions list` shows them all",
            status=w.name(STATUS_NAMES, status),
        )
    return w(
        "no early-action cases yet (or none shared with you); open one from an alert: `gbvs actions alerts` "
        "lists them, then `gbvs actions open --from alert --ref RUN_ID:GWCODE --title TITLE`"
    )


def history_line(w: Words, v: VersionView) -> str:
    """One version of a case: when, the status, the change in words, by whom and why."""
    why = "  " + w("reasons: %(why)s", why=clean(v.why)) if v.why else ""
    status = w.name(STATUS_NAMES, v.status)
    change = w.name(CHANGE_NAMES, v.change)
    when = moment(v.changed_at, w.lang)
    return f"v{v.version:<3} {when}  {status:<12} {change:<24} {clean(v.changed_by)}{why}"


def case_lines(w: Words, view: CaseView, newer: RunInfo | None) -> Iterator[str]:
    """A case in full, as its page shows it."""
    s = view.summary
    version = w("version %(n)s", n=s.version)
    title = w("case %(id)s: %(title)s", id=s.id, title=clean(s.title))
    yield f"{title}  [{w.name(STATUS_NAMES, s.status)}, {version}]"
    yield f"{w('Opened from')}: {w.name(ORIGIN_NAMES, s.origin_kind)} {clean(s.origin_ref)}"
    yield f"{w('Countries')}: {', '.join(w.country(code) for code in s.countries) or '–'}"
    yield f"{w('Region')}: {w.region(s.region)}"
    yield f"{w('Goals concerned')}: {', '.join(str(goal) for goal in view.goals) or '–'}"
    yield f"{w('Opened by')}: {clean(s.opened_by)}, {moment(s.opened_at, w.lang)}"
    shared = f" ({clean(view.sharing_group)})" if view.sharing_group else ""
    readers = w.name(AUDIENCE_NAMES, view.audience) + shared
    yield f"{w('Organisation')}: {view.owner or '–'}; {w('Readable by')}: {readers}"
    yield from warning_lines(w, view.warning, newer)
    yield from _options(w, view)
    yield from _decisions(w, view)
    yield from _follow_ups(w, view)
    if view.outcome:
        yield f"{w('Outcome')}: {clean(view.outcome)}"


def warning_lines(w: Words, frozen: dict[str, Any], newer: RunInfo | None) -> Iterator[str]:
    """The frozen warning: its run's provenance, the alert, the watched target's probabilities, and
    whether a newer run exists (the case keeps this one)."""
    yield w("The warning, frozen when the case was opened") + ":"
    run = frozen.get("run")
    if not run:
        yield f"  {w('No forecast was stored when this case was opened.')} {clean(frozen.get('note', ''))}"
        return
    made = run.get("created_at")
    yield "  " + _run_words(
        w, run["run_id"], made, run["model_version"], run["training_cutoff"], run["data_vintage"]
    )
    alert = frozen.get("alert")
    if alert:
        before = "–" if alert["previous"] is None else w.percent(alert["previous"])
        yield f"  {w('Alert')}: {w.case_alerts(alert)} ({before} → {w.percent(alert['p'])})"
    rules = frozen.get("rules") or {}
    watched = (rules.get("target"), rules.get("horizon"))
    for country in frozen.get("countries", []):
        name = countries.name_of_gwcode(country["gwcode"], w.lang) or country["gwcode"]
        for f in country["forecasts"]:
            if (f["target"], f["horizon"]) == watched and f["p"] is not None:
                what = f"{w.target(f['target'])} {f['forecast_period']}: {w.percent(f['p'])}"
                yield f"  {w('Frozen forecast for %(country)s', country=name)}: {what}"
    if newer:
        yield "  " + w(
            "a newer forecast run exists (%(run)s of %(when)s, model %(model)s); this case keeps the "
            "forecast it was opened with",
            run=newer.run_id,
            when=moment(newer.created_at, w.lang),
            model=newer.model_version,
        )


def _run_words(
    w: Words, run_id: str, created_at: str | None, model: str, cutoff: object, vintage: str
) -> str:
    """A forecast run with its provenance: when, model version, training cutoff, data vintage."""
    return w(
        "Forecast run %(run)s of %(when)s: model %(model)s, training cutoff %(cutoff)s, data %(vintage)s.",
        run=run_id,
        when=moment(created_at, w.lang),
        model=model,
        cutoff=cutoff or "–",
        vintage=vintage or "–",
    )


def _options(w: Words, view: CaseView) -> Iterator[str]:
    if view.options:
        yield w("Options considered") + ":"
    strategy = load_strategy()
    for option in view.options:
        instrument = _instrument(w, strategy, option.instrument)
        yield f"  {w('option %(id)s', id=option.id)}: {instrument}: {clean(option.description)}"


def _instrument(w: Words, strategy: Any, instrument: str) -> str:
    """An instrument of the strategy by its name (the id when the strategy no longer has it)."""
    try:
        return str(strategy.instrument(instrument).name.text(w.lang))
    except NotFoundError:
        return instrument


def _decisions(w: Words, view: CaseView) -> Iterator[str]:
    strategy = load_strategy()
    options = {o.id: o for o in view.options}
    for d in view.decisions:
        if d.choice == Choice.act and d.option_id in options:
            taken = options[d.option_id]
            instrument = _instrument(w, strategy, taken.instrument)
            what = w(
                "Act with option %(option)s (%(instrument)s: %(what)s)",
                option=d.option_id,
                instrument=instrument,
                what=clean(taken.description),
            )
        else:
            what = w("Decided not to act")
        state = f" ({w('Withdrawn').lower()})" if not d.in_force else ""
        who = w("by %(who)s on %(when)s", who=clean(d.decided_by), when=moment(d.decided_at, w.lang))
        reasons = w("reasons: %(why)s", why=clean(d.reasoning))
        yield f"{w('Decision')} {d.id}{state}: {what}, {who}; {reasons}"


def _follow_ups(w: Words, view: CaseView) -> Iterator[str]:
    for f in view.follow_ups:
        if f.done_on:
            state = w("done on %(day)s", day=day(f.done_on, w.lang))
        else:
            state = w("overdue") if f.overdue else w("planned")
        yield f"{w('Follow-up')} {f.id}: {day(f.due_on, w.lang)}, {state}; {clean(f.note)}"


def alert_line(w: Words, a: AlertEvent) -> str:
    """One alert: the reference a case opens from, the country, the probability and the alerts."""
    name = w.country(a.iso3) if a.iso3 else str(a.gwcode)
    return f"{a.reference:<28} {name:<24} {w.percent(a.p):>5}  {w.alerts(a.alerts)}"


def no_alerts(w: Words, runs: int, in_force: RulesInForce) -> str:
    """Why there are no alerts: too few runs of the watchlist's target, or none crossed the rules."""
    r = in_force.rules
    if runs < 2:
        return w.plural(
            "no alerts: they compare two forecast runs of the watchlist's target (%(what)s) and there is "
            "%(n)s; run `gbvs forecast` again after new data",
            "no alerts: they compare two forecast runs of the watchlist's target (%(what)s) and there are "
            "%(n)s; run `gbvs forecast` again after new data",
            runs,
            what=w.ahead(r),
        )
    return w(
        "no alerts: in none of the %(runs)s forecast runs of %(what)s did a country cross %(threshold)s or "
        "change by %(points)s or more against the run before (%(source)s)",
        runs=decimal(runs, w.lang, 0),
        what=w.ahead(r),
        threshold=w.percent(r.threshold),
        points=_points(w, r),
        source=_rules_source(w, in_force),
    )


def _points(w: Words, rules: AlertRules) -> str:
    points = round(rules.jump * 100)
    return w.plural("%(n)s percentage point", "%(n)s percentage points", points)


def _rules_source(w: Words, in_force: RulesInForce) -> str:
    if in_force.source == "shipped":
        return w("These are the rules GBVS ships with (watchlist.yaml).")
    return w(
        "The data folder's file %(file)s changes the shipped rules: %(keys)s.",
        file=in_force.file,
        keys=", ".join(in_force.overridden),
    )


GAP_COLUMNS = (
    "Alerts",
    "With case",
    "Decided",
    "Decided within %(weeks)s weeks",
    "No case",
    "Median days to decision",
)


def gap_lines(w: Words, report: GapReport) -> Iterator[str]:
    """The gap per region as a table, with the counts of runs and alerts above it."""
    first = day(report.first_run_at, w.lang)
    runs = w.plural(
        "%(n)s forecast run stored, the first on %(first)s;",
        "%(n)s forecast runs stored, the first on %(first)s;",
        report.runs,
        first=first,
    )
    yield f"{runs} {w.plural('%(n)s alert.', '%(n)s alerts.', len(report.rows))}"
    heads = [w("Region"), *(w(c, weeks=RESPONSE_WEEKS) if "%" in c else w(c) for c in GAP_COLUMNS)]
    rows = [_gap_row(w, r) for r in report.regions]
    widths = [max(len(row[i]) for row in [heads, *rows]) for i in range(len(heads))]
    observed = w("Conflict observed")
    for row, seen in [(heads, observed), *((row[:-1], row[-1]) for row in rows)]:
        cells = [
            row[0].ljust(widths[0]),
            *(cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)),
        ]
        yield "  ".join([*cells, seen])
    for note in report.notes:
        yield w("note: %(note)s", note=note)


def _gap_row(w: Words, r: Any) -> list[str]:
    median = "–" if r.median_days_to_decision is None else decimal(r.median_days_to_decision, w.lang, 1)
    counts = (r.alerts, r.answered, r.decided, r.decided_in_time, r.unanswered)
    seen = (
        w("%(observed)s of %(known)s known", observed=r.observed, known=r.outcomes_known)
        if r.outcomes_known
        else w("unknown")
    )
    return [w.region(r.region), *(decimal(n, w.lang, 0) for n in counts), median, seen]


def provenance_lines(w: Words, report: GapReport, found: RulesInForce) -> Iterator[str]:
    """Where the gap's figures come from: the alert rules in force and the forecast runs compared."""
    r = found.rules
    yield w(
        "Alert rules in force: %(target)s, %(horizon)s year(s) ahead; an alert when a country crosses "
        "%(threshold)s, or its probability changes by %(points)s or more; countries are watched from a "
        "probability of %(watch)s.",
        target=w.target(r.target),
        horizon=r.horizon,
        threshold=w.percent(r.threshold),
        points=_points(w, r),
        watch=w.percent(r.watch_from),
    )
    yield f"{_rules_source(w, found)} {w('Past alerts are recomputed with the rules in force now.')}"
    for run in report.run_infos:
        made, cutoff = run.created_at, run.training_cutoff
        yield "  " + _run_words(w, run.run_id, made, run.model_version, cutoff, run.data_vintage)
    if report.run_infos:
        yield w(
            "No alert can date from before the first forecast run (%(first)s): for the years before it there "
            "are no data, which is not the same as no alerts.",
            first=day(report.run_infos[0].created_at, w.lang),
        )
