"""Driver-family wording lives in one place (gbvs.drivers.families), keyed by the strategy's driver ids."""

from __future__ import annotations

from gbvs.drivers import DRIVER_IDS, load_mapping
from gbvs.drivers.families import FAMILY_LABELS, family_label
from gbvs.forecasting.explain import summary
from gbvs.forecasting.features import CONFLICT_FAMILY, SPACES_FAMILY
from gbvs.strategy import load_strategy
from gbvs.web.i18n import load_catalogs
from gbvs.web.queries.forecasts import explain


def test_every_driver_of_the_strategy_has_a_label_and_nothing_else_does() -> None:
    strategy_drivers = {driver.id for driver in load_strategy().drivers}
    assert set(DRIVER_IDS) == strategy_drivers | {CONFLICT_FAMILY}  # the mapping adds conflict history
    assert set(FAMILY_LABELS) == {*DRIVER_IDS, "other"}


def test_every_family_a_forecast_can_carry_has_a_label() -> None:
    families = {item.driver for item in load_mapping()} | {CONFLICT_FAMILY, SPACES_FAMILY, "other"}
    assert families <= set(FAMILY_LABELS)


def test_cli_and_web_word_a_forecast_from_the_same_labels() -> None:
    row = {"position_of_women": 0.8, "conflict_history": 1.2, "other": 0.01}
    assert summary(row) == "risk up mainly from conflict history and position of women"
    dutch = explain(row, lambda text: {" and ": " en "}.get(text, text), "nl")
    # the sentence pattern is left untranslated here; the family names come from gbvs.drivers.families
    assert dutch == "risk up mainly from conflictgeschiedenis en positie van vrouwen"
    assert family_label("position_of_women", "nl") == "positie van vrouwen"


def test_a_family_pushing_against_the_forecast_is_not_named_as_its_cause() -> None:
    """Venezuela in the real run: conflict history lowers the risk (-2.0), illegitimate governance
    raises it (+0.69); the forecast goes down, so only conflict history is its cause."""
    row = {"conflict_history": -2.0, "illegitimate_governance": 0.69, "other": -0.05}
    assert summary(row) == "risk down mainly from conflict history; illegitimate governance raises it"
    dutch = load_catalogs()["nl"].gettext
    assert explain(row, dutch, "nl") == (
        "risico omlaag vooral door conflictgeschiedenis; illegitiem bestuur verhoogt het"
    )
    # "other" (features no driver claims) counts in the direction but is named only when alone
    assert summary({"illegitimate_governance": 0.5, "other": 0.9}) == (
        "risk up mainly from illegitimate governance"
    )
    assert summary({"other": 0.4, "climate_change": -0.1}) == (
        "risk up mainly from other; climate change lowers it"
    )
    assert summary({"climate_change": 0.3, "polarisation": 0.2, "position_of_women": -0.1}) == (
        "risk up mainly from climate change and polarisation"  # the one against is the smallest
    )
