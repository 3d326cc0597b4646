"""Look-ups on a loaded strategy (mixed into :class:`gbvs.strategy.model.Strategy`).

Every look-up of a missing key raises :class:`gbvs.errors.NotFoundError` listing the valid keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar

from gbvs.errors import NotFoundError

if TYPE_CHECKING:
    from gbvs.strategy.model import (
        Country,
        Driver,
        Framework,
        Goal,
        Instrument,
        Pillar,
        Region,
        StrategyInfo,
        Threat,
        Trend,
        VitalInterest,
    )


T = TypeVar("T")


def _not_found(kind: str, value: object, valid: Iterable[object], strategy_id: str) -> NotFoundError:
    listed = ", ".join(str(item) for item in valid)
    return NotFoundError(f"{kind} {value!r} does not exist in strategy {strategy_id}; valid values: {listed}")


def _spellings(record: object) -> set[str]:
    """A record's id and its short name or title in Dutch and English, case-folded."""
    found = {str(getattr(record, "id", "")).casefold()}
    for attribute in ("name", "title"):
        text = getattr(record, attribute, None)
        if text is not None and hasattr(text, "nl"):
            found |= {text.nl.casefold(), text.en.casefold()}
    return found


class StrategyQueries:
    """Convenience queries; every method reads only the strategy's own data."""

    if TYPE_CHECKING:
        strategy: StrategyInfo
        vital_interests: tuple[VitalInterest, ...]
        instruments: tuple[Instrument, ...]
        frameworks: tuple[Framework, ...]
        countries: tuple[Country, ...]
        regions: tuple[Region, ...]
        trends: tuple[Trend, ...]
        drivers: tuple[Driver, ...]
        threats: tuple[Threat, ...]
        pillars: tuple[Pillar, ...]
        goals: tuple[Goal, ...]

    # --- single records -------------------------------------------------------------------------

    def goal(self, number: int) -> Goal:
        """Goal ``number`` (1..13 in GBVS 2018-2022)."""
        for goal in self.goals:
            if goal.number == number:
                return goal
        raise _not_found("goal", number, (g.number for g in self.goals), self.strategy.id)

    def threat(self, number: int) -> Threat:
        """Threat ``number`` (= section 3.<number>)."""
        for threat in self.threats:
            if threat.number == number:
                return threat
        raise _not_found("threat", number, (t.number for t in self.threats), self.strategy.id)

    def pillar(self, pillar_id: str) -> Pillar:
        """Pillar ``voorkomen``, ``verdedigen`` or ``versterken``."""
        return self._by_id("pillar", self.pillars, pillar_id)

    def driver(self, driver_id: str) -> Driver:
        """An instability driver or early-warning indicator by id."""
        return self._by_id("driver", self.drivers, driver_id)

    def trend(self, trend_id: str) -> Trend:
        """A chapter-2 trend by id."""
        return self._by_id("trend", self.trends, trend_id)

    def instrument(self, instrument_id: str) -> Instrument:
        """A policy instrument by id."""
        return self._by_id("instrument", self.instruments, instrument_id)

    def framework(self, framework_id: str) -> Framework:
        """A linked policy framework by id."""
        return self._by_id("framework", self.frameworks, framework_id)

    def vital_interest(self, interest_id: str) -> VitalInterest:
        """A vital interest by id."""
        return self._by_id("vital interest", self.vital_interests, interest_id)

    def region(self, region_id: str) -> Region:
        """A focus region by id."""
        return self._by_id("region", self.regions, region_id)

    def country(self, code: str | int) -> Country:
        """A country by ISO3 code (str) or Gleditsch-Ward code (int)."""
        key: str | int = code.strip().upper() if isinstance(code, str) else code
        if isinstance(key, str) and key.isdigit():
            key = int(key)
        for country in self.countries:
            if key in (country.iso3, country.gwcode):
                return country
        valid = (f"{c.iso3}/{c.gwcode}" for c in self.countries)
        raise _not_found("country", code, valid, self.strategy.id)

    def _by_id(self, kind: str, records: tuple[T, ...], key: str) -> T:
        """The record with id ``key``; else the one whose id or Dutch or English name matches in any case."""
        for record in records:
            if getattr(record, "id", None) == key:
                return record
        wanted = key.strip().casefold()
        for record in records:
            if wanted in _spellings(record):
                return record
        raise _not_found(kind, key, (getattr(r, "id", "") for r in records), self.strategy.id)

    # --- lists and links ------------------------------------------------------------------------

    def goals_in(self, pillar: str | None = None) -> tuple[Goal, ...]:
        """All goals, or those of one pillar (an unknown pillar raises NotFoundError)."""
        if pillar is None:
            return self.goals
        pillar_id = self.pillar(pillar).id
        return tuple(goal for goal in self.goals if goal.pillar == pillar_id)

    def select_goals(
        self,
        *,
        pillar: str | None = None,
        driver: str | None = None,
        threat: int | None = None,
        country: str | int | None = None,
        instrument: str | None = None,
    ) -> tuple[Goal, ...]:
        """Goals matching every filter given (each unknown key raises NotFoundError)."""
        selected = set(self.goals_in(pillar))
        if driver is not None:
            selected &= set(self.goals_for_driver(driver))
        if threat is not None:
            selected &= set(self.goals_for_threat(threat))
        if country is not None:
            selected &= set(self.goals_for_country(country))
        if instrument is not None:
            selected &= set(self.goals_for_instrument(instrument))
        return tuple(goal for goal in self.goals if goal in selected)

    def goals_for_driver(self, driver_id: str) -> tuple[Goal, ...]:
        """The goals that address a driver."""
        found = self.driver(driver_id).id
        return tuple(goal for goal in self.goals if found in goal.drivers)

    def goals_for_threat(self, number: int) -> tuple[Goal, ...]:
        """The goals that address threat ``number``."""
        self.threat(number)
        return tuple(goal for goal in self.goals if number in goal.threats)

    def goals_for_instrument(self, instrument_id: str) -> tuple[Goal, ...]:
        """The goals that use an instrument."""
        found = self.instrument(instrument_id).id
        return tuple(goal for goal in self.goals if found in goal.instruments)

    def threats_for_interest(self, interest_id: str) -> tuple[Threat, ...]:
        """The threats that affect a vital interest."""
        found = self.vital_interest(interest_id).id
        return tuple(threat for threat in self.threats if found in threat.vital_interests)

    # trends and vital interests (issue 12, fix 14)
    def drivers_for_trend(self, trend_id: str) -> tuple[Driver, ...]:
        """The instability drivers the strategy files under a trend of chapter 2."""
        found = self.trend(trend_id).id
        return tuple(driver for driver in self.drivers if driver.trend == found)

    def goals_for_trend(self, trend_id: str) -> tuple[Goal, ...]:
        """The goals addressing any driver of a trend."""
        drivers = {driver.id for driver in self.drivers_for_trend(trend_id)}
        return tuple(goal for goal in self.goals if drivers & set(goal.drivers))

    def goals_for_interest(self, interest_id: str) -> tuple[Goal, ...]:
        """The goals addressing any threat that affects a vital interest."""
        threats = {threat.number for threat in self.threats_for_interest(interest_id)}
        return tuple(goal for goal in self.goals if threats & set(goal.threats))

    def countries_in_region(self, region_id: str) -> tuple[Country, ...]:
        """Member countries of a region; a group region (``parts``) gives the union of its parts."""
        codes = self._region_iso3(region_id)
        return tuple(country for country in self.countries if country.iso3 in codes)

    def named_in_region(self, region_id: str) -> frozenset[str]:
        """ISO3 codes of a region's members that the strategy text itself names (``named_in_text``);
        the other members are GBVS's interpretation. A group region gives the union of its parts."""
        region = self.region(region_id)
        codes = {member.iso3 for member in region.members if member.named_in_text}
        for part in region.parts:
            codes |= self.named_in_region(part)
        return frozenset(codes)

    def regions_for_country(self, code: str | int) -> tuple[Region, ...]:
        """The regions (including group regions) a country belongs to."""
        iso3 = self.country(code).iso3
        return tuple(region for region in self.regions if iso3 in self._region_iso3(region.id))

    def goals_for_country(self, code: str | int, *, via_regions: bool = True) -> tuple[Goal, ...]:
        """Goals naming a country (ISO3 or gwcode) directly, or (``via_regions``) through a region."""
        iso3 = self.country(code).iso3
        return tuple(goal for goal in self.goals if iso3 in self.goal_iso3(goal, via_regions=via_regions))

    def goal_iso3(self, goal: Goal, *, via_regions: bool = True) -> frozenset[str]:
        """ISO3 codes of every country a goal names (and, with ``via_regions``, its regions' members)."""
        codes: set[str] = set()
        for place in goal.places:
            codes.update(place.iso3_codes())
            if via_regions and place.region:
                codes.update(self._region_iso3(place.region))
        return frozenset(codes)

    def _region_iso3(self, region_id: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        region = self.region(region_id)
        codes = {member.iso3 for member in region.members}
        for part in region.parts:
            if part not in seen:
                codes |= self._region_iso3(part, seen | {region.id})
        return frozenset(codes)
