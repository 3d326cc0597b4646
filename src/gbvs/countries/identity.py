"""ISO3 <-> Gleditsch-Ward codes, by year.

A country (ISO3) has one or more *spells*: the Gleditsch-Ward code it carries in a range of
years. Most countries have one open spell, country_converter's ``GWcode``; the exceptions
(Yemen 678, Vietnam 816, Czechia 315/316, Germany 255/260, Serbia 345/340, South Sudan from
2011, ...) are declared in ``gleditsch_ward.yaml``. Unknown codes raise NotFoundError naming the
code and the fix; a caller never gets an empty answer silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from gbvs.countries.data import converter_rows, exceptions, iso2_of
from gbvs.errors import NotFoundError

OPEN = 9999
"""Last year of a spell without an end."""


@dataclass(frozen=True)
class Spell:
    """Country ``iso3`` is Gleditsch-Ward state ``gwcode`` from ``first`` to ``last`` (inclusive)."""

    iso3: str
    gwcode: int
    first: int = 0
    last: int = OPEN

    def covers(self, year: int) -> bool:
        """Whether ``year`` falls in the spell."""
        return self.first <= year <= self.last


@dataclass(frozen=True)
class Country:
    """A country or territory with an ISO3 code; ``gwcode`` is its current Gleditsch-Ward code."""

    iso3: str
    iso2: str | None
    name_short: str
    continent: str | None
    spells: tuple[Spell, ...]

    @property
    def gwcode(self) -> int | None:
        """The Gleditsch-Ward code of the latest spell (None: not a Gleditsch-Ward state)."""
        return self.spells[-1].gwcode if self.spells else None

    def gwcode_in(self, year: int) -> int | None:
        """The Gleditsch-Ward code in ``year`` (None when the country is no state then)."""
        return next((s.gwcode for s in self.spells if s.covers(year)), None)


def _declared_spells() -> dict[str, tuple[Spell, ...]]:
    spells: dict[str, list[Spell]] = {}
    for entry in exceptions()["spells"]:
        spell = Spell(entry["iso3"], int(entry["gwcode"]), entry.get("first", 0), entry.get("last", OPEN))
        spells.setdefault(spell.iso3, []).append(spell)
    return {iso3: tuple(sorted(found, key=lambda s: s.first)) for iso3, found in spells.items()}


@cache
def all_countries() -> dict[str, Country]:
    """Every ISO3 code known to country_converter, with its spells (declared ones win)."""
    declared = _declared_spells()
    table: dict[str, Country] = {}
    for row in converter_rows():
        iso3 = row["ISO3"]
        plain = (Spell(iso3, int(row["GWcode"])),) if row.get("GWcode") else ()
        table[iso3] = Country(
            iso3=iso3,
            iso2=iso2_of(row.get("ISO2", "")),
            name_short=row["name_short"],
            continent=row.get("continent") or None,
            spells=declared.get(iso3, plain),
        )
    return table


def country(iso3: str) -> Country:
    """The country with ISO3 code ``iso3`` (case-insensitive); NotFoundError naming the fix otherwise."""
    found = all_countries().get(iso3.strip().upper())
    if found is None:
        raise NotFoundError(
            f"country {iso3!r} is not an ISO 3166-1 alpha-3 code known to gbvs.countries; "
            "use the country's ISO3 code (e.g. MLI for Mali, YEM for Yemen)"
        )
    return found


def gwcode(iso3: str, year: int | None = None) -> int:
    """The Gleditsch-Ward code of ``iso3`` in ``year`` (default: today); NotFoundError if it has none."""
    found = country(iso3)
    code = found.gwcode if year is None else found.gwcode_in(year)
    if code is None:
        when = "" if year is None else f" in {year}"
        raise NotFoundError(
            f"country {found.iso3} ({found.name_short}) has no Gleditsch-Ward code{when}; it is not an "
            "independent state in the Gleditsch-Ward list then (see gbvs/countries/gleditsch_ward.yaml)"
        )
    return code


def gwcode_of(code: str | int) -> int:
    """The Gleditsch-Ward code ``code`` names: an ISO3 code (any case; today's code) or a GW code itself.

    Used wherever a user gives a country (CLI options, web paths): ``SYR``, ``syr`` and ``652`` all
    name Syria. A malformed or unknown code raises NotFoundError naming the value and the fix.
    """
    text = str(code).strip()
    if text.isdigit():
        return int(text)
    if len(text) != 3 or not text.isalpha():
        raise NotFoundError(
            f"country {text[:40]!r} is neither an ISO3 code nor a Gleditsch-Ward code; "
            "give e.g. SYR or 652 for Syria, MLI or 432 for Mali"
        )
    return gwcode(text)


def iso3_to_gwcode() -> dict[str, int]:
    """ISO3 -> current Gleditsch-Ward code, for every country that has one."""
    return {c.iso3: c.gwcode for c in all_countries().values() if c.gwcode is not None}


@cache
def gwcode_to_iso3() -> dict[int, str]:
    """Gleditsch-Ward code -> ISO3 of the country carrying it in any year (historical states without
    an ISO3 of their own, such as South Yemen 680 or the GDR 265, are absent)."""
    found: dict[int, str] = {}
    for item in all_countries().values():
        for spell in item.spells:
            found.setdefault(spell.gwcode, item.iso3)
    return found


def iso3_of(gwcode: int, year: int | None = None) -> str | None:
    """The ISO3 code of Gleditsch-Ward state ``gwcode`` (in ``year`` when given); None if it has none."""
    iso3 = gwcode_to_iso3().get(int(gwcode))
    if iso3 is None or year is None:
        return iso3
    return iso3 if all_countries()[iso3].gwcode_in(year) == gwcode else None


def continent_members() -> dict[str, frozenset[int]]:
    """Current Gleditsch-Ward codes per continent (country_converter's ``continent``)."""
    groups: dict[str, set[int]] = {}
    for item in all_countries().values():
        if item.continent and item.gwcode is not None:
            groups.setdefault(item.continent, set()).add(item.gwcode)
    return {name: frozenset(codes) for name, codes in sorted(groups.items())}
