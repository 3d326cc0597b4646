"""Queries on a strategy, and a later strategy loaded beside this one."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from gbvs.errors import NotFoundError
from gbvs.strategy import Strategy, available_strategies, current_strategy_id, load_strategy_from
from gbvs.strategy.load import DATA_ROOT

Edit = Callable[[str, str, str], Path]


@pytest.mark.parametrize(
    ("lookup", "expected"),
    [
        pytest.param(lambda s: s.goal(0), "valid values: 1, 2, 3", id="goal"),
        pytest.param(lambda s: s.threat(9), "valid values: 1, 2, 3, 4, 5, 6", id="threat"),
        pytest.param(lambda s: s.driver("drought"), "poverty_inequality", id="driver"),
        pytest.param(lambda s: s.region("asia"), "north_africa", id="region"),
        pytest.param(lambda s: s.country("XYZ"), "MLI/432", id="country"),
        pytest.param(lambda s: s.goals_in("preventie"), "voorkomen, verdedigen, versterken", id="pillar"),
        pytest.param(lambda s: s.goals_for_driver("x"), "position_of_women", id="goals_for_driver"),
        pytest.param(lambda s: s.countries_in_region("x"), "caribbean", id="countries_in_region"),
        pytest.param(lambda s: s.instrument("x"), "diplomacy", id="instrument"),
        pytest.param(lambda s: s.framework("x"), "defensienota", id="framework"),
        pytest.param(lambda s: s.vital_interest("x"), "territorial_security", id="vital_interest"),
    ],
)
def test_unknown_keys_raise_not_found_listing_valid_values(
    shipped: Strategy, lookup: Callable[[Strategy], object], expected: str
) -> None:
    with pytest.raises(
        NotFoundError, match="does not exist in strategy gbvs-2018-2022; valid values"
    ) as caught:
        lookup(shipped)
    assert expected in str(caught.value)


def test_link_queries(shipped: Strategy) -> None:
    assert [g.number for g in shipped.goals_for_threat(6)] == [3, 12]
    assert [g.number for g in shipped.goals_for_instrument("sanctions")] == [11]
    assert [t.number for t in shipped.threats_for_interest("economic_security")] == [2, 5]
    assert shipped.goal(1).places[0].region == "ring_around_europe"
    assert (
        shipped.instrument("development").name.text("nl")
        == "ontwikkelingssamenwerking (BHOS-instrumentarium)"
    )
    assert shipped.framework("defensienota").in_linked_list
    assert shipped.goal(4).ref.label() == "§4.1 Doel 4, p. 29"


def test_a_later_strategy_loads_beside_this_one(tmp_path: Path, strategy_copy: Path) -> None:
    root = tmp_path / "strategies"
    root.mkdir()
    shutil.copytree(strategy_copy, root / "gbvs-2018-2022")
    later = root / "vs-2023-2029"
    shutil.copytree(strategy_copy, later)
    meta = later / "strategy.yaml"
    text = meta.read_text(encoding="utf-8").replace("id: gbvs-2018-2022", "id: vs-2023-2029")
    meta.write_text(
        text.replace("start: 2018\n    end: 2022", "start: 2023\n    end: 2029"), encoding="utf-8"
    )
    assert available_strategies(root) == ("gbvs-2018-2022", "vs-2023-2029")
    assert current_strategy_id(root) == "vs-2023-2029"
    old, new = load_strategy_from(root / "gbvs-2018-2022"), load_strategy_from(later)
    assert (old.id, new.id) == ("gbvs-2018-2022", "vs-2023-2029")
    assert new.strategy.period.start == 2023


def test_a_broken_strategy_folder_is_never_the_default(
    tmp_path: Path, strategy_copy: Path, edit: Edit
) -> None:
    edit("strategy.yaml", "  period:\n", "  period: [\n")
    root = tmp_path / "strategies"
    root.mkdir()
    shutil.copytree(strategy_copy, root / "zzz-broken")
    assert current_strategy_id(root) == "zzz-broken"  # the only one: loading it reports the problem
    shutil.copytree(DATA_ROOT / "gbvs-2018-2022", root / "gbvs")
    assert current_strategy_id(root) == "gbvs"


def test_no_strategy_at_all(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no strategy data found"):
        current_strategy_id(tmp_path)
