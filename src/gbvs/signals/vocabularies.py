"""Vocabularies of the register, read from the MISP taxonomies shipped in ``pytaxonomies``.

- Admiralty code (``admiralty-scale``): source reliability A-F and information credibility 1-6.
  The taxonomy also has ``g`` (deliberately deceptive); the issue and NATO AJP-2.1 use A-F, so
  GBVS accepts A-F only and says so.
- Estimative language (``estimative-language``): likelihood with its probability range, and
  confidence in the analytic judgment.

Dutch wording lives in ``labels.yaml`` beside this module, keyed by the taxonomy's values; the
probability ranges come from the taxonomy itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pytaxonomies import Taxonomies

from gbvs.errors import InputError, said
from gbvs.errors import Term as Word

Language = Literal["nl", "en"]
RELIABILITY = ("a", "b", "c", "d", "e", "f")
CREDIBILITY = ("1", "2", "3", "4", "5", "6")
_RANGE = re.compile(r"(\d{1,3})\s*-\s*(\d{1,3})\s*%")


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary, with its wording in both languages."""

    value: str
    en: str
    nl: str

    def label(self, language: Language) -> str:
        """The wording in ``language``."""
        return self.nl if language == "nl" else self.en


@dataclass(frozen=True)
class Likelihood(Term):
    """An estimative-language likelihood with its probability range in percent."""

    low: int
    high: int


@cache
def _taxonomies() -> Taxonomies:
    return Taxonomies()


@cache
def _labels() -> dict[str, dict[str, str]]:
    text = resources.files("gbvs.signals").joinpath("labels.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = yaml.safe_load(text)
    return data


def taxonomies_version() -> str:
    """The version of the MISP taxonomies set in use (cited with every export)."""
    return str(_taxonomies().version)


def _entries(taxonomy: str, predicate: str) -> dict[str, Any]:
    entries: dict[str, Any] = _taxonomies()[taxonomy].predicates[predicate].entries
    return entries


def _term(taxonomy: str, predicate: str, value: str) -> Term:
    entry = _entries(taxonomy, predicate)[value]
    return Term(value, entry.expanded, _labels()[predicate][value])


@cache
def reliability_terms() -> tuple[Term, ...]:
    """Source reliability A-F."""
    return tuple(_term("admiralty-scale", "source-reliability", v) for v in RELIABILITY)


@cache
def credibility_terms() -> tuple[Term, ...]:
    """Information credibility 1-6."""
    return tuple(_term("admiralty-scale", "information-credibility", v) for v in CREDIBILITY)


@cache
def likelihood_terms() -> tuple[Likelihood, ...]:
    """Estimative likelihoods, least likely first, each with its probability range."""
    terms = []
    for value, entry in _entries("estimative-language", "likelihood-probability").items():
        found = _RANGE.search(entry.expanded)
        if found is None:
            raise InputError(f"estimative-language value {value!r} has no probability range")
        low, high = int(found.group(1)), int(found.group(2))
        nl = _labels()["likelihood-probability"][value]
        terms.append(Likelihood(value, entry.expanded, nl, low, high))
    return tuple(sorted(terms, key=lambda term: term.low))


@cache
def confidence_terms() -> tuple[Term, ...]:
    """Confidence in an analytic judgment: low, moderate, high."""
    predicate = "confidence-in-analytic-judgment"
    values = _entries("estimative-language", predicate)
    return tuple(_term("estimative-language", predicate, value) for value in values)


def _lookup(terms: tuple[Term, ...], text: str, what: str) -> Term:
    key = text.strip().lower()
    for term in terms:
        if key in (term.value, term.nl.lower(), term.en.lower()):
            return term
    choices = ", ".join(f"{term.value} ({term.nl})" for term in terms)
    raise InputError(
        said(
            "unknown %(what)s %(text)s; use one of: %(choices)s",
            what=Word(what),
            text=repr(text),
            choices=choices,
        )
    )


def reliability(text: str) -> Term:
    """Source reliability by letter (``"B"``) or wording."""
    return _lookup(reliability_terms(), text, "source reliability")


def credibility(text: str) -> Term:
    """Information credibility by digit (``"2"``) or wording."""
    return _lookup(credibility_terms(), text, "information credibility")


def likelihood(text: str) -> Likelihood:
    """A likelihood by value (``"very-likely"``) or wording (``"zeer waarschijnlijk"``)."""
    term = _lookup(likelihood_terms(), text, "likelihood")
    assert isinstance(term, Likelihood)
    return term


def confidence(text: str) -> Term:
    """A confidence level by value or wording."""
    return _lookup(confidence_terms(), text, "confidence")


def admiralty_code(code: str) -> tuple[Term, Term]:
    """``"B2"`` -> (reliability B, credibility 2); a clear error for anything else."""
    text = code.strip().lower()
    if len(text) != 2:
        raise InputError(
            said("Admiralty code %(code)s must be a letter A-F and a digit 1-6, e.g. B2", code=repr(code))
        )
    return reliability(text[0]), credibility(text[1])


MARKING_TAXONOMIES: dict[str, Word] = {
    "tlp": Word(
        "the TLP marking is the signal's own field (tlp); a tag would contradict it in a MISP export"
    ),
    "admiralty-scale": Word("the Admiralty code is the signal's own fields (reliability, credibility)"),
}
"""Taxonomies a tag may not name: the signal states them in fields of its own."""


def checked_tag(tag: str) -> str:
    """``tag`` as given: a free word, or a machine tag of a MISP taxonomy in ``pytaxonomies``
    (``circl:incident-classification="phishing"``); an error naming the tag and the fix otherwise."""
    text = tag.strip()
    if ":" not in text:
        return text
    namespace = text.split(":", 1)[0]
    if namespace in MARKING_TAXONOMIES:
        raise InputError(
            said(
                "tag %(tag)s: %(why)s; leave the tag out",
                tag=repr(text[:70]),
                why=MARKING_TAXONOMIES[namespace],
            )
        )
    if tag_label(text) is None:
        raise InputError(
            said(
                "tag %(tag)s is no machine tag of the MISP taxonomies (version %(version)s): check its "
                'namespace, predicate and value, e.g. circl:incident-classification="phishing"; '
                "a word without ':' is a free tag",
                tag=repr(text[:70]),
                version=taxonomies_version(),
            )
        )
    return text


def tag_label(tag: str) -> str | None:
    """The taxonomy's wording of a machine tag ("Incident Classification: Phishing" for
    ``circl:incident-classification="phishing"``; English, as the taxonomies publish it, first sentence
    only); None for a free word or a tag no taxonomy knows."""
    if ":" not in tag:
        return None
    try:
        found = _taxonomies().revert_machinetag(tag)
    except (KeyError, IndexError):
        return None
    predicate = found[1].expanded or found[1].predicate
    words = [predicate, *(entry.expanded or entry.value for entry in found[2:])]
    return ": ".join(str(word).split(". ")[0] for word in words)
