"""A remote-mode site whose pages need a coordinator (login required), for the browser tests.

BZ's coordinator mona has imported the test consultation (coded by anna, bert and carla, one codebook
revision, carla withdrawn and reinstated, bert withdrawn): the codebook page. mona also runs a threat
scenario of BZ whose open round has a deadline a week from when the site was built and was scored by anna
only: the round page with its deadline and who has not scored yet (bert, carla).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from gbvs.assessments import load_method
from gbvs.config import load_settings

DATA = Path(__file__).parents[1] / "opinion" / "data"
PASSWORD = "een lang genoeg wachtwoord 42"
COORDINATOR = "mona"
CONSULTATION = "/publieksopinie/consultaties/gbvs-test"
SCENARIO_TITLE = "Sabotage van de haven van Rotterdam (ronde met deadline)"
NOT_SCORED = ("bert", "carla")


def build(data_dir: Path, small_store: Path) -> Any:
    """Remote-mode settings over the database described above; the scenario's id is 1."""
    settings = _build_consultation(data_dir, small_store)
    _build_round(settings)
    return settings


def _build_consultation(data_dir: Path, small_store: Path) -> Any:
    """Remote-mode settings over a database with the test consultation coded by anna, bert and carla,
    one codebook revision, carla withdrawn and reinstated, and bert withdrawn."""
    from gbvs.db.migrate import upgrade
    from gbvs.db.opinion_models import CodebookChangeKind
    from gbvs.db.schemas import OrganisationCreate, UserCreate
    from gbvs.db.services import (
        consultation_codebook,
        consultation_coding,
        consultation_round,
        consultations,
        organisations,
        users,
    )
    from gbvs.db.services.principals import load_principal
    from gbvs.db.session import make_engine, make_session_factory, session_scope
    from gbvs.opinion.codebook import draft_codebook
    from gbvs.opinion.consultation import parse_info, parse_responses
    from gbvs.security import Role

    settings = load_settings(data_dir=data_dir, store_path=small_store, allow_remote=True)
    engine = make_engine(settings)
    upgrade(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        users.bootstrap_admin(session, "ada", "Ada", None, None)
    with session_scope(factory) as session:
        ada = load_principal(session, "ada")
        organisations.create_organisation(
            session, ada, OrganisationCreate(code="BZ", name_nl="BZ", name_en="MFA")
        )
        people = (
            ("mona", Role.coordinator),
            ("anna", Role.analyst),
            ("bert", Role.analyst),
            ("carla", Role.analyst),
        )
        for name, role in people:
            data = UserCreate(username=name, display_name=name, organisation_code="BZ", role=role)
            users.create_user(session, ada, data, PASSWORD)
    rows = parse_responses((DATA / "responses.csv").read_text(encoding="utf-8"))
    info = parse_info((DATA / "consultation.yaml").read_text(encoding="utf-8"), rows)
    with session_scope(factory) as session:
        consultations.import_consultation(session, load_principal(session, "mona"), info, draft_codebook())
    with session_scope(factory) as session:
        for name, theme in (("anna", "Q1.2"), ("bert", "Q1.9"), ("carla", "Q1.2")):
            coder = load_principal(session, name)
            for response in consultation_coding.responses_for_coder(session, coder, "gbvs-test"):
                consultation_coding.code_response(
                    session, coder, response.id, [theme] if response.question == 1 else []
                )
    with session_scope(factory) as session:
        mona = load_principal(session, "mona")
        change = consultation_codebook.CodebookRevision(
            CodebookChangeKind.add, "Q1.10", "ontbrak", "Klimaat", "Climate", "Q1"
        )
        consultation_codebook.revise_codebook(session, mona, "gbvs-test", change)
        consultation_round.withdraw_coder(session, mona, "gbvs-test", "carla", "dacht dat ze weg was")
        consultation_round.reinstate_coder(session, mona, "gbvs-test", "carla", "vergissing: ze codeert nog")
        consultation_round.withdraw_coder(session, mona, "gbvs-test", "bert", "vertrokken naar Defensie")
    engine.dispose()
    return settings


def _build_round(settings: Any) -> None:
    """mona's scenario with its open round until a week from now, scored by anna only."""
    from gbvs.db.services import assessments
    from gbvs.db.services.principals import load_principal
    from gbvs.db.session import make_engine, make_session_factory, session_scope
    from gbvs.db.types import utcnow

    engine = make_engine(settings)
    factory = make_session_factory(engine)
    scenario = assessments.ScenarioInput(
        title=SCENARIO_TITLE,
        kind=assessments.ScenarioType.threat,
        description="Een statelijke actor saboteert de havenlogistiek.",
    )
    with session_scope(factory) as session:
        mona = load_principal(session, COORDINATOR)
        scenario_id = assessments.create_scenario(session, mona, scenario)
        deadline = utcnow().replace(second=0, microsecond=0) + timedelta(days=7)
        assessments.open_round(session, mona, scenario_id, deadline=deadline)
    scores = {c: ("B", f"onderbouwing {c}") for c in load_method("nrb_2009").criterion_ids()}
    with session_scope(factory) as session:
        anna = load_principal(session, "anna")
        assessments.submit_scores(session, anna, scenario_id, ("C", "kans"), scores)
    engine.dispose()
