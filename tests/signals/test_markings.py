"""TLP 2.0, distribution and classification rules of the signals register."""

from __future__ import annotations

import pytest

from gbvs.errors import InputError
from gbvs.signals.markings import (
    ACCEPTED_CLASSIFICATIONS,
    STIX_TLP_MARKINGS,
    Classification,
    Distribution,
    Tlp,
    check_change,
    check_classification,
    check_consistent,
    parse_classification,
    parse_tlp,
)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("TLP:AMBER+STRICT", Tlp.amber_strict),
        ("amber_strict", Tlp.amber_strict),
        ("tlp:white", Tlp.clear),
        (" RED ", Tlp.red),
        ("Green", Tlp.green),
    ],
)
def test_parse_tlp_accepts_the_usual_spellings(text: str, level: Tlp) -> None:
    assert parse_tlp(text) is level


def test_unknown_tlp_names_the_value_and_the_choices() -> None:
    with pytest.raises(InputError, match=r"'TLP:PURPLE'.*TLP:CLEAR, TLP:GREEN"):
        parse_tlp("TLP:PURPLE")


def test_levels_are_ordered_from_clear_to_red() -> None:
    levels = (Tlp.clear, Tlp.green, Tlp.amber, Tlp.amber_strict, Tlp.red)
    assert [level.rank for level in levels] == [0, 1, 2, 3, 4]


def test_every_level_has_its_own_stix_marking() -> None:
    assert set(STIX_TLP_MARKINGS) == set(Tlp)
    assert len(set(STIX_TLP_MARKINGS.values())) == len(Tlp)


@pytest.mark.parametrize("text", ["Stg. Confidentieel", "stg geheim", "Staatsgeheim Zeer Geheim"])
def test_state_secrets_are_refused_with_where_they_belong(text: str) -> None:
    level = parse_classification(text)
    with pytest.raises(InputError, match="accredited"):
        check_classification(level)


@pytest.mark.parametrize("text", ["Departementaal Vertrouwelijk", "dep. vertrouwelijk", "ongerubriceerd"])
def test_up_to_departementaal_vertrouwelijk_is_accepted(text: str) -> None:
    check_classification(parse_classification(text))


def test_unknown_classification_is_named() -> None:
    with pytest.raises(InputError, match="'NATO SECRET'"):
        parse_classification("NATO SECRET")


def test_an_unknown_classification_offers_only_the_levels_gbvs_accepts() -> None:
    """The choices named stg_confidentieel, stg_geheim and stg_zeer_geheim, which are always refused."""
    with pytest.raises(InputError) as refused:
        parse_classification("unclassified")
    assert str(refused.value).endswith("use one of ongerubriceerd, departementaal_vertrouwelijk")
    for level in ACCEPTED_CLASSIFICATIONS:
        check_classification(level)
    for level in set(Classification) - set(ACCEPTED_CLASSIFICATIONS):
        with pytest.raises(InputError, match="not accredited for state secrets"):
            check_classification(level)


@pytest.mark.parametrize(
    ("tlp", "distribution", "recipients", "problem"),
    [
        (Tlp.green, Distribution.public, 0, "needs TLP:CLEAR"),
        (Tlp.clear, Distribution.organisation, 0, "use distribution 'public'"),
        (Tlp.red, Distribution.organisation, 0, "name at least one recipient"),
        (Tlp.amber, Distribution.organisation, 2, "only for TLP:RED"),
        (Tlp.amber_strict, Distribution.all_organisations, 0, "owner's organisation"),
    ],
)
def test_inconsistent_markings_are_refused(
    tlp: Tlp, distribution: Distribution, recipients: int, problem: str
) -> None:
    with pytest.raises(InputError, match=problem):
        check_consistent(tlp, distribution, recipients)


@pytest.mark.parametrize(
    ("tlp", "distribution", "recipients"),
    [
        (Tlp.clear, Distribution.public, 0),
        (Tlp.green, Distribution.all_organisations, 0),
        (Tlp.amber, Distribution.sharing_group, 0),
        (Tlp.amber_strict, Distribution.organisation, 0),
        (Tlp.red, Distribution.organisation, 1),
    ],
)
def test_consistent_markings_pass(tlp: Tlp, distribution: Distribution, recipients: int) -> None:
    check_consistent(tlp, distribution, recipients)


def test_only_the_owner_changes_a_marking() -> None:
    with pytest.raises(InputError, match="only the organisation that owns"):
        check_change(old=Tlp.amber, new=Tlp.red, by_owner=False, reason="more sensitive")


def test_lowering_needs_a_reason_raising_does_not() -> None:
    check_change(old=Tlp.amber, new=Tlp.red, by_owner=True, reason=None)
    with pytest.raises(InputError, match="needs a reason"):
        check_change(old=Tlp.red, new=Tlp.green, by_owner=True, reason="  ")
    check_change(old=Tlp.red, new=Tlp.green, by_owner=True, reason="source agreed to wider sharing")


def test_classification_order_puts_the_limit_at_departementaal_vertrouwelijk() -> None:
    allowed = [level for level in Classification if _allowed(level)]
    assert allowed == [Classification.ongerubriceerd, Classification.departementaal_vertrouwelijk]


def _allowed(level: Classification) -> bool:
    try:
        check_classification(level)
    except InputError:
        return False
    return True
