"""The shipped data against the strategy text, as its coordinator at Foreign Affairs reads it.

Each test records one deviation found in that review (where in the text, what the data said): a summary
that added what the text does not say, a link the text makes that the data left out, an interpretation
presented as the text's own, and the monitoring commitment of chapter 5.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gbvs.strategy import Strategy

ROOT = Path(__file__).resolve().parents[2]


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_driver_summaries_say_only_what_the_list_of_section_2_2_says(shipped: Strategy) -> None:
    # §2.2, p. 15: "ongelijkheid binnen staten, samenlevingen en huishoudens" (the data said "binnen en
    # tussen staten"); the list is of developments "die onveiligheid kunnen veroorzaken" (the data said
    # population growth "zet samenlevingen onder druk", which the text does not say).
    poverty = shipped.driver("poverty_inequality").summary
    assert "tussen staten" not in poverty.nl and "between states" not in poverty.en
    assert "samenlevingen en huishoudens" in poverty.nl and "societies and households" in poverty.en
    population = shipped.driver("population_urbanisation").summary
    assert "onder druk" not in population.nl and "under pressure" not in population.en
    assert "onveiligheid" in population.nl and "insecurity" in population.en


def test_goal_5_gives_the_two_percent_as_the_text_words_it(shipped: Strategy) -> None:
    # Doel 5, p. 30-33: steps "die passen binnen de afspraken die op de NAVO top in Wales (2014) zijn gemaakt
    # om toe te werken naar een defensiebudget van 2 procent van het Bruto Binnenlands Product in 2024"; the
    # Defensienota sets out the steps of this cabinet period. The data made it "de NAVO-norm".
    summary = shipped.goal(5).summary
    assert "NAVO-norm" not in summary.nl and "NATO's 2%" not in summary.en
    assert "Wales (2014)" in summary.nl and "2 procent" in summary.nl and "2 per cent" in summary.en
    assert "stappen" in summary.nl and "steps" in summary.en


def test_goal_11_invents_no_commitment_on_mali_and_afghanistan_and_gives_the_budget_review_as_an_aim(
    shipped: Strategy,
) -> None:
    # Doel 11, p. 38-40: restoring security in Mali, Afghanistan and the Middle East "is in het
    # veiligheidsbelang van Europa en Nederland en vergt een lange adem" (no investment promised there);
    # "De doelstelling van het kabinet is om elke twee jaar de omvang van het BIV ... te bezien."
    summary = shipped.goal(11).summary
    assert not re.search(r"investeren[^.]*herstel van (de )?veiligheid", summary.nl)
    assert not re.search(r"investing[^.]*restoring security", summary.en)
    assert "lange adem" in summary.nl and "long haul" in summary.en
    assert "wordt elke twee jaar bezien" not in summary.nl and "is reviewed every two years" not in summary.en
    assert "doelstelling" in summary.nl and "aim" in summary.en


def test_goal_9_does_not_turn_an_observation_on_energy_into_a_commitment(shipped: Strategy) -> None:
    # Doel 9, p. 35: "Voor Nederland en Europa betekent inzetten op een CO²-arme energievoorziening een
    # verminderde afhankelijkheid van producenten van fossiele brandstoffen" (the data: the cabinet
    # "zet in op").
    summary = shipped.goal(9).summary
    assert not re.search(r"zet in op[^.;]*CO2-arme", summary.nl)
    assert not re.search(r"works on[^.;]*low-carbon", summary.en)
    assert "CO2-arme" in summary.nl and "low-carbon" in summary.en


def test_the_english_of_the_prevention_pillar_says_what_the_dutch_says(shipped: Strategy) -> None:
    # §4.1, p. 25: "Daarom is met name bij deze pijler de koppeling met het BHOS-beleid van belang"
    # (especially for this pillar), not that the link "matters most".
    pillar = next(p for p in shipped.pillars if p.id == "voorkomen")
    assert "matters most" not in pillar.summary.en
    assert "particularly" in pillar.summary.en


def test_goal_5_uses_the_instruments_its_text_names(shipped: Strategy) -> None:
    # Doel 5, p. 30: "blijven crisismanagement en capaciteitsopbouw van derde landen cruciaal als
    # vooruitgeschoven verdediging"; p. 31-32: "inzetbaarheid van militaire en civiele capaciteiten van
    # eventuele EU-missies of operaties"; p. 31: "een goede wisselwerking tussen nucleaire afschrikking en
    # wapenbeheersingsmaatregelen".
    assert {"peace_missions", "arms_control"} <= set(shipped.goal(5).instruments)


@pytest.mark.integration
def test_the_eu_global_strategy_is_a_framework_of_goal_5(shipped: Strategy, seed_text: str) -> None:
    # Doel 5, box "EU Global Strategy" and footnote 12: the framework the EU security and defence policy
    # the cabinet supports builds on; the data named no EU framework at all.
    framework = next(f for f in shipped.frameworks if f.id == "eu_global_strategy")
    assert framework.name.nl in seed_text and not framework.in_linked_list
    assert [g.number for g in shipped.goals if "eu_global_strategy" in g.frameworks] == [5]


@pytest.mark.integration
def test_the_ring_around_europe_says_which_of_its_regions_the_text_names(
    shipped: Strategy, seed_text: str
) -> None:
    # The text names North Africa (doel 5, 10, 13), the Sahel, the Middle East and the Horn of Africa (§2.2,
    # p. 15) and the Western Balkans (§2.2, p. 14); "Oost-Europa en de Zuidelijke Kaukasus" is GBVS's own
    # grouping around Ukraine. The data called all six "de zes regio's rond Europa die de tekst noemt".
    ring = shipped.region("ring_around_europe")
    not_named = [p for p in ring.parts if shipped.region(p).name.nl not in seed_text]
    assert not_named == ["eastern_europe_caucasus"]
    basis = ring.membership_basis
    assert "zes regio's rond Europa die de tekst noemt" not in basis.nl
    assert "six regions around Europe the text names" not in basis.en
    assert "Oost-Europa en de Zuidelijke Kaukasus" in basis.nl and "keuze van GBVS" in basis.nl
    assert "Eastern Europe and the South Caucasus" in basis.en and "GBVS's choice" in basis.en
    # the text also names sub-Saharan Africa as a source of migration pressure (p. 15); the ring leaves it out
    assert "sub-Sahara Afrika" in seed_text
    assert "sub-Sahara Afrika" in basis.nl and "sub-Saharan Africa" in basis.en


@pytest.mark.integration
def test_the_reporting_interval_is_the_texts_and_its_reading_is_written_down(
    shipped: Strategy, seed_text: str
) -> None:
    # Samenvatting (p. 7) and chapter 5 (p. 42) both say "tweejaarlijks"; in Dutch that is once every two
    # years (twice a year is "halfjaarlijks"), but the word is used for both, and the text says neither when
    # the first report is due nor which years a report covers. The data gave the number without the reading.
    reporting = shipped.strategy.reporting
    assert seed_text.count("tweejaarlijks") == 2
    assert reporting.interval_years == 2
    chapter_5 = seed_text[seed_text.index("5. Implementatie Voor") :]
    assert _one_line(reporting.quote.nl) in chapter_5[:2000]
    assert reporting.note is not None
    assert "halfjaarlijks" in reporting.note.nl and "twice a year" in reporting.note.en
    assert "Samenvatting" in reporting.note.nl and "42" in reporting.note.nl


def test_the_progress_report_docs_quote_chapter_5_as_chapter_5_words_it(shipped: Strategy) -> None:
    # docs/reports.md quoted the Samenvatting's sentence ("wordt tweejaarlijks gerapporteerd") as chapter 5's.
    docs = _one_line((ROOT / "docs" / "reports.md").read_text(encoding="utf-8"))
    sentence = shipped.strategy.reporting.quote.nl.split(". ")[0]
    assert sentence in docs


FRAMEWORK_WORDS = {
    "defensienota": ("Defensienota",),
    "bhos_nota": ("BHOS-",),
    "postennetbrief": ("Postennetbrief",),
    "migration_agenda": ("migratieagenda",),
    "regional_country_frameworks": ("landenbeleidskaders",),
    "economic_security": ("economische veiligheid",),
    "intelligence_services": ("inlichtingen- en veiligheidsdiensten",),
    "cybersecurity_agenda": ("cybersecurityagenda", "Cybersecurity Agenda"),
    "digitalisation_agenda": ("Digitaliseringsagenda",),
    "international_police_strategy": ("Internationale Politie strategie", "Internationale Politiestrategie"),
    "national_ct_strategy": ("Contraterrorismestrategie", "CT-strategie"),
    "civil_missions_framework": ("beleidskader civiele missies",),
    "toetsingskader": ("Toetsingskader",),
    "nap_1325": ("1325",),
    "eu_global_strategy": ("EU Global Strategy",),
}
"""The words by which the text names each framework."""


def _goal_sections(strategy: Strategy, seed_text: str) -> dict[int, str]:
    """Each goal's own text: from its heading in the body (not the table of contents) to the next."""
    starts = [seed_text.rindex(f"Doel {g.number}: {g.title.nl}") for g in strategy.goals]
    ends = [*starts[1:], seed_text.index("5. Implementatie Voor")]
    return {g.number: seed_text[a:b] for g, a, b in zip(strategy.goals, starts, ends, strict=True)}


def _names(words: tuple[str, ...], text: str) -> bool:
    return any(word.lower() in text.lower() for word in words)


@pytest.mark.integration
def test_a_framework_the_goal_text_does_not_name_is_explained_in_the_mapping_note(
    shipped: Strategy, seed_text: str
) -> None:
    # The goals file promises "where a link is inferred rather than stated, mapping_note says so". Goal 1
    # linked the migration agenda ("migratie-prioriteiten"), the Postennetbrief ("het postennet") and the
    # intelligence services ("inlichtingenpositie"), goal 7 the National CT Strategy and the services
    # ("inlichtingen- en opsporingscapaciteit"), without a word.
    assert set(FRAMEWORK_WORDS) == {f.id for f in shipped.frameworks}
    sections = _goal_sections(shipped, seed_text)
    unexplained = [
        (goal.number, framework)
        for goal in shipped.goals
        for framework in goal.frameworks
        if not _names(FRAMEWORK_WORDS[framework], sections[goal.number])
        and not (goal.mapping_note and _names(FRAMEWORK_WORDS[framework], goal.mapping_note.nl))
    ]
    assert unexplained == []


def test_goal_4_gives_the_licence_requirement_as_something_the_netherlands_presses_for(
    shipped: Strategy,
) -> None:
    # Doel 4, p. 29: "Hiertoe zet Nederland internationaal in op het verplicht stellen van een
    # exportvergunning" for cyber-surveillance technology: a goal, not an existing requirement.
    texts = [
        shipped.goal(4).summary,
        next(i for i in shipped.instruments if i.id == "export_control").description,
    ]
    for text in texts:
        assert "inzet op een vergunningplicht" in text.nl, text.nl
        assert "pressing internationally for a licence requirement" in text.en, text.en


def test_the_multi_order_trend_keeps_the_texts_increasingly(shipped: Strategy) -> None:
    # §2.1, p. 13: "Ad hoc coalities nemen steeds vaker de plaats in van traditionele samenwerkingsverbanden"
    # (the data: they "vervangen" them, outright).
    summary = shipped.trends[0].summary
    assert "steeds vaker" in summary.nl and "increasingly" in summary.en
    assert "vervangen traditionele" not in summary.nl


def test_the_countries_the_text_names_are_known_per_region(shipped: Strategy) -> None:
    # What the countries page marks: of the ring's 36 countries the text names nine; the rest are GBVS's
    # grouping (the Caribbean region is outside the ring).
    ring = shipped.named_in_region("ring_around_europe")
    assert ring == {"TUN", "LBY", "SYR", "IRQ", "YEM", "IRN", "MLI", "UKR"}
    assert shipped.named_in_region("caribbean") == {"VEN", "COL", "BRA"}
    assert shipped.named_in_region("western_balkans") == frozenset()
