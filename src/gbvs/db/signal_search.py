"""Full-text search of the signals by audience, so a search reads only what the reader may see.

On SQLite the FTS5 index ``signal_search`` (migration 0022) holds each signal once per audience it is
shared with (:func:`gbvs.signals.access.audience_keys`): row id ``key * ROW_SPAN + signal id``, so each
audience is one range of row ids, and a search asks FTS5 for the words in the reader's audiences' ranges
only (:func:`gbvs.signals.access.reader_keys`). On PostgreSQL (migration 0023) the table
``signal_search_terms`` holds each signal's words once per audience, each prefixed by the audience's
key (``"<key>:<word>"``), under a GIN index; a search asks, per audience of the reader, for the signals
holding every word under that audience's prefix. Either way its time follows the matches the reader
may see, not the matches hidden from them (docs/security.md, residual channels). The need-to-know
filter (:func:`gbvs.db.signal_queries.visible_to`) still applies to every hit.

No session, no I/O: SQL only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import TextClause, bindparam, column, text
from sqlalchemy.sql.selectable import TextualSelect

from gbvs.security.principal import Principal
from gbvs.signals.access import AUDIENCE_KINDS, AudienceKey, Reader, reader_keys

KIND_SHIFT = 28
"""An audience key is ``kind code << KIND_SHIFT | id`` (organisation, group and user ids below 2**28)."""
ROW_SPAN = 1 << 32
"""Row ids of one audience: ``key * ROW_SPAN`` up to the next key (signal ids below 2**32)."""
KIND_CODES = {kind: code for code, kind in enumerate(AUDIENCE_KINDS, start=1)}
"""public 1, all_organisations 2, organisation 3, sharing_group 4, user 5 (migration 0022 writes these)."""


def search_key(kind: str, ident: int = 0) -> int:
    """The number of the audience ``(kind, ident)`` in the index (ident: organisation, group or user id)."""
    if not 0 <= ident < 1 << KIND_SHIFT:
        raise ValueError(f"{kind} id {ident} is outside the search index's ids (0-{(1 << KIND_SHIFT) - 1})")
    return KIND_CODES[kind] << KIND_SHIFT | ident


def _encoded(key: AudienceKey) -> int:
    kind, ident = key
    return search_key(kind, int(ident) if ident else 0)


def reader_search_keys(principal: Principal) -> list[int]:
    """The audiences ``principal`` belongs to, but their sharing groups (read in the query), as numbers."""
    reader = Reader(
        username=str(principal.user_id) if principal.user_id is not None else "",
        organisation=str(principal.organisation_id) if principal.organisation_id is not None else None,
    )
    return sorted(_encoded(key) for key in reader_keys(reader))


def printable(words: str) -> str:
    """``words`` with control characters (NUL and the like) as spaces: FTS5 and PostgreSQL refuse them."""
    return "".join(char if char >= " " and char != "\x7f" else " " for char in words)


def fts5_query(words: str) -> str:
    """User words as an FTS5 query: each word quoted (so operators in the input are plain text)."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in printable(words).split())


def audience_hits(words: str, principal: Principal, dialect: str) -> TextualSelect:
    """The ids of the signals shared with an audience of ``principal`` whose title or description match
    ``words``, reading per audience only that audience's part of the index: on SQLite its range of
    row ids in FTS5, on PostgreSQL its prefixed words in ``signal_search_terms`` (migration 0023)."""
    keys = " UNION ALL ".join(f"SELECT {key}" for key in reader_search_keys(principal))
    binds: list[Any] = []
    if principal.organisation_id is not None:
        group_base = search_key("sharing_group")
        keys += (
            f" UNION ALL SELECT {group_base} + sharing_group_id FROM sharing_group_member"
            " WHERE organisation_id = :search_organisation"
        )
        binds.append(bindparam("search_organisation", principal.organisation_id))
    if dialect == "sqlite":
        binds.append(bindparam("search_words", fts5_query(words)))
        query = _fts5_hits(keys)
    else:
        binds.append(bindparam("search_words", printable(words)))
        query = _terms_hits(keys)
    return query.bindparams(*binds).columns(column("id"))


def _fts5_hits(keys: str) -> TextClause:
    return text(
        f"WITH reader_key(key) AS ({keys}) "
        f"SELECT signal_search.rowid % {ROW_SPAN} AS id FROM reader_key CROSS JOIN signal_search "
        "WHERE signal_search MATCH :search_words "
        f"AND signal_search.rowid BETWEEN reader_key.key * {ROW_SPAN} "
        f"AND reader_key.key * {ROW_SPAN} + {ROW_SPAN - 1}"
    )


def _terms_hits(keys: str) -> TextClause:
    """PostgreSQL: the words as ``plainto_tsquery('simple', ...)`` reads them (every one must occur),
    prefixed by each reader audience's key; GIN finds the signals holding them all under one key.
    Words without a lexeme (only punctuation) match nothing, as ``plainto_tsquery`` does."""
    return text(
        f"WITH reader_key(key) AS ({keys}), "
        "wanted(lexemes) AS (SELECT tsvector_to_array(to_tsvector('simple', CAST(:search_words AS TEXT)))), "
        "reader_terms(terms) AS (SELECT ARRAY(SELECT reader_key.key || ':' || lexeme "
        "FROM unnest(wanted.lexemes) AS lexeme) FROM reader_key CROSS JOIN wanted "
        "WHERE cardinality(wanted.lexemes) > 0) "
        "SELECT signal_search_terms.signal_id AS id FROM reader_terms JOIN signal_search_terms "
        "ON signal_search_terms.terms @> reader_terms.terms"
    )
