"""The facts of the accessibility statement: every WCAG 2.1 A/AA criterion, how it is checked, its status.

Two files in this folder: ``criteria.yaml`` (written by people: which checks cover a criterion and
what a person found) and ``results.json`` (written by ``scripts/wcag-check`` from the browser tests:
how many tests passed and failed per check, and when). :func:`statement` combines them.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from gbvs.strategy import Text

Status = Literal["passes", "fails", "not_applicable", "open"]
Method = Literal["automated", "automated_and_by_hand", "by_hand"]
Compliance = Literal["full", "partial", "first_measures"]
RESULTS_FILE = "results.json"
STATUS_ORDER: tuple[Status, ...] = ("fails", "open", "passes", "not_applicable")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HandCheck(Frozen):
    """What a person checked (or still has to check) for one criterion."""

    status: Status
    note: Text
    checked: date | None = None
    by: Text | None = None


class Criterion(Frozen):
    """A WCAG 2.1 success criterion and how GBVS checks it."""

    id: str
    level: Literal["A", "AA"]
    name: Text
    automated: tuple[Literal["axe", "browser"], ...] = ()
    by_hand: HandCheck | None = None

    @property
    def result_keys(self) -> tuple[str, ...]:
        """The keys of its automated checks in results.json: ``axe`` or the criterion's own id."""
        return tuple("axe" if check == "axe" else self.id for check in self.automated)

    @property
    def method(self) -> Method:
        """Checked automatically, by hand, or both."""
        if not self.automated:
            return "by_hand"
        return "automated_and_by_hand" if self.by_hand else "automated"


class Outcome(Frozen):
    """How many tests of one check passed and failed in the recorded run."""

    passed: int
    failed: int


class Results(Frozen):
    """The recorded run of the browser tests (``scripts/wcag-check``)."""

    checked_on: date
    tools: dict[str, str]
    outcomes: dict[str, Outcome]

    @property
    def tool_names(self) -> str:
        """The tools with their versions as a reader reads them ("axe-core 4.11.0, Chromium 156..."):
        a version that already starts with its tool's name is not prefixed with it again."""
        return ", ".join(
            version if version.lower().startswith(name.lower()) else f"{name} {version}"
            for name, version in self.tools.items()
        )


class Row(Frozen):
    """One criterion as the statement shows it."""

    criterion: Criterion
    status: Status
    outcomes: tuple[Outcome | None, ...]


class Statement(Frozen):
    """The whole statement: a row per criterion, the overall compliance and the last check."""

    rows: tuple[Row, ...]
    compliance: Compliance
    results: Results | None

    def count(self, status: Status) -> int:
        """How many criteria have ``status``."""
        return sum(row.status == status for row in self.rows)

    def with_method(self, method: Method) -> tuple[Row, ...]:
        """The rows of the criteria checked this way."""
        return tuple(row for row in self.rows if row.criterion.method == method)


def status_of(criterion: Criterion, results: Results | None) -> Status:
    """Failing if a test or person found a failure; open while a check has not been made; else its result."""
    outcomes = [results.outcomes.get(key) if results else None for key in criterion.result_keys]
    hand = criterion.by_hand.status if criterion.by_hand else None
    if hand == "fails" or any(outcome and outcome.failed for outcome in outcomes):
        return "fails"
    if hand == "open" or any(outcome is None or not outcome.passed for outcome in outcomes):
        return "open"
    return "not_applicable" if hand == "not_applicable" else "passes"


def compliance_of(statuses: list[Status]) -> Compliance:
    """The status scale of the Dutch model statement: full, partial, or first measures taken."""
    if "open" in statuses:
        return "first_measures"
    return "partial" if "fails" in statuses else "full"


def statement(criteria: tuple[Criterion, ...], results: Results | None) -> Statement:
    """The statement for ``criteria`` given the recorded test ``results`` (None: never recorded)."""
    rows = tuple(
        Row(
            criterion=criterion,
            status=status_of(criterion, results),
            outcomes=tuple(results.outcomes.get(key) if results else None for key in criterion.result_keys),
        )
        for criterion in criteria
    )
    return Statement(rows=rows, compliance=compliance_of([row.status for row in rows]), results=results)


@cache
def load_criteria() -> tuple[Criterion, ...]:
    """The criteria of ``criteria.yaml`` (shipped with the package)."""
    text = resources.files(__package__).joinpath("criteria.yaml").read_text(encoding="utf-8")
    return tuple(Criterion.model_validate(item) for item in yaml.safe_load(text)["criteria"])


def results_path() -> Path:
    """Where ``scripts/wcag-check`` writes the results (in the source tree, committed)."""
    return Path(__file__).with_name(RESULTS_FILE)


def load_results(path: Path | None = None) -> Results | None:
    """The recorded results, or None when the tests were never recorded."""
    path = path or results_path()
    if not path.is_file():
        return None
    return Results.model_validate_json(path.read_text(encoding="utf-8"))


def save_results(results: Results, path: Path | None = None) -> None:
    """Write ``results`` (sorted, stable for review in git)."""
    body = results.model_dump(mode="json")
    (path or results_path()).write_text(json.dumps(body, indent=2, sort_keys=True) + "\n", encoding="utf-8")
