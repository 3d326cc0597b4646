"""The codebook of the derived tables: every variable's meaning, unit, source and coverage.

Declared once: keys and event panels in ``variables.yaml``, the country-year indicators in the
driver mapping (``gbvs.drivers``). Coverage comes from the store when one is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from gbvs.drivers.mapping import Indicator, Text, load_mapping
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


def render_markdown(entries: list[Entry], language: str = "en") -> str:
    """The codebook as Markdown: one section per table, one row per variable."""
    lines = ["# GBVS codebook" if language == "en" else "# GBVS-codeboek", ""]
    tables = declared_tables()
    for name, doc in tables.items():
        lines += [f"## `{name}`: {getattr(doc.label, language)}", "", getattr(doc.description, language), ""]
        lines += ["| variable | meaning | unit | source | coverage |", "|---|---|---|---|---|"]
        for entry in (e for e in entries if e.table == name):
            lines.append(_markdown_row(entry, language))
        lines.append("")
    return "\n".join(lines + _sources_section(entries, language))


def _sources_section(entries: list[Entry], language: str) -> list[str]:
    cited = {", ".join(origin_tables(e.variable.source)): e.provenance for e in entries if e.provenance}
    if not cited:
        return []
    lines = ["## Bronnen" if language == "nl" else "## Sources", ""]
    for table, meta in sorted(cited.items()):
        parts = [str(meta[k]) for k in PROVENANCE_FIELDS if _present(meta.get(k))]
        lines.append(f"- `{table}`: " + "; ".join(parts))
    return [*lines, ""]


def _present(value: Any) -> bool:
    return value is not None and value == value and value != ""


def _markdown_row(entry: Entry, language: str) -> str:
    v = entry.variable
    meaning = f"**{getattr(v.label, language)}**. {getattr(v.description, language)}"
    if v.driver is not None:
        meaning += f" Driver: `{v.driver}`, direction {v.direction:+d}."
    source = f"`{v.source}`"
    version, vintage = (entry.provenance.get(k) for k in ("version", "vintage"))
    if _present(version) or _present(vintage):
        version_text = str(version) if _present(version) else "?"
        vintage_text = str(vintage) if _present(vintage) else "?"
        source += f" ({version_text}; data to {vintage_text})"
    if _present(entry.provenance.get("derived_by")):
        source += f", derived by {entry.provenance['derived_by']}"
    cells = [f"`{v.name}`", _cell(meaning), _cell(v.unit), _cell(source), _coverage_text(entry.coverage)]
    return "| " + " | ".join(cells) + " |"


def _coverage_text(coverage: Coverage | None) -> str:
    if coverage is None:
        return "(store not built)"
    if coverage.first is None:
        return "no values"
    return f"{coverage.first}-{coverage.last}, {coverage.n_units} units, {coverage.share_missing:.1%} missing"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
