"""Consultation codebooks: hierarchical themes with Dutch and English labels, linked to the strategy.

A codebook is a YAML file (see ``data/codebook_gbvs_2018_draft.yaml``): ``themes`` nest through
``children``; each theme may link to the strategy's trends (by id), threats and goals (by number).
The shipped one is a draft drafted from annex 1 of the GBVS and says so (``status: draft``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from gbvs.errors import InputError, said
from gbvs.opinion.yaml_text import load_yaml

DRAFT_CODEBOOK = "codebook_gbvs_2018_draft.yaml"


@dataclass(frozen=True)
class Theme:
    """One theme: code (``Q1.2``), labels, parent code and links to the strategy."""

    code: str
    label_nl: str
    label_en: str
    parent: str | None = None
    trends: tuple[str, ...] = ()
    threats: tuple[int, ...] = ()
    goals: tuple[int, ...] = ()

    def label(self, language: str) -> str:
        """The label in ``language`` (``nl`` or ``en``)."""
        return self.label_en if language == "en" else self.label_nl


@dataclass(frozen=True)
class Codebook:
    """A named, ordered set of themes (parents before children)."""

    id: str
    status: str
    source: str
    themes: tuple[Theme, ...] = field(default_factory=tuple)

    @property
    def is_draft(self) -> bool:
        """True while the codebook has not been validated on responses."""
        return self.status == "draft"


def _themes(entries: Any, parent: str | None, where: str) -> Iterator[Theme]:
    if not isinstance(entries, list):
        raise InputError(
            said("codebook %(where)s: 'themes'/'children' must be a list of themes", where=where)
        )
    for entry in entries:
        if not isinstance(entry, Mapping) or not str(entry.get("code", "")).strip():
            raise InputError(
                said(
                    "codebook %(where)s: every theme needs a 'code'; found %(entry)s",
                    where=where,
                    entry=repr(entry),
                )
            )
        label, links = entry.get("label") or {}, entry.get("links") or {}
        if not label.get("nl") or not label.get("en"):
            raise InputError(
                said(
                    "codebook %(where)s: theme %(code)s needs a label with 'nl' and 'en'",
                    where=where,
                    code=repr(entry["code"]),
                )
            )
        code = str(entry["code"]).strip()
        yield Theme(
            code=code,
            label_nl=str(label["nl"]),
            label_en=str(label["en"]),
            parent=parent,
            trends=tuple(str(t) for t in links.get("trends", ())),
            threats=tuple(int(t) for t in links.get("threats", ())),
            goals=tuple(int(g) for g in links.get("goals", ())),
        )
        yield from _themes(entry.get("children", []), code, where)


def parse_codebook(document: Mapping[str, Any], where: str = "<text>") -> Codebook:
    """A codebook from its parsed YAML; codes must be unique."""
    themes = tuple(_themes(document.get("themes"), None, where))
    codes = [theme.code for theme in themes]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise InputError(
            said(
                "codebook %(where)s: theme codes %(codes)s are used twice; give each theme its own code",
                where=where,
                codes=duplicates,
            )
        )
    if not themes:
        raise InputError(said("codebook %(where)s: no themes", where=where))
    return Codebook(
        id=str(document.get("id") or "codebook"),
        status=str(document.get("status") or "draft"),
        source=str(document.get("source") or ""),
        themes=themes,
    )


def load_codebook_text(text: str, where: str = "<text>") -> Codebook:
    """A codebook from YAML text (a file the user gave)."""
    try:
        document = load_yaml(text)
    except yaml.YAMLError as exc:
        raise InputError(
            said("codebook %(where)s is not valid YAML: %(problem)s", where=where, problem=exc)
        ) from None
    if not isinstance(document, Mapping):
        raise InputError(
            said("codebook %(where)s must be a mapping with 'id', 'status' and 'themes'", where=where)
        )
    return parse_codebook(document, where)


def draft_codebook() -> Codebook:
    """The shipped draft codebook drafted from annex 1 of the GBVS 2018-2022."""
    text = resources.files("gbvs.opinion.data").joinpath(DRAFT_CODEBOOK).read_text(encoding="utf-8")
    return load_codebook_text(text, DRAFT_CODEBOOK)
