"""The files of ``gbvs report build``, ``codebook``, ``modelcard``, ``backtest`` and ``displacement
backtest`` read back as a reader opens them (pypdf, python-docx, json, the Markdown's lines): each holds a
figure this test computes from the small store it runs on, and names its provenance (source, version,
vintage; for forecasts the model version and training cutoff). ``tests/web/test_export_provenance_cli.py``
lists these tests as the ones that read those commands' files back.

Each command runs on a copy of the session's small store (and forecasts file) in this test's own data
folder, so what it writes changes nothing another test reads.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pypdf
import pytest

from gbvs.config import Settings, load_settings
from gbvs.store.forecasts import forecasts_path, open_forecasts
from reports.test_report_formats import docx_text

Run = Callable[..., Any]


@pytest.fixture
def own_data(web_data_dir: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder of this test's own with a copy of the small store and forecasts file."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    for name in ("store.duckdb", "forecasts.duckdb"):
        shutil.copy(web_data_dir / name, settings.data_dir / name)
    monkeypatch.setenv("GBVS_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("GBVS_STORE_PATH", raising=False)
    monkeypatch.delenv("GBVS_LANGUAGE", raising=False)
    return settings.data_dir


def _store(data_dir: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(data_dir / "store.duckdb"), read_only=True) as con:
        return con.execute(sql, list(args)).fetchall()


def _source(data_dir: Path, table: str) -> tuple[str, str, str]:
    """The title, version and vintage the store keeps for ``table``."""
    [row] = _store(data_dir, "select title, version, vintage from _gbvs_tables where table_name = ?", table)
    return row


# --- gbvs codebook ----------------------------------------------------------------------------------------


def test_the_codebook_file_reads_back_with_each_sources_version_and_vintage(
    own_data: Path, run_cli: Run
) -> None:
    """The Markdown's row of ``conflict`` gives the store's coverage of it (first and last year, number of
    countries) and its source with version and vintage; the JSON file the same as data."""
    markdown, data = own_data / "codeboek.md", own_data / "codebook.json"
    assert run_cli("codebook", "--output", str(markdown)).exit_code == 0
    assert run_cli("codebook", "--format", "json", "--output", str(data)).exit_code == 0
    [(first, last, units)] = _store(
        own_data,
        "select min(year), max(year), count(distinct gwcode) from panel_country_year "
        "where conflict is not null",
    )
    title, version, vintage = _source(own_data, "ucdp_acd")
    [row] = [
        line
        for line in markdown.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `conflict` |")
    ]
    assert f"`ucdp_acd` ({version}; gegevens tot en met {vintage})" in row, row
    assert f"| {first}-{last}, {units} eenheden, " in row, row
    [entry] = [e for e in json.loads(data.read_text(encoding="utf-8")) if e["name"] == "conflict"]
    assert (entry["coverage"]["first"], entry["coverage"]["last"]) == (first, last)
    assert entry["provenance"]["version"] == version and entry["provenance"]["vintage"] == vintage
    assert entry["provenance"]["title"] == title


# --- gbvs modelcard ---------------------------------------------------------------------------------------


def test_the_model_card_reads_back_with_the_backtests_figures_and_provenance(
    own_data: Path, run_cli: Run
) -> None:
    """The card's figures are the stored backtest's, and its data section names the backtest run, its
    model version, data vintage and training cutoffs (it gave the report's provenance as a Python dict,
    which in the small forecasts file named neither model version nor cutoff)."""
    made = run_cli("modelcard")
    assert made.exit_code == 0, made.stderr
    card = made.stdout
    with open_forecasts(forecasts_path(load_settings(data_dir=own_data))) as forecasts:
        [run] = forecasts.runs("backtest", "country-year")
        report = json.loads(forecasts.backtest_report(run.run_id))
    [score] = [
        r
        for r in report["scores"]
        if (r["model"], r["target"], r["horizon"], r["subset"]) == ("lgbm", "incidence", 1, "all")
    ]
    assert re.search(
        rf"^\| incidence \| 1 \| alle \| {score['ap_mean']:.3f} \| ".replace(".", ","), card, re.M
    )
    origins = sorted(
        int(r["subset"].removeprefix("origin:"))
        for r in report["scores"]
        if r["subset"].startswith("origin:")
    )
    data = card.split("## Gegevens", 1)[1].split("\n## ", 1)[0]
    assert f"- run: {run.run_id}\n" in data and f"- modelversie: {run.model_version}\n" in data, data
    assert f"- peildatum gegevens: {run.data_vintage}\n" in data, data
    assert re.search(rf"- trainingsgrens: .*vertrekpunten {origins[0]}-{origins[-1]}\n", data), data


# --- gbvs backtest ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_backtest_report_reads_back_with_its_scores_and_provenance(own_data: Path, run_cli: Run) -> None:
    """``report.md`` and ``report.json`` of a quick backtest on the small store: the rows scored per
    forecast year are the store's countries, the positives those in conflict that year; the provenance
    names each source with version and vintage, the model version, and each origin's data (the training
    cutoff of a rolling-origin backtest)."""
    out = own_data / "backtest"
    made = run_cli(
        "backtest", "--quick", "--seeds", "1", "--targets", "incidence", "--jobs", "1", "--out", str(out)
    )
    assert made.exit_code == 0, made.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    markdown = (out / "report.md").read_text(encoding="utf-8")
    by_year = {
        int(r["subset"].removeprefix("origin:")): r
        for r in report["scores"]
        if r["model"] == "lgbm" and r["target"] == "incidence" and r["subset"].startswith("origin:")
    }
    assert by_year
    for origin, row in by_year.items():
        [(countries, in_conflict)] = _store(
            own_data, "select count(*), sum(conflict) from panel_country_year where year = ?", origin + 1
        )
        assert (row["n"], row["positives"]) == (countries, in_conflict), origin
        assert re.search(
            rf"^\| origin:{origin} \| lgbm \| [^|]+ \| [^|]+ \| [^|]+ \| {countries} \| {in_conflict} \|$",
            markdown,
            re.M,
        )
    provenance = json.loads(re.search(r"^Provenance: `(.+)`$", markdown, re.M).group(1))  # type: ignore[union-attr]
    assert provenance == report["provenance"] and provenance["model_version"]
    _, version, vintage = _source(own_data, "ucdp_acd")
    assert f"ucdp_acd={version}@{vintage}" in provenance["data_vintage"]
    assert "(origin:YEAR: the forecasts made with data up to YEAR)" in markdown  # each origin's cutoff


# --- gbvs displacement backtest ---------------------------------------------------------------------------


@pytest.mark.slow
def test_the_displacement_backtest_report_reads_back_with_its_scores_and_provenance(
    own_data: Path, run_cli: Run
) -> None:
    """A quick displacement backtest (forecast years 2020-2023) on the small store: every model is scored
    on each country of ``panel_displacement`` in each forecast year; the report names the model version,
    each source's version and vintage and the training cutoffs (it named no cutoff)."""
    out = own_data / "displacement"
    made = run_cli("displacement", "backtest", "--quick", "--out", str(out))
    assert made.exit_code == 0, made.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    markdown = (out / "report.md").read_text(encoding="utf-8")
    facts = report["facts"]
    [(countries,)] = _store(own_data, "select count(distinct gwcode) from panel_displacement")
    years = facts["last"] - facts["first"] + 1
    assert {row["n"] for row in report["scores"]} == {countries * years}
    assert re.search(rf"^\| asylum_nl \| 1 \| [^|]+ \| {countries * years} \| ", markdown, re.M)
    _, version, vintage = _source(own_data, "unhcr_asylum_applications")
    last = markdown.strip().splitlines()[-3]
    assert f"Model version {facts['model_version']}; data " in last and facts["model_version"], last
    assert f"unhcr_asylum_applications={version}@{vintage}" in last, last
    first_origin, last_origin = facts["first"] - 2, facts["last"] - 1  # horizons 1 and 2
    assert (
        f"training cutoff: the origin of each forecast (rolling origin), {first_origin}-{last_origin}" in last
    )


# --- gbvs report build ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_report_build_writes_a_pdf_and_docx_with_the_figures_and_their_provenance(
    own_data: Path, run_cli: Run
) -> None:
    """The real build (WeasyPrint's PDF, python-docx's DOCX) on the small store, read back with pypdf and
    python-docx: goal 1's battle deaths in 2019 are the store's sum over the goal's focus countries, and
    the sources' version and vintage and the forecasts' model version and training cutoff are named."""
    from gbvs.numbers import decimal
    from gbvs.strategy import load_strategy

    assert run_cli("db", "upgrade").exit_code == 0
    out = own_data / "out"
    made = run_cli("report", "build", "--period", "2018-2019", "--formats", "pdf,docx", "--output", str(out))
    assert made.exit_code == 0, made.stderr
    strategy = load_strategy()
    focus = sorted(c.gwcode for c in strategy.countries if c.iso3 in strategy.goal_iso3(strategy.goal(1)))
    marks = ", ".join("?" * len(focus))
    sql = f"select sum(brd_best) from panel_country_year where year = 2019 and gwcode in ({marks})"
    [(deaths,)] = _store(own_data, sql, *focus)
    printed = pypdf.PdfReader(io.BytesIO((out / "gbvs-voortgang-2018-2019.nl.pdf").read_bytes()))
    pdf = " ".join(" ".join(page.extract_text() for page in printed.pages).split())
    docx = docx_text((out / "gbvs-voortgang-2018-2019.nl.docx").read_bytes())
    with open_forecasts(forecasts_path(load_settings(data_dir=own_data))) as forecasts:
        [run, *_] = forecasts.runs("forecast", "country-year")
    title, version, vintage = _source(own_data, "ucdp_brd")
    for text in (pdf, docx):
        assert f"{decimal(deaths, 'nl', 0)} doden (beste schatting) (2019)" in text, text[:2000]
        assert f"{title} (ucdp_brd); Versie {version}; Peildatum {vintage}" in text, text[-3000:]
        assert f"modelversie {run.model_version}; trainingsgrens {run.training_cutoff}" in text, text[-3000:]
