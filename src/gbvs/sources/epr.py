"""Ethnic Power Relations (EPR) core dataset: ethnic groups' access to state power, group-period rows."""

from __future__ import annotations

from gbvs.sources.base import Column, FileRef, Source, SourceInput, TableSchema, max_year
from gbvs.sources.readers import load_table

STATUSES = frozenset(
    {
        "MONOPOLY",
        "DOMINANT",
        "SENIOR PARTNER",
        "JUNIOR PARTNER",
        "POWERLESS",
        "DISCRIMINATED",
        "SELF-EXCLUSION",
        "IRRELEVANT",
        "STATE COLLAPSE",
    }
)

EPR = TableSchema(
    "epr",
    (
        Column("gwid", "int", nullable=False, min=2, max=999, codes="gw"),
        Column("statename", "str", nullable=False),
        Column("from", "int", nullable=False, min=1946, max=2100),
        Column("to", "int", nullable=False, min=1946, max=2100),
        Column("group", "str", nullable=False),
        Column("groupid", "int", nullable=False),
        Column("gwgroupid", "int", nullable=False),
        Column("umbrella", "int"),
        Column("size", "float", min=0, max=1),
        Column("status", "str", nullable=False, allowed=STATUSES),
        Column("reg_aut", "bool"),
    ),
    key=("gwgroupid", "from"),
    min_rows=1000,
    vintage=max_year("to"),
    year_column="from",
)

SOURCE = Source(
    id="epr",
    title="Ethnic Power Relations (EPR) Core",
    description=(
        "Politically relevant ethnic groups per state and period, with their access to executive power."
    ),
    producer="ETH Zurich, International Conflict Research (GROWup)",
    licence="ETH ICR: free for research use with citation (no licence file in the source)",
    citation=(
        "Vogt, Manuel, Nils-Christian Bormann, Seraina Rüegger, Lars-Erik Cederman, Philipp Hunziker & Luc "
        "Girardin "
        "(2015). Integrating Data on Ethnicity, Geography, and Conflict: The Ethnic Power Relations Data Set "
        "Family. Journal of Conflict Resolution 59(7): 1327-1342."
    ),
    homepage="https://icr.ethz.ch/data/epr/core/",
    inputs=(
        SourceInput(
            "groups",
            (
                FileRef(
                    "epr",
                    "EPR-2021.csv",
                    "EPR Core 2021",
                    sha256="98e2d56431f55355d5d69deaa28c9063a49e859722bbb6d777a541ee831bcfe0",
                    url="https://icr.ethz.ch/data/epr/core/EPR-2021.csv",
                ),
            ),
        ),
    ),
    tables=(EPR,),
    parse=lambda context: {"epr": load_table(context.file("groups"), EPR)},
)
