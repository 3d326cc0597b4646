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
from gbvs.errors import Listed, Said, StrategyError, Term, Words, said

if TYPE_CHECKING:
    from gbvs.strategy.model import Goal, Region, Strategy


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a strategy file."""

    file: str
    entry: str | Words
    value: object
    message: str | Words
    """What is wrong: :func:`gbvs.errors.said` words, or a text as pydantic gives it (English)."""
    fix: str | Words

    def describe(self, source: Path | None = None) -> Words:
        """One line: file, entry, value, what is wrong and the fix (in the reader's words on the command
        line)."""
        return said(
            "%(file)s: entry %(entry)s: value %(value)s: %(message)s; fix: %(fix)s",
            file=str(source / self.file) if source else self.file,
            entry=worded(self.entry),
            value=self.value if isinstance(self.value, Term) else repr(self.value),
            message=worded(self.message),
            fix=worded(self.fix),
        )


def worded(text: str | Words) -> str:
    """A problem's text as a value of its line's words (translated with it)."""
    return Said.of(text) if isinstance(text, tuple) else text


def format_problems(problems: Sequence[Problem], source: Path | None = None) -> Words:
    """The words of a StrategyError for ``problems``: a line, then each problem on a line of its own."""
    listed = Listed(Said.of(problem.describe(source)) for problem in problems)
    if source is None:
        return said(
            "the strategy data is invalid (%(count)s problem(s)):%(problems)s",
            count=len(problems),
            problems=listed,
        )
    return said(
        "the strategy data in %(folder)s is invalid (%(count)s problem(s)):%(problems)s",
        folder=source,
        count=len(problems),
        problems=listed,
    )


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
            replace(
                problem,
                message=said(
                    "goal %(number)s: %(message)s", number=goal.number, message=worded(problem.message)
                ),
            )
            for i, goal in enumerate(strategy.goals)
            for problem in _goal_references(strategy, i, goal)
        ),
    ]


def _choices(values: Iterable[object], file: str | Words) -> Words:
    return said(
        "use one of %(values)s (defined in %(file)s)",
        values=", ".join(str(v) for v in values),
        file=worded(file),
    )


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
                said("appears more than once"),
                said("give it a unique value"),
            )


def _numbering(section: str, numbers: Sequence[int]) -> Iterator[Problem]:
    expected = list(range(1, len(numbers) + 1))
    if sorted(numbers) != expected:
        missing = sorted(set(expected) - set(numbers))
        yield Problem(
            f"{section}.yaml",
            f"{section}[*].number",
            sorted(numbers),
            said(
                "%(section)s must be numbered 1..%(count)s without gaps or repeats (missing: %(missing)s)",
                section=section,
                count=len(numbers),
                missing=missing,
            ),
            said("renumber them consecutively from 1, as in the strategy text"),
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
                said("is not an ISO 3166-1 alpha-3 code known to gbvs.countries"),
                said("use the country's ISO3 code (e.g. MLI for Mali)"),
            )
            continue
        codes = {known.gwcode_in(year) for year in range(period.start, period.end + 1)}
        if None in codes or len(codes) > 1:
            yield Problem(
                "countries.yaml",
                f"countries[{index}].iso3",
                country.iso3,
                said(
                    "has no single Gleditsch-Ward code in %(start)s-%(end)s (gbvs.countries: %(codes)s)",
                    start=period.start,
                    end=period.end,
                    codes=codes,
                ),
                said("name a country that is one Gleditsch-Ward state throughout the strategy period"),
            )
        elif country.gwcode not in codes:
            yield Problem(
                "countries.yaml",
                f"countries[{index}].gwcode",
                country.gwcode,
                said(
                    "is not the Gleditsch-Ward code of %(iso3)s in %(year)s (gbvs.countries has %(code)s)",
                    iso3=country.iso3,
                    year=period.end,
                    code=known.gwcode_in(period.end),
                ),
                said(
                    "leave gwcode out (it is derived from the ISO3 code) or use %(code)s",
                    code=known.gwcode_in(period.end),
                ),
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
            said("regions.yaml (regions with members)"),
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
                said("no goal belongs to this pillar"),
                said("set it as 'pillar' of its goals in goals.yaml"),
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
    yield from _unknown(
        "goals.yaml", f"{at}.see_also", goal.see_also, others, said("goals.yaml (other goals)")
    )
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
    file: str, entry: str, values: Iterable[object], valid: Iterable[object], defined_in: str | Words
) -> Iterator[Problem]:
    allowed = list(valid)
    for value in values:
        if value not in allowed:
            yield Problem(
                file,
                entry,
                value,
                said("refers to something that does not exist"),
                _choices(allowed, defined_in),
            )
