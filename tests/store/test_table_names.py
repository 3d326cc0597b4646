"""Table names: the store's ``TableName`` is the one list consumers use; it matches what ingest writes.

Source plugins (the layer below the store) declare the raw tables they produce in their schemas, and
the panel registry the derived ones; this test keeps those and ``TableName`` from drifting apart.
"""

from __future__ import annotations

from gbvs.panels.registry import DERIVED_TABLES
from gbvs.sources.registry import SOURCES
from gbvs.store.tables import TableName


def test_every_table_ingest_writes_has_a_name_in_the_store_and_nothing_else() -> None:
    written = [name for source in SOURCES for name in source.table_names]
    derived = [table.name for table in DERIVED_TABLES]
    assert len(set(written)) == len(written), "two sources write a table of the same name"
    assert sorted({*written, *derived, TableName.provenance, TableName.layout}) == sorted(
        t.value for t in TableName
    )


def test_what_sources_read_from_the_store_are_tables_it_has() -> None:
    names = {t.value for t in TableName}
    for source in SOURCES:
        assert set(source.needs) <= names, source.id
    for table in DERIVED_TABLES:
        assert set(table.depends_on) <= names, table.name
