"""The shipped GBVS 2018-2022 data: complete, consistent and faithful to the text."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from gbvs import countries
from gbvs.strategy import Strategy, available_strategies, current_strategy_id, load_strategy
from gbvs.strategy.model import Text

DRIVER_IDS = {
    "poverty_inequality",
    "illegitimate_governance",
    "polarisation",
    "exclusion_minorities",
    "climate_change",
    "population_urbanisation",
    "resource_scarcity",
    "position_of_women",
}
REGION_IDS = {
    "north_africa",
    "middle_east",
    "sahel",
    "horn_of_africa",
    "eastern_europe_caucasus",
    "western_balkans",
    "ring_around_europe",
    "caribbean",
}


def test_the_shipped_strategy_is_current_and_validates() -> None:
    assert available_strategies() == ("gbvs-2018-2022",)
    assert current_strategy_id() == "gbvs-2018-2022"
    strategy = load_strategy()
    assert strategy.id == "gbvs-2018-2022"
    assert (strategy.strategy.period.start, strategy.strategy.period.end) == (2018, 2022)
    assert load_strategy("gbvs-2018-2022") is strategy  # cached


def test_thirteen_goals_in_three_pillars(shipped: Strategy) -> None:
    assert [g.number for g in shipped.goals] == list(range(1, 14))
    assert [p.id for p in shipped.pillars] == ["voorkomen", "verdedigen", "versterken"]
    per_pillar = {p.id: [g.number for g in shipped.goals_in(p.id)] for p in shipped.pillars}
    assert per_pillar == {
        "voorkomen": [1, 2, 3, 4],
        "verdedigen": [5, 6, 7, 8, 9, 10],
        "versterken": [11, 12, 13],
    }


def test_six_threats_in_the_order_of_chapter_3(shipped: Strategy) -> None:
    ids = [t.id for t in shipped.threats]
    assert ids == [
        "terrorist_attacks",
        "cyber_threats",
        "foreign_interference",
        "military_threats",
        "vital_economic_processes",
        "cbrn",
    ]
    assert shipped.threat(3).title.nl == "Ongewenste buitenlandse inmenging en ondermijning"


def test_shared_ids_are_exactly_the_agreed_ones(shipped: Strategy) -> None:
    assert {d.id for d in shipped.drivers} == DRIVER_IDS
    assert {r.id for r in shipped.regions} == REGION_IDS
    assert shipped.driver("position_of_women").kind == "early_warning_indicator"
    assert [t.number for t in shipped.trends] == ["2.1", "2.2", "2.3", "2.4"]
    assert len(shipped.vital_interests) == 6
    assert [v.id for v in shipped.strategy.core_values] == [
        "mensgericht",
        "inclusief",
        "betrouwbaar",
        "flexibel",
        "internationaal",
        "invloed",
    ]


@pytest.mark.parametrize("driver_id", sorted(DRIVER_IDS))
def test_every_driver_is_addressed_by_a_goal(shipped: Strategy, driver_id: str) -> None:
    assert shipped.goals_for_driver(driver_id), f"no goal addresses driver {driver_id}"


def test_every_threat_is_addressed_and_affects_a_vital_interest(shipped: Strategy) -> None:
    for threat in shipped.threats:
        assert shipped.goals_for_threat(threat.number), threat.id
        assert threat.vital_interests


def test_cross_references_the_text_makes(shipped: Strategy) -> None:
    see_also = {g.number: g.see_also for g in shipped.goals if g.see_also}
    assert see_also == {1: (2, 7, 10), 5: (13,), 6: (4,), 7: (10,), 11: (12,), 12: (5, 11)}


def test_country_codes_come_from_the_country_module(shipped: Strategy) -> None:
    end = shipped.strategy.period.end
    for country in shipped.countries:
        assert country.gwcode == countries.gwcode(country.iso3, end), country.iso3
        assert country.name.nl == countries.name(country.iso3, "nl"), country.iso3
    assert shipped.country("MLI").gwcode == 432
    assert shipped.country(475).iso3 == "NGA"


def test_yemen_is_gleditsch_ward_678_and_in_the_middle_east(shipped: Strategy) -> None:
    # regression: the data said 680 (South Yemen, 1967-1990), so Yemen fell out of every region subset
    assert shipped.country("YEM").gwcode == 678
    assert shipped.country("YEM").name.nl == "Jemen"
    assert 678 in {c.gwcode for c in shipped.countries_in_region("middle_east")}


def test_north_east_nigeria_and_the_tunisia_libya_border_reference_their_countries(shipped: Strategy) -> None:
    areas = {p.area.en: p.countries for p in shipped.goal(2).places if p.area}
    assert areas == {"Tunisia-Libya border": ("TUN", "LBY"), "north-east Nigeria": ("NGA",)}
    assert [g.number for g in shipped.goals_for_country("NGA")] == [2]


def test_ring_around_europe_is_the_union_of_its_six_regions(shipped: Strategy) -> None:
    parts = shipped.region("ring_around_europe").parts
    union = {c.iso3 for part in parts for c in shipped.countries_in_region(part)}
    assert {c.iso3 for c in shipped.countries_in_region("ring_around_europe")} == union
    assert {"MLI", "UKR", "LBY", "SYR", "IRQ", "YEM", "SRB"} <= union
    assert "VEN" not in union
    assert {c.iso3 for c in shipped.countries_in_region("caribbean")} >= {"VEN", "COL"}


def test_interpreted_memberships_are_marked(shipped: Strategy) -> None:
    named = {m.iso3 for r in shipped.regions for m in r.members if m.named_in_text}
    assert named == {"TUN", "LBY", "SYR", "IRQ", "YEM", "IRN", "MLI", "UKR", "VEN", "COL", "BRA"}
    for region in shipped.regions:
        assert "nterpret" in region.membership_basis.en, region.id


def test_goals_for_country_through_regions(shipped: Strategy) -> None:
    assert [g.number for g in shipped.goals_for_country(432, via_regions=False)] == [11]
    assert [g.number for g in shipped.goals_for_country(432)] == [1, 11]
    assert "sahel" in {r.id for r in shipped.regions_for_country("MLI")}


def _texts(value: object) -> list[Text]:
    if isinstance(value, Text):
        return [value]
    if isinstance(value, tuple):
        return [t for item in value for t in _texts(item)]
    if isinstance(value, BaseModel):
        return [t for name in type(value).model_fields for t in _texts(getattr(value, name))]
    return []


def test_every_text_is_bilingual_and_goal_texts_are_translated(shipped: Strategy) -> None:
    texts = _texts(shipped)
    assert len(texts) > 300
    assert all(t.nl.strip() and t.en.strip() for t in texts)
    for goal in shipped.goals:
        assert goal.title.nl != goal.title.en
        assert goal.summary.nl != goal.summary.en
        assert goal.summary.text("en") == goal.summary.en


@pytest.mark.integration
def test_quotes_occur_verbatim_in_the_strategy_text(shipped: Strategy, seed_text: str) -> None:
    quotes = [g.quote.nl for g in shipped.goals] + [t.quote.nl for t in shipped.threats]
    quotes += [t.quote.nl for t in shipped.trends] + [p.quote.nl for p in shipped.pillars]
    quotes += [d.title.nl for d in shipped.drivers] + [shipped.strategy.reporting.quote.nl]
    missing = [q for q in quotes if re.sub(r"\s+", " ", q) not in seed_text]
    assert missing == []


@pytest.mark.integration
def test_titles_are_the_headings_of_the_text(shipped: Strategy, seed_text: str) -> None:
    for goal in shipped.goals:
        assert f"Doel {goal.number}: {goal.title.nl}" in seed_text
    for threat in shipped.threats:
        assert f"3.{threat.number} {threat.title.nl}" in seed_text
    for trend in shipped.trends:
        assert f"{trend.number} {trend.title.nl}" in seed_text


def test_the_sixth_vital_interest_says_what_its_sources_confirm_and_what_they_do_not(
    shipped: Strategy,
) -> None:
    """The NRB fact sheet confirms six interests by April 2019 (WRR) and in the RRA 2022, five in the
    NVP 2016, and leaves unconfirmed which edition first used six: no 'later editions of the NVP'."""
    source = next(v for v in shipped.vital_interests if v.id == "international_legal_order").source
    for text, unconfirmed in ((source.nl, "niet bevestigd"), (source.en, "unconfirmed")):
        assert "17 " in text and "2019" in text and "WRR" in text and "2022" in text and unconfirmed in text
    assert "latere edities" not in source.nl and "later editions" not in source.en
