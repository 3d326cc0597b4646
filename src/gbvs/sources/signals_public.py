"""Public signal datasets: the CFR Cyber Operations Tracker and the EUvsDisinfo database.

These are source plugins like the others (provenance, pinned checksum, schema), but they feed the
signals register (operational database, ``gbvs signals import``), not the analytical store, so
they are listed in :data:`SIGNAL_SOURCES` and not in :data:`gbvs.sources.registry.SOURCES`.

Neither producer publishes a stable file download: the mirror holds third-party copies (see
``SOURCES-wave2.md`` in the mirror). GBVS therefore reads them from the mirror only.

Quirks: CFR's ``Date`` is CFR's own entry date, which can be later than the operation (WannaCry
shows 2017-06-14); 6 operations have no date. EUvsDisinfo joins several values with ``+``.
"""

from __future__ import annotations

import pandas as pd

from gbvs.sources.base import Column, FileRef, ParseContext, Source, SourceInput, TableSchema, max_date
from gbvs.sources.readers import load_table

CFR_OPERATIONS = TableSchema(
    "cfr_cyber_operations",
    (
        Column("title", "str", nullable=False),
        Column("date", "date"),
        Column("affiliations", "str"),
        Column("description", "str"),
        Column("response", "str"),
        Column("victims", "str"),
        Column("sponsor", "str"),
        Column("type", "str"),
        Column("category", "str"),
        Column("sources_1", "str"),
        Column("sources_2", "str"),
        Column("sources_3", "str"),
    ),
    min_rows=300,
    vintage=max_date("date"),
)

EUVSDISINFO_CASES = TableSchema(
    "euvsdisinfo_cases",
    (
        Column("date", "date", nullable=False),
        Column("id", "str", nullable=False),
        Column("title", "str", nullable=False),
        Column("countries", "str"),
        Column("keywords", "str"),
        Column("languages", "str"),
        Column("outlets", "str"),
    ),
    key=("id",),
    min_rows=10_000,
    vintage=max_date("date"),
)


def _parse_cfr(context: ParseContext) -> dict[str, pd.DataFrame]:
    frame = load_table(context.file("operations"), CFR_OPERATIONS, final_newline=False)
    return {"cfr_cyber_operations": frame}


def _parse_euvsdisinfo(context: ParseContext) -> dict[str, pd.DataFrame]:
    return {"euvsdisinfo_cases": load_table(context.file("cases"), EUVSDISINFO_CASES)}


CFR_SOURCE = Source(
    id="cfr_cyber",
    title="CFR Cyber Operations Tracker",
    description="State-sponsored cyber operations since 2005: sponsor state, victims, type, sector.",
    producer="Council on Foreign Relations, Digital and Cyberspace Policy program",
    licence="CFR content, no open licence stated; cite the CFR Cyber Operations Tracker",
    citation="Council on Foreign Relations, Cyber Operations Tracker (snapshot early 2020).",
    homepage="https://www.cfr.org/cyber-operations/",
    inputs=(
        SourceInput(
            "operations",
            (
                FileRef(
                    "signals",
                    "cfr_cyber_operations_tracker_2005-2019.csv",
                    "snapshot-2020",
                    sha256="c2cf07c896243320e1c735c32b6019df2c9d0d0bbc72fd876014546004a1dad9",
                    note="third-party copy (Weitingchao/Cyberattack-Tracker, Data/01_cyberdata.csv)",
                ),
            ),
        ),
    ),
    tables=(CFR_OPERATIONS,),
    parse=_parse_cfr,
    required=False,
    notes=(
        "Date is CFR's entry date, sometimes later than the operation; 6 rows have none.",
        "The copy has no final line break after its last row; the pinned checksum proves it complete.",
    ),
)

EUVSDISINFO_SOURCE = Source(
    id="euvsdisinfo",
    title="EUvsDisinfo disinformation cases",
    description="Pro-Kremlin disinformation cases collected by the EEAS East StratCom Task Force.",
    producer="EEAS East StratCom Task Force (EUvsDisinfo)",
    licence="EUvsDisinfo/EEAS content; reuse with acknowledgement of the source",
    citation="EUvsDisinfo database, EEAS East StratCom Task Force (scraped 2021-02-18).",
    homepage="https://euvsdisinfo.eu/disinformation-cases/",
    inputs=(
        SourceInput(
            "cases",
            (
                FileRef(
                    "signals",
                    "euvsdisinfo_cases_2015-2021.csv",
                    "2021-02-18",
                    sha256="f75b1f66012eeceed6b9d1e7d7c7381375892b40a9d335f2c925d7200eb8a175",
                    note="third-party scrape (cknabs/EUvsDisinfo, data/posts.csv)",
                ),
            ),
        ),
    ),
    tables=(EUVSDISINFO_CASES,),
    parse=_parse_euvsdisinfo,
    required=False,
    notes=("Several countries, keywords or outlets are joined with '+'.",),
)

SIGNAL_SOURCES: tuple[Source, ...] = (CFR_SOURCE, EUVSDISINFO_SOURCE)
