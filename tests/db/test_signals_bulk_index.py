"""A large import indexes its signals for search in one statement (migration 0024, gbvs.db.signal_bulk):
the index it writes is the one the per-signal triggers write, searches after it return exactly what
need-to-know allows, and a failed import leaves neither signals nor index rows."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

import signal_matrix as matrix
from gbvs.db.services import signals as service
from gbvs.db.signal_bulk import search_index_deferred
from gbvs.db.signal_models import Signal
from gbvs.db.signal_queries import SignalFilter
from gbvs.db.signal_search import ROW_SPAN
from gbvs.errors import InputError
from gbvs.security import Principal
from gbvs.signals.access import Audience, may_read
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind
from gbvs.signals.public_data import PUBLIC_OWNER


@pytest.fixture
def world(session: Session, admin: Principal) -> dict[str, Principal]:
    principals: dict[str, Principal] = matrix.build_world(session, admin)
    return principals


def _index_rows(session: Session, ids: list[int]) -> set[tuple[object, ...]]:
    """The index rows of signals ``ids``, each signal named by its place in ``ids`` (so two imports of
    the same signals under other ids compare): SQLite its rows per audience, PostgreSQL its terms."""
    place = {signal_id: n for n, signal_id in enumerate(ids)}
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO signal_search(signal_search) VALUES ('integrity-check')"))
        rows = session.execute(text("SELECT id, signal_id, title, description FROM signal_search_row"))
        return {
            (place[signal_id], row_id // ROW_SPAN, row_id % ROW_SPAN == signal_id, title, description)
            for row_id, signal_id, title, description in rows
            if signal_id in place
        }
    rows = session.execute(text("SELECT signal_id, terms FROM signal_search_terms"))
    return {(place[signal_id], frozenset(terms)) for signal_id, terms in rows if signal_id in place}


def _generated(session: Session, world: dict[str, Principal]) -> Iterator[tuple[int, Audience, set[str]]]:
    """Signals of random author, marking (TLP:RED recipients too) and words, stored as they come."""
    rng = random.Random(24)
    for n in range(36):
        author = world[rng.choice(matrix.AUTHORS)]
        marking = rng.choice(matrix.MARKINGS)
        chosen = tuple(rng.sample(matrix.SEARCH_WORDS, rng.randrange(len(matrix.SEARCH_WORDS) + 1)))
        made = matrix.worded(matrix.draft(author, marking, n), chosen)
        if matrix.usable(author, marking):
            signal_id = service.create_signal(session, author, made)
        else:
            signal_id = matrix.stored_as_before(session, author, made)
        yield signal_id, matrix.audience(author, marking), set(chosen)


def test_a_bulk_import_writes_the_index_the_triggers_write(
    session: Session, world: dict[str, Principal]
) -> None:
    with search_index_deferred(session) as ids:
        made = list(_generated(session, world))
        ids += [signal_id for signal_id, *_ in made]
        early = {row[0] for row in _index_rows(session, ids)}
    named = {n for n, (_, audience, _) in enumerate(made) if audience.red_recipients}
    assert early <= named, "only a TLP:RED signal's recipients' trigger indexes it before the bulk path"
    bulk = _index_rows(session, ids)
    session.rollback()
    per_row = [signal_id for signal_id, *_ in _generated(session, world)]
    assert {row[0] for row in bulk} == set(range(len(ids))), "every signal is indexed"
    assert bulk == _index_rows(session, per_row)


def test_searches_after_a_bulk_import_follow_need_to_know(
    session: Session, world: dict[str, Principal]
) -> None:
    audiences: dict[int, Audience] = {}
    words: dict[int, set[str]] = {}
    with search_index_deferred(session) as ids:
        for signal_id, audience, chosen in _generated(session, world):
            ids.append(signal_id)
            audiences[signal_id], words[signal_id] = audience, chosen
    session.commit()
    for principal in world.values():
        reader = matrix.reader_of(principal)
        for word in matrix.SEARCH_WORDS:
            page = service.list_signals(session, principal, SignalFilter(text=word), page_size=500)
            holding = {key for key, held in words.items() if word in held}
            expected = {key for key in holding if may_read(reader, audiences[key])}
            assert {item.id for item in page.items} == expected, (principal.username, word)


def _public(n: int) -> SignalDraft:
    return SignalDraft(
        title=f"kade {n}",
        kind=SignalKind.cyber_operation,
        observed_on=None,
        reported_on=date(2024, 1, 1),
        owner_organisation=PUBLIC_OWNER,
        tlp=Tlp.clear,
        distribution=Distribution.public,
        source="test",
        external_id=str(n),
    )


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Imports store chunks of 3 signals and take the bulk path from 4 signals."""
    monkeypatch.setattr(service, "IMPORT_CHUNK", 3)
    monkeypatch.setattr(service, "BULK_THRESHOLD", 3)


def _fills(session: Session) -> tuple[list[str], Callable[[], None]]:
    """The statements that fill the index in one go, as they run; and how to stop recording them."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "signal_search_fill" in statement or "FROM signal_search_audience" in statement:
            seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    return seen, lambda: event.remove(engine, "before_cursor_execute", record)


def test_a_public_import_over_the_threshold_takes_the_bulk_path(
    session: Session, world: dict[str, Principal], small_chunks: object
) -> None:
    fills, stop = _fills(session)
    try:
        few = service.import_public(session, world["root"], "test", [_public(n) for n in range(3)])
        assert fills == [], "three signals are indexed by their triggers"
        many = service.import_public(session, world["root"], "test", [_public(n) for n in range(10)])
        assert len(fills) == 1, "seven new signals are indexed in one statement"
    finally:
        stop()
    session.commit()
    assert (few.added, many.added, many.already_present) == (3, 7, 3)
    for principal in world.values():
        found = service.list_signals(session, principal, SignalFilter(text="kade"), page_size=50)
        assert found.total == 10, principal.username
    assert session.scalar(text("SELECT count(*) FROM signal_search_deferral")) == 0
    service.create_signal(session, world["bz.analyst"], matrix.worded(matrix.draft(world["bz.analyst"],
                          matrix.MARKINGS[0], 99), ("kade",)))  # fmt: skip
    assert service.list_signals(session, world["nobody"], SignalFilter(text="kade")).total == 11


def test_a_failed_bulk_import_leaves_neither_signals_nor_index_rows(
    session: Session, world: dict[str, Principal], small_chunks: object
) -> None:
    def broken() -> Iterator[SignalDraft]:
        for n in range(8):
            yield _public(n)
        raise InputError("row 9 of the source is unreadable")

    stored_before = session.scalar(select(func.count()).select_from(Signal))
    session.commit()
    with pytest.raises(InputError, match="row 9"):
        service.import_public(session, world["root"], "test", broken())
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Signal)) == stored_before
    table = "signal_search_row" if session.get_bind().dialect.name == "sqlite" else "signal_search_terms"
    assert session.scalar(text(f"SELECT count(*) FROM {table}")) == 0
    assert session.scalar(text("SELECT count(*) FROM signal_search_deferral")) == 0
    assert service.list_signals(session, world["nobody"], SignalFilter(text="kade")).total == 0
    service.create_signal(session, world["bz.analyst"], matrix.worded(matrix.draft(world["bz.analyst"],
                          matrix.MARKINGS[0], 99), ("kade",)))  # fmt: skip
    assert service.list_signals(session, world["nobody"], SignalFilter(text="kade")).total == 1
