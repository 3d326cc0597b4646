"""Migrations run on SQLite and PostgreSQL, go down to base and up again, and `db check` tells the truth."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from gbvs.db import migrate
from gbvs.db.report_models import DraftStatus, PeriodStatus, ReportComment, ReportDraft, ReportingPeriod
from gbvs.db.signal_models import Signal
from gbvs.errors import InputError
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalKind

CAMPAIGN = "campaign--00000000-0000-4000-8000-000000000001"
TABLES = {"organisation", "app_user", "api_token", "audit_log", "alembic_version"}


def test_upgrade_creates_every_table(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine)
    assert set(inspect(bare_engine).get_table_names()) >= TABLES
    assert migrate.current_revision(bare_engine) == migrate.head_revision()


def test_downgrade_to_base_then_up_again(engine: Engine) -> None:
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.schema_status(engine).is_current


def test_status_before_and_after_upgrade(bare_engine: Engine) -> None:
    before = migrate.schema_status(bare_engine)
    assert not before.is_current
    assert before.current is None and before.pending[-1] == migrate.head_revision()
    assert before.pending[0] == "0001"
    assert "gbvs db upgrade" in (before.problem() or "")
    migrate.upgrade(bare_engine)
    after = migrate.schema_status(bare_engine)
    assert after.is_current and after.problem() is None and after.differences == ()


def test_models_and_migrations_agree(engine: Engine) -> None:
    """The autogenerate comparison finds nothing: no model change lacks a migration."""
    assert migrate.schema_status(engine).differences == ()


def test_status_reports_a_table_missing_from_the_database(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_audit_log_actor"))
    status = migrate.schema_status(engine)
    assert not status.is_current
    assert any("ix_audit_log_actor" in difference for difference in status.differences)
    assert "migration is missing" in (status.problem() or "")


def test_unknown_revision_is_named(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    status = migrate.schema_status(engine)
    assert status.unknown_revision and "'ffff'" in (status.problem() or "")


def test_upgrade_sql_for_a_dba_contains_the_trigger() -> None:
    sql = migrate.upgrade_sql("postgresql+psycopg://gbvs@localhost/gbvs")
    assert "CREATE TABLE audit_log" in sql
    assert "CREATE TRIGGER audit_log_refuse_update_delete" in sql


def test_status_notices_a_dropped_audit_trigger(engine: Engine) -> None:
    trigger = migrate.AUDIT_TRIGGERS[engine.dialect.name][0]
    drop = f"DROP TRIGGER {trigger}" + (" ON audit_log" if engine.dialect.name == "postgresql" else "")
    with engine.begin() as connection:
        connection.execute(text(drop))
    status = migrate.schema_status(engine)
    assert status.differences == (f"missing trigger {trigger}",)
    assert "migration is missing" in (status.problem() or "")


def _red_comment(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        period = ReportingPeriod(
            label="2018-2019",
            starts_on=date(2018, 1, 1),
            ends_on=date(2019, 12, 31),
            status=PeriodStatus.open,
        )
        session.add(period)
        session.flush()
        draft = ReportDraft(period_id=period.id, status=DraftStatus.draft, created_by="ann")
        session.add(draft)
        session.flush()
        session.add(
            ReportComment(draft_id=draft.id, organisation="DEF", author="ann", text="geheim", tlp="red")
        )


def test_a_downgrade_that_would_show_marked_comments_to_everyone_is_refused(engine: Engine) -> None:
    """Revision 0011 keeps no marking on comments: going back with a RED one would show it to all."""
    _red_comment(engine)
    assert migrate.downgrade_refusal(engine, "0007") is not None, "0007 keeps the comments"
    with pytest.raises(InputError, match="1 comment\\(s\\) on report drafts carry a marking above TLP:GREEN"):
        migrate.downgrade(engine, "0011_displace")
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT tlp FROM report_comment")).scalars().all() == ["red"]


@pytest.mark.parametrize("target", ["0006", "base"])
def test_going_back_past_the_comments_table_is_not_refused_for_marked_comments(
    engine: Engine, target: str
) -> None:
    """Before revision 0007 there are no comments, so a RED one is removed, not shown."""
    _red_comment(engine)
    assert migrate.downgrade_refusal(engine, target) is None
    migrate.downgrade(engine, target)
    assert "report_comment" not in inspect(engine).get_table_names()
    migrate.upgrade(engine)
    assert migrate.schema_status(engine).is_current


def _scored_scenarios_at_0012(engine: Engine) -> dict[str, int]:
    """At revision 0012: BZ's scenario scored by BZ, DEF, NCTV (open round) and an account without an
    organisation; an OS owner's scenario scored by DEF. Their ids by name."""
    from gbvs.db.assessment_models import RoundStatus, Scenario, ScenarioType, ScoreSheet, ScoringRound
    from gbvs.db.models import Organisation, OrganisationKind, User
    from gbvs.security import Role

    with Session(engine) as session, session.begin():
        orgs = {
            code: Organisation(code=code, name_nl=code, name_en=code, kind=OrganisationKind.ministry)
            for code in ("BZ", "DEF", "NCTV", "JENV")
        }
        people = {
            name: User(username=name, display_name=name, organisation=orgs.get(org), role=Role.analyst)
            for name, org in (("bz", "BZ"), ("def", "DEF"), ("nctv", "NCTV"), ("loose", None))
        }
        session.add_all([*orgs.values(), *people.values()])

        def scenario(creator: str, rounds: list[tuple[RoundStatus, list[str]]]) -> Scenario:
            made = Scenario(title=creator, kind=ScenarioType.threat, method_id="nrb_2009", created_by=creator)
            for number, (status, analysts) in enumerate(rounds, start=1):
                sheets = [
                    ScoreSheet(analyst=people[a], likelihood="A", likelihood_justification="x")
                    for a in analysts
                ]
                made.rounds.append(
                    ScoringRound(
                        number=number, status=status, method_version="1", opened_by=creator, sheets=sheets
                    )
                )
            session.add(made)
            return made

        owned = scenario(
            "bz", [(RoundStatus.closed, ["bz", "def", "loose"]), (RoundStatus.open, ["nctv", "def"])]
        )
        ownerless = scenario("os:root", [(RoundStatus.closed, ["def"])])
        draft = scenario("def", [])
        session.flush()
        return {"owned": owned.id, "ownerless": ownerless.id, "draft": draft.id}


def test_upgrade_to_0013_puts_the_organisations_that_scored_on_the_panel_and_downgrade_drops_it(
    bare_engine: Engine,
) -> None:
    """Whoever scored before panels were invited stays on the panel (the owner is not stored: it is on
    every panel of its own); a downgrade drops the table and keeps the scores."""
    migrate.upgrade(bare_engine, "0012")
    ids = _scored_scenarios_at_0012(bare_engine)
    migrate.upgrade(bare_engine)
    query = text(
        "SELECT m.scenario_id, o.code, m.added_by FROM scenario_panel_member m "
        "JOIN organisation o ON o.id = m.organisation_id ORDER BY m.scenario_id, o.code"
    )
    with bare_engine.connect() as connection:
        members = [tuple(row) for row in connection.execute(query)]
    assert members == [
        (ids["owned"], "DEF", "migration 0013"),
        (ids["owned"], "NCTV", "migration 0013"),
        (ids["ownerless"], "DEF", "migration 0013"),
    ]
    assert migrate.schema_status(bare_engine).is_current

    migrate.downgrade(bare_engine, "0012")
    assert "scenario_panel_member" not in inspect(bare_engine).get_table_names()
    with bare_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM score_sheet")).scalar_one() == 6


def _stix_signal(owner: int, n: int, detail: dict[str, Any]) -> Signal:
    return Signal(
        stix_id=f"report--00000000-0000-4000-8000-00000000000{n}", title=f"import {n}",
        kind=SignalKind.disinformation, reported_on=date(2026, 1, n), owner_organisation_id=owner,
        tlp=Tlp.amber, distribution=Distribution.organisation, source="stix", detail=detail,
    )  # fmt: skip


def _register_and_decision_log_at_0013(engine: Engine) -> dict[str, int]:
    """Two imported signals (the second links to the first's newest campaign), a signal of another
    source, and an early-action case with a decision and a version."""
    from gbvs.db.action_models import ActionCase, ActionCaseVersion, ActionDecision
    from gbvs.db.models import Organisation, OrganisationKind

    v1 = {"type": "campaign", "id": CAMPAIGN, "modified": "2024-03-01T00:00:00.000Z", "name": "a"}
    v2 = v1 | {"modified": "2025-01-01T00:00:00.000Z"}
    sco = {"type": "ipv4-addr", "id": "ipv4-addr--00000000-0000-4000-8000-000000000009", "value": "192.0.2.1"}
    with Session(engine) as session, session.begin():
        bz = Organisation(code="BZ", name_nl="BZ", name_en="BZ", kind=OrganisationKind.ministry)
        session.add(bz)
        session.flush()
        first = _stix_signal(bz.id, 1, {"stix_objects": [v1, v2, sco]})
        session.add(first)
        session.flush()
        second = _stix_signal(bz.id, 2, {"stix_objects": [sco], "stix_held": {CAMPAIGN: first.id}})
        public = _stix_signal(bz.id, 3, {"stix_objects": [v1]})
        public.source = "acled"
        case = ActionCase(title="Mali", status="decided", origin_kind="country", origin_ref="MLI",
                          opened_by="ana", warning={})  # fmt: skip
        session.add_all([second, public, case])
        session.flush()
        session.add(
            ActionDecision(case_id=case.id, choice="no_action", reasoning="afwachten", decided_by="cor")
        )
        session.add(ActionCaseVersion(case_id=case.id, version=1, status="open", change="opened",
                                      changed_by="ana", snapshot={}))  # fmt: skip
        session.flush()
        return {"first": first.id, "second": second.id}


def test_upgrade_to_0014_files_the_held_stix_objects_and_guards_the_decision_log(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine, "0013")
    ids = _register_and_decision_log_at_0013(bare_engine)
    migrate.upgrade(bare_engine)
    query = text(
        "SELECT stix_id, version, signal_id, held_in FROM signal_stix_object "
        "ORDER BY signal_id, stix_id, version"
    )
    with bare_engine.connect() as connection:
        filed = [tuple(row) for row in connection.execute(query)]
    first, second = ids["first"], ids["second"]
    sco = "ipv4-addr--00000000-0000-4000-8000-000000000009"
    assert filed == [
        (CAMPAIGN, "2024-03-01T00:00:00.000Z", first, first),
        (CAMPAIGN, "2025-01-01T00:00:00.000Z", first, first),
        (sco, "", first, first),
        (CAMPAIGN, "2025-01-01T00:00:00.000Z", second, first),  # the link, to the newest version
        (sco, "", second, second),
    ]
    assert migrate.schema_status(bare_engine).is_current
    for sql in ("UPDATE action_decision SET reasoning = 'toch'", "DELETE FROM action_case_version"):
        with (
            pytest.raises(InputError, match="decision log is append-only"),
            bare_engine.begin() as connection,
        ):
            connection.execute(text(sql))

    migrate.downgrade(bare_engine, "0013")
    assert "signal_stix_object" not in inspect(bare_engine).get_table_names()
    with bare_engine.begin() as connection:  # revision 0013 guards the log in the ORM only
        connection.execute(text("UPDATE action_decision SET reasoning = 'toch'"))
        assert connection.execute(text("SELECT count(*) FROM signal")).scalar_one() == 3


def test_status_notices_a_dropped_decision_log_trigger(engine: Engine) -> None:
    trigger = migrate.guard_triggers(engine.dialect.name)["action_case_version"][0]
    drop = f"DROP TRIGGER {trigger}" + (
        " ON action_case_version" if engine.dialect.name == "postgresql" else ""
    )
    with engine.begin() as connection:
        connection.execute(text(drop))
    assert migrate.schema_status(engine).differences == (f"missing trigger {trigger}",)


def test_upgrade_to_0017_keeps_every_case_with_no_goals_and_downgrade_drops_them(bare_engine: Engine) -> None:
    """Cases made before 0017 keep their signals and get no goals (their page says so); goals given
    after the upgrade are kept in ``case_goal`` and go with a downgrade."""
    from gbvs.db.models import Organisation, OrganisationKind
    from gbvs.db.signal_models import CaseSignal, SignalCase

    migrate.upgrade(bare_engine, "0016")
    with Session(bare_engine) as session, session.begin():
        bz = Organisation(code="BZ", name_nl="BZ", name_en="BZ", kind=OrganisationKind.ministry)
        session.add(bz)
        session.flush()
        signal = _stix_signal(bz.id, 1, {})
        session.add(signal)
        session.flush()
        case = SignalCase(title="MH17", owner_organisation_id=bz.id, tlp=Tlp.green,
                          distribution=Distribution.all_organisations)  # fmt: skip
        case.members = [CaseSignal(signal_id=signal.id)]
        session.add(case)
    migrate.upgrade(bare_engine)
    with bare_engine.begin() as connection:
        assert connection.execute(text("SELECT title FROM signal_case")).scalars().all() == ["MH17"]
        assert connection.execute(text("SELECT count(*) FROM case_signal")).scalar_one() == 1
        assert connection.execute(text("SELECT count(*) FROM case_goal")).scalar_one() == 0
        case_id = connection.execute(text("SELECT id FROM signal_case")).scalar_one()
        connection.execute(text("INSERT INTO case_goal (case_id, goal) VALUES (:c, 8)"), {"c": case_id})
    migrate.downgrade(bare_engine, "0016")
    assert "case_goal" not in inspect(bare_engine).get_table_names()
    with bare_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM signal_case")).scalar_one() == 1


def _codebook_history_at_0016(engine: Engine) -> None:
    """A consultation whose codebook was reworded and then had a theme retired, before revision 0018."""
    from gbvs.db.models import User
    from gbvs.db.opinion_models import Consultation
    from gbvs.security import Role

    with Session(engine) as session, session.begin():
        mona = User(username="mona", display_name="Mona", role=Role.coordinator)
        consultation = Consultation(slug="c", title="C", codebook_id="cb", codebook_version=3)
        session.add_all([mona, consultation])
        session.flush()
        insert = text(
            "INSERT INTO consultation_codebook_change (consultation_id, version, kind, theme_code, before, "
            "after, reason, author_id, made_at) VALUES (:c, :v, :k, 'Q1', '{}', '{}', 'r', :a, :at)"
        )
        for version, kind in ((2, "reword"), (3, "retire")):
            values = {"c": consultation.id, "v": version, "k": kind, "a": mona.id, "at": date(2026, 12, 1)}
            session.execute(insert, values)


def test_upgrade_to_0018_reads_earlier_rewordings_as_changes_of_meaning(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine, "0016")
    _codebook_history_at_0016(bare_engine)
    migrate.upgrade(bare_engine)
    query = text("SELECT version, kind, meaning_changed FROM consultation_codebook_change ORDER BY version")
    with bare_engine.connect() as connection:
        assert [tuple(row) for row in connection.execute(query)] == [(2, "reword", True), (3, "retire", None)]
    assert "consultation_coder_withdrawal" in inspect(bare_engine).get_table_names()
    assert migrate.schema_status(bare_engine).is_current
    migrate.downgrade(bare_engine, "0016")
    assert "consultation_coder_withdrawal" not in inspect(bare_engine).get_table_names()
    with bare_engine.connect() as connection:  # the history itself stays
        assert connection.execute(text("SELECT count(*) FROM consultation_codebook_change")).scalar_one() == 2


def test_upgrade_to_0019_keeps_the_rounds_opened_before_with_coordinators_scoring(
    bare_engine: Engine,
) -> None:
    """Rounds opened under the old rule keep it (a coordinator's sheet in an open round stays revisable);
    a round opened afterwards is scored by analysts only unless it says otherwise. The downgrade keeps the
    rounds and their sheets."""
    migrate.upgrade(bare_engine, "0012")
    ids = _scored_scenarios_at_0012(bare_engine)
    migrate.upgrade(bare_engine)
    rounds = text(
        "SELECT scenario_id, number, coordinators_score FROM scoring_round ORDER BY scenario_id, number"
    )
    with bare_engine.connect() as connection:
        kept = [(row[0], row[1], bool(row[2])) for row in connection.execute(rounds)]
    assert kept == [(ids["owned"], 1, True), (ids["owned"], 2, True), (ids["ownerless"], 1, True)]
    with bare_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO scoring_round (scenario_id, number, status, method_version, opened_by, "
                "opened_at) VALUES (:scenario, 1, 'open', '1', 'def', CURRENT_TIMESTAMP)"
            ),
            {"scenario": ids["draft"]},
        )
        new = connection.execute(
            text("SELECT coordinators_score FROM scoring_round WHERE scenario_id = :s"), {"s": ids["draft"]}
        ).scalar_one()
    assert bool(new) is False
    migrate.downgrade(bare_engine, "0016")
    assert "coordinators_score" not in {c["name"] for c in inspect(bare_engine).get_columns("scoring_round")}
    with bare_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM score_sheet")).scalar_one() == 6


def test_upgrade_to_0020_keeps_every_round_without_a_deadline_and_downgrade_keeps_the_rounds(
    bare_engine: Engine,
) -> None:
    """Rounds and sheets written at 0019 are all there after 0020, with no deadline and no reopening; a
    reopening recorded at 0020 goes with the downgrade, the rounds and sheets stay."""
    migrate.upgrade(bare_engine, "0012")
    ids = _scored_scenarios_at_0012(bare_engine)
    migrate.upgrade(bare_engine, "0019")
    rounds = text("SELECT scenario_id, number, status FROM scoring_round ORDER BY scenario_id, number")
    with bare_engine.connect() as connection:
        before = [tuple(row) for row in connection.execute(rounds)]
    migrate.upgrade(bare_engine)
    with bare_engine.begin() as connection:
        assert [tuple(row) for row in connection.execute(rounds)] == before
        assert connection.execute(text("SELECT count(*) FROM score_sheet")).scalar_one() == 6
        deadlines = connection.execute(text("SELECT deadline FROM scoring_round")).scalars().all()
        assert deadlines == [None, None, None]
        assert connection.execute(text("SELECT count(*) FROM scoring_round_reopening")).scalar_one() == 0
        first = connection.execute(
            text("SELECT id FROM scoring_round WHERE scenario_id = :s AND number = 1"),
            {"s": ids["ownerless"]},
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO scoring_round_reopening (round_id, reopened_by, reopened_at, reason) "
                "VALUES (:round, 'coco', CURRENT_TIMESTAMP, 'te vroeg gesloten')"
            ),
            {"round": first},
        )
    migrate.downgrade(bare_engine, "0019")
    assert "scoring_round_reopening" not in inspect(bare_engine).get_table_names()
    assert "deadline" not in {c["name"] for c in inspect(bare_engine).get_columns("scoring_round")}
    with bare_engine.connect() as connection:
        assert [tuple(row) for row in connection.execute(rounds)] == before
        assert connection.execute(text("SELECT count(*) FROM score_sheet")).scalar_one() == 6


def test_upgrade_to_0021_keeps_every_withdrawal_in_force_and_downgrade_keeps_the_withdrawals(
    bare_engine: Engine,
) -> None:
    """A coder withdrawn before revision 0021 stays withdrawn (no change recorded); a reinstatement is a
    row beside the withdrawal, which the downgrade drops while keeping the withdrawal."""
    from gbvs.db.models import User
    from gbvs.db.opinion_models import Consultation, ConsultationCoderWithdrawal
    from gbvs.db.services.consultation_round import withdrawals
    from gbvs.security import Role

    migrate.upgrade(bare_engine, "0020")
    with Session(bare_engine) as session, session.begin():
        mona = User(username="mona", display_name="Mona", role=Role.coordinator)
        carla = User(username="carla", display_name="Carla", role=Role.analyst)
        consultation = Consultation(slug="c", title="C", codebook_id="cb", codebook_version=1)
        session.add_all([mona, carla, consultation])
        session.flush()
        session.execute(
            text(
                "INSERT INTO consultation_coder_withdrawal (consultation_id, coder_id, reason, "
                "withdrawn_by_id, withdrawn_at) VALUES (:c, :coder, 'vertrokken', :by, CURRENT_TIMESTAMP)"
            ),
            {"c": consultation.id, "coder": carla.id, "by": mona.id},
        )
    migrate.upgrade(bare_engine)
    assert migrate.schema_status(bare_engine).is_current
    with Session(bare_engine) as session, session.begin():
        consultation = session.scalars(select(Consultation)).one()
        (kept,) = withdrawals(session, consultation)
        assert (kept.coder, kept.by, kept.reason) == ("carla", "mona", "vertrokken")
        row = session.scalars(select(ConsultationCoderWithdrawal)).one()
        assert row.in_force and row.changes == []
        session.execute(
            text(
                "INSERT INTO consultation_coder_withdrawal_change (withdrawal_id, kind, reason, made_by_id, "
                "made_at) VALUES (:w, 'reinstate', 'vergissing', :by, CURRENT_TIMESTAMP)"
            ),
            {"w": row.id, "by": row.withdrawn_by_id},
        )
    with Session(bare_engine) as session:
        assert withdrawals(session, session.scalars(select(Consultation)).one()) == []
    migrate.downgrade(bare_engine, "0020")
    assert "consultation_coder_withdrawal_change" not in inspect(bare_engine).get_table_names()
    with bare_engine.connect() as connection:
        assert connection.execute(
            text("SELECT reason FROM consultation_coder_withdrawal")
        ).scalars().all() == ["vertrokken"]


def _signals_of_three_readers(engine: Engine) -> dict[str, int]:
    """Three readers (BZ, AIVD, none) and four signals titled "haven <n>": BZ's AMBER (by bz.a), AIVD's
    RED (by aivd.a, bz.a named), AIVD's AMBER and AIVD's CLEAR public; the readers' ids by name."""
    from gbvs.db.models import Organisation, OrganisationKind, User
    from gbvs.db.signal_models import SignalRecipient
    from gbvs.security import Role

    with Session(engine) as session, session.begin():
        bz, aivd = (
            Organisation(code=c, name_nl=c, name_en=c, kind=OrganisationKind.agency) for c in ("BZ", "AIVD")
        )
        session.add_all([bz, aivd])
        session.flush()
        readers = [User(username="bz.a", display_name="B", organisation_id=bz.id, role=Role.analyst),
                   User(username="aivd.a", display_name="A", organisation_id=aivd.id, role=Role.analyst),
                   User(username="los", display_name="L", role=Role.analyst)]  # fmt: skip
        session.add_all(readers)
        session.flush()
        markings = [(bz.id, readers[0].id, Tlp.amber, Distribution.organisation),
                    (aivd.id, readers[1].id, Tlp.red, Distribution.organisation),
                    (aivd.id, None, Tlp.amber, Distribution.organisation),
                    (aivd.id, None, Tlp.clear, Distribution.public)]  # fmt: skip
        for n, (owner, author, tlp, distribution) in enumerate(markings, start=1):
            row = _stix_signal(owner, n, {})
            row.title, row.author_id, row.tlp, row.distribution = f"haven {n}", author, tlp, distribution
            session.add(row)
        session.flush()
        session.add(SignalRecipient(signal_id=2, user_id=readers[0].id))
        return {user.username: user.id for user in readers}


def _found_by(engine: Engine, ids: dict[str, int], words: str) -> dict[str, set[int]]:
    """The signals each reader's search for ``words`` finds (through the service, need-to-know and all)."""
    from gbvs.db.models import User
    from gbvs.db.services import signals as service
    from gbvs.db.services.principals import principal_of
    from gbvs.db.signal_queries import SignalFilter

    found = {}
    with Session(engine) as session:
        for username, user_id in ids.items():
            principal = principal_of(session.get(User, user_id))  # type: ignore[arg-type]
            page = service.list_signals(session, principal, SignalFilter(text=words))
            found[username] = {item.id for item in page.items}
        session.rollback()
    return found


def test_upgrade_to_0022_indexes_every_signal_under_its_audiences_and_downgrade_restores_the_index(
    bare_engine: Engine,
) -> None:
    """Signals stored before 0022 are found after it by exactly those who may read them (the index is
    rebuilt from the signals, none is lost); a downgrade brings back the index of 0004 (SQLite)."""
    migrate.upgrade(bare_engine, "0021")
    ids = _signals_of_three_readers(bare_engine)
    migrate.upgrade(bare_engine)
    assert _found_by(bare_engine, ids, "haven") == {"bz.a": {1, 2, 4}, "aivd.a": {2, 3, 4}, "los": {4}}
    if bare_engine.dialect.name != "sqlite":
        return
    migrate.downgrade(bare_engine, "0021")
    assert not {"signal_search", "signal_search_row"} & set(inspect(bare_engine).get_table_names())
    with bare_engine.connect() as connection:
        matched = connection.execute(text("SELECT rowid FROM signal_fts WHERE signal_fts MATCH 'haven'"))
        assert sorted(matched.scalars()) == [1, 2, 3, 4]


def test_upgrade_to_0023_indexes_every_signal_under_its_audiences_on_postgresql_and_downgrade_restores_it(
    bare_engine: Engine,
) -> None:
    """Signals stored before 0023 are each given their audience-prefixed words on PostgreSQL (none lost,
    none found by one who may not read it), later changes keep them in step; a downgrade brings back
    the GIN index of 0004 with every signal still found. On SQLite 0023 changes nothing."""
    from gbvs.db.signal_search import search_key

    migrate.upgrade(bare_engine, "0022")
    ids = _signals_of_three_readers(bare_engine)
    migrate.upgrade(bare_engine, "0023")
    expected = {"bz.a": {1, 2, 4}, "aivd.a": {2, 3, 4}, "los": {4}}
    assert _found_by(bare_engine, ids, "haven") == expected
    if bare_engine.dialect.name != "postgresql":
        return
    with bare_engine.begin() as connection:
        terms = dict(connection.execute(text("SELECT signal_id, terms FROM signal_search_terms")).all())
        assert sorted(terms) == [1, 2, 3, 4]
        assert set(terms[2]) == {f"{search_key('user', ids[name])}:{word}" for name in ("aivd.a", "bz.a")
                                 for word in ("haven", "2")}  # fmt: skip
        assert f"{search_key('public')}:haven" in terms[4]
        connection.execute(text("DELETE FROM signal_recipient WHERE signal_id = 2"))
        connection.execute(text("UPDATE signal SET title = 'kade 4' WHERE id = 4"))
    assert _found_by(bare_engine, ids, "haven") == {"bz.a": {1}, "aivd.a": {2, 3}, "los": set()}
    assert _found_by(bare_engine, ids, "kade") == {"bz.a": {4}, "aivd.a": {4}, "los": {4}}
    migrate.downgrade(bare_engine, "0022")
    assert "signal_search_terms" not in inspect(bare_engine).get_table_names()
    with bare_engine.connect() as connection:
        indexes = connection.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'signal'"))
        assert "ix_signal_search" in set(indexes.scalars())
        matched = connection.execute(
            text(
                "SELECT id FROM signal WHERE to_tsvector('simple', title || ' ' || description) "
                "@@ plainto_tsquery('simple', 'haven')"
            )
        )
        assert sorted(matched.scalars()) == [1, 2, 3]


def _found_by_in(session: Session, ids: dict[str, int], words: str) -> set[int]:
    """The signals bz.a's search for ``words`` finds in ``session`` (its transaction still open)."""
    from gbvs.db.models import User
    from gbvs.db.services import signals as service
    from gbvs.db.services.principals import principal_of
    from gbvs.db.signal_queries import SignalFilter

    principal = principal_of(session.get(User, ids["bz.a"]))  # type: ignore[arg-type]
    return {item.id for item in service.list_signals(session, principal, SignalFilter(text=words)).items}


def test_upgrade_to_0024_keeps_the_index_and_lets_an_import_defer_it_and_downgrade_restores_the_triggers(
    bare_engine: Engine,
) -> None:
    """Signals stored before 0024 are found as before; after it, a new signal is indexed by its trigger
    unless ``signal_search_deferral`` holds a row, and then the bulk fill indexes it; a downgrade to 0023
    brings back the trigger that indexes every new signal."""
    from gbvs.db.signal_bulk import index_signals

    migrate.upgrade(bare_engine, "0023")
    ids = _signals_of_three_readers(bare_engine)
    migrate.upgrade(bare_engine, "0024")
    expected = {"bz.a": {1, 2, 4}, "aivd.a": {2, 3, 4}, "los": {4}}
    assert _found_by(bare_engine, ids, "haven") == expected
    with Session(bare_engine) as session, session.begin():
        session.execute(text("INSERT INTO signal_search_deferral (since) VALUES (CURRENT_TIMESTAMP)"))
        session.add(_stix_signal(1, 5, {}))
        session.flush()
        assert _found_by_in(session, ids, "5") == set()
        index_signals(session, [5])
        session.execute(text("DELETE FROM signal_search_deferral"))
        assert _found_by_in(session, ids, "5") == {5}
    migrate.downgrade(bare_engine, "0023")
    assert "signal_search_deferral" not in inspect(bare_engine).get_table_names()
    with Session(bare_engine) as session, session.begin():
        session.add(_stix_signal(1, 6, {}))
    assert _found_by(bare_engine, ids, "6")["bz.a"] == {6}
