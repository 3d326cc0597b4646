"""Cross-reference checks on a method, reported as problems naming file, entry, value and fix.

Pure: :func:`find_problems` takes a built :class:`Method` and returns every problem; the loader
turns them (and field errors) into one :class:`gbvs.errors.MethodError`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from gbvs.assessments.model import LIKELIHOOD, SCENARIO_KINDS, Method, Scale
from gbvs.errors import Listed, Said, Words, said


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a method file."""

    file: str
    entry: str
    value: object
    message: str | Words
    """What is wrong: :func:`gbvs.errors.said` words, or a text as pydantic gives it (English)."""
    fix: str | Words

    def describe(self) -> Words:
        """One line: file, entry, value, what is wrong and the fix (in the reader's words on a page or
        the command line)."""
        return said(
            "%(file)s: entry %(entry)s: value %(value)s: %(message)s; fix: %(fix)s",
            file=self.file,
            entry=self.entry,
            value=repr(self.value),
            message=_worded(self.message),
            fix=_worded(self.fix),
        )


def _worded(text: str | Words) -> str:
    return Said.of(text) if isinstance(text, tuple) else text


def format_problems(problems: Sequence[Problem], what: str) -> Words:
    """The words of a MethodError for ``problems`` found in ``what``: a line, then each problem on a
    line of its own."""
    return said(
        "the method file %(file)s is invalid (%(count)s problem(s)):%(problems)s",
        file=what,
        count=len(problems),
        problems=Listed(Said.of(problem.describe()) for problem in problems),
    )


def find_problems(method: Method, file: str) -> list[Problem]:
    """Every duplicate id, dangling reference, unordered scale and incomplete weight set."""
    return [
        *_duplicates(file, "interests", [interest.id for interest in method.interests]),
        *_duplicates(file, "criteria", list(method.criterion_ids())),
        *_duplicates(file, "weight_sets", [weight_set.id for weight_set in method.weight_sets]),
        *_sources(method, file),
        *_criterion_interests(method, file),
        *_scale_problems(method.impact_scale, file, "impact_scale"),
        *(
            problem
            for index, scale in enumerate(method.likelihood_scales)
            for problem in _scale_problems(scale, file, f"likelihood_scales[{index}]")
        ),
        *_likelihood_coverage(method, file),
        *_weight_sets(method, file),
    ]


def _duplicates(file: str, section: str, ids: Iterable[str]) -> Iterator[Problem]:
    for value, count in Counter(ids).items():
        if count > 1:
            used = said("id used %(count)s times", count=count)
            yield Problem(file, section, value, used, said("give each entry its own id"))
        if value == LIKELIHOOD:
            reserved = said("the id 'likelihood' is reserved")
            yield Problem(file, section, value, reserved, said("choose another id"))


def _sources(method: Method, file: str) -> Iterator[Problem]:
    known = {source.key for source in method.sources}
    fix = said(
        "use one of the keys under sources (%(keys)s) or add the source there", keys=", ".join(sorted(known))
    )
    cited: list[tuple[str, tuple[str, ...]]] = [("aggregation.sources", method.aggregation.sources)]
    cited += [(f"interests[{i.id}].sources", i.sources) for i in method.interests]
    cited += [(f"criteria[{c.id}].sources", c.sources) for c in method.criteria]
    cited += [("impact_scale.sources", method.impact_scale.sources)]
    cited += [(f"likelihood_scales[{s.id}].sources", s.sources) for s in method.likelihood_scales]
    for entry, keys in cited:
        for key in keys:
            if key not in known:
                yield Problem(file, entry, key, said("unknown source key"), fix)


def _criterion_interests(method: Method, file: str) -> Iterator[Problem]:
    interests = {interest.id for interest in method.interests}
    for criterion in method.criteria:
        if criterion.interest not in interests:
            yield Problem(
                file,
                f"criteria[{criterion.id}].interest",
                criterion.interest,
                said("no interest with this id"),
                said("use one of %(ids)s", ids=str(sorted(interests))),
            )
    unused = interests - {criterion.interest for criterion in method.criteria}
    for interest in sorted(unused):
        yield Problem(
            file,
            f"interests[{interest}]",
            interest,
            said("no criterion scores this interest"),
            said("add a criterion under it or remove the interest"),
        )


def _scale_problems(scale: Scale, file: str, entry: str) -> Iterator[Problem]:
    yield from _duplicates(file, f"{entry}.classes", scale.codes())
    values = [scale_class.value for scale_class in scale.classes]
    if values != sorted(values):
        yield Problem(
            file,
            f"{entry}.classes",
            values,
            said("class values are not ascending (classes are listed lowest first)"),
            said("order the classes from lowest to highest or correct the values"),
        )


def _likelihood_coverage(method: Method, file: str) -> Iterator[Problem]:
    covered = Counter(kind for scale in method.likelihood_scales for kind in scale.applies_to)
    for kind in SCENARIO_KINDS:
        if covered[kind] != 1:
            yield Problem(
                file,
                "likelihood_scales",
                kind,
                said(
                    "%(count)s likelihood scales apply to %(kind)s scenarios (exactly one must)",
                    count=covered[kind],
                    kind=repr(kind),
                ),
                said("list %(kind)s under applies_to of exactly one likelihood scale", kind=repr(kind)),
            )


def _weight_sets(method: Method, file: str) -> Iterator[Problem]:
    criteria = set(method.criterion_ids())
    for weight_set in method.weight_sets:
        entry = f"weight_sets[{weight_set.id}].weights"
        keys = set(weight_set.weights)
        if keys != criteria:
            missing, extra = sorted(criteria - keys), sorted(keys - criteria)
            yield Problem(
                file,
                entry,
                {"missing": missing, "unknown": extra},
                said("a weight set must give a weight to every criterion and to nothing else"),
                said("add the missing criteria and remove the unknown ones"),
            )
        negative = {key: value for key, value in weight_set.weights.items() if value < 0}
        if negative:
            yield Problem(
                file, entry, negative, said("weights are negative"), said("give weights of 0 or more")
            )
        elif sum(weight_set.weights.values()) <= 0:
            added = said("the weights add up to 0")
            yield Problem(file, entry, 0, added, said("give at least one positive weight"))
