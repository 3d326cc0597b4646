"""``/api/v1/country-comparisons``: two to four countries side by side, as JSON, CSV or Excel.

The JSON is the comparison the page ``/vergelijken`` shows. CSV and Excel hold the same figures as one
long table (one row per country, section, item and year) with the provenance on every row; Excel adds
a provenance sheet. Text columns (labels, level and unit names) follow ``lang``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any

from fastapi import Query, Request, Response

from gbvs.drivers.units import unit_name
from gbvs.security import Permission
from gbvs.web.api.common import api_router, csv_response
from gbvs.web.api.forecasts import run_provenance
from gbvs.web.api.xlsx import XLSX_TYPE, xlsx_response
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.queries.comparison import (
    CountryComparison,
    SourceRef,
    compare,
    history_labels,
    parse_countries,
)
from gbvs.web.queries.countries import ConflictYear

router = api_router(Permission.forecast_read, "countries")
Gettext = Callable[[str], str]
COLUMNS = (
    "section",
    "iso3",
    "gwcode",
    "name",
    "item",
    "label",
    "horizon",
    "year",
    "value",
    "low",
    "high",
    "level",
    "level_name",
    "unit",
    "source",
    "source_version",
    "data_vintage",
    "derived_by",
    "model_version",
    "training_cutoff",
    "run_id",
    "created_at",
)
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON; CSV (format=csv) or Excel (format=xlsx): one row per country, item and year",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


class ComparisonFormat(StrEnum):
    """Output format of a comparison."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"  # Excel workbook: rows, then the provenance on a second sheet


@router.get(
    "/country-comparisons",
    response_model=CountryComparison,
    responses=RESPONSES,
    summary="Two to four countries side by side",
)
@cached
def read_country_comparison(
    request: Request,
    store: Store,
    forecasts: Forecasts,
    lang: Language,
    countries: str = Query(
        max_length=200,
        description=(
            "Two to four countries, comma-separated: ISO3 codes (any case) or Gleditsch-Ward codes, "
            "e.g. SYR,IRQ,MLI or 652,645"
        ),
        examples=["SYR,MLI"],
    ),
    format: ComparisonFormat = ComparisonFormat.json,
) -> CountryComparison | Response:
    """Latest forecasts, driver indicators (latest year per country) and conflict history, side by side."""
    t: Gettext = request.app.state.web.catalogs[lang].gettext
    comparison = compare(store, forecasts, lang, parse_countries([countries], store, lang), t)
    if format is ComparisonFormat.json:
        return comparison
    rows = list(export_rows(comparison, t, lang))
    name = "gbvs-comparison-" + "-".join(c.iso3 for c in comparison.countries)
    if format is ComparisonFormat.xlsx:
        return xlsx_response(request, rows, COLUMNS, f"{name}.xlsx", _provenance(comparison))
    return csv_response(request, rows, COLUMNS, f"{name}.csv", _provenance(comparison))


def export_rows(comparison: CountryComparison, t: Gettext, lang: str) -> Iterator[dict[str, Any]]:
    """The comparison as one long table: forecasts, then driver indicators, then conflict history."""
    yield from _forecast_rows(comparison, t, lang)
    yield from _driver_rows(comparison)
    yield from _history_rows(comparison, t, lang)


def _country(comparison: CountryComparison, index: int) -> dict[str, Any]:
    country = comparison.countries[index]
    return {"iso3": country.iso3, "gwcode": country.gwcode, "name": country.name}


def _forecast_rows(comparison: CountryComparison, t: Gettext, lang: str) -> Iterator[dict[str, Any]]:
    for row in comparison.forecasts:
        for index, cell in enumerate(row.values):
            if cell is None:
                continue
            yield {
                "section": "forecast",
                **_country(comparison, index),
                "item": row.target,
                "label": row.target_name,
                "horizon": row.horizon,
                "year": row.forecast_period,
                "value": cell.median if row.count else cell.p,
                "low": cell.low if row.count else cell.p_low,
                "high": cell.high if row.count else cell.p_high,
                "level": cell.level,
                "level_name": cell.level_name,
                "unit": unit_name("deaths", lang) if row.count else t("probability (0-1)"),
                "source": "GBVS forecast",
                "data_vintage": cell.data_vintage,
                "model_version": cell.model_version,
                "training_cutoff": cell.training_cutoff,
                "run_id": cell.run_id,
                "created_at": cell.created_at,
            }


def _driver_rows(comparison: CountryComparison) -> Iterator[dict[str, Any]]:
    for row in comparison.drivers:
        for index, cell in enumerate(row.values):
            if cell is None:
                continue
            yield {
                "section": "driver",
                **_country(comparison, index),
                "item": row.column,
                "label": row.label,
                "year": cell.year,
                "value": cell.value,
                "unit": row.unit_name,
                **_source(row.source),
                "derived_by": row.derived_by,
            }


def _history_rows(comparison: CountryComparison, t: Gettext, lang: str) -> Iterator[dict[str, Any]]:
    labels = history_labels(lang)
    sources = {ref.table_name: ref for ref in comparison.history_sources}
    for row in comparison.history:
        for index, cell in enumerate(row.values):
            if cell is None:
                continue
            for column, (label, unit, table) in labels.items():
                value = getattr(cell, column)
                if value is None:
                    continue
                yield {
                    "section": "history",
                    **_country(comparison, index),
                    "item": column,
                    "label": label,
                    "year": row.year,
                    "value": value,
                    **_deaths_range(cell, column),
                    "unit": unit_name(unit, lang),
                    **_source(sources.get(table)),
                }


def _deaths_range(cell: ConflictYear, column: str) -> dict[str, Any]:
    """The low and high estimates beside a ``*_best`` battle-death value (none for other series)."""
    if not column.endswith("_best"):
        return {}
    stem = column.removesuffix("_best")
    return {"low": getattr(cell, f"{stem}_low"), "high": getattr(cell, f"{stem}_high")}


def _source(ref: SourceRef | None) -> dict[str, Any]:
    if ref is None:
        return {}
    return {"source": ref.title, "source_version": ref.version, "data_vintage": ref.vintage}


def _provenance(comparison: CountryComparison) -> list[tuple[str, Any]]:
    """The Excel provenance sheet: the countries, every forecast run and every source table used."""
    rows: list[tuple[str, Any]] = [("countries", ", ".join(c.iso3 for c in comparison.countries))]
    for run in comparison.runs:
        rows += run_provenance(run)
    refs = {ref.table_name: ref for ref in comparison.history_sources}
    refs |= {row.source.table_name: row.source for row in comparison.drivers if row.source}
    for ref in refs.values():
        rows.append((f"source {ref.table_name}", f"{ref.title} {ref.version} (vintage {ref.vintage or '–'})"))
    if comparison.forecast_missing:
        rows.append(("forecasts", comparison.forecast_missing))
    return rows
