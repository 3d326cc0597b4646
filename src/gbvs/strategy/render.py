"""Plain-text views of a strategy for terminals (no I/O: every function returns lines).

Used by ``gbvs strategy ...``; JSON views are in :func:`json_view` helpers of the CLI.
"""

from __future__ import annotations

import textwrap

from gbvs.strategy.model import Driver, Goal, Lang, Place, Region, Strategy, Threat

WIDTH = 100

LABELS: dict[str, dict[Lang, str]] = {
    "period": {"nl": "Periode", "en": "Period"},
    "coordination": {"nl": "coördinatie", "en": "coordination"},
    "reporting": {
        "nl": "rapportage: elke {n} jaar aan de {to}",
        "en": "reporting: every {n} years to the {to}",
    },
    "pillars_goals": {"nl": "Pijlers en doelen", "en": "Pillars and goals"},
    "threats": {"nl": "Dreigingen (hoofdstuk 3)", "en": "Threats (chapter 3)"},
    "drivers": {
        "nl": "Drijvers van instabiliteit (§2.2) en early-warning-indicator",
        "en": "Instability drivers (§2.2) and early-warning indicator",
    },
    "goal": {"nl": "Doel", "en": "Goal"},
    "goals": {"nl": "doelen", "en": "goals"},
    "pillar": {"nl": "Pijler", "en": "Pillar"},
    "threat": {"nl": "Dreiging", "en": "Threat"},
    "threats_short": {"nl": "Dreigingen", "en": "Threats"},
    "drivers_short": {"nl": "Drijvers van instabiliteit", "en": "Instability drivers"},
    "instruments": {"nl": "Instrumenten", "en": "Instruments"},
    "frameworks": {"nl": "Beleidskaders", "en": "Policy frameworks"},
    "see_also": {"nl": "Zie ook", "en": "See also"},
    "places": {"nl": "Regio's en landen", "en": "Regions and countries"},
    "coding": {"nl": "Codering", "en": "Coding note"},
    "interests": {"nl": "Vitale belangen", "en": "Vital interests"},
    "addressed_by": {"nl": "Aangepakt door", "en": "Addressed by"},
    "region": {"nl": "regio", "en": "region"},
    "partner": {"nl": "partner", "en": "partner"},
    "members": {"nl": "Leden", "en": "Members"},
    "parts": {"nl": "Bestaat uit", "en": "Made up of"},
    "interpretation": {
        "nl": "* = niet in de tekst genoemd (interpretatie)",
        "en": "* = not named in the text (interpretation)",
    },
    "none": {"nl": "geen", "en": "none"},
    "early_warning": {"nl": "early-warning-indicator", "en": "early-warning indicator"},
    "trends": {"nl": "Trends (hoofdstuk 2)", "en": "Trends (chapter 2)"},
    "threatened_by": {"nl": "Geraakt door dreigingen", "en": "Affected by threats"},
    "source": {"nl": "Bron", "en": "Source"},
}


def label(key: str, lang: Lang) -> str:
    """A fixed label in ``lang``."""
    return LABELS[key][lang]


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent]


def _field(name: str, value: str) -> list[str]:
    return textwrap.wrap(f"{name}: {value}", WIDTH, subsequent_indent="    ")


def overview(strategy: Strategy, lang: Lang) -> list[str]:
    """Title, period, pillars with their goals, threats and drivers."""
    info = strategy.strategy
    reporting = label("reporting", lang).format(
        n=info.reporting.interval_years, to=info.reporting.to.text(lang)
    )
    lines = [info.title.text(lang), info.subtitle.text(lang), ""]
    lines.append(
        f"{label('period', lang)} {info.period.start}-{info.period.end} · "
        f"{label('coordination', lang)}: {info.coordinating_ministry.text(lang)} · {reporting}"
    )
    if info.reporting.note:
        lines += _wrap(info.reporting.note.text(lang))
    lines += ["", label("pillars_goals", lang)]
    for pillar in strategy.pillars:
        lines.append(f"  {pillar.number} {pillar.title.text(lang)}")
        lines += [f"    {g.number:>2}. {g.title.text(lang)}" for g in strategy.goals_in(pillar.id)]
    lines += ["", label("threats", lang)]
    lines += [f"  3.{t.number} {t.title.text(lang)}" for t in strategy.threats]
    lines += ["", label("drivers", lang)]
    lines += [_driver_line(strategy, d, lang) for d in strategy.drivers]
    return lines


def _driver_line(strategy: Strategy, driver: Driver, lang: Lang) -> str:
    goals = ", ".join(str(g.number) for g in strategy.goals_for_driver(driver.id)) or label("none", lang)
    kind = f" ({label('early_warning', lang)})" if driver.kind == "early_warning_indicator" else ""
    return f"  - {driver.name.text(lang)}{kind} [{driver.id}] → {label('goals', lang)} {goals}"


def goal_detail(strategy: Strategy, goal: Goal, lang: Lang) -> list[str]:
    """Everything about one goal."""
    pillar = strategy.pillar(goal.pillar)
    lines = [f"{label('goal', lang)} {goal.number}: {goal.title.text(lang)}"]
    lines.append(f"{label('pillar', lang)}: {pillar.title.text(lang)} ({pillar.number}) · {goal.ref.label()}")
    lines += ["", *_wrap(goal.summary.text(lang), ""), "", *_wrap(f"“{goal.quote.text(lang)}”"), ""]
    threats = [f"3.{n} {strategy.threat(n).title.text(lang)}" for n in goal.threats]
    lines += _field(label("threats_short", lang), "; ".join(threats) or label("none", lang))
    drivers = [strategy.driver(d).name.text(lang) for d in goal.drivers]
    lines += _field(label("drivers_short", lang), "; ".join(drivers) or label("none", lang))
    lines += _field(
        label("instruments", lang),
        ", ".join(strategy.instrument(i).name.text(lang) for i in goal.instruments),
    )
    frameworks = ", ".join(strategy.framework(f).name.text(lang) for f in goal.frameworks)
    lines += _field(label("frameworks", lang), frameworks or label("none", lang))
    if goal.see_also:
        lines += _field(
            label("see_also", lang), ", ".join(f"{label('goal', lang).lower()} {n}" for n in goal.see_also)
        )
    if goal.places:
        lines += _field(label("places", lang), "; ".join(_place(strategy, p, lang) for p in goal.places))
    if goal.mapping_note:
        lines += ["", *_field(label("coding", lang), goal.mapping_note.text(lang))]
    return lines


def _place(strategy: Strategy, place: Place, lang: Lang) -> str:
    partner = f" ({label('partner', lang)})" if place.role == "partner" else ""
    if place.region:
        return f"{label('region', lang)} {strategy.region(place.region).name.text(lang)}{partner}"
    if place.country:
        country = strategy.country(place.country)
        return f"{country.name.text(lang)} ({country.iso3}, GW {country.gwcode}){partner}"
    assert place.area is not None
    codes = ", ".join(f"{c}/GW {strategy.country(c).gwcode}" for c in place.countries)
    return f"{place.area.text(lang)}" + (f" ({codes})" if codes else "") + partner


def goal_list(strategy: Strategy, goals: tuple[Goal, ...], lang: Lang) -> list[str]:
    """One line per goal: number, pillar, title."""
    return [
        f"{g.number:>2}. [{strategy.pillar(g.pillar).title.text(lang)}] {g.title.text(lang)}" for g in goals
    ]


def threat_detail(strategy: Strategy, threat: Threat, lang: Lang) -> list[str]:
    """Everything about one threat."""
    lines = [
        f"{label('threat', lang)} {threat.number} (§3.{threat.number}): {threat.title.text(lang)}",
        threat.ref.label(),
    ]
    lines += ["", *_wrap(threat.summary.text(lang), ""), "", *_wrap(f"“{threat.quote.text(lang)}”"), ""]
    interests = ", ".join(strategy.vital_interest(v).name.text(lang) for v in threat.vital_interests)
    lines += _field(label("interests", lang), interests)
    lines += _wrap(threat.interests_basis.text(lang), "    ")
    goals = ", ".join(f"{g.number}" for g in strategy.goals_for_threat(threat.number))
    lines += _field(label("addressed_by", lang), f"{label('goals', lang)} {goals or label('none', lang)}")
    return lines


def driver_list(strategy: Strategy, lang: Lang) -> list[str]:
    """Every driver with its wording in the strategy and the goals that address it."""
    lines: list[str] = []
    for driver in strategy.drivers:
        lines.append(_driver_line(strategy, driver, lang).removeprefix("  - "))
        lines += _wrap(f"“{driver.title.text(lang)}” ({driver.ref.label()})", "    ")
    return lines


def region_list(strategy: Strategy, lang: Lang) -> list[str]:
    """Every focus region with its member countries (ISO3/GW), interpretation marked."""
    lines: list[str] = []
    for region in strategy.regions:
        lines += [f"{region.name.text(lang)} [{region.id}]", *_region_body(strategy, region, lang), ""]
    return [*lines, label("interpretation", lang)]


def _region_body(strategy: Strategy, region: Region, lang: Lang) -> list[str]:
    if region.parts:
        parts = ", ".join(strategy.region(p).name.text(lang) for p in region.parts)
        return _field(f"  {label('parts', lang)}", parts)
    members = []
    for member in region.members:
        country = strategy.country(member.iso3)
        mark = "" if member.named_in_text else "*"
        members.append(f"{country.name.text(lang)}{mark} ({country.iso3}/{country.gwcode})")
    return [
        *_field(f"  {label('members', lang)}", ", ".join(members)),
        *_wrap(region.membership_basis.text(lang), "    "),
    ]


def threat_list(strategy: Strategy, lang: Lang) -> list[str]:
    """One block per threat: title, vital interests, goals addressing it."""
    lines: list[str] = []
    for threat in strategy.threats:
        interests = ", ".join(strategy.vital_interest(v).name.text(lang) for v in threat.vital_interests)
        goals = ", ".join(str(g.number) for g in strategy.goals_for_threat(threat.number))
        lines.append(
            f"3.{threat.number} {threat.title.text(lang)} [{threat.id}] → {label('goals', lang)} {goals}"
        )
        lines += _wrap(f"{label('interests', lang)}: {interests}", "    ")
    return lines


def instrument_list(strategy: Strategy, lang: Lang) -> list[str]:
    """One line per instrument with the goals using it."""
    lines: list[str] = []
    for item in strategy.instruments:
        goals = ", ".join(str(g.number) for g in strategy.goals_for_instrument(item.id)) or label(
            "none", lang
        )
        lines.append(f"{item.name.text(lang)} [{item.id}] → {label('goals', lang)} {goals}")
    return lines


def framework_list(strategy: Strategy, lang: Lang) -> list[str]:
    """One line per linked policy framework with the goals linked to it."""
    lines: list[str] = []
    for item in strategy.frameworks:
        goals = ", ".join(str(g.number) for g in strategy.goals if item.id in g.frameworks) or label(
            "none", lang
        )
        lines.append(f"{item.name.text(lang)} [{item.id}] → {label('goals', lang)} {goals}")
    return lines


def trend_list(strategy: Strategy, lang: Lang) -> list[str]:
    """One block per trend of chapter 2: number, title, summary, its drivers and the goals addressing them."""
    lines = [label("trends", lang), ""]
    for trend in strategy.trends:
        drivers = ", ".join(d.name.text(lang) for d in strategy.drivers_for_trend(trend.id)) or label(
            "none", lang
        )
        goals = ", ".join(str(g.number) for g in strategy.goals_for_trend(trend.id)) or label("none", lang)
        lines.append(f"{trend.number} {trend.title.text(lang)} [{trend.id}] ({trend.ref.label()})")
        lines += _wrap(trend.summary.text(lang), "    ")
        lines += _wrap(f"{label('drivers_short', lang)}: {drivers}", "    ")
        lines += _wrap(f"{label('goals', lang).capitalize()}: {goals}", "    ")
        lines.append("")
    return lines[:-1]


def interest_list(strategy: Strategy, lang: Lang) -> list[str]:
    """One block per vital interest: description, the threats affecting it, the goals against them."""
    lines = [label("interests", lang), ""]
    for interest in strategy.vital_interests:
        threats = strategy.threats_for_interest(interest.id)
        named = ", ".join(f"3.{t.number} {t.title.text(lang)}" for t in threats) or label("none", lang)
        goals = ", ".join(str(g.number) for g in strategy.goals_for_interest(interest.id)) or label(
            "none", lang
        )
        lines.append(f"{interest.name.text(lang)} [{interest.id}]")
        lines += _wrap(interest.description.text(lang), "    ")
        lines += _wrap(f"{label('threatened_by', lang)}: {named}", "    ")
        lines += _wrap(f"{label('goals', lang).capitalize()}: {goals}", "    ")
        lines.append("")
    if strategy.vital_interests:
        lines += _wrap(f"{label('source', lang)}: {strategy.vital_interests[0].source.text(lang)}", "")
    return lines
