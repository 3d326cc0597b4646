"""Cross-reference checks on a strategy, reported as problems naming file, entry, value and fix.

Pure functions: :func:`find_problems` takes a built :class:`Strategy` and returns every problem
(country codes are checked against :mod:`gbvs.countries`); :func:`raise_for_problems` turns them
into one :class:`gbvs.errors.StrategyError`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gbvs import countries
from gbvs.errors import StrategyError

if TYPE_CHECKING:
    from gbvs.strategy.model import Goal, Region, Strategy


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a strategy file."""

    file: str
    entry: str
    value: object
    message: str
    fix: str

    def describe(self, source: Path | None = None) -> str:
        """One readable line: file, entry, value, what is wrong and the fix."""
        where = str(source / self.file) if source else self.file
        return f"{where}: entry {self.entry}: value {self.value!r}: {self.message}; fix: {self.fix}"


def format_problems(problems: Sequence[Problem], source: Path | None = None) -> str:
    """The message of a StrategyError for ``problems``."""
    folder = f" in {source}" if source else ""
    lines = [f"the strategy data{folder} is invalid ({len(problems)} problem(s)):"]
    lines += [f"  - {problem.describe(source)}" for problem in problems]
    return "\n".join(lines)


def raise_for_problems(strategy: Strategy, source: Path | None = None) -> None:
    """Raise StrategyError listing every problem of ``strategy`` (nothing if it is sound)."""
    problems = find_problems(strategy)
    if problems:
        raise StrategyError(format_problems(problems, source))


def find_problems(strategy: Strategy) -> list[Problem]:
    """Every unresolved reference, duplicate key, numbering gap and unknown country code."""
    return [
        *_duplicates(strategy),
        *_numbering("goals", [goal.number for goal in strategy.goals]),
        *_numbering("threats", [threat.number for threat in strategy.threats]),
        *_country_codes(strategy),
        *_region_references(strategy),
        *_driver_references(strategy),
        *_threat_references(strategy),
        *_pillars_have_goals(strategy),
        *(
            replace(problem, message=f"goal {goal.number}: {problem.message}")
            for i, goal in enumerate(strategy.goals)
            for problem in _goal_references(strategy, i, goal)
        ),
    ]


def _choices(values: Iterable[object], file: str) -> str:
    return f"use one of {', '.join(str(v) for v in values)} (defined in {file})"


def _duplicates(strategy: Strategy) -> Iterator[Problem]:
    keyed: dict[str, list[object]] = {
        "vital_interests": [r.id for r in strategy.vital_interests],
        "instruments": [r.id for r in strategy.instruments],
        "frameworks": [r.id for r in strategy.frameworks],
        "regions": [r.id for r in strategy.regions],
        "trends": [r.id for r in strategy.trends],
        "drivers": [r.id for r in strategy.drivers],
        "pillars": [r.id for r in strategy.pillars],
        "threats": [r.id for r in strategy.threats],
        "countries": [r.iso3 for r in strategy.countries],
    }
    for section, keys in keyed.items():
        field = "iso3" if section == "countries" else "id"
        yield from _repeated(section, field, keys)
    yield from _repeated("countries", "gwcode", [c.gwcode for c in strategy.countries])


def _repeated(section: str, field: str, keys: Sequence[object]) -> Iterator[Problem]:
    counts = Counter(keys)
    for index, key in enumerate(keys):
        if counts[key] > 1 and keys.index(key) != index:
            yield Problem(
                f"{section}.yaml",
                f"{section}[{index}].{field}",
                key,
                "appears more than once",
                "give it a unique value",
            )


def _numbering(section: str, numbers: Sequence[int]) -> Iterator[Problem]:
    expected = list(range(1, len(numbers) + 1))
    if sorted(numbers) != expected:
        missing = sorted(set(expected) - set(numbers))
        yield Problem(
            f"{section}.yaml",
            f"{section}[*].number",
            sorted(numbers),
            f"{section} must be numbered 1..{len(numbers)} without gaps or repeats (missing: {missing})",
            "renumber them consecutively from 1, as in the strategy text",
        )


def _country_codes(strategy: Strategy) -> Iterator[Problem]:
    period = strategy.strategy.period
    for index, country in enumerate(strategy.countries):
        known = countries.all_countries().get(country.iso3)
        if known is None:
            yield Problem(
                "countries.yaml",
                f"countries[{index}].iso3",
                country.iso3,
                "is not an ISO 3166-1 alpha-3 code known to gbvs.countries",
                "use the country's ISO3 code (e.g. MLI for Mali)",
            )
            continue
        codes = {known.gwcode_in(year) for year in range(period.start, period.end + 1)}
        if None in codes or len(codes) > 1:
            yield Problem(
                "countries.yaml",
                f"countries[{index}].iso3",
                country.iso3,
                f"has no single Gleditsch-Ward code in {period.start}-{period.end} (gbvs.countries: {codes})",
                "name a country that is one Gleditsch-Ward state throughout the strategy period",
            )
        elif country.gwcode not in codes:
            yield Problem(
                "countries.yaml",
                f"countries[{index}].gwcode",
                country.gwcode,
                f"is not the Gleditsch-Ward code of {country.iso3} in {period.end} (gbvs.countries has "
                f"{known.gwcode_in(period.end)})",
                f"leave gwcode out (it is derived from the ISO3 code) or use {known.gwcode_in(period.end)}",
            )


def _region_references(strategy: Strategy) -> Iterator[Problem]:
    iso3 = {c.iso3 for c in strategy.countries}
    plain = {r.id for r in strategy.regions if r.members}
    for index, region in enumerate(strategy.regions):
        yield from _unknown(
            "regions.yaml",
            f"regions[{index}].members",
            [m.iso3 for m in region.members],
            iso3,
            "countries.yaml",
        )
        yield from _unknown(
            "regions.yaml",
            f"regions[{index}].parts",
            region.parts,
            plain,
            "regions.yaml (regions with members)",
        )


def _driver_references(strategy: Strategy) -> Iterator[Problem]:
    trends = [t.id for t in strategy.trends]
    for index, driver in enumerate(strategy.drivers):
        if driver.trend is not None:
            yield from _unknown(
                "drivers.yaml", f"drivers[{index}].trend", [driver.trend], trends, "trends.yaml"
            )


def _threat_references(strategy: Strategy) -> Iterator[Problem]:
    interests = [v.id for v in strategy.vital_interests]
    for index, threat in enumerate(strategy.threats):
        entry = f"threats[{index}].vital_interests"
        yield from _unknown("threats.yaml", entry, threat.vital_interests, interests, "vital_interests.yaml")


def _pillars_have_goals(strategy: Strategy) -> Iterator[Problem]:
    used = {goal.pillar for goal in strategy.goals}
    for index, pillar in enumerate(strategy.pillars):
        if pillar.id not in used:
            yield Problem(
                "pillars.yaml",
                f"pillars[{index}].id",
                pillar.id,
                "no goal belongs to this pillar",
                "set it as 'pillar' of its goals in goals.yaml",
            )


def _goal_references(strategy: Strategy, index: int, goal: Goal) -> Iterator[Problem]:
    at = f"goals[{index}]"
    yield from _unknown(
        "goals.yaml", f"{at}.pillar", [goal.pillar], [p.id for p in strategy.pillars], "pillars.yaml"
    )
    yield from _unknown(
        "goals.yaml", f"{at}.threats", goal.threats, [t.number for t in strategy.threats], "threats.yaml"
    )
    yield from _unknown(
        "goals.yaml", f"{at}.drivers", goal.drivers, [d.id for d in strategy.drivers], "drivers.yaml"
    )
    instruments = [i.id for i in strategy.instruments]
    yield from _unknown("goals.yaml", f"{at}.instruments", goal.instruments, instruments, "instruments.yaml")
    frameworks = [f.id for f in strategy.frameworks]
    yield from _unknown("goals.yaml", f"{at}.frameworks", goal.frameworks, frameworks, "frameworks.yaml")
    others = [g.number for g in strategy.goals if g.number != goal.number]
    yield from _unknown("goals.yaml", f"{at}.see_also", goal.see_also, others, "goals.yaml (other goals)")
    yield from _place_references(strategy, at, goal)


def _place_references(strategy: Strategy, at: str, goal: Goal) -> Iterator[Problem]:
    iso3 = [c.iso3 for c in strategy.countries]
    regions: list[Region] = list(strategy.regions)
    for index, place in enumerate(goal.places):
        entry = f"{at}.places[{index}]"
        if place.country:
            yield from _unknown("goals.yaml", f"{entry}.country", [place.country], iso3, "countries.yaml")
        if place.region:
            yield from _unknown(
                "goals.yaml", f"{entry}.region", [place.region], [r.id for r in regions], "regions.yaml"
            )
        yield from _unknown("goals.yaml", f"{entry}.countries", place.countries, iso3, "countries.yaml")


def _unknown(
    file: str, entry: str, values: Iterable[object], valid: Iterable[object], defined_in: str
) -> Iterator[Problem]:
    allowed = list(valid)
    for value in values:
        if value not in allowed:
            yield Problem(
                file, entry, value, "refers to something that does not exist", _choices(allowed, defined_in)
            )
