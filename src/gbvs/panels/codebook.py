"""The codebook of the derived tables: every variable's meaning, unit, source and coverage.

Declared once: keys and event panels in ``variables.yaml``, the country-year indicators in the
driver mapping (``gbvs.drivers``). Coverage comes from the store when one is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from gbvs.drivers.mapping import Indicator, Text, load_mapping
from gbvs.drivers.units import unit_name
from gbvs.numbers import decimal, percent
from gbvs.panels.country_year_wide import wide_columns
from gbvs.panels.provenance import origin_tables
from gbvs.store.coverage import Coverage, table_coverage
from gbvs.store.reader import Store
from gbvs.store.tables import TableName

PROVENANCE_FIELDS = ("title", "version", "vintage", "citation")


class Variable(BaseModel):
    """One declared column of a derived table."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    source: str
    unit: str
    label: Text
    description: Text
    driver: str | None = None
    direction: int | None = None


class TableDoc(BaseModel):
    """One derived table: its unit and time columns, meaning and variables."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    unit: str
    time: str
    label: Text
    description: Text
    variables: list[Variable]


@dataclass(frozen=True)
class Entry:
    """A codebook row: a declared variable and, with a store, its coverage and source version."""

    table: str
    variable: Variable
    coverage: Coverage | None = None
    provenance: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        data = {"table": self.table, **self.variable.model_dump(exclude_none=True)}
        if self.coverage is not None:
            data["coverage"] = self.coverage.as_dict()
        if self.provenance:
            data["provenance"] = self.provenance
        return data


@cache
def declared_tables() -> dict[str, TableDoc]:
    """Every derived table with its declared variables; the driver mapping's indicators are added to the
    panel that holds them (country-year, or the wide panel for the V-Dem v14 ones), in its column order."""
    text = resources.files("gbvs.panels").joinpath("variables.yaml").read_text(encoding="utf-8")
    tables = {name: TableDoc.model_validate(doc) for name, doc in yaml.safe_load(text)["tables"].items()}
    wide = set(wide_columns())
    for name in (TableName.panel_country_year, TableName.panel_country_year_wide):
        held = [
            item
            for item in load_mapping()
            if (item.column in wide) == (name == TableName.panel_country_year_wide)
        ]
        variables = [*tables[name].variables, *(_variable(item) for item in held)]
        if name == TableName.panel_country_year_wide:
            order = {column: index for index, column in enumerate(["gwcode", "year", *wide_columns()])}
            variables.sort(key=lambda v: order.get(v.name, len(order)))
        tables[name] = tables[name].model_copy(update={"variables": variables})
    return tables


def _variable(item: Indicator) -> Variable:
    return Variable(
        name=item.column,
        source=item.source_table,
        unit=item.unit,
        label=item.label,
        description=item.description,
        driver=item.driver,
        direction=item.direction,
    )


def build_codebook(store: Store | None = None) -> list[Entry]:
    """All codebook entries, with coverage and source provenance when ``store`` is given."""
    entries: list[Entry] = []
    provenance = _provenance(store) if store is not None else {}
    for name, doc in declared_tables().items():
        coverage = _table_coverage(store, name, doc) if store is not None else {}
        for variable in doc.variables:
            entries.append(
                Entry(name, variable, coverage.get(variable.name), _origin(provenance, variable.source))
            )
    return entries


def _origin(provenance: dict[str, dict[str, Any]], table: str) -> dict[str, Any]:
    """The provenance of the source(s) behind ``table`` (a table GBVS derives cites its inputs), with
    ``derived_by`` (the deriving table's GBVS version) when GBVS computed the table."""
    records = [provenance[name] for name in origin_tables(table) if name in provenance]
    if not records:
        return {}
    merged: dict[str, Any] = {
        key: "; ".join(dict.fromkeys(str(r[key]) for r in records if _present(r[key]))) or None
        for key in PROVENANCE_FIELDS
    }
    if origin_tables(table) != (table,):
        merged["derived_by"] = f"{provenance.get(table, {}).get('version', 'GBVS')} ({table})"
    return merged


def _table_coverage(store: Store, name: str, doc: TableDoc) -> dict[str, Coverage]:
    columns = tuple(v.name for v in doc.variables)
    return table_coverage(store, table=name, unit=doc.unit, time=doc.time, columns=columns)


def _provenance(store: Store) -> dict[str, dict[str, Any]]:
    if not store.has_table(TableName.provenance):
        return {}
    return {
        record.table_name: {key: getattr(record, key) for key in PROVENANCE_FIELDS}
        for record in store.provenance()
    }


Gettext = Callable[[str], str]


def render_markdown(entries: list[Entry], language: str = "en", gettext: Gettext = str) -> str:
    """The codebook as Markdown: one section per table, one row per variable; its words through
    ``gettext`` (the CLI's ``--lang``: the web's catalogues) and its numbers in ``language``."""
    _ = gettext
    lines = ["# " + _("GBVS codebook"), ""]
    tables = declared_tables()
    header = " | ".join(_(word) for word in ("Variable", "Meaning", "Unit", "Source", "Coverage"))
    for name, doc in tables.items():
        lines += [f"## `{name}`: {getattr(doc.label, language)}", "", getattr(doc.description, language), ""]
        lines += [f"| {header} |", "|---|---|---|---|---|"]
        for entry in (e for e in entries if e.table == name):
            lines.append(_markdown_row(entry, language, _))
        lines.append("")
    return "\n".join(lines + _sources_section(entries, _))


def _sources_section(entries: list[Entry], gettext: Gettext) -> list[str]:
    cited = {", ".join(origin_tables(e.variable.source)): e.provenance for e in entries if e.provenance}
    if not cited:
        return []
    lines = ["## " + gettext("Sources"), ""]
    for table, meta in sorted(cited.items()):
        parts = [str(meta[k]) for k in PROVENANCE_FIELDS if _present(meta.get(k))]
        lines.append(f"- `{table}`: " + "; ".join(parts))
    return [*lines, ""]


def _present(value: Any) -> bool:
    return value is not None and value == value and value != ""


def _markdown_row(entry: Entry, language: str, gettext: Gettext) -> str:
    v, _ = entry.variable, gettext
    meaning = f"**{getattr(v.label, language)}**. {getattr(v.description, language)}"
    if v.driver is not None:
        meaning += " " + _("Driver: `%(driver)s`, direction %(direction)s.") % {
            "driver": v.driver,
            "direction": f"{v.direction:+d}",
        }
    cells = [f"`{v.name}`", _cell(meaning), _cell(unit_name(v.unit, language)), _cell(_source_text(entry, _))]
    return "| " + " | ".join([*cells, _coverage_text(entry.coverage, language, _)]) + " |"


def _source_text(entry: Entry, gettext: Gettext) -> str:
    """The variable's source table, the version and vintage of its data, and what derived it."""
    source = f"`{entry.variable.source}`"
    version, vintage = (entry.provenance.get(k) for k in ("version", "vintage"))
    if _present(version) or _present(vintage):
        source += " (" + gettext("%(version)s; data to %(vintage)s") % {
            "version": str(version) if _present(version) else "?",
            "vintage": str(vintage) if _present(vintage) else "?",
        }
        source += ")"
    if _present(entry.provenance.get("derived_by")):
        source += ", " + gettext("derived by %(derived_by)s") % {"derived_by": entry.provenance["derived_by"]}
    return source


def _coverage_text(coverage: Coverage | None, language: str, gettext: Gettext) -> str:
    if coverage is None:
        return gettext("(store not built)")
    if coverage.first is None:
        return gettext("no values")
    return gettext("%(first)s-%(last)s, %(units)s units, %(missing)s missing") % {
        "first": coverage.first,
        "last": coverage.last,
        "units": decimal(coverage.n_units, language, 0),
        "missing": percent(coverage.share_missing, language, 1),
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
