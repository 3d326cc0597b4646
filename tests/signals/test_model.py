"""A signal draft validates itself: every way in gets the same rules and messages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gbvs.errors import InputError
from gbvs.signals.markings import Classification, Distribution, Tlp
from gbvs.signals.model import DESCRIPTION_MAX, SignalDraft, SignalKind


def _draft(**changes: Any) -> SignalDraft:
    fields: dict[str, Any] = {
        "title": "Phishing against a ministry",
        "kind": SignalKind.cyber_operation,
        "observed_on": date(2024, 3, 1),
        "reported_on": date(2024, 3, 4),
        "owner_organisation": "NCTV",
        "tlp": Tlp.amber,
        "distribution": Distribution.all_organisations,
        "actor_countries": ("RUS",),
    }
    return SignalDraft(**(fields | changes))


def test_a_valid_draft_is_kept_as_given() -> None:
    draft = _draft()
    assert draft.actor_countries == ("RUS",)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"title": "   "}, "needs a title"),
        ({"description": "x" * (DESCRIPTION_MAX + 1)}, "the limit is 20,000"),
        ({"observed_on": date(2024, 3, 5)}, "after the reported date"),
        ({"classification": Classification.stg_geheim}, "accredited"),
        ({"actor_countries": ("Russia",)}, "'Russia' is not an ISO 3166 alpha-3"),
        ({"distribution": Distribution.sharing_group}, "name a sharing group"),
        ({"tags": ("x" * 65,)}, "1-64 characters"),
        ({"tlp": Tlp.green, "distribution": Distribution.public}, "needs TLP:CLEAR"),
    ],
)
def test_bad_drafts_are_refused_naming_the_problem(changes: dict[str, Any], problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        _draft(**changes)
