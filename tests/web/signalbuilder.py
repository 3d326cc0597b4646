"""A small signals register for the page tests: public signals and a public case, assessed by two
organisations that disagree, with a joint position (the local analyst of loopback mode sees public
signals only)."""

from __future__ import annotations

from datetime import date

from gbvs.config import Settings
from gbvs.db.migrate import upgrade
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import cases, organisations, users
from gbvs.db.services import signals as service
from gbvs.db.services.principals import load_principal
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.security import Role
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind

KINDS = (SignalKind.disinformation, SignalKind.cyber_operation, SignalKind.foreign_interference)


def _draft(n: int, owner: str) -> SignalDraft:
    return SignalDraft(
        title=f"Openbaar signaal {n}",
        description="Een verhaal over MH17 dat in meerdere talen werd verspreid.",
        kind=KINDS[n % len(KINDS)],
        observed_on=date(2023, 1 + n % 12, 1),
        reported_on=date(2023, 1 + n % 12, 2),
        owner_organisation=owner,
        tlp=Tlp.clear,
        distribution=Distribution.public,
        actor_countries=("RUS",),
        target_countries=("NLD", "UKR")[: 1 + n % 2],
        threats=(3, 5)[: 1 + n % 2],
        goals=(8,),
        techniques=("T0049",),
        tags=("mh17", 'circl:incident-classification="phishing"'),
    )


def build_signals(settings: Settings, count: int = 6) -> None:
    """Migrate the data folder's database and add ``count`` public signals and one public case."""
    engine = make_engine(settings)
    upgrade(engine)
    with session_scope(make_session_factory(engine)) as session:
        users.bootstrap_admin(session, "root", "Root")
        root = load_principal(session, "root")
        for code, name in (("BZ", "Buitenlandse Zaken"), ("DEF", "Defensie")):
            organisations.create_organisation(
                session, root, OrganisationCreate(code=code, name_nl=name, name_en=name)
            )
        for username, code in (("bz.analist", "BZ"), ("def.analist", "DEF")):
            data = UserCreate(
                username=username, display_name=username, organisation_code=code, role=Role.analyst
            )
            users.create_user(session, root, data)
        session.commit()
        bz, defence = load_principal(session, "bz.analist"), load_principal(session, "def.analist")
        ids = [service.create_signal(session, bz, _draft(n, "BZ")) for n in range(count)]
        case_id = cases.create_case(
            session,
            bz,
            title="MH17-desinformatie",
            signal_ids=ids[:3],
            tlp=Tlp.clear,
            distribution=Distribution.public,
        )
        for who, likelihood in ((bz, "very-likely"), (defence, "roughly-even-chance")):
            cases.assess(
                session,
                who,
                case_id=case_id,
                judgement="Gecoördineerde campagne.",
                likelihood=likelihood,
                confidence="moderate",
            )
            cases.assess(
                session,
                who,
                signal_id=ids[0],
                judgement="Past in het patroon.",
                likelihood=likelihood,
                confidence="high",
                suspected_actor="GRU",
                sponsor_state="RUS",
            )
        cases.assess(
            session,
            bz,
            case_id=case_id,
            judgement="Waarschijnlijk een staatscampagne.",
            likelihood="likely",
            confidence="moderate",
            joint_position_of=("BZ", "DEF"),
        )
    engine.dispose()
