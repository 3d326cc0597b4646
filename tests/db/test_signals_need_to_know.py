"""Need-to-know in the SQL agrees with the pure rule over every marking, distribution and reader;
a signal outside a reader's need-to-know is "not found" and is never counted."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

import signal_matrix as matrix
from gbvs.db.services import cases
from gbvs.db.services import signals as service
from gbvs.db.signal_queries import SignalFilter
from gbvs.db.signal_search import audience_hits
from gbvs.errors import InputError, NotFoundError, PermissionDeniedError
from gbvs.security import Principal
from gbvs.signals.access import Audience, may_read
from gbvs.signals.markings import Distribution, Tlp

MARKINGS = matrix.MARKINGS
_draft = matrix.draft


@pytest.fixture
def world(session: Session, admin: Principal) -> dict[str, Principal]:
    principals: dict[str, Principal] = matrix.build_world(session, admin)
    return principals


def test_sql_filter_agrees_with_the_rule_for_every_reader(
    session: Session, world: dict[str, Principal]
) -> None:
    audiences = matrix.seed_signals(session, world)
    for principal in world.values():
        page = service.list_signals(session, principal, SignalFilter(), page_size=500)
        seen = {item.id for item in page.items}
        expected = matrix.expected(principal, audiences)
        assert seen == expected, principal.username
        assert page.total == len(expected)
        counts = dict(service.signal_statistics(session, principal, SignalFilter(), "threat"))
        assert counts.get("3", 0) == len(expected), f"{principal.username}: counts include hidden signals"
        for hidden in set(audiences) - expected:
            with pytest.raises(NotFoundError, match="does not exist or is not shared with you"):
                service.get_signal(session, principal, hidden)
    admin_sees = service.list_signals(session, world["root"], SignalFilter(), page_size=500)
    assert {item.tlp for item in admin_sees.items} == {"TLP:CLEAR"}, "roles do not widen need-to-know"


def test_search_and_export_respect_need_to_know(session: Session, world: dict[str, Principal]) -> None:
    bz, aivd = world["bz.analyst"], world["aivd.analyst"]
    service.create_signal(session, aivd, _draft(aivd, MARKINGS[5], 1))  # AMBER+STRICT, AIVD only
    service.create_signal(session, bz, _draft(bz, MARKINGS[1], 2))  # GREEN, all organisations
    session.commit()
    assert service.list_signals(session, bz, SignalFilter(text="signal")).total == 1
    assert service.list_signals(session, aivd, SignalFilter(text="signal")).total == 2
    bundle = service.export_stix(session, bz, SignalFilter())
    reports = [obj for obj in bundle["objects"] if obj["type"] == "report"]
    assert len(reports) == 1 and "TLP:GREEN" in reports[0]["name"]


def test_writing_needs_the_permission_and_the_own_organisation(
    session: Session, world: dict[str, Principal]
) -> None:
    viewer = world["def.viewer"]
    with pytest.raises(PermissionDeniedError, match="signals:write"):
        service.create_signal(session, viewer, _draft(viewer, MARKINGS[1], 1))
    bz = world["bz.analyst"]
    other = _draft(world["aivd.analyst"], MARKINGS[1], 2)
    with pytest.raises(Exception, match="owned by the author's organisation"):
        service.create_signal(session, bz, other)


def test_text_search_treats_operators_as_words(session: Session, world: dict[str, Principal]) -> None:
    bz = world["bz.analyst"]
    service.create_signal(session, bz, _draft(bz, MARKINGS[1], 1))
    session.commit()
    for words in ('signal OR "x', "NEAR(", "*", "signal AND NOT", "\x00"):
        assert service.list_signals(session, bz, SignalFilter(text=words)).total == 0, words
        assert service.signal_statistics(session, bz, SignalFilter(text=words), "goal") == []
    assert service.list_signals(session, bz, SignalFilter(text="SIGNAL green")).total == 1
    assert (
        service.list_signals(session, bz, SignalFilter(text="signal\x00green")).total == 1
    )  # NUL broke FTS5


def test_a_statistic_filtered_on_what_it_counts_by(session: Session, world: dict[str, Principal]) -> None:
    bz = world["bz.analyst"]
    service.create_signal(session, bz, _draft(bz, MARKINGS[1], 1))
    session.commit()
    by_country = service.signal_statistics(session, bz, SignalFilter(country="NLD"), "country")
    assert by_country == [("NLD", 1)]  # was "no FROM clauses due to auto-correlation"
    assert service.signal_statistics(session, bz, SignalFilter(threat=3), "threat") == [("3", 1)]


def test_one_shares_only_with_a_group_ones_organisation_is_in(
    session: Session, world: dict[str, Principal]
) -> None:
    """As in MISP: sharing with a group one is not in would widen an audience one cannot see, and the
    refusal names only one's own groups (not who else works together), alike for an unknown name."""
    bz, aivd = world["bz.analyst"], world["aivd.analyst"]
    assert service.sharing_group_names(session, bz) == ["coordination", "liaison"]
    assert service.sharing_group_names(session, aivd) == ["cyber", "liaison"]
    assert service.sharing_group_names(session, world["nobody"]) == []
    cyber = (Tlp.amber, Distribution.sharing_group, "cyber", ())
    for name in ("cyber", "no-such-group"):
        marking = (cyber[0], cyber[1], name, ())
        with pytest.raises(NotFoundError) as refused:
            service.create_signal(session, bz, _draft(bz, marking, 1))
        assert "or your organisation is not in it (yours: coordination, liaison)" in str(refused.value)
        with pytest.raises(NotFoundError, match="yours: coordination, liaison"):
            cases.create_case(
                session, bz, title="t", signal_ids=[], tlp=cyber[0], distribution=cyber[1], sharing_group=name
            )
    assert service.create_signal(session, aivd, _draft(aivd, cyber, 2)) > 0, "a member may (so it can fail)"
    for name in ("coordination", "cyber"):  # the same answer for one's own group and another's
        with pytest.raises(InputError, match="exactly when the distribution is 'sharing_group'"):
            cases.create_case(
                session, bz, title="t", signal_ids=[], tlp=Tlp.green,
                distribution=Distribution.all_organisations, sharing_group=name,
            )  # fmt: skip
    with pytest.raises(InputError, match="without control characters"):
        service.create_sharing_group(session, world["root"], "nep\ngroep", ["BZ"])


def test_a_search_with_many_visible_matches_pages_as_a_list_does(
    session: Session, world: dict[str, Principal]
) -> None:
    """Over COUNT_CAP visible matches the search walks the date index (SQLite): the page is the one a
    list without the words gives (every signal matches). A reader who sees none of them finds none, by
    fetching their (no) hits: the plan follows what the reader may see, not how many hits there are."""
    bz, aivd = world["bz.analyst"], world["aivd.analyst"]
    org = bz.organisation_id
    assert org is not None
    many = [_draft(bz, MARKINGS[4], n) for n in range(service.COUNT_CAP + 1_020)]  # AMBER, BZ only
    service.store_drafts(session, many, owner_id=org, author_id=bz.user_id)
    session.commit()
    wanted = SignalFilter(text="signal")
    with _page_plans(session) as plans:
        broad = service.list_signals(session, bz, wanted, page=3, page_size=50)
        assert service.list_signals(session, aivd, wanted).total == 0
    if session.get_bind().dialect.name == "sqlite":
        assert plans == [True, False], "bz: the date-index walk; aivd: fetch its (no) hits"
    assert not broad.total_is_exact and broad.total == service.COUNT_CAP
    unsearched = service.list_signals(session, bz, SignalFilter(), page=3, page_size=50)  # no text
    assert [item.id for item in broad.items] == [item.id for item in unsearched.items]
    assert len(broad.items) == 50


@contextmanager
def _page_plans(session: Session) -> Iterator[list[bool]]:
    """For each full-text page query run meanwhile: whether it walks the date index (``id + 0``)."""
    plans: list[bool] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "LIMIT" in statement and "ORDER BY" in statement and "signal_search" in statement:
            plans.append("signal.id + " in statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield plans
    finally:
        event.remove(engine, "before_cursor_execute", seen)


SEARCH_WORDS = matrix.SEARCH_WORDS
_worded = matrix.worded


def test_search_agrees_with_the_rule_over_generated_signals_and_re_markings(
    session: Session, world: dict[str, Principal]
) -> None:
    """Generated signals (random author, marking and words), a third of them re-marked afterwards: every
    reader's search for every word finds exactly the signals the pure rule lets them read that hold it."""
    rng = random.Random(22)
    audiences: dict[int, Audience] = {}
    words: dict[int, set[str]] = {}
    for n in range(36):
        author = world[rng.choice(matrix.AUTHORS)]
        marking = rng.choice(MARKINGS)
        chosen = tuple(rng.sample(SEARCH_WORDS, rng.randrange(len(SEARCH_WORDS) + 1)))
        made = _worded(_draft(author, marking, n), chosen)
        if matrix.usable(author, marking):
            signal_id = service.create_signal(session, author, made)
        else:
            signal_id = matrix.stored_as_before(session, author, made)
        audiences[signal_id], words[signal_id] = matrix.audience(author, marking), set(chosen)
    session.commit()
    for signal_id in rng.sample(sorted(audiences), 12):
        author = world[audiences[signal_id].author]
        tlp, distribution, group, recipients = marking = rng.choice(
            [marking for marking in MARKINGS if matrix.usable(author, marking)]
        )
        change = service.MarkingChange(tlp, distribution, group, recipients, reason="herzien")
        service.change_marking(session, author, signal_id, change)
        audiences[signal_id] = matrix.audience(author, marking)
    session.commit()
    for principal in world.values():
        reader = matrix.reader_of(principal)
        for word in SEARCH_WORDS:
            page = service.list_signals(session, principal, SignalFilter(text=word), page_size=500)
            expected = {
                key for key, seen_by in audiences.items() if word in words[key] and may_read(reader, seen_by)
            }
            assert {item.id for item in page.items} == expected, (principal.username, word)
            assert page.total == len(expected)


def test_the_index_gives_a_search_only_the_signals_the_reader_may_see(
    session: Session, world: dict[str, Principal]
) -> None:
    """Before the need-to-know filter, the full-text index itself answers a reader with only the signals
    they may see (FTS5 on SQLite, the audience-prefixed words on PostgreSQL): a search never reads hidden
    signals, so its time cannot count them."""
    dialect = session.get_bind().dialect.name
    audiences = matrix.seed_signals(session, world)
    for principal in world.values():
        hits = set(session.scalars(select(audience_hits("signal", principal, dialect).subquery().c.id)))
        assert hits == matrix.expected(principal, audiences), principal.username
        assert not set(session.scalars(select(audience_hits("nergens", principal, dialect).subquery().c.id)))
